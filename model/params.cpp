#include "model/params.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace sesim {

namespace {

constexpr ParamType param_type_REAL = ParamType::real;
constexpr ParamType param_type_INT = ParamType::integer;
[[maybe_unused]] constexpr ParamType param_type_FLAG = ParamType::flag;  // no flag parameter yet
constexpr ParamType param_type_MONTH = ParamType::month;

// The accessors convert through double: every INT/MONTH value is an exact integer in double,
// and validation has checked integrality before any set().
#define M(y, m) ((y)*12 + (m)-1)
#define PARAM_ROW(n, t, d, u, lo, hi, desc, src, scope, field)                         \
    ParamDef{#n,                                                                       \
             scope,                                                                    \
             param_type_##t,                                                           \
             static_cast<double>(d),                                                   \
             u,                                                                        \
             static_cast<double>(lo),                                                  \
             static_cast<double>(hi),                                                  \
             desc,                                                                     \
             src,                                                                      \
             [](const Params& p, [[maybe_unused]] int r, [[maybe_unused]] int k) {     \
                 return static_cast<double>((field).n);                                \
             },                                                                        \
             [](Params& p, [[maybe_unused]] int r, [[maybe_unused]] int k, double v) { \
                 (field).n = static_cast<detail::t>(v);                                \
             }},
#define PARAM_G(n, t, d, u, lo, hi, desc, src) \
    PARAM_ROW(n, t, d, u, lo, hi, desc, src, Scope::global, p.g)
#define PARAM_R(n, t, d, u, lo, hi, desc, src) \
    PARAM_ROW(n, t, d, u, lo, hi, desc, src, Scope::region, p.region[r])
#define PARAM_B(n, t, d, u, lo, hi, desc, src) \
    PARAM_ROW(n, t, d, u, lo, hi, desc, src, Scope::buyer, p.buyer[r][k])

const ParamDef kTable[] = {
#include "model/params.def"
};

#undef PARAM_G
#undef PARAM_R
#undef PARAM_B
#undef PARAM_ROW
#undef M

std::vector<ParamKey> make_keys() {
    std::vector<ParamKey> keys;
    for (const ParamDef& d : kTable)
        if (d.scope == Scope::global) keys.push_back({std::string(d.name), &d, -1, -1});
    for (int r = 0; r < kRegions; ++r)
        for (const ParamDef& d : kTable)
            if (d.scope == Scope::region)
                keys.push_back(
                    {std::string(kRegionNames[r]) + "." + std::string(d.name), &d, r, -1});
    for (int r = 0; r < kRegions; ++r)
        for (int k = 0; k < kBuyerKinds; ++k)
            for (const ParamDef& d : kTable)
                if (d.scope == Scope::buyer)
                    keys.push_back({std::string(kRegionNames[r]) + "." +
                                        std::string(kBuyerKindNames[k]) + "." + std::string(d.name),
                                    &d, r, k});
    return keys;
}

// The shortest text that reads back as exactly v: plain decimals (7000, 0.045) where they are
// short enough to read, scientific notation only for very large or very small magnitudes.
std::string trim_number(double v) {
    char buf[64];
    const double a = std::abs(v);
    if (a == 0 || (a >= 1e-4 && a < 1e12)) {
        for (int decimals = 0; decimals <= 12; ++decimals) {
            std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
            if (std::strtod(buf, nullptr) == v) return buf;
        }
    }
    for (int prec = 1; prec <= 17; ++prec) {
        std::snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (std::strtod(buf, nullptr) == v) return buf;
    }
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1);
    std::vector<std::size_t> cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::span<const ParamDef> param_defs() {
    return kTable;
}

const std::vector<ParamKey>& param_keys() {
    static const std::vector<ParamKey> keys = make_keys();
    return keys;
}

const ParamKey* find_param(std::string_view name) {
    for (const ParamKey& k : param_keys())
        if (k.name == name) return &k;
    return nullptr;
}

std::string closest_param(std::string_view name) {
    const ParamKey* best = nullptr;
    std::size_t best_d = 0;
    for (const ParamKey& k : param_keys()) {
        const std::size_t d = edit_distance(name, k.name);
        if (best == nullptr || d < best_d) {
            best = &k;
            best_d = d;
        }
    }
    return best ? best->name : std::string();
}

std::string_view type_name(ParamType t) {
    switch (t) {
        case ParamType::real:
            return "number";
        case ParamType::integer:
            return "integer";
        case ParamType::flag:
            return "true/false";
        case ParamType::month:
            return "month (YYYY-MM)";
    }
    return "?";
}

std::string format_param_value(const ParamDef& def, double value) {
    switch (def.type) {
        case ParamType::month:
            return format_month(static_cast<int>(value));
        case ParamType::flag:
            return value != 0 ? "true" : "false";
        case ParamType::integer:
            return std::to_string(static_cast<long long>(value));
        case ParamType::real:
            return trim_number(value);
    }
    return trim_number(value);
}

std::string range_text(const ParamDef& def) {
    if (def.type == ParamType::flag) return "true or false";
    std::string out = format_param_value(def, def.min);
    out += " to ";
    out += format_param_value(def, def.max);
    if (!def.unit.empty() && def.type != ParamType::month) {
        out += ' ';
        out += def.unit;
    }
    return out;
}

namespace {
// Built by appending: GCC 12 reports a false -Wrestrict on `"literal" + std::string&&`.
std::string quoted(std::string_view text) {
    std::string q(1, '\'');
    q += text;
    q += '\'';
    return q;
}
std::string with_article(std::string_view noun) {
    std::string out =
        noun.empty() || std::string_view("aeiou").find(noun[0]) == std::string_view::npos ? "a "
                                                                                          : "an ";
    out += noun;
    return out;
}
}  // namespace

std::optional<double> parse_param_value(const ParamDef& def, std::string_view text,
                                        std::string& error) {
    double v = 0;
    std::string expected = "expected ";
    expected += with_article(type_name(def.type));
    expected += " in ";
    expected += range_text(def);
    switch (def.type) {
        case ParamType::month: {
            auto m = parse_month(text);
            if (!m) {
                error = quoted(text) + " is not a month; " + expected;
                return std::nullopt;
            }
            v = *m;
            break;
        }
        case ParamType::flag: {
            if (text == "true" || text == "1" || text == "yes" || text == "on") return 1.0;
            if (text == "false" || text == "0" || text == "no" || text == "off") return 0.0;
            error = quoted(text) + " is not true or false";
            return std::nullopt;
        }
        case ParamType::integer:
        case ParamType::real: {
            const char* b = text.data();
            const char* e = text.data() + text.size();
            auto res = std::from_chars(b, e, v);
            if (res.ec != std::errc{} || res.ptr != e || !std::isfinite(v)) {
                error =
                    quoted(text) + " is not " + with_article(type_name(def.type)) + "; " + expected;
                return std::nullopt;
            }
            if (def.type == ParamType::integer && v != std::floor(v)) {
                error = quoted(text) + " is not a whole number; " + expected;
                return std::nullopt;
            }
            break;
        }
    }
    if (v < def.min || v > def.max) {
        error = quoted(text) + " is out of range; " + expected;
        return std::nullopt;
    }
    return v;
}

std::vector<std::string> check_consistency(const Params& p) {
    std::vector<std::string> out;
    const auto& g = p.g;
    auto sum_check = [&](double s, const char* what) {
        if (s > 1.0 + 1e-12)
            out.push_back(std::string(what) + " add up to " + trim_number(s) +
                          ", more than 1; lower one of them");
    };
    sum_check(g.se_share_facility + g.se_share_circular + g.se_share_services,
              "se_share_facility + se_share_circular + se_share_services");
    sum_check(g.tender_share_facility + g.tender_share_circular + g.tender_share_services,
              "tender_share_facility + tender_share_circular + tender_share_services");
    sum_check(g.mission_labour_share + g.mission_circular_share,
              "mission_labour_share + mission_circular_share");
    sum_check(g.sme_share_small + g.sme_share_medium, "sme_share_small + sme_share_medium");
    if (g.tender_min_months > g.tender_max_months)
        out.push_back("tender_min_months (" + std::to_string(g.tender_min_months) +
                      ") exceeds tender_max_months (" + std::to_string(g.tender_max_months) + ")");
    if (g.fire_utilisation >= g.hire_utilisation)
        out.push_back("fire_utilisation must be below hire_utilisation");
    // Every period of the table, found by name: a month parameter `X_start` with a month
    // parameter `X_end` of the same scope (zwolle.municipality.setaside_start with
    // zwolle.municipality.setaside_end). An end before its start would be a period that never
    // runs, which is always a typing mistake. The end month itself is part of the period, so
    // start == end is one month.
    static const std::vector<std::pair<const ParamKey*, const ParamKey*>> periods = [] {
        std::vector<std::pair<const ParamKey*, const ParamKey*>> pairs;
        constexpr std::string_view kStart = "_start";
        for (const ParamKey& key : param_keys()) {
            if (key.def->type != ParamType::month || !key.name.ends_with(kStart)) continue;
            const std::string end = key.name.substr(0, key.name.size() - kStart.size()) + "_end";
            const ParamKey* e = find_param(end);
            if (e != nullptr && e->def->type == ParamType::month) pairs.emplace_back(&key, e);
        }
        return pairs;
    }();
    for (const auto& [start, end] : periods) {
        const double s = start->get(p);
        const double e = end->get(p);
        if (e < s)
            out.push_back(end->name + " (" + format_param_value(*end->def, e) + ") is before " +
                          start->name + " (" + format_param_value(*start->def, s) +
                          "); the period would never run: swap them or correct one");
    }
    return out;
}

}  // namespace sesim
