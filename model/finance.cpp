// Process 6 (production and finance) and process 7 (scale-up).
#include <algorithm>
#include <cmath>

#include "model/processes.hpp"

namespace sesim {

namespace {
// Work beyond capacity on public contracts is bought in (temporary staff, subcontractors) at the
// regular labour cost of that output plus an agency mark-up. Assumption: 25% mark-up.
constexpr double kBuyInMarkup = 1.25;
}  // namespace

double credit_limit(const Params& p, const SocialEnterprises& se, std::size_t i) {
    // Certification effect (Howell 2017): a first public contract makes lenders more willing;
    // a commercial partner does too.
    return p.g.credit_base +
           p.g.credit_months * std::max(se.revenue_avg[i], 0.0) *
               (1.0 + (se.contracts_won[i] > 0 ? p.g.certification_effect : 0.0)) *
               (1.0 + (se.partners[i] > 0 ? p.g.partner_credit_effect : 0.0));
}

void production_finance(const Params& p, State& s) {
    SocialEnterprises& se = s.se;
    // SEs book the public payments they receive (the buyers' side was summed in process 3).
    for (std::size_t i = 0; i < se.size(); ++i) se.rev_government[i] = 0;
    const Contracts& c = s.contracts;
    for (std::size_t k = 0; k < c.size(); ++k)
        if (c.supplier[k] >= 0 && c.end[k] > s.t) se.rev_government[c.supplier[k]] += c.monthly[k];

    for (std::size_t i = 0; i < se.size(); ++i) {
        if (!se.active(i)) {
            se.rev_business[i] = se.rev_consumer[i] = se.rev_government[i] = 0;
            continue;
        }
        const double cap = se_capacity(p, se, i);
        const double gov = se.rev_government[i];
        // Public contracts are served first; private demand takes what capacity is left, shared
        // pro rata between businesses and consumers. Unserved private demand is lost.
        const double free = std::max(0.0, cap - gov);
        const double d_priv = se.demand_business[i] + se.demand_consumer[i];
        const double served = std::min(d_priv, free);
        se.rev_business[i] = d_priv > 0 ? served * se.demand_business[i] / d_priv : 0.0;
        se.rev_consumer[i] = d_priv > 0 ? served * se.demand_consumer[i] / d_priv : 0.0;
        const double revenue = gov + se.rev_business[i] + se.rev_consumer[i];
        se.utilisation[i] = cap > 0 ? (gov + d_priv) / cap : 10.0;

        const double buy_in =
            std::max(0.0, gov - cap) * kBuyInMarkup * p.g.wage_regular / p.g.productivity;
        const double costs = p.g.material_share * revenue +
                             wage_bill(p, se.fte[i], se.target_fte[i]) + p.g.fixed_cost +
                             p.g.fixed_cost_per_fte * se.fte[i] +
                             se.credit[i] * p.g.interest_rate / 12.0 + buy_in + se.bid_costs[i];
        se.cash[i] += revenue - costs;
        se.revenue_avg[i] += (revenue - se.revenue_avg[i]) / 12.0;

        // Negative cash is covered by credit; surplus cash above one month of costs repays it.
        if (se.cash[i] < 0) {
            se.credit[i] -= se.cash[i];
            se.cash[i] = 0;
        } else if (se.credit[i] > 0 && se.cash[i] > costs) {
            const double repay = std::min(se.credit[i], se.cash[i] - costs);
            se.credit[i] -= repay;
            se.cash[i] -= repay;
        }
        // Surplus above the reserve leaves the firm (paid to its mission and owners).
        se.cash[i] = std::min(se.cash[i], p.g.cash_reserve_months * costs);
        se.insolvent[i] = se.credit[i] > credit_limit(p, se, i) ? 1 : 0;
    }
}

void scale_up(const Params& p, State& s) {
    SocialEnterprises& se = s.se;
    for (std::size_t i = 0; i < se.size(); ++i) {
        if (!se.active(i) || se.insolvent[i]) continue;
        const double step = std::max(0.5, p.g.hire_step * se.fte[i]);
        const double liquidity = se.cash[i] + credit_limit(p, se, i) - se.credit[i];
        if (se.utilisation[i] > p.g.hire_utilisation &&
            liquidity >= p.g.hire_cash_months * step * p.g.wage_regular) {
            // New hires follow the mission's staffing: labour SEs hire mostly from the target
            // group.
            se.fte[i] += step;
            se.target_fte[i] += step * mission_target_share(p, se.mission[i]);
        } else if (se.utilisation[i] < p.g.fire_utilisation && se.fte[i] > 1.0) {
            // Shedding closes the gap to the fire threshold at once, up to a quarter of the
            // staff a month (notice periods), and never below one FTE.
            const double gap = 1.0 - se.utilisation[i] / p.g.fire_utilisation;
            const double cut = std::min({0.25 * se.fte[i], gap * se.fte[i], se.fte[i] - 1.0});
            const double share = se.target_share(i);
            se.fte[i] -= cut;
            se.target_fte[i] = se.fte[i] * share;
        }
        const double annual = 12.0 * se.revenue_avg[i];
        se.stage[i] = annual >= p.g.scaled_revenue  ? Stage::scaled
                      : se.fte[i] >= p.g.growth_fte ? Stage::growth
                                                    : Stage::startup;
    }
}

}  // namespace sesim
