// Each monthly process against values computed by hand, in small worlds built for the purpose.
#include <algorithm>
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
        add_se(p, rng, s, r,
               ids::se_initial(p.geo->regions()[r].stream, static_cast<int>(s.se.size())), 0, true);
    s.se.fte[i] = fte;
    s.se.target_fte[i] = target_fte;
    s.se.skill[i] = skill;
    s.se.skill_base[i] = skill;  // no learned skill to depreciate
    s.se.sector[i] = static_cast<std::uint8_t>(sector);
    s.se.mission[i] = mission;
    s.se.own_visibility[i] = 0.2;
    s.se.founded[i] = 0;
    s.se.cash[i] = 100000;
    s.se.credit[i] = 0;
    s.se.revenue_avg[i] = 40000;
    return i;
}

// Gives region r's buyers an annual budget of `budget` EUR (municipality only), so that SEs of
// the region have tenders to spread their bids over: expected_tenders_per_year is then budget x
// sector share / tender_mean_value.
void set_budget(Params& p, int r, double budget) {
    for (int k = 0; k < kBuyerKinds; ++k) p.buyer[buyer_of(p, r, k)].budget = 0;
    p.buyer[buyer_of(p, r, 0)].budget = budget;
}

}  // namespace

TEST_CASE("process 1: levers switch on at their start month and off at their end month",
          "[process]") {
    Params p = test::empty_world();
    p.g.start_month = month_index(2019, 1);
    p.g.brokerage_cost = 400;
    p.region[0].brokerage_start = month_index(2020, 1);
    p.region[0].brokerage_end = month_index(2021, 1);
    p.region[0].brokerage_budget = 1000;
    p.buyer[buyer_of(p, 1, 0)].setaside_share = 0.05;
    p.buyer[buyer_of(p, 1, 0)].setaside_start = month_index(2020, 6);
    p.g.campaign_cost = 0.5;
    p.g.campaign_conversion = 0.05;
    p.g.campaign_visibility = 0.5;
    p.region[1].population = 150000;
    p.region[1].smes = 50000;
    p.region[1].campaign_budget = 500;
    p.g.meeting_place_cost = 20000;
    p.region[0].population = 150000;
    p.region[0].meeting_place_budget = 15000;   // half of 20,000 x 1.5 (per 100k residents)
    p.region[1].meeting_place_budget = 100000;  // more than full strength costs: capped at 1
    p.g.exchange_weight = 0.3;
    p.g.exchange_start = month_index(2019, 3);
    p.g.exchange_budget = 250;

    State s;
    const auto at = [&](int y, int m) {
        s.t = month_index(y, m) - p.g.start_month;
        interventions(p, s);
        return s.levers;
    };
    // Brokerage buys budget / brokerage_cost = 1000 / 400 contacts a month while it runs.
    CHECK(at(2019, 12).brokerage_contacts[0] == 0.0);
    CHECK(at(2020, 1).brokerage_contacts[0] == 2.5);
    CHECK(at(2020, 12).brokerage_contacts[0] == 2.5);
    CHECK(at(2021, 1).brokerage_contacts[0] == 0.0);  // end month is exclusive
    CHECK(at(2020, 5).setaside[buyer_of(p, 1, 0)] == 0.0);
    CHECK(at(2020, 6).setaside[buyer_of(p, 1, 0)] == 0.05);
    CHECK(at(2019, 2).exchange == 0.0);
    CHECK(at(2019, 3).exchange == 0.3);
    // Meeting place strength: budget / (cost x residents / 100k), at most 1.
    CHECK(at(2019, 1).meeting_place[0] == 15000.0 / (20000.0 * 1.5));
    CHECK(at(2019, 1).meeting_place[1] == 1.0);
    // Campaign reach: 500 / 0.5 = 1,000 contacts over 150,000 residents + 50,000 firms.
    const double reach = 500.0 / 0.5 / 200000.0;
    CHECK_THAT(at(2019, 1).campaign_hazard[1], WithinRel(0.05 * reach, 1e-14));
    CHECK_THAT(at(2019, 1).campaign_visibility[1], WithinRel(0.5 * reach, 1e-14));
    CHECK(at(2019, 1).campaign_hazard[0] == 0.0);
    // Programme cost: brokerage 1000 + campaign 500 + exchange 250 + meeting places 15,000 +
    // 100,000 in 2020-06 (whole budgets are spent, also above full strength).
    CHECK(at(2020, 6).programme_cost == 116750.0);
    CHECK(at(2019, 1).programme_cost == 115500.0);
    // A campaign that reaches more than everybody reaches everybody once.
    p.region[1].campaign_budget = 1e7;
    CHECK(at(2019, 1).campaign_hazard[1] == 0.05);
    CHECK(at(2019, 1).campaign_visibility[1] == 0.5);
}

