// Each monthly process against values computed by hand, in small worlds built for the purpose.
#include <catch2/catch.hpp>
#include <cmath>

#include "tests/model/world.hpp"

using namespace sesim;
using Catch::Matchers::WithinRel;

namespace {

// Adds an SE to region r with the given staff, skill and sector, bypassing the founding draws
// where the test needs exact values.
std::size_t put_se(const Params& p, State& s, const Rng& rng, int r, double fte, double target_fte,
                   double skill, int sector = 0, Mission mission = Mission::labour) {
    const std::size_t i =
        add_se(p, rng, s, r, ids::se_initial(r, static_cast<int>(s.se.size())), 0, true);
    s.se.fte[i] = fte;
    s.se.target_fte[i] = target_fte;
    s.se.skill[i] = skill;
    s.se.sector[i] = static_cast<std::uint8_t>(sector);
    s.se.mission[i] = mission;
    s.se.own_visibility[i] = 0.2;
    s.se.founded[i] = 0;
    s.se.cash[i] = 100000;
    s.se.credit[i] = 0;
    s.se.revenue_avg[i] = 40000;
    return i;
}

}  // namespace

TEST_CASE("process 1: levers switch on at their start month and off at their end month",
          "[process]") {
    Params p = test::empty_world();
    p.g.start_month = month_index(2019, 1);
    p.region[0].brokerage = 2.0;
    p.region[0].brokerage_start = month_index(2020, 1);
    p.region[0].brokerage_end = month_index(2021, 1);
    p.region[0].brokerage_budget = 1000;
    p.buyer[1][0].setaside_share = 0.05;
    p.buyer[1][0].setaside_start = month_index(2020, 6);
    p.region[1].campaign = 0.01;
    p.region[1].campaign_budget = 500;
    p.g.exchange_weight = 0.3;
    p.g.exchange_start = month_index(2019, 3);
    p.g.exchange_budget = 250;

    State s;
    const auto at = [&](int y, int m) {
        s.t = month_index(y, m) - p.g.start_month;
        interventions(p, s);
        return s.levers;
    };
    CHECK(at(2019, 12).brokerage[0] == 0.0);
    CHECK(at(2020, 1).brokerage[0] == 2.0);
    CHECK(at(2020, 12).brokerage[0] == 2.0);
    CHECK(at(2021, 1).brokerage[0] == 0.0);  // end month is exclusive
    CHECK(at(2020, 5).setaside[kBuyerKinds] == 0.0);
    CHECK(at(2020, 6).setaside[kBuyerKinds] == 0.05);
    CHECK(at(2019, 2).exchange == 0.0);
    CHECK(at(2019, 3).exchange == 0.3);
    // Programme cost: brokerage 1000 + campaign 500 + exchange 250 in 2020-06.
    CHECK(at(2020, 6).programme_cost == 1750.0);
    CHECK(at(2019, 1).programme_cost == 500.0);
}

TEST_CASE("process 2: resident and buyer awareness follow the discrete Bass step", "[process]") {
    Params p = test::empty_world();
    p.region[0].resident_awareness = 0.25;
    p.g.resident_bass_p = 0.001;
    p.g.resident_bass_q = 0.01;
    p.buyer[0][0].adoption = 0.5;
    p.g.buyer_bass_p = 0.002;
    p.g.buyer_bass_q = 0.01;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    interventions(p, s);
    awareness(p, Rng(1, 0), s);
    // h = p + q A; A' = A + (1 - exp(-h)) (1 - A)
    const double h = 0.001 + 0.01 * 0.25;
    CHECK_THAT(s.region[0].resident_awareness, WithinRel(0.25 + (1 - std::exp(-h)) * 0.75, 1e-14));
    // Buyer adoption: imitation of the region's mean adoption (0.5 / 4 buyers).
    const double hb = 0.002 + 0.01 * (0.5 / kBuyerKinds);
    CHECK_THAT(s.buyer[0].adoption, WithinRel(0.5 + (1 - std::exp(-hb)) * 0.5, 1e-14));
}

