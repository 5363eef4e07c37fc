// Process 8: learning. Accelerator cohorts close part of the skill gap; the regional learning
// community (plus a meeting place) pulls skill toward the regional mean; partners transfer
// skill; inter-regional exchange blends the two regions' means.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/processes.hpp"

namespace sesim {

void learning(const Params& p, const Rng& rng, State& s) {
    SocialEnterprises& se = s.se;
    const Levers& L = s.levers;
    const int t = s.t;

    std::array<double, kRegions> mean{};
    std::array<int, kRegions> count{};
    for (std::size_t i = 0; i < se.size(); ++i) {
        if (!se.active(i)) continue;
        mean[se.region[i]] += se.skill[i];
        ++count[se.region[i]];
    }
    for (int r = 0; r < kRegions; ++r) mean[r] = count[r] > 0 ? mean[r] / count[r] : 0.0;
    std::array<double, kRegions> target{};
    for (int r = 0; r < kRegions; ++r)
        target[r] =
            count[r ^ 1] > 0 ? (1.0 - L.exchange) * mean[r] + L.exchange * mean[r ^ 1] : mean[r];

    // Accelerator cohorts start every accelerator_months, counted from accelerator_start.
    for (int r = 0; r < kRegions; ++r) {
        const RegionParams& rp = p.region[r];
        if (!L.accelerator[r]) continue;
        const int since = p.g.start_month + t - rp.accelerator_start;
        if (since % p.g.accelerator_months != 0) continue;
        // A cohort starts only if it finishes while the programme still runs (and pays).
        if (p.g.start_month + t + p.g.accelerator_months > rp.accelerator_end) continue;
        // Cohort: the SEs never accelerated before, in the order of a draw (an application
        // lottery), first accelerator_size of them.
        std::vector<std::pair<double, std::size_t>> cand;
        for (std::size_t i = 0; i < se.size(); ++i)
            if (se.active(i) && se.region[i] == r && se.accelerator_until[i] < 0)
                cand.emplace_back(rng.uniform(se.id[i], t, Purpose::accelerator_pick), i);
        std::sort(cand.begin(), cand.end());
        const std::size_t n = std::min(cand.size(), static_cast<std::size_t>(rp.accelerator_size));
        for (std::size_t q = 0; q < n; ++q)
            se.accelerator_until[cand[q].second] = t + p.g.accelerator_months;
    }
    // Places in running cohorts: what the accelerator costs this month, and what raises the
    // founding rate (process 10), both per place.
    for (std::size_t i = 0; i < se.size(); ++i)
        if (se.active(i) && se.accelerator_until[i] > t)
            ++s.levers.accelerator_places[se.region[i]];
    for (int r = 0; r < kRegions; ++r)
        s.levers.programme_cost += s.levers.accelerator_places[r] * p.region[r].accelerator_cost;
    // Monthly rate that closes `accelerator_gain` of the gap over a whole cohort.
    const double accel_rate =
        1.0 - std::pow(1.0 - p.g.accelerator_gain, 1.0 / p.g.accelerator_months);

    for (std::size_t i = 0; i < se.size(); ++i) {
        if (!se.active(i)) continue;
        const int r = se.region[i];
        double sk = se.skill[i];
        // What was learned above the founding skill depreciates first (then this month's
        // learning adds), so that the skill of an SE that keeps learning settles where its
        // learning and the depreciation balance, and the mean skill of the population holds
        // still when its partnerships and programmes do.
        sk -= p.g.skill_depreciation * std::max(0.0, sk - se.skill_base[i]);
        if (se.accelerator_until[i] > t) sk += accel_rate * (1.0 - sk);
        // Exchange opens the other region's community (its tools, mentors, meetings) to this
        // one: a region gains part of any advantage the other has, and loses nothing.
        const double own = p.region[r].community + L.meeting_place[r];
        const double other = p.region[r ^ 1].community + L.meeting_place[r ^ 1];
        const double community = own + L.exchange * std::max(0.0, other - own);
        // The pull never overshoots the target, whatever the community strength.
        if (target[r] > sk) sk += std::min(1.0, p.g.spillover * community) * (target[r] - sk);
        if (se.partners[i] > 0) sk += p.g.partner_skill * (1.0 - sk);
        se.skill[i] = std::min(sk, 1.0);
    }
}

}  // namespace sesim
