// `sesim run`: simulate scenarios x replicates and write one HDF5 result file.
#include <omp.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include "app/cli.hpp"
#include "model/errors.hpp"
#include "output/input_file.hpp"
#include "output/result_file.hpp"
#include "output/safe_write.hpp"
#include "solvers/parameter_draws.hpp"
#include "solvers/progress.hpp"
#include "solvers/runner.hpp"
#include "solvers/scenario_file.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sesim::cli {

namespace {
int write_runs(const po::variables_map& vm, const RunPlan& plan, const fs::path& out,
               const std::string& command_line, const std::optional<DrawRecord>& draws);
}  // namespace

int cmd_run(const Invocation& inv) {
    // First: a stop signal while the scenarios load must end through the clean-up paths
    // (exit 130), not kill the process.
    install_stop_handlers();
    po::options_description desc(
        "sesim run SCENARIO.ini [MORE.ini ...] -o OUT.h5 [options]\n\n"
        "Simulates each scenario for --replicates replicates and writes one HDF5 group per\n"
        "scenario. Replicate k of every scenario shares its random numbers, so differences\n"
        "between scenarios are the policies'. Options");
    int replicates = 0;
    long long seed = 0;
    desc.add_options()("help,h", "show this help")(
        "output,o", po::value<std::string>()->value_name("FILE"), "result file (HDF5), required")(
        "replicates,r", po::value<int>(&replicates)->default_value(100)->value_name("N"),
        "replicates per scenario")(
        "seed,s", po::value<long long>(&seed)->default_value(20190412)->value_name("S"),
        "random seed, 0 to 4294967295")(
        "set", po::value<std::vector<std::string>>()->composing()->value_name("NAME=VALUE"),
        "override a parameter in every scenario (repeatable)")(
        "threads,t", po::value<int>()->value_name("N"),
        "OpenMP threads (default: OMP_NUM_THREADS, else all cores)")("quiet,q",
                                                                     "no progress output")(
        "posterior", po::value<std::string>()->value_name("POSTERIOR.h5"),
        "parameter uncertainty: replicate k of every scenario uses a parameter vector drawn "
        "(keyed by seed and k) from this posterior of 'sesim calibrate'; levers are kept")(
        "priors", po::value<std::string>()->value_name("CALIBRATION.ini"),
        "the same with vectors drawn from the priors of a calibration file")(
        "replicates-per-draw", po::value<int>()->value_name("R"),
        "replicates that share one parameter draw (default 2), so that 'sesim compare' can "
        "split each effect's variance into parameters and noise")(
        "stats-only",
        "keep only the ensemble statistics (mean, sd, 5-95% quantiles per output and month), "
        "not the replicates: for very large ensembles; 'sesim compare' needs the replicates")(
        "totals-only",
        "keep every output summed over the regions only, not also per region (group "
        "<scenario>/regions): smaller files for geographies of many regions")(
        "scenario", po::value<std::vector<std::string>>()->value_name("FILE"), "scenario files");
    po::positional_options_description pos;
    pos.add("scenario", -1);
    const auto vm = parse("run", desc, pos, inv.args);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return kExitOk;
    }
    if (!vm.count("scenario"))
        throw InputError(
            "sesim run: no scenario file given.\nExample: sesim run scenarios/baseline.ini -o "
            "out.h5");
    if (!vm.count("output")) throw InputError("sesim run: no output file given; add -o FILE.h5");
    if (replicates < 1 || replicates > 1000000)
        throw InputError("sesim run: --replicates " + std::to_string(replicates) +
                         " is out of range; expected 1 to 1000000");
    if (seed < 0 || seed > 4294967295LL)
        throw InputError("sesim run: --seed " + std::to_string(seed) +
                         " is out of range; expected 0 to 4294967295");
    if (vm.count("threads")) {
        const int n = vm["threads"].as<int>();
        if (n < 1 || n > 4096) throw InputError("sesim run: --threads must be 1 to 4096");
        omp_set_num_threads(n);
    }

    const fs::path out = vm["output"].as<std::string>();
    const auto sets =
        vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};

    RunPlan plan;
    plan.replicates = replicates;
    plan.seed = static_cast<std::uint32_t>(seed);
    std::map<std::string, std::string> names;
    for (const auto& f : vm["scenario"].as<std::vector<std::string>>()) {
        Scenario sc = load_scenario(f, sets);
        if (auto it = names.find(sc.name); it != names.end())
            throw InputError("sesim run: scenarios '" + it->second + "' and '" + f +
                             "' have the same name '" + sc.name +
                             "'; give one of them another `name =` line");
        names.emplace(sc.name, f);
        plan.scenarios.push_back(std::move(sc));
    }
    std::optional<DrawRecord> draws;
    if (vm.count("posterior") && vm.count("priors"))
        throw InputError("sesim run: give --posterior or --priors, not both");
    if (vm.count("replicates-per-draw") && !vm.count("posterior") && !vm.count("priors"))
        throw InputError("sesim run: --replicates-per-draw needs --posterior or --priors");
    if (vm.count("posterior") || vm.count("priors")) {
        const int per_draw =
            vm.count("replicates-per-draw") ? vm["replicates-per-draw"].as<int>() : 2;
        if (per_draw < 1 || per_draw > replicates)
            throw InputError("sesim run: --replicates-per-draw must be 1 to --replicates (" +
                             std::to_string(replicates) + ")");
        const DrawSource src = vm.count("posterior")
                                   ? load_posterior_source(vm["posterior"].as<std::string>())
                                   : load_prior_source(vm["priors"].as<std::string>());
        const DrawPlan dp = add_parameter_draws(plan, src, per_draw);
        DrawRecord rec;
        rec.kind = src.kind;
        rec.path = src.path;
        rec.sha256 = src.sha256;
        rec.calibration_name = src.calibration_name;
        rec.created = src.created;
        rec.replicates_per_draw = per_draw;
        rec.names = src.names;
        for (const ParamKey* k : plan.drawn.keys) rec.keys.push_back(k->name);
        rec.values = plan.drawn.values;
        rec.draw_of_replicate = dp.draw_of_replicate;
        rec.particle_of_replicate = dp.particle_of_replicate;
        draws = std::move(rec);
    }
    // Handlers first: an interrupt while the probe or the temporary file exists must end
    // through the cleanup below, not kill the process and leave the file behind.
    install_stop_handlers();
    // Before any simulation: the folder must exist and be writable, the output must not be
    // one of the scenario files (or their bases), and no other process may be writing it.
    check_output_path(out);
    std::vector<fs::path> inputs;
    for (const Scenario& sc : plan.scenarios) {
        inputs.insert(inputs.end(), sc.files.begin(), sc.files.end());
        for (const Scenario::Table* t : {&sc.regions, &sc.buyers, &sc.links})
            if (!t->file.empty()) inputs.emplace_back(t->file);
    }
    if (vm.count("posterior")) inputs.emplace_back(vm["posterior"].as<std::string>());
    if (vm.count("priors")) inputs.emplace_back(vm["priors"].as<std::string>());
    refuse_output_onto_inputs(out, inputs, "sesim run");
    const OutputLock lock(out, "sesim run");
    remove_stale_temporaries(out, std::cerr);

    try {
        return write_runs(vm, plan, out, inv.command_line, draws);
    } catch (const RunError& e) {
        throw RunError("sesim run: " + std::string(e.what()) + "; nothing was written to " +
                       out.string() + " (the temporary file is removed)");
    }
}

