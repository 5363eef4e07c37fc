// Running a plan: scenarios x replicates, in parallel with OpenMP. Every run is a pure function
// of (scenario parameters, seed, replicate), so the plan can be cut and computed anywhere in
// any order; the runner only decides the order and hands finished runs to a sink.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/outputs.hpp"
#include "model/scenario.hpp"

namespace sesim {

// Parameter values that differ between replicates (sesim run --posterior / --priors,
// solvers/parameter_draws.hpp): run (s, k) uses scenarios[s].params with keys[j] set to
// values[s][k * keys.size() + j], except where that value is NaN: there the scenario keeps
// its own value (one of its levers).
struct ReplicateParameters {
    std::vector<const ParamKey*> keys;
    std::vector<std::vector<double>> values;  // [scenario][replicate * keys.size() + key]
    bool empty() const { return keys.empty(); }
};

struct RunPlan {
    std::vector<Scenario> scenarios;
    int replicates = 100;
    std::uint32_t seed = 20190412;  // default: the date of the Zwolle meets Haarlem session
    ReplicateParameters drawn;      // empty: every replicate uses the scenario's parameters

    int runs() const { return static_cast<int>(scenarios.size()) * replicates; }
    // The parameters of run (scenario, replicate).
    Params params(int scenario, int replicate) const;
};

struct RunOutcome {
    int done = 0;
    int failed = 0;
    std::vector<std::string> failures;  // "scenario replicate k: message"
    bool interrupted = false;
    // The sink's first failure (a write to a full disk), which stopped the plan; "" if none.
    std::string sink_error;
};

// Called once per finished run, never concurrently (the runner serialises calls).
using RunSink = std::function<void(int scenario, int replicate, const RunSeries& series)>;
// Called after each finished run with (done, total); serialised like the sink.
using ProgressFn = std::function<void(int done, int total)>;

// Runs every (scenario, replicate) of the plan. Replicate k of every scenario uses the same
// random numbers (key: seed, k), so differences between scenarios are the policies'.
// Checks `stop` before starting each run: when it is set, runs under way finish and no new
// run starts (outcome.interrupted). A run that throws is counted as failed; the others go on.
RunOutcome run_plan(const RunPlan& plan, const RunSink& sink,
                    const std::atomic<bool>* stop = nullptr, const ProgressFn& progress = {});

}  // namespace sesim
