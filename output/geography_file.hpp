// Geography tables: the regions, buyers and links of a scenario as CSV files (RFC 4180; UTF-8,
// a byte-order mark and Windows line ends accepted; lines starting with '#' are comments).
// Their format is in docs/geography.md; the shipped tables are in scenarios/regions/.
//
//   regions: code, key, name, province, then any region parameter as a column (population, ...)
//   buyers:  key, kind, name, serves, then any buyer parameter as a column (budget, ...)
//   links:   from, to, weight
//
// An empty cell takes the parameter's default. Every error names the file, line and column.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "model/geography.hpp"

namespace sesim {

struct GeographyFiles {
    std::filesystem::path regions;
    std::optional<std::filesystem::path> buyers;  // none: no buyers (no public tenders)
    std::optional<std::filesystem::path> links;   // none: no links (no exchange)
};

// Reads and checks the tables. Throws InputError naming file, line and column on any problem:
// a missing file, an empty or ragged table, an unknown column, a duplicate region code or key,
// a buyer serving a region that does not exist, a link to an unknown region, a value that is
// missing where required, negative, of the wrong type or out of its parameter's range.
GeographyPtr load_geography(const GeographyFiles& files);

// The same from the tables' text (for tests and for files read back from a result); `shown`
// names each table in messages.
struct GeographyText {
    std::string regions, regions_shown;
    std::string buyers, buyers_shown;
    std::string links, links_shown;
};
GeographyPtr parse_geography(const GeographyText& text);

}  // namespace sesim
