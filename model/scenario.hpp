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
    // The geography tables as read (empty for the default geography), kept verbatim in the
    // output so that a result file alone can be re-run (output/geography_file.hpp).
    struct Table {
        std::string file;  // as named, resolved against the scenario's folder
        std::string text;
    };
    Table regions, buyers, links;
    Params params;
};

}  // namespace sesim
