// Process 2: awareness of SMEs (agents, each with its own threshold), residents and buyers
// (aggregate), by Bass diffusion.
#include <cmath>

#include "model/processes.hpp"

namespace sesim {

namespace {
// Region r's value blended with its linked regions' (weights normalised over r's links) by the
// exchange weight w; a region without links keeps its own value.
double blend(const Params& p, const std::vector<double>& x, int r, double w) {
    const auto& nb = p.geo->neighbours(r);
    if (nb.empty() || w == 0) return x[r];
    double other = 0;
    for (const auto& [j, weight] : nb) other += weight * x[j];
    return (1.0 - w) * x[r] + w * other;
}
}  // namespace

void awareness(const Params& p, const Rng& rng, State& s) {
    const Levers& L = s.levers;
    Smes& m = s.sme;
    const int R = p.regions();
    thread_local std::vector<double> sme_share, resident, adoption, buyer_peer;
    sme_share.assign(R, 0.0);
    resident.assign(R, 0.0);
    adoption.assign(R, 0.0);
    for (int r = 0; r < R; ++r) {
        const std::size_t n = m.region_begin[r + 1] - m.region_begin[r];
        sme_share[r] = n > 0 ? static_cast<double>(s.region[r].smes_aware) / n : 0.0;
        resident[r] = s.region[r].resident_awareness;
        // The practice of social procurement among the buyers serving the region.
        const auto& serving = p.geo->buyers_serving(r);
        double a = 0;
        for (const int b : serving) a += s.buyer[b].adoption;
        adoption[r] = serving.empty() ? 0.0 : a / static_cast<double>(serving.size());
    }
    // A buyer imitates the practice in the regions it serves, each blended with its links.
    buyer_peer.assign(static_cast<std::size_t>(p.buyers()), 0.0);
    for (int b = 0; b < p.buyers(); ++b) {
        const auto& serves = p.geo->buyers()[b].serves;
        double a = 0;
        for (const int r : serves) a += blend(p, adoption, r, L.exchange);
        buyer_peer[b] = a / static_cast<double>(serves.size());
    }

    for (int r = 0; r < R; ++r) {
        RegionState& rs = s.region[r];
        // Bass hazard: spontaneous (raised by the meeting place, plus the campaign) and
        // imitation of aware peers, including the linked regions' under exchange.
        const double spont_boost = 1.0 + L.meeting_place[r];
        const double h_sme = p.g.sme_bass_p * spont_boost + L.campaign_hazard[r] +
                             p.g.sme_bass_q * blend(p, sme_share, r, L.exchange);
        rs.sme_hazard += h_sme;
        const double h_res = p.g.resident_bass_p * spont_boost + L.campaign_hazard[r] +
                             p.g.resident_bass_q * blend(p, resident, r, L.exchange);
        rs.resident_awareness += (1.0 - std::exp(-h_res)) * (1.0 - rs.resident_awareness);

        // An SME becomes aware when the cumulative hazard passes its own exponential threshold:
        // the same as a monthly Bernoulli draw with probability 1 - exp(-h), but each SME draws
        // once, so a lever changes who becomes aware only from the month it acts. Thresholds are
        // sorted once, so this costs one step per SME that becomes aware.
        Smes::Index& ix = m.index[r];
        const double H = rs.sme_hazard;
        while (ix.next_unaware < ix.unaware_by_threshold.size() &&
               m.aware_threshold[ix.unaware_by_threshold[ix.next_unaware]] <= H) {
            const std::size_t j = ix.unaware_by_threshold[ix.next_unaware++];
            m.aware[j] = 1;
            ++rs.smes_aware;
            rs.aware_spend += sme_spend(p, m.size_class[j]);
            start_partner_search(p, rng, s, r, j);
        }
    }
    for (int b = 0; b < p.buyers(); ++b) {
        BuyerState& bs = s.buyer[b];
        const double h = p.g.buyer_bass_p + p.g.buyer_bass_q * buyer_peer[b];
        bs.adoption += (1.0 - std::exp(-h)) * (1.0 - bs.adoption);
    }
}

}  // namespace sesim
