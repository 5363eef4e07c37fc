// Process 3: public tenders. Buyers publish tenders from their budgets; each tender is awarded
// by a scored, capacity-constrained allocation resolved in a fixed order; running contracts
// are paid. The same publication and award, run over the months before the start, give the
// contracts that are running at the start (tender_history).
#include <algorithm>
#include <cassert>
#include <cmath>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "model/processes.hpp"

namespace sesim {

namespace {

int tender_sector(const Params& p, double u) {
    return pick_sector(p.g.tender_share_facility, p.g.tender_share_circular,
                       p.g.tender_share_services, u);
}

double sector_share(const Params& p, int sector) {
    switch (sector) {
        case 0:
            return p.g.tender_share_facility;
        case 1:
            return p.g.tender_share_circular;
        case 2:
            return p.g.tender_share_services;
        default:
            return 1.0 - p.g.tender_share_facility - p.g.tender_share_circular -
                   p.g.tender_share_services;
    }
}

double u32(std::uint32_t x) {
    return Rng::to_open01(x);
}

}  // namespace

std::vector<std::pair<int, double>> buyer_area(const Params& p, int b) {
    const auto& serves = p.geo->buyers()[b].serves;
    double population = 0;
    for (const int r : serves) population += p.region[r].population;
    std::vector<std::pair<int, double>> out;
    out.reserve(serves.size());
    for (const int r : serves) out.emplace_back(r, p.region[r].population / population);
    return out;
}

double region_budget(const Params& p, int r) {
    // Each buyer's budget counts in its regions by their shares of its served population.
    double budget = 0;
    for (const int b : p.geo->buyers_serving(r)) {
        const auto& serves = p.geo->buyers()[b].serves;
        if (serves.size() == 1) {
            budget += p.buyer[b].budget;
            continue;
        }
        double population = 0;
        for (const int q : serves) population += p.region[q].population;
        budget += p.buyer[b].budget * p.region[r].population / population;
    }
    return budget;
}

double social_score(const Params& p, Mission m) {
    switch (m) {
        case Mission::labour:
            return p.g.social_score_labour;
        case Mission::circular:
            return p.g.social_score_circular;
        case Mission::other:
            return p.g.social_score_other;
    }
    return p.g.social_score_other;
}

double expected_tenders_per_year(const Params& p, int r, int sector) {
    // Every tender of every buyer serving the region is open to its SEs.
    double budget = 0;
    for (const int b : p.geo->buyers_serving(r)) budget += p.buyer[b].budget;
    return budget * sector_share(p, sector) / p.g.tender_mean_value;
}

double mean_regular_bidders(const Params& p, int b) {
    // The firms and the public budget of the buyer's area: competition per tender follows the
    // supplier firms per tender there, whatever the area's size.
    double firms = 0;
    double budget = 0;
    for (const int r : p.geo->buyers()[b].serves) {
        firms += p.region[r].smes;
        budget += region_budget(p, r);
    }
    if (budget <= 0) return 1.0;
    const double m =
        p.g.regular_bid_rate * firms * p.g.supplier_share * p.g.tender_mean_value / budget;
    return std::max(1.0, m);
}

std::vector<Tender> publish_tenders(const Params& p, const Rng& rng, const State& s) {
    std::vector<Tender> tenders;
    const Levers& L = s.levers;
    const int t = s.t;
    const double sigma = p.g.tender_value_sigma;
    // Lognormal location such that the mean value is tender_mean_value.
    const double mu = std::log(p.g.tender_mean_value) - 0.5 * sigma * sigma;
    for (int b = 0; b < p.buyers(); ++b) {
        {
            const std::uint64_t stream = p.geo->buyers()[b].stream;
            // Tenders arrive as a Poisson stream whose expected value spends the budget.
            const double monthly_budget = p.buyer[b].budget / kMonthsPerYear;
            const int n = rng.poisson(monthly_budget / p.g.tender_mean_value, ids::buyer(stream), t,
                                      Purpose::tender_count);
            for (int j = 0; j < n; ++j) {
                Tender td{};
                td.id = ids::tender(stream, t, j);
                td.buyer = b;
                td.index = j;
                td.buyer_stream = stream;
                // Two Philox blocks for the tender's draws (32-bit resolution suffices for
                // these choices; the value's normal comes from two of them by Box-Muller).
                const auto w = rng.raw(td.id, t, Purpose::tender_sector);
                const auto v = rng.raw(td.id, t, Purpose::tender_value);
                td.sector = tender_sector(p, u32(w[0]));
                const double z =
                    std::sqrt(-2.0 * std::log(u32(v[0]))) * std::cos(6.283185307179586 * u32(v[1]));
                td.value = std::exp(mu + sigma * z);
                const int span = p.g.tender_max_months - p.g.tender_min_months + 1;
                td.months =
                    p.g.tender_min_months + std::min(span - 1, static_cast<int>(u32(w[1]) * span));
                td.reserved = u32(w[2]) < L.setaside[b];
                td.ric = !td.reserved && u32(w[3]) < L.ric[b];
                td.practice = u32(v[2]) < s.buyer[b].adoption;
                tenders.push_back(td);
            }
        }
    }
    return tenders;
}

double AwardScratch::bid_uniform(const Rng& rng, std::uint64_t id, int t, const Tender& td) {
    const auto block = static_cast<std::uint32_t>(td.index / 4);
    return u32(rng.raw(ids::se_bid(id, td.buyer_stream), t, Purpose::se_bid,
                       block)[static_cast<std::size_t>(td.index % 4)]);
}

namespace {

constexpr std::uint64_t kBidTag = std::uint64_t{7} << 56;  // the tag of ids::se_bid

// Word `word` of the Philox4x32-10 blocks (mix64(stream ^ key[q]), t, se_bid, index) for q < n,
// i.e. of AwardScratch::bid_uniform for n SEs at once. A national month has hundreds of
// thousands of these blocks, one per SE and tender it may bid on; evaluated one at a time they
// were half of the run time. The AVX2 path is the arithmetic of r123::Philox4x32 (Random123
// philox.h: round, key bump, 10 rounds) on eight blocks at once; it is integer arithmetic, so it
// gives the same bits as the scalar path, which serves CPUs without AVX2.
struct BidDraws {
    const std::uint64_t* key;
    std::size_t n;
    std::uint64_t stream;
    std::uint32_t month, index, word;
    r123::Philox4x32::key_type seed;
};

void bid_words_scalar(const BidDraws& d, std::uint32_t* out) {
    const r123::Philox4x32 philox;
    const std::uint32_t c3 = (static_cast<std::uint32_t>(Purpose::se_bid) << 20) ^ d.index;
    for (std::size_t q = 0; q < d.n; ++q) {
        const std::uint64_t e = mix64(d.stream ^ d.key[q]);
        const r123::Philox4x32::ctr_type ctr{
            {static_cast<std::uint32_t>(e), static_cast<std::uint32_t>(e >> 32), d.month, c3}};
        out[q] = philox(ctr, d.seed)[d.word];
    }
}

#if defined(__x86_64__)
// 32 x 32 -> 64-bit products of the eight lanes of x with m: low and high halves per lane.
__attribute__((target("avx2"))) inline void mulhilo8(__m256i x, __m256i m, __m256i& lo,
                                                     __m256i& hi) {
    const __m256i even = _mm256_mul_epu32(x, m);                        // lanes 0, 2, 4, 6
    const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);  // lanes 1, 3, 5, 7
    lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

__attribute__((target("avx2"))) void bid_words_avx2(const BidDraws& d, std::uint32_t* out) {
    constexpr std::size_t kLanes = 8;
    const std::uint32_t c3 = (static_cast<std::uint32_t>(Purpose::se_bid) << 20) ^ d.index;
    const __m256i m0 = _mm256_set1_epi32(static_cast<int>(0xD2511F53U));
    const __m256i m1 = _mm256_set1_epi32(static_cast<int>(0xCD9E8D57U));
    alignas(32) std::uint32_t lo32[kLanes], hi32[kLanes], w[4][kLanes];
    for (std::size_t base = 0; base < d.n; base += kLanes) {
        const std::size_t m = std::min(kLanes, d.n - base);
        for (std::size_t l = 0; l < kLanes; ++l) {
            const std::uint64_t e = mix64(d.stream ^ d.key[base + (l < m ? l : 0)]);
            lo32[l] = static_cast<std::uint32_t>(e);
            hi32[l] = static_cast<std::uint32_t>(e >> 32);
        }
        __m256i x0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(lo32));
        __m256i x1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(hi32));
        __m256i x2 = _mm256_set1_epi32(static_cast<int>(d.month));
        __m256i x3 = _mm256_set1_epi32(static_cast<int>(c3));
        std::uint32_t k0 = d.seed[0];
        std::uint32_t k1 = d.seed[1];
        for (int r = 0; r < 10; ++r) {
            __m256i lo0, hi0, lo1, hi1;
            mulhilo8(x0, m0, lo0, hi0);
            mulhilo8(x2, m1, lo1, hi1);
            x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1),
                                  _mm256_set1_epi32(static_cast<int>(k0)));
            x1 = lo1;
            x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3),
                                  _mm256_set1_epi32(static_cast<int>(k1)));
            x3 = lo0;
            k0 += 0x9E3779B9U;
            k1 += 0xBB67AE85U;
        }
        _mm256_store_si256(reinterpret_cast<__m256i*>(w[0]), x0);
        _mm256_store_si256(reinterpret_cast<__m256i*>(w[1]), x1);
        _mm256_store_si256(reinterpret_cast<__m256i*>(w[2]), x2);
        _mm256_store_si256(reinterpret_cast<__m256i*>(w[3]), x3);
        for (std::size_t l = 0; l < m; ++l) out[base + l] = w[d.word][l];
    }
}
#endif

