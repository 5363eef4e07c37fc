// Unit tests of solvers/reproduce: the element-by-element comparison, and reproduce_file on
// real result files, unchanged, changed in one value, with another model version, with a
// parameter missing or out of range, statistics-only, truncated and not HDF5 at all.
#include <hdf5.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "model/errors.hpp"
#include "output/result_file.hpp"
#include "solvers/reproduce.hpp"
#include "solvers/runner.hpp"
#include "tests/support/default_geography.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace sesim;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct TempDir : test::TempDir {
    TempDir() : test::TempDir("sesim-test-reproduce") {}
};

// Two scenarios of 24 months: the defaults, and partnership brokerage in Zwolle from month 6.
std::vector<Scenario> two_scenarios() {
    Scenario a;
    a.name = "base";
    a.params.g.months = 24;
    Scenario b = a;
    b.name = "broker";
    find_param("zwolle.brokerage_budget")->set(b.params, 7000.0);
    find_param("zwolle.brokerage_start")->set(b.params, a.params.g.start_month + 6);
    return {a, b};
}

// A result file as `sesim run` writes it.
fs::path make_file(const fs::path& path, int replicates, Keep keep = Keep::replicates) {
    RunPlan plan;
    plan.scenarios = two_scenarios();
    plan.replicates = replicates;
    plan.seed = 424242;
    ResultFile file(path, make_provenance("test", plan.seed, replicates), plan.scenarios, keep);
    const RunOutcome oc = run_plan(
        plan, [&](int s, int r, const RunSeries& series) { file.write_run(s, r, series); });
    REQUIRE(oc.failed == 0);
    file.write_statistics();
    file.commit();
    return path;
}

// Opens `file` for writing with the HDF5 C API, as an editor of the file would.
struct Writable {
    hid_t id;
    explicit Writable(const fs::path& file) : id(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)) {
        REQUIRE(id >= 0);
    }
    ~Writable() { H5Fclose(id); }
};

double read_element(const fs::path& file, const std::string& dataset, hsize_t row, hsize_t col) {
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t ds = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
    const hid_t space = H5Dget_space(ds);
    const hsize_t start[2] = {row, col};
    const hsize_t count[2] = {1, 1};
    H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr);
    const hid_t mem = H5Screate_simple(2, count, nullptr);
    double v = kNaN;
    H5Dread(ds, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, &v);
    H5Sclose(mem);
    H5Sclose(space);
    H5Dclose(ds);
    H5Fclose(f);
    return v;
}

void write_element(const fs::path& file, const std::string& dataset, hsize_t row, hsize_t col,
                   double value) {
    const Writable f(file);
    const hid_t ds = H5Dopen2(f.id, dataset.c_str(), H5P_DEFAULT);
    REQUIRE(ds >= 0);
    const hid_t space = H5Dget_space(ds);
    const hsize_t start[2] = {row, col};
    const hsize_t count[2] = {1, 1};
    H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr);
    const hid_t mem = H5Screate_simple(2, count, nullptr);
    REQUIRE(H5Dwrite(ds, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, &value) >= 0);
    H5Sclose(mem);
    H5Sclose(space);
    H5Dclose(ds);
}

