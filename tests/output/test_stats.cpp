// Ensemble statistics in the result file (output/stats.hpp, ResultFile::write_statistics): the
// statistics of hand-made samples, the stored statistics against a direct computation from the
// stored replicates, statistics-only files, and reading per-replicate values at dates.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "output/hdf5_file.hpp"
#include "output/read_file.hpp"
#include "output/result_file.hpp"
#include "output/stats.hpp"

namespace fs = std::filesystem;
using namespace sesim;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& tag) {
        path = fs::temp_directory_path() /
               ("sesim-test-stats-" + tag + "-" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::vector<Scenario> scenarios(int months) {
    std::vector<Scenario> out(2);
    out[0].name = "baseline";
    out[1].name = "policy";
    for (auto& s : out) {
        s.path = s.name + ".ini";
        s.files = {s.path};
        s.text = "# file: " + s.path + "\nname = " + s.name + "\n";
        s.params.g.months = months;
        s.params.g.start_month = month_index(2019, 1);
    }
    return out;
}

// Irregular values with ties and a wide spread, different per scenario, replicate, output,
// month, so a misplaced statistic cannot go unnoticed.
double value(int s, int r, int o, int t) {
    const double wave = std::sin(0.37 * r + 0.11 * t + 0.05 * o + s);
    return (o + 1) * 1000.0 * std::round(10 * wave) / 10 + 5.0 * t + s;
}

void write_runs(ResultFile& file, int replicates, int months) {
    for (int s = 0; s < 2; ++s)
        for (int r = 0; r < replicates; ++r) {
            RunSeries series(months, 2);
            for (int o = 0; o < kOutputs; ++o)
                for (int t = 0; t < months; ++t)
                    series.at(static_cast<Output>(o), t) = value(s, r, o, t);
            file.write_run(s, r, series);
        }
}

h5::Matrix read_stats(const fs::path& file, const std::string& group, const std::string& output) {
    const h5::Object f = h5::open_file(file);
    const h5::Object g = h5::open_group(f, group);
    return h5::read_matrix(h5::open_dataset(g, output + std::string(kStatsSuffix)));
}

// Statistics computed directly, independently of summarise(): mean and sd in replicate order,
// quantiles from the sorted column by the type-7 formula.
std::vector<double> direct(std::vector<double> column) {
    const double n = static_cast<double>(column.size());
    double sum = 0;
    for (const double x : column) sum += x;
    const double mean = sum / n;
    double ss = 0;
    for (const double x : column) ss += (x - mean) * (x - mean);
    std::sort(column.begin(), column.end());
    std::vector<double> out{mean, std::sqrt(ss / (n - 1))};
    for (const double p : {0.05, 0.25, 0.5, 0.75, 0.95}) {
        const double h = (n - 1) * p;
        const auto lo = static_cast<std::size_t>(h);
        const std::size_t hi = std::min(lo + 1, column.size() - 1);
        out.push_back(column[lo] + (h - static_cast<double>(lo)) * (column[hi] - column[lo]));
    }
    return out;
}

void check_stats_match_replicates(const fs::path& with_replicates, const fs::path& stats_file) {
    for (const std::string group : {"baseline", "policy"})
        for (const OutputDef& def : kOutputDefs) {
            const std::string name(def.name);
            const StoredSeries runs = read_output(with_replicates, group, name);
            const h5::Matrix st = read_stats(stats_file, group, name);
            REQUIRE(st.rows == kStatistics);
            REQUIRE(st.cols == static_cast<hsize_t>(runs.months));
            for (int t = 0; t < runs.months; ++t) {
                std::vector<double> column;
                for (int r = 0; r < runs.replicates; ++r) column.push_back(runs.at(r, t));
                const std::vector<double> want = direct(column);
                for (std::size_t k = 0; k < kStatistics; ++k) {
                    INFO(group << "/" << name << " month " << t << " " << kStatisticNames[k]);
                    CHECK(st.values[k * st.cols + static_cast<std::size_t>(t)] ==
                          Approx(want[k]).epsilon(1e-12).margin(1e-9));
                }
            }
        }
}

}  // namespace

TEST_CASE("stats: statistics of a hand-made sample", "[stats]") {
    // Sorted 1 2 3 4 (a NaN is skipped): type-7 quantile p = x[h] at h = 3p, interpolated.
    std::vector<double> s{3, 1, kNaN, 2, 4};
    const auto st = summarise(s);
    CHECK(st[0] == 2.5);
    CHECK(st[1] == Approx(1.2909944487));
    CHECK(st[2] == Approx(1.15));
    CHECK(st[3] == Approx(1.75));
    CHECK(st[4] == Approx(2.5));
    CHECK(st[5] == Approx(3.25));
    CHECK(st[6] == Approx(3.85));

    std::vector<double> one{7};
    const auto s1 = summarise(one);
    CHECK(s1[0] == 7);
    CHECK(std::isnan(s1[1]));  // no spread from one value
    for (std::size_t k = 2; k < kStatistics; ++k) CHECK(s1[k] == 7);

    std::vector<double> none{kNaN, kNaN};
    for (const double x : summarise(none)) CHECK(std::isnan(x));

    CHECK(kStatisticNames[4] == "q50");
    CHECK(quantile_sorted(nullptr, 0, 0.5) != quantile_sorted(nullptr, 0, 0.5));  // NaN
}

TEST_CASE("stats: block sizes bound memory and cover every month", "[stats]") {
    CHECK(block_months(100, 240) == 240);
    CHECK(block_months(1000000, 240) == 4);
    CHECK(block_months(100000000, 240) == 1);  // never zero months
    CHECK(block_months(0, 0) == 1);
    CHECK(block_months(10, 240, 35) == 3);
}

TEST_CASE("stats: stored statistics equal a direct computation from the stored replicates",
          "[stats]") {
    TempDir dir("direct");
    const int months = 14;
    const int replicates = 9;
    // Blocks of 100 values: 11 months per block across 9 replicates, so blocks end mid-file.
    for (const std::size_t block_values : {kBlockValues, std::size_t{100}, std::size_t{1}}) {
        INFO("block_values " << block_values);
        const fs::path out = dir.path / ("out-" + std::to_string(block_values) + ".h5");
        {
            ResultFile file(out, make_provenance("test", 1, replicates), scenarios(months));
            write_runs(file, replicates, months);
            file.write_statistics(block_values);
            CHECK_THROWS_AS(file.write_statistics(), std::logic_error);  // once
            file.commit();
        }
        check_stats_match_replicates(out, out);
        const StoredFile info = read_stored_file(out);
        REQUIRE(info.scenarios.size() == 2);
        CHECK(info.scenarios[1].has_replicates);
        CHECK(info.scenarios[1].has_statistics);
        CHECK(info.replicates == replicates);
    }
}

TEST_CASE("stats: more replicates than one read takes (1,024 rows)", "[stats]") {
    TempDir dir("many");
    const int months = 3;
    const int replicates = 2100;  // three pieces of rows per read
    const fs::path out = dir.path / "many.h5";
    {
        ResultFile file(out, make_provenance("test", 1, replicates), scenarios(months));
        write_runs(file, replicates, months);
        file.write_statistics(5000);  // two blocks of months as well
        file.commit();
    }
    check_stats_match_replicates(out, out);
    const auto at = read_replicates_at(out, "baseline", "se_active", {2}, true, 5000);
    REQUIRE(at[0].size() == static_cast<std::size_t>(replicates));
    const int o = static_cast<int>(Output::se_active);
    for (const int r : {0, 1023, 1024, 2047, 2048, replicates - 1})
        CHECK(at[0][static_cast<std::size_t>(r)] ==
              Approx(value(0, r, o, 0) + value(0, r, o, 1) + value(0, r, o, 2)).epsilon(1e-14));
}

TEST_CASE("stats: a statistics-only file keeps the statistics and no replicates", "[stats]") {
    TempDir dir("only");
    const int months = 12;
    const int replicates = 5;
    const fs::path full = dir.path / "full.h5";
    const fs::path only = dir.path / "only.h5";
    {
        ResultFile file(full, make_provenance("test", 1, replicates), scenarios(months));
        write_runs(file, replicates, months);
        file.write_statistics();
        file.commit();
    }
    fs::path scratch;
    {
        ResultFile file(only, make_provenance("test", 1, replicates), scenarios(months),
                        Keep::statistics_only);
        write_runs(file, replicates, months);
        CHECK_THROWS_AS(file.commit(), std::logic_error);  // statistics first
        file.write_statistics();
        file.commit();
    }
    // The statistics are those of the same runs kept in full.
    check_stats_match_replicates(full, only);
    const StoredFile info = read_stored_file(only);
    for (const StoredScenario& s : info.scenarios) {
        CHECK_FALSE(s.has_replicates);
        CHECK(s.has_statistics);
    }
    CHECK_THROWS_WITH(read_replicates_at(only, "policy", "se_active", {0}, false),
                      Catch::Contains("statistics only"));
    // Only the result is left in the folder: the scratch file of the replicates is gone.
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(dir.path)) left.push_back(e.path().filename());
    std::sort(left.begin(), left.end());
    CHECK(left == std::vector<std::string>{"full.h5", "only.h5"});
}

