#include "model/model.hpp"

#include <cassert>

#include "model/processes.hpp"

namespace sesim {

Model::Model(const Params& params, std::uint32_t seed, std::uint32_t replicate)
    : params_(params), rng_(seed, replicate), series_(params.g.months, params.regions()) {
    initialise(params_, rng_, state_);
}

void Model::step() {
    const Params& p = params_;
    State& s = state_;
    s.flows.reset(p.regions());
    interventions(p, s);         // 1  levers on/off at their dates
    awareness(p, rng_, s);       // 2  SMEs, residents, buyers (Bass)
    public_tenders(p, rng_, s);  // 3  publish, award, pay
    private_demand(p, s);        // 4  consumers, businesses, partner channels
    partnerships(p, rng_, s);    // 5  dissolve, form
    production_finance(p, s);    // 6  revenue, costs, cash, credit
    scale_up(p, s);              // 7  hire, shed, stage
    learning(p, rng_, s);        // 8  accelerator, community, partners, exchange
    exits(p, rng_, s);           // 9  insolvency, hazard
    entries(p, rng_, s);         // 10 foundings
    accounting(p, s, series_);   // 11 outputs of the month
    assert(s.se.consistent() && s.sme.consistent() && s.contracts.consistent());
    ++s.t;
}

void Model::run() {
    while (state_.t < params_.g.months) step();
}

RunSeries simulate(const Params& params, std::uint32_t seed, std::uint32_t replicate) {
    Model m(params, seed, replicate);
    m.run();
    return m.take_series();
}

}  // namespace sesim
