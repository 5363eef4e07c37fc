// The initial state: SEs, SMEs, buyers and regions at step 0, consistent with the start month
// (the partnerships and public contracts running then, and the SEs' sizes, revenue history and
// cash).
#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <functional>

#include "model/processes.hpp"

namespace sesim {

namespace {

// The cumulative hazard H0 at which a share F0 of all SMEs is aware: CSR-oriented SMEs (share
// c) have hazard factor f, so F(H) = (1 - c)(1 - exp(-H)) + c (1 - exp(-f H)). F is increasing
// in H; bisection to machine precision.
double initial_sme_hazard(const Params& p, double f0) {
    if (f0 <= 0) return 0;
    const double c = p.g.csr_share;
    const double f = p.g.csr_awareness_factor;
    const auto share = [&](double h) {
        return (1 - c) * -std::expm1(-h) + c * -std::expm1(-f * h);
    };
    double lo = 0;
    double hi = 1;
    while (share(hi) < f0 && hi < 1e6) hi *= 2;
    for (int k = 0; k < 200 && hi - lo > 1e-15 * hi; ++k) {
        const double mid = 0.5 * (lo + hi);
        (share(mid) < f0 ? lo : hi) = mid;
    }
    return hi;
}

// Sorts the SME indices `idx` (ascending on entry) by (threshold[j], j). The comparator sort of
// 1.75 million national thresholds was a fifth of a run; an LSD radix sort on the bits of the
// threshold gives the same order, since for non-negative doubles the bit patterns order as the
// values, and its passes are stable, so equal thresholds keep ascending index.
void sort_by_threshold(std::vector<std::uint32_t>& idx, const std::vector<double>& threshold) {
    const std::size_t n = idx.size();
    if (n < 2048) {
        std::sort(idx.begin(), idx.end(), [&](std::uint32_t a, std::uint32_t b) {
            return threshold[a] != threshold[b] ? threshold[a] < threshold[b] : a < b;
        });
        return;
    }
    using Entry = std::pair<std::uint64_t, std::uint32_t>;
    std::vector<Entry> a(n), b(n);
    for (std::size_t q = 0; q < n; ++q) {
        assert(threshold[idx[q]] >= 0);
        a[q] = {std::bit_cast<std::uint64_t>(threshold[idx[q]]), idx[q]};
    }
    constexpr int kBits = 11;
    constexpr std::size_t kBuckets = std::size_t{1} << kBits;
    std::vector<std::size_t> count(kBuckets);
    for (int shift = 0; shift < 64; shift += kBits) {
        std::fill(count.begin(), count.end(), 0);
        for (const Entry& e : a) ++count[(e.first >> shift) & (kBuckets - 1)];
        // A digit that all keys share (the sign and most of the exponent) needs no pass.
        if (count[(a[0].first >> shift) & (kBuckets - 1)] == n) continue;
        std::size_t sum = 0;
        for (std::size_t& c : count) {
            const std::size_t here = c;
            c = sum;
            sum += here;
        }
        for (const Entry& e : a) b[count[(e.first >> shift) & (kBuckets - 1)]++] = e;
        a.swap(b);
    }
    for (std::size_t q = 0; q < n; ++q) idx[q] = a[q].second;
}

}  // namespace

void initialise(const Params& p, const Rng& rng, State& s) {
    s = State{};
    const int R = p.regions();
    s.region.assign(static_cast<std::size_t>(R), RegionState{});
    s.buyer.assign(static_cast<std::size_t>(p.buyers()), BuyerState{});
    s.buyer_area.resize(static_cast<std::size_t>(p.buyers()));
    for (int b = 0; b < p.buyers(); ++b) s.buyer_area[b] = buyer_area(p, b);
    s.levers.reset(R, p.buyers());
    s.flows.reset(R);
    for (int r = 0; r < R; ++r) {
        const RegionParams& rp = p.region[r];
        RegionState& rs = s.region[r];
        rs.resident_awareness = rp.resident_awareness;
        rs.sme_hazard = initial_sme_hazard(p, rp.sme_awareness);
        const std::uint64_t stream = p.geo->regions()[r].stream;
        for (int i = 0; i < rp.initial_ses; ++i)
            add_se(p, rng, s, r, ids::se_initial(stream, i), 0, true);
    }

    Smes& m = s.sme;
    m.region_begin.assign(static_cast<std::size_t>(R) + 1, 0);
    m.index.assign(static_cast<std::size_t>(R), Smes::Index{});
    std::size_t total = 0;
    for (int r = 0; r < R; ++r) total += static_cast<std::size_t>(p.region[r].smes);
    m.reserve(total);
    for (int r = 0; r < R; ++r) {
        m.region_begin[r] = m.count();
        RegionState& rs = s.region[r];
        const std::uint64_t stream = p.geo->regions()[r].stream;
        for (int i = 0; i < p.region[r].smes; ++i) {
            // One Philox block gives size, CSR orientation and the two thresholds.
            const auto w = rng.raw(ids::sme(stream, i), -1, Purpose::sme_init);
            const double u_size = Rng::to_open01(w[0]);
            const double u_csr = Rng::to_open01(w[1]);
            const double e_aware = -std::log(Rng::to_open01(w[2]));
            const double e_partner = -std::log(Rng::to_open01(w[3]));
            const SizeClass size = u_size < p.g.sme_share_medium ? SizeClass::medium
                                   : u_size < p.g.sme_share_medium + p.g.sme_share_small
                                       ? SizeClass::small
                                       : SizeClass::micro;
            const bool csr = u_csr < p.g.csr_share;
            const double thr = e_aware / (csr ? p.g.csr_awareness_factor : 1.0);
            const bool aware = thr <= rs.sme_hazard;
            Smes::Row row;
            row.size_class = size;
            row.csr = csr ? 1 : 0;
            row.aware = aware ? 1 : 0;
            row.aware_threshold = thr;
            row.partner_threshold = e_partner / partner_size_factor(p, size);
            const auto j = static_cast<std::uint32_t>(m.add(row));
            Smes::Index& ix = m.index[r];
            if (aware) {
                ++rs.smes_aware;
                rs.aware_spend += sme_spend(p, size);
                if (csr) ix.searching.emplace_back(m.partner_threshold[j], j);
            } else {
                ix.unaware_by_threshold.push_back(j);
            }
        }
        Smes::Index& ix = m.index[r];
        sort_by_threshold(ix.unaware_by_threshold, m.aware_threshold);
        // The list never grows again: without the slack of push_back it costs 4 bytes an SME.
        ix.unaware_by_threshold.shrink_to_fit();
        std::make_heap(ix.searching.begin(), ix.searching.end(), std::greater<>{});
    }
    m.region_begin[static_cast<std::size_t>(R)] = m.count();

    for (int b = 0; b < p.buyers(); ++b) s.buyer[b].adoption = p.buyer[b].adoption;

    // A start consistent with its year: the partnerships and public contracts running then,
    // and the SEs' revenue history and cash from the month they are in.
    initial_partnerships(p, rng, s);
    tender_history(p, rng, s);
    SocialEnterprises& se = s.se;
    for (std::size_t k = 0; k < s.contracts.size(); ++k)
        if (s.contracts.supplier[k] >= 0)
            se.rev_government[s.contracts.supplier[k]] += s.contracts.monthly[k];
    // The SEs present at the start share the private demand of the start: their sizes (drawn
    // from the size distribution) are scaled by one common factor so that private demand is
    // initial_utilisation of their capacity for it, and each is at the size its market
    // supports with the visibility it has at the start (partners and contracts included), plus
    // the staff its running public contracts need. So the start is a state the processes keep,
    // not one they first correct.
    private_demand(p, s);  // visibility and total private demand at the start
    std::vector<double> demand(static_cast<std::size_t>(R), 0.0);
    std::vector<double> capacity(static_cast<std::size_t>(R), 0.0);
    for (std::size_t i = 0; i < se.size(); ++i) {
        demand[se.region[i]] += se.demand_business[i] + se.demand_consumer[i];
        capacity[se.region[i]] += se_capacity(p, se, i);
    }
    for (std::size_t i = 0; i < se.size(); ++i) {
        const int r = se.region[i];
        const double k = capacity[r] > 0 ? demand[r] / (p.g.initial_utilisation * capacity[r]) : 1;
        const double per_fte = se_capacity(p, se, i) / se.fte[i];
        const double fte = std::clamp(se.fte[i] * k, p.g.min_fte, p.g.market_fte_max);
        set_market(p, se, i, fte);
        const double contract_fte = se.committed[i] / per_fte;
        se.fte[i] = fte + contract_fte;
        se.target_fte[i] = se.fte[i] * mission_target_share(p, se.mission[i]);
    }
    private_demand(p, s);
    for (std::size_t i = 0; i < se.size(); ++i) {
        const SeAccounts a = se_accounts(p, se, i);
        se.revenue_avg[i] = a.revenue;
        se.profit_avg[i] = a.revenue - a.costs;
        se.cash[i] = p.g.initial_cash_months * a.costs;
        se.rev_government[i] = 0;
        // A loss-making SE at the start has been losing for a while: it has spent its cash and
        // drawn a share of its credit line, uniform up to initial_credit_use, so that its
        // insolvency falls in the years its losses allow, as in a population that has run for
        // years (without it, no SE fails in the first year and the count jumps).
        if (a.revenue - a.costs < 0) {
            se.cash[i] = 0;
            se.credit[i] = p.g.initial_credit_use *
                           rng.uniform(se.id[i], -1, Purpose::init_credit) * credit_limit(p, se, i);
        }
    }
    s.flows.reset(R);
    assert(se.consistent() && m.consistent() && s.contracts.consistent());
}

}  // namespace sesim
