// `sesim reproduce`: re-runs everything a result file records, from the file alone, and says
// whether every value comes out the same (exit 0), or where and by how much it does not
// (exit 1). A file that is not a readable sesim result is bad input (exit 2).
#include <omp.h>

#include <cmath>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "model/errors.hpp"
#include "solvers/progress.hpp"
#include "solvers/reproduce.hpp"

namespace po = boost::program_options;

namespace sesim::cli {

int cmd_reproduce(const Invocation& inv) {
    po::options_description desc(
        "sesim reproduce FILE.h5 [options]\n\n"
        "Re-runs every scenario and replicate that FILE.h5 records, from the file alone (its\n"
        "stored parameters, seed and replicate count; no scenario files needed), and compares\n"
        "every value with the stored one: the outputs, the ensemble statistics and the time\n"
        "coordinate. Prints 'identical', or per differing dataset the first differing element\n"
        "and the size of the differences. Exit code 0: identical (or within --tolerance);\n"
        "1: different; 2: not a readable sesim result file. See docs/reproducing.md. Options");
    int replicates = 0;
    desc.add_options()("help,h", "show this help")(
        "replicates,r", po::value<int>(&replicates)->value_name("N"),
        "re-run only the first N replicates of each scenario (quicker; the statistics, which "
        "summarise all replicates, are then not checked)")(
        "tolerance", po::value<double>()->value_name("REL"),
        "accept values whose relative difference is at most REL, for files from another model "
        "version or another C library (default: bit for bit)")(
        "threads,t", po::value<int>()->value_name("N"),
        "OpenMP threads (default: OMP_NUM_THREADS, else all cores); results do not depend on it")(
        "quiet,q", "no progress output")("file", po::value<std::string>()->value_name("FILE"),
                                         "result file of sesim run");
    po::positional_options_description pos;
    pos.add("file", 1);
    const auto vm = parse("reproduce", desc, pos, inv.args);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return kExitOk;
    }
    if (!vm.count("file"))
        throw InputError(
            "sesim reproduce: no result file given.\nExample: sesim reproduce results.h5");
    ReproduceOptions options;
    if (vm.count("replicates")) {
        if (replicates < 1)
            throw InputError("sesim reproduce: --replicates must be at least 1, got " +
                             std::to_string(replicates));
        options.replicates = replicates;
    }
    if (vm.count("tolerance")) {
        const double tol = vm["tolerance"].as<double>();
        if (!std::isfinite(tol) || tol < 0 || tol >= 1)
            throw InputError(
                "sesim reproduce: --tolerance is a relative difference from 0 to below 1, "
                "for example 1e-9");
        options.tolerance = tol;
    }
    if (vm.count("threads")) {
        const int n = vm["threads"].as<int>();
        if (n < 1 || n > 4096) throw InputError("sesim reproduce: --threads must be 1 to 4096");
        omp_set_num_threads(n);
    }
    const std::string file = vm["file"].as<std::string>();
    install_stop_handlers();

    std::unique_ptr<Progress> progress;
    const ReproduceReport report = reproduce_file(file, options, &g_stop, [&](int done, int total) {
        if (!progress)
            progress = std::make_unique<Progress>(
                "sesim reproduce", total,
                vm.count("quiet") ? Progress::Mode::quiet : Progress::Mode::automatic);
        progress->update(done);
    });
    if (progress) progress->finish();
    std::cout << "sesim reproduce " << file << "\n" << format_report(report, options);
    if (report.interrupted || g_stop) return kExitInterrupted;
    return report.agrees() && report.complete() ? kExitOk : kExitRunError;
}

}  // namespace sesim::cli
