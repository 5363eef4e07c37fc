// Process 4: private demand. Each region has a consumer pool (aware residents) and a business
// pool (aware SMEs' purchases and social-return purchases of regular contractors); both are
// shared among the region's SEs by (niche + visibility) x capacity^elasticity. Partner channels go
// to the partner.
#include <algorithm>
#include <cmath>

#include "model/processes.hpp"

namespace sesim {

double sme_spend(const Params& p, SizeClass c) {
    switch (c) {
        case SizeClass::micro:
            return p.g.sme_spend_micro;
        case SizeClass::small:
            return p.g.sme_spend_small;
        case SizeClass::medium:
            return p.g.sme_spend_medium;
    }
    return 0;
}

double capacity_at(const Params& p, double fte, double target_fte, double skill) {
    const double effective_fte = fte - target_fte * (1.0 - p.g.target_productivity);
    return effective_fte * p.g.productivity *
           (1.0 - p.g.skill_productivity + p.g.skill_productivity * skill);
}

double se_capacity(const Params& p, const SocialEnterprises& se, std::size_t i) {
    return capacity_at(p, se.fte[i], se.target_fte[i], se.skill[i]);
}

double demand_weight(const Params& p, const SocialEnterprises& se, std::size_t i) {
    return se.market[i] * (p.g.niche_demand + se.visibility[i]) *
           std::pow(se_capacity(p, se, i), p.g.demand_size_elasticity);
}

void private_demand(const Params& p, State& s) {
    SocialEnterprises& se = s.se;
    const Levers& L = s.levers;
    const int R = p.regions();
    // Social-return purchases reach the business pools of the buyer's regions by population.
    // weight: the regions' sums of w, the SEs' weights (only an active SE's is set and read).
    thread_local std::vector<double> social_return, weight, w;
    social_return.assign(static_cast<std::size_t>(R), 0.0);
    weight.assign(static_cast<std::size_t>(R), 0.0);
    for (std::size_t k = 0; k < s.contracts.size(); ++k) {
        if (s.contracts.social_return[k] == 0) continue;
        for (const auto& [r, share] : s.buyer_area[s.contracts.buyer[k]])
            social_return[r] += share * s.contracts.social_return[k];
    }

    // Weight of each SE in its region's private demand: market x (niche + visibility) x
    // capacity^e. The market, drawn at founding, is the size of its own niche: an SE at the
    // capacity its market supports has weight capacity x (niche + visibility). With e < 1 an SE
    // below that capacity has more demand than capacity and grows toward it, one above it
    // sheds staff to restore utilisation: sizes are stable, and visibility moves them.
    w.assign(se.size(), 0.0);
    for (std::size_t i = 0; i < se.size(); ++i) {
        if (!se.active(i)) continue;
        const int r = se.region[i];
        // Effective visibility: its own, a running campaign, accelerator alumni status, public
        // track record (up to four contracts) and a partner's name.
        const double v =
            se.own_visibility[i] + L.campaign_visibility[r] +
            (se.accelerator_until[i] >= 0 ? p.g.accelerator_visibility : 0.0) +
            std::min(se.contracts_won[i], p.g.track_record_max) * p.g.track_record_visibility +
            (se.partners[i] > 0 ? p.g.partner_visibility : 0.0);
        se.visibility[i] = std::clamp(v, 0.0, 1.0);
        w[i] = demand_weight(p, se, i);
        weight[r] += w[i];
    }
    for (int r = 0; r < R; ++r) s.flows.social_return_se[r] += social_return[r];
    for (std::size_t i = 0; i < se.size(); ++i) {
        if (!se.active(i)) continue;
        const int r = se.region[i];
        const double share = weight[r] > 0 ? w[i] / weight[r] : 0.0;
        const double consumers =
            p.region[r].population * s.region[r].resident_awareness * p.g.consumer_spend;
        const double business = s.region[r].aware_spend + social_return[r];
        se.demand_consumer[i] = share * consumers;
        se.demand_business[i] = share * business + se.channel[i];
    }
}

}  // namespace sesim
