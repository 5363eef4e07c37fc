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

namespace sesim {

inline constexpr int kRegions = 2;
inline constexpr std::array<std::string_view, kRegions> kRegionNames{"zwolle", "haarlem"};

enum class BuyerKind : std::uint8_t { municipality, province, hospital, school };
inline constexpr int kBuyerKinds = 4;
inline constexpr std::array<std::string_view, kBuyerKinds> kBuyerKindNames{
    "municipality", "province", "hospital", "school"};
inline constexpr int kBuyers = kRegions * kBuyerKinds;

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

// All parameters of one scenario. Default-constructed = the table's defaults.
struct Params {
    GlobalParams g;
    std::array<RegionParams, kRegions> region;
    std::array<std::array<BuyerParams, kBuyerKinds>, kRegions> buyer;  // [region][kind]
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
    double (*get)(const Params&, int region, int kind);
    void (*set)(Params&, int region, int kind, double value);
};

std::span<const ParamDef> param_defs();

// A concrete, settable parameter: "months", "zwolle.population", "haarlem.school.budget".
struct ParamKey {
    std::string name;
    const ParamDef* def;
    int region;  // -1 for global
    int kind;    // -1 unless a buyer parameter
    double get(const Params& p) const { return def->get(p, region, kind); }
    void set(Params& p, double v) const { def->set(p, region, kind, v); }
};

// Every concrete parameter, in table order (globals, then per region, then per buyer).
const std::vector<ParamKey>& param_keys();
const ParamKey* find_param(std::string_view name);
// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The known key nearest to `name` by edit distance (for "did you mean" messages).
std::string closest_param(std::string_view name);

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
