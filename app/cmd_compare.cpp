// `sesim compare`: the effect of every scenario of a result file against a baseline, from
// replicate-paired differences with 95% confidence intervals, at chosen dates, with the public
// money per extra target-group job and one plain-language sentence per scenario.
#include <unistd.h>

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
#include "output/hdf5_file.hpp"
#include "output/input_file.hpp"
#include "output/safe_write.hpp"
#include "output/stats.hpp"
#include "sesim_version.hpp"
#include "solvers/compare.hpp"
#include "solvers/compare_file.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sesim::cli {

namespace {

constexpr double kLevel = 0.95;

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
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

// Prints the table of one comparison (totals or one region) and appends its CSV rows (with a
// last column 'region' when a region is compared).
static void compare_output(const FileComparison& fc, const fs::path& file, const std::string& csv,
                           const std::string& region, bool first, std::ostringstream& csv_text) {
    for (const std::string& w : fc.warnings) std::cerr << "sesim compare: warning: " << w << "\n";
    const StoredScenario& base = fc.base();
    const std::vector<ScenarioComparison>& all = fc.scenarios;
    const bool with_parameters = !fc.parameters.worlds.empty();
    const ParameterInfo& pinfo = fc.parameters;
    const std::vector<RankProbabilities>& ranks = fc.ranks;
    const std::vector<std::string>& outputs = fc.outputs;
    const std::vector<int>& dates = fc.dates;

    if (csv != "-") {
        std::ostream& os = std::cout;
        const int n = fc.pairs();
        if (!region.empty()) {
            os << (first ? "" : "\n") << "Region " << region << ":\n";
        }
        os << "sesim compare " << file.string() << (region.empty() ? "" : ", region " + region)
           << ": " << all.size() << " scenario(s) against " << in_quotes(base.name) << ", " << n
           << " paired replicates (seed " << fc.info.seed << ", model version "
           << fc.info.model_version << ")\n";
        if (!with_parameters)
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
        for (const ScenarioComparison& c : all) print_table(os, c, with_parameters);
        print_ranks(os, ranks, outputs, dates, with_parameters);
    }
    if (csv.empty()) return;
    std::ostringstream rows;
    write_csv(rows, fc.base().name, fc.scenarios, fc.ranks);
    if (region.empty()) {
        csv_text << rows.str();
        return;
    }
    std::istringstream in(rows.str());
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (header && !first) {
            header = false;
            continue;
        }
        csv_text << line << ',' << (header ? std::string("region") : region) << '\n';
        header = false;
    }
}

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
        "region", po::value<std::string>()->value_name("KEY|all"),
        "compare one region's outputs (its key, e.g. zwolle) instead of the totals, or 'all' "
        "for one table per region (the CSV gains a last column 'region')")(
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

    FileComparisonRequest req;
    req.baseline = vm.count("baseline") ? vm["baseline"].as<std::string>() : "";
    req.at = list("at");
    req.outputs = list("outputs");
    req.allow_version_mismatch = vm.count("allow-version-mismatch") > 0;
    req.level = kLevel;
    // The regions to compare: none (the totals), one, or every region of the baseline.
    std::vector<std::string> regions{""};
    if (vm.count("region")) {
        const std::string r = vm["region"].as<std::string>();
        if (r.empty())
            throw InputError("sesim compare: --region needs a region key (e.g. zwolle) or 'all'");
        regions = {r};
        if (r == "all") {
            const FileComparison totals = compare_file(file, req);
            regions = stored_regions(file, totals.base().name);
            if (regions.empty())
                throw InputError("sesim compare: " + in_quotes(file.string()) +
                                 " keeps totals only (no per-region outputs); rerun without "
                                 "--totals-only to compare regions");
        }
    }
    std::ostringstream csv_text;
    bool first = true;
    for (const std::string& region : regions) {
        req.region = region;
        const FileComparison fc = compare_file(file, req);
        compare_output(fc, file, csv, region, first, csv_text);
        first = false;
    }
    if (!csv.empty()) {
        if (csv == "-") {
            std::cout << csv_text.str();
        } else {
            // Written whole under a temporary name and renamed: a full disk leaves an existing
            // CSV as it was.
            AtomicTextFile out(csv);
            out.stream() << csv_text.str();
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
