// Process 9: exit, on insolvency or by the age- and skill-dependent hazard, and the release of
// the partnerships and public contracts of the SEs that leave.
#include <algorithm>
#include <cmath>

#include "model/processes.hpp"

namespace sesim {

namespace {

// Ends the partnerships and public contracts of the SEs in `gone` (slots), all leaving in step
// s.t: one pass over each affected region's partnerships and one over the contracts, instead
// of one of each per SE (a national month has dozens of exits, 50,000 contracts and regions
// with thousands of partnerships). The outcome is that of releasing them one by one: each
// partnership and contract has one SE, and the searches restarted go into a heap that pops
// in (threshold, index) order whatever the order of pushing.
void release_ses(const Params& p, const Rng& rng, State& s,
                 const std::vector<std::uint32_t>& gone) {
    if (gone.empty()) return;
    SocialEnterprises& se = s.se;
    Smes& m = s.sme;
    thread_local std::vector<std::uint8_t> leaving, region_hit;
    leaving.assign(se.size(), 0);
    region_hit.assign(static_cast<std::size_t>(p.regions()), 0);
    for (const std::uint32_t i : gone) {
        leaving[i] = 1;
        if (se.partners[i] > 0) region_hit[se.region[i]] = 1;
    }
    for (int r = 0; r < p.regions(); ++r) {
        if (!region_hit[r]) continue;
        auto& partnered = m.index[r].partnered;
        std::size_t keep = 0;
        for (std::size_t q = 0; q < partnered.size(); ++q) {
            const std::uint32_t j = partnered[q];
            if (!leaving[static_cast<std::size_t>(m.partner[j])]) {
                partnered[keep++] = j;
                continue;
            }
            m.partner[j] = -1;
            ++m.search[j];
            start_partner_search(p, rng, s, r, j);
        }
        partnered.resize(keep);
    }
    for (const std::uint32_t i : gone) {
        if (se.partners[i] == 0) continue;
        se.partners[i] = 0;
        se.channel[i] = 0;
    }
    // Running contracts end with the supplier: the buyer stops paying from next month on.
    Contracts& c = s.contracts;
    for (std::size_t k = 0; k < c.size(); ++k)
        if (c.supplier[k] >= 0 && leaving[static_cast<std::size_t>(c.supplier[k])])
            c.end[k] = std::min(c.end[k], s.t + 1);
}

}  // namespace

void exits(const Params& p, const Rng& rng, State& s) {
    SocialEnterprises& se = s.se;
    thread_local std::vector<std::uint32_t> gone;
    gone.clear();
    for (std::size_t i = 0; i < se.size(); ++i) {
        if (!se.active(i)) continue;
        // Hazard halves every exit_age_months of age and falls with skill. The SE leaves when
        // the cumulative hazard passes its exponential threshold, drawn at founding: the same
        // law as a monthly draw with probability 1 - exp(-h), with one draw per SE.
        const double age = std::max(0, s.t - se.founded[i]);
        se.exit_hazard[i] += p.g.exit_hazard * (1.0 - p.g.exit_skill_effect * se.skill[i]) *
                             std::exp2(-age / p.g.exit_age_months);
        const bool insolvent = se.insolvent[i] != 0;
        if (insolvent || se.exit_hazard[i] >= se.exit_threshold[i]) {
            se.stage[i] = Stage::exited;
            se.exited[i] = s.t;
            se.exit_cause[i] = insolvent ? ExitCause::insolvency : ExitCause::hazard;
            gone.push_back(static_cast<std::uint32_t>(i));
            const int r = se.region[i];
            s.flows.exits[r] += 1;
            (insolvent ? s.flows.exits_insolvency : s.flows.exits_hazard)[r] += 1;
        }
    }
    // Nothing above reads what releasing changes (partnerships, searches, contract ends).
    release_ses(p, rng, s, gone);
}

}  // namespace sesim
