// The eleven monthly processes, in schedule order (see Model::step and docs/ODD.md). Each reads
// the parameters and the state, writes the state and this month's flows, and draws random
// numbers only through `rng`, keyed by (entity id, step, purpose).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "model/outputs.hpp"
#include "model/params.hpp"
#include "model/rng.hpp"
#include "model/state.hpp"

namespace sesim {

// Is a lever with [start, end) in absolute months switched on at step t?
inline bool lever_on(const Params& p, int t, int start, int end) {
    const int m = p.g.start_month + t;
    return m >= start && m < end;
}

// Initial state: SEs, SMEs, buyers and regions at step 0 (before the first step).
void initialise(const Params& p, const Rng& rng, State& s);

void interventions(const Params& p, State& s);                     // 1
void awareness(const Params& p, const Rng& rng, State& s);         // 2
void public_tenders(const Params& p, const Rng& rng, State& s);    // 3
void private_demand(const Params& p, State& s);                    // 4
void partnerships(const Params& p, const Rng& rng, State& s);      // 5
void production_finance(const Params& p, State& s);                // 6
void scale_up(const Params& p, State& s);                          // 7
void learning(const Params& p, const Rng& rng, State& s);          // 8
void exits(const Params& p, const Rng& rng, State& s);             // 9
void entries(const Params& p, const Rng& rng, State& s);           // 10
void accounting(const Params& p, const State& s, RunSeries& out);  // 11

// Process 3 in parts, so that tests can check the award by hand.
struct Tender {
    std::uint64_t id;
    int buyer;                   // buyer index
    std::uint64_t buyer_stream;  // the buyer's stream (its draws' key)
    int index;                   // k-th tender of this buyer this month
    int sector;
    double value;   // EUR, whole contract
    int months;     // duration
    bool reserved;  // set-aside: only SEs with reserved_target_share may bid
    bool ric;       // Rapid Impact Contracting
    bool practice;  // the buyer practises its social clauses and weights on this tender
};
struct Bid {
    double score;
    int supplier;  // SE slot, or -1 - k for the k-th regular bidder
};
struct AwardScratch {
    std::vector<Bid> bids;
    std::vector<double> price, quality, social;
    // Per SE slot, assessed once at the start of the month's awards (prepare): the chance that
    // it bids on one tender of its sector open to it, the most monthly contract value it can
    // take on (with growth headroom), and the cash plus free credit it can spend on bids (EUR);
    // bid_reference is the chance at skill 1 (bid_choices).
    // Committed value, bid costs and track record change during the awards and are read from
    // the SEs' columns.
    std::vector<double> bid_chance, bid_reference, capacity_limit, liquidity;
    std::vector<double> tenders_a_year;   // [region * kSectors + sector], expected_tenders_per_year
    std::vector<double> regular_bidders;  // [buyer], mean_regular_bidders
    std::vector<double> run_inputs, run_inputs_now;  // what the two above were computed from
    // This month's tenders of buyer b in sector c, in the order of their index, as positions
    // in the award order: [tender_begin[b * kSectors + c], tender_begin[... + 1]) of tender_at.
    std::vector<std::uint32_t> tender_begin, tender_at;
    // The SEs that chose each tender (slots, ascending), by award position: [chooser_begin[k],
    // chooser_begin[k + 1]) of chooser; `picks` is the (position, slot) list they come from.
    std::vector<std::uint32_t> chooser_begin, chooser;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> picks;
    std::vector<std::uint32_t> order, by_index, fill;  // choose()'s counting sorts
    // The tender being awarded: the SEs that chose it.
    const std::uint32_t* selected = nullptr;
    std::size_t n_selected = 0;

