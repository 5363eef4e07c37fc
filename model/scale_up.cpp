// Process 7: scale-up. Hiring when utilisation is high and the money is there, shedding when it
// is low, and the stage that revenue and staff give.
#include <algorithm>

#include "model/processes.hpp"

namespace sesim {

void scale_up(const Params& p, State& s) {
    SocialEnterprises& se = s.se;
    for (std::size_t i = 0; i < se.size(); ++i) {
        if (!se.active(i) || se.insolvent[i]) continue;
        const double step = std::max(p.g.hire_min_fte, p.g.hire_step * se.fte[i]);
        const double liquidity = se.cash[i] + credit_limit(p, se, i) - se.credit[i];
        if (se.utilisation[i] > p.g.hire_utilisation &&
            liquidity >= p.g.hire_cash_months * step * p.g.wage_regular) {
            // New hires follow the mission's staffing: labour SEs hire mostly from the target
            // group.
            se.fte[i] += step;
            se.target_fte[i] += step * mission_target_share(p, se.mission[i]);
        } else if (se.utilisation[i] < p.g.fire_utilisation && se.fte[i] > p.g.min_fte) {
            // Shedding closes the gap to the fire threshold at once, up to shed_max_share of the
            // staff a month (notice periods), and never below min_fte.
            const double gap = 1.0 - se.utilisation[i] / p.g.fire_utilisation;
            const double cut = std::min(
                {p.g.shed_max_share * se.fte[i], gap * se.fte[i], se.fte[i] - p.g.min_fte});
            const double share = se.target_share(i);
            se.fte[i] -= cut;
            se.target_fte[i] = se.fte[i] * share;
        }
        const double annual = annual_revenue(se, i);
        se.stage[i] = annual >= p.g.scaled_revenue  ? Stage::scaled
                      : se.fte[i] >= p.g.growth_fte ? Stage::growth
                                                    : Stage::startup;
    }
}

}  // namespace sesim
