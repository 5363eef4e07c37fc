// `sesim sweep`: run a parameter sweep into one HDF5 file, resumable after any kill; over MPI
// ranks when started by mpirun (MPI build), or one shard of it for a Slurm job array. The
// command line is parsed here; the sweep's lifecycle is solvers/sweep_lifecycle.hpp.
#include <omp.h>

#include <charconv>
#include <iostream>

#include "app/cli.hpp"
#include "model/errors.hpp"
#include "solvers/sweep_lifecycle.hpp"

namespace po = boost::program_options;

namespace sesim::cli {

namespace {

SweepSlice parse_shard(const std::string& text) {
    const auto slash = text.find('/');
    int i = -1;
    int n = 0;
    bool ok = slash != std::string::npos;
    if (ok) {
        const char* b = text.data();
        const auto r1 = std::from_chars(b, b + slash, i);
        const auto r2 = std::from_chars(b + slash + 1, b + text.size(), n);
        ok = r1.ec == std::errc{} && r1.ptr == b + slash && r2.ec == std::errc{} &&
             r2.ptr == b + text.size() && n >= 1 && i >= 0 && i < n;
    }
    if (!ok)
        throw InputError("sesim sweep: --shard '" + text +
                         "': expected I/N with 0 <= I < N, e.g. --shard 0/4 (Slurm: --shard "
                         "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)");
    return {i, n};
}

int exit_code(SweepEnd end) {
    switch (end) {
        case SweepEnd::complete:
            return kExitOk;
        case SweepEnd::failed_runs:
            return kExitRunError;
        case SweepEnd::stopped:
            return kExitInterrupted;
        case SweepEnd::other_rank:
            return kExitInput;
    }
    return kExitRunError;
}

}  // namespace

int cmd_sweep(const Invocation& inv) {
    install_stop_handlers();  // first, as in cmd_run
    po::options_description desc(
        "sesim sweep SWEEP.ini -o OUT.h5 [options]\n\n"
        "Runs every point x replicate of a sweep file (scenarios/sweeps/*.ini, docs/sweeps.md)\n"
        "into one HDF5 file, written as runs finish in OUT.h5.partial and renamed to OUT.h5\n"
        "when complete. Killed or stopped (SIGINT, SIGTERM), it keeps every saved run: the same\n"
        "command with --resume continues. Under mpirun (MPI build) the ranks share the runs.\n"
        "Options");
    SweepRequest a;
    desc.add_options()("help,h", "show this help")(
        "output,o", po::value<std::string>()->value_name("FILE"), "sweep file (HDF5), required")(
        "resume", "continue OUT.h5.partial (or start it when there is none)")(
        "shard", po::value<std::string>()->value_name("I/N"),
        "run only shard I of N (0 <= I < N): runs I, I+N, I+2N...; for Slurm job arrays, "
        "joined by 'sesim merge'")("threads,t", po::value<int>()->value_name("N"),
                                   "OpenMP threads per process (default: OMP_NUM_THREADS, else "
                                   "all cores)")(
        "checkpoint",
        po::value<double>(&a.checkpoint_seconds)->default_value(5.0)->value_name("SECONDS"),
        "seconds between checkpoints; a kill -9 loses at most the runs of this interval")(
        "quiet,q", "no progress output")("sweep", po::value<std::string>()->value_name("FILE"),
                                         "sweep file");
    po::positional_options_description pos;
    pos.add("sweep", 1);
    const auto vm = parse("sweep", desc, pos, inv.args);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return kExitOk;
    }
    if (!vm.count("sweep"))
        throw InputError(
            "sesim sweep: no sweep file given.\nExample: sesim sweep scenarios/sweeps/levers.ini "
            "-o levers.h5");
    if (!vm.count("output")) throw InputError("sesim sweep: no output file given; add -o FILE.h5");
    a.sweep_file = vm["sweep"].as<std::string>();
    a.out = vm["output"].as<std::string>();
    a.resume = vm.count("resume") > 0;
    a.quiet = vm.count("quiet") > 0;
    if (vm.count("shard")) a.slice = parse_shard(vm["shard"].as<std::string>());
    if (!(a.checkpoint_seconds >= 0.1 && a.checkpoint_seconds <= 86400))
        throw InputError("sesim sweep: --checkpoint must be 0.1 to 86400 seconds");
    a.threads = omp_get_max_threads();
    if (vm.count("threads")) {
        const int n = vm["threads"].as<int>();
        if (n < 1 || n > 4096) throw InputError("sesim sweep: --threads must be 1 to 4096");
        a.threads = n;
    }
    a.command_line = inv.command_line;
    a.stop = &g_stop;
    a.abort_status = kExitRunError;
    return exit_code(run_sweep_request(a, std::cerr));
}

}  // namespace sesim::cli
