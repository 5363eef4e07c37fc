// `sesim calibrate`: ABC-SMC calibration of a scenario's parameters to observed facts, into an
// HDF5 posterior (output/posterior_file.hpp). Checkpointed after every generation; --resume
// continues an interrupted calibration to the same result. See docs/uncertainty.md.
#include <omp.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/cli.hpp"
#include "model/errors.hpp"
#include "output/result_file.hpp"
#include "solvers/calibration.hpp"
#include "solvers/compare.hpp"
#include "solvers/progress.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sesim::cli {

namespace {

std::string num(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", x);
    return buf;
}

std::string duration(double s) {
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%.1fh", s / 3600);
    else if (s >= 60)
        std::snprintf(buf, sizeof buf, "%.1fmin", s / 60);
    else
        std::snprintf(buf, sizeof buf, "%.0fs", s);
    return buf;
}

void print_summary(std::ostream& os, const CalibrationFile& cal, const PosteriorData& d) {
    const std::vector<double> w = d.weights();
    os << "sesim calibrate: " << d.generation + 1 << " generations, " << d.runs
       << " runs; stopped: " << d.stop_reason << "\n";
    const auto& h = d.history.back();
    os << "  final tolerance " << num(h.tolerance) << ", acceptance rate " << num(h.acceptance_rate)
       << ", effective sample size " << num(effective_sample_size(w)) << " of " << w.size()
       << " particles\n\n";
    char buf[512];
    std::snprintf(buf, sizeof buf, "  %-34s %-38s %10s %10s %10s %10s\n", "parameter", "prior",
                  "mean", "q05", "median", "q95");
    os << buf;
    for (std::size_t k = 0; k < d.parameters.size(); ++k) {
        std::vector<double> x(w.size());
        double mean = 0;
        for (std::size_t i = 0; i < w.size(); ++i) {
            x[i] = d.particles(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k));
            mean += w[i] * x[i];
        }
        std::snprintf(
            buf, sizeof buf, "  %-34s %-38s %10s %10s %10s %10s\n", d.parameters[k].c_str(),
            d.priors[k].c_str(), num(mean).c_str(), num(weighted_quantile(x, w, 0.05)).c_str(),
            num(weighted_quantile(x, w, 0.5)).c_str(), num(weighted_quantile(x, w, 0.95)).c_str());
        os << buf;
    }
    const bool pred = d.predictive.size() > 0;
    os << "\n  targets against the posterior " << (pred ? "predictive" : "particles' statistics")
       << " (weighted median and 90% interval):\n";
    std::snprintf(buf, sizeof buf, "  %-28s %12s %12s %12s %12s\n", "target", "observed", "median",
                  "q05", "q95");
    os << buf;
    const Eigen::MatrixXd& m = pred ? d.predictive : d.statistics;
    for (std::size_t k = 0; k < d.targets.size(); ++k) {
        std::vector<double> x(w.size());
        for (std::size_t i = 0; i < w.size(); ++i)
            x[i] = m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k));
        std::snprintf(buf, sizeof buf, "  %-28s %12s %12s %12s %12s\n", d.targets[k].c_str(),
                      num(d.observed[k]).c_str(), num(weighted_quantile(x, w, 0.5)).c_str(),
                      num(weighted_quantile(x, w, 0.05)).c_str(),
                      num(weighted_quantile(x, w, 0.95)).c_str());
        os << buf;
    }
    (void)cal;
}

}  // namespace

