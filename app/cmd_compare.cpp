// `sesim compare`: the effect of every scenario of a result file against a baseline, from
// replicate-paired differences with 95% confidence intervals, at chosen dates, with the public
// money per extra target-group job and one plain-language sentence per scenario.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/cli.hpp"
#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/outputs.hpp"
#include "model/params.hpp"
#include "output/input_file.hpp"
#include "output/safe_write.hpp"
#include "output/stats.hpp"
#include "sesim_version.hpp"
#include "solvers/compare.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sesim::cli {

namespace {

constexpr double kLevel = 0.95;

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

// "a,b" and repeated options alike.
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

std::string month_range(const StoredScenario& s) {
    return format_month(s.start_month) + " to " + format_month(s.start_month + s.months - 1);
}

const StoredScenario& choose_baseline(const StoredFile& info, const fs::path& file,
                                      const std::string& requested) {
    std::string names;
    for (const auto& s : info.scenarios) names += (names.empty() ? "" : ", ") + s.name;
    if (info.scenarios.empty())
        throw InputError("sesim compare: " + in_quotes(file.string()) + " holds no scenarios");
    const std::string wanted =
        !requested.empty() ? requested
        : std::any_of(info.scenarios.begin(), info.scenarios.end(),
                      [](const StoredScenario& s) { return s.name == "baseline"; })
            ? "baseline"
            : info.scenarios.front().name;
    for (const auto& s : info.scenarios)
        if (s.name == wanted) return s;
    throw InputError("sesim compare: " + in_quotes(file.string()) + " has no scenario " +
                     in_quotes(wanted) + " to use as baseline; it holds: " + names +
                     ". Choose one with --baseline NAME");
}

// The dates asked for, or by default 2030-12 and the last December simulated (the last month
// when no December is), each checked against the months every scenario covers.
std::vector<int> choose_dates(const std::vector<std::string>& asked, const StoredFile& info,
                              const StoredScenario& base) {
    int first = base.start_month;
    int last = base.start_month + base.months - 1;
    for (const auto& s : info.scenarios) last = std::min(last, s.start_month + s.months - 1);
    std::vector<int> dates;
    if (asked.empty()) {
        int december = last;
        while (december >= first && month_of(december) != 12) --december;
        if (december < first) december = last;
        const int y2030 = month_index(2030, 12);
        if (y2030 >= first && y2030 <= last) dates.push_back(y2030);
        dates.push_back(december);
    }
    for (const std::string& a : asked) {
        const auto m = parse_month(a);
        if (!m)
            throw InputError("sesim compare: --at " + in_quotes(a) +
                             " is not a month; write YYYY-MM, e.g. --at 2025-12,2030-12");
        for (const auto& s : info.scenarios)
            if (*m < s.start_month || *m > s.start_month + s.months - 1)
                throw InputError("sesim compare: date " + a +
                                 " is outside the months of scenario " + in_quotes(s.name) + " (" +
                                 month_range(s) + "); choose --at dates in that range");
        dates.push_back(*m);
    }
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    return dates;
}

std::vector<std::string> choose_outputs(const std::vector<std::string>& asked) {
    std::vector<std::string> out;
    if (asked.empty()) {
        for (const KeyOutcome& k : kKeyOutcomes) out.emplace_back(k.output);
        return out;
    }
    for (const std::string& a : asked) {
        const bool known = std::any_of(kOutputDefs.begin(), kOutputDefs.end(),
                                       [&](const OutputDef& d) { return d.name == a; });
        if (!known) {
            std::string best;
            std::size_t best_d = 1000;
            for (const OutputDef& d : kOutputDefs) {
                const std::size_t dist = edit_distance(a, d.name);
                if (dist < best_d) best_d = dist, best = std::string(d.name);
            }
            throw InputError("sesim compare: unknown output " + in_quotes(a) + "; did you mean " +
                             in_quotes(best) + "? Run 'sesim outputs' for the list");
        }
        if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    }
    return out;
}

std::string units_of(const std::string& output) {
    for (const OutputDef& d : kOutputDefs)
        if (d.name == output) return std::string(d.units);
    return "";
}

std::string percent(double x) {
    if (std::isnan(x)) return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.1f%%", 100.0 * x);
    return buf;
}

// Wraps `text` at `width` columns, every line indented by `indent`.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
    std::istringstream words(text);
    std::string word, line, out;
    while (words >> word) {
        if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
            out += indent + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) out += indent + line + "\n";
    return out;
}