TEST_CASE("process 2: resident and buyer awareness follow the discrete Bass step", "[process]") {
    Params p = test::empty_world();
    p.region[0].resident_awareness = 0.25;
    p.g.resident_bass_p = 0.001;
    p.g.resident_bass_q = 0.01;
    p.buyer[buyer_of(p, 0, 0)].adoption = 0.5;
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
    CHECK_THAT(s.buyer[buyer_of(p, 0, 0)].adoption,
               WithinRel(0.5 + (1 - std::exp(-hb)) * 0.5, 1e-14));
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
    // Zwolle's buyers publish 1.8 facility tenders a year in expectation (1e6 x 0.45 / 250k).
    p.g.tender_mean_value = 250000;
    p.g.tender_share_facility = 0.45;
    set_budget(p, 0, 1e6);
    REQUIRE(expected_tenders_per_year(p, 0, 0) == 1e6 * 0.45 / 250000);
    AwardScratch x;
    // The chance of a bid on one tender is se_bid_rate x skill / tenders a year, at most 1.
    p.g.se_bid_rate = 1.0;
    x.prepare(p, s);
    CHECK_THAT(x.bid_chance[c], WithinRel(0.9 / 1.8, 1e-14));
    CHECK_THAT(x.bid_chance[a], WithinRel(0.999999 / 1.8, 1e-14));
    p.g.se_bid_rate = 2.0;
    x.prepare(p, s);
    CHECK(x.bid_chance[a] == 1.0);  // 2 x 0.999999 / 1.8 > 1
    CHECK_THAT(x.bid_chance[c], WithinRel(1.8 / 1.8, 1e-14));
    // From here on every SE with the means bids (chance 1), so the test does not rest on draws.
    p.g.se_bid_rate = 100.0;
    x.prepare(p, s);
    Tender td{ids::tender(p.geo->buyers()[buyer_of(p, 0, 0)].stream, 0, 0),
              buyer_of(p, 0, 0),
              p.geo->buyers()[buyer_of(p, 0, 0)].stream,
              0,
              0,
              120000.0,
              12,
              true,
              false,
              false};
    const std::vector<std::uint32_t> cand{static_cast<std::uint32_t>(a),
                                          static_cast<std::uint32_t>(b),
                                          static_cast<std::uint32_t>(c)};
    const int winner = award_tender(p, rng, s, td, cand, x);
    REQUIRE(x.bids.size() == 2);  // b is excluded; no regular bidders on a reserved tender
    CHECK(total(s.flows.bids_se) == 2);
    CHECK(winner == static_cast<int>(a));
    // Equal prices: price score 1; score = 0.5 * 1 + 0.5 * (0.4 + 0.6 * skill).
    CHECK_THAT(x.bids[0].score, WithinRel(0.5 + 0.5 * (0.4 + 0.6 * 0.999999), 1e-12));
    CHECK_THAT(x.bids[1].score, WithinRel(0.5 + 0.5 * (0.4 + 0.6 * 0.9), 1e-12));
    CHECK(s.se.bid_costs[a] == p.g.bid_cost);
    CHECK(s.se.bid_costs[b] == 0.0);
}