TEST_CASE("process 2: an SME is aware exactly when the cumulative hazard has passed its threshold",
          "[process]") {
    Params p = test::baseline_params();
    p.g.months = 60;
    Model m(p, 3, 0);
    for (int t = 0; t < 60; ++t) {
        m.step();
        const State& s = m.state();
        for (int r = 0; r < kRegions; ++r) {
            std::size_t aware = 0;
            for (std::size_t j = s.sme.region_begin[r]; j < s.sme.region_begin[r + 1]; ++j) {
                REQUIRE((s.sme.aware[j] != 0) ==
                        (s.sme.aware_threshold[j] <= s.region[r].sme_hazard));
                aware += s.sme.aware[j];
            }
            REQUIRE(aware == s.region[r].smes_aware);
        }
    }
}

TEST_CASE("process 3: a reserved tender goes to the best-scoring qualifying SE", "[process]") {
    Params p = test::empty_world();
    p.g.bid_propensity = 1.0;
    p.g.price_weight = 0.5;
    p.g.se_quality_base = 0.4;
    p.g.reserved_target_share = 0.3;
    p.g.capacity_headroom = 0.5;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 10, 5, 0.999999);  // 50% target group, best skill
    const auto b = put_se(p, s, rng, 0, 10, 1, 0.999999);  // 10%: does not qualify
    const auto c = put_se(p, s, rng, 0, 10, 4, 0.9);       // 40%, lower skill
    interventions(p, s);
    Tender td{ids::tender(0, 0, 0), 0, 0, 0, 0, 120000.0, 12, true, false, false};
    AwardScratch x;
    x.prepare(p, s);
    const std::vector<std::uint32_t> cand{static_cast<std::uint32_t>(a),
                                          static_cast<std::uint32_t>(b),
                                          static_cast<std::uint32_t>(c)};
    // Whether an SE bids is a draw with chance bid_propensity x skill; with these seeds both
    // qualifying SEs bid (the draws are fixed, so this holds on every run).
    REQUIRE(x.bid_uniform(rng, s.se.id[c], c, 0, td) < 0.9);
    const int winner = award_tender(p, rng, s, td, cand, x);
    REQUIRE(x.bids.size() == 2);  // b is excluded; no regular bidders on a reserved tender
    CHECK(winner == static_cast<int>(a));
    // Equal prices: price score 1; score = 0.5 * 1 + 0.5 * (0.4 + 0.6 * skill).
    CHECK_THAT(x.bids[0].score, WithinRel(0.5 + 0.5 * (0.4 + 0.6 * 0.999999), 1e-12));
    CHECK_THAT(x.bids[1].score, WithinRel(0.5 + 0.5 * (0.4 + 0.6 * 0.9), 1e-12));
    CHECK(s.se.bid_costs[a] == p.g.bid_cost);
    CHECK(s.se.bid_costs[b] == 0.0);
}

TEST_CASE(
    "process 3: open tenders score price, quality and social value; capacity and track record gate "
    "SE bids",
    "[process]") {
    Params p = test::empty_world();
    p.g.bid_propensity = 1.0;
    p.g.track_record_value = 100000;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 10, 5, 0.999999);
    const auto full = put_se(p, s, rng, 0, 1, 0.5, 0.999999);
    s.se.committed[full] = 1e6;  // all its capacity is taken by running contracts
    interventions(p, s);
    s.levers.social_weight[0] = 0.4;
    AwardScratch x;
    x.prepare(p, s);
    const std::vector<std::uint32_t> cand{static_cast<std::uint32_t>(a),
                                          static_cast<std::uint32_t>(full)};

    // Above track_record_value and no public contract yet: the SE may not bid.
    Tender big{ids::tender(0, 0, 1), 0, 0, 1, 0, 200000.0, 24, false, false, true};
    award_tender(p, rng, s, big, cand, x);
    for (const Bid& bid : x.bids) CHECK(bid.supplier < 0);

    // Below it: SE a bids (the small SE lacks capacity), against the regular bidders.
    Tender td{ids::tender(0, 0, 2), 0, 0, 2, 0, 60000.0, 12, false, false, true};
    award_tender(p, rng, s, td, cand, x);
    REQUIRE(x.bids.front().supplier == static_cast<int>(a));
    for (std::size_t q = 1; q < x.bids.size(); ++q)
        CHECK(x.bids[q].supplier == -static_cast<int>(q));
    // Recompute every score by hand from the bids' draws.
    std::vector<double> price, quality, social;
    for (const Bid& bid : x.bids) {
        if (bid.supplier >= 0) {
            price.push_back(1.0 + p.g.se_price_premium);
            quality.push_back(p.g.se_quality_base + (1 - p.g.se_quality_base) * 0.999999);
            social.push_back(1.0);
        } else {
            const auto j = static_cast<std::uint32_t>(-1 - bid.supplier);
            const auto w = rng.raw(td.id, 0, Purpose::regular_bid, j / 2);
            const std::size_t lane = 2 * (j % 2);
            price.push_back(0.9 + 0.2 * ((w[lane] + 0.5) * 0x1.0p-32));
            quality.push_back(
                std::clamp(p.g.regular_quality_mean + 0.3 * ((w[lane + 1] + 0.5) * 0x1.0p-32 - 0.5),
                           0.0, 1.0));
            social.push_back(0.1);
        }
    }
    const double best = *std::min_element(price.begin(), price.end());
    for (std::size_t q = 0; q < x.bids.size(); ++q) {
        const double bpqr =
            p.g.price_weight * best / price[q] + (1 - p.g.price_weight) * quality[q];
        CHECK_THAT(x.bids[q].score, WithinRel(0.6 * bpqr + 0.4 * social[q], 1e-12));
    }
}

