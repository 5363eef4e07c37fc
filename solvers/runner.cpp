#include "solvers/runner.hpp"

#include <cmath>
#include <exception>

#include "model/model.hpp"

namespace sesim {

Params RunPlan::params(int scenario, int replicate) const {
    Params p = scenarios[static_cast<std::size_t>(scenario)].params;
    if (drawn.empty()) return p;
    const std::vector<double>& v = drawn.values[static_cast<std::size_t>(scenario)];
    const std::size_t row = static_cast<std::size_t>(replicate) * drawn.keys.size();
    for (std::size_t j = 0; j < drawn.keys.size(); ++j)
        if (!std::isnan(v[row + j])) drawn.keys[j]->set(p, v[row + j]);
    return p;
}

RunOutcome run_plan(const RunPlan& plan, const RunSink& sink, const std::atomic<bool>* stop,
                    const ProgressFn& progress) {
    RunOutcome out;
    const int total = plan.runs();
    const int n_scen = static_cast<int>(plan.scenarios.size());
    // A sink that cannot write (disk full) stops the plan: later runs would be lost as well.
    std::atomic<bool> sink_failed{false};
    // Replicate-major order (every scenario of replicate 0 first): a partial run already holds
    // complete pairs for comparison.
#pragma omp parallel for schedule(dynamic, 1)
    for (int k = 0; k < total; ++k) {
        if ((stop != nullptr && stop->load(std::memory_order_relaxed)) || sink_failed.load())
            continue;
        const int s = k % n_scen;
        const int rep = k / n_scen;
        std::string error;
        RunSeries series;
        try {
            series = simulate(plan.params(s, rep), plan.seed, static_cast<std::uint32_t>(rep));
        } catch (const std::exception& e) {
            error = e.what();
        }
#pragma omp critical(sesim_run_sink)
        {
            if (error.empty()) {
                try {
                    sink(s, rep, series);
                    ++out.done;
                } catch (const std::exception& e) {
                    error = std::string("could not store the run: ") + e.what();
                    if (!sink_failed) out.sink_error = e.what();
                    sink_failed = true;
                }
            }
            if (!error.empty()) {
                ++out.failed;
                out.failures.push_back(plan.scenarios[s].name + " replicate " +
                                       std::to_string(rep) + ": " + error);
            }
            if (progress) progress(out.done + out.failed, total);
        }
    }
    out.interrupted = out.done + out.failed < total;
    return out;
}

}  // namespace sesim
