// The `sesim` command line as users meet it: the real binary, run as a child process.
// Bad input must exit 2 with a message that names the problem and write nothing; an interrupt
// must exit 130 and leave nothing; results must not depend on the thread count; the generated
// docs must match the binary; the Python example of docs/output.md must run.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "model/outputs.hpp"
#include "output/hdf5_file.hpp"
#include "output/read_file.hpp"
#include "output/result_file.hpp"
#include "tests/support/temp_dir.hpp"

extern char** environ;

namespace fs = std::filesystem;
using namespace sesim;

namespace {

using Clock = std::chrono::steady_clock;

const fs::path kSource = SESIM_SOURCE_DIR;
const fs::path kBaseline = kSource / "scenarios" / "baseline.ini";

// ---- Temporary folders -------------------------------------------------------------------------

struct TempDir : test::TempDir {
    TempDir() : test::TempDir("sesim-test-cli") {}
};

// Every entry below `dir`, relative: compared before and after a run to prove that it wrote
// nothing (no result, no `.tmp-` file, no write probe).
std::set<std::string> entries(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        out.insert(fs::relative(e.path(), dir).string());
    return out;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// ---- Running a child process -------------------------------------------------------------------

struct Options {
    std::map<std::string, std::string> env;  // added to or replacing the test's environment
    fs::path cwd;                            // empty: the test's
};

struct Result {
    int code = -1000;  // exit status, or -signal when killed by a signal
    std::string out;
    std::string err;
    double seconds = 0;
    bool timed_out = false;
};

struct Child {
    pid_t pid = -1;
    int out_fd = -1;
    int err_fd = -1;
    Clock::time_point start;
};

// Starts `argv` (argv[0] is the program's path) with stdout and stderr captured, stdin from
// /dev/null, SIGINT and SIGTERM at their defaults.
Child start(const std::vector<std::string>& argv, const Options& opt = {}) {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string kv(*e);
        const auto eq = kv.find('=');
        if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [k, v] : opt.env) env[k] = v;
    // Everything the child needs is built before fork(): only async-signal-safe calls after.
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> argp;
    for (auto& s : args) argp.push_back(s.data());
    argp.push_back(nullptr);
    const std::string cwd = opt.cwd.string();

    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    Child c;
    c.start = Clock::now();
    c.pid = ::fork();
    if (c.pid < 0) throw std::runtime_error("fork failed");
    if (c.pid == 0) {
        const int null_fd = ::open("/dev/null", O_RDONLY);
        ::dup2(null_fd, 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
        ::execve(argp[0], argp.data(), envp.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    c.out_fd = out_pipe[0];
    c.err_fd = err_pipe[0];
    return c;
}

// Collects the child's output until it exits; kills it after `timeout` seconds.
Result finish(Child& c, double timeout = 120) {
    Result r;
    std::string* sinks[2] = {&r.out, &r.err};
    pollfd fds[2] = {{c.out_fd, POLLIN, 0}, {c.err_fd, POLLIN, 0}};
    int open_fds = 2;
    const auto deadline = c.start + std::chrono::duration<double>(timeout);
    while (open_fds > 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            r.timed_out = true;
            ::kill(c.pid, SIGKILL);
            break;
        }
        const int n = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
        if (n < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            char buf[4096];
            const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                sinks[i]->append(buf, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) ::close(f.fd);
    int status = 0;
    while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.seconds = std::chrono::duration<double>(Clock::now() - c.start).count();
    if (WIFEXITED(status))
        r.code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        r.code = -WTERMSIG(status);
    return r;
}

Result run(const std::vector<std::string>& argv, const Options& opt = {}, double timeout = 120) {
    Child c = start(argv, opt);
    return finish(c, timeout);
}

// `sesim ARGS...`
Result run_sesim(std::vector<std::string> args, const Options& opt = {}, double timeout = 120) {
    args.insert(args.begin(), SESIM_BINARY);
    return run(args, opt, timeout);
}

std::string describe(const Result& r) {
    return "exit " + std::to_string(r.code) + (r.timed_out ? " (timed out)" : "") + " after " +
           std::to_string(r.seconds) + " s\n--- stdout:\n" + r.out + "--- stderr:\n" + r.err;
}

// ---- Bad input ---------------------------------------------------------------------------------

// Runs `sesim args` in `dir` and checks: exit 2, one "error:" message holding every word of
// `words`, and no file created or changed anywhere in `dir`.
Result expect_input_error(const TempDir& dir, const std::vector<std::string>& args,
                          std::initializer_list<const char*> words) {
    std::string cmd = "sesim";
    for (const auto& a : args) cmd += " " + a;
    INFO("command: " << cmd);
    const std::set<std::string> before = entries(dir.path);
    const Result r = run_sesim(args, {{}, dir.path});
    INFO(describe(r));
    CHECK(r.code == 2);
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(r.out.empty());
    for (const char* w : words) {
        INFO("expected in the message: " << w);
        CHECK(r.err.find(w) != std::string::npos);
    }
    CHECK(entries(dir.path) == before);
    return r;
}

std::string base_line() {
    return "base = " + kBaseline.string() + "\n";
}

}  // namespace

TEST_CASE("cli: an unknown key names file, line, key and the closest known key", "[cli][input]") {
    TempDir dir;
    dir.write("typo.ini", base_line() + "zwolle.populaton = 126000\n");
    expect_input_error(dir, {"run", "typo.ini", "-o", "out.h5", "--set", "months=24"},
                       {"typo.ini:2:", "unknown parameter", "'zwolle.populaton'",
                        "did you mean 'zwolle.population'", "sesim params"});
    dir.write("section.ini", base_line() + "[haarlem]\nsmess = 21000\n");
    expect_input_error(dir, {"run", "section.ini", "-o", "out.h5"},
                       {"section.ini:3:", "'haarlem.smess'", "did you mean 'haarlem.smes'"});
}

TEST_CASE("cli: a value of the wrong type is named with the expected type", "[cli][input]") {
    TempDir dir;
    dir.write("int.ini", base_line() + "months = twelve\n");
    expect_input_error(dir, {"run", "int.ini", "-o", "out.h5"},
                       {"int.ini:2:", "'months'", "'twelve'", "not an integer"});
    dir.write("real.ini", base_line() + "productivity = high\n");
    expect_input_error(dir, {"run", "real.ini", "-o", "out.h5"},
                       {"real.ini:2:", "'productivity'", "'high'", "not a number"});
    dir.write("month.ini", base_line() + "start_month = January\n");
    expect_input_error(dir, {"run", "month.ini", "-o", "out.h5"},
                       {"month.ini:2:", "'start_month'", "not a month"});
    dir.write("whole.ini", base_line() + "months = 2.5\n");
    expect_input_error(dir, {"run", "whole.ini", "-o", "out.h5"},
                       {"whole.ini:2:", "not a whole number"});
}

TEST_CASE("cli: a value out of range is named with the range and its unit", "[cli][input]") {
    TempDir dir;
    dir.write("months.ini", base_line() + "months = 5000\n");
    expect_input_error(dir, {"run", "months.ini", "-o", "out.h5"},
                       {"months.ini:2:", "'months'", "out of range", "1 to 1200 months"});
    dir.write("prod.ini", base_line() + "productivity = 10\n");
    expect_input_error(dir, {"run", "prod.ini", "-o", "out.h5"},
                       {"prod.ini:2:", "out of range", " to ", "EUR/FTE-month"});
    expect_input_error(dir, {"run", kBaseline.string(), "-o", "out.h5", "--set", "months=0"},
                       {"--set months=0", "out of range", "1 to 1200 months"});
}

TEST_CASE("cli: base chains: a missing base and a circular base", "[cli][input]") {
    TempDir dir;
    dir.write("orphan.ini", "base = nowhere.ini\nmonths = 24\n");
    expect_input_error(dir, {"run", "orphan.ini", "-o", "out.h5"},
                       {"orphan.ini:1:", "base 'nowhere.ini'", "no such file"});
    dir.write("a.ini", "base = b.ini\nmonths = 24\n");
    dir.write("b.ini", "base = a.ini\nmonths = 12\n");
    expect_input_error(dir, {"run", "a.ini", "-o", "out.h5"}, {"circular base", "a.ini", "b.ini"});
    dir.write("self.ini", "base = ./self.ini\n");
    expect_input_error(dir, {"run", "self.ini", "-o", "out.h5"}, {"self.ini:1:", "circular base"});
}

TEST_CASE("cli: missing, malformed and empty scenario files", "[cli][input]") {
    TempDir dir;
    expect_input_error(dir, {"run", "absent.ini", "-o", "out.h5"}, {"absent.ini", "no such file"});
    // A file of that name in a subfolder is named (scenarios/national.ini is in national/).
    fs::create_directory(dir / "national");
    dir.write("national/national.ini", base_line());
    expect_input_error(dir, {"run", "national.ini", "-o", "out.h5"},
                       {"national.ini: no such file", "did you mean national/national.ini?"});
    fs::create_directory(dir / "folder.ini");
    expect_input_error(dir, {"run", "folder.ini", "-o", "out.h5"},
                       {"folder.ini", "is a directory"});
    dir.write("junk.ini", base_line() + "months 24\n");
    expect_input_error(dir, {"run", "junk.ini", "-o", "out.h5"},
                       {"junk.ini:2:", "expected 'name = value'", "'months 24'"});
    dir.write("section.ini", base_line() + "[zwolle\n");
    expect_input_error(dir, {"run", "section.ini", "-o", "out.h5"},
                       {"section.ini:2:", "unbalanced '['"});
    dir.write("novalue.ini", base_line() + "months =\n");
    expect_input_error(dir, {"run", "novalue.ini", "-o", "out.h5"},
                       {"novalue.ini:2:", "no value for 'months'"});
    dir.write("twice.ini", base_line() + "months = 24\nmonths = 36\n");
    expect_input_error(dir, {"run", "twice.ini", "-o", "out.h5"},
                       {"twice.ini:3:", "'months' is given twice"});
    dir.write("empty.ini", "# nothing but a comment\n\n");
    expect_input_error(dir, {"run", "empty.ini", "-o", "out.h5"},
                       {"empty.ini", "the scenario is empty"});
    dir.write("blank.ini", "");
    expect_input_error(dir, {"run", "blank.ini", "-o", "out.h5"},
                       {"blank.ini", "the scenario is empty"});
}

TEST_CASE("cli: unknown commands and options", "[cli][input]") {
    TempDir dir;
    expect_input_error(dir, {"frobnicate"}, {"unknown command 'frobnicate'", "sesim --help"});
    expect_input_error(dir, {"rnu", kBaseline.string(), "-o", "out.h5"},
                       {"unknown command 'rnu'", "did you mean 'run'"});
    const Result bare = run_sesim({}, {{}, dir.path});
    INFO(describe(bare));
    CHECK(bare.code == 2);
    CHECK(bare.err.find("usage: sesim") != std::string::npos);
    expect_input_error(dir, {"run", kBaseline.string(), "-o", "out.h5", "--bogus"},
                       {"--bogus", "sesim run --help"});
    expect_input_error(dir, {"params", "--bogus"}, {"--bogus", "sesim params --help"});
    expect_input_error(dir, {"outputs", "--markdwn"}, {"--markdwn", "sesim outputs --help"});
    expect_input_error(dir, {"run", "-o", "out.h5"}, {"no scenario file"});
    expect_input_error(dir, {"run", kBaseline.string()}, {"no output file", "-o"});
}

TEST_CASE("cli: --set with an unknown parameter or without '='", "[cli][input]") {
    TempDir dir;
    const std::string bl = kBaseline.string();
    expect_input_error(
        dir, {"run", bl, "-o", "out.h5", "--set", "zwolle.populaton=5"},
        {"--set", "unknown parameter 'zwolle.populaton'", "did you mean 'zwolle.population'"});
    expect_input_error(dir, {"run", bl, "-o", "out.h5", "--set", "months"},
                       {"--set", "'months'", "expected name=value"});
    expect_input_error(dir, {"run", bl, "-o", "out.h5", "--set", "months="},
                       {"--set", "expected name=value"});
    expect_input_error(dir, {"run", bl, "-o", "out.h5", "--set", "base=other.ini"},
                       {"'base'", "only be set in the scenario file"});
    expect_input_error(dir, {"run", bl, "-o", "out.h5", "--set", "months=abc"},
                       {"--set months=abc", "not an integer"});
}

TEST_CASE("cli: bad --replicates and --seed values", "[cli][input]") {
    TempDir dir;
    const std::string bl = kBaseline.string();
    for (const char* r : {"0", "-3", "1000001", "abc", "2.5", "99999999999"}) {
        expect_input_error(dir, {"run", bl, "-o", "out.h5", "--replicates", r}, {"--replicates"});
        expect_input_error(dir, {"run", bl, "-o", "out.h5", "-r", r}, {"replicates"});
    }
    for (const char* s : {"-1", "4294967296", "x", "1e3"})
        expect_input_error(dir, {"run", bl, "-o", "out.h5", "--seed", s}, {"--seed"});
    expect_input_error(dir, {"run", bl, "-o", "out.h5", "--threads", "0"}, {"--threads"});
}

TEST_CASE("cli: two scenarios with the same name", "[cli][input]") {
    TempDir dir;
    dir.write("one.ini", base_line() + "name = twin\n");
    dir.write("two.ini", base_line() + "name = twin\nentry_rate = 0.3\n");
    expect_input_error(dir, {"run", "one.ini", "two.ini", "-o", "out.h5", "--set", "months=24"},
                       {"one.ini", "two.ini", "same name 'twin'"});
    // The same file twice is the same case.
    expect_input_error(dir, {"run", "one.ini", "one.ini", "-o", "out.h5"}, {"same name 'twin'"});
}

TEST_CASE("cli: an unwritable output path is reported before any simulation", "[cli][input]") {
    TempDir dir;
    const std::string bl = kBaseline.string();
    // A million replicates of 240 months would take hours: a quick exit proves that the path
    // was checked first.
    {
        const Result r =
            expect_input_error(dir, {"run", bl, "-r", "1000000", "-o", "missing/out.h5"},
                               {"'missing/out.h5'", "folder 'missing' does not exist"});
        CHECK(r.seconds < 20);
        CHECK_FALSE(fs::exists(dir / "missing"));
    }
    {
        fs::create_directory(dir / "results");
        const Result r = expect_input_error(dir, {"run", bl, "-r", "1000000", "-o", "results"},
                                            {"'results'", "is a folder", "results/results.h5"});
        CHECK(r.seconds < 20);
        CHECK(fs::is_empty(dir / "results"));
    }
    {
        dir.write("plain", "a file, not a folder\n");
        expect_input_error(dir, {"run", bl, "-r", "1000000", "-o", "plain/out.h5"},
                           {"'plain/out.h5'", "is not a folder"});
        expect_input_error(dir, {"run", bl, "-o", ""}, {"output path is empty"});
    }
}

// ---- Help and version --------------------------------------------------------------------------

TEST_CASE("cli: --help works for the program and each command", "[cli][help]") {
    struct Case {
        std::vector<std::string> args;
        std::vector<const char*> words;
    };
    const std::vector<Case> cases = {
        {{"--help"}, {"usage: sesim", "run", "params", "outputs", "--version"}},
        {{"-h"}, {"usage: sesim"}},
        {{"run", "--help"}, {"--output", "--replicates", "--seed", "--set", "--threads"}},
        {{"run", "-h"}, {"--replicates"}},
        {{"params", "--help"}, {"--markdown"}},
        {{"outputs", "--help"}, {"--markdown"}},
    };
    for (const Case& c : cases) {
        const Result r = run_sesim(c.args);
        INFO("sesim " << c.args[0] << (c.args.size() > 1 ? " " + c.args[1] : "") << "\n"
                      << describe(r));
        CHECK(r.code == 0);
        CHECK(r.err.empty());
        for (const char* w : c.words) {
            INFO("expected: " << w);
            CHECK(r.out.find(w) != std::string::npos);
        }
    }
}

TEST_CASE("cli: --version prints the version and the commit", "[cli][help]") {
    const Result r = run_sesim({"--version"});
    INFO(describe(r));
    CHECK(r.code == 0);
    CHECK(std::regex_search(r.out, std::regex(R"(^sesim \d+\.\d+\.\d+ )")));
    CHECK(std::regex_search(r.out, std::regex(R"(model version \d+)")));
    // A git commit (40 hex digits, "-dirty" for uncommitted changes), or "unknown" outside git.
    CHECK(std::regex_search(r.out, std::regex(R"(commit ([0-9a-f]{40}(-dirty)?|unknown)\b)")));
}

TEST_CASE("cli: params and outputs print their tables", "[cli][help]") {
    const Result p = run_sesim({"params"});
    INFO(describe(p));
    CHECK(p.code == 0);
    CHECK(p.out.find("<region>.population") != std::string::npos);
    const Result o = run_sesim({"outputs"});
    CHECK(o.code == 0);
    for (const OutputDef& d : kOutputDefs)
        CHECK(o.out.find(std::string(d.name)) != std::string::npos);
}

// ---- Interrupts --------------------------------------------------------------------------------

TEST_CASE("cli: SIGINT during a run exits 130 and leaves no file", "[cli][interrupt]") {
    TempDir dir;
    dir.write("keep.txt", "unrelated\n");
    const std::set<std::string> before = entries(dir.path);
    // Hours of work: the interrupt certainly comes first. With --stats-only the replicates go
    // to a second scratch file, which must go too.
    for (const std::string keep : {"--quiet", "--stats-only"}) {
        Child c =
            start({SESIM_BINARY, "run", kBaseline.string(), "-r", "100000", keep, "-o", "out.h5"},
                  {{{"OMP_NUM_THREADS", "2"}}, dir.path});
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        ::kill(c.pid, SIGINT);
        const Result r = finish(c, 60);
        INFO(keep << ": " << describe(r));
        CHECK(r.code == 130);
        CHECK(r.err.find("interrupted") != std::string::npos);
        CHECK(r.err.find("no file written") != std::string::npos);
        CHECK(entries(dir.path) == before);
    }
}

TEST_CASE("cli: SIGINT while the result file is being created leaves no file", "[cli][interrupt]") {
    TempDir dir;
    const std::set<std::string> before = entries(dir.path);
    // A million replicates take a while to lay out; interrupt as soon as the temporary file
    // appears, which is before any run starts.
    Child c =
        start({SESIM_BINARY, "run", kBaseline.string(), "-r", "1000000", "-q", "-o", "out.h5"},
              {{{"OMP_NUM_THREADS", "2"}}, dir.path});
    bool seen = false;
    const auto give_up = Clock::now() + std::chrono::seconds(30);
    while (!seen && Clock::now() < give_up) {
        for (const std::string& e : entries(dir.path))
            if (e.find(".tmp-") != std::string::npos) seen = true;
        if (!seen) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    ::kill(c.pid, SIGINT);
    const Result r = finish(c, 60);
    INFO(describe(r));
    CHECK(seen);
    CHECK(r.code == 130);
    CHECK(entries(dir.path) == before);
}

// ---- Results through the binary ----------------------------------------------------------------

namespace {

// Names of the datasets directly in `group` of `file`, with whether they hold numbers.
std::map<std::string, bool> datasets_in(const fs::path& file, const std::string& group) {
    const h5::Object f = h5::open_file(file);
    const h5::Object g = h5::open_group(f, group);
    std::vector<std::string> names;
    H5Literate(
        g.id(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
        [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
            static_cast<std::vector<std::string>*>(data)->push_back(name);
            return 0;
        },
        &names);
    std::map<std::string, bool> out;
    for (const std::string& n : names) {
        const hid_t obj = H5Oopen(g.id(), n.c_str(), H5P_DEFAULT);
        REQUIRE(obj >= 0);
        if (H5Iget_type(obj) == H5I_DATASET) {
            const hid_t type = H5Dget_type(obj);
            const H5T_class_t cls = H5Tget_class(type);
            H5Tclose(type);
            out[n] = cls == H5T_FLOAT || cls == H5T_INTEGER;
        }
        H5Oclose(obj);
    }
    return out;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// True when every group and every numeric dataset of `a` and `b` hold the same bits; the
// first difference goes to `why`.
bool identical(const fs::path& a, const fs::path& b, std::string& why) {
    const auto groups = stored_scenarios(a);
    if (groups != stored_scenarios(b)) {
        why = "the groups differ";
        return false;
    }
    for (const std::string& g : groups) {
        const auto ds = datasets_in(a, g);
        if (ds != datasets_in(b, g)) {
            why = g + ": the datasets differ";
            return false;
        }
        for (const auto& [name, numeric] : ds) {
            if (!numeric) continue;
            const StoredSeries x = read_output(a, g, name);
            const StoredSeries y = read_output(b, g, name);
            if (x.replicates != y.replicates || x.months != y.months ||
                !same_bits(x.values, y.values)) {
                why = g + "/" + name + " differs";
                return false;
            }
        }
    }
    return true;
}

}  // namespace

TEST_CASE("cli: results are bit-identical for 1 and 2 threads and reproducible by seed",
          "[cli][determinism]") {
    TempDir dir;
    dir.write("policy.ini", base_line() +
                                "name = policy\n"
                                "[zwolle.municipality]\nadoption = 1\n"
                                "[haarlem]\ncommunity = 0.9\n");
    const auto run_with = [&](const std::string& out, const std::string& threads,
                              const std::string& seed) {
        const Result r = run_sesim({"run", kBaseline.string(), "policy.ini", "-r", "6", "--set",
                                    "months=24", "--seed", seed, "-q", "-o", out},
                                   {{{"OMP_NUM_THREADS", threads}}, dir.path});
        INFO(describe(r));
        REQUIRE(r.code == 0);
        REQUIRE(fs::exists(dir / out));
    };
    run_with("t1.h5", "1", "12345");
    run_with("t2.h5", "2", "12345");
    run_with("t2again.h5", "2", "12345");
    run_with("other_seed.h5", "2", "54321");

    REQUIRE(stored_scenarios(dir / "t1.h5") == std::vector<std::string>{"baseline", "policy"});
    // Every output of kOutputDefs is among the compared datasets.
    for (const std::string g : {"baseline", "policy"}) {
        const auto ds = datasets_in(dir / "t1.h5", g);
        for (const OutputDef& d : kOutputDefs) CHECK(ds.count(std::string(d.name)) == 1);
    }
    {
        std::string why;
        const bool same = identical(dir / "t1.h5", dir / "t2.h5", why);
        INFO("1 vs 2 threads: " << why);
        CHECK(same);
    }
    {
        std::string why;
        const bool same = identical(dir / "t2.h5", dir / "t2again.h5", why);
        INFO("2 threads, run again: " << why);
        CHECK(same);
    }
    {
        std::string why;
        CHECK_FALSE(identical(dir / "t1.h5", dir / "other_seed.h5", why));
    }
    // The policy differs from the baseline with shared random numbers.
    CHECK_FALSE(same_bits(read_output(dir / "t1.h5", "baseline", "revenue_total").values,
                          read_output(dir / "t1.h5", "policy", "revenue_total").values));
}

TEST_CASE("cli: a file written by sesim run holds every output and the provenance",
          "[cli][output]") {
    TempDir dir;
    const Result r = run_sesim({"run", kBaseline.string(), "-r", "3", "--seed", "777", "--set",
                                "months=24", "-q", "-o", "out.h5"},
                               {{}, dir.path});
    INFO(describe(r));
    REQUIRE(r.code == 0);
    // Only the result: the temporary file was renamed, the write probe removed.
    CHECK(entries(dir.path) == std::set<std::string>{"out.h5"});
    const fs::path file = dir / "out.h5";
    REQUIRE(stored_scenarios(file) == std::vector<std::string>{"baseline"});

    const h5::Object f = h5::open_file(file);
    for (const char* a : {"title", "Conventions", "sesim_version", "git_commit", "compiler",
                          "cxx_flags", "build_type", "command_line", "creation_time", "host"}) {
        INFO("root attribute " << a);
        REQUIRE(h5::has_attribute(f, a));
        CHECK_FALSE(h5::read_string_attribute(f, a).empty());
    }
    CHECK(h5::read_string_attribute(f, "Conventions") == "CF-1.8");
    CHECK(h5::read_number_attribute(f, "model_version") >= 1);
    CHECK(h5::read_number_attribute(f, "seed") == 777);
    CHECK(h5::read_number_attribute(f, "replicates") == 3);
    CHECK(h5::read_string_attribute(f, "command_line").find("--seed 777") != std::string::npos);
    CHECK(std::regex_match(h5::read_string_attribute(f, "creation_time"),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));

    const h5::Object g = h5::open_group(f, "baseline");
    CHECK(h5::read_string_attribute(g, "scenario_name") == "baseline");
    CHECK(h5::read_string_attribute(g, "scenario_text").find("name = baseline") !=
          std::string::npos);
    CHECK(h5::read_string_attribute(g, "overrides") == "months=24");
    CHECK_FALSE(h5::read_string_attribute(g, "description").empty());

    const StoredSeries time = read_output(file, "baseline", "time");
    REQUIRE(time.values.size() == 24);
    CHECK(time.values[0] == 0);     // 2019-01-01
    CHECK(time.values[1] == 31);    // 2019-02-01
    CHECK(time.values[12] == 365);  // 2020-01-01
    const h5::Object t = h5::open_dataset(g, "time");
    CHECK(h5::read_string_attribute(t, "units") == "days since 2019-01-01");
    CHECK(h5::read_string_attribute(t, "calendar") == "proleptic_gregorian");
    const StoredSeries rep = read_output(file, "baseline", "replicate");
    CHECK(rep.values == std::vector<double>{0, 1, 2});

    for (const OutputDef& d : kOutputDefs) {
        const std::string name(d.name);
        INFO("output " << name);
        REQUIRE(h5::has_link(g, name));
        const StoredSeries s = read_output(file, "baseline", name);
        CHECK(s.replicates == 3);
        CHECK(s.months == 24);
        bool all_written = true;
        for (double v : s.values) all_written = all_written && std::isfinite(v);
        CHECK(all_written);
        const h5::Object ds = h5::open_dataset(g, name);
        CHECK(h5::read_string_attribute(ds, "units") == std::string(d.units));
        CHECK(h5::read_string_attribute(ds, "long_name") == std::string(d.long_name));
    }

    const h5::Object params = h5::open_group(g, "parameters");
    const h5::Object units = h5::open_group(g, "parameter_units");
    CHECK(h5::read_number_attribute(params, "months") == 24);
    CHECK(h5::read_string_attribute(params, "start_month") == "2019-01");
    CHECK(h5::read_number_attribute(params, "zwolle.population") == 126000);
    CHECK(h5::read_string_attribute(units, "months") == "months");
}

// ---- Generated docs ----------------------------------------------------------------------------

namespace {

// Checks that `sesim args` prints exactly the committed `doc`; names the first difference.
void expect_doc_current(const std::vector<std::string>& args, const std::string& doc) {
    const Result r = run_sesim(args);
    if (r.code != 0) FAIL(describe(r));
    const fs::path path = kSource / doc;
    if (!fs::exists(path)) FAIL(doc << " is missing: run scripts/gen-docs");
    const std::string committed = read_text(path);
    if (committed == r.out) return;
    std::istringstream a(committed);
    std::istringstream b(r.out);
    std::string la;
    std::string lb;
    int line = 0;
    while (true) {
        ++line;
        const bool ga = static_cast<bool>(std::getline(a, la));
        const bool gb = static_cast<bool>(std::getline(b, lb));
        if (!ga || !gb || la != lb) {
            FAIL(doc << " is stale: run scripts/gen-docs (and commit the result).\nFirst "
                        "difference at line "
                     << line << ":\n  " << doc << ": " << (ga ? la : "<end of file>")
                     << "\n  sesim:   " << (gb ? lb : "<end of output>"));
        }
    }
}

}  // namespace

TEST_CASE("docs: docs/parameters.md is what sesim params --markdown prints", "[cli][docs]") {
    expect_doc_current({"params", "--markdown"}, "docs/parameters.md");
}

TEST_CASE("docs: docs/outputs.md is what sesim outputs --markdown prints", "[cli][docs]") {
    expect_doc_current({"outputs", "--markdown"}, "docs/outputs.md");
}

TEST_CASE("docs: the Python example of docs/output.md runs on a file from sesim run",
          "[cli][docs]") {
    // The blocks to run are fenced ```python blocks right after a `<!-- tested -->` line.
    std::istringstream doc(read_text(kSource / "docs" / "output.md"));
    std::string code;
    int blocks = 0;
    bool armed = false;
    bool inside = false;
    for (std::string line; std::getline(doc, line);) {
        if (inside) {
            if (line.rfind("```", 0) == 0) {
                inside = false;
                ++blocks;
            } else {
                code += line + "\n";
            }
        } else if (line == "<!-- tested -->") {
            armed = true;
        } else if (armed && line.rfind("```python", 0) == 0) {
            inside = true;
            armed = false;
        } else if (armed && !line.empty()) {
            FAIL("docs/output.md: <!-- tested --> must come right before a ```python block");
        }
    }
    REQUIRE(blocks >= 1);
    REQUIRE_FALSE(inside);

    // The example reads results.h5 in the current folder, as written by its `sesim run` line.
    TempDir dir;
    const Result made =
        run_sesim({"run", kBaseline.string(), "-r", "3", "-q", "-o", "results.h5"}, {{}, dir.path});
    INFO(describe(made));
    REQUIRE(made.code == 0);
    dir.write("example.py", code);
    const Result py = run({"/usr/bin/python3", "example.py"}, {{}, dir.path});
    INFO("example:\n" << code << "\n" << describe(py));
    CHECK(py.code == 0);
    CHECK_FALSE(py.out.empty());
}
