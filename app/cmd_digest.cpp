// `sesim digest`: the SHA-256 of a result file's data in a canonical form (output/digest.hpp),
// the same for the same numbers whatever the file's creation time, host or HDF5 layout.
#include <iostream>

#include "app/cli.hpp"
#include "model/errors.hpp"
#include "output/digest.hpp"

namespace po = boost::program_options;

namespace sesim::cli {

int cmd_digest(const Invocation& inv) {
    po::options_description desc(
        "sesim digest FILE.h5 [MORE.h5 ...] [--datasets]\n\n"
        "Prints the SHA-256 of each file's data in the format of sha256sum: every output\n"
        "dataset of every scenario in a documented canonical order (docs/reproducing.md), so\n"
        "two files with the same numbers have the same digest. Options");
    desc.add_options()("help,h", "show this help")(
        "datasets", "also print the digest of each dataset, to see which outputs differ")(
        "file", po::value<std::vector<std::string>>()->value_name("FILE"), "result files");
    po::positional_options_description pos;
    pos.add("file", -1);
    const auto vm = parse("digest", desc, pos, inv.args);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return kExitOk;
    }
    if (!vm.count("file"))
        throw InputError("sesim digest: no result file given.\nExample: sesim digest results.h5");
    for (const std::string& file : vm["file"].as<std::vector<std::string>>()) {
        const FileDigest d = digest_file(file);
        std::cout << d.sha256 << "  " << file << "\n";
        if (vm.count("datasets"))
            for (const DatasetDigest& ds : d.datasets)
                std::cout << ds.sha256 << "  " << ds.path << " (" << ds.rows << " x " << ds.cols
                          << ")\n";
    }
    return kExitOk;
}

}  // namespace sesim::cli
