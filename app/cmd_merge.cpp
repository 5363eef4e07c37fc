// `sesim merge`: joins the shard files of one sweep (sesim sweep --shard I/N, a Slurm job
// array) into the file that one `sesim sweep` would have written, after checking that the
// shards belong together: same sweep definition, each shard once, none missing, all finished.
#include <filesystem>
#include <iostream>
#include <map>

#include "app/cli.hpp"
#include "model/errors.hpp"
#include "output/input_file.hpp"
#include "output/safe_write.hpp"
#include "output/sweep_file.hpp"
#include "solvers/sweep.hpp"
#include "solvers/sweep_runner.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sesim::cli {

namespace {

std::string shard_name(int index, int count) {
    return "shard " + std::to_string(index) + "/" + std::to_string(count);
}

}  // namespace

int cmd_merge(const Invocation& inv) {
    po::options_description desc(
        "sesim merge SHARD.h5 [SHARD.h5 ...] -o OUT.h5\n\n"
        "Joins the shards of one sweep (sesim sweep --shard I/N) into one sweep file, equal to\n"
        "the file of the whole sweep run at once. Refuses shards of different sweeps, a shard\n"
        "given twice, missing shards and unfinished shards. Options");
    desc.add_options()("help,h", "show this help")(
        "output,o", po::value<std::string>()->value_name("FILE"), "merged sweep file, required")(
        "quiet,q", "no summary line")(
        "shards", po::value<std::vector<std::string>>()->value_name("FILE"), "shard files");
    po::positional_options_description pos;
    pos.add("shards", -1);
    const auto vm = parse("merge", desc, pos, inv.args);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return kExitOk;
    }
    if (!vm.count("shards"))
        throw InputError(
            "sesim merge: no shard files given.\nExample: sesim merge "
            "results/levers/shard-*.h5 -o results/levers.h5");
    if (!vm.count("output")) throw InputError("sesim merge: no output file given; add -o FILE.h5");
    const fs::path out = vm["output"].as<std::string>();
    const auto files = vm["shards"].as<std::vector<std::string>>();
    check_output_path(out);
    refuse_output_onto_inputs(out, std::vector<fs::path>(files.begin(), files.end()),
                              "sesim merge");
    install_stop_handlers();
    const OutputLock lock(out, "sesim merge");
    remove_stale_temporaries(out, std::cerr);

    // Read and check every shard before writing anything.
    std::vector<SweepFileInfo> infos;
    for (const std::string& f : files) {
        try {
            infos.push_back(read_sweep_info(f));
        } catch (const RunError& e) {
            throw InputError("sesim merge: " + std::string(e.what()));
        }
    }
    const SweepFileInfo& first = infos.front();
    std::map<int, std::string> by_index;
    for (std::size_t i = 0; i < infos.size(); ++i) {
        const SweepFileInfo& s = infos[i];
        if (s.definition != first.definition)
            throw InputError("sesim merge: " + files[i] + " belongs to sweep '" + s.name +
                             "' (definition " + s.hash + "), " + files[0] + " to sweep '" +
                             first.name + "' (definition " + first.hash +
                             "); merge only the shards of one sweep");
        if (s.shard_count != first.shard_count)
            throw InputError("sesim merge: " + files[i] + " is " +
                             shard_name(s.shard_index, s.shard_count) + ", " + files[0] + " is " +
                             shard_name(first.shard_index, first.shard_count) +
                             "; the shards of one merge come from one --shard I/N split");
        if (const auto [it, fresh] = by_index.emplace(s.shard_index, files[i]); !fresh)
            throw InputError("sesim merge: " + shard_name(s.shard_index, s.shard_count) +
                             " is given twice: " + it->second + " and " + files[i] +
                             "; give each shard once");
        if (s.pending > 0)
            throw InputError(
                "sesim merge: " + files[i] + " (" + shard_name(s.shard_index, s.shard_count) +
                ") is unfinished: " + std::to_string(s.pending) + " of " + std::to_string(s.rows) +
                " runs pending; finish it with the same 'sesim sweep ... --shard " +
                std::to_string(s.shard_index) + "/" + std::to_string(s.shard_count) + " --resume'");
    }
    if (static_cast<int>(by_index.size()) != first.shard_count) {
        std::string missing;
        int n_missing = 0;
        for (int i = 0; i < first.shard_count; ++i)
            if (!by_index.count(i)) {
                if (n_missing < 20) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
                ++n_missing;
            }
        throw InputError("sesim merge: the sweep has " + std::to_string(first.shard_count) +
                         " shards; missing: " + std::to_string(n_missing) + " (shard " + missing +
                         (n_missing > 20 ? ", ..." : "") + "); give every shard file");
    }

    // The merged file is laid out as `sesim sweep` would lay out the whole sweep: rebuilt from
    // the definition the shards carry, so its design rows are computed, not copied, and every
    // shard's design rows are checked against them.
    const Sweep sweep = parse_sweep_definition(first.definition, files[0]);
    // Descriptive attributes come from the first shard, as `sesim sweep` wrote them.
    SweepAttributes description = sweep_description(sweep);
    for (auto& [name, value] : description) value = read_sweep_attribute(files[0], name);
    std::string merged_from;
    for (const auto& [i, f] : by_index) merged_from += (merged_from.empty() ? "" : "\n") + f;
    const SweepLayout layout = sweep_file_layout(sweep, SweepSlice{}, std::move(description),
                                                 inv.command_line, {{"merged_from", merged_from}});
    const fs::path partial = temporary_path(out, "merging");
    try {
        SweepFile::create(partial, layout, sweep_rows(sweep, SweepSlice{}));
        SweepFile file(partial);
        for (const auto& [i, f] : by_index) {
            if (g_stop)
                throw RunError("sesim merge: interrupted; nothing was written to " + out.string());
            file.copy_shard(f, i, first.shard_count);
        }
        if (file.info().pending > 0)
            throw RunError("sesim merge: after merging, " + std::to_string(file.info().pending) +
                           " runs are still pending; the shards do not cover the sweep");
        const SweepFileInfo info = file.info();
        file.close();
        commit_sweep_file(partial, out);
        if (!vm.count("quiet"))
            std::cerr << "sesim merge: joined " << by_index.size() << " shards, " << info.rows
                      << " runs (" << info.failed << " failed), into " << out.string() << "\n";
    } catch (const RunError& e) {
        std::error_code ec;
        fs::remove(partial, ec);
        const std::string what = e.what();
        throw RunError((what.rfind("sesim merge:", 0) == 0
                            ? what
                            : "sesim merge: writing " + out.string() + " failed: " + what) +
                       "; nothing was written to " + out.string() +
                       " (the temporary file is removed)");
    } catch (...) {
        std::error_code ec;
        fs::remove(partial, ec);
        throw;
    }
    return kExitOk;
}

}  // namespace sesim::cli
