// Test functions with known Sobol' indices (Ishigami; Sobol' g-function) and the Saltelli
// design that evaluates them, shared by the sensitivity tests.
#pragma once
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "solvers/sobol.hpp"

namespace sesim::test {

constexpr double kPi = 3.14159265358979323846;

using Function = std::function<double(const double*)>;  // of unit coordinates

// Uniform (0, 1) from Philox keyed by the test seed: the base samples of a Monte Carlo
// Saltelli design, independent across samples (the bootstrap's assumption).
inline double uniform(std::uint32_t seed, std::uint64_t n, int d) {
    const r123::Philox4x32 philox;
    const r123::Philox4x32::ctr_type ctr{{static_cast<std::uint32_t>(n),
                                          static_cast<std::uint32_t>(n >> 32),
                                          static_cast<std::uint32_t>(d), 7u}};
    const auto r = philox(ctr, {{seed, 12345u}});
    return (static_cast<double>(r[0] >> 5) * 67108864.0 + static_cast<double>(r[1] >> 6) + 0.5) /
           9007199254740992.0;
}

// The outputs of a Saltelli design with N base samples: blocks f(A), f(AB^1..k), f(B). With
// `qmc` the base samples are Sobol' points M + n as in `sesim sweep`, else Monte Carlo.
inline std::vector<double> saltelli(const Function& f, int k, int n, std::uint32_t seed, bool qmc) {
    const Sobol sobol(2 * k);
    std::uint64_t skip = 2;
    while (skip < static_cast<std::uint64_t>(n)) skip *= 2;
    std::vector<double> y;
    std::vector<double> a(static_cast<std::size_t>(k)), b(a), ab(a);
    for (int s = 0; s < n; ++s) {
        for (int j = 0; j < k; ++j) {
            a[j] = qmc ? sobol.coordinate(skip + s, j) : uniform(seed, s, j);
            b[j] = qmc ? sobol.coordinate(skip + s, k + j) : uniform(seed, s, k + j);
        }
        y.push_back(f(a.data()));
        for (int i = 0; i < k; ++i) {
            ab = a;
            ab[i] = b[i];
            y.push_back(f(ab.data()));
        }
        y.push_back(f(b.data()));
    }
    return y;
}

inline double ishigami(const double* u) {
    const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
    return std::sin(x1) + 7 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

// Analytic Ishigami indices for a = 7, b = 0.1 (Saltelli et al. 2010, table 4 ref. values;
// closed forms: V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50)).
struct Analytic {
    std::vector<double> first, total;
};
inline Analytic ishigami_indices() {
    const double a = 7, b = 0.1, p4 = std::pow(kPi, 4), p8 = p4 * p4;
    const double v1 = 0.5 * std::pow(1 + b * p4 / 5, 2);
    const double v2 = a * a / 8;
    const double v13 = b * b * p8 * (1.0 / 18 - 1.0 / 50);
    const double v = v1 + v2 + v13;
    return {{v1 / v, v2 / v, 0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

inline const std::vector<double> kG = {0, 1, 4.5, 9, 99, 99, 99, 99};
inline double g_function(const double* u) {
    double p = 1;
    for (std::size_t i = 0; i < kG.size(); ++i) p *= (std::abs(4 * u[i] - 2) + kG[i]) / (1 + kG[i]);
    return p;
}
// V_i = 1 / (3 (1 + a_i)^2), V = prod (1 + V_i) - 1, S_i = V_i / V, ST_i = V_i prod_{j != i}
// (1 + V_j) / V (Saltelli et al. 2010, eq. 29-31).
inline Analytic g_indices() {
    std::vector<double> vi;
    double prod = 1;
    for (double a : kG) {
        vi.push_back(1.0 / (3 * (1 + a) * (1 + a)));
        prod *= 1 + vi.back();
    }
    const double v = prod - 1;
    Analytic r;
    for (double x : vi) {
        r.first.push_back(x / v);
        r.total.push_back(x * prod / (1 + x) / v);
    }
    return r;
}

}  // namespace sesim::test