void bid_words(const BidDraws& d, std::uint32_t* out) {
#if defined(__x86_64__)
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2) return bid_words_avx2(d, out);
#endif
    bid_words_scalar(d, out);
}

}  // namespace

void AwardScratch::prepare(const Params& p, const State& s) {
    const SocialEnterprises& se = s.se;
    // The slots grow by the month's entrants: reserving with room keeps assign() from
    // reallocating (and the kernel from supplying fresh pages) every month.
    const std::size_t n_slots = se.size();
    if (bidder.capacity() < n_slots) {
        for (auto* v : {&bid_chance}) v->reserve(2 * n_slots);
        bidder.reserve(2 * n_slots);
        bidder_flags.reserve(2 * n_slots);
        position.reserve(2 * n_slots);
        slot_at.reserve(2 * n_slots);
        key_at.reserve(2 * n_slots);
    }
    bid_chance.assign(n_slots, 0.0);
    bidder.assign(n_slots, Bidder{});
    bidder_flags.assign(n_slots, 0);
    position.resize(n_slots);
    slot_at.resize(n_slots);
    key_at.resize(n_slots);
    // Positions by (region, sector, slot) for the SEs that may bid this month, after them the
    // others (a counting sort).
    const std::size_t groups = static_cast<std::size_t>(p.regions()) * kSectors;
    const auto group = [&](std::size_t i) {
        return se.active(i) && se.founded[i] <= s.t
                   ? static_cast<std::size_t>(se.region[i]) * kSectors + se.sector[i]
                   : groups;
    };
    group_end.assign(groups + 2, 0);
    for (std::size_t i = 0; i < n_slots; ++i) ++group_end[group(i) + 1];
    for (std::size_t g = 0; g <= groups; ++g) group_end[g + 1] += group_end[g];
    // Placing advances each group's start to its end.
    for (std::size_t i = 0; i < n_slots; ++i) {
        position[i] = group_end[group(i)]++;
        slot_at[position[i]] = static_cast<std::uint32_t>(i);
    }
    // Tenders a year and regular bidders depend on the parameters only, but cost a pass over
    // every buyer's regions and their buyers (a second per national month): recomputed only
    // when what they are computed from differs from the last month's (a new run or a test).
    run_inputs_now.clear();
    run_inputs_now.push_back(static_cast<double>(reinterpret_cast<std::uintptr_t>(p.geo.get())));
    for (const double x :
         {p.g.tender_mean_value, p.g.tender_share_facility, p.g.tender_share_circular,
          p.g.tender_share_services, p.g.regular_bid_rate, p.g.supplier_share})
        run_inputs_now.push_back(x);
    for (const RegionParams& rp : p.region) {
        run_inputs_now.push_back(rp.population);
        run_inputs_now.push_back(rp.smes);
    }
    for (int b = 0; b < p.buyers(); ++b) {
        run_inputs_now.push_back(p.buyer[b].budget);
        const auto& serves = p.geo->buyers()[b].serves;
        run_inputs_now.push_back(static_cast<double>(serves.size()));
        for (const int r : serves) run_inputs_now.push_back(r);
    }
    if (run_inputs_now != run_inputs) {
        run_inputs.swap(run_inputs_now);
        tenders_a_year.resize(static_cast<std::size_t>(p.regions()) * kSectors);
        for (int r = 0; r < p.regions(); ++r)
            for (int c = 0; c < kSectors; ++c)
                tenders_a_year[static_cast<std::size_t>(r) * kSectors + c] =
                    expected_tenders_per_year(p, r, c);
        regular_bidders.resize(static_cast<std::size_t>(p.buyers()));
        for (int b = 0; b < p.buyers(); ++b) regular_bidders[b] = mean_regular_bidders(p, b);
    }
    for (std::size_t i = 0; i < se.size(); ++i) {
        if (!se.active(i) || se.founded[i] > s.t) continue;
        Bidder& b = bidder[position[i]];
        b.capacity_limit = se_capacity(p, se, i) * (1.0 + p.g.capacity_headroom);
        b.liquidity = se.cash[i] + credit_limit(p, se, i) - se.credit[i];
        // An SE makes se_bid_rate x skill bids a year, spread over the tenders of its sector
        // and region: the chance per tender does not depend on how many tenders there are.
        const double n =
            tenders_a_year[static_cast<std::size_t>(se.region[i]) * kSectors + se.sector[i]];
        bid_chance[i] = n > 0 ? std::min(1.0, p.g.se_bid_rate * se.skill[i] / n) : 0.0;
        b.committed = se.committed[i];
        b.bid_costs = se.bid_costs[i];
        key_at[position[i]] = mix64(kBidTag | se.id[i]);
        bidder_flags[position[i]] = static_cast<std::uint8_t>(
            (bid_chance[i] > 0 ? kMayBid : 0) | (se.contracts_won[i] > 0 ? kHasRecord : 0) |
            (se.target_share(i) >= p.g.reserved_target_share ? kQualifiesReserved : 0));
    }
}

