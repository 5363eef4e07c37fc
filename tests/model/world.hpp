// Small hand-made worlds for process tests: every region empty, no buyers' budgets, so a test
// adds exactly the agents it reasons about.
#pragma once
#include <string>

#include "model/model.hpp"
#include "model/processes.hpp"
#include "solvers/scenario_file.hpp"
#include "tests/support/default_geography.hpp"

namespace sesim::test {

inline Params empty_world(int months = 24) {
    Params p;
    p.g.months = months;
    for (auto& r : p.region) {
        r.smes = 0;
        r.initial_ses = 0;
    }
    p.g.entry_rate = 0;
    for (auto& b : p.buyer) b.budget = 0;
    return p;
}

inline Params baseline_params() {
    return load_scenario(std::string(SESIM_SOURCE_DIR) + "/scenarios/baseline.ini").params;
}

}  // namespace sesim::test
