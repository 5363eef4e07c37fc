// `sesim compare` as users meet it: the real binary on files written by `sesim run`. A scenario
// against an identical copy shows zero effects with zero-width intervals; a file that lacks
// what is asked exits 2 with a message naming what is missing; --csv writes every number.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/calendar.hpp"
#include "output/hdf5_file.hpp"
#include "output/result_file.hpp"
#include "sesim_version.hpp"

namespace fs = std::filesystem;
using namespace sesim;

namespace {

const fs::path kScenarios = fs::path(SESIM_SOURCE_DIR) / "scenarios";

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "sesim-test-compare-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path operator/(const std::string& name) const { return path / name; }
};

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Result {
    int status = -1;
    std::string out;
    std::string err;
};

// Runs `sesim ARGS` through the shell (arguments here are plain words and temp paths).
Result run_sesim(const TempDir& dir, const std::string& args) {
    const fs::path out = dir / "stdout.txt";
    const fs::path err = dir / "stderr.txt";
    const std::string cmd =
        std::string(SESIM_BINARY) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int rc = std::system(cmd.c_str());
    Result r;
    r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = read_text(out);
    r.err = read_text(err);
    return r;
}

// The baseline and a copy of it under another name, 4 replicates of 2019-01 to 2021-12.
fs::path baseline_and_copy(const TempDir& dir) {
    std::ofstream(dir / "copy.ini") << "base = " << (kScenarios / "baseline.ini").string()
                                    << "\nname = copy\ndescription = the baseline again\n";
    const fs::path out = dir / "pair.h5";
    const Result r = run_sesim(dir, "run " + (kScenarios / "baseline.ini").string() + " " +
                                        (dir / "copy.ini").string() +
                                        " -r 4 --set months=36 -q -o " + out.string());
    REQUIRE(r.status == 0);
    return out;
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::string cell;
        bool quoted = false;
        for (const char c : line) {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
                cells.push_back(cell), cell.clear();
            else
                cell += c;
        }
        cells.push_back(cell);
        rows.push_back(cells);
    }
    return rows;
}

}  // namespace

TEST_CASE("compare cli: an identical copy shows zero effects and zero-width intervals",
          "[compare][cli]") {
    TempDir dir;
    const fs::path file = baseline_and_copy(dir);
    const Result r =
        run_sesim(dir, "compare " + file.string() + " --csv " + (dir / "e.csv").string());
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("1 scenario(s) against 'baseline', 4 paired replicates") != std::string::npos);
    // Default date: the last December simulated (2030-12 is not simulated here).
    CHECK(r.out.find("2021-12") != std::string::npos);
    CHECK(r.out.find("2030-12") == std::string::npos);
    CHECK(r.out.find("[0, 0]") != std::string::npos);
    CHECK(r.out.find("the number of scaled SEs does not change") != std::string::npos);

    const auto rows = csv_rows(read_text(dir / "e.csv"));
    REQUIRE(rows.size() > 7);
    const auto& head = rows[0];
    const auto col = [&](const std::string& name) {
        const auto it = std::find(head.begin(), head.end(), name);
        REQUIRE(it != head.end());
        return static_cast<std::size_t>(it - head.begin());
    };
    const std::size_t measure = col("measure"), diff = col("difference"), low = col("ci_low"),
                      high = col("ci_high"), n = col("replicates");
    int effects = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        REQUIRE(rows[i].size() == head.size());
        if (rows[i][measure] == "ratio") continue;
        INFO(rows[i][col("output")]);
        CHECK(rows[i][col("scenario")] == "copy");
        CHECK(rows[i][n] == "4");
        CHECK(std::stod(rows[i][diff]) == 0);
        CHECK(std::stod(rows[i][low]) == 0);
        CHECK(std::stod(rows[i][high]) == 0);
        ++effects;
    }
    CHECK(effects == 7);  // the key outcomes at one date
}

TEST_CASE("compare cli: dates, outputs and baseline can be chosen", "[compare][cli]") {
    TempDir dir;
    const fs::path file = baseline_and_copy(dir);
    const Result r = run_sesim(dir, "compare " + file.string() +
                                        " --baseline copy --at 2020-06,2019-12 --outputs "
                                        "mean_skill --outputs tenders_won_se --csv -");
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto rows = csv_rows(r.out);
    // Header, then 2 outputs x 2 dates, then 2 cost rows x 2 dates, for the one scenario.
    REQUIRE(rows.size() == 1 + 4 + 4);
    CHECK(rows[1][0] == "baseline");
    CHECK(rows[1][1] == "copy");
    CHECK(rows[1][2] == "mean_skill");
    CHECK(rows[1][6] == "2019-12");
    CHECK(rows[2][6] == "2020-06");
    CHECK(rows[3][2] == "tenders_won_se");
    CHECK(rows[3][5] == "cumulative");
}

TEST_CASE("compare cli: what the file lacks is named, with exit code 2", "[compare][cli]") {
    TempDir dir;
    const fs::path file = baseline_and_copy(dir);
    const std::string f = file.string();
    struct Case {
        std::string args;
        std::string message;
    };
    const std::vector<Case> cases{
        {"compare " + f + " --baseline status_quo", "no scenario 'status_quo'"},
        {"compare " + f + " --outputs jobs_target", "unknown output 'jobs_target'"},
        {"compare " + f + " --at 2030-12", "date 2030-12 is outside the months"},
        {"compare " + f + " --at 2018-12", "2019-01 to 2021-12"},
        {"compare " + f + " --at 2020-13", "is not a month"},
        {"compare " + (dir / "missing.h5").string(), "no such file"},
        {"compare", "no result file given"},
    };
    for (const Case& c : cases) {
        INFO(c.args);
        const Result r = run_sesim(dir, c.args);
        CHECK(r.status == 2);
        CHECK(r.err.find(c.message) != std::string::npos);
        CHECK(r.out.empty());
    }
}