TEST_CASE("process 3: an SE chooses each tender open to it with its bid chance, independently",
          "[process][statistical]") {
    const Rng rng(20190412, 0);
    // Over n = 20,000 (SE, month) pairs with m = 12 tenders and chance c = 0.05: each tender
    // is chosen in n c = 1,000 pairs in expectation, sd sqrt(n c (1 - c)) = 30.8; no tender
    // at all in n (1 - c)^m = 10,808 pairs, sd 70.5. Tolerances are 4 sd (a fixed seed, so
    // the test is deterministic; 4 sd keeps it meaningful at any sample size).
    constexpr int n = 20000;
    constexpr std::uint32_t m = 12;
    constexpr double c = 0.05;
    std::vector<int> chosen(m, 0);
    int none = 0;
    int pairs_chosen_twice = 0;  // the same tender chosen twice in one (SE, month): never
    double total_chosen = 0;
    for (int k = 0; k < n; ++k) {
        const std::uint64_t id = ids::se_initial(hash_text("region:test"), k % 1000);
        const int t = k / 1000;
        std::vector<std::uint32_t> got;
        // Reference chance 0.08: candidates at 0.08, each chosen with 0.05 / 0.08.
        bid_choices(rng, id, t, c, 0.08, m, [&](std::uint32_t j) { got.push_back(j); });
        for (std::size_t q = 1; q < got.size(); ++q) pairs_chosen_twice += got[q] <= got[q - 1];
        for (const std::uint32_t j : got) ++chosen[j];
        none += got.empty();
        total_chosen += static_cast<double>(got.size());
    }
    CHECK(pairs_chosen_twice == 0);
    const double sd_one = std::sqrt(n * c * (1 - c));
    for (std::uint32_t j = 0; j < m; ++j) {
        INFO("tender " << j);
        CHECK(std::abs(chosen[j] - n * c) < 4 * sd_one);
    }
    const double p0 = std::pow(1 - c, m);
    CHECK(std::abs(none - n * p0) < 4 * std::sqrt(n * p0 * (1 - p0)));
    // Binomial(m, c) count per pair: mean m c, variance m c (1 - c).
    CHECK(std::abs(total_chosen / n - m * c) < 4 * std::sqrt(m * c * (1 - c) / n));

    // Chance 1 chooses every tender, chance 0 or no tenders none; the choices of a pair are a
    // function of (SE id, month, chance, m) alone.
    std::vector<std::uint32_t> all;
    bid_choices(rng, 7, 3, 1.0, 1.0, 5, [&](std::uint32_t j) { all.push_back(j); });
    CHECK(all == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
    int calls = 0;
    bid_choices(rng, 7, 3, 0.0, 0.5, 5, [&](std::uint32_t) { ++calls; });
    bid_choices(rng, 7, 3, 0.5, 0.5, 0, [&](std::uint32_t) { ++calls; });
    CHECK(calls == 0);
    // Monotone in the chance at a fixed reference: what a lower chance chooses, a higher one
    // chooses too (the coupling of paired scenarios).
    for (int k = 0; k < 2000; ++k) {
        std::vector<std::uint32_t> low, high;
        bid_choices(rng, 100 + k, 5, 0.02, 0.1, 30, [&](std::uint32_t j) { low.push_back(j); });
        bid_choices(rng, 100 + k, 5, 0.03, 0.1, 30, [&](std::uint32_t j) { high.push_back(j); });
        INFO("pair " << k);
        REQUIRE(std::includes(high.begin(), high.end(), low.begin(), low.end()));
    }
}

TEST_CASE("process 3: an SE's tender choices do not depend on the other SEs", "[process]") {
    Params p = test::empty_world();
    p.g.tender_mean_value = 50000;
    set_budget(p, 0, 5e6);  // 100 tenders a year, some of each sector in most months
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 10, 5, 0.8);
    const auto b = put_se(p, s, rng, 0, 10, 5, 0.6);
    interventions(p, s);
    p.g.se_bid_rate = 30;  // chance 0.8 x 30 / (tenders a year of its sector): several a month
    const auto choices_of = [&](State& st, std::size_t i) {
        std::vector<std::vector<std::uint64_t>> by_month;
        for (int t = 0; t < 24; ++t) {
            st.t = t;
            const std::vector<Tender> tenders = publish_tenders(p, rng, st);
            AwardScratch x;
            x.prepare(p, st);
            x.choose(p, rng, st, tenders);
            std::vector<std::uint64_t> ids;
            for (std::size_t k = 0; k < tenders.size(); ++k)
                for (std::uint32_t q = x.chooser_begin[k]; q < x.chooser_begin[k + 1]; ++q)
                    if (x.chooser[q] == i) ids.push_back(tenders[k].id);
            std::sort(ids.begin(), ids.end());
            by_month.push_back(ids);
        }
        return by_month;
    };
    const auto before_a = choices_of(s, a);
    const auto before_b = choices_of(s, b);
    std::size_t n_chosen = 0;
    for (const auto& month : before_a) n_chosen += month.size();
    REQUIRE(n_chosen > 20);  // the test has choices to compare
    // A third SE in the same region and sector, with a different chance: a and b choose as before.
    put_se(p, s, rng, 0, 10, 5, 0.3);
    CHECK(choices_of(s, a) == before_a);
    CHECK(choices_of(s, b) == before_b);
}

