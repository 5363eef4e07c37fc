// output/safe_write: the lock of one writer per output, stale temporaries, atomic text files,
// write errors in words and the output-name check (issue 12). The fault tests of the whole
// command line are tests/app/fault_*.sh.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/errors.hpp"
#include "output/safe_write.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sesim;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;
using sesim::test::TempDir;

namespace {
std::string text_of(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

TEST_CASE("safe_write: one lock per output; a second writer is told who holds it", "[safe_write]") {
    TempDir d("lock");
    const fs::path out = d / "out.h5";
    {
        const OutputLock first(out, "sesim run");
        CHECK(fs::exists(lock_path(out)));
        CHECK(lock_holder(out) == ::getpid());
        // flock belongs to the open file, so a second lock in this process conflicts too.
        CHECK_THROWS_AS(OutputLock(out, "sesim sweep"), InputError);
        CHECK_THROWS_WITH(OutputLock(out, "sesim sweep"),
                          Contains("is in use by process " + std::to_string(::getpid())) &&
                              Contains("(sesim run)"));
        // Another output of the same folder is free.
        CHECK_NOTHROW(OutputLock(d / "other.h5", "sesim run"));
    }
    // Released: the lock file is gone and the next writer gets the lock.
    CHECK_FALSE(fs::exists(lock_path(out)));
    CHECK(lock_holder(out) == 0);
    CHECK_NOTHROW(OutputLock(out, "sesim run"));
    // A lock file left by a killed writer (no one holds its flock) is taken over.
    std::ofstream(lock_path(out)) << "999999999 sesim run\n";
    const OutputLock again(out, "sesim merge");
    CHECK_THAT(text_of(lock_path(out)), Contains(std::to_string(::getpid()) + " sesim merge"));
}

TEST_CASE("safe_write: temporaries of processes that are gone are found and removed",
          "[safe_write]") {
    TempDir d("stale");
    const fs::path out = d / "out.h5";
    const std::string me = std::to_string(::getpid());
    // 999999999 is above any pid_max: that process cannot exist.
    for (const std::string& name :
         std::vector<std::string>{"out.h5.tmp-999999999", "out.h5.merging-999999999.new-999999999",
                                  "out.h5.partial.new-999999999", "out.h5.tmp-" + me,
                                  "out.h5.partial", "out.h5.tmp-x", "other.h5.tmp-999999999"})
        std::ofstream(d / name) << "x";
    std::ostringstream log;
    const std::vector<fs::path> removed = remove_stale_temporaries(out, log);
    CHECK(removed.size() == 3);
    CHECK_FALSE(fs::exists(d / "out.h5.tmp-999999999"));
    CHECK_FALSE(fs::exists(d / "out.h5.merging-999999999.new-999999999"));
    CHECK_FALSE(fs::exists(d / "out.h5.partial.new-999999999"));
    // This process's temporary, a sweep's working file, other names and other outputs stay.
    CHECK(fs::exists(d / ("out.h5.tmp-" + me)));
    CHECK(fs::exists(d / "out.h5.partial"));
    CHECK(fs::exists(d / "out.h5.tmp-x"));
    CHECK(fs::exists(d / "other.h5.tmp-999999999"));
    CHECK_THAT(log.str(), Contains("left by process 999999999, which is gone"));
    // A folder's outputs with temporaries, for `sesim clean FOLDER`.
    const std::vector<fs::path> outputs = temporary_outputs(d.path);
    CHECK(outputs == std::vector<fs::path>{d / "other.h5", d / "out.h5"});
}

TEST_CASE("safe_write: a text file appears whole at commit, or not at all", "[safe_write]") {
    TempDir d("atomic");
    const fs::path out = d / "effects.csv";
    std::ofstream(out) << "old\n";
    {
        AtomicTextFile f(out);
        f.stream() << "new\n";
        // Not committed: the old file stays, and no temporary is left.
    }
    CHECK(text_of(out) == "old\n");
    CHECK(std::distance(fs::directory_iterator(d.path), fs::directory_iterator{}) == 1);
    write_file_atomically(out, "a,b\n1,2\n");
    CHECK(text_of(out) == "a,b\n1,2\n");
    CHECK(std::distance(fs::directory_iterator(d.path), fs::directory_iterator{}) == 1);
}

TEST_CASE("safe_write: write errors in words; output names that cannot fit", "[safe_write]") {
    CHECK_THAT(write_error_cause(ENOSPC), Contains("no space left"));
    CHECK_THAT(write_error_cause(EFBIG), Contains("file too large") && Contains("ulimit -f"));
    CHECK_THROWS_WITH(throw_write_error("x.h5", ENOSPC),
                      Contains("cannot write 'x.h5'") && Contains("no space left"));
    TempDir d("names");
    CHECK_NOTHROW(check_output_path(d / "out.h5"));
    // 255 bytes is the limit of most file systems; the temporaries add up to 32 more.
    const std::string long_name(240, 'n');
    CHECK_THROWS_AS(check_output_path(d / long_name), InputError);
    CHECK_THROWS_WITH(check_output_path(d / long_name), Contains("choose a shorter name"));
    CHECK_THROWS_WITH(check_output_path(d / "missing" / "out.h5"), Contains("does not exist"));
    CHECK(temporary_path("a/out.h5").string() == "a/out.h5.tmp-" + std::to_string(::getpid()));
}
