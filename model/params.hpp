// Parameters: typed structs generated from the one table in model/params.def, and the
// run-time view of that table (names, units, bounds, sources) that parsing, validation,
// `sesim params`, the HDF5 writer and docs/parameters.md all read.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar.hpp"
#include "model/geography.hpp"

namespace sesim {

inline constexpr int kSectors = 4;
inline constexpr std::array<std::string_view, kSectors> kSectorNames{"facility", "circular",
                                                                     "services", "care"};

namespace detail {
using REAL = double;
using INT = int;
using FLAG = bool;
using MONTH = int;  // absolute month index, see calendar.hpp
}  // namespace detail

#define M(y, m) ((y)*12 + (m)-1)
#define PARAM_FIELD(name, type, def, ...) detail::type name = def;
#define PARAM_SKIP(...)

struct GlobalParams {
#define PARAM_G PARAM_FIELD
#define PARAM_R PARAM_SKIP
#define PARAM_B PARAM_SKIP
#include "model/params.def"
#undef PARAM_G
#undef PARAM_R
#undef PARAM_B
};

struct RegionParams {
#define PARAM_G PARAM_SKIP
#define PARAM_R PARAM_FIELD
#define PARAM_B PARAM_SKIP
#include "model/params.def"
#undef PARAM_G
#undef PARAM_R
#undef PARAM_B
};

struct BuyerParams {
#define PARAM_G PARAM_SKIP
#define PARAM_R PARAM_SKIP
#define PARAM_B PARAM_FIELD
#include "model/params.def"
#undef PARAM_G
#undef PARAM_R
#undef PARAM_B
};
#undef PARAM_FIELD
#undef PARAM_SKIP
#undef M

// All parameters of one scenario: the globals, and one set per region and per buyer of its
// geography. Default-constructed: the default geography (model/geography.hpp) at the table's
// defaults; Params(geo): the table's defaults, then the values the geography's tables give.
struct Params {
    GlobalParams g;
    GeographyPtr geo;
    std::vector<RegionParams> region;  // [region index of geo]
    std::vector<BuyerParams> buyer;    // [buyer index of geo]

    Params();
    explicit Params(GeographyPtr geography);
    int regions() const { return static_cast<int>(region.size()); }
    int buyers() const { return static_cast<int>(buyer.size()); }
};

enum class ParamType { real, integer, flag, month };
enum class Scope { global, region, buyer };

// One row of the table: a parameter as declared, before it is instantiated per region/buyer.
struct ParamDef {
    std::string_view name;
    Scope scope;
    ParamType type;
    double def;
    std::string_view unit;
    double min;
    double max;
    std::string_view description;
    std::string_view source;
    double (*get)(const Params&, int region, int buyer);
    void (*set)(Params&, int region, int buyer, double value);
};

std::span<const ParamDef> param_defs();
const ParamDef* find_param_def(std::string_view name);

// A concrete, settable parameter of one geography: "months", "zwolle.population",
// "haarlem.school.budget", "overijssel.setaside_share".
struct ParamKey {
    std::string name;
    const ParamDef* def;
    int region;  // region index for a region parameter, else -1
    int buyer;   // buyer index for a buyer parameter, else -1
    double get(const Params& p) const { return def->get(p, region, buyer); }
    void set(Params& p, double v) const { def->set(p, region, buyer, v); }
};

// Every concrete parameter of a geography, in table order (globals, then per region in region
// order, then per buyer). Built once with the geography (Geography::keys()).
std::vector<ParamKey> make_param_keys(const Geography& geo);
inline const std::vector<ParamKey>& param_keys(const Geography& geo) {
    return geo.keys();
}
inline const std::vector<ParamKey>& param_keys(const Params& p) {
    return p.geo->keys();
}
const ParamKey* find_param(const Geography& geo, std::string_view name);
inline const ParamKey* find_param(const Params& p, std::string_view name) {
    return find_param(*p.geo, name);
}
// The keys a name selects: one key, or a group (docs/parameters.md, "Keys and selectors"):
//   all.P                 P of every region, or of every buyer
//   KIND.P                P of every buyer of that kind (municipality.setaside_share)
//   PROVINCE.P            P of every region of the province (a region parameter)
//   PROVINCE.KIND.P       P of every buyer of that kind serving only regions of the province
//   all.KIND.P            the same as KIND.P
// Empty with `error` set (naming the closest key) when the name selects nothing.
std::vector<const ParamKey*> select_params(const Geography& geo, std::string_view name,
                                           std::string& error);
// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The known key nearest to `name` by edit distance (for "did you mean" messages).
std::string closest_param(const Geography& geo, std::string_view name);

// Parses a value of the parameter's type and checks its range. On failure returns nullopt and
// sets `error` to a sentence naming the expected type, range and unit.
std::optional<double> parse_param_value(const ParamDef& def, std::string_view text,
                                        std::string& error);
// The value as a scenario file would write it (months as YYYY-MM, flags as true/false).
std::string format_param_value(const ParamDef& def, double value);
std::string_view type_name(ParamType t);
std::string range_text(const ParamDef& def);

// Checks relations between parameters that single ranges cannot express (sector shares sum
// to at most 1, contract durations ordered...). Returns one message per problem.
std::vector<std::string> check_consistency(const Params& p);

}  // namespace sesim