namespace {

// The simulation and the writing, under the lock cmd_run holds.
int write_runs(const po::variables_map& vm, const RunPlan& plan, const fs::path& out,
               const std::string& command_line, const std::optional<DrawRecord>& draws) {
    ResultFile file(out, make_provenance(command_line, plan.seed, plan.replicates), plan.scenarios,
                    vm.count("stats-only") ? Keep::statistics_only : Keep::replicates,
                    vm.count("totals-only") ? Regions::totals_only : Regions::keep);

    Progress progress("sesim run", plan.runs(),
                      vm.count("quiet") ? Progress::Mode::quiet : Progress::Mode::automatic);
    const RunOutcome oc = run_plan(
        plan, [&](int s, int rep, const RunSeries& series) { file.write_run(s, rep, series); },
        &g_stop, [&](int done, int) { progress.update(done); });
    progress.finish();

    if (!oc.sink_error.empty()) throw RunError(oc.sink_error);
    if (oc.failed > 0) {
        for (const auto& f : oc.failures) std::cerr << "sesim run: failed: " << f << "\n";
        std::cerr << "sesim run: " << oc.failed << " of " << plan.runs()
                  << " runs failed; no file written to " << out.string() << "\n";
        return kExitRunError;
    }
    if (oc.interrupted || g_stop) {
        std::cerr << "sesim run: interrupted after " << oc.done << " of " << plan.runs()
                  << " runs; no file written to " << out.string() << "\n";
        return kExitInterrupted;
    }
    // Statistics after all runs: exact quantiles need every replicate of a month.
    if (!vm.count("quiet")) std::cerr << "sesim run: computing ensemble statistics\n";
    file.write_statistics();
    if (draws) file.write_parameter_draws(*draws);
    file.commit();
    if (!vm.count("quiet"))
        std::cerr << "sesim run: wrote " << (vm.count("stats-only") ? "the statistics of " : "")
                  << plan.scenarios.size() << " scenario(s) x " << plan.replicates
                  << " replicates to " << out.string() << "\n";
    return kExitOk;
}

}  // namespace

}  // namespace sesim::cli
