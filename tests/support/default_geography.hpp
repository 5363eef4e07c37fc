// Tests written against the default geography (model/geography.hpp: zwolle and haarlem) look
// parameter keys up in it by name, as sesim did before geography was data.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "model/params.hpp"

namespace sesim {
// Keys of the default geography (zwolle and haarlem), for tests written against it.
inline const ParamKey* find_param(std::string_view name) {
    return find_param(*default_geography(), name);
}
inline const std::vector<ParamKey>& param_keys() {
    return default_geography()->keys();
}
inline std::string closest_param(std::string_view name) {
    return closest_param(*default_geography(), name);
}
// The index of the buyer of `kind` (0 municipality, 1 province, 2 hospital, 3 school) serving
// region r in the default geography (keys "<region>.<kind>").
inline int buyer_of(const Params& p, int r, int kind) {
    return p.geo->find_buyer(p.geo->regions()[static_cast<std::size_t>(r)].key + "." +
                             std::string(kBuiltinBuyerKinds[kind]));
}
inline BuyerParams& buyer_params(Params& p, int r, int kind) {
    return p.buyer[static_cast<std::size_t>(buyer_of(p, r, kind))];
}

inline constexpr int kRegions = 2;     // of the default geography
inline constexpr int kBuyerKinds = 4;  // built-in kinds
inline constexpr int kBuyers = 8;      // of the default geography
}  // namespace sesim
