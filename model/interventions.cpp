// Process 1: interventions. Switches the levers on and off at their dates and turns the
// programmes' budgets into what they buy this month (Levers, model/state.hpp).
#include <algorithm>

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

}  // namespace sesim
