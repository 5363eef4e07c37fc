// The input parsers the fuzz targets exercise (issue 12). One fuzz target is built per entry
// of kFuzzParsers (tests/fuzz/CMakeLists.txt), each with its own seed corpus in
// tests/fuzz/corpus/<name>/ and its crash regressions in tests/fuzz/regressions/<name>/.
// To fuzz another parser: add a line here naming a
// function that parses the file at a path, add its name to the list in CMakeLists.txt and
// put a few valid files in corpus/<name>/.
//
// A parser may refuse its input only with InputError (a message for the user). Anything
// else escaping it (another exception, a crash, a sanitizer report) is a bug.
#pragma once
#include <filesystem>
#include <string_view>

#include "output/geography_file.hpp"
#include "solvers/calibration.hpp"
#include "solvers/scenario_file.hpp"
#include "solvers/sweep.hpp"

namespace sesim::fuzz {

struct FuzzParser {
    std::string_view name;
    void (*parse)(const std::filesystem::path& file);
};

inline constexpr FuzzParser kFuzzParsers[] = {
    {"scenario", [](const std::filesystem::path& f) { (void)load_scenario(f); }},
    {"sweep", [](const std::filesystem::path& f) { (void)load_sweep(f); }},
    {"calibration", [](const std::filesystem::path& f) { (void)load_calibration(f); }},
    // A regions table (issue 10); buyers and links tables share its CSV reader.
    {"regions",
     [](const std::filesystem::path& f) {
         (void)load_geography({f, {}, {}});
     }},
};

}  // namespace sesim::fuzz