TEST_CASE(
    "process 3: open tenders score price, quality and social value; capacity and track record gate "
    "SE bids",
    "[process]") {
    Params p = test::empty_world();
    p.g.track_record_value = 100000;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 10, 5, 0.999999);
    const auto full = put_se(p, s, rng, 0, 1, 0.5, 0.999999);
    s.se.committed[full] = 1e6;  // all its capacity is taken by running contracts
    interventions(p, s);
    s.levers.social_weight[buyer_of(p, 0, 0)] = 0.4;
    // Competition: 0.5 bids a year x 200 firms x 0.1 suppliers x 250k / 1e6 budget = 2.5 regular
    // bidders per open tender in expectation; SEs bid with chance 1 (rate far above the 1
    // tender a year of business services).
    p.region[0].smes = 200;
    p.g.supplier_share = 0.1;
    p.g.regular_bid_rate = 0.5;
    p.g.tender_mean_value = 250000;
    p.g.se_bid_rate = 100;
    set_budget(p, 0, 1e6);
    REQUIRE_THAT(mean_regular_bidders(p, buyer_of(p, 0, 0)), WithinRel(2.5, 1e-14));
    // Constants of the scores, set away from their defaults so that a literal would show.
    p.g.regular_price_spread = 0.15;
    p.g.regular_quality_spread = 0.2;
    p.g.regular_social_score = 0.25;
    p.g.social_score_labour = 0.9;
    p.g.ric_social_blend = 0.4;
    AwardScratch x;
    x.prepare(p, s);
    const std::vector<std::uint32_t> cand{static_cast<std::uint32_t>(a),
                                          static_cast<std::uint32_t>(full)};

    // Above track_record_value and no public contract yet: the SE may not bid.
    Tender big{ids::tender(p.geo->buyers()[buyer_of(p, 0, 0)].stream, 0, 1),
               buyer_of(p, 0, 0),
               p.geo->buyers()[buyer_of(p, 0, 0)].stream,
               1,
               0,
               200000.0,
               24,
               false,
               false,
               true};
    award_tender(p, rng, s, big, cand, x);
    for (const Bid& bid : x.bids) CHECK(bid.supplier < 0);

    // Below it: SE a bids (the small SE lacks capacity), against the regular bidders. The
    // second tender is Rapid Impact Contracting (social ambition blended into quality, price
    // weight ric_price_weight).
    for (const bool ric : {false, true}) {
        INFO((ric ? "RIC" : "ordinary") << " open tender");
        const int k = ric ? 3 : 2;
        Tender td{ids::tender(p.geo->buyers()[buyer_of(p, 0, 0)].stream, 0, k),
                  buyer_of(p, 0, 0),
                  p.geo->buyers()[buyer_of(p, 0, 0)].stream,
                  k,
                  2,
                  60000.0,
                  12,
                  false,
                  ric,
                  true};
        award_tender(p, rng, s, td, cand, x);
        REQUIRE(x.bids.front().supplier == static_cast<int>(a));
        // 1 + Poisson(mean - 1) regular bidders, from the tender's own draw.
        const int n_regular = 1 + rng.poisson(1.5, td.id, 0, Purpose::regular_bidders);
        REQUIRE(x.bids.size() == 1 + static_cast<std::size_t>(n_regular));
        for (std::size_t q = 1; q < x.bids.size(); ++q)
            CHECK(x.bids[q].supplier == -static_cast<int>(q));
        // Recompute every score by hand from the bids' draws.
        std::vector<double> price, quality, social;
        for (const Bid& bid : x.bids) {
            if (bid.supplier >= 0) {
                price.push_back(1.0 + p.g.se_price_premium);
                quality.push_back(p.g.se_quality_base + (1 - p.g.se_quality_base) * 0.999999);
                social.push_back(0.9);
            } else {
                const auto j = static_cast<std::uint32_t>(-1 - bid.supplier);
                const auto w = rng.raw(td.id, 0, Purpose::regular_bid, j / 2);
                const std::size_t lane = 2 * (j % 2);
                price.push_back(0.85 + 0.3 * ((w[lane] + 0.5) * 0x1.0p-32));
                quality.push_back(std::clamp(
                    p.g.regular_quality_mean + 0.2 * ((w[lane + 1] + 0.5) * 0x1.0p-32 - 0.5), 0.0,
                    1.0));
                social.push_back(0.25);
            }
            if (ric) quality.back() = 0.6 * quality.back() + 0.4 * social.back();
        }
        const double best = *std::min_element(price.begin(), price.end());
        const double wp = ric ? p.g.ric_price_weight : p.g.price_weight;
        for (std::size_t q = 0; q < x.bids.size(); ++q) {
            const double bpqr = wp * best / price[q] + (1 - wp) * quality[q];
            CHECK_THAT(x.bids[q].score, WithinRel(0.6 * bpqr + 0.4 * social[q], 1e-12));
        }
    }
}

TEST_CASE(
    "process 3: regular competition per tender follows the region's supplier firms per "
    "tender",
    "[process]") {
    Params p = test::empty_world();
    p.g.regular_bid_rate = 0.5;
    p.g.supplier_share = 0.1;
    p.g.tender_mean_value = 250000;
    p.region[0].smes = 20000;
    set_budget(p, 0, 4e6);
    // 0.5 x 20,000 x 0.1 x 250,000 / 4e6 = 62.5 bids per tender.
    CHECK_THAT(mean_regular_bidders(p, buyer_of(p, 0, 0)), WithinRel(62.5, 1e-14));
    // Twice the firms and twice the budget: the same competition per tender.
    p.region[0].smes = 40000;
    set_budget(p, 0, 8e6);
    CHECK_THAT(mean_regular_bidders(p, buyer_of(p, 0, 0)), WithinRel(62.5, 1e-14));
    // Few firms: at least one regular bidder; no budget: one as well.
    p.region[0].smes = 10;
    CHECK(mean_regular_bidders(p, buyer_of(p, 0, 0)) == 1.0);
    set_budget(p, 0, 0);
    CHECK(mean_regular_bidders(p, buyer_of(p, 0, 0)) == 1.0);
}

TEST_CASE("process 3: a reserved tender without qualifying SE is re-tendered openly", "[process]") {
    Params p = test::empty_world();
    p.g.reserved_target_share = 1.0;  // nobody qualifies
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 10, 5, 0.999999);
    interventions(p, s);
    p.g.se_bid_rate = 100;  // SE a bids once the tender is open
    set_budget(p, 0, 1e6);
    Tender td{ids::tender(p.geo->buyers()[buyer_of(p, 0, 0)].stream, 0, 0),
              buyer_of(p, 0, 0),
              p.geo->buyers()[buyer_of(p, 0, 0)].stream,
              0,
              0,
              50000.0,
              12,
              true,
              false,
              false};
    AwardScratch x;
    x.prepare(p, s);
    const int winner = award_tender(p, rng, s, td, {static_cast<std::uint32_t>(a)}, x);
    CHECK((winner == kRegularWinner || winner == static_cast<int>(a)));
    bool regular = false;
    for (const Bid& bid : x.bids) regular |= bid.supplier < 0;
    CHECK(regular);
    REQUIRE(x.bids.front().supplier == static_cast<int>(a));  // it bids on the open round
    CHECK(total(s.flows.bids_se) == 1);
}

