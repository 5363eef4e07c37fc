// `sesim clean`: removes the temporary files that killed writers left beside their outputs
// (`OUT.tmp-PID`, `OUT.merging-PID`, ...: output/safe_write.hpp). Every writer does the same
// for its own output before it starts; this command is for outputs nobody writes again.
#include <filesystem>
#include <iostream>

#include "app/cli.hpp"
#include "model/errors.hpp"
#include "output/safe_write.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sesim::cli {

int cmd_clean(const Invocation& inv) {
    po::options_description desc(
        "sesim clean OUT.h5 [FOLDER ...]\n\n"
        "Removes the temporary files that an interrupted or killed sesim left beside an output\n"
        "(OUT.tmp-PID, OUT.replicates-tmp-PID, OUT.merging-PID, OUT.partial.new-PID), when the\n"
        "process that made them is gone; for a FOLDER, beside every output in it. An output that\n"
        "another process is writing is left alone. A sweep's OUT.partial is not a temporary: it\n"
        "holds saved runs (continue it with sesim sweep --resume, or delete it yourself). "
        "Options");
    desc.add_options()("help,h", "show this help")(
        "path", po::value<std::vector<std::string>>()->value_name("PATH"), "outputs or folders");
    po::positional_options_description pos;
    pos.add("path", -1);
    const auto vm = parse("clean", desc, pos, inv.args);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return kExitOk;
    }
    if (!vm.count("path"))
        throw InputError("sesim clean: no output or folder given.\nExample: sesim clean results/");
    std::vector<fs::path> outputs;
    for (const std::string& p : vm["path"].as<std::vector<std::string>>()) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            for (const fs::path& o : temporary_outputs(p)) outputs.push_back(o);
        } else {
            outputs.emplace_back(p);
        }
    }
    int removed = 0;
    int busy = 0;
    for (const fs::path& out : outputs) {
        try {
            // Held while removing: no writer of this output starts meanwhile.
            const OutputLock lock(out, "sesim clean");
            removed += static_cast<int>(remove_stale_temporaries(out, std::cout).size());
        } catch (const InputError& e) {
            std::cerr << "sesim clean: left alone: " << e.what() << "\n";
            ++busy;
        }
        std::error_code ec;
        fs::path partial = out;
        partial += ".partial";
        if (fs::exists(partial, ec))
            std::cout << "sesim clean: kept " << partial.string()
                      << ": an unfinished sweep (continue it with sesim sweep ... --resume)\n";
    }
    if (removed == 0 && busy == 0) std::cout << "sesim clean: nothing to remove\n";
    return busy > 0 ? kExitInput : kExitOk;
}

}  // namespace sesim::cli
