// The sweep runner: the same file whatever the number of threads (and with a team of one thread,
// where the coordinator computes inline), a stop request honoured before any run starts, and
// the shard slices.
#include <omp.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model/outputs.hpp"
#include "output/hdf5_file.hpp"
#include "output/sweep_file.hpp"
#include "solvers/sweep.hpp"
#include "solvers/sweep_runner.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace sesim;

namespace {

// tag: a name per test case, so that parallel test cases never share a folder.
struct TempDir : test::TempDir {
    explicit TempDir(const std::string& tag) : test::TempDir("sesim-test-sweep-runner-" + tag) {}
};

Sweep small_sweep(const TempDir& d) {
    std::ofstream(d.path / "s.ini")
        << "base = " << SESIM_SOURCE_DIR << "/scenarios/baseline.ini\n"
        << "design = lhs\nsamples = 6\nreplicates = 2\noutputs = se_active, jobs_total\n"
        << "keep = 2019-06, 2019-12\n[set]\nmonths = 12\n[vary]\nzwolle.brokerage_budget = 0 to "
           "8000\n"
        << "partner_hazard = 0.0005 to 0.008 log\n";
    return load_sweep(d.path / "s.ini");
}

std::vector<double> all_values(const fs::path& file) {
    const h5::Object f = h5::open_file(file);
    std::vector<double> out;
    for (const char* name : {"se_active", "jobs_total", "design"}) {
        const h5::Matrix m = h5::read_matrix(h5::open_dataset(f, name));
        out.insert(out.end(), m.values.begin(), m.values.end());
    }
    return out;
}

fs::path run_into(const TempDir& d, const Sweep& sweep, const std::string& name, int threads,
                  bool nested_single = false) {
    const fs::path p = d.path / name;
    SweepFile::create(p, sweep_layout(sweep, {}), sweep_rows(sweep, {}));
    SweepFile file(p);
    SweepOptions opt;
    opt.threads = threads;
    SweepOutcome oc;
    if (nested_single) {
        // Inside a parallel region with nesting off, the runner's team has one thread: the
        // coordinator must compute the runs itself.
        const int levels = omp_get_max_active_levels();
        omp_set_max_active_levels(1);
#pragma omp parallel num_threads(1)
        oc = run_sweep(sweep, {}, file, opt);
        omp_set_max_active_levels(levels);
    } else {
        oc = run_sweep(sweep, {}, file, opt);
    }
    CHECK(oc.done == sweep.runs());
    CHECK(oc.pending == 0);
    CHECK_FALSE(oc.stopped);
    file.close();
    return p;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("run_sweep: the same data with 1 or 3 threads, or computed inline", "[sweep_runner]") {
    TempDir d("threads");
    const Sweep sweep = small_sweep(d);
    const std::vector<double> one = all_values(run_into(d, sweep, "t1.h5", 1));
    CHECK(same_bits(one, all_values(run_into(d, sweep, "t3.h5", 3))));
    CHECK(same_bits(one, all_values(run_into(d, sweep, "inline.h5", 2, true))));
    // And equal to computing run 5 on its own.
    std::vector<double> v;
    compute_run(sweep, 5, v);
    REQUIRE(v.size() == 4);
    CHECK(v[1] == one[5 * 2 + 1]);  // se_active, second kept month
}

TEST_CASE("run_sweep: a stop request before the start runs nothing", "[sweep_runner]") {
    TempDir d("stop");
    const Sweep sweep = small_sweep(d);
    const fs::path p = d.path / "s.h5";
    SweepFile::create(p, sweep_layout(sweep, {}), sweep_rows(sweep, {}));
    SweepFile file(p);
    std::atomic<bool> stop{true};
    SweepOptions opt;
    opt.threads = 2;
    opt.stop = &stop;
    const SweepOutcome oc = run_sweep(sweep, {}, file, opt);
    CHECK(oc.stopped);
    CHECK(oc.done == 0);
    CHECK(oc.pending == sweep.runs());
}

TEST_CASE("SweepSlice: shard I of N takes runs I, I + N, ...", "[sweep_runner]") {
    const SweepSlice s{2, 5};
    CHECK(s.rows(23) == 5);  // runs 2, 7, 12, 17, 22
    CHECK(s.run(4) == 22);
    CHECK(SweepSlice{4, 5}.rows(23) == 4);  // runs 4, 9, 14, 19
    CHECK(SweepSlice{0, 1}.rows(23) == 23);
    CHECK(SweepSlice{3, 5}.rows(3) == 0);
}