namespace {

// award_tender on the candidates x.runs.
int award(const Params& p, const Rng& rng, State& s, const Tender& td, AwardScratch& x) {
    SocialEnterprises& se = s.se;
    const Levers& L = s.levers;
    const int t = s.t;
    const double monthly = td.value / td.months;
    const double w_social = td.practice ? L.social_weight[td.buyer] : 0.0;
    const double w_price = td.ric ? p.g.ric_price_weight : p.g.price_weight;
    const double cost = td.ric ? p.g.ric_bid_cost : p.g.bid_cost;

    // SE bids: capacity for the contract (with growth headroom), a track record where asked,
    // the qualifying workforce for a reserved tender, and the means to pay for the bid.
    // Whether it bids at all rises with skill; an SE decides once per tender (one draw), also
    // when a reserved tender is re-opened.
    // The conditions are checked first and the draws of those that pass made together; each
    // SE appears once in `candidates`, so no bid placed here changes another's conditions.
    const auto collect_se_bids = [&](bool reserved) {
        const bool needs_record = !td.ric && !reserved && td.value >= p.g.track_record_value;
        // Without branches: which candidates pass is as good as random to the predictor.
        std::size_t total = 0;
        for (const auto& [first, last] : x.runs) total += last - first;
        x.eligible.resize(total);
        x.eligible_key.resize(total);
        std::size_t n = 0;
        const std::uint8_t need = static_cast<std::uint8_t>(
            AwardScratch::kMayBid | (needs_record ? AwardScratch::kHasRecord : 0) |
            (reserved ? AwardScratch::kQualifiesReserved : 0));
        for (const auto& [first, last] : x.runs)
            for (std::uint32_t at = first; at < last; ++at) {
                const AwardScratch::Bidder& b = x.bidder[at];
                const bool ok = ((x.bidder_flags[at] & need) == need) &
                                !(b.committed + monthly > b.capacity_limit) &
                                !(b.liquidity - b.bid_costs < cost);
                x.eligible[n] = x.slot_at[at];
                x.eligible_key[n] = x.key_at[at];
                n += ok ? 1 : 0;
            }
        x.eligible.resize(n);
        x.eligible_key.resize(n);
        x.words.resize(x.eligible.size());
        bid_words({x.eligible_key.data(), x.eligible.size(), td.buyer_stream,
                   static_cast<std::uint32_t>(t), static_cast<std::uint32_t>(td.index / 4),
                   static_cast<std::uint32_t>(td.index % 4), rng.key()},
                  x.words.data());
        for (std::size_t q = 0; q < x.eligible.size(); ++q) {
            const std::uint32_t i = x.eligible[q];
            assert(u32(x.words[q]) == AwardScratch::bid_uniform(rng, se.id[i], t, td));
            if (u32(x.words[q]) >= x.bid_chance[i]) continue;
            se.bid_costs[i] += cost;
            x.bidder[x.position[i]].bid_costs += cost;
            s.flows.bids_se[se.region[i]] += 1;
            x.bids.push_back({0.0, static_cast<int>(i)});
        }
    };
    x.bids.clear();
    collect_se_bids(td.reserved);
    bool open = !td.reserved;
    if (!open && x.bids.empty()) {
        // A reserved tender that no qualifying SE bid on is re-tendered openly the same month.
        open = true;
        collect_se_bids(false);
    }
    if (open) {
        // An open tender (not reserved, RIC or not) draws regular bidders: competition per
        // tender follows the supplier firms per tender of the buyer's region.
        const int n_regular =
            1 + rng.poisson(x.regular_bidders[td.buyer] - 1.0, td.id, t, Purpose::regular_bidders);
        for (int j = 0; j < n_regular; ++j) x.bids.push_back({0.0, -1 - j});
    }
    // Prices relative to the market price: SEs ask a premium; regular bids scatter uniformly
    // within +-regular_price_spread of it.
    const std::size_t n = x.bids.size();
    x.price.resize(n);
    x.quality.resize(n);
    x.social.resize(n);
    for (std::size_t q = 0; q < n; ++q) {
        const int sup = x.bids[q].supplier;
        if (sup >= 0) {
            x.price[q] = 1.0 + p.g.se_price_premium;
            x.quality[q] = p.g.se_quality_base + (1.0 - p.g.se_quality_base) * se.skill[sup];
            x.social[q] = social_score(p, se.mission[sup]);
        } else {
            // Regular bidders 2m and 2m + 1 share Philox block m, two words each.
            const auto j = static_cast<std::uint32_t>(-1 - sup);
            const auto w = rng.raw(td.id, t, Purpose::regular_bid, j / 2);
            const std::uint32_t lane = 2 * (j % 2);
            const double centred = 2.0 * u32(w[lane]) - 1.0;  // uniform on (-1, 1)
            x.price[q] = 1.0 + p.g.regular_price_spread * centred;
            x.quality[q] = std::clamp(
                p.g.regular_quality_mean + p.g.regular_quality_spread * (u32(w[lane + 1]) - 0.5),
                0.0, 1.0);
            x.social[q] = p.g.regular_social_score;
        }
        // Rapid Impact Contracting awards on ambition and expertise: social ambition enters the
        // quality score, price hardly counts (ric_price_weight).
        if (td.ric)
            x.quality[q] =
                (1.0 - p.g.ric_social_blend) * x.quality[q] + p.g.ric_social_blend * x.social[q];
    }
    const double best_price = *std::min_element(x.price.begin(), x.price.end());
    for (std::size_t q = 0; q < n; ++q) {
        const double bpqr = w_price * best_price / x.price[q] + (1.0 - w_price) * x.quality[q];
        x.bids[q].score = (1.0 - w_social) * bpqr + w_social * x.social[q];
    }
    // Highest score wins; ties go to the SE with the lowest slot, then the first regular bid.
    const auto rank = [](const Bid& b) {
        return b.supplier >= 0 ? static_cast<long>(b.supplier) : (1L << 40) - b.supplier;
    };
    const auto win =
        std::max_element(x.bids.begin(), x.bids.end(), [&](const Bid& a, const Bid& b) {
            if (a.score != b.score) return a.score < b.score;
            return rank(a) > rank(b);
        });
    return win->supplier >= 0 ? win->supplier : kRegularWinner;
}

}  // namespace