TEST_CASE("process 4: private demand is shared by market x (niche + visibility) x capacity^e",
          "[process]") {
    Params p = test::empty_world();
    p.region[0].population = 100000;
    p.g.consumer_spend = 10;
    p.g.niche_demand = 0.5;
    p.g.demand_size_elasticity = 0.5;
    p.g.productivity = 7000;
    p.g.skill_productivity = 0.3;
    p.g.track_record_visibility = 0.05;
    p.g.track_record_max = 4;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 10, 0, 0.5);
    const auto b = put_se(p, s, rng, 0, 20, 0, 0.5);
    s.se.own_visibility[a] = 0.2;
    s.se.own_visibility[b] = 0.3;
    s.se.contracts_won[b] = 6;  // track record: visibility for at most four contracts
    s.se.market[a] = 2.0;
    s.se.market[b] = 1.0;
    s.se.channel[b] = 1000;
    s.region[0].resident_awareness = 0.3;
    s.region[0].aware_spend = 8000;
    interventions(p, s);
    private_demand(p, s);
    CHECK_THAT(s.se.visibility[b], WithinRel(0.3 + 4 * 0.05, 1e-14));
    // Capacities 10 and 20 FTE x 7000 x (0.7 + 0.3 x 0.5).
    const double wa = 2.0 * (0.5 + 0.2) * std::sqrt(10 * 7000 * 0.85);
    const double wb = 1.0 * (0.5 + 0.5) * std::sqrt(20 * 7000 * 0.85);
    const double consumers = 100000 * 0.3 * 10;
    CHECK_THAT(s.se.demand_consumer[a], WithinRel(consumers * wa / (wa + wb), 1e-12));
    CHECK_THAT(s.se.demand_consumer[b], WithinRel(consumers * wb / (wa + wb), 1e-12));
    CHECK_THAT(s.se.demand_business[a], WithinRel(8000 * wa / (wa + wb), 1e-12));
    CHECK_THAT(s.se.demand_business[b], WithinRel(8000 * wb / (wa + wb) + 1000, 1e-12));
}

