// Process 1 (interventions) and process 2 (awareness of SMEs, residents and buyers).
#include <algorithm>
#include <cmath>

#include "model/processes.hpp"

namespace sesim {

void interventions(const Params& p, State& s) {
    Levers& L = s.levers;
    L.reset(p.regions(), p.buyers());
    const int t = s.t;
    for (int r = 0; r < p.regions(); ++r) {
        const RegionParams& rp = p.region[r];
        // Each programme's intensity is what its budget buys, so that a small programme has a
        // small effect; the accelerator's cost is booked per place by process 8.
        L.accelerator[r] =
            rp.accelerator_size > 0 && lever_on(p, t, rp.accelerator_start, rp.accelerator_end);
        if (lever_on(p, t, rp.brokerage_start, rp.brokerage_end) && rp.brokerage_budget > 0) {
            L.brokerage_contacts[r] = rp.brokerage_budget / p.g.brokerage_cost;
            L.programme_cost_region[r] += rp.brokerage_budget;
        }
        if (lever_on(p, t, rp.meeting_place_start, rp.meeting_place_end) &&
            rp.meeting_place_budget > 0) {
            const double full_cost = p.g.meeting_place_cost * rp.population / 1e5;
            L.meeting_place[r] = std::min(1.0, rp.meeting_place_budget / full_cost);
            L.programme_cost_region[r] += rp.meeting_place_budget;
        }
        if (lever_on(p, t, rp.campaign_start, rp.campaign_end) && rp.campaign_budget > 0) {
            // Reach: the share of the region's residents and firms contacted this month.
            const double reach =
                std::min(1.0, rp.campaign_budget / p.g.campaign_cost / (rp.population + rp.smes));
            L.campaign_hazard[r] = p.g.campaign_conversion * reach;
            L.campaign_visibility[r] = p.g.campaign_visibility * reach;
            L.programme_cost_region[r] += rp.campaign_budget;
        }
    }
    for (int b = 0; b < p.buyers(); ++b) {
        const BuyerParams& bp = p.buyer[b];
        if (lever_on(p, t, bp.setaside_start, bp.setaside_end)) L.setaside[b] = bp.setaside_share;
        if (lever_on(p, t, bp.social_weight_start, bp.social_weight_end))
            L.social_weight[b] = bp.social_weight;
        if (lever_on(p, t, bp.social_return_start, bp.social_return_end))
            L.social_return[b] = bp.social_return;
        if (lever_on(p, t, bp.ric_start, bp.ric_end) && bp.ric_share > 0) {
            L.ric[b] = bp.ric_share;
            // A buyer's programme cost is shared among its regions as its payments are.
            for (const auto& [r, share] : s.buyer_area[b])
                L.programme_cost_region[r] += share * bp.ric_budget;
        }
    }
    if (lever_on(p, t, p.g.exchange_start, p.g.exchange_end) && p.g.exchange_weight > 0) {
        L.exchange = p.g.exchange_weight;
        // The exchange programme (a national budget) is shared among the regions by population.
        double population = 0;
        for (const RegionParams& rp : p.region) population += rp.population;
        for (int r = 0; r < p.regions(); ++r)
            L.programme_cost_region[r] += p.g.exchange_budget * p.region[r].population / population;
    }
    L.programme_cost = total(L.programme_cost_region);
}

namespace {
// Region r's value blended with its linked regions' (weights normalised over r's links) by the
// exchange weight w; a region without links keeps its own value.
double blend(const Params& p, const std::vector<double>& x, int r, double w) {
    const auto& nb = p.geo->neighbours(r);
    if (nb.empty() || w == 0) return x[r];
    double other = 0;
    for (const auto& [j, weight] : nb) other += weight * x[j];
    return (1.0 - w) * x[r] + w * other;
}
}  // namespace

void awareness(const Params& p, const Rng& rng, State& s) {
    const Levers& L = s.levers;
    Smes& m = s.sme;
    const int R = p.regions();
    thread_local std::vector<double> sme_share, resident, adoption, buyer_peer;
    sme_share.assign(R, 0.0);
    resident.assign(R, 0.0);
    adoption.assign(R, 0.0);
    for (int r = 0; r < R; ++r) {
        const std::size_t n = m.region_begin[r + 1] - m.region_begin[r];
        sme_share[r] = n > 0 ? static_cast<double>(s.region[r].smes_aware) / n : 0.0;
        resident[r] = s.region[r].resident_awareness;
        // The practice of social procurement among the buyers serving the region.
        const auto& serving = p.geo->buyers_serving(r);
        double a = 0;
        for (const int b : serving) a += s.buyer[b].adoption;
        adoption[r] = serving.empty() ? 0.0 : a / static_cast<double>(serving.size());
    }
    // A buyer imitates the practice in the regions it serves, each blended with its links.
    buyer_peer.assign(static_cast<std::size_t>(p.buyers()), 0.0);
    for (int b = 0; b < p.buyers(); ++b) {
        const auto& serves = p.geo->buyers()[b].serves;
        double a = 0;
        for (const int r : serves) a += blend(p, adoption, r, L.exchange);
        buyer_peer[b] = a / static_cast<double>(serves.size());
    }

    for (int r = 0; r < R; ++r) {
        RegionState& rs = s.region[r];
        // Bass hazard: spontaneous (raised by the meeting place, plus the campaign) and
        // imitation of aware peers, including the linked regions' under exchange.
        const double spont_boost = 1.0 + L.meeting_place[r];
        const double h_sme = p.g.sme_bass_p * spont_boost + L.campaign_hazard[r] +
                             p.g.sme_bass_q * blend(p, sme_share, r, L.exchange);
        rs.sme_hazard += h_sme;
        const double h_res = p.g.resident_bass_p * spont_boost + L.campaign_hazard[r] +
                             p.g.resident_bass_q * blend(p, resident, r, L.exchange);
        rs.resident_awareness += (1.0 - std::exp(-h_res)) * (1.0 - rs.resident_awareness);

        // An SME becomes aware when the cumulative hazard passes its own exponential threshold:
        // the same as a monthly Bernoulli draw with probability 1 - exp(-h), but each SME draws
        // once, so a lever changes who becomes aware only from the month it acts. Thresholds are
        // sorted once, so this costs one step per SME that becomes aware.
        Smes::Index& ix = m.index[r];
        const double H = rs.sme_hazard;
        while (ix.next_unaware < ix.unaware_by_threshold.size() &&
               m.aware_threshold[ix.unaware_by_threshold[ix.next_unaware]] <= H) {
            const std::size_t j = ix.unaware_by_threshold[ix.next_unaware++];
            m.aware[j] = 1;
            ++rs.smes_aware;
            rs.aware_spend += sme_spend(p, m.size_class[j]);
            start_partner_search(p, rng, s, r, j);
        }
    }
    for (int b = 0; b < p.buyers(); ++b) {
        BuyerState& bs = s.buyer[b];
        const double h = p.g.buyer_bass_p + p.g.buyer_bass_q * buyer_peer[b];
        bs.adoption += (1.0 - std::exp(-h)) * (1.0 - bs.adoption);
    }
}

}  // namespace sesim