void write_number_attribute(const fs::path& file, const std::string& object,
                            const std::string& name, double value) {
    const Writable f(file);
    const hid_t obj = H5Oopen(f.id, object.c_str(), H5P_DEFAULT);
    REQUIRE(obj >= 0);
    H5Adelete(obj, name.c_str());
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attr =
        H5Acreate2(obj, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(H5Awrite(attr, H5T_NATIVE_DOUBLE, &value) >= 0);
    H5Aclose(attr);
    H5Sclose(space);
    H5Oclose(obj);
}

void delete_attribute(const fs::path& file, const std::string& object, const std::string& name) {
    const Writable f(file);
    const hid_t obj = H5Oopen(f.id, object.c_str(), H5P_DEFAULT);
    REQUIRE(obj >= 0);
    REQUIRE(H5Adelete(obj, name.c_str()) >= 0);
    H5Oclose(obj);
}

bool has_note(const ReproduceReport& r, const std::string& text) {
    for (const std::string& n : r.notes)
        if (n.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("compare_values finds the first differing element and the size of differences",
          "[reproduce]") {
    const std::vector<double> recorded{1, 2, 3, 4, 5, 6};
    SECTION("identical values agree") {
        const auto c = compare_values("s", "x", 2, 3, recorded.data(), recorded.data(), {});
        CHECK(c.agrees());
        CHECK(c.differing == 0);
        CHECK(c.max_abs_diff == 0);
    }
    SECTION("differences are counted; the first in row-major order is reported") {
        std::vector<double> now = recorded;
        now[5] = 6.5;
        now[4] = 5.25;
        const auto c = compare_values("s", "x", 2, 3, recorded.data(), now.data(), {});
        CHECK_FALSE(c.agrees());
        CHECK(c.differing == 2);
        CHECK(c.first_row == 1);
        CHECK(c.first_col == 1);
        CHECK(c.recorded == 5);
        CHECK(c.recomputed == 5.25);
        CHECK(c.max_abs_diff == 0.5);
        CHECK(c.max_rel_diff == Approx(0.5 / 6.5));
    }
    SECTION("one bit is a difference without a tolerance, none within one") {
        std::vector<double> now = recorded;
        now[2] = std::nextafter(3.0, 4.0);
        CHECK_FALSE(compare_values("s", "x", 2, 3, recorded.data(), now.data(), {}).agrees());
        const auto c = compare_values("s", "x", 2, 3, recorded.data(), now.data(), 1e-12);
        CHECK(c.agrees());
        CHECK(c.within_tolerance == 1);
        CHECK(c.max_rel_diff > 0);
        CHECK_FALSE(compare_values("s", "x", 2, 3, recorded.data(), now.data(), 1e-17).agrees());
    }
    SECTION("NaN agrees with the same NaN only; +0 and -0 differ in their bits") {
        CHECK(values_agree(kNaN, kNaN, {}));
        CHECK_FALSE(values_agree(kNaN, 1.0, 0.5));
        CHECK_FALSE(values_agree(0.0, -0.0, {}));
        CHECK(values_agree(0.0, -0.0, 1e-12));
        CHECK(values_agree(0.0, 0.0, 0.0));
        CHECK_FALSE(values_agree(0.0, 1e-300, 0.5));
    }
}

TEST_CASE("reproduce_file re-runs a file from the file alone and finds it identical",
          "[reproduce]") {
    TempDir dir;
    const fs::path file = make_file(dir.path / "r.h5", 3);
    const ReproduceReport r = reproduce_file(file, {});
    CHECK(r.agrees());
    CHECK(r.notes.empty());
    CHECK(r.values_within_tolerance == 0);
    CHECK(r.replicates_checked == 3);
    REQUIRE(r.file.scenarios.size() == 2);
    // Per scenario: time, every output and its statistics.
    CHECK(r.datasets_compared ==
          2 * (1 + 3 * static_cast<std::size_t>(
                           kOutputs)));  // time; outputs, their statistics and per region
    // The parameters came back exactly.
    CHECK(find_param("zwolle.brokerage_budget")->get(r.file.scenarios[1].scenario.params) ==
          7000.0);
    CHECK(r.file.scenarios[1].scenario.params.region[0].brokerage_start ==
          r.file.scenarios[1].scenario.params.g.start_month + 6);
    CHECK(format_report(r, {}).find("identical:") != std::string::npos);

    SECTION("the first replicates only: the statistics are not checked, and it says so") {
        ReproduceOptions o;
        o.replicates = 2;
        const ReproduceReport part = reproduce_file(file, o);
        CHECK(part.agrees());
        CHECK(part.replicates_checked == 2);
        CHECK(has_note(part, "not checked"));
        CHECK(part.datasets_compared ==
              2 * (1 + 2 * static_cast<std::size_t>(kOutputs)));  // time; outputs and per region
    }
    SECTION("more replicates than the file holds is bad input") {
        ReproduceOptions o;
        o.replicates = 4;
        CHECK_THROWS_AS(reproduce_file(file, o), InputError);
    }
}

TEST_CASE("reproduce_file names the dataset and first element of a changed value", "[reproduce]") {
    TempDir dir;
    const fs::path file = make_file(dir.path / "r.h5", 3);
    const double old = read_element(file, "/broker/jobs_total", 1, 7);
    write_element(file, "/broker/jobs_total", 1, 7, old * 1.01);
    const ReproduceReport r = reproduce_file(file, {});
    CHECK_FALSE(r.agrees());
    REQUIRE(r.differences.size() == 1);
    const DatasetComparison& c = r.differences[0];
    CHECK(c.scenario == "broker");
    CHECK(c.dataset == "jobs_total");
    CHECK(c.differing == 1);
    CHECK(c.first_row == 1);
    CHECK(c.first_col == 7);
    CHECK(c.recorded == old * 1.01);
    CHECK(c.recomputed == old);
    const std::string text = format_report(r, {});
    CHECK(text.find("broker/jobs_total: 1 of 72 values differ; first at replicate 1, month "
                    "2019-08 (element [1, 7])") != std::string::npos);

    SECTION("a change in the statistics is found as well") {
        write_element(file, "/broker/jobs_total", 1, 7, old);
        write_element(file, "/base/se_active_stats", 4, 20, 1e6);
        const ReproduceReport s = reproduce_file(file, {});
        REQUIRE(s.differences.size() == 1);
        CHECK(s.differences[0].dataset == "se_active_stats");
        CHECK(s.differences[0].first_row == 4);
        CHECK(s.differences[0].first_col == 20);
        CHECK(format_report(s, {}).find("statistic q50, month 2020-09") != std::string::npos);
    }
    SECTION("within a tolerance a last-bit change agrees, a 1% change does not") {
        write_element(file, "/broker/jobs_total", 1, 7, std::nextafter(old, 1e300));
        ReproduceOptions o;
        o.tolerance = 1e-12;
        const ReproduceReport near = reproduce_file(file, o);
        CHECK(near.agrees());
        CHECK(near.values_within_tolerance == 1);
        CHECK(format_report(near, o).find("equal within relative tolerance") != std::string::npos);
        CHECK_FALSE(reproduce_file(file, {}).agrees());
    }
}

TEST_CASE("reproduce_file says when the file is from another model version", "[reproduce]") {
    TempDir dir;
    const fs::path file = make_file(dir.path / "r.h5", 2);
    write_number_attribute(file, "/", "model_version", 0);
    const ReproduceReport r = reproduce_file(file, {});
    CHECK(r.model_version_differs);
    CHECK(has_note(r, "model version 0"));
    // Same numbers here, so still identical; the note is what the reader must see.
    CHECK(r.agrees());
}

TEST_CASE("reproduce_file handles missing and damaged parameters", "[reproduce]") {
    TempDir dir;
    const fs::path file = make_file(dir.path / "r.h5", 2);
    SECTION("a missing parameter takes its default and is named") {
        delete_attribute(file, "/base/parameters", "haarlem.school.budget");
        const ReproduceReport r = reproduce_file(file, {});
        CHECK(has_note(r, "haarlem.school.budget"));
        CHECK(r.agrees());  // the scenario had the default
    }
    SECTION("a missing parameter that mattered shows as differences") {
        delete_attribute(file, "/broker/parameters", "zwolle.brokerage_budget");
        const ReproduceReport r = reproduce_file(file, {});
        CHECK(has_note(r, "zwolle.brokerage_budget"));
        CHECK_FALSE(r.agrees());
    }
    SECTION("a parameter out of its range is bad input naming it") {
        write_number_attribute(file, "/base/parameters", "zwolle.brokerage_budget", 1e9);
        try {
            reproduce_file(file, {});
            FAIL("no error");
        } catch (const InputError& e) {
            CHECK(std::string(e.what()).find("zwolle.brokerage_budget") != std::string::npos);
        }
    }
    SECTION("an unknown parameter is named and ignored") {
        write_number_attribute(file, "/base/parameters", "zwolle.no_such_lever", 3);
        const ReproduceReport r = reproduce_file(file, {});
        CHECK(has_note(r, "zwolle.no_such_lever=3"));
    }
}

TEST_CASE("reproduce_file checks a statistics-only file by recomputing its statistics",
          "[reproduce]") {
    TempDir dir;
    const fs::path file = make_file(dir.path / "s.h5", 3, Keep::statistics_only);
    const ReproduceReport r = reproduce_file(file, {});
    CHECK(r.agrees());
    CHECK(r.datasets_compared == 2 * (1 + static_cast<std::size_t>(kOutputs)));
    ReproduceOptions o;
    o.replicates = 2;
    CHECK_THROWS_AS(reproduce_file(file, o), InputError);
}

TEST_CASE("reproduce_file refuses files that are not readable sesim results", "[reproduce]") {
    TempDir dir;
    SECTION("not HDF5") {
        std::ofstream(dir.path / "x.h5") << "hello\n";
        CHECK_THROWS_AS(reproduce_file(dir.path / "x.h5", {}), InputError);
    }
    SECTION("missing") {
        CHECK_THROWS_AS(reproduce_file(dir.path / "none.h5", {}), InputError);
    }
    SECTION("truncated") {
        const fs::path file = make_file(dir.path / "r.h5", 2);
        fs::resize_file(file, fs::file_size(file) / 2);
        CHECK_THROWS_AS(reproduce_file(file, {}), InputError);
    }
    SECTION("HDF5 but not from sesim run") {
        const hid_t f =
            H5Fcreate((dir.path / "other.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        H5Fclose(f);
        try {
            reproduce_file(dir.path / "other.h5", {});
            FAIL("no error");
        } catch (const InputError& e) {
            CHECK(std::string(e.what()).find("not a sesim result file") != std::string::npos);
        }
    }
    SECTION("a listed scenario group that is gone") {
        const fs::path file = make_file(dir.path / "r.h5", 2);
        {
            const Writable w(file);
            REQUIRE(H5Ldelete(w.id, "broker", H5P_DEFAULT) >= 0);
        }
        try {
            reproduce_file(file, {});
            FAIL("no error");
        } catch (const InputError& e) {
            CHECK(std::string(e.what()).find("'broker'") != std::string::npos);
        }
    }
}
