// Process 10: entry. Poisson foundings per 100,000 residents, raised by awareness and success
// stories, plus those an accelerator brings per place.
#include "model/processes.hpp"

namespace sesim {

void entries(const Params& p, const Rng& rng, State& s) {
    const int R = p.regions();
    thread_local std::vector<int> active, scaled;
    active.assign(static_cast<std::size_t>(R), 0);
    scaled.assign(static_cast<std::size_t>(R), 0);
    for (std::size_t i = 0; i < s.se.size(); ++i) {
        if (!s.se.active(i)) continue;
        ++active[s.se.region[i]];
        if (s.se.stage[i] == Stage::scaled) ++scaled[s.se.region[i]];
    }
    for (int r = 0; r < R; ++r) {
        const double success = active[r] > 0 ? static_cast<double>(scaled[r]) / active[r] : 0.0;
        // Foundings per resident, raised by awareness and success stories, plus those an
        // accelerator brings per place in its running cohorts.
        const double rate =
            p.g.entry_rate * p.region[r].population / 1e5 *
                (1.0 + p.g.entry_awareness_effect * s.region[r].resident_awareness) *
                (1.0 + p.g.entry_success_effect * success) +
            p.g.accelerator_entry * s.levers.accelerator_places[r];
        const std::uint64_t stream = p.geo->regions()[r].stream;
        const int n = rng.poisson(rate, ids::region(stream), s.t, Purpose::entry_count);
        for (int k = 0; k < n; ++k)
            add_se(p, rng, s, r, ids::se_entrant(stream, s.t, k), s.t, false);
        s.flows.entries[r] += n;
    }
}

}  // namespace sesim