TEST_CASE("process 3: a reserved tender without qualifying SE is re-tendered openly", "[process]") {
    Params p = test::empty_world();
    p.g.bid_propensity = 1.0;
    p.g.reserved_target_share = 1.0;  // nobody qualifies
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 10, 5, 0.999999);
    interventions(p, s);
    Tender td{ids::tender(0, 0, 0), 0, 0, 0, 0, 50000.0, 12, true, false, false};
    AwardScratch x;
    x.prepare(p, s);
    const int winner = award_tender(p, rng, s, td, {static_cast<std::uint32_t>(a)}, x);
    CHECK((winner == kRegularWinner || winner == static_cast<int>(a)));
    bool regular = false;
    for (const Bid& bid : x.bids) regular |= bid.supplier < 0;
    CHECK(regular);
}

TEST_CASE("process 4: private demand is shared by (niche + visibility) x capacity", "[process]") {
    Params p = test::empty_world();
    p.region[0].population = 100000;
    p.g.consumer_spend = 10;
    p.g.niche_demand = 0.5;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 10, 0, 0.5);
    const auto b = put_se(p, s, rng, 0, 10, 0, 0.5);
    s.se.own_visibility[a] = 0.2;
    s.se.own_visibility[b] = 0.4;
    s.se.channel[b] = 1000;
    s.region[0].resident_awareness = 0.3;
    s.region[0].aware_spend = 8000;
    interventions(p, s);
    private_demand(p, s);
    const double consumers = 100000 * 0.3 * 10;
    CHECK_THAT(s.se.demand_consumer[a], WithinRel(consumers * 0.7 / 1.6, 1e-12));
    CHECK_THAT(s.se.demand_consumer[b], WithinRel(consumers * 0.9 / 1.6, 1e-12));
    CHECK_THAT(s.se.demand_business[a], WithinRel(8000 * 0.7 / 1.6, 1e-12));
    CHECK_THAT(s.se.demand_business[b], WithinRel(8000 * 0.9 / 1.6 + 1000, 1e-12));
}

TEST_CASE("process 5: partnership durations are geometric with the dissolution hazard",
          "[process]") {
    Params p;
    p.g.partner_dissolve = 0.5;
    // P(duration > k) = (1 - h)^k: u at or below 0.5^k gives more than k months.
    CHECK(partnership_months(p, 0.9) == 1);
    CHECK(partnership_months(p, 0.5) == 2);
    CHECK(partnership_months(p, 0.26) == 2);
    CHECK(partnership_months(p, 0.25) == 3);
    p.g.partner_dissolve = 0.02;
    const Rng rng(9, 0);
    double sum = 0;
    const int n = 100000;
    for (int i = 0; i < n; ++i)
        sum += partnership_months(
            p, rng.uniform(static_cast<std::uint64_t>(i), 0, Purpose::partner_dissolve));
    CHECK(std::abs(sum / n - 1.0 / 0.02) < 5.0 * std::sqrt((1 - 0.02) / (0.02 * 0.02) / n));
    p.g.partner_dissolve = 0.0;
    CHECK(partnership_months(p, 0.5) > 100000);
}

