// One simulation run: a scenario's parameters, a seed and a replicate number in; the monthly
// series of every declared output out. A run is a pure function of these three, so it can be
// computed anywhere, in any order, on any thread or process.
#pragma once
#include <cstdint>
#include <utility>

#include "model/outputs.hpp"
#include "model/params.hpp"
#include "model/rng.hpp"
#include "model/state.hpp"

namespace sesim {

class Model {
  public:
    Model(const Params& params, std::uint32_t seed, std::uint32_t replicate);

    // The schedule of one month: one line per process, in order.
    void step();
    void run();  // all p.g.months steps

    const State& state() const { return state_; }
    State& mutable_state() { return state_; }  // for tests that set up hand-made situations
    const RunSeries& series() const { return series_; }
    // The series, moved out (a national run's per-region series are tens of MB: no copy).
    RunSeries take_series() { return std::move(series_); }
    const Params& params() const { return params_; }

  private:
    Params params_;
    Rng rng_;
    State state_;
    RunSeries series_;
};

// Convenience: run one replicate and return its series.
RunSeries simulate(const Params& params, std::uint32_t seed, std::uint32_t replicate);

}  // namespace sesim
