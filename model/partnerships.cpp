// Process 5: partnerships between aware, CSR-oriented SMEs and SEs. Each searching SME has an
// exponential threshold on the region's cumulative partnership hazard (as for awareness); the
// hazard rises with the visibility of the SEs that can take a partner and with brokerage.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "model/processes.hpp"

namespace sesim {

double partner_channel(const Params& p, SizeClass c) {
    switch (c) {
        case SizeClass::micro:
            return p.g.channel_micro;
        case SizeClass::small:
            return p.g.channel_small;
        case SizeClass::medium:
            return p.g.channel_medium;
    }
    return 0;
}

double partner_size_factor(const Params& p, SizeClass c) {
    switch (c) {
        case SizeClass::micro:
            return 1.0;
        case SizeClass::small:
            return p.g.partner_size_factor;
        case SizeClass::medium:
            return p.g.partner_size_factor * p.g.partner_size_factor;
    }
    return 1.0;
}

int partnership_months(const Params& p, double u) {
    // Geometric duration on {1, 2, ...} months: P(duration > k) = (1 - h)^k, the same law as a
    // monthly dissolution draw with hazard h, drawn once when the partnership forms.
    const double h = p.g.partner_dissolve;
    if (h <= 0) return std::numeric_limits<int>::max() / 2;
    if (h >= 1) return 1;
    const double k = std::floor(std::log(u) / std::log1p(-h));
    return 1 + static_cast<int>(std::min(k, 1e8));
}

void start_partner_search(const Params& p, const Rng& rng, State& s, int r, std::size_t j) {
    Smes& m = s.sme;
    if (!m.csr[j]) return;
    const double e =
        rng.exponential(sme_id(p, m, r, j), s.t, Purpose::sme_partner_search, m.search[j]);
    m.partner_threshold[j] =
        s.region[r].partner_hazard + e / partner_size_factor(p, m.size_class[j]);
    auto& heap = m.index[r].searching;
    heap.emplace_back(m.partner_threshold[j], static_cast<std::uint32_t>(j));
    std::push_heap(heap.begin(), heap.end(), std::greater<>{});
}

namespace {

// SEs of a region that can take another partner, with cumulative choice weights
// visibility x (1 + skill).
struct OpenSes {
    std::vector<std::size_t> slot;
    std::vector<double> cum_weight;