    void prepare(const Params& p, const State& s);
    // Each SE's choice of this month's tenders (`tenders` in award order), see bid_choices.
    void choose(const Params& p, const Rng& rng, const State& s,
                const std::vector<Tender>& tenders);
};
// The tenders an SE chooses to bid on among the m tenders of its sector open to it in month t
// (0 .. m - 1: the tenders of each buyer serving its region in the order of their index, the
// buyers in the order of their keys): each with probability `chance`, independently.
//
// Drawn in two steps, so that the cost is one Philox block per SE and month plus one per two
// candidates, not one draw per tender (SEs and tenders both grow with a geography, and their
// product would not keep a run linear in its size):
// 1. candidates, each tender with probability `reference` >= chance, found by geometric gaps
//    (gap g has probability (1 - reference)^g reference, from u as floor(log u / log(1 -
//    reference)));
// 2. each candidate is chosen if its own uniform v < chance / reference.
// `reference` depends on the parameters only (the chance at skill 1), so the candidates of an
// SE are the same in every scenario with the same tenders, and whether one is chosen is
// monotone in the chance: a small change of skill changes few choices (common random numbers
// for paired comparisons stay as tight as with one uniform per SE and tender).
// Candidate k uses words 2k mod 4 (gap) and 2k + 1 mod 4 (v) of block (SE id, t, se_bid, k / 2).
// The choices depend on the SE's own chance and the tenders open to it only, not on other SEs.
template <class Take>
void bid_choices(const Rng& rng, std::uint64_t se_id, int t, double chance, double reference,
                 std::uint32_t m, Take&& take) {
    if (chance <= 0 || m == 0) return;
    reference = std::min(1.0, std::max(reference, chance));
    const auto w = rng.raw(se_id, t, Purpose::se_bid, 0);
    // No candidate when the first gap is at least m, i.e. u <= (1 - reference)^m; below
    // 1 - m reference (Bernoulli's inequality) that holds without a logarithm, and in most
    // months an SE has no candidate.
    if (reference < 1 && Rng::to_open01(w[0]) <= 1.0 - m * reference) return;
    const double log_miss = std::log1p(-reference);  // -inf at reference 1: gap 0
    const double accept = chance / reference;
    double next = 0;  // the next tender that may be a candidate
    for (std::uint32_t block = 0;; ++block) {
        const auto v = block == 0 ? w : rng.raw(se_id, t, Purpose::se_bid, block);
        for (int k = 0; k < 4; k += 2) {
            next += reference >= 1 ? 0.0 : std::floor(std::log(Rng::to_open01(v[k])) / log_miss);
            if (next >= m) return;
            if (Rng::to_open01(v[k + 1]) < accept) take(static_cast<std::uint32_t>(next));
            next += 1;
            if (next >= m) return;
        }
    }
}

inline constexpr int kRegularWinner = -1;
std::vector<Tender> publish_tenders(const Params& p, const Rng& rng, const State& s);
// Tenders a year in `sector` that the SEs of region r may bid on (of every buyer serving r),
// in expectation.
double expected_tenders_per_year(const Params& p, int r, int sector);
// Public budget of region r, EUR/year: each buyer serving it counts with r's share of the
// population it serves.
double region_budget(const Params& p, int r);
// The regions buyer b serves with their shares of its served population (sum 1).
std::vector<std::pair<int, double>> buyer_area(const Params& p, int b);
// Mean number of regular bidders on an open tender of buyer b (at least 1).
double mean_regular_bidders(const Params& p, int b);
// The contracts running at the start: publication and award over the tender_max_months before
// it (part of initialise).
void tender_history(const Params& p, const Rng& rng, State& s);
// Scores the bids of the SEs in `chosen` (SEs that chose the tender, bid_choices; slots
// ascending) that meet its conditions, and regular bidders; returns the winning SE slot or
// kRegularWinner (an open tender always has a regular bid, and a reserved one without SE bids
// is re-opened to the same SEs). Books SEs' bid costs.
int award_tender(const Params& p, const Rng& rng, State& s, const Tender& td,
                 const std::vector<std::uint32_t>& chosen, AwardScratch& scratch);

// Shared pieces used by several processes (and by tests for hand computation).
double se_capacity(const Params& p, const SocialEnterprises& se, std::size_t i);  // EUR/month
// The capacity of an SE with that staff and skill, EUR/month (se_capacity of its columns).
double capacity_at(const Params& p, double fte, double target_fte, double skill);
// SE i's weight in its region's private demand this month (process 4, with its visibility of
// this month): market x (niche + visibility) x capacity^e.
double demand_weight(const Params& p, const SocialEnterprises& se, std::size_t i);
double credit_limit(const Params& p, const SocialEnterprises& se, std::size_t i);  // EUR
// Annualised revenue, EUR/year: 12 x the smoothed monthly revenue (not a trailing 12-month sum).
inline double annual_revenue(const SocialEnterprises& se, std::size_t i) {
    return kMonthsPerYear * se.revenue_avg[i];
}
double wage_bill(const Params& p, double fte, double target_fte);  // EUR/month, net of subsidy
double sme_spend(const Params& p, SizeClass c);                    // EUR/month
double partner_channel(const Params& p, SizeClass c);              // EUR/month
double partner_size_factor(const Params& p, SizeClass c);
// Months a partnership lasts, from a uniform draw u in (0, 1) (geometric law).
int partnership_months(const Params& p, double u);
double mission_target_share(const Params& p, Mission m);
double social_score(const Params& p, Mission m);
// SE i's revenue and costs this month (EUR) from its government revenue, private demand and
// capacity (process 6; also used to give the SEs present at the start their history).
struct SeAccounts {
    double revenue, business, consumer, costs, utilisation;
};
SeAccounts se_accounts(const Params& p, const SocialEnterprises& se, std::size_t i);
// The partnerships running at the start (part of initialise): each aware CSR-oriented SME is
// partnered with the stationary chance of the partnership process.
void initial_partnerships(const Params& p, const Rng& rng, State& s);
// Sector 0-3 from a uniform u and the shares of sectors 0-2 (sector 3 takes the rest).
inline int pick_sector(double share0, double share1, double share2, double u) {
    const double c0 = share0;
    const double c1 = c0 + share1;
    const double c2 = c1 + share2;
    return u < c0 ? 0 : u < c1 ? 1 : u < c2 ? 2 : 3;
}
// Sets se.market[i], the weight of SE i's own market in private demand, from market_fte, the
// staff that market supports (at its mission's staffing), and its visibility and skill now.
void set_market(const Params& p, SocialEnterprises& se, std::size_t i, double market_fte);
// Adds one SE (initial or entrant) with its draws keyed by `id` at step `t`.
std::size_t add_se(const Params& p, const Rng& rng, State& s, int region, std::uint64_t id, int t,
                   bool initial);
// SME j (global index, region r) starts search episode m.search[j] at step s.t: draws its
// threshold above the region's cumulative partnership hazard; only CSR-oriented SMEs search.
void start_partner_search(const Params& p, const Rng& rng, State& s, int r, std::size_t j);
// The id of SME j (global index) of region r, which keys its draws.
inline std::uint64_t sme_id(const Params& p, const Smes& m, int r, std::size_t j) {
    return ids::sme(p.geo->regions()[r].stream, static_cast<int>(j - m.region_begin[r]));
}
// Active SEs of each region, in slot order: [region] -> slots.
void active_by_region(const Params& p, const SocialEnterprises& se,
                      std::vector<std::vector<std::uint32_t>>& out);

}  // namespace sesim