int award_tender(const Params& p, const Rng& rng, State& s, const Tender& td,
                 const std::vector<std::uint32_t>& candidates, AwardScratch& x) {
    x.runs.clear();
    for (const std::uint32_t i : candidates) x.runs.emplace_back(x.position[i], x.position[i] + 1);
    return award(p, rng, s, td, x);
}

namespace {

// Contracts that ended free their supplier's capacity.
void end_contracts(State& s) {
    SocialEnterprises& se = s.se;
    Contracts& c = s.contracts;
    const int t = s.t;
    c.keep_rows([&](std::size_t k) {
        if (c.end[k] > t) return true;
        if (c.supplier[k] >= 0) se.committed[c.supplier[k]] -= c.monthly[k];
        return false;
    });
    for (std::size_t i = 0; i < se.size(); ++i) {
        se.bid_costs[i] = 0;
        if (se.committed[i] < 1e-6) se.committed[i] = 0;  // rounding residue of the subtraction
    }
}

// Publishes this month's tenders and awards them, adding the contracts.
void publish_and_award(const Params& p, const Rng& rng, State& s) {
    SocialEnterprises& se = s.se;
    Contracts& c = s.contracts;
    const Levers& L = s.levers;
    const int t = s.t;
    std::vector<Tender> tenders = publish_tenders(p, rng, s);
    for (const Tender& td : tenders)
        for (const auto& [r, share] : s.buyer_area[td.buyer]) s.flows.tenders[r] += share;

    // Award in a fixed order, largest first (ties by id), so capacity taken by one award is
    // seen by the next: the allocation is deterministic and independent of any schedule.
    std::sort(tenders.begin(), tenders.end(), [](const Tender& a, const Tender& b) {
        return a.value != b.value ? a.value > b.value : a.id < b.id;
    });
    // SEs that can bid, by region and sector (AwardScratch::prepare orders them so); exits
    // happen later in the month, so the groups hold for every tender of this month. In the
    // history before the start only the SEs founded by then bid. A buyer serving several
    // regions (a province) takes bids from the SEs of all of them, region by region.
    // Buffers only: prepare() resets everything a month reads, so reusing them per thread keeps
    // runs independent while saving allocations per month.
    thread_local AwardScratch scratch;
    scratch.prepare(p, s);
    const auto candidates_of = [&](const Tender& td) {
        scratch.runs.clear();
        for (const int r : p.geo->buyers()[td.buyer].serves) {
            const std::size_t g = static_cast<std::size_t>(r) * kSectors + td.sector;
            scratch.runs.emplace_back(g > 0 ? scratch.group_end[g - 1] : 0, scratch.group_end[g]);
        }
    };
    for (const Tender& td : tenders) {
        candidates_of(td);
        const int sup = award(p, rng, s, td, scratch);
        const double monthly = td.value / td.months;
        double sr = 0;
        if (sup >= 0) {
            se.committed[sup] += monthly;
            ++se.contracts_won[sup];
            scratch.won(static_cast<std::size_t>(sup), monthly);
            s.flows.tenders_se[se.region[sup]] += 1;
        } else if (td.practice && td.value >= p.buyer[td.buyer].social_return_threshold) {
            // Social return: the regular winner spends a share of the value on target-group
            // labour, part of it by buying from SEs (business revenue for them).
            sr = L.social_return[td.buyer] * monthly * p.g.social_return_se_share;
        }
        c.add({.tender = td.id,
               .buyer = td.buyer,
               .supplier = sup >= 0 ? sup : -1,
               .monthly = monthly,
               .social_return = sr,
               .end = t + td.months});
    }
}

}  // namespace

