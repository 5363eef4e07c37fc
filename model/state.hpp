// Agent state as struct-of-arrays columns. An agent keeps its slot for the whole run (exited
// SEs stay, marked Stage::exited), and its stable id, which keys all its random draws.
#pragma once
#include <array>
#include <cassert>
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

// What every column-held agent type shares, for T with a static visit(self, f) that calls f on
// each of its columns (generated from model/agents.def): reserving, compacting and the check
// that all columns have one length (Debug builds).
template <class T>
struct AgentColumns {
    // Rows held: the length of the first column.
    std::size_t rows() const {
        std::size_t n = 0;
        bool first = true;
        T::visit(self(), [&](const auto& v) {
            if (first) n = v.size();
            first = false;
        });
        return n;
    }
    // Do all columns have the same length? (Asserted after every add and compaction, and at the
    // end of each step, in Debug builds.)
    bool consistent() const {
        const std::size_t n = rows();
        bool same = true;
        T::visit(self(), [&](const auto& v) { same = same && v.size() == n; });
        return same;
    }
    void reserve(std::size_t n) {
        T::visit(self(), [n](auto& v) { v.reserve(n); });
    }
    // Keeps the rows k for which keep(k) is true, in their order, and drops the others. keep is
    // called once per row in ascending order before that row is moved, so it may read row k.
    template <class Keep>
    void keep_rows(Keep&& keep) {
        const std::size_t n = rows();
        std::size_t w = 0;
        for (std::size_t k = 0; k < n; ++k) {
            if (!keep(k)) continue;
            if (w != k) T::visit(self(), [w, k](auto& v) { v[w] = v[k]; });
            ++w;
        }
        T::visit(self(), [w](auto& v) { v.resize(w); });
        assert(consistent());
    }

  private:
    T& self() { return static_cast<T&>(*this); }
    const T& self() const { return static_cast<const T&>(*this); }
};

// The generators of model/agents.def: the column, the field of Row, appending a row, visiting.
#define SESIM_AGENT_COLUMN(type, name, init) std::vector<type> name;
#define SESIM_AGENT_ROW(type, name, init) type name = init;
#define SESIM_AGENT_ADD(type, name, init) name.push_back(row.name);
#define SESIM_AGENT_VISIT(type, name, init) f(self.name);

// Social enterprises, by slot. Their columns are declared in model/agents.def.
struct SocialEnterprises : AgentColumns<SocialEnterprises> {
    std::size_t size() const { return id.size(); }
    bool active(std::size_t i) const { return stage[i] != Stage::exited; }
    double target_share(std::size_t i) const { return fte[i] > 0 ? target_fte[i] / fte[i] : 0.0; }

#define SE_COLUMN SESIM_AGENT_COLUMN
#include "model/agents.def"

    // One SE's values of every column; a field not set keeps the initial value of agents.def.
    struct Row {
#define SE_COLUMN SESIM_AGENT_ROW
#include "model/agents.def"
    };
    // Appends an SE; returns its slot.
    std::size_t add(const Row& row) {
#define SE_COLUMN SESIM_AGENT_ADD
#include "model/agents.def"
        assert(consistent());
        return size() - 1;
    }
    // Calls f on every column, in the order of agents.def. (Last in the struct: clang-format
    // misreads what follows a body of preprocessor lines only.)
    template <class Self, class F>
    static void visit(Self& self, F&& f) {
#define SE_COLUMN SESIM_AGENT_VISIT
#include "model/agents.def"
    }
};

// SMEs, by global index. Their columns (29 bytes an SME) are declared in model/agents.def, plus
// the indexes below (4 bytes while unaware, 16 while searching, 4 while partnered): national
// scale has 1.75 million SMEs.
struct Smes : AgentColumns<Smes> {
    std::size_t count() const { return size_class.size(); }

#define SME_COLUMN SESIM_AGENT_COLUMN
#include "model/agents.def"
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

    // One SME's values of every column; a field not set keeps the initial value of agents.def.
    struct Row {
#define SME_COLUMN SESIM_AGENT_ROW
#include "model/agents.def"
    };
    // Appends an SME; returns its global index.
    std::size_t add(const Row& row) {
#define SME_COLUMN SESIM_AGENT_ADD
#include "model/agents.def"
        assert(consistent());
        return count() - 1;
    }
    // Calls f on every column, in the order of agents.def. (Last in the struct: clang-format
    // misreads what follows a body of preprocessor lines only.)
    template <class Self, class F>
    static void visit(Self& self, F&& f) {
#define SME_COLUMN SESIM_AGENT_VISIT
#include "model/agents.def"
    }
};

// Running public contracts. Their columns are declared in model/agents.def.
struct Contracts : AgentColumns<Contracts> {
    std::size_t size() const { return tender.size(); }

#define CONTRACT_COLUMN SESIM_AGENT_COLUMN
#include "model/agents.def"

    // One contract's values of every column; a field not set keeps the initial value of
    // agents.def.
    struct Row {
#define CONTRACT_COLUMN SESIM_AGENT_ROW
#include "model/agents.def"
    };
    // Appends a contract; returns its index.
    std::size_t add(const Row& row) {
#define CONTRACT_COLUMN SESIM_AGENT_ADD
#include "model/agents.def"
        assert(consistent());
        return size() - 1;
    }
    // Calls f on every column, in the order of agents.def. (Last in the struct: clang-format
    // misreads what follows a body of preprocessor lines only.)
    template <class Self, class F>
    static void visit(Self& self, F&& f) {
#define CONTRACT_COLUMN SESIM_AGENT_VISIT
#include "model/agents.def"
    }
};

#undef SESIM_AGENT_COLUMN
#undef SESIM_AGENT_ROW
#undef SESIM_AGENT_ADD
#undef SESIM_AGENT_VISIT

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
