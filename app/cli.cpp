#include "app/cli.hpp"

#include <csignal>

#include "model/errors.hpp"

namespace po = boost::program_options;

namespace sesim::cli {

std::atomic<bool> g_stop{false};

namespace {
extern "C" void on_signal(int sig) {
    // First signal: stop starting new work and clean up. A second one ends the process at once.
    if (g_stop.exchange(true)) {
        std::signal(sig, SIG_DFL);
        std::raise(sig);
    }
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
