// `sesim compare`: the effect of every scenario of a result file against a baseline, from
// replicate-paired differences with 95% confidence intervals, at chosen dates, with the public
// money per extra target-group job and one plain-language sentence per scenario.
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

    FileComparisonRequest req;
    req.baseline = vm.count("baseline") ? vm["baseline"].as<std::string>() : "";
    req.at = list("at");
    req.outputs = list("outputs");
    req.allow_version_mismatch = vm.count("allow-version-mismatch") > 0;
    req.level = kLevel;
    const FileComparison fc = compare_file(file, req);
    for (const std::string& w : fc.warnings) std::cerr << "sesim compare: warning: " << w << "\n";
    const StoredScenario& base = fc.base();
    const std::vector<ScenarioComparison>& all = fc.scenarios;

    const std::string csv = vm.count("csv") ? vm["csv"].as<std::string>() : "";
    if (csv != "-") {
        std::ostream& os = std::cout;
        const int n = fc.pairs();
        os << "sesim compare " << file.string() << ": " << all.size() << " scenario(s) against "
           << in_quotes(base.name) << ", " << n << " paired replicates (seed " << fc.info.seed
           << ", model version " << fc.info.model_version << ")\n";
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
            std::ofstream out(csv);
            if (!out)
                throw InputError("sesim compare: cannot write " + in_quotes(csv) +
                                 "; check that its folder exists and is writable");
            write_csv(out, base.name, all);
            out.close();
            if (!out) throw RunError("sesim compare: writing " + in_quotes(csv) + " failed");
        }
    }
    return kExitOk;
}

}  // namespace sesim::cli
