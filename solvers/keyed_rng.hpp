// Counter-based draws of the solvers (calibration, parameter draws for runs, bootstrap of
// comparisons), in the style of model/rng.hpp: a draw is a pure function of (seed, domain,
// three counters, purpose, index), never the next value of a shared stream. So which thread
// makes a draw, and in which order, cannot change it, and a resumed calibration redraws
// exactly what the interrupted one drew.
//
// The domain keeps the solvers' draws apart from each other and from the model's (whose key
// is (seed, replicate) with the model's own purposes).
#pragma once
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

#include "model/rng.hpp"

namespace sesim {

// Key domains: one per solver, never renumbered (renumbering changes every result).
enum class RngDomain : std::uint32_t {
    calibration = 0xCA11B001u,      // ABC-SMC: priors, resampling, kernel, run seeds
    parameter_draws = 0x9A7A0001u,  // sesim run --posterior/--priors: replicate k's vector
    comparison = 0xC03A0001u,       // sesim compare: rank-probability resamples
};

// What a draw is for, inside a domain. Append only.
enum class SolverPurpose : std::uint32_t {
    prior = 1,       // a draw from the prior (generation 0, sesim run --priors)
    resample,        // which particle a proposal starts from
    perturb,         // the kernel's normal deviates
    run_key,         // the (seed, replicate) of a model run
    support_mass,    // Monte Carlo of the kernel's mass inside the prior support
    posterior_draw,  // which posterior particle replicate k uses
    bootstrap,       // a comparison resample
    predictive,      // posterior predictive runs
};

class KeyedRng {
  public:
    KeyedRng(std::uint32_t seed, RngDomain domain)
        : key_{{seed, static_cast<std::uint32_t>(domain)}} {}

    r123::Philox4x32::ctr_type raw(std::uint32_t a, std::uint32_t b, std::uint32_t c,
                                   SolverPurpose purpose, std::uint32_t index = 0) const {
        // 8 bits of purpose, 24 of index: indexes up to 16 million draws per (a, b, c, purpose).
        const r123::Philox4x32::ctr_type ctr{
            {a, b, c, (static_cast<std::uint32_t>(purpose) << 24) ^ (index & 0xFFFFFFu)}};
        return r123::Philox4x32{}(ctr, key_);
    }
    // Uniform on (0, 1) with 53 random bits.
    double uniform(std::uint32_t a, std::uint32_t b, std::uint32_t c, SolverPurpose purpose,
                   std::uint32_t index = 0) const {
        const auto r = raw(a, b, c, purpose, index);
        return Rng::to_open01(r[0], r[1]);
    }
    // Standard normal (Box-Muller on one block).
    double normal(std::uint32_t a, std::uint32_t b, std::uint32_t c, SolverPurpose purpose,
                  std::uint32_t index = 0) const {
        const auto r = raw(a, b, c, purpose, index);
        const double u1 = Rng::to_open01(r[0], r[1]);
        const double u2 = Rng::to_open01(r[2], r[3]);
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

  private:
    r123::Philox4x32::key_type key_;
};

}  // namespace sesim
