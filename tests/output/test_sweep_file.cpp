// The sweep file: layout, statuses made durable only by a checkpoint, failed runs, shard
// copies with their checks, and refusal of files that are not sweep files.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/outputs.hpp"
#include "output/hdf5_file.hpp"
#include "output/safe_write.hpp"
#include "output/sweep_file.hpp"

namespace fs = std::filesystem;
using namespace sesim;
using Catch::Contains;

namespace {

struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& tag) {
        path = fs::temp_directory_path() /
               ("sesim-test-sweep-file-" + tag + "-" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

constexpr int kMonths = 4;
constexpr std::int64_t kRuns = 10;

SweepLayout layout(int shard_index = 0, int shard_count = 1, const std::string& def = "def A") {
    SweepLayout l;
    l.definition = def;
    l.hash = "0123456789abcdef";
    l.shard_index = shard_index;
    l.shard_count = shard_count;
    l.total_runs = kRuns;
    l.parameter_names = {"zwolle.brokerage_budget", "partner_hazard"};
    l.parameter_units = {"relative", "per month"};
    l.outputs = {0, 4, 9};
    for (int t = 0; t < kMonths; ++t) l.months.push_back(month_index(2019, 1) + t);
    l.name = "test";
    return l;
}

// Row contents that depend on the run, so a misplaced row shows.
SweepRowFn rows(int shard_index = 0, int shard_count = 1) {
    return [=](std::int64_t row, SweepRow& r) {
        r.run = shard_index + row * shard_count;
        r.point = r.run / 2;
        r.replicate = static_cast<std::int32_t>(r.run % 2);
        r.seed = 42;
        r.design = {static_cast<double>(r.point) * 0.5, 0.001 * static_cast<double>(r.point)};
    };
}

std::vector<double> values(std::int64_t run) {
    std::vector<double> v;
    for (int o = 0; o < 3; ++o)
        for (int t = 0; t < kMonths; ++t) v.push_back(run * 100.0 + o * 10.0 + t + 0.25);
    return v;
}

h5::Matrix read(const fs::path& file, const std::string& name) {
    const h5::Object f = h5::open_file(file);
    return h5::read_matrix(h5::open_dataset(f, name));
}

}  // namespace

TEST_CASE("SweepFile: layout of a new file", "[sweep_file]") {
    TempDir d("layout");
    const fs::path p = d.path / "s.h5";
    SweepFile::create(p, layout(), rows());
    CHECK_FALSE(fs::exists(d.path / "s.h5.new"));
    const SweepFileInfo info = read_sweep_info(p);
    CHECK(info.definition == "def A");
    CHECK(info.name == "test");
    CHECK(info.rows == kRuns);
    CHECK(info.pending == kRuns);
    CHECK(info.total_runs == kRuns);
    const h5::Matrix design = read(p, "design");
    CHECK(design.rows == kRuns);
    CHECK(design.cols == 2);
    CHECK(design.values[2 * 7] == 1.5);  // run 7: point 3
    const h5::Matrix out = read(p, std::string(kOutputDefs[4].name));
    CHECK(out.rows == kRuns);
    CHECK(out.cols == kMonths);
    for (double v : out.values) CHECK(std::isnan(v));
    CHECK(read(p, "replicate").values[3] == 1);
    CHECK(read(p, "time").values[1] == 31);  // days since 2019-01-01
    CHECK(read_sweep_attribute(p, "sweep_name") == "test");
    CHECK(read_sweep_attribute(p, "absent").empty());
}

TEST_CASE("SweepFile: a status is durable only after a checkpoint", "[sweep_file]") {
    TempDir d("checkpoint");
    const fs::path p = d.path / "s.h5";
    SweepFile::create(p, layout(), rows());
    {
        SweepFile f(p);
        CHECK(f.values_per_run() == 3 * kMonths);
        f.write_result(2, RunStatus::done, values(2).data());
        f.write_result(5, RunStatus::failed, nullptr);
        CHECK(f.status()[2] == 1);
        // No checkpoint: like a kill -9 here, the statuses on disk stay pending.
    }
    CHECK(read_sweep_info(p).pending == kRuns);
    {
        SweepFile f(p);
        f.write_result(2, RunStatus::done, values(2).data());
        f.write_result(3, RunStatus::done, values(3).data());
        f.write_result(5, RunStatus::failed, nullptr);
        CHECK(f.checkpoint() == 3);
        f.close();
    }
    const SweepFileInfo info = read_sweep_info(p);
    CHECK(info.done == 2);
    CHECK(info.failed == 1);
    CHECK(info.pending == kRuns - 3);
    const h5::Matrix out = read(p, std::string(kOutputDefs[9].name));
    CHECK(out.values[3 * kMonths + 1] == 3 * 100.0 + 2 * 10.0 + 1 + 0.25);
    CHECK(std::isnan(out.values[5 * kMonths]));  // failed: no values
    CHECK(std::isnan(out.values[4 * kMonths]));  // pending
    SweepFile again(p);
    CHECK(again.status()[3] == 1);
    CHECK(again.status()[5] == 2);
    CHECK_THROWS_AS(again.write_result(kRuns, RunStatus::done, values(0).data()),
                    std::out_of_range);
}

TEST_CASE("SweepFile: shards are copied into their rows, and checked", "[sweep_file]") {
    TempDir d("shards");
    for (int i = 0; i < 3; ++i) {
        const fs::path p = d.path / ("shard-" + std::to_string(i) + ".h5");
        SweepFile::create(p, layout(i, 3), rows(i, 3));
        SweepFile f(p);
        CHECK(f.info().rows == (i == 0 ? 4 : 3));
        for (std::int64_t r = 0; r < f.info().rows; ++r)
            f.write_result(r, RunStatus::done, values(i + 3 * r).data());
        f.close();
    }
    const fs::path merged = d.path / "merged.h5";
    SweepFile::create(merged, layout(), rows());
    {
        SweepFile f(merged);
        for (int i = 0; i < 3; ++i)
            f.copy_shard(d.path / ("shard-" + std::to_string(i) + ".h5"), i, 3);
        CHECK(f.info().pending == 0);
        f.close();
    }
    const h5::Matrix out = read(merged, std::string(kOutputDefs[0].name));
    for (std::int64_t run = 0; run < kRuns; ++run)
        CHECK(out.values[static_cast<std::size_t>(run * kMonths + 2)] == values(run)[2]);

    // A shard whose rows are not the runs this file expects is refused.
    const fs::path odd = d.path / "odd.h5";
    SweepFile::create(odd, layout(1, 3), rows(0, 3));
    SweepFile::create(d.path / "m2.h5", layout(), rows());
    SweepFile m2(d.path / "m2.h5");
    try {
        m2.copy_shard(odd, 1, 3);
        FAIL("no RunError");
    } catch (const RunError& e) {
        CHECK_THAT(e.what(), Contains("holds run 0, not run 1 of shard 1/3"));
    }
}

TEST_CASE("SweepFile: other files are refused", "[sweep_file]") {
    TempDir d("refuse");
    const fs::path p = d.path / "plain.h5";
    h5::create_file(p).close();
    CHECK_THROWS_WITH(read_sweep_info(p), Contains("is not a sesim sweep file"));
    CHECK_THROWS_AS(SweepFile(p), RunError);
    CHECK_THROWS_AS(read_sweep_info(d.path / "missing.h5"), RunError);
    // A half-made file left by a process killed during create() (`<path>.new-<pid>`, pid
    // 999999999 being above any pid_max) is never opened, and the next writer removes it.
    const fs::path s = d.path / "s.h5";
    const fs::path stale = d.path / "s.h5.new-999999999";
    h5::create_file(stale).close();
    SweepFile::create(s, layout(), rows());
    CHECK(read_sweep_info(s).rows == kRuns);
    std::ostringstream log;
    CHECK(remove_stale_temporaries(s, log) == std::vector<fs::path>{stale});
    CHECK_FALSE(fs::exists(stale));
    CHECK_THAT(log.str(), Contains("left by process 999999999, which is gone"));
}
