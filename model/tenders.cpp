// Process 3: public tenders. Buyers publish tenders from their budgets; each tender is awarded
// by a scored, capacity-constrained allocation resolved in a fixed order; running contracts
// are paid. The same publication and award, run over the months before the start, give the
// contracts that are running at the start (tender_history).
#include <algorithm>
#include <cmath>

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

double region_budget(const Params& p, int r) {
    double b = 0;
    for (int k = 0; k < kBuyerKinds; ++k) b += p.buyer[r][k].budget;
    return b;
}

}  // namespace

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
    return region_budget(p, r) * sector_share(p, sector) / p.g.tender_mean_value;
}

double mean_regular_bidders(const Params& p, int r) {
    const double budget = region_budget(p, r);
    if (budget <= 0) return 1.0;
    const double m = p.g.regular_bid_rate * p.region[r].smes * p.g.supplier_share *
                     p.g.tender_mean_value / budget;
    return std::max(1.0, m);
}

std::vector<Tender> publish_tenders(const Params& p, const Rng& rng, const State& s) {
    std::vector<Tender> tenders;
    const Levers& L = s.levers;
    const int t = s.t;
    const double sigma = p.g.tender_value_sigma;
    // Lognormal location such that the mean value is tender_mean_value.
    const double mu = std::log(p.g.tender_mean_value) - 0.5 * sigma * sigma;
    for (int r = 0; r < kRegions; ++r) {
        for (int k = 0; k < kBuyerKinds; ++k) {
            const int b = r * kBuyerKinds + k;
            // Tenders arrive as a Poisson stream whose expected value spends the budget.
            const double monthly_budget = p.buyer[r][k].budget / kMonthsPerYear;
            const int n = rng.poisson(monthly_budget / p.g.tender_mean_value, ids::buyer(r, k), t,
                                      Purpose::tender_count);
            for (int j = 0; j < n; ++j) {
                Tender td{};
                td.id = ids::tender(b, t, j);
                td.buyer = b;
                td.region = r;
                td.index = j;
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

double AwardScratch::bid_uniform(const Rng& rng, std::uint64_t id, std::size_t slot, int t,
                                 const Tender& td) {
    // The draw of SE `id` for tender k of buyer b is word k % 4 of the Philox block
    // (id, t, se_bid, b * 16384 + k / 4): a pure function of its key as every draw, but one
    // block serves four tenders. The cache keeps the last block per (SE, block mod 16).
    const auto block = static_cast<std::uint32_t>(td.buyer * 16384 + td.index / 4);
    const std::size_t c = slot * kBidCacheWays + (block % kBidCacheWays);
    if (bid_cache_key[c] != block + 1) {
        bid_cache[c] = rng.raw(id, t, Purpose::se_bid, block);
        bid_cache_key[c] = block + 1;
    }
    return u32(bid_cache[c][static_cast<std::size_t>(td.index % 4)]);
}

void AwardScratch::prepare(const Params& p, const State& s) {
    const SocialEnterprises& se = s.se;
    capacity_limit.assign(se.size(), 0.0);
    liquidity.assign(se.size(), 0.0);
    bid_chance.assign(se.size(), 0.0);
    bid_cache_key.assign(se.size() * kBidCacheWays, 0);  // 0: empty (keys are block + 1)
    bid_cache.resize(se.size() * kBidCacheWays);
    // NOLINTNEXTLINE(bugprone-implicit-widening-of-multiplication-result): two constants
    std::array<double, kRegions * kSectors> tenders_a_year{};
    for (int r = 0; r < kRegions; ++r)
        for (int c = 0; c < kSectors; ++c)
            tenders_a_year[r * kSectors + c] = expected_tenders_per_year(p, r, c);
    for (std::size_t i = 0; i < se.size(); ++i) {
        if (!se.active(i) || se.founded[i] > s.t) continue;
        capacity_limit[i] = se_capacity(p, se, i) * (1.0 + p.g.capacity_headroom);
        liquidity[i] = se.cash[i] + credit_limit(p, se, i) - se.credit[i];
        // An SE makes se_bid_rate x skill bids a year, spread over the tenders of its sector
        // and region: the chance per tender does not depend on how many tenders there are.
        const double n = tenders_a_year[se.region[i] * kSectors + se.sector[i]];
        bid_chance[i] = n > 0 ? std::min(1.0, p.g.se_bid_rate * se.skill[i] / n) : 0.0;
    }
}

int award_tender(const Params& p, const Rng& rng, State& s, const Tender& td,
                 const std::vector<std::uint32_t>& candidates, AwardScratch& x) {
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
    const auto collect_se_bids = [&](bool reserved) {
        const bool needs_record = !td.ric && !reserved && td.value >= p.g.track_record_value;
        for (const std::uint32_t i : candidates) {
            if (x.bid_chance[i] <= 0) continue;
            if (needs_record && se.contracts_won[i] == 0) continue;
            if (reserved && se.target_share(i) < p.g.reserved_target_share) continue;
            if (se.committed[i] + monthly > x.capacity_limit[i]) continue;
            if (x.liquidity[i] - se.bid_costs[i] < cost) continue;
            if (x.bid_uniform(rng, se.id[i], i, t, td) >= x.bid_chance[i]) continue;
            se.bid_costs[i] += cost;
            ++s.flows.bids_se;
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
        const int n_regular = 1 + rng.poisson(mean_regular_bidders(p, td.region) - 1.0, td.id, t,
                                              Purpose::regular_bidders);
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

namespace {

// Contracts that ended free their supplier's capacity.
void end_contracts(State& s) {
    SocialEnterprises& se = s.se;
    Contracts& c = s.contracts;
    const int t = s.t;
    std::size_t w = 0;
    for (std::size_t k = 0; k < c.size(); ++k) {
        if (c.end[k] <= t) {
            if (c.supplier[k] >= 0) se.committed[c.supplier[k]] -= c.monthly[k];
            continue;
        }
        c.tender[w] = c.tender[k];
        c.buyer[w] = c.buyer[k];
        c.supplier[w] = c.supplier[k];
        c.monthly[w] = c.monthly[k];
        c.social_return[w] = c.social_return[k];
        c.end[w] = c.end[k];
        ++w;
    }
    c.tender.resize(w);
    c.buyer.resize(w);
    c.supplier.resize(w);
    c.monthly.resize(w);
    c.social_return.resize(w);
    c.end.resize(w);
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
    s.flows.tenders += static_cast<int>(tenders.size());

    // Award in a fixed order, largest first (ties by id), so capacity taken by one award is
    // seen by the next: the allocation is deterministic and independent of any schedule.
    std::sort(tenders.begin(), tenders.end(), [](const Tender& a, const Tender& b) {
        return a.value != b.value ? a.value > b.value : a.id < b.id;
    });
    // SEs that can bid, by region and sector; exits happen later in the month, so the lists
    // hold for every tender of this month. In the history before the start only the SEs
    // founded by then bid.
    // NOLINTNEXTLINE(bugprone-implicit-widening-of-multiplication-result): two constants
    std::array<std::vector<std::uint32_t>, kRegions * kSectors> candidates;
    for (std::size_t i = 0; i < se.size(); ++i)
        if (se.active(i) && se.founded[i] <= t)
            candidates[se.region[i] * kSectors + se.sector[i]].push_back(
                static_cast<std::uint32_t>(i));

    // Buffers only: prepare() resets everything a month reads, so reusing them per thread keeps
    // runs independent while saving an allocation per month.
    thread_local AwardScratch scratch;
    scratch.prepare(p, s);
    for (const Tender& td : tenders) {
        const int sup =
            award_tender(p, rng, s, td, candidates[td.region * kSectors + td.sector], scratch);
        const double monthly = td.value / td.months;
        double sr = 0;
        if (sup >= 0) {
            se.committed[sup] += monthly;
            ++se.contracts_won[sup];
            ++s.flows.tenders_se;
        } else if (td.practice &&
                   td.value >= p.buyer[td.region][td.buyer % kBuyerKinds].social_return_threshold) {
            // Social return: the regular winner spends a share of the value on target-group
            // labour, part of it by buying from SEs (business revenue for them).
            sr = L.social_return[td.buyer] * monthly * p.g.social_return_se_share;
        }
        c.tender.push_back(td.id);
        c.buyer.push_back(static_cast<std::uint8_t>(td.buyer));
        c.supplier.push_back(sup >= 0 ? sup : -1);
        c.monthly.push_back(monthly);
        c.social_return.push_back(sr);
        c.end.push_back(t + td.months);
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
    s.levers = Levers{};
    s.flows = MonthFlows{};
}

void public_tenders(const Params& p, const Rng& rng, State& s) {
    end_contracts(s);
    publish_and_award(p, rng, s);
    // Payments of this month, summed on the buyers' side (accounting checks them against what
    // the SEs book as government revenue in production_finance).
    const Contracts& c = s.contracts;
    for (std::size_t k = 0; k < c.size(); ++k) {
        s.flows.buyer_paid_total += c.monthly[k];
        if (c.supplier[k] >= 0) {
            s.flows.buyer_paid_se += c.monthly[k];
            s.flows.price_premium +=
                c.monthly[k] * p.g.se_price_premium / (1.0 + p.g.se_price_premium);
        }
    }
}

}  // namespace sesim
