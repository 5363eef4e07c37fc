// `sesim report`: one self-contained HTML page for policy makers from a result file
// (solvers/report.hpp does the work; docs/report.md describes the page).
#include <filesystem>
#include <iostream>

#include "app/cli.hpp"
#include "model/errors.hpp"
#include "output/result_file.hpp"
#include "solvers/report.hpp"

namespace po = boost::program_options;

namespace sesim::cli {

int cmd_report(const Invocation& inv) {
    po::options_description desc(
        "sesim report RESULTS.h5 -o REPORT.html [options]\n\n"
        "Writes one self-contained web page (data, styles and charts inline; it opens offline\n"
        "and can be sent as an e-mail attachment) for policy makers: a headline per policy,\n"
        "the table of effects against the baseline with 95% intervals and the additional\n"
        "public cost per extra target-group job (the numbers of 'sesim compare'), an effects\n"
        "chart and fan charts over time, what each scenario changes, and how to reproduce the\n"
        "file. Options");
    desc.add_options()("help,h", "show this help")(
        "output,o", po::value<std::string>()->value_name("FILE"), "the page to write (HTML)")(
        "lang", po::value<std::string>()->default_value("en")->value_name("en|nl"),
        "language of the page: English or Dutch")(
        "baseline,b", po::value<std::string>()->value_name("NAME"),
        "scenario to compare against (default: 'baseline' if present, else the first)")(
        "at", po::value<std::vector<std::string>>()->composing()->value_name("YYYY-MM,..."),
        "dates of the table (default: 2030-12 if simulated, and the last December simulated)")(
        "sensitivity", po::value<std::string>()->value_name("FILE"),
        "sensitivity result (CSV: parameter,output,date,index,estimate,low,high) whose "
        "largest indices the page lists")(
        "allow-version-mismatch",
        "report a file written by another model version (its results may differ from this "
        "build's)")("file", po::value<std::string>()->value_name("FILE"), "result file");
    po::positional_options_description pos;
    pos.add("file", 1);
    const auto vm = parse("report", desc, pos, inv.args);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return kExitOk;
    }
    if (!vm.count("file"))
        throw InputError(
            "sesim report: no result file given.\nExample: sesim run scenarios/*.ini -o "
            "study.h5 && sesim report study.h5 -o report.html");
    if (!vm.count("output"))
        throw InputError("sesim report: no output page given; add -o report.html");
    const std::string lang_name = vm["lang"].as<std::string>();
    const auto lang = parse_lang(lang_name);
    if (!lang)
        throw InputError("sesim report: --lang '" + lang_name +
                         "' is not a language of the page; choose en (English) or nl (Dutch)");
    const std::string out = vm["output"].as<std::string>();
    // Before reading anything: a page that cannot be written is known at once, and the page
    // must not replace the result file it is made from.
    ResultFile::check_writable(out);
    std::error_code ec;
    if (std::filesystem::equivalent(out, vm["file"].as<std::string>(), ec))
        throw InputError("sesim report: -o " + out +
                         " is the result file itself; write the page to another file, e.g. -o "
                         "report.html");

    ReportRequest req;
    req.file = vm["file"].as<std::string>();
    req.baseline = vm.count("baseline") ? vm["baseline"].as<std::string>() : "";
    if (vm.count("at")) req.at = split_list(vm["at"].as<std::vector<std::string>>());
    if (vm.count("sensitivity")) req.sensitivity = vm["sensitivity"].as<std::string>();
    req.allow_version_mismatch = vm.count("allow-version-mismatch") > 0;
    req.command_line = inv.command_line;
    const ReportData data = gather_report(req);
    for (const std::string& w : data.comparison.warnings)
        std::cerr << "sesim report: warning: " << w << "\n";
    write_report(out, render_report(data, *lang));
    std::cerr << "sesim report: wrote " << out << " (" << data.comparison.scenarios.size()
              << " polic" << (data.comparison.scenarios.size() == 1 ? "y" : "ies") << " against '"
              << data.comparison.base().name << "'); open it in a browser\n";
    return kExitOk;
}

}  // namespace sesim::cli
