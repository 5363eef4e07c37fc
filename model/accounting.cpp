// Process 11: the month's outputs, summed over regions.
#include "model/processes.hpp"

namespace sesim {

void accounting(const Params& p, const State& s, RunSeries& out) {
    const SocialEnterprises& se = s.se;
    const int t = s.t;
    double active = 0, scaled = 0, jobs = 0, target = 0, gov = 0, biz = 0, cons = 0, cash = 0;
    double social = 0, skill = 0;
    double subsidy = 0;
    for (std::size_t i = 0; i < se.size(); ++i) {
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
}

}  // namespace sesim
