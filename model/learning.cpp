// Process 8: learning. Accelerator cohorts close part of the skill gap; the regional learning
// community (plus a meeting place) pulls skill toward the regional mean; partners transfer
// skill; inter-regional exchange blends in the linked regions' means (weighted links).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/processes.hpp"

namespace sesim {

void learning(const Params& p, const Rng& rng, State& s) {
    SocialEnterprises& se = s.se;
    const Levers& L = s.levers;
    const int t = s.t;

    const int R = p.regions();
    const auto Rz = static_cast<std::size_t>(R);
    thread_local std::vector<double> mean, target, community;
    thread_local std::vector<int> count;
    mean.assign(Rz, 0.0);
    count.assign(Rz, 0);
    for (std::size_t i = 0; i < se.size(); ++i) {
        if (!se.active(i)) continue;
        mean[se.region[i]] += se.skill[i];
        ++count[se.region[i]];
    }
    for (int r = 0; r < R; ++r) mean[r] = count[r] > 0 ? mean[r] / count[r] : 0.0;
    // The skill the community pulls toward: the region's mean, blended under exchange with the
    // weighted mean of its linked regions that have SEs.
    target.assign(Rz, 0.0);
    for (int r = 0; r < R; ++r) {
        double other = 0, weight = 0;
        for (const auto& [j, w] : p.geo->neighbours(r))
            if (count[j] > 0) {
                other += w * mean[j];
                weight += w;
            }
        target[r] =
            weight > 0 ? (1.0 - L.exchange) * mean[r] + L.exchange * (other / weight) : mean[r];
    }
    // Exchange opens the linked regions' communities (their tools, mentors, meetings) to this
    // one: a region gains part of the advantage each has (weighted over its links), and loses
    // nothing.
    community.assign(Rz, 0.0);
    for (int r = 0; r < R; ++r) {
        const double own = p.region[r].community + L.meeting_place[r];
        double gain = 0;
        for (const auto& [j, w] : p.geo->neighbours(r))
            gain += w * std::max(0.0, p.region[j].community + L.meeting_place[j] - own);
        community[r] = own + L.exchange * gain;
    }

    // Accelerator cohorts start every accelerator_months, counted from accelerator_start.
    for (int r = 0; r < R; ++r) {
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
    for (int r = 0; r < R; ++r) {
        const double cost = s.levers.accelerator_places[r] * p.region[r].accelerator_cost;
        s.levers.programme_cost_region[r] += cost;
        s.levers.programme_cost += cost;
    }
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
        // The pull never overshoots the target, whatever the community strength.
        if (target[r] > sk) sk += std::min(1.0, p.g.spillover * community[r]) * (target[r] - sk);
        if (se.partners[i] > 0) sk += p.g.partner_skill * (1.0 - sk);
        se.skill[i] = std::min(sk, 1.0);
    }
}

}  // namespace sesim
