#include "solvers/reproduce.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/outputs.hpp"
#include "output/platform.hpp"
#include "output/stats.hpp"
#include "sesim_version.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

std::uint64_t bits_of(double v) {
    std::uint64_t b;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

// Every significant digit, so that a difference in the last bit shows.
std::string exact(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string short_number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

// 1234567 -> "1,234,567"
std::string grouped(std::size_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string list(const std::vector<std::string>& items, std::size_t max = 8) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + items[i];
    if (items.size() > max) out += " and " + std::to_string(items.size() - max) + " more";
    return out;
}

const RecordedScenario* find_scenario(const RecordedFile& file, const std::string& name) {
    for (const RecordedScenario& s : file.scenarios)
        if (s.scenario.name == name) return &s;
    return nullptr;
}

}  // namespace

bool values_agree(double recorded, double recomputed, std::optional<double> tolerance) {
    if (bits_of(recorded) == bits_of(recomputed)) return true;
    if (!tolerance) return false;
    if (std::isnan(recorded) || std::isnan(recomputed))
        return std::isnan(recorded) && std::isnan(recomputed);
    if (std::isinf(recorded) || std::isinf(recomputed)) return recorded == recomputed;
    return std::fabs(recorded - recomputed) <=
           *tolerance * std::max(std::fabs(recorded), std::fabs(recomputed));
}

DatasetComparison compare_values(const std::string& scenario, const std::string& dataset,
                                 std::size_t rows, std::size_t cols, const double* recorded,
                                 const double* recomputed, std::optional<double> tolerance) {
    DatasetComparison c;
    c.scenario = scenario;
    c.dataset = dataset;
    c.rows = rows;
    c.cols = cols;
    for (std::size_t i = 0; i < rows * cols; ++i) {
        const double a = recorded[i];
        const double b = recomputed[i];
        if (bits_of(a) == bits_of(b)) continue;
        const bool nan = std::isnan(a) || std::isnan(b);
        const double abs_diff = nan ? INFINITY : std::fabs(a - b);
        const double scale = std::max(std::fabs(a), std::fabs(b));
        const double rel_diff = nan ? INFINITY : scale > 0 ? abs_diff / scale : 0.0;
        // Differences of NaN payloads, or of +0 and -0, have no size; they still count.
        if (!(abs_diff <= c.max_abs_diff)) c.max_abs_diff = abs_diff;
        if (!(rel_diff <= c.max_rel_diff)) c.max_rel_diff = rel_diff;
        if (values_agree(a, b, tolerance)) {
            ++c.within_tolerance;
            continue;
        }
        if (c.differing++ == 0) {
            c.first_row = i / cols;
            c.first_col = i % cols;
            c.recorded = a;
            c.recomputed = b;
        }
    }
    return c;
}

ReproduceReport reproduce_file(const fs::path& file, const ReproduceOptions& options,
                               const std::atomic<bool>* stop, const ProgressFn& progress) {
    ReproduceReport r;
    r.file = read_recorded_file(file);
    const Provenance& p = r.file.provenance;
    const std::string shown = in_quotes(file.string());

    if (p.model_version != SESIM_MODEL_VERSION) {
        r.model_version_differs = true;
        r.notes.push_back("the file is from model version " + std::to_string(p.model_version) +
                          ", this sesim is model version " + std::to_string(SESIM_MODEL_VERSION) +
                          ": results are expected to differ (CHANGELOG.md says how)" +
                          (options.tolerance ? "; comparing within the relative tolerance"
                                             : "; give --tolerance REL to compare within a "
                                               "relative tolerance"));
    }
    const std::string here_libm = libm_fingerprint();
    if (p.libm_fingerprint.empty()) {
        r.libm_differs = true;
        r.notes.push_back(
            "the file does not record the libm fingerprint (written by an older "
            "sesim): last-bit differences from the C library's math functions "
            "cannot be ruled out (docs/reproducing.md)");
    } else if (p.libm_fingerprint != here_libm) {
        r.libm_differs = true;
        r.notes.push_back(
            "the file was made where the C library's exp/log/pow/cos compute "
            "differently (libm fingerprint " +
            p.libm_fingerprint + " with " + p.libc + " on " + p.cpu + "; here " + here_libm +
            " with " + libc_version() + " on " + cpu_description() +
            "): values may differ in the last bits (docs/reproducing.md)");
    }

    if (r.file.scenarios_unlisted)
        r.notes.push_back(
            "the file does not list its scenarios (written by an older sesim): a "
            "scenario group lost to damage would go unnoticed");
    r.replicates_in_file = p.replicates;
    r.replicates_checked = options.replicates > 0 ? options.replicates : p.replicates;
    if (options.replicates < 0)
        throw InputError("sesim reproduce: --replicates must be at least 1");
    if (r.replicates_checked > p.replicates)
        throw InputError("sesim reproduce: " + shown + " holds " + std::to_string(p.replicates) +
                         " replicates per scenario; --replicates " +
                         std::to_string(options.replicates) + " asks for more");
    const bool all_replicates = r.replicates_checked == p.replicates;
    bool stats_skipped = false;
    for (const RecordedScenario& s : r.file.scenarios) {
        const std::string& name = s.scenario.name;
        if (!s.missing_parameters.empty())
            r.notes.push_back("scenario " + in_quotes(name) + ": the file lacks " +
                              std::to_string(s.missing_parameters.size()) +
                              " parameter(s) of this sesim, which take their defaults: " +
                              list(s.missing_parameters));
        if (!s.unknown_parameters.empty())
            r.notes.push_back("scenario " + in_quotes(name) + ": the file has " +
                              std::to_string(s.unknown_parameters.size()) +
                              " parameter(s) this sesim does not know, which are ignored: " +
                              list(s.unknown_parameters));
        for (const std::string& o : s.missing_outputs) r.not_compared.push_back(name + "/" + o);
        if (!s.missing_outputs.empty())
            r.notes.push_back("scenario " + in_quotes(name) + ": the file lacks output(s) " +
                              list(s.missing_outputs) + " (not compared)");
        if (!s.has_replicates && !all_replicates)
            throw InputError("sesim reproduce: " + shown +
                             " holds statistics only; they "
                             "summarise all " +
                             std::to_string(p.replicates) +
                             " replicates, so all must be re-run: drop --replicates");
        if (s.has_statistics && s.has_replicates && !all_replicates) stats_skipped = true;
    }
    if (stats_skipped)
        r.notes.push_back("the ensemble statistics (<output>_stats) summarise all " +
                          std::to_string(p.replicates) +
                          " replicates and are not checked with --replicates " +
                          std::to_string(r.replicates_checked));

    const RecordedData data(file);
    const auto reps = static_cast<std::size_t>(r.replicates_checked);
    const int total = r.replicates_checked * static_cast<int>(r.file.scenarios.size());
    int done_before = 0;
    for (const RecordedScenario& rs : r.file.scenarios) {
        const std::string& group = rs.scenario.name;
        const auto months = static_cast<std::size_t>(rs.months);
        RunPlan plan;
        plan.scenarios = {rs.scenario};
        plan.replicates = r.replicates_checked;
        plan.seed = p.seed;
        // A run with parameter uncertainty (sesim run --posterior/--priors) recorded the
        // values each replicate used: the re-run uses them, without the posterior file.
        if (data.has(group, "drawn_parameters")) {
            const std::vector<std::string> names = data.labels(group, "drawn_parameter");
            for (const std::string& n : names) {
                const ParamKey* key = find_param(rs.scenario.params, n);
                if (key == nullptr)
                    throw InputError("sesim reproduce: " + shown + ": scenario " +
                                     in_quotes(group) + " drew parameter " + in_quotes(n) +
                                     ", which this sesim does not have");
                plan.drawn.keys.push_back(key);
            }
            plan.drawn.values = {data.rows(group, "drawn_parameters", reps, names.size())};
            r.notes.push_back("scenario " + in_quotes(group) + ": each replicate re-run with the " +
                              std::to_string(names.size()) +
                              " parameter values it drew (drawn_parameters: sesim run "
                              "--posterior/--priors); the posterior file itself is not needed");
        }
        // The per-region series (group <scenario>/regions), compared run by run as they come,
        // so memory does not grow with regions x replicates: one merged comparison per output.
        const std::string region_group = group + "/regions";
        const bool has_regions = data.has(group, "regions");
        const auto regions = static_cast<std::size_t>(rs.scenario.params.regions());
        std::vector<DatasetComparison> by_region(static_cast<std::size_t>(kOutputs));
        // rerun[(o * reps + rep) * months + t]: one scenario's ensemble, the memory bound.
        std::vector<double> rerun(static_cast<std::size_t>(kOutputs) * reps * months);
        const RunOutcome oc = run_plan(
            plan,
            [&](int, int rep, const RunSeries& series) {
                if (has_regions)
                    for (int o = 0; o < kOutputs; ++o) {
                        const std::string output(kOutputDefs[static_cast<std::size_t>(o)].name);
                        const std::vector<double> stored = data.plane(
                            region_group, output, static_cast<std::size_t>(rep), regions, months);
                        // Stored as float32: the recomputed floats, widened as the reader
                        // widens the stored ones, compare bit for bit.
                        const float* now = series.region_series(o, 0);
                        const std::vector<double> recomputed(now, now + regions * months);
                        const DatasetComparison c =
                            compare_values(group, "regions/" + output, regions, months,
                                           stored.data(), recomputed.data(), options.tolerance);
                        DatasetComparison& m = by_region[static_cast<std::size_t>(o)];
                        if (m.differing == 0 && c.differing > 0) {
                            m.first_row = static_cast<std::size_t>(rep) * regions + c.first_row;
                            m.first_col = c.first_col;
                            m.recorded = c.recorded;
                            m.recomputed = c.recomputed;
                        }
                        m.scenario = group;
                        m.dataset = "regions/" + output;
                        m.rows += regions;
                        m.cols = months;
                        m.differing += c.differing;
                        m.within_tolerance += c.within_tolerance;
                        m.max_abs_diff = std::max(m.max_abs_diff, c.max_abs_diff);
                        m.max_rel_diff = std::max(m.max_rel_diff, c.max_rel_diff);
                    }
                for (int o = 0; o < kOutputs; ++o)
                    std::copy_n(series.series(o), months,
                                rerun.begin() + static_cast<std::ptrdiff_t>(
                                                    (static_cast<std::size_t>(o) * reps +
                                                     static_cast<std::size_t>(rep)) *
                                                    months));
            },
            stop,
            [&](int done, int) {
                if (progress) progress(done_before + done, total);
            });
        done_before += plan.runs();
        for (const std::string& f : oc.failures) r.failures.push_back(f);
        if (oc.interrupted) {
            r.interrupted = true;
            break;
        }
        if (oc.failed > 0) continue;

        auto check = [&](const std::string& dataset, std::size_t rows, const double* now) {
            const std::vector<double> stored = data.rows(group, dataset, rows, months);
            DatasetComparison c =
                compare_values(group, dataset, rows, months, stored.data(), now, options.tolerance);
            ++r.datasets_compared;
            r.values_compared += rows * months;
            r.values_within_tolerance += c.within_tolerance;
            r.values_differing += c.differing;
            r.max_rel_diff = std::max(r.max_rel_diff, c.max_rel_diff);
            if (!c.agrees()) r.differences.push_back(std::move(c));
        };

        for (DatasetComparison& c : by_region) {
            if (!has_regions) break;
            ++r.datasets_compared;
            r.values_compared += c.rows * c.cols;
            r.values_within_tolerance += c.within_tolerance;
            r.values_differing += c.differing;
            r.max_rel_diff = std::max(r.max_rel_diff, c.max_rel_diff);
            if (!c.agrees()) r.differences.push_back(std::move(c));
        }

        std::vector<double> days(months);
        for (std::size_t t = 0; t < months; ++t)
            days[t] = cf_days_since_2019(rs.scenario.params.g.start_month + static_cast<int>(t));
        check("time", 1, days.data());

        std::vector<double> stats(kStatistics * months);
        std::vector<double> sample(reps);
        for (int o = 0; o < kOutputs; ++o) {
            const std::string output(kOutputDefs[static_cast<std::size_t>(o)].name);
            const double* now = rerun.data() + static_cast<std::size_t>(o) * reps * months;
            if (data.has(group, output)) check(output, reps, now);
            const std::string stats_name = output + std::string(kStatsSuffix);
            if (!all_replicates || !data.has(group, stats_name)) continue;
            // As ResultFile::write_statistics computes them: per month, over the replicates
            // in replicate order.
            for (std::size_t t = 0; t < months; ++t) {
                for (std::size_t rep = 0; rep < reps; ++rep) sample[rep] = now[rep * months + t];
                const auto st = summarise(sample);
                for (std::size_t k = 0; k < st.size(); ++k) stats[k * months + t] = st[k];
            }
            check(stats_name, kStatistics, stats.data());
        }
    }
    return r;
}

std::string format_report(const ReproduceReport& r, const ReproduceOptions& options) {
    const Provenance& p = r.file.provenance;
    auto or_unknown = [](const std::string& s) { return s.empty() ? std::string("?") : s; };
    std::string out;
    out += "file:  sesim " + p.sesim_version + ", model version " +
           std::to_string(p.model_version) + ", commit " + or_unknown(p.git_commit) + "\n";
    out += "       " + or_unknown(p.compiler) + " " + or_unknown(p.build_type) + " (" +
           or_unknown(p.cxx_flags) + "), " + or_unknown(p.libc) + ", " + or_unknown(p.cpu) +
           ", libm fingerprint " + or_unknown(p.libm_fingerprint) + "\n";
    out += "       written " + or_unknown(p.creation_time) + " on " + or_unknown(p.host) + ": " +
           or_unknown(p.command_line) + "\n";
    out += "here:  sesim " + std::string(SESIM_VERSION) + ", model version " +
           std::to_string(SESIM_MODEL_VERSION) + ", commit " + SESIM_GIT_COMMIT + "\n";
    out += "       " + std::string(SESIM_COMPILER) + " " + SESIM_BUILD_TYPE + " (" +
           SESIM_CXX_FLAGS + "), " + libc_version() + ", " + cpu_description() +
           ", libm fingerprint " + libm_fingerprint() + "\n";
    out += "re-ran " + std::to_string(r.file.scenarios.size()) + " scenario(s) x " +
           std::to_string(r.replicates_checked) +
           (r.replicates_checked == r.replicates_in_file
                ? std::string(" replicates")
                : " of " + std::to_string(r.replicates_in_file) + " replicates") +
           ", seed " + std::to_string(p.seed) + "\n";
    for (const std::string& n : r.notes) out += "note: " + n + "\n";
    for (const std::string& f : r.failures) out += "failed run: " + f + "\n";
    if (r.interrupted) {
        out += "interrupted: not every run was re-run, so nothing is concluded\n";
        return out;
    }

    const std::string counts =
        grouped(r.datasets_compared) + " datasets, " + grouped(r.values_compared) + " values";
    if (r.agrees() && !r.complete()) {
        out +=
            "not fully compared: the " + counts + " compared agree" +
            (options.tolerance ? " within relative tolerance " + short_number(*options.tolerance)
                               : std::string(" bit for bit")) +
            ", but " + std::to_string(r.not_compared.size()) +
            " output dataset(s) of this sesim are missing from the file and were not compared: " +
            list(r.not_compared) + "\n";
        return out;
    }
    if (r.agrees()) {
        if (r.values_within_tolerance == 0) {
            out += "identical: " + counts + ", bit for bit\n";
        } else {
            out += "equal within relative tolerance " + short_number(*options.tolerance) + ": " +
                   counts + "; " + grouped(r.values_within_tolerance) +
                   " values differ inside it (largest relative difference " +
                   short_number(r.max_rel_diff) + ")\n";
        }
        return out;
    }
    if (!r.failures.empty() && r.differences.empty()) {
        out += "not reproduced: " + std::to_string(r.failures.size()) + " run(s) failed\n";
        return out;
    }
    out += "different: " + std::to_string(r.differences.size()) + " of " +
           grouped(r.datasets_compared) + " datasets differ" +
           (options.tolerance ? " beyond relative tolerance " + short_number(*options.tolerance)
                              : std::string()) +
           "; " + grouped(r.values_differing) + " of " + grouped(r.values_compared) +
           " values, largest relative difference " + short_number(r.max_rel_diff) + "\n";
    for (const DatasetComparison& c : r.differences) {
        const RecordedScenario* s = find_scenario(r.file, c.scenario);
        const int start = s != nullptr ? s->scenario.params.g.start_month : 0;
        const bool stats = c.dataset.size() > kStatsSuffix.size() &&
                           c.dataset.ends_with(std::string(kStatsSuffix));
        std::string row;
        if (c.dataset == "time")
            row = "";
        else if (stats)
            row = "statistic " + std::string(kStatisticNames[c.first_row]) + ", ";
        else if (c.dataset.starts_with("regions/") && s != nullptr &&
                 s->scenario.params.regions() > 0) {
            const auto regions = static_cast<std::size_t>(s->scenario.params.regions());
            row = "replicate " + std::to_string(c.first_row / regions) + ", region " +
                  s->scenario.params.geo->regions()[c.first_row % regions].key + ", ";
        } else
            row = "replicate " + std::to_string(c.first_row) + ", ";
        out += "  " + c.scenario + "/" + c.dataset + ": " + grouped(c.differing) + " of " +
               grouped(c.rows * c.cols) + " values differ; first at " + row + "month " +
               format_month(start + static_cast<int>(c.first_col)) + " (element [" +
               std::to_string(c.first_row) + ", " + std::to_string(c.first_col) + "]): recorded " +
               exact(c.recorded) + ", recomputed " + exact(c.recomputed) + "; largest difference " +
               short_number(c.max_abs_diff) + " (relative " + short_number(c.max_rel_diff) + ")\n";
    }
    if (r.model_version_differs && !options.tolerance)
        out +=
            "hint: the file is from another model version, so differences are expected; "
            "compare within a tolerance with --tolerance REL (for example 1e-6)\n";
    else if (r.libm_differs && !options.tolerance)
        out +=
            "hint: the C library's math functions differ from those that made the file; "
            "last-bit differences are expected (docs/reproducing.md); --tolerance 1e-12 "
            "accepts them\n";
    return out;
}

}  // namespace sesim
