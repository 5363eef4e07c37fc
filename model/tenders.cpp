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

void AwardScratch::prepare(const Params& p, const State& s) {
    const SocialEnterprises& se = s.se;
    const std::size_t n_slots = se.size();
    bid_chance.assign(n_slots, 0.0);
    bid_reference.assign(n_slots, 0.0);
    capacity_limit.resize(n_slots);
    liquidity.resize(n_slots);
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
    for (std::size_t i = 0; i < n_slots; ++i) {
        // In the history before the start only the SEs founded by then bid.
        if (!se.active(i) || se.founded[i] > s.t) continue;
        capacity_limit[i] = se_capacity(p, se, i) * (1.0 + p.g.capacity_headroom);
        liquidity[i] = se.cash[i] + credit_limit(p, se, i) - se.credit[i];
        // An SE makes se_bid_rate x skill bids a year, spread over the tenders of its sector
        // and region: the chance per tender does not depend on how many tenders there are.
        const double n =
            tenders_a_year[static_cast<std::size_t>(se.region[i]) * kSectors + se.sector[i]];
        bid_chance[i] = n > 0 ? std::min(1.0, p.g.se_bid_rate * se.skill[i] / n) : 0.0;
        // Skill is at most 1 (demography, learning), so the chance is at most this.
        bid_reference[i] = n > 0 ? std::min(1.0, p.g.se_bid_rate / n) : 0.0;
    }
}

void AwardScratch::choose(const Params& p, const Rng& rng, const State& s,
                          const std::vector<Tender>& tenders) {
    const SocialEnterprises& se = s.se;
    const auto n_tenders = static_cast<std::uint32_t>(tenders.size());
    const auto list_of = [](int buyer, int sector) {
        return static_cast<std::size_t>(buyer) * kSectors + static_cast<std::size_t>(sector);
    };
    // The tenders of each (buyer, sector) in the order of their index (counting sorts): first
    // each buyer's tenders by index (tender k of buyer b is its index-th), then into the lists.
    const std::size_t lists = static_cast<std::size_t>(p.buyers()) * kSectors;
    order.assign(static_cast<std::size_t>(p.buyers()) + 1, 0);
    tender_begin.assign(lists + 1, 0);
    for (const Tender& td : tenders) {
        ++order[static_cast<std::size_t>(td.buyer) + 1];
        ++tender_begin[list_of(td.buyer, td.sector) + 1];
    }
    for (std::size_t b = 0; b + 1 < order.size(); ++b) order[b + 1] += order[b];
    for (std::size_t l = 0; l < lists; ++l) tender_begin[l + 1] += tender_begin[l];
    by_index.resize(n_tenders);
    for (std::uint32_t k = 0; k < n_tenders; ++k)
        by_index[order[tenders[k].buyer] + static_cast<std::uint32_t>(tenders[k].index)] = k;
    fill.assign(tender_begin.begin(), tender_begin.end() - 1);
    tender_at.resize(n_tenders);
    for (const std::uint32_t k : by_index)
        tender_at[fill[list_of(tenders[k].buyer, tenders[k].sector)]++] = k;
    // Each SE's choices among the tenders of its sector of every buyer serving its region:
    // chosen tender j of the SE's m is the j-th of the buyers' lists laid end to end.
    picks.clear();
    for (std::size_t i = 0; i < se.size(); ++i) {
        if (bid_chance[i] <= 0) continue;
        const auto& buyers = p.geo->buyers_serving(se.region[i]);
        std::uint32_t m = 0;
        for (const int b : buyers) {
            const std::size_t l = list_of(b, se.sector[i]);
            m += tender_begin[l + 1] - tender_begin[l];
        }
        std::size_t seg = 0;       // the buyer of the chosen tender, in `buyers`
        std::uint32_t before = 0;  // tenders of the buyers before it
        bid_choices(rng, se.id[i], s.t, bid_chance[i], bid_reference[i], m, [&](std::uint32_t j) {
            for (;; ++seg) {
                const std::size_t l = list_of(buyers[seg], se.sector[i]);
                const std::uint32_t n = tender_begin[l + 1] - tender_begin[l];
                if (j < before + n) {
                    picks.emplace_back(tender_at[tender_begin[l] + j - before],
                                       static_cast<std::uint32_t>(i));
                    return;
                }
                before += n;
            }
        });
    }
    // The choosers of each tender, slots ascending (the picks are made in slot order).
    chooser_begin.assign(static_cast<std::size_t>(n_tenders) + 1, 0);
    for (const auto& pick : picks) ++chooser_begin[pick.first + 1];
    for (std::uint32_t k = 0; k < n_tenders; ++k) chooser_begin[k + 1] += chooser_begin[k];
    fill.assign(chooser_begin.begin(), chooser_begin.end() - 1);
    chooser.resize(picks.size());
    for (const auto& [k, i] : picks) chooser[fill[k]++] = i;
}