int cmd_calibrate(const Invocation& inv) {
    po::options_description desc(
        "sesim calibrate CALIBRATION.ini -o POSTERIOR.h5 [options]\n\n"
        "Calibrates the priors of a calibration file to its targets by ABC-SMC (adaptive\n"
        "population Monte Carlo, Lenormand et al. 2013) and writes the weighted posterior\n"
        "particles, each generation's tolerance, acceptance rate and effective sample size and\n"
        "a posterior predictive check to POSTERIOR.h5. Checkpoints after every generation to\n"
        "POSTERIOR.h5.checkpoint; --resume continues from it to the same result. The same seed\n"
        "gives the same posterior at any thread count. See docs/uncertainty.md. Options");
    long long seed = -1;
    desc.add_options()("help,h", "show this help")("output,o",
                                                   po::value<std::string>()->value_name("FILE"),
                                                   "posterior file (HDF5), required")(
        "resume", "continue an interrupted calibration from FILE.checkpoint")(
        "seed,s", po::value<long long>(&seed)->value_name("S"),
        "random seed (default: the file's `seed`, else 20190412)")(
        "threads,t", po::value<int>()->value_name("N"),
        "OpenMP threads (default: OMP_NUM_THREADS, else all cores)")(
        "population", po::value<int>()->value_name("N"), "override the file's population")(
        "max-runs", po::value<long long>()->value_name("N"), "override the file's run budget")(
        "replicates", po::value<int>()->value_name("N"), "override the file's runs per particle")(
        "quiet,q", "no progress output")("file", po::value<std::string>()->value_name("FILE"),
                                         "calibration file");
    po::positional_options_description pos;
    pos.add("file", 1);
    const auto vm = parse("calibrate", desc, pos, inv.args);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return kExitOk;
    }
    if (!vm.count("file"))
        throw InputError(
            "sesim calibrate: no calibration file given.\nExample: sesim calibrate "
            "scenarios/calibration/facts.ini -o posterior.h5");
    if (!vm.count("output"))
        throw InputError("sesim calibrate: no output file given; add -o POSTERIOR.h5");
    if (vm.count("threads")) {
        const int n = vm["threads"].as<int>();
        if (n < 1 || n > 4096) throw InputError("sesim calibrate: --threads must be 1 to 4096");
        omp_set_num_threads(n);
    }
    CalibrationFile cal = load_calibration(vm["file"].as<std::string>());
    CalibrationSettings& st = cal.settings;
    if (vm.count("seed")) {
        if (seed < 0 || seed > 4294967295LL)
            throw InputError("sesim calibrate: --seed must be 0 to 4294967295");
        st.seed = static_cast<std::uint32_t>(seed);
    }
    if (vm.count("population")) {
        st.population = vm["population"].as<int>();
        if (st.population < 8 || st.population > 1000000)
            throw InputError("sesim calibrate: --population must be 8 to 1000000");
    }
    if (vm.count("replicates")) {
        st.replicates = vm["replicates"].as<int>();
        if (st.replicates < 1 || st.replicates > 1000)
            throw InputError("sesim calibrate: --replicates must be 1 to 1000");
    }
    if (vm.count("max-runs")) {
        st.max_runs = vm["max-runs"].as<long long>();
        if (st.max_runs < 1) throw InputError("sesim calibrate: --max-runs must be at least 1");
    }
    if (st.max_runs < static_cast<std::int64_t>(st.population) * st.replicates)
        throw InputError("sesim calibrate: the run budget (" + std::to_string(st.max_runs) +
                         ") is smaller than the first generation (population x replicates = " +
                         std::to_string(static_cast<std::int64_t>(st.population) * st.replicates) +
                         "); raise max_runs or lower the population");

    const fs::path out = vm["output"].as<std::string>();
    ResultFile::check_writable(out);
    fs::path checkpoint = out;
    checkpoint += ".checkpoint";
    std::error_code ec;
    AbcState start;
    if (vm.count("resume")) {
        if (!fs::exists(checkpoint, ec))
            throw InputError("sesim calibrate --resume: no checkpoint " + checkpoint.string() +
                             " to resume from; run without --resume to start");
        start = resume_state(cal, read_posterior(checkpoint), checkpoint.string());
    } else if (fs::exists(checkpoint, ec)) {
        throw InputError("sesim calibrate: " + checkpoint.string() +
                         " holds an interrupted calibration; continue it with --resume, or "
                         "delete it to start afresh");
    }

    install_stop_handlers();
    const bool quiet = vm.count("quiet") > 0;
    const AbcProblem problem = calibration_problem(cal);
    const AbcSettings settings = abc_settings(st);
    if (!quiet)
        std::cerr << "sesim calibrate: " << cal.name << ": " << cal.parameters.size()
                  << " parameters, " << cal.targets.size() << " targets, population "
                  << st.population << " (" << settings.kept() << " kept per generation), "
                  << st.replicates << " runs per particle of " << cal.horizon << " months, budget "
                  << st.max_runs << " runs, seed " << st.seed
                  << (start.generation >= 0
                          ? ", resuming after generation " + std::to_string(start.generation)
                          : std::string())
                  << "\n";

    std::unique_ptr<Progress> bar;
    int bar_generation = -2;
    const auto t0 = std::chrono::steady_clock::now();
    const std::int64_t runs0 = start.runs;
    const auto progress = [&](int gen, int done, int total) {
        if (gen != bar_generation) {
            if (bar) bar->finish();
            bar_generation = gen;
            bar = std::make_unique<Progress>(
                gen < 0 ? "sesim calibrate: posterior predictive"
                        : "sesim calibrate: generation " + std::to_string(gen),
                total, quiet ? Progress::Mode::quiet : Progress::Mode::automatic);
        }
        bar->update(done);
    };
    const auto after = [&](const AbcState& s) {
        write_posterior(checkpoint, posterior_data(cal, s, inv.command_line));
        if (bar) bar->finish();
        bar.reset();
        bar_generation = -2;
        if (quiet) return;
        const GenerationSummary& g = s.history.back();
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const double rate = static_cast<double>(s.runs - runs0) / std::max(secs, 1e-9);
        const double left = static_cast<double>(st.max_runs - s.runs) / std::max(rate, 1e-9);
        std::cerr << "sesim calibrate: generation " << g.generation << ": tolerance "
                  << num(g.tolerance) << ", acceptance " << num(g.acceptance_rate) << ", ESS "
                  << num(g.ess) << ", runs " << s.runs << "/" << st.max_runs << " (" << num(rate)
                  << " runs/s; at most " << duration(left) << " left within the budget)\n";
    };
    AbcState s = run_abc(problem, settings, start, after, &g_stop, progress);
    if (bar) bar->finish();
    bar.reset();
    if (!s.finished || g_stop) {
        std::cerr << "sesim calibrate: interrupted; " << s.generation + 1
                  << " generation(s) are in " << checkpoint.string()
                  << "; continue with the same command and --resume. " << out.string()
                  << " was not written\n";
        return kExitInterrupted;
    }
    PosteriorData data = posterior_data(cal, s, inv.command_line);
    if (st.predictive_replicates > 0) {
        data.predictive = posterior_predictive(cal, s.particles, &g_stop, progress);
        if (bar) bar->finish();
        if (g_stop) {
            std::cerr << "sesim calibrate: interrupted in the posterior predictive runs; "
                         "continue with --resume. "
                      << out.string() << " was not written\n";
            return kExitInterrupted;
        }
    }
    write_posterior(out, data);
    fs::remove(checkpoint, ec);
    if (!quiet) {
        print_summary(std::cerr, cal, data);
        std::cerr << "sesim calibrate: wrote " << out.string() << "\n";
    }
    return kExitOk;
}

}  // namespace sesim::cli
