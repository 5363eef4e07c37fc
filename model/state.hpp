// Agent state as struct-of-arrays columns. An agent keeps its slot for the whole run (exited
// SEs stay, marked Stage::exited), and its stable id, which keys all its random draws.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "model/params.hpp"
#include "model/rng.hpp"

namespace sesim {

enum class Stage : std::uint8_t { startup, growth, scaled, exited };
enum class Mission : std::uint8_t { labour, circular, other };
enum class SizeClass : std::uint8_t { micro, small, medium };
enum class ExitCause : std::uint8_t { none, insolvency, hazard };

// Stable entity ids: mix64 of the stream of its region (or buyer), a tag and a serial. Streams
// come from region codes and buyer keys (model/geography.hpp), so an entity's id, and with it
// every draw it makes, does not depend on the order of the regions or on which other regions
// are simulated. An entrant's serial is (month, k-th founding that month), so the same
// founding has the same id and the same draws in every scenario in which it happens.
namespace ids {
constexpr std::uint64_t entity(std::uint64_t tag, std::uint64_t stream, std::uint64_t serial) {
    return mix64(stream ^ mix64((tag << 56) | serial));
}
// Months of the tender history before the start are negative: the month field is t + offset.
inline constexpr int kMonthOffset = 1024;
constexpr std::uint64_t month_serial(int t, int k) {
    return (std::uint64_t(t + kMonthOffset) << 32) | std::uint64_t(std::uint32_t(k));
}
constexpr std::uint64_t se_initial(std::uint64_t region_stream, int i) {
    return entity(1, region_stream, std::uint64_t(i));
}
constexpr std::uint64_t se_entrant(std::uint64_t region_stream, int t, int k) {
    return entity(2, region_stream, month_serial(t, k));
}
constexpr std::uint64_t sme(std::uint64_t region_stream, int i) {
    return entity(3, region_stream, std::uint64_t(i));
}
constexpr std::uint64_t buyer(std::uint64_t buyer_stream) {
    return entity(4, buyer_stream, 0);
}
constexpr std::uint64_t tender(std::uint64_t buyer_stream, int t, int k) {
    return entity(5, buyer_stream, month_serial(t, k));
}
constexpr std::uint64_t region(std::uint64_t region_stream) {
    return entity(6, region_stream, 0);
}
}  // namespace ids

struct SocialEnterprises {
    std::vector<std::uint64_t> id;
    std::vector<std::uint16_t> region;
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

// 29 bytes an SME in columns, plus the indexes below (4 bytes while unaware, 16 while
// searching, 4 while partnered): national scale has 1.75 million SMEs, so no column is kept
// that can be derived (an SME's region is given by region_begin).
struct Smes {
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
    std::vector<std::size_t> region_begin;

    // Per-region indexes so that a month costs work in proportion to the events in it, not to
    // the number of SMEs. Each holds global SME indices.
    struct Index {
        std::vector<std::uint32_t> unaware_by_threshold;  // ascending awareness threshold
        std::size_t next_unaware = 0;                     // first not yet aware in that order
        // Aware CSR SMEs without partner: a min-heap on (partner threshold, index).
        std::vector<std::pair<double, std::uint32_t>> searching;
        std::vector<std::uint32_t> partnered;  // in order of partnership formation
    };
    std::vector<Index> index;  // [region]

    std::size_t count() const { return size_class.size(); }
};

struct Contracts {
    std::vector<std::uint64_t> tender;
    std::vector<std::int32_t> buyer;     // buyer index
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
// Per region and per buyer; sized by Levers::reset.
struct Levers {
    std::vector<std::uint8_t> accelerator;
    std::vector<int> accelerator_places;     // SEs in running cohorts (set by process 8)
    std::vector<double> brokerage_contacts;  // brokered contacts this month
    std::vector<double> meeting_place;       // strength 0-1
    std::vector<double> campaign_hazard;     // awareness hazard added, per month
    std::vector<double> campaign_visibility;
    std::vector<double> setaside;  // per buyer
    std::vector<double> social_weight;
    std::vector<double> social_return;
    std::vector<double> ric;
    double exchange = 0;
    double programme_cost = 0;                  // EUR this month
    std::vector<double> programme_cost_region;  // the same by region (attributed), EUR

    void reset(int regions, int buyers) {
        const auto R = static_cast<std::size_t>(regions);
        const auto B = static_cast<std::size_t>(buyers);
        accelerator.assign(R, 0);
        accelerator_places.assign(R, 0);
        brokerage_contacts.assign(R, 0.0);
        meeting_place.assign(R, 0.0);
        campaign_hazard.assign(R, 0.0);
        campaign_visibility.assign(R, 0.0);
        setaside.assign(B, 0.0);
        social_weight.assign(B, 0.0);
        social_return.assign(B, 0.0);
        ric.assign(B, 0.0);
        exchange = 0;
        programme_cost = 0;
        programme_cost_region.assign(R, 0.0);
    }
};

// Flows of the current month by region, reset at its start; accounting turns them into
// outputs. Flows on the SEs' side count in the SE's region; flows on a buyer's side (what it
// publishes and pays in all) are shared among the regions it serves by population (State::
// buyer_area), so that the regions' flows add up to the total.
struct MonthFlows {
    std::vector<double> entries, exits, exits_insolvency, exits_hazard, bids_se;
    std::vector<double> buyer_paid_se, price_premium, tenders_se, partnerships_formed;
    std::vector<double> buyer_paid_total, social_return_se, tenders;

    void reset(int regions) {
        const auto R = static_cast<std::size_t>(regions);
        for (std::vector<double>* v :
             {&entries, &exits, &exits_insolvency, &exits_hazard, &bids_se, &buyer_paid_se,
              &price_premium, &tenders_se, &partnerships_formed, &buyer_paid_total,
              &social_return_se, &tenders})
            v->assign(R, 0.0);
    }
};

inline double total(const std::vector<double>& v) {
    double s = 0;
    for (const double x : v) s += x;
    return s;
}

struct State {
    int t = 0;  // current step, 0-based
    SocialEnterprises se;
    Smes sme;
    Contracts contracts;
    std::vector<RegionState> region;  // [region]
    std::vector<BuyerState> buyer;    // [buyer]
    // The regions a buyer serves with their shares of its served population (sum 1).
    std::vector<std::vector<std::pair<int, double>>> buyer_area;
    Levers levers;
    MonthFlows flows;
};

}  // namespace sesim