TEST_CASE("process 5: a searching SME partners once the cumulative hazard passes its threshold",
          "[process]") {
    Params p = test::baseline_params();
    p.g.months = 48;
    Model m(p, 11, 0);
    for (int t = 0; t < 48; ++t) {
        m.step();
        const State& s = m.state();
        for (int r = 0; r < kRegions; ++r)
            for (const auto& [thr, j] : s.sme.index[r].searching) {
                // Nobody still searching has a threshold the hazard passed while a partner was
                // free.
                REQUIRE(s.sme.partner[j] < 0);
                REQUIRE(s.sme.csr[j] == 1);
                REQUIRE(s.sme.aware[j] == 1);
            }
        int partners = 0;
        for (std::size_t i = 0; i < s.se.size(); ++i) partners += s.se.partners[i];
        std::size_t partnered = 0;
        for (const auto& ix : s.sme.index) partnered += ix.partnered.size();
        REQUIRE(static_cast<std::size_t>(partners) == partnered);
    }
}

TEST_CASE("process 6: revenue, costs and cash of one SE", "[process]") {
    Params p = test::empty_world();
    p.g.productivity = 7000;
    p.g.target_productivity = 0.6;
    p.g.skill_productivity = 0.3;
    p.g.material_share = 0.2;
    p.g.wage_regular = 3400;
    p.g.wage_target = 2600;
    p.g.wage_subsidy = 0.4;
    p.g.fixed_cost = 1000;
    p.g.fixed_cost_per_fte = 300;
    p.g.cash_reserve_months = 6;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto i = put_se(p, s, rng, 0, 10, 4, 0.5);
    // Capacity: (10 - 4 x 0.4) x 7000 x (0.7 + 0.3 x 0.5) = 49,980 EUR/month.
    CHECK_THAT(se_capacity(p, s.se, i), WithinRel(49980.0, 1e-12));
    s.contracts.tender.push_back(1);
    s.contracts.buyer.push_back(0);
    s.contracts.supplier.push_back(static_cast<std::int32_t>(i));
    s.contracts.monthly.push_back(5000);
    s.contracts.social_return.push_back(0);
    s.contracts.end.push_back(12);
    s.se.demand_business[i] = 30000;
    s.se.demand_consumer[i] = 10000;
    s.se.cash[i] = 20000;
    production_finance(p, s);
    CHECK(s.se.rev_government[i] == 5000);
    CHECK(s.se.rev_business[i] == 30000);
    CHECK(s.se.rev_consumer[i] == 10000);
    // Costs: materials 0.2 x 45,000 + wages 6 x 3400 + 4 x 2600 x 0.6 + 1000 + 300 x 10 = 39,640.
    CHECK_THAT(s.se.cash[i], WithinRel(20000 + 45000 - 39640.0, 1e-12));
    CHECK_THAT(s.se.revenue_avg[i], WithinRel(40000 + (45000 - 40000) / 12.0, 1e-12));
    CHECK_THAT(s.se.utilisation[i], WithinRel(45000 / 49980.0, 1e-12));

    // Demand above free capacity is rationed pro rata between businesses and consumers.
    s.se.demand_business[i] = 60000;
    s.se.demand_consumer[i] = 20000;
    production_finance(p, s);
    CHECK_THAT(s.se.rev_business[i], WithinRel((49980.0 - 5000) * 0.75, 1e-12));
    CHECK_THAT(s.se.rev_consumer[i], WithinRel((49980.0 - 5000) * 0.25, 1e-12));
}

TEST_CASE("process 6: losses are covered by credit, and credit beyond the line is insolvency",
          "[process]") {
    Params p = test::empty_world();
    p.g.credit_base = 0;
    p.g.credit_months = 1;
    p.g.certification_effect = 1;
    p.g.partner_credit_effect = 0.5;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto i = put_se(p, s, rng, 0, 10, 0, 0.5);
    s.se.revenue_avg[i] = 10000;
    CHECK(credit_limit(p, s.se, i) == 10000);
    s.se.contracts_won[i] = 1;
    s.se.partners[i] = 1;
    CHECK(credit_limit(p, s.se, i) == 10000 * 2 * 1.5);  // certification (Howell 2017) and partner
    s.se.contracts_won[i] = 0;
    s.se.partners[i] = 0;
    s.se.cash[i] = 0;  // no revenue: the month's costs are all borrowed
    production_finance(p, s);
    CHECK(s.se.cash[i] == 0);
    CHECK(s.se.credit[i] > 0);
    CHECK(s.se.insolvent[i] == (s.se.credit[i] > credit_limit(p, s.se, i) ? 1 : 0));
    CHECK(s.se.insolvent[i] == 1);  // 10 FTE of wages exceed a line of about 9,200
}

