// Whole runs: accounting identities every month, determinism, and common random numbers.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "tests/model/world.hpp"

using namespace sesim;

namespace {

double out(const RunSeries& r, Output o, int t) {
    return r.at(o, t);
}

bool identical(const RunSeries& a, const RunSeries& b) {
    return a.values.size() == b.values.size() &&
           std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("model: accounting identities hold every month", "[model][identity]") {
    const Params p = test::baseline_params();
    for (std::uint32_t rep : {0u, 1u, 2u}) {
        Model m(p, 20190412, rep);
        int prev_active = p.region[0].initial_ses + p.region[1].initial_ses;
        for (int t = 0; t < p.g.months; ++t) {
            m.step();
            const RunSeries& r = m.series();
            const State& s = m.state();
            INFO("replicate " << rep << " month " << t);
            // What buyers pay equals what SEs book as public revenue (summed in another order).
            REQUIRE(std::abs(out(r, Output::public_spend_se, t) -
                             out(r, Output::revenue_government, t)) <=
                    1e-9 * std::max(1.0, out(r, Output::public_spend_se, t)));
            REQUIRE(out(r, Output::public_spend_se, t) <= out(r, Output::public_spend_total, t));
            // Revenue by source adds up to the total.
            REQUIRE(out(r, Output::revenue_total, t) == out(r, Output::revenue_government, t) +
                                                            out(r, Output::revenue_business, t) +
                                                            out(r, Output::revenue_consumer, t));
            // Every exit has exactly one cause.
            REQUIRE(out(r, Output::se_exits, t) ==
                    out(r, Output::se_exits_insolvency, t) + out(r, Output::se_exits_hazard, t));
            // Size classes and turnover bands each partition the active SEs.
            const double n_active = out(r, Output::se_active, t);
            REQUIRE(out(r, Output::se_micro, t) + out(r, Output::se_small, t) +
                        out(r, Output::se_medium, t) ==
                    n_active);
            REQUIRE(out(r, Output::se_turnover_under_100k, t) +
                        out(r, Output::se_turnover_100k_1m, t) +
                        out(r, Output::se_turnover_over_1m, t) ==
                    n_active);
            // Shares lie in [0, 1]; profitable and break-even SEs are disjoint.
            for (Output o :
                 {Output::se_profitable_share, Output::se_breakeven_share, Output::sme_aware_share,
                  Output::resident_aware_share, Output::buyer_adoption, Output::mean_skill}) {
                REQUIRE(out(r, o, t) >= 0.0);
                REQUIRE(out(r, o, t) <= 1.0);
            }
            REQUIRE(out(r, Output::se_profitable_share, t) +
                        out(r, Output::se_breakeven_share, t) <=
                    1.0 + 1e-12);
            // A cohort cannot have more survivors than founders.
            REQUIRE(out(r, Output::cohort_1y_active, t) <= out(r, Output::cohort_1y_founded, t));
            REQUIRE(out(r, Output::cohort_3y_active, t) <= out(r, Output::cohort_3y_founded, t));
            REQUIRE(out(r, Output::cohort_5y_active, t) <= out(r, Output::cohort_5y_founded, t));
            // An SE wins only tenders it bid on; SEs win no more than is published.
            REQUIRE(out(r, Output::tenders_won_se, t) <= out(r, Output::bids_se, t));
            REQUIRE(out(r, Output::tenders_won_se, t) <= out(r, Output::tenders_published, t));
            // The price premium is the premium's part of every payment to SEs.
            REQUIRE(std::abs(out(r, Output::public_price_premium, t) -
                             out(r, Output::public_spend_se, t) * p.g.se_price_premium /
                                 (1.0 + p.g.se_price_premium)) <=
                    1e-9 * std::max(1.0, out(r, Output::public_spend_se, t)));
            // Turnover per SE is the mean of 12 x the smoothed revenue of the active SEs.
            double turnover = 0;
            for (std::size_t i = 0; i < s.se.size(); ++i)
                if (s.se.active(i)) turnover += 12.0 * s.se.revenue_avg[i];
            REQUIRE(std::abs(out(r, Output::turnover_per_se, t) * n_active - turnover) <=
                    1e-9 * std::max(1.0, turnover));
            // The stock of SEs follows from entries and exits.
            const int active = static_cast<int>(out(r, Output::se_active, t));
            REQUIRE(active == prev_active + static_cast<int>(out(r, Output::se_entries, t)) -
                                  static_cast<int>(out(r, Output::se_exits, t)));
            prev_active = active;
            // Every contract payment is counted once, on the buyers' side.
            double paid = 0;
            for (std::size_t k = 0; k < s.contracts.size(); ++k) paid += s.contracts.monthly[k];
            REQUIRE(std::abs(paid - out(r, Output::public_spend_total, t)) <=
                    1e-9 * std::max(1.0, paid));
            // Partnerships are counted the same on both sides.
            int partners = 0;
            for (std::size_t i = 0; i < s.se.size(); ++i) partners += s.se.partners[i];
            REQUIRE(partners == static_cast<int>(out(r, Output::partnerships_active, t)));
            // Committed capacity equals the running contracts of each SE (those ending now are
            // removed at the start of the next month).
            std::vector<double> committed(s.se.size(), 0.0);
            for (std::size_t k = 0; k < s.contracts.size(); ++k)
                if (s.contracts.supplier[k] >= 0)
                    committed[static_cast<std::size_t>(s.contracts.supplier[k])] +=
                        s.contracts.monthly[k];
            for (std::size_t i = 0; i < s.se.size(); ++i)
                if (s.se.active(i)) REQUIRE(std::abs(committed[i] - s.se.committed[i]) < 1e-6);
        }
    }
}

TEST_CASE("model: the same seed gives the same output bit for bit", "[model][determinism]") {
    Params p = test::baseline_params();
    p.g.months = 120;
    const RunSeries a = simulate(p, 99, 4);
    const RunSeries b = simulate(p, 99, 4);
    CHECK(identical(a, b));
    CHECK_FALSE(identical(a, simulate(p, 99, 5)));
    CHECK_FALSE(identical(a, simulate(p, 100, 4)));
}

namespace {

struct LeverCase {
    const char* name;
    void (*apply)(Params&, int start);
};

// Every lever of the parameter table, switched on at `start` with a visible intensity.
const LeverCase kLevers[] = {
    {"set-aside",
     [](Params& p, int m) {
         for (auto& b : p.buyer) b.setaside_share = 0.2, b.setaside_start = m;
     }},
    {"social-value weight",
     [](Params& p, int m) {
         for (auto& b : p.buyer) b.social_weight = 0.3, b.social_weight_start = m;
     }},
    {"social return",
     [](Params& p, int m) {
         // The baseline's municipalities already apply social return from 2019: extend
         // the clause to the other buyers.
         for (int b = 0; b < p.buyers(); ++b)
             if (p.geo->buyers()[b].kind != 0)
                 p.buyer[b].social_return = 0.1, p.buyer[b].social_return_start = m;
     }},
    {"rapid impact contracting",
     [](Params& p, int m) {
         for (auto& b : p.buyer) b.ric_share = 0.5, b.ric_start = m, b.ric_budget = 1000;
     }},
    {"brokerage",
     [](Params& p, int m) {
         for (auto& r : p.region) r.brokerage_start = m, r.brokerage_budget = 5000;
     }},
    {"accelerator",
     [](Params& p, int m) {
         // Zwolle: the baseline's accelerator is Haarlem's (Spark).
         auto& r = p.region[0];
         r.accelerator_size = 5, r.accelerator_start = m, r.accelerator_end = m + 120;
         r.accelerator_cost = 2000;
     }},
    {"meeting place",
     [](Params& p, int m) {
         for (auto& r : p.region) r.meeting_place_start = m, r.meeting_place_budget = 3000;
     }},
    {"visibility campaign",
     [](Params& p, int m) {
         for (auto& r : p.region) r.campaign_start = m, r.campaign_budget = 4000;
     }},
    {"inter-regional exchange",
     [](Params& p, int m) {
         p.g.exchange_weight = 0.5;
         p.g.exchange_start = m;
         p.g.exchange_budget = 2000;
     }},
};

}  // namespace

TEST_CASE("model: a lever that starts in month m leaves every output before m unchanged",
          "[model][crn]") {
    Params base = test::baseline_params();
    base.g.months = 60;
    const int start_step = 24;
    const int start = base.g.start_month + start_step;
    // Levers are switched off in the baseline (except the ones it uses); a scenario with a lever
    // from 2021-01 must match the baseline in 2019-2020 exactly, and differ afterwards.
    for (std::uint32_t rep : {0u, 1u}) {
        const RunSeries b = simulate(base, 7, rep);
        for (const LeverCase& lc : kLevers) {
            Params p = base;
            lc.apply(p, start);
            const RunSeries s = simulate(p, 7, rep);
            INFO(lc.name << ", replicate " << rep);
            for (int o = 0; o < kOutputs; ++o)
                for (int t = 0; t < start_step; ++t)
                    REQUIRE(std::memcmp(s.series(o) + t, b.series(o) + t, sizeof(double)) == 0);
            bool differs = false;
            for (int o = 0; o < kOutputs; ++o)
                for (int t = start_step; t < base.g.months; ++t)
                    differs |= s.at(static_cast<Output>(o), t) != b.at(static_cast<Output>(o), t);
            CHECK(differs);
        }
    }
}
