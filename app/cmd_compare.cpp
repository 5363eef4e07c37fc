// `sesim compare`: the effect of every scenario of a result file against a baseline, from
// replicate-paired differences with 95% confidence intervals, at chosen dates, with the public
// money per extra target-group job and one plain-language sentence per scenario.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli.hpp"
#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/outputs.hpp"
#include "model/params.hpp"
#include "output/hdf5_file.hpp"
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

void print_table(std::ostream& os, const ScenarioComparison& c, bool with_parameters) {
    os << "\n== " << c.scenario << (c.description.empty() ? "" : ": " + c.description) << "\n";
    constexpr const char* kCostLabel = "per extra target-group job";
    int width = static_cast<int>(std::string_view(kCostLabel).size());
    for (const Effect& e : c.effects)
        width = std::max(width, static_cast<int>(row_label(e).size()));
    char buf[512];
    std::snprintf(buf, sizeof buf, "  %-*s %-8s %10s %10s %10s  %-22s %8s %7s%s\n", width,
                  "outcome", "date", "baseline", "scenario", "difference",
                  with_parameters ? "95% interval" : "95% CI", "change", "P(>0)",
                  with_parameters ? "  param. share" : "");
    os << buf;
    for (const Effect& e : c.effects) {
        const std::string units = units_of(e.output);
        const std::string ci = "[" + format_number(e.difference.low, units, true) + ", " +
                               format_number(e.difference.high, units, true) + "]";
        char p_pos[16];
        std::snprintf(p_pos, sizeof p_pos, "%.2f", e.p_positive);
        std::string share;
        if (with_parameters) {
            char b2[24];
            if (std::isnan(e.variance.parameter_share))
                std::snprintf(b2, sizeof b2, "  %13s", "n/a");
            else
                std::snprintf(b2, sizeof b2, "  %12.0f%%", 100 * e.variance.parameter_share);
            share = b2;
        }
        std::snprintf(buf, sizeof buf, "  %-*s %-8s %10s %10s %10s  %-22s %8s %7s%s\n", width,
                      row_label(e).c_str(), format_month(e.date).c_str(),
                      format_number(e.baseline_mean, units).c_str(),
                      format_number(e.scenario_mean, units).c_str(),
                      format_number(e.difference.mean, units, true).c_str(), ci.c_str(),
                      percent(e.relative).c_str(), std::isnan(e.p_positive) ? "n/a" : p_pos,
                      share.c_str());
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

// P(rank first) of (scenario, output, date), or NaN when not ranked.
double rank_of(const std::vector<RankProbabilities>& ranks, const std::string& scenario,
               const std::string& output, int date, bool per_euro) {
    for (const RankProbabilities& r : ranks)
        if (r.output == output && r.date == date)
            for (std::size_t i = 0; i < r.scenarios.size(); ++i)
                if (r.scenarios[i] == scenario)
                    return per_euro ? r.p_first_per_euro[i] : r.p_first[i];
    return std::numeric_limits<double>::quiet_NaN();
}

void write_csv(std::ostream& os, const std::string& baseline,
               const std::vector<ScenarioComparison>& all,
               const std::vector<RankProbabilities>& ranks) {
    // The first 17 columns as before; the interval kind and the parameter-uncertainty columns
    // after them (docs/uncertainty.md).
    os << "scenario,baseline,output,label,units,measure,date,replicates,baseline_mean,"
          "scenario_mean,difference,ci_low,ci_high,relative_change,unpaired_ci_low,"
          "unpaired_ci_high,note,interval_kind,noise_ci_low,noise_ci_high,p_positive,"
          "parameter_variance,noise_variance,parameter_share,worlds,p_rank_first,"
          "p_rank_first_per_euro\n";
    for (const ScenarioComparison& c : all) {
        for (const Effect& e : c.effects)
            os << c.scenario << ',' << baseline << ',' << e.output << ",\""
               << outcome_label(e.output) << "\"," << units_of(e.output) << ','
               << (e.cumulative ? "cumulative" : "at_date") << ',' << format_month(e.date) << ','
               << e.difference.n << ',' << csv_number(e.baseline_mean) << ','
               << csv_number(e.scenario_mean) << ',' << csv_number(e.difference.mean) << ','
               << csv_number(e.difference.low) << ',' << csv_number(e.difference.high) << ','
               << csv_number(e.relative) << ',' << csv_number(e.unpaired.low) << ','
               << csv_number(e.unpaired.high) << ",," << interval_kind_text(e.kind) << ','
               << csv_number(e.noise_only.low) << ',' << csv_number(e.noise_only.high) << ','
               << csv_number(e.p_positive) << ',' << csv_number(e.variance.parameters) << ','
               << csv_number(e.variance.noise) << ',' << csv_number(e.variance.parameter_share)
               << ',' << e.variance.worlds << ','
               << csv_number(rank_of(ranks, c.scenario, e.output, e.date, false)) << ','
               << csv_number(rank_of(ranks, c.scenario, e.output, e.date, true)) << "\n";
        for (const CostPerJob& k : c.costs) {
            const std::string note = k.available ? "" : "\"n/a: " + k.reason + "\"";
            os << c.scenario << ',' << baseline
               << ",additional_cost_per_extra_target_group_job,\"additional public cost "
                  "(programme cost + wage subsidy + SE price premium) per extra target-group "
                  "job\",EUR/FTE,ratio,"
               << format_month(k.date) << ',' << k.jobs.n << ",,," << csv_number(k.per_job)
               << ",,,,,," << note << ",,,,,,,,,,\n";
            os << c.scenario << ',' << baseline
               << ",redirected_spend_per_extra_target_group_job,\"public purchasing redirected "
                  "to SEs per extra target-group job\",EUR/FTE,ratio,"
               << format_month(k.date) << ',' << k.jobs.n << ",,,"
               << csv_number(k.redirected_per_job) << ",,,,,," << note << ",,,,,,,,,,\n";
        }
    }
}

struct ParameterInfo {
    std::string kind;  // "" for noise-only files
    std::string source;
    std::string calibration;
    int per_draw = 1;
    Worlds worlds;
};

// The parameter draws a result file records (output/result_file.hpp, write_parameter_draws).
ParameterInfo read_parameter_info(const fs::path& file, const std::string& group, int replicates) {
    ParameterInfo p;
    try {
        const h5::Object f = h5::open_file(file);
        if (!h5::has_attribute(f, "parameter_uncertainty")) return p;
        const std::string kind = h5::read_string_attribute(f, "parameter_uncertainty");
        if (kind == "none") return p;
        p.kind = kind;
        p.source = h5::has_attribute(f, "parameter_source")
                       ? h5::read_string_attribute(f, "parameter_source")
                       : "";
        p.calibration = h5::has_attribute(f, "parameter_calibration")
                            ? h5::read_string_attribute(f, "parameter_calibration")
                            : "";
        if (h5::has_attribute(f, "replicates_per_draw"))
            p.per_draw = static_cast<int>(h5::read_number_attribute(f, "replicates_per_draw"));
        const h5::Object g = h5::open_group(f, group);
        const h5::Matrix m = h5::read_matrix(h5::open_dataset(g, "drawn_parameters"));
        if (m.rows != static_cast<hsize_t>(replicates))
            throw InputError("sesim compare: " + in_quotes(file.string()) + ": " + group +
                             "/drawn_parameters has " + std::to_string(m.rows) + " rows for " +
                             std::to_string(replicates) + " replicates; the file is damaged");
        p.worlds = worlds_from_draws(m.values, m.rows, m.cols);
        p.worlds.source = kind + " " + p.source;
    } catch (const RunError& e) {
        throw InputError("sesim compare: " + std::string(e.what()) +
                         "; the file's parameter draws cannot be read: it is damaged");
    }
    return p;
}

void print_ranks(std::ostream& os, const std::vector<RankProbabilities>& ranks,
                 const std::vector<std::string>& outputs, const std::vector<int>& dates,
                 bool with_parameters) {
    if (ranks.empty()) return;
    os << "\n== Which policy ranks first (largest increase; per euro: per EUR of additional "
          "public cost)\n";
    os << wrap(
        std::string("Probability over ") + std::to_string(ranks.front().resamples) +
            (with_parameters ? " resamples: a plausible world drawn, its replicates resampled."
                             : " bootstrap resamples of the replicate pairs (noise only)."),
        100, "  ");
    const int date = dates.back();
    char buf[512];
    for (const std::string& o : outputs)
        for (const RankProbabilities& r : ranks) {
            if (r.output != o || r.date != date) continue;
            os << "  " << outcome_label(o) << ", " << format_month(date) << ":\n";
            for (std::size_t i = 0; i < r.scenarios.size(); ++i) {
                std::snprintf(buf, sizeof buf, "    %-28s first %5.1f%%   first per euro %5.1f%%\n",
                              r.scenarios[i].c_str(), 100 * r.p_first[i],
                              100 * r.p_first_per_euro[i]);
                os << buf;
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
    for (const int d : dates) offsets.push_back(d - base.start_month);
    const auto read = [&](const StoredScenario& s) {
        Samples out;
        for (const std::string& o : needed)
            out[o] = read_replicates_at(file, s.name, o, offsets, is_cumulative(o));
        return out;
    };

    // Parameter uncertainty: the worlds are the baseline's replicates grouped by their drawn
    // parameter values (every scenario of the file shares the draws of replicate k).
    const ParameterInfo pinfo = read_parameter_info(file, base.name, info.replicates);
    const Worlds* worlds = pinfo.worlds.empty() ? nullptr : &pinfo.worlds;

    const Samples base_samples = read(base);
    std::vector<ScenarioComparison> all;
    std::vector<Samples> policy_samples;
    policy_samples.reserve(info.scenarios.size());
    std::vector<std::pair<std::string, const Samples*>> policies;
    for (const auto& s : info.scenarios) {
        if (s.name == base.name) continue;
        policy_samples.push_back(read(s));
        all.push_back(compare_scenario(s.name, s.description, base_samples, policy_samples.back(),
                                       outputs, dates, kLevel, worlds));
        policies.emplace_back(s.name, &policy_samples.back());
    }
    // Rank probabilities over several policies, on the seed of the file (keyed resamples).
    const std::vector<RankProbabilities> ranks =
        policies.size() >= 2
            ? rank_policies(base_samples, policies, outputs, dates, worlds, info.seed)
            : std::vector<RankProbabilities>{};

    const std::string csv = vm.count("csv") ? vm["csv"].as<std::string>() : "";
    if (csv != "-") {
        std::ostream& os = std::cout;
        const int n = all.empty() ? 0 : all.front().costs.front().jobs.n;
        os << "sesim compare " << file.string() << ": " << all.size() << " scenario(s) against "
           << in_quotes(base.name) << ", " << n << " paired replicates (seed " << info.seed
           << ", model version " << info.model_version << ")\n";
        if (worlds == nullptr)
            os << wrap(
                "Intervals: NOISE ONLY. Difference = scenario minus baseline, averaged over "
                "replicate pairs (replicate k of every scenario shares its random numbers); 95% "
                "CI from the paired differences (Student t, " +
                    std::to_string(std::max(n - 1, 0)) +
                    " degrees of freedom): the Monte Carlo noise at one fixed parameter vector, "
                    "not the uncertainty of the parameters (run with --posterior for that). "
                    "P(>0): probability that the mean effect is positive (t, flat prior). "
                    "Stocks are the value in the month; flows are summed from " +
                    format_month(base.start_month) +
                    " through the month. Change is relative to the baseline mean.",
                100, "");
        else
            os << wrap(
                "Intervals: WITH PARAMETER UNCERTAINTY. Replicates drew their parameters from "
                "the " +
                    pinfo.kind + " " + pinfo.source +
                    (pinfo.calibration.empty() ? ""
                                               : " (calibration '" + pinfo.calibration + "')") +
                    ", " + std::to_string(pinfo.per_draw) +
                    " replicate(s) per draw: " + std::to_string(pinfo.worlds.count) +
                    " plausible worlds. Difference = scenario minus baseline, averaged over "
                    "replicate pairs. 95% interval: where the effect of a plausible world lies "
                    "(mean +- t sqrt(between-world variance + variance of the mean), one-way "
                    "random-effects ANOVA over the worlds; docs/uncertainty.md). P(>0): "
                    "probability that the effect is positive on that scale. Param. share: share "
                    "of a paired difference's variance due to the parameters (the rest is "
                    "stochastic noise; n/a with one replicate per draw). Stocks are the value in "
                    "the month; flows are summed from " +
                    format_month(base.start_month) + " through the month.",
                100, "");
        for (const ScenarioComparison& c : all) print_table(os, c, worlds != nullptr);
        print_ranks(os, ranks, outputs, dates, worlds != nullptr);
    }
    if (!csv.empty()) {
        if (csv == "-") {
            write_csv(std::cout, base.name, all, ranks);
        } else {
            // Under a temporary name, renamed when complete: a failed write never leaves a
            // truncated CSV under the requested name.
            const std::string tmp = csv + ".tmp-" + std::to_string(static_cast<long>(::getpid()));
            std::ofstream out(tmp);
            if (!out)
                throw InputError("sesim compare: cannot write " + in_quotes(csv) +
                                 "; check that its folder exists and is writable");
            write_csv(out, base.name, all, ranks);
            out.close();
            std::error_code ec;
            if (!out) {
                fs::remove(tmp, ec);
                throw RunError("sesim compare: writing " + in_quotes(csv) + " failed");
            }
            fs::rename(tmp, csv, ec);
            if (ec) {
                fs::remove(tmp, ec);
                throw RunError("sesim compare: cannot rename the CSV to " + in_quotes(csv));
            }
        }
    }
    return kExitOk;
}

}  // namespace sesim::cli
