// Agent state as struct-of-arrays columns. An agent keeps its slot for the whole run (exited
// SEs stay, marked Stage::exited), and its stable id, which keys all its random draws.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "model/params.hpp"

namespace sesim {

enum class Stage : std::uint8_t { startup, growth, scaled, exited };
enum class Mission : std::uint8_t { labour, circular, other };
enum class SizeClass : std::uint8_t { micro, small, medium };
enum class ExitCause : std::uint8_t { none, insolvency, hazard };

// Stable entity ids: a tag in the top byte, the region in the next, then a serial. An entrant's
// serial is (month, k-th founding that month), so the same founding has the same id and the
// same draws in every scenario in which it happens.
namespace ids {
constexpr std::uint64_t tag(std::uint64_t t, int r) {
    return (t << 56) | (std::uint64_t(r) << 48);
}
constexpr std::uint64_t se_initial(int r, int i) {
    return tag(1, r) | std::uint64_t(i);
}
constexpr std::uint64_t se_entrant(int r, int t, int k) {
    return tag(2, r) | (std::uint64_t(t) << 20) | std::uint64_t(k);
}
constexpr std::uint64_t sme(int r, int i) {
    return tag(3, r) | std::uint64_t(i);
}
constexpr std::uint64_t buyer(int r, int kind) {
    return tag(4, r) | std::uint64_t(kind);
}
// Tenders of the months before the start (the history that sets the running contracts of
// 2019, see initialise) have negative t: the month field is t + kTenderMonthOffset.
inline constexpr int kTenderMonthOffset = 1024;
constexpr std::uint64_t tender(int buyer_index, int t, int k) {
    return tag(5, 0) | (std::uint64_t(buyer_index) << 40) |
           (std::uint64_t(t + kTenderMonthOffset) << 16) | std::uint64_t(k);
}
constexpr std::uint64_t region(int r) {
    return tag(6, r);
}
}  // namespace ids

struct SocialEnterprises {
    std::vector<std::uint64_t> id;
    std::vector<std::uint8_t> region;
    std::vector<std::uint8_t> sector;
    std::vector<Mission> mission;
    std::vector<Stage> stage;
    std::vector<double> exit_threshold;  // exits once its cumulative exit hazard reaches it
    std::vector<double> exit_hazard;     // cumulative exit hazard
    std::vector<int> exited;             // step of exit, -1 while active
    std::vector<ExitCause> exit_cause;
    std::vector<int> founded;            // step of founding (negative: before the run)
    std::vector<double> fte;             // staff, FTE
    std::vector<double> target_fte;      // target-group staff, FTE
    std::vector<double> skill;           // entrepreneurial skill, 0-1
    std::vector<double> skill_base;      // skill at founding, 0-1: what learning decays toward
    std::vector<double> market;          // weight of its own market in private demand, EUR^(1-e)
    std::vector<double> own_visibility;  // visibility of its own making, 0-1
    std::vector<double> visibility;      // effective visibility this month, 0-1
    std::vector<double> cash;            // EUR
    std::vector<double> credit;          // drawn credit, EUR
    std::vector<double> revenue_avg;     // revenue, EUR/month, exponentially smoothed (weight 1/12)
    std::vector<double> profit_avg;      // revenue minus costs, EUR/month, smoothed likewise
    std::vector<double> committed;       // monthly value of running public contracts, EUR/month
    std::vector<double> demand_business;  // EUR/month, this month
    std::vector<double> demand_consumer;  // EUR/month, this month
    std::vector<double> channel;          // partner channel demand, EUR/month
    std::vector<double> rev_government;   // this month's revenue by source, EUR
    std::vector<double> rev_business;
    std::vector<double> rev_consumer;
    std::vector<double> bid_costs;        // bid costs incurred this month, EUR
    std::vector<double> utilisation;      // (committed + private demand) / capacity, this month
    std::vector<double> demand_weight;    // its weight in the region's private demand, this month
    std::vector<int> contracts_won;       // public track record
    std::vector<int> partners;            // active partnerships
    std::vector<int> accelerator_until;   // step at which its cohort ends; -1 if never accelerated
    std::vector<std::uint8_t> insolvent;  // set by finance, acted on by exit

