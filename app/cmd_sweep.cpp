// `sesim sweep`: run a parameter sweep into one HDF5 file, resumable after any kill; over MPI
// ranks when started by mpirun (MPI build), or one shard of it for a Slurm job array.
#include <omp.h>

#include <charconv>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/cli.hpp"
#include "model/errors.hpp"
#include "output/input_file.hpp"
#include "output/result_file.hpp"
#include "output/safe_write.hpp"
#include "output/sweep_file.hpp"
#include "solvers/progress.hpp"
#include "solvers/sweep.hpp"
#include "solvers/sweep_runner.hpp"
#ifdef SESIM_WITH_MPI
#include "solvers/sweep_mpi.hpp"
#endif

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sesim::cli {

namespace {

struct SweepArgs {
    fs::path sweep_file;
    fs::path out;
    bool resume = false;
    bool quiet = false;
    SweepSlice slice;
    int threads = 1;
    double checkpoint = 5.0;
};

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

// The first line where two definitions differ, for the refusal message.
std::string first_difference(const std::string& a, const std::string& b) {
    std::istringstream sa(a);
    std::istringstream sb(b);
    std::string la;
    std::string lb;
    while (true) {
        const bool ga = static_cast<bool>(std::getline(sa, la));
        const bool gb = static_cast<bool>(std::getline(sb, lb));
        if (!ga && !gb) return "";
        if (!ga) la = "(nothing)";
        if (!gb) lb = "(nothing)";
        if (la == lb) continue;
        std::string out = "it has '";
        out += la;
        out += "' where this sweep has '";
        out += lb;
        out += "'";
        return out;
    }
}

std::string shard_text(int index, int count) {
    return std::to_string(index) + "/" + std::to_string(count);
}

// Refuses to continue `file` (a working or finished sweep file) with another definition or
// another shard.
void check_same_sweep(const fs::path& file, const SweepFileInfo& info, const Sweep& sweep,
                      const SweepSlice& slice) {
    const std::string def = sweep.definition();
    if (info.definition != def)
        throw InputError("sesim sweep: " + file.string() + " holds sweep '" + info.name +
                         "' (definition " + info.hash + "), not this sweep '" + sweep.name +
                         "' (definition " + sweep.hash() +
                         "): " + first_difference(info.definition, def) +
                         ". Resume it with the sweep file it was started with, or write this "
                         "sweep to another -o file");
    if (info.shard_index != slice.index || info.shard_count != slice.count)
        throw InputError("sesim sweep: " + file.string() + " holds shard " +
                         shard_text(info.shard_index, info.shard_count) + " of the sweep, not " +
                         shard_text(slice.index, slice.count) + "; give the same --shard");
}

SweepLayout layout_with_provenance(const Sweep& sweep, const SweepSlice& slice,
                                   const std::string& command_line) {
    SweepLayout l = sweep_layout(sweep, slice);
    const Provenance p = make_provenance(command_line, sweep.seed, sweep.replicates);
    l.text_attributes = {{"sweep_description", sweep.description},
                         {"design", std::string(design_name(sweep.design))},
                         {"sweep_file", sweep.path},
                         {"sweep_files",
                          [&] {
                              std::string s;
                              for (const auto& f : sweep.files) s += (s.empty() ? "" : "\n") + f;
                              return s;
                          }()},
                         {"sweep_text", sweep.text},
                         {"sesim_version", p.sesim_version},
                         {"git_commit", p.git_commit},
                         {"compiler", p.compiler},
                         {"cxx_flags", p.cxx_flags},
                         {"build_type", p.build_type},
                         {"command_line", p.command_line},
                         {"creation_time", p.creation_time},
                         {"host", p.host},
                         {"libc", p.libc},
                         {"cpu", p.cpu},
                         {"libm_fingerprint", p.libm_fingerprint}};
    l.number_attributes = {{"model_version", p.model_version},
                           {"points", static_cast<double>(sweep.points())},
                           {"replicates", sweep.replicates},
                           {"seed", sweep.seed},
                           {"paired", sweep.paired ? 1 : 0}};
    return l;
}

enum class Start { fresh, resumed, complete };

// Makes `<out>.partial` ready to receive runs (new, or continued), or finds `out` complete.
Start prepare(const SweepArgs& a, const Sweep& sweep, const std::string& command_line) {
    const fs::path partial = fs::path(a.out.string() + ".partial");
    std::error_code ec;
    if (fs::exists(partial, ec)) {
        SweepFileInfo info;
        try {
            info = read_sweep_info(partial);
        } catch (const RunError& e) {
            // By design a kill cannot damage the working file (output/sweep_file.hpp). One
            // damaged otherwise (edited, copied in part) may still hold saved runs: it is not
            // replaced without the user's say.
            throw InputError("sesim sweep: " + std::string(e.what()) + ". " + partial.string() +
                             " cannot be continued; move it away (or delete it) to start the "
                             "sweep again");
        }
        if (!a.resume)
            throw InputError("sesim sweep: " + partial.string() + " holds an unfinished sweep (" +
                             std::to_string(info.done + info.failed) + " of " +
                             std::to_string(info.rows) +
                             " runs done); add --resume to continue it, or delete it to start "
                             "again");
        check_same_sweep(partial, info, sweep, a.slice);
        return Start::resumed;
    }
    if (a.resume && fs::exists(a.out, ec)) {
        const SweepFileInfo info = read_sweep_info(a.out);
        check_same_sweep(a.out, info, sweep, a.slice);
        if (info.pending == 0) return Start::complete;
    }
    SweepFile::create(partial, layout_with_provenance(sweep, a.slice, command_line),
                      sweep_rows(sweep, a.slice));
    return Start::fresh;
}

std::string resume_command(const std::string& command_line) {
    if (command_line.find(" --resume") != std::string::npos) return command_line;
    return command_line + " --resume";
}

// After the runs: commit a complete file, or say how to continue.
int finish(const SweepArgs& a, SweepFile& file, const SweepOutcome& oc,
           const std::string& command_line, const std::string& label, bool mpi = false) {
    const fs::path partial = fs::path(a.out.string() + ".partial");
    const SweepFileInfo info = file.info();
    file.close();
    for (const std::string& f : oc.failures) std::cerr << label << ": failed: " << f << "\n";
    if (info.pending > 0) {
        std::cerr << label << ": stopped; " << info.done + info.failed << " of " << info.rows
                  << " runs are saved in " << partial.string() << "\n"
                  << label << ": to continue, run"
                  << (mpi ? " under the same mpirun (or as one process)" : "") << ": "
                  << resume_command(command_line) << "\n";
        return kExitInterrupted;
    }
    commit_sweep_file(partial, a.out);
    if (!a.quiet)
        std::cerr << label << ": wrote " << info.rows << " runs to " << a.out.string() << "\n";
    if (info.failed > 0) {
        std::cerr << label << ": " << info.failed
                  << " runs failed (status 2 in the file, outputs NaN)\n";
        return kExitRunError;
    }
    return kExitOk;
}

void announce(const SweepArgs& a, const Sweep& sweep, const SweepFileInfo& info, int ranks,
              const std::string& label) {
    if (a.quiet) return;
    std::cerr << label << ": " << sweep.name << ": " << design_name(sweep.design) << " design, "
              << sweep.parameters() << " parameters, " << sweep.points() << " points x "
              << sweep.replicates << " replicates = " << sweep.runs() << " runs";
    if (a.slice.count > 1) std::cerr << "; shard " << shard_text(a.slice.index, a.slice.count);
    std::cerr << "; " << info.done + info.failed << " of " << info.rows << " done, " << info.pending
              << " to run on ";
    if (ranks > 1) std::cerr << ranks << " MPI ranks x ";
    std::cerr << a.threads << " threads\n";
}

Sweep load(const SweepArgs& a) {
    Sweep sweep = load_sweep(a.sweep_file);
    if (a.slice.count > sweep.runs())
        throw InputError("sesim sweep: --shard " + shard_text(a.slice.index, a.slice.count) +
                         ": the sweep has only " + std::to_string(sweep.runs()) +
                         " runs; use at most that many shards");
    return sweep;
}

// Before anything is written: the output path is usable, is none of the files the sweep reads
// (and neither is its working file), and no other process writes it. The lock is held until
// the sweep is committed or stopped; it closes the race of two simultaneous --resume.
int sweep_claimed(const SweepArgs& a, const Sweep& sweep, const std::string& command_line);

OutputLock claim_output(const SweepArgs& a, const Sweep& sweep) {
    check_output_path(a.out);
    std::vector<fs::path> inputs(sweep.files.begin(), sweep.files.end());
    inputs.push_back(a.sweep_file);
    refuse_output_onto_inputs(a.out, inputs, "sesim sweep",
                              {fs::path(a.out.string() + ".partial")});
    OutputLock lock(a.out, "sesim sweep");
    remove_stale_temporaries(a.out, std::cerr);
    return lock;
}

// A failed write names the output and what happened to the saved runs.
[[noreturn]] void rethrow_write_error(const SweepArgs& a, const RunError& e) {
    const fs::path partial = fs::path(a.out.string() + ".partial");
    std::error_code ec;
    throw RunError("sesim sweep: writing " + a.out.string() + " failed: " + e.what() +
                   (fs::exists(partial, ec) ? "; the runs saved so far are kept in " +
                                                  partial.string() + " (continue with --resume)"
                                            : "; nothing was written"));
}

int sweep_local(const SweepArgs& a, const std::string& command_line) {
    const Sweep sweep = load(a);
    install_stop_handlers();
    const OutputLock lock = claim_output(a, sweep);
    try {
        return sweep_claimed(a, sweep, command_line);
    } catch (const RunError& e) {
        rethrow_write_error(a, e);
    }
}

// The sweep, once the output is claimed.
int sweep_claimed(const SweepArgs& a, const Sweep& sweep, const std::string& command_line) {
    const Start start = prepare(a, sweep, command_line);
    if (start == Start::complete) {
        std::cerr << "sesim sweep: " << a.out.string() << " is complete; nothing to resume\n";
        return kExitOk;
    }
    if (a.resume && start == Start::fresh && !a.quiet)
        std::cerr << "sesim sweep: nothing to resume in " << a.out.string()
                  << ".partial; starting the sweep\n";
    SweepFile file(fs::path(a.out.string() + ".partial"));
    announce(a, sweep, file.info(), 1, "sesim sweep");
    Progress progress("sesim sweep", static_cast<int>(file.info().pending),
                      a.quiet ? Progress::Mode::quiet : Progress::Mode::automatic);
    SweepOptions opt;
    opt.threads = a.threads;
    opt.checkpoint_seconds = a.checkpoint;
    opt.stop = &g_stop;
    opt.progress = [&](std::int64_t done, std::int64_t failed) {
        progress.update(static_cast<int>(done + failed));
    };
    const SweepOutcome oc = run_sweep(sweep, a.slice, file, opt);
    progress.finish();
    return finish(a, file, oc, command_line, "sesim sweep");
}

#ifdef SESIM_WITH_MPI
int sweep_mpi(const SweepArgs& a, const std::string& command_line) {
    mpi::Session session;
    if (session.size() == 1) return sweep_local(a, command_line);
    const bool root = session.rank() == 0;
    const std::string label = "sesim sweep (rank " + std::to_string(session.rank()) + ")";

    // Every rank reads the sweep file; rank 0 also prepares the output file. A failure anywhere
    // stops every rank before any work starts; rank 0 reports its own failure, another rank
    // reports one that rank 0 did not have (a file missing on that node, say).
    Sweep sweep;
    Start start = Start::fresh;
    std::exception_ptr error;
    std::optional<OutputLock> lock;  // rank 0's, held to the end
    install_stop_handlers();
    try {
        sweep = load(a);
        if (root) {
            lock.emplace(claim_output(a, sweep));
            start = prepare(a, sweep, command_line);
        }
    } catch (...) {
        error = std::current_exception();
    }
    const bool root_ok = mpi::broadcast(root && !error ? "1" : (root ? "0" : "")) == "1";
    bool ok = mpi::all(!error);
    if (ok) {
        const std::string def = mpi::broadcast(root ? sweep.definition() : std::string());
        const bool same = def == sweep.definition();
        if (!mpi::all(same)) {
            if (!same)
                error = std::make_exception_ptr(InputError(
                    label + ": read a different sweep definition from " + a.sweep_file.string() +
                    " than rank 0; every rank must see the same files"));
            ok = false;
        }
    }
    if (!ok) {
        if (error && (root || root_ok)) std::rethrow_exception(error);
        if (root)
            throw InputError(
                "sesim sweep: another MPI rank could not start the sweep; see its "
                "message above");
        return kExitInput;
    }
    const bool complete = mpi::broadcast(root && start == Start::complete ? "1" : "0") == "1";
    if (complete) {
        if (root)
            std::cerr << "sesim sweep: " << a.out.string() << " is complete; nothing to resume\n";
        return kExitOk;
    }

    SweepOptions opt;
    opt.threads = a.threads;
    opt.checkpoint_seconds = a.checkpoint;
    opt.stop = &g_stop;
    if (!root) {
        try {
            mpi::run_sweep(sweep, a.slice, nullptr, opt);
        } catch (const std::exception& e) {
            std::cerr << label << ": " << e.what() << "\n";
            mpi::abort_all(kExitRunError);
        }
        return kExitOk;
    }
    SweepFile file(fs::path(a.out.string() + ".partial"));
    announce(a, sweep, file.info(), session.size(), "sesim sweep");
    Progress progress("sesim sweep", static_cast<int>(file.info().pending),
                      a.quiet ? Progress::Mode::quiet : Progress::Mode::automatic);
    opt.progress = [&](std::int64_t done, std::int64_t failed) {
        progress.update(static_cast<int>(done + failed));
    };
    SweepOutcome oc;
    try {
        oc = mpi::run_sweep(sweep, a.slice, &file, opt);
    } catch (const std::exception& e) {
        // The file keeps every checkpointed run; the others are computed again on resume.
        std::cerr << label << ": " << e.what() << "\n";
        mpi::abort_all(kExitRunError);
    }
    progress.finish();
    return finish(a, file, oc, command_line, "sesim sweep", true);
}
#endif

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
    SweepArgs a;
    desc.add_options()("help,h", "show this help")(
        "output,o", po::value<std::string>()->value_name("FILE"), "sweep file (HDF5), required")(
        "resume", "continue OUT.h5.partial (or start it when there is none)")(
        "shard", po::value<std::string>()->value_name("I/N"),
        "run only shard I of N (0 <= I < N): runs I, I+N, I+2N...; for Slurm job arrays, "
        "joined by 'sesim merge'")("threads,t", po::value<int>()->value_name("N"),
                                   "OpenMP threads per process (default: OMP_NUM_THREADS, else "
                                   "all cores)")(
        "checkpoint", po::value<double>(&a.checkpoint)->default_value(5.0)->value_name("SECONDS"),
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
    if (!(a.checkpoint >= 0.1 && a.checkpoint <= 86400))
        throw InputError("sesim sweep: --checkpoint must be 0.1 to 86400 seconds");
    a.threads = omp_get_max_threads();
    if (vm.count("threads")) {
        const int n = vm["threads"].as<int>();
        if (n < 1 || n > 4096) throw InputError("sesim sweep: --threads must be 1 to 4096");
        a.threads = n;
    }
#ifdef SESIM_WITH_MPI
    if (mpi::launched()) return sweep_mpi(a, inv.command_line);
#endif
    return sweep_local(a, inv.command_line);
}

}  // namespace sesim::cli
