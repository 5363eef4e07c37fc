// Scenario files: Boost.Program_options' config-file syntax (`key = value`, `[section]`
// prefixes the keys below it with `section.`, `#` starts a comment), read by our own parser
// so that every error can name the file and line.
//
// Reserved keys: `base` (another scenario file this one extends, relative to this file's
// folder), `name` (the scenario's name in the output; default: the file stem),
// `description`, and the geography: `regions`, `buyers`, `links` (tables relative to this
// file's folder, output/geography_file.hpp; without them the default geography of
// model/geography.hpp). The geography is read first, so its keys can be used anywhere in the
// chain. Every other key is a parameter key or selector of model/params.hpp (select_params),
// applied in the order of the chain (base first), so a later line overrides an earlier one.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/scenario.hpp"
#include "output/geography_file.hpp"

namespace sesim {

struct IniEntry {
    std::string key;    // with the section prefix: "zwolle.population"
    std::string value;  // trimmed; surrounding double quotes removed
    std::string file;   // as opened, for messages
    int line = 0;       // 1-based
};

// Reads one file's entries in order. Throws InputError (naming file and line) on a missing or
// unreadable file, a malformed line, an empty key or value, or a key given twice in the file.
std::vector<IniEntry> read_ini(const std::filesystem::path& file);

// Loads a scenario file with its `base` chain, applies the `--set name=value` overrides, and
// validates everything (unknown keys with the closest known key, types, ranges with units,
// relations between parameters). Throws InputError on any problem; the message names the
// file, line and key, and says what to do.
Scenario load_scenario(const std::filesystem::path& file,
                       const std::vector<std::string>& sets = {});

// Applies `name=value` overrides to params (validated as above); `origin` names them in
// messages, e.g. "--set". Returns the parsed (name, value) pairs.
std::vector<std::pair<std::string, std::string>> apply_sets(Params& params,
                                                            const std::vector<std::string>& sets,
                                                            const std::string& origin = "--set");

// The geography tables a scenario keeps, for parse_geography (re-reading a result file).
GeographyText geography_text(const Scenario& sc);

// True when `name` can serve as a scenario name (the HDF5 group name): [A-Za-z0-9_-]+.
bool valid_scenario_name(std::string_view name);

}  // namespace sesim