std::string row_label(const Effect& e) {
    const std::string units = units_of(e.output);
    std::string label = outcome_label(e.output);
    if (units != "1")
        label += " (" + units + (e.cumulative ? ", cumulative)" : ")");
    else if (e.cumulative)
        label += " (cumulative)";
    return label;
}

void print_table(std::ostream& os, const ScenarioComparison& c) {
    os << "\n== " << c.scenario << (c.description.empty() ? "" : ": " + c.description) << "\n";
    constexpr const char* kCostLabel = "per extra target-group job";
    int width = static_cast<int>(std::string_view(kCostLabel).size());
    for (const Effect& e : c.effects)
        width = std::max(width, static_cast<int>(row_label(e).size()));
    char buf[512];
    std::snprintf(buf, sizeof buf, "  %-*s %-8s %10s %10s %10s  %-22s %8s\n", width, "outcome",
                  "date", "baseline", "scenario", "difference", "95% CI", "change");
    os << buf;
    for (const Effect& e : c.effects) {
        const std::string units = units_of(e.output);
        const std::string ci = "[" + format_number(e.difference.low, units, true) + ", " +
                               format_number(e.difference.high, units, true) + "]";
        std::snprintf(buf, sizeof buf, "  %-*s %-8s %10s %10s %10s  %-22s %8s\n", width,
                      row_label(e).c_str(), format_month(e.date).c_str(),
                      format_number(e.baseline_mean, units).c_str(),
                      format_number(e.scenario_mean, units).c_str(),
                      format_number(e.difference.mean, units, true).c_str(), ci.c_str(),
                      percent(e.relative).c_str());
        os << buf;
    }
    for (const CostPerJob& k : c.costs) {
        const std::string text = k.available ? "EUR " + format_number(k.per_job, "EUR") +
                                                   " additional public cost; EUR " +
                                                   format_number(k.redirected_per_job, "EUR") +
                                                   " of purchasing redirected to SEs"
                                             : "n/a: " + k.reason;
        std::snprintf(buf, sizeof buf, "  %-*s %-8s %s\n", width, kCostLabel,
                      format_month(k.date).c_str(), text.c_str());
        os << buf;
    }
    os << wrap(c.sentence, 100, "  ");
}

std::string csv_number(double x) {
    if (std::isnan(x)) return "";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

void write_csv(std::ostream& os, const std::string& baseline,
               const std::vector<ScenarioComparison>& all) {
    os << "scenario,baseline,output,label,units,measure,date,replicates,baseline_mean,"
          "scenario_mean,difference,ci_low,ci_high,relative_change,unpaired_ci_low,"
          "unpaired_ci_high,note\n";
    for (const ScenarioComparison& c : all) {
        for (const Effect& e : c.effects)
            os << c.scenario << ',' << baseline << ',' << e.output << ",\""
               << outcome_label(e.output) << "\"," << units_of(e.output) << ','
               << (e.cumulative ? "cumulative" : "at_date") << ',' << format_month(e.date) << ','
               << e.difference.n << ',' << csv_number(e.baseline_mean) << ','
               << csv_number(e.scenario_mean) << ',' << csv_number(e.difference.mean) << ','
               << csv_number(e.difference.low) << ',' << csv_number(e.difference.high) << ','
               << csv_number(e.relative) << ',' << csv_number(e.unpaired.low) << ','
               << csv_number(e.unpaired.high) << ",\n";
        for (const CostPerJob& k : c.costs) {
            const std::string note = k.available ? "" : "\"n/a: " + k.reason + "\"";
            os << c.scenario << ',' << baseline
               << ",additional_cost_per_extra_target_group_job,\"additional public cost "
                  "(programme cost + wage subsidy + SE price premium) per extra target-group "
                  "job\",EUR/FTE,ratio,"
               << format_month(k.date) << ',' << k.jobs.n << ",,," << csv_number(k.per_job)
               << ",,,,,," << note << '\n';
            os << c.scenario << ',' << baseline
               << ",redirected_spend_per_extra_target_group_job,\"public purchasing redirected "
                  "to SEs per extra target-group job\",EUR/FTE,ratio,"
               << format_month(k.date) << ',' << k.jobs.n << ",,,"
               << csv_number(k.redirected_per_job) << ",,,,,," << note << '\n';
        }
    }
}

}  // namespace

