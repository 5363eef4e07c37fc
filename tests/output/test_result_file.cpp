#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/params.hpp"
#include "output/hdf5_file.hpp"
#include "output/read_file.hpp"
#include "output/result_file.hpp"
#include "sesim_version.hpp"
#include "tests/support/default_geography.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace sesim;

namespace {

// tag: a name per test case, so that parallel test cases never share a folder.
struct TempDir : test::TempDir {
    explicit TempDir(const std::string& tag) : test::TempDir("sesim-test-result-file-" + tag) {}
};

Scenario make_scenario(const std::string& name, int months, int start_month) {
    Scenario s;
    s.name = name;
    s.description = "scenario " + name;
    s.path = "scenarios/" + name + ".scn";
    s.files = {"scenarios/base.scn", s.path};
    s.text = "# file: scenarios/base.scn\nmonths = 24\n# file: " + s.path + "\nname = " + name;
    s.params.g.months = months;
    s.params.g.start_month = start_month;
    return s;
}

// Distinct for every scenario, replicate, output and month, and not a round number, so a
// misplaced row or column cannot go unnoticed.
double value(int s, int r, int o, int t) {
    return s * 1e6 + r * 1e4 + o * 100 + t + 0.25;
}

RunSeries make_series(int s, int r, int months) {
    RunSeries series(months, 2);
    for (int o = 0; o < kOutputs; ++o)
        for (int t = 0; t < months; ++t) series.at(static_cast<Output>(o), t) = value(s, r, o, t);
    return series;
}

std::vector<Scenario> two_scenarios() {
    // "zeta" before "alpha": stored order must be creation order, not alphabetical.
    return {make_scenario("zeta", 24, month_index(2019, 1)),
            make_scenario("alpha", 12, month_index(2020, 3))};
}

template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("result_file: written runs read back exactly", "[output]") {
    TempDir dir("roundtrip");
    const fs::path out = dir.path / "out.h5";
    const auto scenarios = two_scenarios();
    {
        ResultFile file(out, make_provenance("sesim run test", 7, 3), scenarios);
        for (int s = 0; s < 2; ++s)
            for (int r = 0; r < 3; ++r) {
                if (s == 1 && r == 2) continue;  // never written: must read as NaN
                file.write_run(
                    s, r,
                    make_series(s, r, scenarios[static_cast<std::size_t>(s)].params.g.months));
            }
        file.commit();
    }

    REQUIRE(stored_scenarios(out) == std::vector<std::string>{"zeta", "alpha"});
    for (int s = 0; s < 2; ++s) {
        const auto& sc = scenarios[static_cast<std::size_t>(s)];
        for (int o = 0; o < kOutputs; ++o) {
            const auto name = std::string(kOutputDefs[static_cast<std::size_t>(o)].name);
            const StoredSeries got = read_output(out, sc.name, name);
            REQUIRE(got.replicates == 3);
            REQUIRE(got.months == sc.params.g.months);
            for (int r = 0; r < 3; ++r)
                for (int t = 0; t < got.months; ++t) {
                    if (s == 1 && r == 2)
                        REQUIRE(std::isnan(got.at(r, t)));
                    else
                        REQUIRE(got.at(r, t) == value(s, r, o, t));
                }
        }
    }
}

TEST_CASE("result_file: temporary file until commit, then only the final file", "[output]") {
    TempDir dir("commit");
    const fs::path out = dir.path / "out.h5";
    ResultFile file(out, make_provenance("x", 1, 1), two_scenarios());
    const fs::path tmp = file.temp_path();
    CHECK(tmp.parent_path() == out.parent_path());
    CHECK(tmp.filename().string().rfind("out.h5.tmp-", 0) == 0);
    CHECK(fs::exists(tmp));
    CHECK_FALSE(fs::exists(out));
    file.write_run(0, 0, make_series(0, 0, 24));
    file.commit();
    CHECK(fs::exists(out));
    CHECK_FALSE(fs::exists(tmp));
    file.commit();  // a second commit is harmless
    CHECK(fs::exists(out));
    CHECK_THROWS_AS(file.write_run(0, 0, make_series(0, 0, 24)), std::logic_error);
}

TEST_CASE("result_file: commit replaces an existing file", "[output]") {
    TempDir dir("replace");
    const fs::path out = dir.path / "out.h5";
    std::ofstream(out) << "old results";
    ResultFile file(out, make_provenance("x", 1, 1), two_scenarios());
    file.commit();
    CHECK(stored_scenarios(out) == std::vector<std::string>{"zeta", "alpha"});
}

TEST_CASE("result_file: without commit neither file remains", "[output]") {
    TempDir dir("abandon");
    const fs::path out = dir.path / "out.h5";
    fs::path tmp;
    {
        ResultFile file(out, make_provenance("x", 1, 2), two_scenarios());
        tmp = file.temp_path();
        file.write_run(1, 1, make_series(1, 1, 12));
        REQUIRE(fs::exists(tmp));
    }
    CHECK_FALSE(fs::exists(tmp));
    CHECK_FALSE(fs::exists(out));
    CHECK(fs::is_empty(dir.path));
}

TEST_CASE("result_file: write_run rejects runs that do not fit", "[output]") {
    TempDir dir("misuse");
    ResultFile file(dir.path / "out.h5", make_provenance("x", 1, 2), two_scenarios());
    CHECK_THROWS_AS(file.write_run(2, 0, make_series(0, 0, 24)), std::out_of_range);
    CHECK_THROWS_AS(file.write_run(-1, 0, make_series(0, 0, 24)), std::out_of_range);
    CHECK_THROWS_AS(file.write_run(0, 2, make_series(0, 0, 24)), std::out_of_range);
    CHECK_THROWS_AS(file.write_run(0, 0, make_series(0, 0, 12)), std::invalid_argument);
}

TEST_CASE("result_file: scenario names must make distinct group names", "[output]") {
    TempDir dir("names");
    const fs::path out = dir.path / "out.h5";
    const auto prov = make_provenance("x", 1, 1);
    auto dup = two_scenarios();
    dup[1].name = "zeta";
    CHECK_THROWS_AS(ResultFile(out, prov, dup), InputError);
    CHECK_THAT(error_of([&] { ResultFile f(out, prov, dup); }),
               Catch::Contains("'zeta'") && Catch::Contains("distinct"));
    auto slash = two_scenarios();
    slash[0].name = "a/b";
    CHECK_THROWS_AS(ResultFile(out, prov, slash), InputError);
    auto empty = two_scenarios();
    empty[0].name = "";
    CHECK_THROWS_AS(ResultFile(out, prov, empty), InputError);
    CHECK(fs::is_empty(dir.path));
}

TEST_CASE("result_file: time coordinate counts days since 2019-01-01", "[output]") {
    TempDir dir("time");
    const fs::path out = dir.path / "out.h5";
    {
        ResultFile file(out, make_provenance("x", 1, 2), two_scenarios());
        file.commit();
    }
    const h5::Object f = h5::open_file(out);
    const h5::Object zeta = h5::open_group(f, "zeta");
    const h5::Matrix time = h5::read_matrix(h5::open_dataset(zeta, "time"));
    REQUIRE(time.values.size() == 24);
    const std::vector<double> first{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
    for (std::size_t i = 0; i < first.size(); ++i) CHECK(time.values[i] == first[i]);
    CHECK(time.values[23] == 365 + 335);  // 2020-12-01, after the leap day

    const h5::Object alpha = h5::open_group(f, "alpha");
    const h5::Matrix time2 = h5::read_matrix(h5::open_dataset(alpha, "time"));
    REQUIRE(time2.values.size() == 12);
    CHECK(time2.values[0] == 365 + 31 + 29);  // 2020-03-01
    CHECK(time2.values[0] == cf_days_since_2019(month_index(2020, 3)));

    const h5::Object t = h5::open_dataset(zeta, "time");
    CHECK(h5::read_string_attribute(t, "units") == "days since 2019-01-01");
    CHECK(h5::read_string_attribute(t, "calendar") == "proleptic_gregorian");
    CHECK(h5::read_string_attribute(t, "standard_name") == "time");
    CHECK(h5::read_string_attribute(t, "axis") == "T");
    CHECK(h5::read_string_attribute(t, "CLASS") == "DIMENSION_SCALE");
    CHECK(h5::read_string_attribute(t, "NAME") == "time");

    const h5::Matrix rep = h5::read_matrix(h5::open_dataset(zeta, "replicate"));
    CHECK(rep.values == std::vector<double>{0, 1});
}

TEST_CASE("result_file: provenance, scenario and output attributes are stored", "[output]") {
    TempDir dir("attrs");
    const fs::path out = dir.path / "out.h5";
    auto scenarios = two_scenarios();
    scenarios[0].overrides = {{"months", "24"}, {"zwolle.population", "130000"}};
    scenarios[1].description = "";
    scenarios[1].params.g.months = 12;
    // Beyond the 64 KiB limit of a compact HDF5 attribute: needs dense attribute storage.
    scenarios[1].text = std::string(200000, 'x') + "\n# caf\xc3\xa9\n";
    {
        ResultFile file(out, make_provenance("sesim run a.scn -o out.h5", 4000000000u, 2),
                        scenarios);
        file.commit();
    }
    const h5::Object f = h5::open_file(out);
    CHECK(h5::read_string_attribute(f, "Conventions") == "CF-1.8");
    CHECK(h5::read_string_attribute(f, "title") == "sesim results");
    CHECK(h5::read_string_attribute(f, "sesim_version") == SESIM_VERSION);
    CHECK(h5::read_number_attribute(f, "model_version") == SESIM_MODEL_VERSION);
    CHECK(h5::read_string_attribute(f, "git_commit") == SESIM_GIT_COMMIT);
    CHECK(h5::read_string_attribute(f, "compiler") == SESIM_COMPILER);
    CHECK(h5::read_string_attribute(f, "cxx_flags") == SESIM_CXX_FLAGS);
    CHECK(h5::read_string_attribute(f, "build_type") == SESIM_BUILD_TYPE);
    CHECK(h5::read_number_attribute(f, "seed") == 4000000000.0);
    CHECK(h5::read_number_attribute(f, "replicates") == 2);
    CHECK(h5::read_string_attribute(f, "command_line") == "sesim run a.scn -o out.h5");
    const std::string created = h5::read_string_attribute(f, "creation_time");
    CHECK(created.size() == 20);
    CHECK(created[10] == 'T');
    CHECK(created.back() == 'Z');
    CHECK_FALSE(h5::read_string_attribute(f, "host").empty());

    const h5::Object zeta = h5::open_group(f, "zeta");
    CHECK(h5::read_string_attribute(zeta, "scenario_name") == "zeta");
    CHECK(h5::read_string_attribute(zeta, "description") == "scenario zeta");
    CHECK(h5::read_string_attribute(zeta, "scenario_path") == "scenarios/zeta.scn");
    CHECK(h5::read_string_attribute(zeta, "scenario_files") ==
          "scenarios/base.scn\nscenarios/zeta.scn");
    CHECK(h5::read_string_attribute(zeta, "scenario_text") == scenarios[0].text);
    CHECK(h5::read_string_attribute(zeta, "overrides") == "months=24\nzwolle.population=130000");

    const h5::Object alpha = h5::open_group(f, "alpha");
    CHECK(h5::read_string_attribute(alpha, "description").empty());
    CHECK(h5::read_string_attribute(alpha, "overrides").empty());
    CHECK(h5::read_string_attribute(alpha, "scenario_text") == scenarios[1].text);

    for (const OutputDef& def : kOutputDefs) {
        const h5::Object ds = h5::open_dataset(zeta, std::string(def.name));
        CHECK(h5::read_string_attribute(ds, "units") == def.units);
        CHECK(h5::read_string_attribute(ds, "long_name") == def.long_name);
        CHECK(h5::read_string_attribute(ds, "sesim_kind") ==
              (def.kind == OutputKind::stock ? "stock" : "flow"));
        CHECK(std::isnan(h5::read_number_attribute(ds, "_FillValue")));
        CHECK(h5::has_attribute(ds, "DIMENSION_LIST"));
    }

    const h5::Object params = h5::open_group(alpha, "parameters");
    const h5::Object units = h5::open_group(alpha, "parameter_units");
    std::size_t stored = 0;
    REQUIRE(H5Aiterate2(
                params.id(), H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr,
                [](hid_t, const char*, const H5A_info_t*, void* n) -> herr_t {
                    ++*static_cast<std::size_t*>(n);
                    return 0;
                },
                &stored) >= 0);
    CHECK(stored == param_keys().size());
    CHECK(h5::read_number_attribute(params, "months") == 12);
    CHECK(h5::read_string_attribute(params, "start_month") == "2020-03");
    CHECK(h5::read_string_attribute(units, "months") == "months");
    for (const ParamKey& key : param_keys()) {
        INFO(key.name);
        CHECK(h5::read_string_attribute(units, key.name) == key.def->unit);
        if (key.def->type == ParamType::month)
            CHECK(h5::read_string_attribute(params, key.name) ==
                  format_param_value(*key.def, key.get(scenarios[1].params)));
        else
            CHECK(h5::read_number_attribute(params, key.name) == key.get(scenarios[1].params));
    }
}

TEST_CASE("result_file: check_writable names unusable output paths", "[output]") {
    TempDir dir("writable");
    CHECK_NOTHROW(ResultFile::check_writable(dir.path / "out.h5"));
    CHECK(fs::is_empty(dir.path));  // the probe file is gone

    const fs::path missing = dir.path / "no-such-folder" / "out.h5";
    CHECK_THROWS_AS(ResultFile::check_writable(missing), InputError);
    CHECK_THAT(error_of([&] { ResultFile::check_writable(missing); }),
               Catch::Contains(missing.string()) && Catch::Contains("does not exist") &&
                   Catch::Contains("choose another output path or create the folder"));

    CHECK_THROWS_AS(ResultFile::check_writable(dir.path), InputError);
    CHECK_THAT(error_of([&] { ResultFile::check_writable(dir.path); }),
               Catch::Contains("is a folder"));

    // Tests run as root, for whom a chmod'ed folder is still writable; /proc is not.
    const fs::path unwritable = "/proc/sesim-out.h5";
    CHECK_THROWS_AS(ResultFile::check_writable(unwritable), InputError);
    CHECK_THAT(
        error_of([&] { ResultFile::check_writable(unwritable); }),
        Catch::Contains(unwritable.string()) && Catch::Contains("choose another output path"));

    std::ofstream(dir.path / "file") << "x";
    CHECK_THROWS_AS(ResultFile::check_writable(dir.path / "file" / "out.h5"), InputError);
}

TEST_CASE("result_file: reading a missing, foreign or damaged file is a RunError", "[output]") {
    TempDir dir("damaged");
    const fs::path good = dir.path / "good.h5";
    {
        ResultFile file(good, make_provenance("x", 1, 2), two_scenarios());
        file.write_run(0, 1, make_series(0, 1, 24));
        file.commit();
    }

    const fs::path missing = dir.path / "missing.h5";
    CHECK_THROWS_AS(stored_scenarios(missing), RunError);
    CHECK_THAT(error_of([&] { read_output(missing, "zeta", "se_active"); }),
               Catch::Contains(missing.string()));

    const fs::path text = dir.path / "text.h5";
    std::ofstream(text) << "this is not HDF5\n";
    CHECK_THROWS_AS(read_output(text, "zeta", "se_active"), RunError);
    CHECK_THAT(error_of([&] { stored_scenarios(text); }),
               Catch::Contains(text.string()) && Catch::Contains("not an HDF5 file"));

    CHECK_THROWS_AS(stored_scenarios(dir.path), RunError);

    // Cut at several points: the header may survive and the data not.
    const auto size = fs::file_size(good);
    for (const auto keep : {size / 8, size / 2, size - 100}) {
        const fs::path cut = dir.path / ("cut-" + std::to_string(keep) + ".h5");
        fs::copy_file(good, cut);
        fs::resize_file(cut, keep);
        INFO("kept " << keep << " of " << size << " bytes");
        CHECK_THROWS_AS(
            [&] {
                for (const auto& g : stored_scenarios(cut))
                    for (const auto& def : kOutputDefs) read_output(cut, g, std::string(def.name));
            }(),
            RunError);
    }

    CHECK_THAT(error_of([&] { read_output(good, "nope", "se_active"); }),
               Catch::Contains("no scenario 'nope'") && Catch::Contains("zeta, alpha") &&
                   Catch::Contains(good.string()));
    CHECK_THAT(error_of([&] { read_output(good, "zeta", "nope"); }),
               Catch::Contains("no output 'nope'") && Catch::Contains("'zeta'"));
    CHECK_THROWS_AS(read_output(good, "zeta/parameters", "months"), RunError);
    CHECK(read_output(good, "zeta", "se_active").at(1, 5) == value(0, 1, 0, 5));
}