TEST_CASE("process 7: SEs hire above and shed below the utilisation thresholds", "[process]") {
    Params p = test::empty_world();
    p.g.hire_utilisation = 1.0;
    p.g.fire_utilisation = 0.8;
    p.g.hire_step = 0.1;
    p.g.target_share_labour = 0.6;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 10, 6, 0.5);
    const auto b = put_se(p, s, rng, 0, 10, 6, 0.5);
    const auto c = put_se(p, s, rng, 0, 2, 1, 0.5);
    s.se.utilisation[a] = 1.2;
    s.se.utilisation[b] = 0.4;
    s.se.utilisation[c] = 0.9;
    scale_up(p, s);
    CHECK(s.se.fte[a] == 11.0);  // + max(0.5, 10%) FTE
    CHECK(s.se.target_fte[a] == 6.6);
    // Shed toward the threshold: gap 1 - 0.4/0.8 = 50%, capped at 25% a month.
    CHECK(s.se.fte[b] == 7.5);
    CHECK_THAT(s.se.target_fte[b], WithinRel(4.5, 1e-12));
    CHECK(s.se.fte[c] == 2.0);  // between the thresholds: no change
}

TEST_CASE("process 7: the stage follows annual revenue and staff", "[process]") {
    Params p = test::empty_world();
    p.g.scaled_revenue = 1.0e6;
    p.g.growth_fte = 5;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 3, 0, 0.5);
    const auto b = put_se(p, s, rng, 0, 6, 0, 0.5);
    const auto c = put_se(p, s, rng, 0, 20, 0, 0.5);
    for (auto i : {a, b, c}) s.se.utilisation[i] = 0.9;
    s.se.revenue_avg[c] = 1.0e6 / 12;
    scale_up(p, s);
    CHECK(s.se.stage[a] == Stage::startup);
    CHECK(s.se.stage[b] == Stage::growth);
    CHECK(s.se.stage[c] == Stage::scaled);
}

TEST_CASE("process 8: an accelerator cohort closes accelerator_gain of the skill gap",
          "[process]") {
    Params p = test::empty_world();
    p.g.spillover = 0;
    p.g.accelerator_gain = 0.3;
    p.g.accelerator_months = 6;
    p.region[0].accelerator_size = 1;
    p.region[0].accelerator_start = p.g.start_month;
    p.region[0].accelerator_end = p.g.start_month + 100;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto i = put_se(p, s, rng, 0, 5, 0, 0.2);
    for (int t = 0; t < 6; ++t) {
        s.t = t;
        interventions(p, s);
        learning(p, rng, s);
    }
    CHECK(s.se.accelerator_until[i] == 6);
    CHECK_THAT(s.se.skill[i], WithinRel(1.0 - 0.8 * 0.7, 1e-12));
    // After the cohort, no further gain (it was accelerated once).
    s.t = 6;
    interventions(p, s);
    learning(p, rng, s);
    CHECK_THAT(s.se.skill[i], WithinRel(1.0 - 0.8 * 0.7, 1e-12));
}

TEST_CASE("process 8: the community pulls skill toward the (exchanged) regional mean",
          "[process]") {
    Params p = test::empty_world();
    p.g.spillover = 0.1;
    p.g.partner_skill = 0;
    p.region[0].community = 0.5;
    p.region[1].community = 0.5;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 5, 0, 0.2);
    const auto b = put_se(p, s, rng, 0, 5, 0, 0.6);
    const auto c = put_se(p, s, rng, 1, 5, 0, 0.9);
    interventions(p, s);
    s.levers.exchange = 0.5;
    learning(p, rng, s);
    // Target in region 0: 0.5 x 0.4 + 0.5 x 0.9 = 0.65.
    CHECK_THAT(s.se.skill[a], WithinRel(0.2 + 0.1 * 0.5 * (0.65 - 0.2), 1e-12));
    CHECK_THAT(s.se.skill[b], WithinRel(0.6 + 0.1 * 0.5 * (0.65 - 0.6), 1e-12));
    // Region 1's target 0.5 x 0.9 + 0.5 x 0.4 = 0.65 is below c: no loss of skill.
    CHECK(s.se.skill[c] == 0.9);
}

