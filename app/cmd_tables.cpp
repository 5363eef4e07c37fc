// `sesim params` and `sesim outputs`: the declared tables, as text or as the generated docs.
#include <iostream>

#include "app/cli.hpp"
#include "app/tables.hpp"

namespace po = boost::program_options;

namespace sesim::cli {

namespace {
int print_table(const std::string& cmd, const char* what, std::string (*text)(),
                std::string (*md)(), const Invocation& inv) {
    po::options_description desc(std::string("sesim ") + cmd + ": " + what);
    desc.add_options()("help,h", "show this help")("markdown",
                                                   "print the generated docs page instead");
    const auto vm = parse(cmd, desc, {}, inv.args);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return kExitOk;
    }
    std::cout << (vm.count("markdown") ? md() : text());
    return kExitOk;
}
}  // namespace

int cmd_params(const Invocation& inv) {
    return print_table("params",
                       "print every parameter with its default, unit, range and source "
                       "(--markdown: docs/parameters.md)",
                       params_text, params_markdown, inv);
}

int cmd_outputs(const Invocation& inv) {
    return print_table("outputs",
                       "print every output with its kind and units (--markdown: docs/outputs.md)",
                       outputs_text, outputs_markdown, inv);
}

}  // namespace sesim::cli
