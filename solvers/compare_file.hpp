// A whole result file compared with its baseline: the choice of baseline, dates and outputs,
// the checks that pairing is possible, the reading of the per-replicate samples and
// compare_scenario() for every other scenario. `sesim compare` and `sesim report` both call
// this, so the table in the terminal, the CSV and the report page hold the same numbers by
// construction.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "output/read_file.hpp"
#include "solvers/compare.hpp"

namespace sesim {

struct FileComparisonRequest {
    std::string command = "sesim compare";  // prefix of every error message
    std::string baseline;                   // empty: 'baseline' if present, else the first
    std::vector<std::string> at;            // "YYYY-MM"; empty: 2030-12 and the last December
    std::vector<std::string> outputs;       // empty: kKeyOutcomes
    bool allow_version_mismatch = false;
    // Without --baseline, refuse a file that has no scenario named 'baseline' instead of
    // taking the first (a page that says "against the baseline" must not guess which).
    bool require_baseline = false;
    double level = 0.95;
    // A region key: compare that region's outputs (the per-region group of each scenario)
    // instead of the totals. Empty: the totals.
    std::string region;
};

// The parameter draws a result file records (`sesim run --posterior/--priors`,
// output/result_file.hpp write_parameter_draws): empty worlds for a noise-only file.
struct ParameterInfo {
    std::string kind;  // "" for noise-only files, else "posterior" or "priors"
    std::string source;
    std::string calibration;
    int per_draw = 1;
    Worlds worlds;
};
ParameterInfo read_parameter_info(const std::filesystem::path& file, const std::string& group,
                                  int replicates, const std::string& command = "sesim compare");

struct FileComparison {
    StoredFile info;
    ParameterInfo parameters;  // worlds of a run with parameter uncertainty
    // Over several policies, the probability that each ranks first (empty with one policy).
    std::vector<RankProbabilities> ranks;
    std::size_t baseline = 0;  // index into info.scenarios
    std::vector<int> dates;    // absolute months, ascending
    std::vector<std::string> outputs;
    std::vector<ScenarioComparison> scenarios;  // every scenario but the baseline, file order
    std::vector<std::string> warnings;          // e.g. the model-version mismatch when allowed
    std::string region;                         // the region compared, empty for totals
    int pairs() const { return scenarios.empty() ? 0 : scenarios.front().costs.front().jobs.n; }
    const StoredScenario& base() const { return info.scenarios[baseline]; }
};

// Throws InputError (a sentence naming the file and what to do) when the file is not a
// result file, holds one scenario only, lacks the baseline, holds statistics only, has
// scenarios starting in different months, when a date is not a month or outside the
// simulated months, an output is unknown, or the model version differs (unless allowed).
FileComparison compare_file(const std::filesystem::path& file, const FileComparisonRequest& req);

// Comma-separated lists and repeated options alike: {"a,b", "c"} -> {"a", "b", "c"}.
std::vector<std::string> split_list(const std::vector<std::string>& args);

}  // namespace sesim
