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
             [](const Params& p, [[maybe_unused]] int r, [[maybe_unused]] int b) {     \
                 return static_cast<double>((field).n);                                \
             },                                                                        \
             [](Params& p, [[maybe_unused]] int r, [[maybe_unused]] int b, double v) { \
                 (field).n = static_cast<detail::t>(v);                                \
             }},
#define PARAM_G(n, t, d, u, lo, hi, desc, src) \
    PARAM_ROW(n, t, d, u, lo, hi, desc, src, Scope::global, p.g)
#define PARAM_R(n, t, d, u, lo, hi, desc, src) \
    PARAM_ROW(n, t, d, u, lo, hi, desc, src, Scope::region, p.region[r])
#define PARAM_B(n, t, d, u, lo, hi, desc, src) \
    PARAM_ROW(n, t, d, u, lo, hi, desc, src, Scope::buyer, p.buyer[b])

const ParamDef kTable[] = {
#include "model/params.def"
};

#undef PARAM_G
#undef PARAM_R
#undef PARAM_B
#undef PARAM_ROW
#undef M

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

const ParamDef* find_param_def(std::string_view name) {
    for (const ParamDef& d : kTable)
        if (d.name == name) return &d;
    return nullptr;
}

std::vector<ParamKey> make_param_keys(const Geography& geo) {
    std::vector<ParamKey> keys;
    for (const ParamDef& d : kTable)
        if (d.scope == Scope::global) keys.push_back({std::string(d.name), &d, -1, -1});
    for (int r = 0; r < geo.region_count(); ++r)
        for (const ParamDef& d : kTable)
            if (d.scope == Scope::region)
                keys.push_back({geo.regions()[r].key + "." + std::string(d.name), &d, r, -1});
    for (int b = 0; b < geo.buyer_count(); ++b)
        for (const ParamDef& d : kTable)
            if (d.scope == Scope::buyer)
                keys.push_back({geo.buyers()[b].key + "." + std::string(d.name), &d, -1, b});
    return keys;
}

Params::Params() : Params(default_geography()) {}

Params::Params(GeographyPtr geography)
    : geo(std::move(geography)),
      region(static_cast<std::size_t>(geo->region_count())),
      buyer(static_cast<std::size_t>(geo->buyer_count())) {
    for (const TableValue& v : geo->table_values()) geo->keys()[v.key].set(*this, v.value);
}

const ParamKey* find_param(const Geography& geo, std::string_view name) {
    return geo.find_key(name);
}

std::vector<const ParamKey*> select_params(const Geography& geo, std::string_view name,
                                           std::string& error) {
    std::vector<const ParamKey*> out;
    if (const ParamKey* k = geo.find_key(name)) {
        out.push_back(k);
        return out;
    }
    const auto dot = name.rfind('.');
    const ParamDef* def =
        dot == std::string_view::npos ? nullptr : find_param_def(name.substr(dot + 1));
    const auto unknown = [&] {
        error = "unknown parameter '" + std::string(name.substr(0, 100)) + "'; did you mean '" +
                closest_param(geo, name.substr(0, 100)) + "'?";
        return std::vector<const ParamKey*>{};
    };
    if (def == nullptr || def->scope == Scope::global) return unknown();
    const std::string_view path = name.substr(0, dot);
    // PATH is GROUP or GROUP.KIND; GROUP is `all`, a province or (for buyers) a kind.
    std::string_view group = path;
    std::string_view kind_name;
    if (const auto d2 = path.find('.'); d2 != std::string_view::npos) {
        group = path.substr(0, d2);
        kind_name = path.substr(d2 + 1);
    }
    const bool all = group == "all";
    const bool province = !all && std::find(geo.provinces().begin(), geo.provinces().end(),
                                            group) != geo.provinces().end();
    int kind = kind_name.empty() ? -1 : geo.find_kind(kind_name);
    if (!kind_name.empty() && kind < 0) return unknown();
    if (def->scope == Scope::region) {
        if (!kind_name.empty() || (!all && !province)) return unknown();
        for (const ParamKey& k : geo.keys())
            if (k.def == def && (all || geo.regions()[k.region].province == group))
                out.push_back(&k);
    } else {
        if (kind_name.empty() && !all && !province) {
            kind = geo.find_kind(group);
            if (kind < 0) return unknown();
        }
        if (province && kind_name.empty()) {
            error = "'" + std::string(name) + "': " + std::string(group) +
                    " is a province, and no buyer has that key; to address the buyers of its "
                    "regions, name their kind: " +
                    std::string(group) + ".municipality." + std::string(def->name);
            return {};
        }
        for (const ParamKey& k : geo.keys()) {
            if (k.def != def) continue;
            const Buyer& b = geo.buyers()[k.buyer];
            if (kind >= 0 && b.kind != kind) continue;
            if (province) {
                bool inside = !b.serves.empty();
                for (const int r : b.serves) inside = inside && geo.regions()[r].province == group;
                if (!inside) continue;
            }
            out.push_back(&k);
        }
    }
    if (out.empty())
        error = "'" + std::string(name) + "' selects no parameter: no " +
                (def->scope == Scope::region ? "region" : "buyer") + " of this geography matches";
    return out;
}

std::string closest_param(const Geography& geo, std::string_view name) {
    const ParamKey* best = nullptr;
    std::size_t best_d = 0;
    for (const ParamKey& k : geo.keys()) {
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
    // parameter `X_end` of the same scope (setaside_start with setaside_end), checked for every
    // region and buyer. An end before its start would be a period that never runs, which is
    // always a typing mistake. The end month itself is part of the period, so start == end is
    // one month.
    static const std::vector<std::pair<const ParamDef*, const ParamDef*>> periods = [] {
        std::vector<std::pair<const ParamDef*, const ParamDef*>> pairs;
        constexpr std::string_view kStart = "_start";
        for (const ParamDef& d : kTable) {
            if (d.type != ParamType::month || !d.name.ends_with(kStart)) continue;
            const std::string end =
                std::string(d.name.substr(0, d.name.size() - kStart.size())) + "_end";
            const ParamDef* e = find_param_def(end);
            if (e != nullptr && e->type == ParamType::month && e->scope == d.scope)
                pairs.emplace_back(&d, e);
        }
        return pairs;
    }();
    const Geography& geo = *p.geo;
    for (const auto& [start, end] : periods) {
        const int n = start->scope == Scope::global   ? 1
                      : start->scope == Scope::region ? p.regions()
                                                      : p.buyers();
        for (int i = 0; i < n; ++i) {
            const int r = start->scope == Scope::region ? i : -1;
            const int b = start->scope == Scope::buyer ? i : -1;
            const double s = start->get(p, r, b);
            const double e = end->get(p, r, b);
            if (e >= s) continue;
            const std::string prefix = r >= 0   ? geo.regions()[r].key + "."
                                       : b >= 0 ? geo.buyers()[b].key + "."
                                                : std::string();
            out.push_back(prefix + std::string(end->name) + " (" + format_param_value(*end, e) +
                          ") is before " + prefix + std::string(start->name) + " (" +
                          format_param_value(*start, s) +
                          "); the period would never run: swap them or correct one");
        }
    }
    return out;
}

}  // namespace sesim