int cmd_compare(const Invocation& inv) {
    po::options_description desc(
        "sesim compare RESULTS.h5 [options]\n\n"
        "Compares every scenario of a result file with a baseline: for each key outcome, at\n"
        "each date, the mean difference over replicate pairs (replicate k of every scenario\n"
        "shares its random numbers) with its 95% confidence interval (Student t), the relative\n"
        "change, the additional public cost per extra target-group job, and one sentence per "
        "scenario.\n"
        "Stocks are compared in the month; flows summed from the first month through it.\n"
        "Options");
    desc.add_options()("help,h", "show this help")(
        "baseline,b", po::value<std::string>()->value_name("NAME"),
        "scenario to compare against (default: 'baseline' if present, else the first)")(
        "at", po::value<std::vector<std::string>>()->composing()->value_name("YYYY-MM,..."),
        "dates (default: 2030-12 if simulated, and the last December simulated)")(
        "outputs", po::value<std::vector<std::string>>()->composing()->value_name("NAME,..."),
        "outputs to compare (default: se_scaled, se_active, jobs_target_group, jobs_total, "
        "social_value, public_spend_se, programme_cost)")(
        "csv", po::value<std::string>()->value_name("FILE"),
        "also write every number to FILE as CSV ('-': standard output, instead of the table)")(
        "allow-version-mismatch",
        "compare a file written by another model version (its results may differ from this "
        "build's)")("file", po::value<std::string>()->value_name("FILE"), "result file");
    po::positional_options_description pos;
    pos.add("file", 1);
    const auto vm = parse("compare", desc, pos, inv.args);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return kExitOk;
    }
    if (!vm.count("file"))
        throw InputError(
            "sesim compare: no result file given.\nExample: sesim run scenarios/*.ini -o "
            "study.h5 && sesim compare study.h5");
    const fs::path file = vm["file"].as<std::string>();
    const auto list = [&](const char* name) {
        return vm.count(name) ? split_list(vm[name].as<std::vector<std::string>>())
                              : std::vector<std::string>{};
    };

    const std::string csv = vm.count("csv") ? vm["csv"].as<std::string>() : "";
    // The CSV's path is checked, claimed and compared with the result file before any reading:
    // `--csv study.h5` must not replace the study.
    std::optional<OutputLock> csv_lock;
    if (!csv.empty() && csv != "-") {
        try {
            check_output_path(csv);
        } catch (const InputError& e) {
            throw InputError("sesim compare: --csv: " + std::string(e.what()));
        }
        refuse_output_onto_inputs(csv, {file}, "sesim compare --csv");
        csv_lock.emplace(csv, "sesim compare --csv");
        remove_stale_temporaries(csv, std::cerr);
    }

    const StoredFile info = read_stored_file(file);
    if (info.model_version != SESIM_MODEL_VERSION) {
        const std::string msg = in_quotes(file.string()) + " was written by model version " +
                                std::to_string(info.model_version) + " (sesim " +
                                info.sesim_version + "); this sesim is model version " +
                                std::to_string(SESIM_MODEL_VERSION) +
                                ", whose results differ for the same inputs";
        if (!vm.count("allow-version-mismatch"))
            throw InputError("sesim compare: " + msg +
                             ". Rerun the scenarios with this sesim, or pass "
                             "--allow-version-mismatch to compare the file as it is");
        std::cerr << "sesim compare: warning: " << msg << "\n";
    }
    const StoredScenario& base =
        choose_baseline(info, file, vm.count("baseline") ? vm["baseline"].as<std::string>() : "");
    if (info.scenarios.size() < 2)
        throw InputError("sesim compare: " + in_quotes(file.string()) +
                         " holds only the scenario " + in_quotes(base.name) +
                         "; run the baseline and the policy scenarios into one file, e.g. sesim "
                         "run scenarios/*.ini -o study.h5");
    for (const auto& s : info.scenarios) {
        if (!s.has_replicates)
            throw InputError("sesim compare: scenario " + in_quotes(s.name) + " of " +
                             in_quotes(file.string()) +
                             " holds statistics only (written with --stats-only); paired "
                             "effects need the replicates: rerun without --stats-only");
        if (s.start_month != base.start_month)
            throw InputError("sesim compare: scenario " + in_quotes(s.name) + " starts in " +
                             format_month(s.start_month) + ", the baseline " +
                             in_quotes(base.name) + " in " + format_month(base.start_month) +
                             "; paired months must be the same months: run both with the "
                             "same start_month");
    }
    const std::vector<int> dates = choose_dates(list("at"), info, base);
    const std::vector<std::string> outputs = choose_outputs(list("outputs"));

    // Every output the table, the cost per job and the sentence need, per scenario.
    std::vector<std::string> needed = outputs;
    for (const std::string_view o : kCostOutputs)
        if (std::find(needed.begin(), needed.end(), o) == needed.end()) needed.emplace_back(o);
    std::vector<int> offsets;
    offsets.reserve(dates.size());
    for (const int d : dates) offsets.push_back(d - base.start_month);
    const auto read = [&](const StoredScenario& s) {
        Samples out;
        for (const std::string& o : needed)
            out[o] = read_replicates_at(file, s.name, o, offsets, is_cumulative(o));
        return out;
    };

    const Samples base_samples = read(base);
    std::vector<ScenarioComparison> all;
    for (const auto& s : info.scenarios) {
        if (s.name == base.name) continue;
        all.push_back(
            compare_scenario(s.name, s.description, base_samples, read(s), outputs, dates, kLevel));
    }

    if (csv != "-") {
        std::ostream& os = std::cout;
        const int n = all.empty() ? 0 : all.front().costs.front().jobs.n;
        os << "sesim compare " << file.string() << ": " << all.size() << " scenario(s) against "
           << in_quotes(base.name) << ", " << n << " paired replicates (seed " << info.seed
           << ", model version " << info.model_version << ")\n";
        os << wrap(
            "Difference = scenario minus baseline, averaged over replicate pairs "
            "(replicate k of every scenario shares its random numbers); 95% CI from the "
            "paired differences (Student t, " +
                std::to_string(std::max(n - 1, 0)) +
                " degrees of freedom). Stocks are the value in the month; flows are "
                "summed from " +
                format_month(base.start_month) +
                " through the month. Change is relative to the baseline mean.",
            100, "");
        for (const ScenarioComparison& c : all) print_table(os, c);
    }
    if (!csv.empty()) {
        if (csv == "-") {
            write_csv(std::cout, base.name, all);
        } else {
            // Written whole under a temporary name and renamed: a full disk leaves an existing
            // CSV as it was.
            AtomicTextFile out(csv);
            write_csv(out.stream(), base.name, all);
            try {
                out.commit();
            } catch (const RunError& e) {
                throw RunError("sesim compare: " + std::string(e.what()) + "; " + in_quotes(csv) +
                               " is unchanged");
            }
        }
    }
    return kExitOk;
}

}  // namespace sesim::cli