TEST_CASE("process 9: exits by insolvency and by cumulative hazard", "[process]") {
    Params p = test::empty_world();
    p.g.exit_hazard = 0;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 5, 0, 0.5);
    const auto b = put_se(p, s, rng, 0, 5, 0, 0.5);
    s.se.insolvent[b] = 1;
    exits(p, rng, s);
    CHECK(s.se.active(a));
    CHECK_FALSE(s.se.active(b));
    CHECK(s.se.exited[b] == 0);
    CHECK(s.flows.exits == 1);
    // Hazard 0.5 x (1 - 0.6 x 0.5) x 2^(-age/60) per month; threshold 1.0: exits in the third
    // month at age 0 (0.35 + 0.35 + 0.35 >= 1), not before.
    p.g.exit_hazard = 0.5;
    p.g.exit_skill_effect = 0.6;
    p.g.exit_age_months = 1e9;
    s.se.exit_threshold[a] = 1.0;
    s.se.exit_hazard[a] = 0;
    for (int month = 1; month <= 3; ++month) {
        exits(p, rng, s);
        INFO("month " << month);
        CHECK(s.se.active(a) == (month < 3));
    }
    CHECK_THAT(s.se.exit_hazard[a], WithinRel(3 * 0.35, 1e-12));
}

TEST_CASE("process 10: foundings are a Poisson draw at the hand-computed rate", "[process]") {
    Params p = test::empty_world();
    p.region[0].entry_rate = 3.0;
    p.g.entry_awareness_effect = 1.0;
    p.g.entry_success_effect = 2.0;
    p.g.entry_accelerator_effect = 0.5;
    Model m(p, 4, 0);
    State& s = m.mutable_state();
    const Rng rng(4, 0);
    s.region[0].resident_awareness = 0.4;
    interventions(p, s);
    const double rate = 3.0 * (1 + 1.0 * 0.4) * (1 + 0) * (1 + 0);
    for (int t = 0; t < 12; ++t) {
        s.t = t;
        s.flows = MonthFlows{};
        const std::size_t before = s.se.size();
        entries(p, rng, s);
        const int expect = rng.poisson(rate, ids::region(0), t, Purpose::entry_count);
        REQUIRE(s.flows.entries == expect);
        REQUIRE(s.se.size() == before + static_cast<std::size_t>(expect));
        for (std::size_t i = before; i < s.se.size(); ++i) {
            CHECK(s.se.founded[i] == t);
            CHECK(s.se.fte[i] == p.g.entrant_fte);
        }
        for (std::size_t i = 0; i < s.se.size(); ++i)
            s.se.stage[i] = Stage::exited;  // keep success share 0
    }
}

TEST_CASE("process 11: accounting sums the state into the outputs", "[process]") {
    Params p = test::empty_world(3);
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 10, 6, 0.5);
    const auto b = put_se(p, s, rng, 1, 4, 1, 0.3, 1, Mission::circular);
    s.se.rev_government[a] = 100;
    s.se.rev_business[a] = 200;
    s.se.rev_consumer[b] = 50;
    s.se.rev_business[b] = 150;
    s.se.stage[a] = Stage::scaled;
    s.flows.entries = 2;
    s.flows.buyer_paid_se = 100;
    RunSeries out(3);
    accounting(p, s, out);
    CHECK(out.at(Output::se_active, 0) == 2);
    CHECK(out.at(Output::se_scaled, 0) == 1);
    CHECK(out.at(Output::jobs_total, 0) == 14);
    CHECK(out.at(Output::jobs_target_group, 0) == 7);
    CHECK(out.at(Output::revenue_total, 0) == 500);
    CHECK(out.at(Output::revenue_government, 0) == out.at(Output::public_spend_se, 0));
    CHECK(out.at(Output::se_entries, 0) == 2);
    // Social value: 7 target FTE x value + circular share of b's revenue.
    CHECK_THAT(out.at(Output::social_value, 0),
               WithinRel(7 * p.g.social_value_target_fte + p.g.social_value_circular * 200, 1e-12));
}
