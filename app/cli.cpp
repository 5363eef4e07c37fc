#include "app/cli.hpp"

#include <csignal>
#include <ctime>

#include "model/errors.hpp"

namespace po = boost::program_options;

namespace sesim::cli {

std::atomic<bool> g_stop{false};

namespace {
// Monotonic time of the first stop signal, in ns (lock-free, so usable in a signal handler).
std::atomic<long long> g_first_signal_ns{0};

extern "C" void on_signal(int sig) {
    // First signal: stop starting new work and clean up. A second one ends the process at once,
    // unless it comes within a second of the first: at a time limit Slurm signals every process
    // of the job and mpirun forwards the same signal to its ranks, so one request to stop can
    // arrive twice, and must still let the ranks save their work.
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe (POSIX)
    const long long now = static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
    if (!g_stop.exchange(true)) {
        g_first_signal_ns = now;
        return;
    }
    if (now - g_first_signal_ns.load() < 1000000000LL) return;
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

std::string quote_arg(const std::string& a) {
    if (!a.empty() && a.find_first_of(" \t\n'\"\\$`*?;&|<>()") == std::string::npos) return a;
    std::string q = "'";
    for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    q += '\'';
    return q;
}
}  // namespace

void install_stop_handlers() {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    // A closed terminal or ssh session: stop as cleanly as for Ctrl-C.
    std::signal(SIGHUP, on_signal);
}

po::variables_map parse(const std::string& cmd, const po::options_description& desc,
                        const po::positional_options_description& pos,
                        const std::vector<std::string>& args) {
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::string msg = "sesim " + cmd + ": " + e.what();
        msg += "\nRun 'sesim " + cmd + " --help' for the options.";
        throw InputError(msg);
    }
    return vm;
}

std::string command_line(int argc, char** argv) {
    std::string s;
    for (int i = 0; i < argc; ++i) {
        if (i) s += ' ';
        s += quote_arg(argv[i]);
    }
    return s;
}

}  // namespace sesim::cli
