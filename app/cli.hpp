// Shared pieces of the `sesim` subcommands. Each subcommand lives in its own app/cmd_*.cpp and
// is listed once in the command table of app/main.cpp.
#pragma once
#include <atomic>
#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace sesim::cli {

// Exit codes of every command.
constexpr int kExitOk = 0;
constexpr int kExitRunError = 1;  // a run, a read or a write failed
constexpr int kExitInput = 2;     // bad input; nothing was written
constexpr int kExitInterrupted = 130;

// Set by SIGINT, SIGTERM or SIGHUP once install_stop_handlers() ran; long commands poll it.
extern std::atomic<bool> g_stop;
void install_stop_handlers();

// Parses a subcommand's options; unknown options and bad values become InputError naming
// the command and pointing at its --help.
boost::program_options::variables_map parse(
    const std::string& cmd, const boost::program_options::options_description& desc,
    const boost::program_options::positional_options_description& pos,
    const std::vector<std::string>& args);

// The whole command line, shell-quoted, as stored in output files.
std::string command_line(int argc, char** argv);

// Context handed to every command.
struct Invocation {
    std::vector<std::string> args;  // after the command name
    std::string command_line;
};

int cmd_run(const Invocation& inv);
int cmd_sweep(const Invocation& inv);
int cmd_sensitivity(const Invocation& inv);
int cmd_calibrate(const Invocation& inv);
int cmd_merge(const Invocation& inv);
int cmd_compare(const Invocation& inv);
int cmd_report(const Invocation& inv);
int cmd_reproduce(const Invocation& inv);
int cmd_digest(const Invocation& inv);
int cmd_clean(const Invocation& inv);
int cmd_params(const Invocation& inv);
int cmd_outputs(const Invocation& inv);

}  // namespace sesim::cli