void tender_history(const Params& p, const Rng& rng, State& s) {
    // The tender_max_months before the start, with the SEs present then (those founded by each
    // month), the buyers' adoption of the start and the levers in force in each month (a lever
    // that starts before the start month acts in the history too). No payments or finance: the
    // history only decides which contracts run at the start.
    // SEs hire the staff their contracts need (as process 7 does after the start), so that the
    // history reaches the share of public work the processes keep.
    const int t0 = s.t;
    SocialEnterprises& se = s.se;
    std::vector<double> own_fte(se.fte);
    for (int t = -p.g.tender_max_months; t < 0; ++t) {
        s.t = t;
        interventions(p, s);
        end_contracts(s);
        publish_and_award(p, rng, s);
        for (std::size_t i = 0; i < se.size(); ++i) {
            const double per_fte = se_capacity(p, se, i) / se.fte[i];
            se.fte[i] = own_fte[i] + se.committed[i] / per_fte;
            se.target_fte[i] = se.fte[i] * mission_target_share(p, se.mission[i]);
        }
    }
    for (std::size_t i = 0; i < se.size(); ++i) {
        se.fte[i] = own_fte[i];
        se.target_fte[i] = own_fte[i] * mission_target_share(p, se.mission[i]);
    }
    s.t = t0;
    end_contracts(s);
    s.levers.reset(p.regions(), p.buyers());
    s.flows.reset(p.regions());
}

void public_tenders(const Params& p, const Rng& rng, State& s) {
    end_contracts(s);
    publish_and_award(p, rng, s);
    // Payments of this month, summed on the buyers' side (accounting checks them against what
    // the SEs book as government revenue in production_finance).
    // Payments to SEs count in the SE's region, all payments in the buyer's regions.
    const Contracts& c = s.contracts;
    MonthFlows& f = s.flows;
    for (std::size_t k = 0; k < c.size(); ++k) {
        for (const auto& [r, share] : s.buyer_area[c.buyer[k]])
            f.buyer_paid_total[r] += share * c.monthly[k];
        if (c.supplier[k] >= 0) {
            const int r = s.se.region[c.supplier[k]];
            f.buyer_paid_se[r] += c.monthly[k];
            f.price_premium[r] +=
                c.monthly[k] * p.g.se_price_premium / (1.0 + p.g.se_price_premium);
        }
    }
}

}  // namespace sesim
