// The geography of a scenario: its regions, the government buyers that tender for them and the
// links between regions. It is data (solvers/geography_file.hpp reads it from CSV tables), so
// one region or all 342 Dutch municipalities are the same code; parameters are instantiated per
// region and per buyer from the one table in model/params.def.
//
// Order never depends on the order of the input rows: regions are kept sorted by code, buyers
// by key, links by their pair. Every random draw of an entity is keyed by a stream derived from
// its region's code or its buyer's key (model/state.hpp, ids), so results do not depend on the
// row order of a table, and adding a region leaves every other region's draws as they were.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sesim {

struct ParamDef;
struct ParamKey;

// The kinds every geography knows; a buyers table may declare more (a housing corporation, a
// water board): any lower-case name.
inline constexpr std::string_view kBuiltinBuyerKinds[] = {"municipality", "province", "hospital",
                                                          "school"};

struct Region {
    std::string code;          // stable identifier, e.g. the CBS code GM0193
    std::string key;           // the readable name in parameter keys: zwolle.population
    std::string name;          // display name, UTF-8
    std::string province;      // group key (overijssel), may be empty
    std::uint64_t stream = 0;  // keys the region's random draws (from the code)
};

struct Buyer {
    std::string key;           // zwolle.municipality, overijssel
    std::string name;          // display name
    int kind = 0;              // index into Geography::kinds
    std::vector<int> serves;   // region indices whose SEs may bid on its tenders, ascending
    std::uint64_t stream = 0;  // keys the buyer's random draws (from the key)
};

struct Link {
    int a = 0;  // region index, a < b
    int b = 0;
    double weight = 0;  // >= 0, dimensionless
};

// A value given by a table column for one region or buyer parameter (applied by Params(geo)).
struct TableValue {
    std::size_t key;  // index into Geography::keys()
    double value;
};

class Geography {
  public:
    // Validates and canonicalises (sorts) the inputs; throws std::invalid_argument with a
    // message naming the region, buyer or link at fault. `values` are (parameter key, value)
    // pairs of the tables, e.g. ("zwolle.population", 126000), checked against the table's
    // types and ranges. Buyers' `serves` name region keys.
    struct BuyerRow {
        std::string key, name, kind;
        std::vector<std::string> serves;  // region keys
    };
    struct LinkRow {
        std::string a, b;  // region keys
        double weight;
    };
    Geography(std::vector<Region> regions, const std::vector<BuyerRow>& buyers,
              const std::vector<LinkRow>& links,
              const std::vector<std::pair<std::string, double>>& values, std::string source);

    const std::vector<Region>& regions() const { return regions_; }
    const std::vector<Buyer>& buyers() const { return buyers_; }
    const std::vector<Link>& links() const { return links_; }
    const std::vector<std::string>& kinds() const { return kinds_; }
    const std::vector<std::string>& provinces() const { return provinces_; }
    // Where the geography came from ("default" or the table files with their SHA-256).
    const std::string& source() const { return source_; }
    int region_count() const { return static_cast<int>(regions_.size()); }
    int buyer_count() const { return static_cast<int>(buyers_.size()); }

    int find_region(std::string_view key) const;  // -1 if none
    int find_buyer(std::string_view key) const;   // -1 if none
    int find_kind(std::string_view name) const;   // -1 if none

    // Buyers whose tenders the SEs of region r may bid on, ascending.
    const std::vector<int>& buyers_serving(int r) const { return serving_[r]; }
    // Linked regions of r with their weights normalised to sum to 1 (empty: no links).
    const std::vector<std::pair<int, double>>& neighbours(int r) const { return neighbours_[r]; }

    // Every concrete parameter key: globals, then per region, then per buyer.
    const std::vector<ParamKey>& keys() const { return keys_; }
    const ParamKey* find_key(std::string_view name) const;
    const std::vector<TableValue>& table_values() const { return values_; }

  private:
    std::vector<Region> regions_;
    std::vector<Buyer> buyers_;
    std::vector<Link> links_;
    std::vector<std::string> kinds_;
    std::vector<std::string> provinces_;
    std::string source_;
    std::vector<std::vector<int>> serving_;
    std::vector<std::vector<std::pair<int, double>>> neighbours_;
    std::vector<ParamKey> keys_;
    std::unordered_map<std::string, std::size_t> key_index_;
    std::vector<TableValue> values_;
};

using GeographyPtr = std::shared_ptr<const Geography>;

// The geography of a scenario that names none: the two regions of the 2019 study frame,
// zwolle (GM0193) and haarlem (GM0392), each with a municipality, province, hospital and school
// buyer serving it, linked with weight 1, all at the parameter table's defaults. Kept so that
// scenario files written before geography was data run unchanged; the study itself names its
// tables (scenarios/regions/study-*.csv).
const GeographyPtr& default_geography();

// True for a valid region key, buyer key segment, kind or province: [a-z][a-z0-9_]*.
bool valid_key_segment(std::string_view s);

}  // namespace sesim
