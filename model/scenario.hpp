// A scenario as the model sees it: a name and fully resolved parameters, plus where they came
// from (kept in the output for provenance). Parsing lives in solvers/scenario_file.hpp.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "model/params.hpp"

namespace sesim {

struct Scenario {
    std::string name;                // HDF5 group name: the file's `name` key, else the file stem
    std::string description;         // the file's `description` key, may be empty
    std::string path;                // the file as given on the command line
    std::vector<std::string> files;  // the `base` chain, base first, ending with `path`
    std::string text;  // the text of every file in `files`, each after a "# file:" line
    std::vector<std::pair<std::string, std::string>> overrides;  // --set name=value, in order
    Params params;
};

}  // namespace sesim
