// Process 11: the month's outputs, per region and in total.
#include <array>

#include "model/processes.hpp"

namespace sesim {

namespace {

// What the outputs of one region (or of all) are computed from: counts and sums that add up
// over regions, so the total is the same formula on the summed record.
struct Tally {
    double active = 0, scaled = 0, jobs = 0, target = 0, gov = 0, biz = 0, cons = 0, cash = 0;
    double social = 0, skill = 0, subsidy = 0;
    double profitable = 0, breakeven = 0, micro = 0, small = 0, medium = 0;
    double turnover = 0, under_100k = 0, to_1m = 0, over_1m = 0;
    std::array<double, 3> cohort{}, cohort_active{};
    double partnered = 0, aware = 0, smes = 0, residents = 0, population = 0;
    double adoption = 0, buyers = 0;  // per region: the buyers serving it
    double entries = 0, exits = 0, exits_insolvency = 0, exits_hazard = 0, bids_se = 0;
    double paid_se = 0, paid_total = 0, premium = 0, social_return = 0, tenders = 0, tenders_se = 0,
           formed = 0, programme_cost = 0;

    void add(const Tally& o) {
        double* a = &active;
        const double* b = &o.active;
        constexpr std::size_t n = sizeof(Tally) / sizeof(double);
        for (std::size_t k = 0; k < n; ++k) a[k] += b[k];
    }
};
static_assert(sizeof(Tally) % sizeof(double) == 0, "Tally holds doubles only");

void write(RunSeries& out, int r, int t, const Tally& y) {
    const auto set = [&](Output o, double v) {
        if (r < 0)
            out.at(o, t) = v;
        else
            out.at(o, r, t) = static_cast<float>(v);
    };
    const double active = y.active;
    set(Output::se_active, active);
    set(Output::se_scaled, y.scaled);
    set(Output::se_entries, y.entries);
    set(Output::se_exits, y.exits);
    set(Output::jobs_total, y.jobs);
    set(Output::jobs_target_group, y.target);
    set(Output::revenue_government, y.gov);
    set(Output::revenue_business, y.biz);
    set(Output::revenue_consumer, y.cons);
    set(Output::revenue_total, y.gov + y.biz + y.cons);
    set(Output::public_spend_se, y.paid_se);
    set(Output::public_spend_total, y.paid_total);
    set(Output::public_price_premium, y.premium);
    set(Output::social_return_se, y.social_return);
    set(Output::tenders_published, y.tenders);
    set(Output::tenders_won_se, y.tenders_se);
    set(Output::partnerships_active, y.partnered);
    set(Output::partnerships_formed, y.formed);
    set(Output::sme_aware_share, y.smes > 0 ? y.aware / y.smes : 0.0);
    set(Output::resident_aware_share, y.population > 0 ? y.residents / y.population : 0.0);
    set(Output::buyer_adoption, y.buyers > 0 ? y.adoption / y.buyers : 0.0);
    set(Output::mean_skill, active > 0 ? y.skill / active : 0.0);
    set(Output::social_value, y.social);
    set(Output::wage_subsidy, y.subsidy);
    set(Output::programme_cost, y.programme_cost);
    set(Output::se_cash, y.cash);
    set(Output::bids_se, y.bids_se);
    set(Output::se_exits_insolvency, y.exits_insolvency);
    set(Output::se_exits_hazard, y.exits_hazard);
    set(Output::se_profitable_share, active > 0 ? y.profitable / active : 0.0);
    set(Output::se_breakeven_share, active > 0 ? y.breakeven / active : 0.0);
    set(Output::cohort_1y_founded, y.cohort[0]);
    set(Output::cohort_1y_active, y.cohort_active[0]);
    set(Output::cohort_3y_founded, y.cohort[1]);
    set(Output::cohort_3y_active, y.cohort_active[1]);
    set(Output::cohort_5y_founded, y.cohort[2]);
    set(Output::cohort_5y_active, y.cohort_active[2]);
    set(Output::se_micro, y.micro);
    set(Output::se_small, y.small);
    set(Output::se_medium, y.medium);
    set(Output::se_turnover_under_100k, y.under_100k);
    set(Output::se_turnover_100k_1m, y.to_1m);
    set(Output::se_turnover_over_1m, y.over_1m);
    set(Output::turnover_per_se, active > 0 ? y.turnover / active : 0.0);
}

}  // namespace

void accounting(const Params& p, const State& s, RunSeries& out) {
    const SocialEnterprises& se = s.se;
    const int t = s.t;
    const int R = p.regions();
    thread_local std::vector<Tally> tally;
    tally.assign(static_cast<std::size_t>(R), Tally{});
    // Founding cohorts of exactly 12, 36 and 60 months before this month.
    constexpr std::array<int, 3> kCohortMonths{12, 36, 60};
    for (std::size_t i = 0; i < se.size(); ++i) {
        Tally& y = tally[se.region[i]];
        for (std::size_t c = 0; c < kCohortMonths.size(); ++c) {
            if (se.founded[i] != t - kCohortMonths[c]) continue;
            y.cohort[c] += 1;
            if (se.active(i)) y.cohort_active[c] += 1;
        }
        // Flows of an SE that exited this month still count: they happened this month.
        if (!se.active(i) && se.exited[i] != t) continue;
        const double revenue = se.rev_government[i] + se.rev_business[i] + se.rev_consumer[i];
        y.gov += se.rev_government[i];
        y.biz += se.rev_business[i];
        y.cons += se.rev_consumer[i];
        y.subsidy += se.target_fte[i] * p.g.wage_target * p.g.wage_subsidy;
        y.social += se.target_fte[i] * p.g.social_value_target_fte;
        if (se.mission[i] == Mission::circular) y.social += p.g.social_value_circular * revenue;
        if (!se.active(i)) continue;
        y.active += 1;
        if (se.stage[i] == Stage::scaled) y.scaled += 1;
        y.jobs += se.fte[i];
        y.target += se.target_fte[i];
        y.cash += se.cash[i] - se.credit[i];
        y.skill += se.skill[i];
        // Profit margin of the smoothed accounts; no revenue counts as a loss.
        const double margin = se.revenue_avg[i] > 0 ? se.profit_avg[i] / se.revenue_avg[i] : -1.0;
        if (margin > p.g.breakeven_band)
            y.profitable += 1;
        else if (margin >= -p.g.breakeven_band)
            y.breakeven += 1;
        // Size classes by staff as the ESEM counts them: micro < 10, small 10-49, medium 50+.
        (se.fte[i] < 10 ? y.micro : se.fte[i] < 50 ? y.small : y.medium) += 1;
        const double annual = annual_revenue(se, i);
        y.turnover += annual;
        (annual < 1e5 ? y.under_100k : annual <= 1e6 ? y.to_1m : y.over_1m) += 1;
    }
    const MonthFlows& f = s.flows;
    Tally all;
    for (int r = 0; r < R; ++r) {
        Tally& y = tally[r];
        y.partnered = static_cast<double>(s.sme.index[r].partnered.size());
        y.aware = static_cast<double>(s.region[r].smes_aware);
        y.smes = static_cast<double>(s.sme.region_begin[r + 1] - s.sme.region_begin[r]);
        y.residents = s.region[r].resident_awareness * p.region[r].population;
        y.population = p.region[r].population;
        for (const int b : p.geo->buyers_serving(r)) y.adoption += s.buyer[b].adoption;
        y.buyers = static_cast<double>(p.geo->buyers_serving(r).size());
        y.entries = f.entries[r];
        y.exits = f.exits[r];
        y.exits_insolvency = f.exits_insolvency[r];
        y.exits_hazard = f.exits_hazard[r];
        y.bids_se = f.bids_se[r];
        y.paid_se = f.buyer_paid_se[r];
        y.paid_total = f.buyer_paid_total[r];
        y.premium = f.price_premium[r];
        y.social_return = f.social_return_se[r];
        y.tenders = f.tenders[r];
        y.tenders_se = f.tenders_se[r];
        y.formed = f.partnerships_formed[r];
        y.programme_cost = s.levers.programme_cost_region[r];
        write(out, r, t, y);
        all.add(y);
    }
    // The mean practice of all buyers: a buyer serving several regions counts once.
    all.adoption = 0;
    for (const BuyerState& b : s.buyer) all.adoption += b.adoption;
    all.buyers = static_cast<double>(s.buyer.size());
    write(out, -1, t, all);
}

}  // namespace sesim
