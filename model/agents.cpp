// Founding an SE: its draws and its row of columns (model/agents.def), and the SE bookkeeping
// that several processes share (initialise, entries, tenders, finance).
#include <algorithm>
#include <cmath>

#include "model/processes.hpp"

namespace sesim {

void set_market(const Params& p, SocialEnterprises& se, std::size_t i, double market_fte) {
    // Weight of its own market in private demand (see private_demand): capacity at market_fte
    // to the power 1 - e, over (niche + visibility) at founding, so that at its market size and
    // its founding visibility every SE has the same utilisation; visibility gained later grows
    // its market.
    const double capacity = capacity_at(
        p, market_fte, market_fte * mission_target_share(p, se.mission[i]), se.skill[i]);
    se.market[i] = std::pow(capacity, 1.0 - p.g.demand_size_elasticity) /
                   (p.g.niche_demand + se.visibility[i]);
}

namespace {

int draw_sector(const Params& p, double u) {
    return pick_sector(p.g.se_share_facility, p.g.se_share_circular, p.g.se_share_services, u);
}

Mission draw_mission(const Params& p, double u) {
    if (u < p.g.mission_labour_share) return Mission::labour;
    if (u < p.g.mission_labour_share + p.g.mission_circular_share) return Mission::circular;
    return Mission::other;
}

}  // namespace

double mission_target_share(const Params& p, Mission m) {
    return m == Mission::labour ? p.g.target_share_labour : p.g.target_share_other;
}

double wage_bill(const Params& p, double fte, double target_fte) {
    return (fte - target_fte) * p.g.wage_regular +
           target_fte * p.g.wage_target * (1.0 - p.g.wage_subsidy);
}

std::size_t add_se(const Params& p, const Rng& rng, State& s, int region, std::uint64_t id, int t,
                   bool initial) {
    SocialEnterprises& se = s.se;
    const int draw_t = initial ? -1 : t;
    const Mission mission = draw_mission(p, rng.uniform(id, draw_t, Purpose::init_mission));
    // The staff its own market supports (lognormal: the ESEM/SE Monitor size distribution). SEs
    // present at the start are at it and up to initial_age_max months old; entrants start at
    // entrant_fte and grow toward it.
    const double z = rng.normal(id, draw_t, Purpose::init_market);
    const double market_fte = std::clamp(p.g.market_fte_median * std::exp(p.g.market_fte_sigma * z),
                                         p.g.min_fte, p.g.market_fte_max);
    double fte = p.g.entrant_fte;
    int founded = t;
    if (initial) {
        fte = market_fte;
        founded = -static_cast<int>(
            std::floor(rng.uniform(id, draw_t, Purpose::init_age) * p.g.initial_age_max));
    }
    const double tfte = fte * mission_target_share(p, mission);
    // Skill is normal(skill_mean, skill_sd) cut to [kSkillLow, kSkillHigh]: numerical bounds
    // that keep it strictly inside (0, 1), where the bid chance and the quality score are
    // defined; at the defaults (0.4, 0.15) they cut about 0.5% of draws, nearly all below 0.01
    // (assumption).
    constexpr double kSkillLow = 0.01;
    constexpr double kSkillHigh = 0.99;
    const double skill =
        std::clamp(p.g.skill_mean + p.g.skill_sd * rng.normal(id, draw_t, Purpose::init_skill),
                   kSkillLow, kSkillHigh);
    // Own visibility is uniform on [0, 2 visibility_mean], whose mean is visibility_mean (the
    // factor 2 is that definition, not a behavioural number), cut to at most 1.
    const double vis = std::clamp(
        p.g.visibility_mean * 2.0 * rng.uniform(id, draw_t, Purpose::init_visibility), 0.0, 1.0);

    SocialEnterprises::Row row;
    row.id = id;
    row.region = static_cast<std::uint16_t>(region);
    row.sector =
        static_cast<std::uint8_t>(draw_sector(p, rng.uniform(id, draw_t, Purpose::init_sector)));
    row.mission = mission;
    row.stage = fte >= p.g.growth_fte ? Stage::growth : Stage::startup;
    row.founded = founded;
    row.exit_threshold = rng.exponential(id, draw_t, Purpose::exit);
    row.fte = fte;
    row.target_fte = tfte;
    row.skill = skill;
    row.skill_base = skill;
    row.own_visibility = vis;
    row.visibility = vis;
    row.cash = p.g.initial_cash_months * (wage_bill(p, fte, tfte) + p.g.fixed_cost);
    const std::size_t i = se.add(row);
    set_market(p, se, i, market_fte);
    return i;
}

void active_by_region(const Params& p, const SocialEnterprises& se,
                      std::vector<std::vector<std::uint32_t>>& out) {
    out.resize(static_cast<std::size_t>(p.regions()));
    for (auto& v : out) v.clear();
    for (std::size_t i = 0; i < se.size(); ++i)
        if (se.active(i)) out[se.region[i]].push_back(static_cast<std::uint32_t>(i));
}

}  // namespace sesim
