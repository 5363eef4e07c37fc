// `sesim report`: one self-contained HTML page for policy makers from a result file. The page
// holds its data, styles and scripts inline (the chart libraries Vega, Vega-Lite and
// vega-embed are compiled into the binary, report/CMakeLists.txt), so it opens offline from a
// file:// path or an e-mail attachment. Its numbers come from compare_file(), the function
// behind `sesim compare`, so the page, the terminal table and the CSV agree by construction.
// docs/report.md describes the page; the command is app/cmd_report.cpp.
#pragma once
#include <array>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "output/read_file.hpp"
#include "solvers/compare_file.hpp"

namespace sesim {

enum class Lang { en, nl };
// "en" or "nl"; nullopt otherwise.
std::optional<Lang> parse_lang(std::string_view s);

// ---- Numbers for the reader's language -------------------------------------------------------
// The rules of format_number() (compare.hpp: three significant digits, EUR in thousands,
// millions, billions) in the reader's language:
//   en: 2.77, 1,341, EUR 240, EUR 15.6k, EUR 1.22m, EUR 2.5bn
//   nl: 2,77, 1.341, EUR 240, EUR 15.600, EUR 1,22 mln, EUR 2,5 mld
// `sign` puts '+' before positive numbers (before "EUR"); negatives get '-'. NaN is "n/a"
// (en) or "n.v.t." (nl).
std::string format_amount(double x, std::string_view units, Lang lang, bool sign = false);
// A relative change as a signed percentage with one decimal: +3.8% / +3,8%.
std::string format_percent(double x, Lang lang);
// A probability as a whole percentage; "< 1%" and "> 99%" for values that round to 0 or 100
// but are not: 0.973 -> 97%.
std::string format_probability(double p, Lang lang);
// An absolute month (model/calendar.hpp) as "Dec 2030" / "dec 2030".
std::string format_month_short(int month, Lang lang);

// The label of an output in the reader's language (compare.hpp's labels in English).
std::string outcome_label(std::string_view output, Lang lang);

// HTML text and attribute escaping of &, <, >, " and '.
std::string html_escape(std::string_view s);

// ---- The sensitivity of the effects to the assumptions -----------------------------------------
// Read from a CSV file with the header `parameter,output,date,index,estimate,low,high`: one row
// per parameter, output and index (e.g. S1, ST, mu_star), `date` YYYY-MM or empty, `low` and
// `high` the interval of the estimate or empty. See docs/report.md.
struct SensitivityRow {
    std::string parameter;
    std::string output;
    std::string date;
    std::string index;
    double estimate = 0;
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
};
// InputError naming the file and line when the file is missing, not this CSV, or a number is
// not one.
std::vector<SensitivityRow> read_sensitivity_csv(const std::filesystem::path& file);

// ---- Gathering and rendering -------------------------------------------------------------------

struct ReportRequest {
    std::filesystem::path file;
    std::string baseline;         // empty: as sesim compare
    std::vector<std::string> at;  // empty: as sesim compare
    std::filesystem::path sensitivity;
    bool allow_version_mismatch = false;
    std::string command_line;  // of this `sesim report`, shown on the page
};

// Per month of one scenario, the 5%, 25%, 50%, 75% and 95% quantiles over replicates (type 7,
// output/stats.hpp) of an output: the value in the month for stocks, the sum from the first
// month through it for flows (as the table compares them).
struct FanSeries {
    std::array<std::vector<double>, 5> q;
};

struct ReportData {
    std::filesystem::path file;
    FileComparison comparison;
    RecordedFile recorded;
    std::string digest;  // SHA-256 of the data (output/digest.hpp)
    // The regions the file has results for. Today's files hold totals over both regions
    // only, so this is {"total"}; the page offers a region choice when there are more.
    std::vector<std::string> regions;
    // fan[region][scenario, file order][output, comparison.outputs order]
    std::vector<std::vector<std::vector<FanSeries>>> fan;
    std::vector<SensitivityRow> sensitivity;
    std::string sensitivity_file;
    std::string command_line;
};

// Reads everything the page shows. InputError (nothing written) as compare_file(), and for a
// sensitivity file that cannot be read.
ReportData gather_report(const ReportRequest& req);

// The page, in `lang`.
std::string render_report(const ReportData& data, Lang lang);

// Writes `html` to `path` through a temporary file beside it, renamed when complete.
// InputError when the folder does not exist or is not writable, RunError when writing fails.
void write_report(const std::filesystem::path& path, const std::string& html);

}  // namespace sesim
