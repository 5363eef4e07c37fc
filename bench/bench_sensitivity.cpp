// Benchmark (not a test): the analysis step of `sesim sensitivity` on 10^5 runs x 20
// parameters, Sobol' (4,546 base samples x 22 = 100,012 runs) and Morris (4,762 trajectories
// x 21 = 100,002 runs), each with 1,000 bootstrap resamples, at 1 and 2 threads. The outputs
// come from the Sobol' g-function (any values would do: the cost does not depend on them).
// Run through scripts/bench-sensitivity; figures go to docs/performance.md.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "solvers/design.hpp"
#include "solvers/sensitivity.hpp"
#include "solvers/sobol.hpp"

namespace {

constexpr int kParameters = 20;
constexpr int kResamples = 1000;
constexpr int kRepeats = 5;

double g_function(const double* u) {
    double p = 1;
    for (int i = 0; i < kParameters; ++i) {
        const double a = i < 4 ? i : 99;
        p *= (std::abs(4 * u[i] - 2) + a) / (1 + a);
    }
    return p;
}

template <class F>
double median_seconds(F&& f) {
    std::vector<double> t;
    for (int r = 0; r < kRepeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

}  // namespace

int main() {
    const int k = kParameters;
    // Sobol': the Saltelli blocks of `sesim sweep`.
    const int n = 100000 / (k + 2) + 1;
    const sesim::Sobol sobol(2 * k);
    std::vector<double> y, a(k), ab(k), b(k);
    for (int s = 0; s < n; ++s) {
        for (int j = 0; j < k; ++j) {
            a[j] = sobol.coordinate(8192 + s, j);
            b[j] = sobol.coordinate(8192 + s, k + j);
        }
        y.push_back(g_function(a.data()));
        for (int i = 0; i < k; ++i) {
            ab = a;
            ab[i] = b[i];
            y.push_back(g_function(ab.data()));
        }
        y.push_back(g_function(b.data()));
    }
    // Morris: trajectories of the design module.
    const int r = 100000 / (k + 1) + 1;
    const sesim::MorrisDesign design(k, r, 4, 0, 1);
    std::vector<double> my, step, u(k);
    std::vector<int> factor;
    for (std::int64_t p = 0; p < design.points(); ++p) {
        design.point(p, u.data());
        my.push_back(g_function(u.data()));
        factor.push_back(design.factor(p));
        step.push_back(design.step(p));
    }
    std::printf("runs x parameters   Sobol' %zu x %d (N = %d), Morris %zu x %d (r = %d)\n",
                y.size(), k, n, my.size(), k, r);
    std::printf("bootstrap           %d resamples, median of %d repeats\n", kResamples, kRepeats);
    for (int threads : {1, 2}) {
        sesim::Bootstrap boot;
        boot.resamples = kResamples;
        boot.threads = threads;
        const double ts = median_seconds([&] { sesim::sobol_indices(y, k, boot); });
        const double tm = median_seconds([&] { sesim::morris_indices(my, factor, step, k, boot); });
        std::printf("%d thread(s)         Sobol' %.3f s, Morris %.3f s\n", threads, ts, tm);
    }
    sesim::Bootstrap none;
    none.resamples = 0;
    std::printf("point estimates     Sobol' %.4f s, Morris %.4f s (no bootstrap, 1 thread)\n",
                median_seconds([&] { sesim::sobol_indices(y, k, none); }),
                median_seconds([&] { sesim::morris_indices(my, factor, step, k, none); }));
    return 0;
}
