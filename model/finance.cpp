// Process 6: production and finance. Revenue from public contracts and private demand,
// costs, cash, credit and insolvency.
#include <algorithm>

#include "model/processes.hpp"

namespace sesim {

double credit_limit(const Params& p, const SocialEnterprises& se, std::size_t i) {
    // Certification effect (Howell 2017): a first public contract makes lenders more willing;
    // a commercial partner does too.
    return p.g.credit_base +
           p.g.credit_months * std::max(se.revenue_avg[i], 0.0) *
               (1.0 + (se.contracts_won[i] > 0 ? p.g.certification_effect : 0.0)) *
               (1.0 + (se.partners[i] > 0 ? p.g.partner_credit_effect : 0.0));
}

SeAccounts se_accounts(const Params& p, const SocialEnterprises& se, std::size_t i) {
    SeAccounts a{};
    const double cap = se_capacity(p, se, i);
    const double gov = se.rev_government[i];
    // Public contracts are served first; private demand takes what capacity is left, shared
    // pro rata between businesses and consumers. Unserved private demand is lost.
    const double free = std::max(0.0, cap - gov);
    const double d_priv = se.demand_business[i] + se.demand_consumer[i];
    const double served = std::min(d_priv, free);
    a.business = d_priv > 0 ? served * se.demand_business[i] / d_priv : 0.0;
    a.consumer = d_priv > 0 ? served * se.demand_consumer[i] / d_priv : 0.0;
    a.revenue = gov + a.business + a.consumer;
    // No capacity (cannot happen with min_fte > 0 and productivity > 0): count as overloaded,
    // far above any hire threshold (a sentinel, not a behavioural number).
    constexpr double kOverloaded = 10.0;
    a.utilisation = cap > 0 ? (gov + d_priv) / cap : kOverloaded;
    // Work beyond capacity on public contracts is bought in at the regular labour cost of that
    // output plus a mark-up.
    const double buy_in =
        std::max(0.0, gov - cap) * p.g.buy_in_markup * p.g.wage_regular / p.g.productivity;
    a.costs = p.g.material_share * a.revenue + wage_bill(p, se.fte[i], se.target_fte[i]) +
              p.g.fixed_cost + p.g.fixed_cost_per_fte * se.fte[i] +
              se.credit[i] * p.g.interest_rate / kMonthsPerYear + buy_in + se.bid_costs[i];
    return a;
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
        const SeAccounts a = se_accounts(p, se, i);
        se.rev_business[i] = a.business;
        se.rev_consumer[i] = a.consumer;
        se.utilisation[i] = a.utilisation;
        se.cash[i] += a.revenue - a.costs;
        se.revenue_avg[i] += (a.revenue - se.revenue_avg[i]) / kMonthsPerYear;
        se.profit_avg[i] += (a.revenue - a.costs - se.profit_avg[i]) / kMonthsPerYear;

        // Negative cash is covered by credit; surplus cash above one month of costs repays it.
        if (se.cash[i] < 0) {
            se.credit[i] -= se.cash[i];
            se.cash[i] = 0;
        } else if (se.credit[i] > 0 && se.cash[i] > a.costs) {
            const double repay = std::min(se.credit[i], se.cash[i] - a.costs);
            se.credit[i] -= repay;
            se.cash[i] -= repay;
        }
        // Surplus above the reserve leaves the firm (paid to its mission and owners).
        se.cash[i] = std::min(se.cash[i], p.g.cash_reserve_months * a.costs);
        se.insolvent[i] = se.credit[i] > credit_limit(p, se, i) ? 1 : 0;
    }
}

}  // namespace sesim