TEST_CASE("process 4: an SE at the size its market supports has weight equal to its capacity",
          "[process]") {
    // set_market makes market = capacity(market_fte)^(1 - e) / (niche + visibility), so at that
    // size and visibility the weight market x (niche + v) x capacity^e is the capacity itself.
    Params p = test::empty_world();
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    // At the mission's staffing (set_market sizes the market with it).
    const auto i = put_se(p, s, rng, 0, 7, 7 * p.g.target_share_labour, 0.5);
    s.se.visibility[i] = s.se.own_visibility[i];
    set_market(p, s.se, i, 7);  // 7 FTE: the staff its market supports
    CHECK(s.se.fte[i] == 7);    // set_market leaves the staff as they are
    interventions(p, s);
    private_demand(p, s);
    CHECK_THAT(demand_weight(p, s.se, i), WithinRel(se_capacity(p, s.se, i), 1e-12));
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

TEST_CASE("process 5: brokered contacts add conversion x contacts / searching SMEs to the hazard",
          "[process]") {
    Params p = test::empty_world();
    p.region[0].smes = 400;
    p.region[0].sme_awareness = 1.0;  // every SME aware
    p.g.csr_share = 1.0;              // and searching
    p.g.partner_hazard = 0.002;
    p.g.partner_max = 1000;
    p.g.partner_dissolve = 0.0;
    p.g.brokerage_conversion = 0.15;
    p.g.brokerage_cost = 400;
    p.region[0].brokerage_budget = 4000;  // 10 contacts a month
    Model m(p, 2, 0);
    State& s = m.mutable_state();
    const Rng rng(2, 0);
    const auto i = put_se(p, s, rng, 0, 5, 0, 0.5);
    interventions(p, s);
    REQUIRE(s.levers.brokerage_contacts[0] == 10.0);
    private_demand(p, s);  // sets visibility
    const double vis = s.se.visibility[i];
    const double h0 = s.region[0].partner_hazard;
    const std::size_t searching = s.sme.index[0].searching.size();
    REQUIRE(searching == 400);
    partnerships(p, rng, s);
    const double h1 = s.region[0].partner_hazard;
    CHECK_THAT(h1 - h0, WithinRel(0.002 * vis + 0.15 * 10.0 / 400, 1e-12));
    // Exactly the SMEs whose threshold the hazard passed partnered, with the one open SE.
    std::size_t passed = 0;
    for (std::size_t j = s.sme.region_begin[0]; j < s.sme.region_begin[1]; ++j)
        passed += s.sme.partner_threshold[j] <= h1;
    CHECK(s.sme.index[0].partnered.size() == passed);
    CHECK(static_cast<std::size_t>(s.se.partners[i]) == passed);
    CHECK(total(s.flows.partnerships_formed) == static_cast<int>(passed));
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
    s.contracts.add({.tender = 1,
                     .buyer = 0,
                     .supplier = static_cast<std::int32_t>(i),
                     .monthly = 5000,
                     .social_return = 0,
                     .end = 12});
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
    CHECK_THAT(s.se.profit_avg[i], WithinRel((45000 - 39640.0) / 12.0, 1e-12));
    CHECK_THAT(s.se.utilisation[i], WithinRel(45000 / 49980.0, 1e-12));

    // Demand above free capacity is rationed pro rata between businesses and consumers.
    s.se.demand_business[i] = 60000;
    s.se.demand_consumer[i] = 20000;
    production_finance(p, s);
    CHECK_THAT(s.se.rev_business[i], WithinRel((49980.0 - 5000) * 0.75, 1e-12));
    CHECK_THAT(s.se.rev_consumer[i], WithinRel((49980.0 - 5000) * 0.25, 1e-12));
}

TEST_CASE("process 6: public work beyond capacity is bought in at a mark-up; credit bears interest",
          "[process]") {
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
    p.g.buy_in_markup = 1.25;
    p.g.interest_rate = 0.06;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto i = put_se(p, s, rng, 0, 10, 4, 0.5);  // capacity 49,980 EUR/month
    s.se.rev_government[i] = 60000;
    s.se.demand_business[i] = 20000;  // no capacity left for it
    s.se.credit[i] = 12000;
    const SeAccounts acc = se_accounts(p, s.se, i);
    CHECK(acc.business == 0.0);
    CHECK(acc.revenue == 60000.0);
    CHECK_THAT(acc.utilisation, WithinRel(80000 / 49980.0, 1e-12));
    // Materials 12,000 + wages 26,640 + fixed 1,000 + 3,000 + interest 12,000 x 0.06 / 12 +
    // buy-in (60,000 - 49,980) x 1.25 x 3400 / 7000.
    const double buy_in = 10020.0 * 1.25 * 3400 / 7000;
    CHECK_THAT(acc.costs, WithinRel(12000 + 26640 + 4000 + 60 + buy_in, 1e-12));
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
    p.g.hire_min_fte = 0.5;
    p.g.shed_max_share = 0.25;
    p.g.min_fte = 1.0;
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

    // A small SE hires at least hire_min_fte; one near min_fte sheds only down to it.
    const auto d = put_se(p, s, rng, 0, 2, 1, 0.5);
    const auto e = put_se(p, s, rng, 0, 1.1, 0, 0.5);
    p.g.hire_min_fte = 0.7;
    s.se.utilisation[d] = 1.5;
    s.se.utilisation[e] = 0.1;
    for (auto i : {a, b, c}) s.se.utilisation[i] = 0.9;
    scale_up(p, s);
    CHECK(s.se.fte[d] == 2.7);  // max(0.7, 0.1 x 2)
    CHECK_THAT(s.se.fte[e], WithinRel(1.0, 1e-12));
    scale_up(p, s);
    CHECK_THAT(s.se.fte[e], WithinRel(1.0, 1e-12));  // at min_fte: no further shedding
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
    p.g.skill_depreciation = 0;
    p.g.accelerator_gain = 0.3;
    p.g.accelerator_months = 6;
    p.region[0].accelerator_cost = 2500;
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
        // One place in a running cohort, paid per place-month.
        CHECK(s.levers.accelerator_places[0] == 1);
        CHECK(s.levers.programme_cost == 2500.0);
    }
    CHECK(s.se.accelerator_until[i] == 6);
    CHECK_THAT(s.se.skill[i], WithinRel(1.0 - 0.8 * 0.7, 1e-12));
    // After the cohort, no further gain (it was accelerated once), no place and no cost.
    s.t = 6;
    interventions(p, s);
    learning(p, rng, s);
    CHECK_THAT(s.se.skill[i], WithinRel(1.0 - 0.8 * 0.7, 1e-12));
    CHECK(s.levers.accelerator_places[0] == 0);
    CHECK(s.levers.programme_cost == 0.0);
}

TEST_CASE("process 8: learned skill depreciates toward the founding skill", "[process]") {
    Params p = test::empty_world();
    p.g.spillover = 0;
    p.g.skill_depreciation = 0.02;
    p.g.partner_skill = 0.01;
    Model m(p, 1, 0);
    State& s = m.mutable_state();
    const Rng rng(1, 0);
    const auto a = put_se(p, s, rng, 0, 5, 0, 0.6);
    const auto b = put_se(p, s, rng, 0, 5, 0, 0.6);
    const auto c = put_se(p, s, rng, 0, 5, 0, 0.3);
    s.se.skill_base[a] = 0.2;
    s.se.skill_base[b] = 0.2;
    s.se.skill_base[c] = 0.5;  // below its founding skill: nothing to lose
    s.se.partners[b] = 1;
    interventions(p, s);
    learning(p, rng, s);
    CHECK_THAT(s.se.skill[a], WithinRel(0.6 - 0.02 * 0.4, 1e-12));
    // Depreciation first, then the partner closes partner_skill of the remaining gap.
    CHECK_THAT(s.se.skill[b], WithinRel(0.592 + 0.01 * (1 - 0.592), 1e-12));
    CHECK(s.se.skill[c] == 0.3);
}