namespace {

// award_tender on the SEs x.selected[0 .. x.n_selected).
int award(const Params& p, const Rng& rng, State& s, const Tender& td, AwardScratch& x) {
    SocialEnterprises& se = s.se;
    const Levers& L = s.levers;
    const int t = s.t;
    const double monthly = td.value / td.months;
    const double w_social = td.practice ? L.social_weight[td.buyer] : 0.0;
    const double w_price = td.ric ? p.g.ric_price_weight : p.g.price_weight;
    const double cost = td.ric ? p.g.ric_bid_cost : p.g.bid_cost;

    // SE bids: of the SEs that chose the tender (whether to bid at all rises with skill, see
    // bid_choices), those with capacity for the contract (with growth headroom), a track
    // record where asked, the qualifying workforce for a reserved tender, and the means to pay
    // for the bid. The choice is made once per tender, so a reserved tender re-opened goes to
    // the same SEs. Each SE appears once, so no bid placed here changes another's conditions.
    const auto collect_se_bids = [&](bool reserved) {
        const bool needs_record = !td.ric && !reserved && td.value >= p.g.track_record_value;
        for (std::size_t q = 0; q < x.n_selected; ++q) {
            const std::uint32_t i = x.selected[q];
            if (needs_record && se.contracts_won[i] == 0) continue;
            if (reserved && se.target_share(i) < p.g.reserved_target_share) continue;
            if (se.committed[i] + monthly > x.capacity_limit[i]) continue;
            if (x.liquidity[i] - se.bid_costs[i] < cost) continue;
            se.bid_costs[i] += cost;
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
                 const std::vector<std::uint32_t>& chosen, AwardScratch& x) {
    x.selected = chosen.data();
    x.n_selected = chosen.size();
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
    // Tenders count in the buyer's regions by population share (per buyer, not per tender: a
    // province's area has dozens of regions).
    {
        int k = 0;
        for (int b = 0; b < p.buyers(); ++b) {
            int n = 0;
            for (; k < static_cast<int>(tenders.size()) && tenders[k].buyer == b; ++k) ++n;
            if (n > 0)
                for (const auto& [r, share] : s.buyer_area[b]) s.flows.tenders[r] += share * n;
        }
    }

    // Award in a fixed order, largest first (ties by id), so capacity taken by one award is
    // seen by the next: the allocation is deterministic and independent of any schedule.
    std::sort(tenders.begin(), tenders.end(), [](const Tender& a, const Tender& b) {
        return a.value != b.value ? a.value > b.value : a.id < b.id;
    });
    // Each SE chooses its tenders among those of its sector open to it (exits happen later in
    // the month, so the choices hold for every tender of this month); a buyer serving several
    // regions (a province) takes bids from the SEs of all of them.
    // Buffers only: prepare() and choose() reset everything a month reads, so reusing them per
    // thread keeps runs independent while saving allocations per month.
    thread_local AwardScratch scratch;
    scratch.prepare(p, s);
    scratch.choose(p, rng, s, tenders);
    for (std::size_t k = 0; k < tenders.size(); ++k) {
        const Tender& td = tenders[k];
        scratch.selected = scratch.chooser.data() + scratch.chooser_begin[k];
        scratch.n_selected = scratch.chooser_begin[k + 1] - scratch.chooser_begin[k];
        const int sup = award(p, rng, s, td, scratch);
        const double monthly = td.value / td.months;
        double sr = 0;
        if (sup >= 0) {
            se.committed[sup] += monthly;
            ++se.contracts_won[sup];
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
    thread_local std::vector<double> paid;  // by buyer, EUR this month
    paid.assign(static_cast<std::size_t>(p.buyers()), 0.0);
    for (std::size_t k = 0; k < c.size(); ++k) {
        paid[c.buyer[k]] += c.monthly[k];
        if (c.supplier[k] >= 0) {
            const int r = s.se.region[c.supplier[k]];
            f.buyer_paid_se[r] += c.monthly[k];
            f.price_premium[r] +=
                c.monthly[k] * p.g.se_price_premium / (1.0 + p.g.se_price_premium);
        }
    }
    for (int b = 0; b < p.buyers(); ++b)
        for (const auto& [r, share] : s.buyer_area[b]) f.buyer_paid_total[r] += share * paid[b];
}

}  // namespace sesim
