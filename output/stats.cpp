#include "output/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "output/hdf5_file.hpp"
#include "output/read_file.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

}  // namespace

double quantile_sorted(const double* sorted, std::size_t n, double p) {
    if (n == 0) return kNaN;
    const double h = (static_cast<double>(n) - 1.0) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, n - 1);
    const double frac = h - static_cast<double>(lo);
    // x_lo + frac (x_hi - x_lo), as NumPy computes it; exact when both order statistics agree.
    return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

std::array<double, kStatistics> summarise(std::vector<double>& sample) {
    const auto end =
        std::remove_if(sample.begin(), sample.end(), [](double x) { return std::isnan(x); });
    sample.erase(end, sample.end());
    std::array<double, kStatistics> out;
    out.fill(kNaN);
    const std::size_t n = sample.size();
    if (n == 0) return out;
    double sum = 0;
    for (const double x : sample) sum += x;
    const double mean = sum / static_cast<double>(n);
    out[0] = mean;
    if (n > 1) {
        // Two-pass: the deviations are taken from the mean, so large levels (EUR 1e8 a month)
        // do not swamp small spreads.
        double ss = 0;
        for (const double x : sample) ss += (x - mean) * (x - mean);
        out[1] = std::sqrt(ss / static_cast<double>(n - 1));
    }
    std::sort(sample.begin(), sample.end());
    for (std::size_t q = 0; q < kQuantileLevels.size(); ++q)
        out[2 + q] = quantile_sorted(sample.data(), n, kQuantileLevels[q]);
    return out;
}

std::size_t block_months(std::size_t replicates, std::size_t months, std::size_t block_values) {
    const std::size_t rows = std::max<std::size_t>(replicates, 1);
    return std::clamp<std::size_t>(block_values / rows, 1, std::max<std::size_t>(months, 1));
}

StoredFile read_stored_file(const fs::path& file) {
    const std::string shown = in_quotes(file.string());
    try {
        const h5::Object f = h5::open_file(file);
        if (h5::has_attribute(f, "sweep_definition"))
            throw InputError(
                shown +
                " is a sesim sweep file ('sesim sweep'), not a scenario study: compare "
                "scenarios run with 'sesim run SCENARIO.ini ... -o FILE.h5'");
    } catch (const RunError& e) {
        // A missing, damaged or foreign file is the user's input, not a failed run.
        throw InputError(e.what());
    }
    // The one reader of result files: it checks the file against everything the writer
    // promises (every scenario, every output with its shape, type and attributes), so a file
    // with a dataset deleted is refused rather than misread as statistics-only.
    const RecordedFile rec = read_recorded_file(file);
    StoredFile out;
    out.sesim_version = rec.provenance.sesim_version;
    out.model_version = rec.provenance.model_version;
    out.replicates = rec.provenance.replicates;
    out.seed = rec.provenance.seed;
    for (const RecordedScenario& r : rec.scenarios) {
        StoredScenario s;
        s.name = r.scenario.name;
        s.description = r.scenario.description;
        s.start_month = r.scenario.params.g.start_month;
        s.months = r.months;
        s.has_replicates = r.has_replicates;
        s.has_statistics = r.has_statistics;
        out.scenarios.push_back(std::move(s));
    }
    return out;
}

