#include "solvers/compare_file.hpp"

#include <algorithm>
#include <sstream>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/outputs.hpp"
#include "model/params.hpp"
#include "output/read_file.hpp"
#include "sesim_version.hpp"

namespace fs = std::filesystem;

namespace sesim {

namespace {

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

std::string month_range(const StoredScenario& s) {
    return format_month(s.start_month) + " to " + format_month(s.start_month + s.months - 1);
}

std::size_t choose_baseline(const StoredFile& info, const fs::path& file,
                            const FileComparisonRequest& req) {
    std::string names;
    for (const auto& s : info.scenarios) names += (names.empty() ? "" : ", ") + s.name;
    if (info.scenarios.empty())
        throw InputError(req.command + ": " + in_quotes(file.string()) + " holds no scenarios");
    const bool has_baseline =
        std::any_of(info.scenarios.begin(), info.scenarios.end(),
                    [](const StoredScenario& s) { return s.name == "baseline"; });
    if (req.baseline.empty() && !has_baseline && req.require_baseline)
        throw InputError(req.command + ": " + in_quotes(file.string()) +
                         " has no scenario named 'baseline'; it holds: " + names +
                         ". Say which one the policies are compared with: --baseline NAME");
    const std::string wanted = !req.baseline.empty() ? req.baseline
                               : has_baseline        ? "baseline"
                                                     : info.scenarios.front().name;
    for (std::size_t i = 0; i < info.scenarios.size(); ++i)
        if (info.scenarios[i].name == wanted) return i;
    throw InputError(req.command + ": " + in_quotes(file.string()) + " has no scenario " +
                     in_quotes(wanted) + " to use as baseline; it holds: " + names +
                     ". Choose one with --baseline NAME");
}

// The dates asked for, or by default 2030-12 and the last December simulated (the last month
// when no December is), each checked against the months every scenario covers.
std::vector<int> choose_dates(const FileComparisonRequest& req, const StoredFile& info,
                              const StoredScenario& base) {
    int first = base.start_month;
    int last = base.start_month + base.months - 1;
    for (const auto& s : info.scenarios) last = std::min(last, s.start_month + s.months - 1);
    std::vector<int> dates;
    if (req.at.empty()) {
        int december = last;
        while (december >= first && month_of(december) != 12) --december;
        if (december < first) december = last;
        const int y2030 = month_index(2030, 12);
        if (y2030 >= first && y2030 <= last) dates.push_back(y2030);
        dates.push_back(december);
    }
    for (const std::string& a : req.at) {
        const auto m = parse_month(a);
        if (!m)
            throw InputError(req.command + ": --at " + in_quotes(a) +
                             " is not a month; write YYYY-MM, e.g. --at 2025-12,2030-12");
        for (const auto& s : info.scenarios)
            if (*m < s.start_month || *m > s.start_month + s.months - 1)
                throw InputError(req.command + ": date " + a + " is outside the months of " +
                                 "scenario " + in_quotes(s.name) + " (" + month_range(s) +
                                 "); choose --at dates in that range");
        dates.push_back(*m);
    }
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    return dates;
}

std::vector<std::string> choose_outputs(const FileComparisonRequest& req) {
    std::vector<std::string> out;
    if (req.outputs.empty()) {
        for (const KeyOutcome& k : kKeyOutcomes) out.emplace_back(k.output);
        return out;
    }
    for (const std::string& a : req.outputs) {
        const bool known = std::any_of(kOutputDefs.begin(), kOutputDefs.end(),
                                       [&](const OutputDef& d) { return d.name == a; });
        if (!known) {
            std::string best;
            std::size_t best_d = 1000;
            for (const OutputDef& d : kOutputDefs) {
                const std::size_t dist = edit_distance(a, d.name);
                if (dist < best_d) best_d = dist, best = std::string(d.name);
            }
            throw InputError(req.command + ": unknown output " + in_quotes(a) + "; did you mean " +
                             in_quotes(best) + "? Run 'sesim outputs' for the list");
        }
        if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    }
    return out;
}

}  // namespace

std::vector<std::string> split_list(const std::vector<std::string>& args) {
    std::vector<std::string> out;
    for (const std::string& a : args) {
        std::stringstream ss(a);
        std::string item;
        while (std::getline(ss, item, ','))
            if (!item.empty()) out.push_back(item);
    }
    return out;
}

// The parameter draws a result file records (output/result_file.hpp, write_parameter_draws).
ParameterInfo read_parameter_info(const fs::path& file, const std::string& group, int replicates,
                                  const std::string& command) {
    ParameterInfo p;
    try {
        const RecordedDraws d = read_recorded_draws(file, group);
        if (d.kind.empty()) return p;
        p.kind = d.kind;
        p.source = d.source;
        p.calibration = d.calibration;
        p.per_draw = d.per_draw;
        if (d.rows != static_cast<std::size_t>(replicates))
            throw InputError(command + ": " + in_quotes(file.string()) + ": " + group +
                             "/drawn_parameters has " + std::to_string(d.rows) + " rows for " +
                             std::to_string(replicates) + " replicates; the file is damaged");
        p.worlds = worlds_from_draws(d.values, d.rows, d.cols);
        p.worlds.source = d.kind + " " + p.source;
    } catch (const RunError& e) {
        throw InputError(command + ": " + std::string(e.what()) +
                         "; the file's parameter draws cannot be read: it is damaged");
    }
    return p;
}

FileComparison compare_file(const fs::path& file, const FileComparisonRequest& req) {
    FileComparison fc;
    fc.info = read_stored_file(file);
    const StoredFile& info = fc.info;
    if (info.model_version != SESIM_MODEL_VERSION) {
        const std::string msg = in_quotes(file.string()) + " was written by model version " +
                                std::to_string(info.model_version) + " (sesim " +
                                info.sesim_version + "); this sesim is model version " +
                                std::to_string(SESIM_MODEL_VERSION) +
                                ", whose results differ for the same inputs";
        if (!req.allow_version_mismatch)
            throw InputError(req.command + ": " + msg +
                             ". Rerun the scenarios with this sesim, or pass "
                             "--allow-version-mismatch to use the file as it is");
        fc.warnings.push_back(msg);
    }
    fc.baseline = choose_baseline(info, file, req);
    const StoredScenario& base = fc.base();
    if (info.scenarios.size() < 2)
        throw InputError(req.command + ": " + in_quotes(file.string()) +
                         " holds only the scenario " + in_quotes(base.name) +
                         "; run the baseline and the policy scenarios into one file, e.g. sesim "
                         "run scenarios/*.ini -o study.h5");
    for (const auto& s : info.scenarios) {
        if (!s.has_replicates)
            throw InputError(req.command + ": scenario " + in_quotes(s.name) + " of " +
                             in_quotes(file.string()) +
                             " holds statistics only (written with --stats-only); paired "
                             "effects need the replicates: rerun without --stats-only");
        if (s.start_month != base.start_month)
            throw InputError(req.command + ": scenario " + in_quotes(s.name) + " starts in " +
                             format_month(s.start_month) + ", the baseline " +
                             in_quotes(base.name) + " in " + format_month(base.start_month) +
                             "; paired months must be the same months: run both with the "
                             "same start_month");
    }
    fc.dates = choose_dates(req, info, base);
    fc.outputs = choose_outputs(req);

    // Every output the table, the cost per job and the sentence need, per scenario.
    std::vector<std::string> needed = fc.outputs;
    for (const std::string_view o : kCostOutputs)
        if (std::find(needed.begin(), needed.end(), o) == needed.end()) needed.emplace_back(o);
    std::vector<int> offsets;
    for (const int d : fc.dates) offsets.push_back(d - base.start_month);
    // One region instead of the totals: its index in every scenario's region coordinate
    // (scenarios of one file may differ in geography, so each is looked up).
    fc.region = req.region;
    const auto region_of = [&](const StoredScenario& s) {
        if (req.region.empty()) return -1;
        const std::vector<std::string> keys = stored_regions(file, s.name);
        if (keys.empty())
            throw InputError(req.command + ": scenario " + in_quotes(s.name) + " of " +
                             in_quotes(file.string()) +
                             " keeps totals only (no per-region outputs); rerun it without "
                             "--totals-only to compare a region");
        const auto it = std::find(keys.begin(), keys.end(), req.region);
        if (it == keys.end()) {
            std::string best = keys.front();
            for (const std::string& k : keys)
                if (edit_distance(req.region, k) < edit_distance(req.region, best)) best = k;
            throw InputError(req.command + ": scenario " + in_quotes(s.name) + " has no region " +
                             in_quotes(req.region) + "; did you mean " + in_quotes(best) +
                             "? (--region takes a region key, or 'all' for one table per region)");
        }
        return static_cast<int>(it - keys.begin());
    };
    const auto read = [&](const StoredScenario& s) {
        Samples out;
        const int region = region_of(s);
        for (const std::string& o : needed)
            out[o] = read_replicates_at(file, s.name, o, offsets, is_cumulative(o), kBlockValues,
                                        region);
        return out;
    };

    // Parameter uncertainty: the worlds are the baseline's replicates grouped by their drawn
    // parameter values (every scenario of the file shares the draws of replicate k).
    fc.parameters = read_parameter_info(file, base.name, info.replicates, req.command);
    const Worlds* worlds = fc.parameters.worlds.empty() ? nullptr : &fc.parameters.worlds;
    const Samples base_samples = read(base);
    std::vector<Samples> policy_samples;
    policy_samples.reserve(info.scenarios.size());
    std::vector<std::pair<std::string, const Samples*>> policies;
    for (const auto& s : info.scenarios) {
        if (s.name == base.name) continue;
        policy_samples.push_back(read(s));
        fc.scenarios.push_back(compare_scenario(s.name, s.description, base_samples,
                                                policy_samples.back(), fc.outputs, fc.dates,
                                                req.level, worlds));
        policies.emplace_back(s.name, &policy_samples.back());
    }
    // Rank probabilities over several policies, on the seed of the file (keyed resamples).
    if (policies.size() >= 2)
        fc.ranks = rank_policies(base_samples, policies, fc.outputs, fc.dates, worlds, info.seed);
    return fc;
}

}  // namespace sesim
