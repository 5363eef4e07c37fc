#include "model/geography.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "model/params.hpp"
#include "model/rng.hpp"

namespace sesim {

bool valid_key_segment(std::string_view s) {
    if (s.empty() || s.front() < 'a' || s.front() > 'z') return false;
    for (const char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

namespace {

bool valid_buyer_key(std::string_view s) {
    while (true) {
        const auto dot = s.find('.');
        if (!valid_key_segment(s.substr(0, dot))) return false;
        if (dot == std::string_view::npos) return true;
        s.remove_prefix(dot + 1);
    }
}

[[noreturn]] void fail(const std::string& msg) {
    throw std::invalid_argument(msg);
}

}  // namespace

Geography::Geography(std::vector<Region> regions, const std::vector<BuyerRow>& buyers,
                     const std::vector<LinkRow>& links,
                     const std::vector<std::pair<std::string, double>>& values, std::string source)
    : regions_(std::move(regions)), source_(std::move(source)) {
    if (regions_.empty()) fail("the geography has no region; give at least one");
    std::sort(regions_.begin(), regions_.end(),
              [](const Region& a, const Region& b) { return a.code < b.code; });
    for (std::string_view k : kBuiltinBuyerKinds) kinds_.emplace_back(k);
    std::set<std::string> declared;
    for (const BuyerRow& b : buyers)
        if (std::find(kinds_.begin(), kinds_.end(), b.kind) == kinds_.end())
            declared.insert(b.kind);
    kinds_.insert(kinds_.end(), declared.begin(), declared.end());  // sorted: row order is moot

    std::set<std::string> seen_codes, names;
    for (Region& r : regions_) {
        if (r.code.empty()) fail("a region has an empty code");
        if (!seen_codes.insert(r.code).second) fail("region code '" + r.code + "' is given twice");
        if (!valid_key_segment(r.key))
            fail("region key '" + r.key + "' (code " + r.code +
                 ") must be lower-case letters, digits and '_', starting with a letter");
        if (!names.insert(r.key).second) fail("region key '" + r.key + "' is given twice");
        if (!r.province.empty() && !valid_key_segment(r.province))
            fail("province '" + r.province + "' of region " + r.key +
                 " must be lower-case letters, digits and '_', starting with a letter");
        if (!r.province.empty()) provinces_.push_back(r.province);
        r.stream = hash_text("region:" + r.code);
    }
    std::sort(provinces_.begin(), provinces_.end());
    provinces_.erase(std::unique(provinces_.begin(), provinces_.end()), provinces_.end());
    for (const Region& r : regions_) {
        if (r.key == "all" || find_kind(r.key) >= 0 ||
            std::binary_search(provinces_.begin(), provinces_.end(), r.key))
            fail("region key '" + r.key +
                 "' is also the name of a buyer kind, a province or 'all'; keys select "
                 "parameters, so choose another key");
    }
    for (const std::string& k : kinds_)
        if (!valid_key_segment(k))
            fail("buyer kind '" + k +
                 "' must be lower-case letters, digits and '_', starting with a letter");

    buyers_.reserve(buyers.size());
    for (const BuyerRow& row : buyers) {
        if (!valid_buyer_key(row.key))
            fail("buyer key '" + row.key +
                 "' must be lower-case words of letters, digits and '_' joined by '.'");
        if (find_region(row.key) >= 0 || row.key == "all" || find_kind(row.key) >= 0)
            fail("buyer key '" + row.key + "' is also a region key, a buyer kind or 'all'");
        Buyer b;
        b.key = row.key;
        b.name = row.name;
        b.kind = find_kind(row.kind);
        if (row.serves.empty()) fail("buyer '" + row.key + "' serves no region");
        for (const std::string& s : row.serves) {
            const int r = find_region(s);
            if (r < 0) fail("buyer '" + row.key + "' serves '" + s + "', which is not a region");
            b.serves.push_back(r);
        }
        std::sort(b.serves.begin(), b.serves.end());
        b.serves.erase(std::unique(b.serves.begin(), b.serves.end()), b.serves.end());
        b.stream = hash_text("buyer:" + b.key);
        buyers_.push_back(std::move(b));
    }
    std::sort(buyers_.begin(), buyers_.end(),
              [](const Buyer& a, const Buyer& b) { return a.key < b.key; });
    for (std::size_t i = 1; i < buyers_.size(); ++i)
        if (buyers_[i].key == buyers_[i - 1].key)
            fail("buyer key '" + buyers_[i].key + "' is given twice");
    serving_.assign(regions_.size(), {});
    for (int b = 0; b < buyer_count(); ++b)
        for (const int r : buyers_[b].serves) serving_[r].push_back(b);

    for (const LinkRow& row : links) {
        const int a = find_region(row.a);
        const int b = find_region(row.b);
        if (a < 0 || b < 0)
            fail("link " + row.a + " - " + row.b + ": '" + (a < 0 ? row.a : row.b) +
                 "' is not a region");
        if (a == b) fail("link " + row.a + " - " + row.b + " links a region to itself");
        if (!(row.weight >= 0) || !std::isfinite(row.weight))
            fail("link " + row.a + " - " + row.b + " has weight " + std::to_string(row.weight) +
                 "; weights are numbers of at least 0");
        links_.push_back({std::min(a, b), std::max(a, b), row.weight});
    }
    std::sort(links_.begin(), links_.end(),
              [](const Link& x, const Link& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
    for (std::size_t i = 1; i < links_.size(); ++i)
        if (links_[i].a == links_[i - 1].a && links_[i].b == links_[i - 1].b)
            fail("link " + regions_[links_[i].a].key + " - " + regions_[links_[i].b].key +
                 " is given twice");
    neighbours_.assign(regions_.size(), {});
    for (const Link& l : links_) {
        if (l.weight <= 0) continue;
        neighbours_[l.a].emplace_back(l.b, l.weight);
        neighbours_[l.b].emplace_back(l.a, l.weight);
    }
    for (auto& n : neighbours_) {
        std::sort(n.begin(), n.end());
        double total = 0;
        for (const auto& [r, w] : n) total += w;
        for (auto& [r, w] : n) w /= total;
    }

    keys_ = make_param_keys(*this);
    key_index_.reserve(keys_.size());
    for (std::size_t i = 0; i < keys_.size(); ++i) key_index_.emplace(keys_[i].name, i);
    for (const auto& [name, v] : values) {
        const auto it = key_index_.find(name);
        if (it == key_index_.end()) fail("the tables set '" + name + "', which is no parameter");
        const ParamDef& def = *keys_[it->second].def;
        if (!(v >= def.min && v <= def.max))
            fail("'" + name + "' = " + format_param_value(def, v) + " is outside " +
                 range_text(def));
        values_.push_back({it->second, v});
    }
}

int Geography::find_region(std::string_view key) const {
    for (std::size_t r = 0; r < regions_.size(); ++r)
        if (regions_[r].key == key) return static_cast<int>(r);
    return -1;
}

int Geography::find_buyer(std::string_view key) const {
    for (std::size_t b = 0; b < buyers_.size(); ++b)
        if (buyers_[b].key == key) return static_cast<int>(b);
    return -1;
}

int Geography::find_kind(std::string_view name) const {
    for (std::size_t k = 0; k < kinds_.size(); ++k)
        if (kinds_[k] == name) return static_cast<int>(k);
    return -1;
}

const ParamKey* Geography::find_key(std::string_view name) const {
    const auto it = key_index_.find(std::string(name));
    return it == key_index_.end() ? nullptr : &keys_[it->second];
}

const GeographyPtr& default_geography() {
    static const GeographyPtr geo = [] {
        std::vector<Region> regions{{"GM0193", "zwolle", "Zwolle", "", 0},
                                    {"GM0392", "haarlem", "Haarlem", "", 0}};
        std::vector<Geography::BuyerRow> buyers;
        for (const Region& r : regions)
            for (std::string_view kind : kBuiltinBuyerKinds)
                buyers.push_back({r.key + "." + std::string(kind),
                                  r.name + " " + std::string(kind),
                                  std::string(kind),
                                  {r.key}});
        return std::make_shared<const Geography>(
            regions, buyers, std::vector<Geography::LinkRow>{{"zwolle", "haarlem", 1.0}},
            std::vector<std::pair<std::string, double>>{}, "default");
    }();
    return geo;
}

}  // namespace sesim
