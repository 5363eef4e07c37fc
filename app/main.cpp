// The `sesim` command line: dispatches to the subcommands of the table below. Exit codes:
// 0 success, 1 a run or write failed, 2 bad input (nothing written), 130 interrupted.
#include <iostream>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "model/errors.hpp"
#include "model/params.hpp"
#include "output/hdf5_file.hpp"
#include "output/input_file.hpp"
#include "output/safe_write.hpp"
#include "sesim_version.hpp"

namespace sesim::cli {
namespace {

struct Command {
    const char* name;
    const char* synopsis;
    int (*run)(const Invocation&);
};

// Every subcommand, once: the usage text and the dispatch both read this table.
const Command kCommands[] = {
    {"run", "run SCENARIO.ini [MORE.ini ...] -o OUT.h5   simulate scenarios, write results to HDF5",
     cmd_run},
    {"sweep", "sweep SWEEP.ini -o OUT.h5 [--resume]        parameter sweep into one HDF5 file",
     cmd_sweep},
    {"calibrate",
     "calibrate CAL.ini -o POSTERIOR.h5 [--resume] ABC-SMC calibration to observed facts",
     cmd_calibrate},
    {"merge", "merge SHARD.h5 [...] -o OUT.h5              join the shard files of one sweep",
     cmd_merge},
    {"sensitivity",
     "sensitivity SWEEP.h5 [--at ...] [-o IDX.h5]   Sobol' or Morris indices of a sweep",
     cmd_sensitivity},
    {"compare",
     "compare OUT.h5 [--baseline B] [--at ...]    effects against the baseline with 95% CIs",
     cmd_compare},
    {"report",
     "report OUT.h5 -o PAGE.html [--lang nl|en]   one self-contained web page for policy makers",
     cmd_report},
    {"reproduce", "reproduce OUT.h5 [-r N] [--tolerance R]     re-run a file, check every value",
     cmd_reproduce},
    {"digest", "digest OUT.h5 [--datasets]                  SHA-256 of a result file's data",
     cmd_digest},
    {"clean", "clean OUT.h5|FOLDER [...]                   remove temporaries of killed writers",
     cmd_clean},
    {"params", "params [--markdown]                         print the parameter table", cmd_params},
    {"outputs", "outputs [--markdown]                        print the output table", cmd_outputs},
};

std::string usage() {
    std::string u = "usage: sesim <command> [options]\n\ncommands:\n";
    for (const Command& c : kCommands) u += std::string("  ") + c.synopsis + "\n";
    u += "\noptions: --help (also after a command: sesim run --help), --version\n";
    return u;
}

int dispatch(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    // Arguments end up in text attributes (command_line, paths), which must be UTF-8.
    for (std::size_t i = 0; i < args.size(); ++i)
        if (const auto bad = invalid_utf8_at(args[i]); bad != std::string::npos)
            throw InputError("sesim: argument " + std::to_string(i + 1) + " " +
                             short_text(args[i]) + " is not valid UTF-8 (byte " +
                             std::to_string(bad) + "); rename the file or use another spelling");
    if (args.empty()) {
        std::cerr << usage();
        return kExitInput;
    }
    const std::string cmd = args.front();
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        std::cout << usage();
        return kExitOk;
    }
    if (cmd == "--version" || cmd == "-V") {
        std::cout << "sesim " << SESIM_VERSION << " (model version " << SESIM_MODEL_VERSION
                  << ", commit " << SESIM_GIT_COMMIT << ", " << SESIM_BUILD_TYPE << ")\n";
        return kExitOk;
    }
    for (const Command& c : kCommands)
        if (cmd == c.name)
            return c.run(Invocation{{args.begin() + 1, args.end()}, command_line(argc, argv)});
    std::string best;
    std::size_t best_d = 1000;
    for (const Command& c : kCommands) {
        const std::size_t d = edit_distance(cmd, c.name);
        if (d < best_d) best_d = d, best = c.name;
    }
    throw InputError("sesim: unknown command '" + cmd + "'; did you mean '" + best +
                     "'?\nRun 'sesim --help' for the commands.");
}

}  // namespace
}  // namespace sesim::cli

int main(int argc, char** argv) {
    // Before anything else: a file-size limit becomes a write error (EFBIG), and HDF5 runs no
    // exit handler that could trip over a file whose close failed (output/hdf5_file.hpp).
    sesim::ignore_file_size_signal();
    sesim::h5::prepare_library();
    try {
        return sesim::cli::dispatch(argc, argv);
    } catch (const sesim::InputError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return sesim::cli::kExitInput;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return sesim::cli::kExitRunError;
    }
}