    std::size_t size() const { return id.size(); }
    bool active(std::size_t i) const { return stage[i] != Stage::exited; }
    double target_share(std::size_t i) const { return fte[i] > 0 ? target_fte[i] / fte[i] : 0.0; }
};

struct Smes {
    std::vector<std::uint8_t> region;
    std::vector<SizeClass> size_class;
    std::vector<std::uint8_t> csr;
    std::vector<std::uint8_t> aware;
    std::vector<double> aware_threshold;  // aware once the region's cumulative hazard reaches it
    // Partners once the region's cumulative partnership hazard reaches it.
    std::vector<double> partner_threshold;
    std::vector<std::int32_t> partner;  // SE slot, or -1
    std::vector<int> partner_until;     // step in which the partnership ends
    std::vector<std::uint16_t> search;  // partner-search episode, keys its draws
    // The SMEs of region r are [region_begin[r], region_begin[r + 1]).
    std::array<std::size_t, kRegions + 1> region_begin{};

    // Per-region indexes so that a month costs work in proportion to the events in it, not to
    // the number of SMEs. Each holds global SME indices.
    struct Index {
        std::vector<std::uint32_t> unaware_by_threshold;  // ascending awareness threshold
        std::size_t next_unaware = 0;                     // first not yet aware in that order
        // Aware CSR SMEs without partner: a min-heap on (partner threshold, index).
        std::vector<std::pair<double, std::uint32_t>> searching;
        std::vector<std::uint32_t> partnered;  // in order of partnership formation
    };
    std::array<Index, kRegions> index;

    std::size_t count() const { return region.size(); }
};

struct Contracts {
    std::vector<std::uint64_t> tender;
    std::vector<std::uint8_t> buyer;     // buyer index r * kBuyerKinds + kind
    std::vector<std::int32_t> supplier;  // SE slot, or -1 for a regular firm
    std::vector<double> monthly;         // payment, EUR/month
    std::vector<double> social_return;   // social-return purchases from SEs, EUR/month
    std::vector<int> end;                // first step without payment

    std::size_t size() const { return tender.size(); }
};

struct RegionState {
    double resident_awareness = 0;  // share of residents
    double sme_hazard = 0;          // cumulative SME awareness hazard
    double partner_hazard = 0;      // cumulative partnership hazard
    std::size_t smes_aware = 0;
    double aware_spend = 0;  // EUR/month spent with SEs by aware SMEs
    int next_cohort = -1;    // step of the next accelerator cohort
};

struct BuyerState {
    double adoption = 0;  // share of tenders in which social procurement is practised
};

// What this month's interventions switch on; computed by process 1 from the parameters.
struct Levers {
    std::array<bool, kRegions> accelerator{};
    std::array<int, kRegions> accelerator_places{};     // SEs in running cohorts (set by process 8)
    std::array<double, kRegions> brokerage_contacts{};  // brokered contacts this month
    std::array<double, kRegions> meeting_place{};       // strength 0-1
    std::array<double, kRegions> campaign_hazard{};     // awareness hazard added, per month
    std::array<double, kRegions> campaign_visibility{};
    std::array<double, kBuyers> setaside{};
    std::array<double, kBuyers> social_weight{};
    std::array<double, kBuyers> social_return{};
    std::array<double, kBuyers> ric{};
    double exchange = 0;
    double programme_cost = 0;  // EUR this month
};

// Flows of the current month, reset at its start; accounting turns them into outputs.
struct MonthFlows {
    int entries = 0;
    int exits = 0;
    int exits_insolvency = 0;
    int exits_hazard = 0;
    int bids_se = 0;
    double buyer_paid_se = 0;  // summed on the buyers' side of each contract
    double buyer_paid_total = 0;
    double price_premium = 0;
    double social_return_se = 0;
    int tenders = 0;
    int tenders_se = 0;
    int partnerships_formed = 0;
};

struct State {
    int t = 0;  // current step, 0-based
    SocialEnterprises se;
    Smes sme;
    Contracts contracts;
    std::array<RegionState, kRegions> region{};
    std::array<BuyerState, kBuyers> buyer{};
    Levers levers;
    MonthFlows flows;
};

}  // namespace sesim