TEST_CASE("process 8: the community pulls skill toward the (exchanged) regional mean",
          "[process]") {
    Params p = test::empty_world();
    p.g.spillover = 0.1;
    p.g.partner_skill = 0;
    p.g.skill_depreciation = 0.5;  // no learned skill yet (skill at its founding value)
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
    CHECK(s.se.exit_cause[b] == ExitCause::insolvency);
    CHECK(total(s.flows.exits) == 1);
    CHECK(total(s.flows.exits_insolvency) == 1);
    CHECK(total(s.flows.exits_hazard) == 0);
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
    CHECK(s.se.exit_cause[a] == ExitCause::hazard);
    CHECK(total(s.flows.exits) == 2);  // flows of the three months, never reset here
    CHECK(total(s.flows.exits_hazard) == 1);
    CHECK(total(s.flows.exits_insolvency) == 1);
}

TEST_CASE("process 10: foundings are a Poisson draw at the hand-computed rate", "[process]") {
    Params p = test::empty_world();
    p.g.entry_rate = 2.0;  // per 100,000 residents a month
    p.g.entry_awareness_effect = 1.0;
    p.g.entry_success_effect = 2.0;
    p.g.accelerator_entry = 0.5;
    p.region[0].population = 150000;
    p.region[1].population = 300000;
    Model m(p, 4, 0);
    State& s = m.mutable_state();
    const Rng rng(4, 0);
    s.region[0].resident_awareness = 0.4;
    s.region[1].resident_awareness = 0.0;
    interventions(p, s);
    s.levers.accelerator_places[0] = 4;  // four places in running cohorts in Zwolle
    // Zwolle: 2 x 1.5 x (1 + 0.4) + 0.5 x 4 places; Haarlem: 2 x 3 (twice the residents, twice
    // the foundings).
    const double rate0 = 2.0 * 1.5 * (1 + 1.0 * 0.4) * (1 + 0) + 0.5 * 4;
    const double rate1 = 2.0 * 3.0;
    for (int t = 0; t < 12; ++t) {
        s.t = t;
        s.flows.reset(p.regions());
        const std::size_t before = s.se.size();
        entries(p, rng, s);
        const int n0 =
            rng.poisson(rate0, ids::region(p.geo->regions()[0].stream), t, Purpose::entry_count);
        const int n1 =
            rng.poisson(rate1, ids::region(p.geo->regions()[1].stream), t, Purpose::entry_count);
        REQUIRE(total(s.flows.entries) == n0 + n1);
        REQUIRE(s.se.size() == before + static_cast<std::size_t>(n0 + n1));
        for (std::size_t i = before; i < s.se.size(); ++i) {
            CHECK(s.se.founded[i] == t);
            CHECK(s.se.region[i] == (i < before + static_cast<std::size_t>(n0) ? 0 : 1));
            CHECK(s.se.fte[i] == p.g.entrant_fte);
            // Entrants have no revenue history.
            CHECK(s.se.revenue_avg[i] == 0.0);
            CHECK(s.se.profit_avg[i] == 0.0);
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
    p.g.breakeven_band = 0.03;
    const auto a = put_se(p, s, rng, 0, 10, 6, 0.5);
    const auto b = put_se(p, s, rng, 1, 4, 1, 0.3, 1, Mission::circular);
    const auto c = put_se(p, s, rng, 1, 60, 10, 0.5, 0, Mission::other);
    const auto gone = put_se(p, s, rng, 0, 3, 0, 0.5);
    s.se.rev_government[a] = 100;
    s.se.rev_business[a] = 200;
    s.se.rev_consumer[b] = 50;
    s.se.rev_business[b] = 150;
    s.se.stage[a] = Stage::scaled;
    // Smoothed accounts: a margin 10% (profitable), b 2% (break-even), c a loss.
    s.se.revenue_avg[a] = 40000;  // EUR 480k a year
    s.se.profit_avg[a] = 4000;
    s.se.revenue_avg[b] = 5000;  // EUR 60k a year
    s.se.profit_avg[b] = 100;
    s.se.revenue_avg[c] = 100000;  // EUR 1.2m a year
    s.se.profit_avg[c] = -10000;
    // Founding cohorts: a 12 months ago, and an SE founded 36 months ago that exited before.
    s.se.founded[a] = -12;
    s.se.founded[gone] = -36;
    s.se.stage[gone] = Stage::exited;
    s.se.exited[gone] = -5;
    s.flows.entries[0] = 2;
    s.flows.exits[0] = 3;
    s.flows.exits_insolvency[0] = 1;
    s.flows.exits_hazard[0] = 2;
    s.flows.bids_se[0] = 7;
    s.flows.buyer_paid_se[0] = 100;
    RunSeries out(3, p.regions());
    accounting(p, s, out);
    CHECK(out.at(Output::se_active, 0) == 3);
    CHECK(out.at(Output::se_scaled, 0) == 1);
    CHECK(out.at(Output::jobs_total, 0) == 74);
    CHECK(out.at(Output::jobs_target_group, 0) == 17);
    CHECK(out.at(Output::revenue_total, 0) == 500);
    CHECK(out.at(Output::revenue_government, 0) == out.at(Output::public_spend_se, 0));
    CHECK(out.at(Output::se_entries, 0) == 2);
    CHECK(out.at(Output::se_exits, 0) == 3);
    CHECK(out.at(Output::se_exits_insolvency, 0) == 1);
    CHECK(out.at(Output::se_exits_hazard, 0) == 2);
    CHECK(out.at(Output::bids_se, 0) == 7);
    // Social value: 17 target FTE x value + circular share of b's revenue (the exited SE has
    // no staff in its books this month).
    CHECK_THAT(
        out.at(Output::social_value, 0),
        WithinRel(17 * p.g.social_value_target_fte + p.g.social_value_circular * 200, 1e-12));
    CHECK_THAT(out.at(Output::se_profitable_share, 0), WithinRel(1.0 / 3, 1e-14));
    CHECK_THAT(out.at(Output::se_breakeven_share, 0), WithinRel(1.0 / 3, 1e-14));
    // Size classes: b micro (4 FTE), a small (10), c medium (60).
    CHECK(out.at(Output::se_micro, 0) == 1);
    CHECK(out.at(Output::se_small, 0) == 1);
    CHECK(out.at(Output::se_medium, 0) == 1);
    CHECK(out.at(Output::se_turnover_under_100k, 0) == 1);
    CHECK(out.at(Output::se_turnover_100k_1m, 0) == 1);
    CHECK(out.at(Output::se_turnover_over_1m, 0) == 1);
    CHECK_THAT(out.at(Output::turnover_per_se, 0), WithinRel((480e3 + 60e3 + 1.2e6) / 3, 1e-12));
    CHECK(out.at(Output::cohort_1y_founded, 0) == 1);
    CHECK(out.at(Output::cohort_1y_active, 0) == 1);
    CHECK(out.at(Output::cohort_3y_founded, 0) == 1);
    CHECK(out.at(Output::cohort_3y_active, 0) == 0);
    CHECK(out.at(Output::cohort_5y_founded, 0) == 0);
}

TEST_CASE("initialise: the start has running contracts, partnerships and a revenue history",
          "[process]") {
    const Params p = test::baseline_params();
    Model m(p, 20190412, 0);
    const State& s = m.state();
    // Contracts awarded in the tender_max_months before the start that still run.
    std::size_t se_contracts = 0;
    std::vector<double> committed(s.se.size(), 0.0);
    for (std::size_t k = 0; k < s.contracts.size(); ++k) {
        CHECK(s.contracts.end[k] > 0);
        CHECK(s.contracts.end[k] <= p.g.tender_max_months);
        if (s.contracts.supplier[k] < 0) continue;
        ++se_contracts;
        committed[static_cast<std::size_t>(s.contracts.supplier[k])] += s.contracts.monthly[k];
    }
    CHECK(se_contracts > 0);
    for (std::size_t i = 0; i < s.se.size(); ++i)
        CHECK_THAT(s.se.committed[i], Catch::Matchers::WithinAbs(committed[i], 1e-6));
    // Partnerships, counted the same on both sides.
    std::size_t partnered = 0, partners = 0;
    for (const auto& ix : s.sme.index) partnered += ix.partnered.size();
    for (std::size_t i = 0; i < s.se.size(); ++i) partners += s.se.partners[i];
    CHECK(partnered > 0);
    CHECK(partnered == partners);
    // Every SE present at the start has its age and a revenue history; a profitable one the cash
    // of its costs and no debt, a loss-making one no cash and a drawn share of its credit line
    // of at most initial_credit_use.
    const int n0 = p.region[0].initial_ses + p.region[1].initial_ses;
    REQUIRE(s.se.size() == static_cast<std::size_t>(n0));
    for (std::size_t i = 0; i < s.se.size(); ++i) {
        CHECK(s.se.founded[i] <= 0);
        CHECK(s.se.founded[i] > -p.g.initial_age_max);
        CHECK(s.se.revenue_avg[i] > 0);
        if (s.se.profit_avg[i] >= 0) {
            CHECK(s.se.cash[i] > 0);
            CHECK(s.se.credit[i] == 0);
        } else {
            CHECK(s.se.cash[i] == 0);
            CHECK(s.se.credit[i] >= 0);
            CHECK(s.se.credit[i] <= p.g.initial_credit_use * credit_limit(p, s.se, i) + 1e-9);
        }
        CHECK(s.se.fte[i] >= p.g.min_fte);
    }
}