TEST_CASE("stats: an abandoned statistics-only file leaves nothing behind", "[stats]") {
    TempDir dir("abandon");
    {
        ResultFile file(dir.path / "x.h5", make_provenance("test", 1, 2), scenarios(6),
                        Keep::statistics_only);
        write_runs(file, 2, 6);
    }
    CHECK(fs::is_empty(dir.path));
}

TEST_CASE("stats: per-replicate values and cumulative sums at chosen months", "[stats]") {
    TempDir dir("at");
    const int months = 20;
    const int replicates = 4;
    const fs::path out = dir.path / "out.h5";
    {
        ResultFile file(out, make_provenance("test", 1, replicates), scenarios(months));
        write_runs(file, replicates, months);
        file.commit();
    }
    const int o = static_cast<int>(Output::social_value);
    const std::vector<int> at{3, 11, 19};
    for (const std::size_t block_values : {kBlockValues, std::size_t{8}, std::size_t{1}}) {
        INFO("block_values " << block_values);
        const auto stock =
            read_replicates_at(out, "policy", "social_value", at, false, block_values);
        const auto flow = read_replicates_at(out, "policy", "social_value", at, true, block_values);
        REQUIRE(stock.size() == 3);
        for (std::size_t i = 0; i < at.size(); ++i) {
            REQUIRE(stock[i].size() == static_cast<std::size_t>(replicates));
            for (int r = 0; r < replicates; ++r) {
                CHECK(stock[i][static_cast<std::size_t>(r)] == value(1, r, o, at[i]));
                double sum = 0;
                for (int t = 0; t <= at[i]; ++t) sum += value(1, r, o, t);
                CHECK(flow[i][static_cast<std::size_t>(r)] == Approx(sum).epsilon(1e-14));
            }
        }
    }
    CHECK_THROWS_AS(read_replicates_at(out, "policy", "social_value", {20}, false), InputError);
    CHECK_THROWS_WITH(read_replicates_at(out, "nope", "social_value", {1}, false),
                      Catch::Contains("no scenario 'nope'"));
    CHECK_THROWS_WITH(read_replicates_at(out, "policy", "jobs", {1}, false),
                      Catch::Contains("no output 'jobs'"));
}

TEST_CASE("stats: a file that is not a sesim result file is named as such", "[stats]") {
    TempDir dir("foreign");
    const fs::path foreign = dir.path / "foreign.h5";
    {
        h5::Object f = h5::create_file(foreign);
        h5::create_group(f, "baseline");
        f.close();
    }
    CHECK_THROWS_WITH(read_stored_file(foreign), Catch::Contains("not a sesim result file") &&
                                                     Catch::Contains("sesim_version"));
    const fs::path text = dir.path / "notes.h5";
    {
        std::FILE* fp = std::fopen(text.c_str(), "w");
        std::fputs("hello\n", fp);
        std::fclose(fp);
    }
    CHECK_THROWS_AS(read_stored_file(text), InputError);
    CHECK_THROWS_AS(read_stored_file(dir.path / "missing.h5"), InputError);
}
