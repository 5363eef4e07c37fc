// libFuzzer entry point for one parser of tests/fuzz/parsers.hpp, chosen at compile time by
// SESIM_FUZZ_PARSER (its name). Each input is written to a file in a private folder beside a
// copy of the baseline scenario (so inputs may say `base = baseline.ini`) and parsed. Built
// with -fsanitize=fuzzer for fuzzing (SESIM_FUZZ=ON, clang), or linked with fuzz_replay.cpp
// to run saved inputs as regression tests in any build.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "model/errors.hpp"
#include "tests/fuzz/parsers.hpp"

namespace fs = std::filesystem;

namespace {

const sesim::fuzz::FuzzParser& parser() {
    for (const auto& p : sesim::fuzz::kFuzzParsers)
        if (p.name == SESIM_FUZZ_PARSER) return p;
    std::abort();  // a name in CMakeLists.txt without an entry in parsers.hpp
}

// A folder of this process, removed at exit, holding baseline.ini and its tables.
const fs::path& folder() {
    static const fs::path dir = [] {
        fs::path d =
            fs::temp_directory_path() / ("sesim-fuzz-" + std::string(SESIM_FUZZ_PARSER) + "-" +
                                         std::to_string(static_cast<long>(::getpid())));
        fs::create_directories(d);
        fs::copy_file(fs::path(SESIM_SOURCE_DIR) / "scenarios" / "baseline.ini", d / "baseline.ini",
                      fs::copy_options::overwrite_existing);
        // Its geography tables (regions/study-*.csv), which it names relative to its folder.
        fs::copy(fs::path(SESIM_SOURCE_DIR) / "scenarios" / "regions", d / "regions",
                 fs::copy_options::recursive | fs::copy_options::overwrite_existing);
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(folder(), ec);
        });
        return d;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fs::path file = folder() / "input.ini";
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        parser().parse(file);
    } catch (const sesim::InputError&) {
        // The parser refused the input with a message: what it should do.
    }
    return 0;
}