TEST_CASE("compare cli: foreign, single-scenario, statistics-only and other-version files",
          "[compare][cli]") {
    TempDir dir;
    // An HDF5 file without sesim's root attributes.
    {
        h5::Object f = h5::create_file(dir / "foreign.h5");
        h5::create_group(f, "baseline");
        f.close();
    }
    Result r = run_sesim(dir, "compare " + (dir / "foreign.h5").string());
    CHECK(r.status == 2);
    CHECK(r.err.find("not a sesim result file") != std::string::npos);

    // A sweep file (`sesim sweep` marks its root with the sweep definition).
    {
        h5::Object f = h5::create_file(dir / "sweep.h5");
        h5::write_attribute(f, "sweep_definition", "name = small");
        f.close();
    }
    r = run_sesim(dir, "compare " + (dir / "sweep.h5").string());
    CHECK(r.status == 2);
    CHECK(r.err.find("is a sesim sweep file") != std::string::npos);

    // One scenario only: nothing to compare.
    const std::string base = (kScenarios / "baseline.ini").string();
    REQUIRE(
        run_sesim(dir, "run " + base + " -r 2 --set months=12 -q -o " + (dir / "one.h5").string())
            .status == 0);
    r = run_sesim(dir, "compare " + (dir / "one.h5").string());
    CHECK(r.status == 2);
    CHECK(r.err.find("holds only the scenario 'baseline'") != std::string::npos);

    // Statistics only: the paired effects need the replicates.
    const std::string two = base + " " + (kScenarios / "brokerage.ini").string();
    REQUIRE(run_sesim(dir, "run " + two + " -r 2 --set months=12 -q --stats-only -o " +
                               (dir / "stats.h5").string())
                .status == 0);
    r = run_sesim(dir, "compare " + (dir / "stats.h5").string());
    CHECK(r.status == 2);
    CHECK(r.err.find("statistics only") != std::string::npos);

    // Another model version: refused unless allowed.
    {
        std::vector<Scenario> sc(2);
        sc[0].name = "baseline";
        sc[1].name = "other";
        for (auto& s : sc) s.params.g.months = 12;
        Provenance prov = make_provenance("test", 1, 3);
        prov.model_version = SESIM_MODEL_VERSION + 1;
        ResultFile out(dir / "old.h5", prov, sc);
        for (int s = 0; s < 2; ++s)
            for (int k = 0; k < 3; ++k) out.write_run(s, k, RunSeries(12, 2));
        out.commit();
    }
    r = run_sesim(dir, "compare " + (dir / "old.h5").string());
    CHECK(r.status == 2);
    CHECK(r.err.find("model version " + std::to_string(SESIM_MODEL_VERSION + 1)) !=
          std::string::npos);
    CHECK(r.err.find("--allow-version-mismatch") != std::string::npos);
    r = run_sesim(dir, "compare " + (dir / "old.h5").string() + " --allow-version-mismatch");
    CHECK(r.status == 0);
    CHECK(r.err.find("warning") != std::string::npos);
}

TEST_CASE("compare cli: sesim run stores statistics, --stats-only only them", "[compare][cli]") {
    TempDir dir;
    const std::string two =
        (kScenarios / "baseline.ini").string() + " " + (kScenarios / "brokerage.ini").string();
    REQUIRE(
        run_sesim(dir, "run " + two + " -r 3 --set months=6 -q -o " + (dir / "full.h5").string())
            .status == 0);
    REQUIRE(run_sesim(dir, "run " + two + " -r 3 --set months=6 -q --stats-only -o " +
                               (dir / "only.h5").string())
                .status == 0);
    const auto has = [](const fs::path& file, const std::string& group, const std::string& name) {
        const h5::Object f = h5::open_file(file);
        return h5::has_link(h5::open_group(f, group), name);
    };
    for (const std::string g : {"baseline", "brokerage"}) {
        CHECK(has(dir / "full.h5", g, "se_scaled"));
        CHECK(has(dir / "full.h5", g, "se_scaled_stats"));
        CHECK(has(dir / "full.h5", g, "statistic"));
        CHECK_FALSE(has(dir / "only.h5", g, "se_scaled"));
        CHECK_FALSE(has(dir / "only.h5", g, "replicate"));
        CHECK(has(dir / "only.h5", g, "se_scaled_stats"));
        CHECK(has(dir / "only.h5", g, "time"));
    }
    // Same runs, same statistics, whichever way they were kept.
    const h5::Object a = h5::open_file(dir / "full.h5");
    const h5::Object b = h5::open_file(dir / "only.h5");
    CHECK(h5::read_matrix(h5::open_dataset(h5::open_group(a, "brokerage"), "jobs_total_stats"))
              .values ==
          h5::read_matrix(h5::open_dataset(h5::open_group(b, "brokerage"), "jobs_total_stats"))
              .values);
    // Nothing but the two results is left in the folder (no scratch file of the replicates).
    std::vector<std::string> h5s;
    for (const auto& e : fs::directory_iterator(dir.path))
        if (e.path().string().find(".h5") != std::string::npos) h5s.push_back(e.path().filename());
    std::sort(h5s.begin(), h5s.end());
    CHECK(h5s == std::vector<std::string>{"full.h5", "only.h5"});
}