    // `active` are the region's active SEs in slot order (active_by_region).
    void build(const Params& p, const SocialEnterprises& se,
               const std::vector<std::uint32_t>& active) {
        slot.clear();
        cum_weight.clear();
        double w = 0;
        for (const std::size_t i : active) {
            if (se.partners[i] >= p.g.partner_max) continue;
            slot.push_back(i);
            w += se.visibility[i] * (1.0 + se.skill[i]);
            cum_weight.push_back(w);
        }
    }
    std::size_t pick(double u) const {
        // Without any visibility every open SE is equally likely.
        if (cum_weight.back() <= 0)
            return slot[std::min(slot.size() - 1, static_cast<std::size_t>(u * slot.size()))];
        const double x = u * cum_weight.back();
        const auto q = static_cast<std::size_t>(
            std::upper_bound(cum_weight.begin(), cum_weight.end(), x) - cum_weight.begin());
        return slot[std::min(q, slot.size() - 1)];
    }
};

double u32(std::uint32_t x) {
    return Rng::to_open01(x);
}

}  // namespace

void initial_partnerships(const Params& p, const Rng& rng, State& s) {
    SocialEnterprises& se = s.se;
    Smes& m = s.sme;
    OpenSes open;
    std::vector<std::vector<std::uint32_t>> active;
    active_by_region(p, se, active);
    for (int r = 0; r < p.regions(); ++r) {
        Smes::Index& ix = m.index[r];
        open.build(p, se, active[r]);
        if (open.slot.empty()) continue;
        double vis = 0;
        for (const std::size_t i : open.slot) vis += se.visibility[i];
        // Hazard of the region's partnership process per month (size factor 1), as process 5
        // accumulates it without brokerage; an SME with size factor f is partnered in the
        // stationary state with chance f g / (f g + d), d the dissolution hazard.
        const double g = p.g.partner_hazard * vis / open.slot.size();
        const double d = p.g.partner_dissolve;
        std::vector<std::pair<double, std::uint32_t>> still;
        for (const auto& entry : ix.searching) {
            const std::uint32_t j = entry.second;
            const double fg = g * partner_size_factor(p, m.size_class[j]);
            const double chance = fg + d > 0 ? fg / (fg + d) : 0.0;
            const auto w = rng.raw(sme_id(p, m, r, j), -1, Purpose::init_partner);
            if (open.slot.empty() || u32(w[0]) >= chance) {
                still.push_back(entry);
                continue;
            }
            const std::size_t i = open.pick(u32(w[1]));
            m.partner[j] = static_cast<std::int32_t>(i);
            // The remaining duration of a running partnership has the same geometric law as a
            // new one's (no memory).
            m.partner_until[j] = partnership_months(p, u32(w[2]));
            ix.partnered.push_back(j);
            if (se.partners[i] == 0) {
                // The skill it has learned from partners so far, in expectation: learning at
                // partner_skill toward 1 against skill_depreciation toward its founding skill
                // relaxes at rate k + delta toward s* = (k + delta b) / (k + delta); over a
                // partnership of geometric age (hazard d) that gives (k + delta) / (k + delta +
                // d) of the way.
                const double k = p.g.partner_skill;
                const double dl = p.g.skill_depreciation;
                const double b = se.skill_base[i];
                if (k + dl > 0) {
                    const double star = (k + dl * b) / (k + dl);
                    se.skill[i] = b + (star - b) * (k + dl) / (k + dl + d);
                }
            }
            ++se.partners[i];
            se.channel[i] += partner_channel(p, m.size_class[j]);
            if (se.partners[i] >= p.g.partner_max) open.build(p, se, active[r]);
        }
        ix.searching = std::move(still);
        std::make_heap(ix.searching.begin(), ix.searching.end(), std::greater<>{});
    }
}

void partnerships(const Params& p, const Rng& rng, State& s) {
    SocialEnterprises& se = s.se;
    Smes& m = s.sme;
    const int t = s.t;
    OpenSes open;
    thread_local std::vector<std::vector<std::uint32_t>> active;
    active_by_region(p, se, active);
    for (int r = 0; r < p.regions(); ++r) {
        RegionState& rs = s.region[r];
        Smes::Index& ix = m.index[r];

        // Dissolution at a constant hazard: each partnership's duration was drawn when it formed.
        std::size_t keep = 0;
        for (std::size_t q = 0; q < ix.partnered.size(); ++q) {
            const std::uint32_t j = ix.partnered[q];
            if (m.partner_until[j] > t) {
                ix.partnered[keep++] = j;
                continue;
            }
            const auto i = static_cast<std::size_t>(m.partner[j]);
            --se.partners[i];
            se.channel[i] =
                se.partners[i] == 0 ? 0.0 : se.channel[i] - partner_channel(p, m.size_class[j]);
            m.partner[j] = -1;
            ++m.search[j];
            start_partner_search(p, rng, s, r, j);
        }
        ix.partnered.resize(keep);

        open.build(p, se, active[r]);
        if (open.slot.empty()) continue;  // nobody to partner with: the hazard does not accumulate
        double vis = 0;
        for (const std::size_t i : open.slot) vis += se.visibility[i];
        // Brokerage: budget / brokerage_cost contacts a month, each a partnership with chance
        // brokerage_conversion, spread over the searching SMEs as a hazard, so that the
        // partnerships it brings grow with its budget and not with the size of the region.
        auto& heap = ix.searching;
        const double brokered = heap.empty()
                                    ? 0.0
                                    : p.g.brokerage_conversion * s.levers.brokerage_contacts[r] /
                                          static_cast<double>(heap.size());
        rs.partner_hazard += p.g.partner_hazard * (vis / open.slot.size()) + brokered;
        const double G = rs.partner_hazard;

        // SMEs whose threshold has been passed partner now, lowest threshold first.
        while (!heap.empty() && heap.front().first <= G && !open.slot.empty()) {
            std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
            const std::uint32_t j = heap.back().second;
            heap.pop_back();
            const std::uint64_t id = sme_id(p, m, r, j);
            const std::size_t i =
                open.pick(rng.uniform(id, t, Purpose::partner_choice, m.search[j]));
            m.partner[j] = static_cast<std::int32_t>(i);
            m.partner_until[j] =
                t +
                partnership_months(p, rng.uniform(id, t, Purpose::partner_dissolve, m.search[j]));
            ix.partnered.push_back(j);
            ++se.partners[i];
            se.channel[i] += partner_channel(p, m.size_class[j]);
            s.flows.partnerships_formed[r] += 1;
            // A co-investment is equity, not revenue: it adds to cash only.
            if (rng.uniform(id, t, Purpose::partner_co_invest, m.search[j]) < p.g.co_invest_share)
                se.cash[i] += p.g.co_invest;
            if (se.partners[i] >= p.g.partner_max) open.build(p, se, active[r]);
        }
    }
}

}  // namespace sesim