std::vector<std::vector<double>> read_replicates_at(const fs::path& file, const std::string& group,
                                                    const std::string& output,
                                                    const std::vector<int>& months, bool cumulative,
                                                    std::size_t block_values, int region) {
    const std::string shown = in_quotes(file.string());
    if (region >= 0) {
        try {
            const h5::Object f = h5::open_file(file);
            const std::string path = group + "/regions";
            if (!h5::has_link(f, group) || !h5::has_link(h5::open_group(f, group), "regions"))
                throw InputError(shown + ": scenario " + in_quotes(group) +
                                 " keeps totals only (no per-region outputs); rerun without "
                                 "--totals-only");
            const h5::Object g = h5::open_group(f, path);
            if (!h5::has_link(g, output))
                throw InputError(shown + ": " + in_quotes(path) + " has no output " +
                                 in_quotes(output) + "; the file is damaged");
            const h5::Matrix m =
                h5::read_middle(h5::open_dataset(g, output), static_cast<hsize_t>(region));
            const auto reps = static_cast<std::size_t>(m.rows);
            const auto total = static_cast<std::size_t>(m.cols);
            std::vector<std::vector<double>> out(months.size(), std::vector<double>(reps, kNaN));
            for (std::size_t i = 0; i < months.size(); ++i) {
                if (months[i] < 0 || static_cast<std::size_t>(months[i]) >= total)
                    throw InputError(shown + ": month " + std::to_string(months[i]) +
                                     " is outside the " + std::to_string(total) + " months of " +
                                     in_quotes(path + "/" + output));
                for (std::size_t r = 0; r < reps; ++r) {
                    double v = 0;
                    const auto last = static_cast<std::size_t>(months[i]);
                    for (std::size_t t = cumulative ? 0 : last; t <= last; ++t)
                        v += m.values[r * total + t];
                    out[i][r] = v;
                }
            }
            return out;
        } catch (const RunError& e) {
            throw InputError(e.what());
        }
    }
    try {
        const h5::Object f = h5::open_file(file);
        if (!h5::has_link(f, group))
            throw InputError(shown + " has no scenario " + in_quotes(group));
        const h5::Object g = h5::open_group(f, group);
        if (!h5::has_link(g, output))
            throw InputError(shown + ": scenario " + in_quotes(group) + " has no output " +
                             in_quotes(output) +
                             (h5::has_link(g, output + std::string(kStatsSuffix))
                                  ? " replicates (the file holds statistics only)"
                                  : ""));
        const h5::Object ds = h5::open_dataset(g, output);
        const std::vector<hsize_t> dims = h5::dimensions(ds);
        if (dims.size() != 2)
            throw InputError(shown + ": " + in_quotes(group + "/" + output) +
                             " is not a (replicate, time) dataset");
        const auto reps = static_cast<std::size_t>(dims[0]);
        const auto total = static_cast<std::size_t>(dims[1]);
        int last = -1;
        const std::string dataset = in_quotes(group + "/" + output);
        for (const int m : months) {
            if (m < 0 || static_cast<std::size_t>(m) >= total)
                throw InputError(shown + ": month " + std::to_string(m) + " is outside the " +
                                 std::to_string(total) + " months of " + dataset);
            last = std::max(last, m);
        }
        std::vector<std::vector<double>> out(months.size(), std::vector<double>(reps, kNaN));
        if (last < 0) return out;
        std::vector<double> running(reps, 0.0);
        const std::size_t block = block_months(reps, total, block_values);
        const auto needed = static_cast<std::size_t>(last) + 1;
        for (std::size_t c0 = 0; c0 < needed; c0 += block) {
            const std::size_t cols = std::min(block, needed - c0);
            const h5::Matrix m = h5::read_columns(ds, c0, cols);
            for (std::size_t c = 0; c < cols; ++c) {
                const std::size_t month = c0 + c;
                for (std::size_t r = 0; r < reps; ++r)
                    running[r] = (cumulative ? running[r] : 0.0) + m.values[r * cols + c];
                for (std::size_t i = 0; i < months.size(); ++i)
                    if (static_cast<std::size_t>(months[i]) == month) out[i] = running;
            }
        }
        return out;
    } catch (const RunError& e) {
        throw InputError(e.what());
    }
}

std::vector<std::string> stored_regions(const fs::path& file, const std::string& group) {
    try {
        const h5::Object f = h5::open_file(file);
        if (!h5::has_link(f, group)) return {};
        const h5::Object g = h5::open_group(f, group);
        if (!h5::has_link(g, "regions")) return {};
        return h5::read_strings(h5::open_dataset(h5::open_group(g, "regions"), "region"));
    } catch (const RunError& e) {
        throw InputError(e.what());
    }
}

}  // namespace sesim
