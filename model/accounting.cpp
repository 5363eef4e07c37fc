// Process 11: the month's outputs, summed over regions.
#include <array>

#include "model/processes.hpp"

namespace sesim {

void accounting(const Params& p, const State& s, RunSeries& out) {
    const SocialEnterprises& se = s.se;
    const int t = s.t;
    double active = 0, scaled = 0, jobs = 0, target = 0, gov = 0, biz = 0, cons = 0, cash = 0;
    double social = 0, skill = 0;
    double subsidy = 0;
    double profitable = 0, breakeven = 0, micro = 0, small = 0, medium = 0;
    double turnover = 0, under_100k = 0, to_1m = 0, over_1m = 0;
    // Founding cohorts of exactly 12, 36 and 60 months before this month.
    std::array<double, 3> cohort{}, cohort_active{};
    constexpr std::array<int, 3> kCohortMonths{12, 36, 60};
    for (std::size_t i = 0; i < se.size(); ++i) {
        for (std::size_t c = 0; c < kCohortMonths.size(); ++c) {
            if (se.founded[i] != t - kCohortMonths[c]) continue;
            cohort[c] += 1;
            if (se.active(i)) cohort_active[c] += 1;
        }
        // Flows of an SE that exited this month still count: they happened this month.
        if (!se.active(i) && se.exited[i] != t) continue;
        const double revenue = se.rev_government[i] + se.rev_business[i] + se.rev_consumer[i];
        gov += se.rev_government[i];
        biz += se.rev_business[i];
        cons += se.rev_consumer[i];
        subsidy += se.target_fte[i] * p.g.wage_target * p.g.wage_subsidy;
        social += se.target_fte[i] * p.g.social_value_target_fte;
        if (se.mission[i] == Mission::circular) social += p.g.social_value_circular * revenue;
        if (!se.active(i)) continue;
        active += 1;
        if (se.stage[i] == Stage::scaled) scaled += 1;
        jobs += se.fte[i];
        target += se.target_fte[i];
        cash += se.cash[i] - se.credit[i];
        skill += se.skill[i];
        // Profit margin of the smoothed accounts; no revenue counts as a loss.
        const double margin = se.revenue_avg[i] > 0 ? se.profit_avg[i] / se.revenue_avg[i] : -1.0;
        if (margin > p.g.breakeven_band)
            profitable += 1;
        else if (margin >= -p.g.breakeven_band)
            breakeven += 1;
        // Size classes by staff as the ESEM counts them: micro < 10, small 10-49, medium 50+.
        (se.fte[i] < 10 ? micro : se.fte[i] < 50 ? small : medium) += 1;
        const double annual = annual_revenue(se, i);
        turnover += annual;
        (annual < 1e5 ? under_100k : annual <= 1e6 ? to_1m : over_1m) += 1;
    }
    std::size_t partnered = 0;
    for (const auto& ix : s.sme.index) partnered += ix.partnered.size();
    std::size_t aware = 0;
    double residents = 0, population = 0, adoption = 0;
    for (int r = 0; r < kRegions; ++r) {
        aware += s.region[r].smes_aware;
        residents += s.region[r].resident_awareness * p.region[r].population;
        population += p.region[r].population;
    }
    for (const BuyerState& b : s.buyer) adoption += b.adoption;

    const MonthFlows& f = s.flows;
    out.at(Output::se_active, t) = active;
    out.at(Output::se_scaled, t) = scaled;
    out.at(Output::se_entries, t) = f.entries;
    out.at(Output::se_exits, t) = f.exits;
    out.at(Output::jobs_total, t) = jobs;
    out.at(Output::jobs_target_group, t) = target;
    out.at(Output::revenue_government, t) = gov;
    out.at(Output::revenue_business, t) = biz;
    out.at(Output::revenue_consumer, t) = cons;
    out.at(Output::revenue_total, t) = gov + biz + cons;
    out.at(Output::public_spend_se, t) = f.buyer_paid_se;
    out.at(Output::public_spend_total, t) = f.buyer_paid_total;
    out.at(Output::public_price_premium, t) = f.price_premium;
    out.at(Output::social_return_se, t) = f.social_return_se;
    out.at(Output::tenders_published, t) = f.tenders;
    out.at(Output::tenders_won_se, t) = f.tenders_se;
    out.at(Output::partnerships_active, t) = static_cast<double>(partnered);
    out.at(Output::partnerships_formed, t) = f.partnerships_formed;
    out.at(Output::sme_aware_share, t) =
        s.sme.count() > 0 ? static_cast<double>(aware) / static_cast<double>(s.sme.count()) : 0.0;
    out.at(Output::resident_aware_share, t) = population > 0 ? residents / population : 0.0;
    out.at(Output::buyer_adoption, t) = adoption / kBuyers;
    out.at(Output::mean_skill, t) = active > 0 ? skill / active : 0.0;
    out.at(Output::social_value, t) = social;
    out.at(Output::wage_subsidy, t) = subsidy;
    out.at(Output::programme_cost, t) = s.levers.programme_cost;
    out.at(Output::se_cash, t) = cash;
    out.at(Output::bids_se, t) = f.bids_se;
    out.at(Output::se_exits_insolvency, t) = f.exits_insolvency;
    out.at(Output::se_exits_hazard, t) = f.exits_hazard;
    out.at(Output::se_profitable_share, t) = active > 0 ? profitable / active : 0.0;
    out.at(Output::se_breakeven_share, t) = active > 0 ? breakeven / active : 0.0;
    out.at(Output::cohort_1y_founded, t) = cohort[0];
    out.at(Output::cohort_1y_active, t) = cohort_active[0];
    out.at(Output::cohort_3y_founded, t) = cohort[1];
    out.at(Output::cohort_3y_active, t) = cohort_active[1];
    out.at(Output::cohort_5y_founded, t) = cohort[2];
    out.at(Output::cohort_5y_active, t) = cohort_active[2];
    out.at(Output::se_micro, t) = micro;
    out.at(Output::se_small, t) = small;
    out.at(Output::se_medium, t) = medium;
    out.at(Output::se_turnover_under_100k, t) = under_100k;
    out.at(Output::se_turnover_100k_1m, t) = to_1m;
    out.at(Output::se_turnover_over_1m, t) = over_1m;
    out.at(Output::turnover_per_se, t) = active > 0 ? turnover / active : 0.0;
}

}  // namespace sesim
