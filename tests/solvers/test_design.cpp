// The Morris design as a value: every trajectory is a proper one-at-a-time walk on the grid,
// points are pure functions of (seed, point), the Campolongo selection spreads the
// trajectories more than unselected ones, and bad arguments are refused.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

#include "solvers/design.hpp"

using namespace sesim;

namespace {

std::vector<std::vector<double>> trajectory_points(const MorrisDesign& d, int t) {
    const int k = d.parameters();
    std::vector<std::vector<double>> pts;
    for (int s = 0; s <= k; ++s) {
        std::vector<double> u(static_cast<std::size_t>(k));
        d.point(static_cast<std::int64_t>(t) * (k + 1) + s, u.data());
        pts.push_back(u);
    }
    return pts;
}

// Campolongo et al. (2007): d_ml = sum over point pairs of the Euclidean distance; the spread
// of a set of trajectories is the sum over pairs of d_ml^2.
double spread(const std::vector<std::vector<std::vector<double>>>& trajs) {
    double total = 0;
    for (std::size_t m = 0; m < trajs.size(); ++m)
        for (std::size_t l = 0; l < m; ++l) {
            double d = 0;
            for (const auto& x : trajs[m])
                for (const auto& y : trajs[l]) {
                    double s = 0;
                    for (std::size_t j = 0; j < x.size(); ++j) s += (x[j] - y[j]) * (x[j] - y[j]);
                    d += std::sqrt(s);
                }
            total += d * d;
        }
    return total;
}

}  // namespace

TEST_CASE("Morris design: one-at-a-time trajectories on the grid", "[design]") {
    for (int levels : {2, 4, 6}) {
        const MorrisDesign d(7, 30, levels, 0, 3);
        const double delta = levels / (2.0 * (levels - 1));
        CHECK(d.delta() == Approx(delta));
        REQUIRE(d.points() == 30 * 8);
        std::vector<std::set<double>> seen(7);
        for (int t = 0; t < 30; ++t) {
            const auto pts = trajectory_points(d, t);
            std::set<int> changed;
            CHECK(d.factor(t * 8) == -1);
            CHECK(d.step(t * 8) == 0);
            for (int s = 0; s <= 7; ++s)
                for (int j = 0; j < 7; ++j) {
                    const double u = pts[s][j];
                    CHECK(u >= 0);
                    CHECK(u <= 1);
                    // On the grid {0, 1/(p-1), ..., 1}.
                    CHECK(std::abs(u * (levels - 1) - std::round(u * (levels - 1))) < 1e-12);
                    seen[j].insert(u);
                }
            for (int s = 1; s <= 7; ++s) {
                const int f = d.factor(t * 8 + s);
                REQUIRE(f >= 0);
                REQUIRE(f < 7);
                changed.insert(f);
                CHECK(std::abs(d.step(t * 8 + s)) == Approx(delta));
                for (int j = 0; j < 7; ++j) {
                    const double diff = pts[s][j] - pts[s - 1][j];
                    if (j == f)
                        CHECK(diff == Approx(d.step(t * 8 + s)));
                    else
                        CHECK(diff == 0);
                }
            }
            CHECK(changed.size() == 7);  // each parameter once
        }
        // Over 30 trajectories every level of every parameter occurs.
        for (const auto& s : seen) CHECK(s.size() == static_cast<std::size_t>(levels));
    }
}

TEST_CASE("Morris design: a pure function of the seed", "[design]") {
    const MorrisDesign a(5, 10, 4, 40, 9), b(5, 10, 4, 40, 9), c(5, 10, 4, 40, 10);
    std::vector<double> ua(5), ub(5), uc(5);
    bool any_differs = false;
    for (std::int64_t p = 0; p < a.points(); ++p) {
        a.point(p, ua.data());
        b.point(p, ub.data());
        c.point(p, uc.data());
        CHECK(ua == ub);
        any_differs = any_differs || ua != uc;
    }
    CHECK(any_differs);
}

TEST_CASE("Morris design: Campolongo selection spreads the trajectories", "[design]") {
    // The r kept of M candidates are spread more than the first r candidates (what the
    // design is without selection), and more than any of 20 other sets of r candidates.
    const int k = 6, r = 8, m = 60;
    const MorrisDesign plain(k, m, 4, 0, 21);  // the candidates themselves, in order
    const MorrisDesign chosen(k, r, 4, m, 21);
    std::vector<std::vector<std::vector<double>>> first, kept;
    for (int t = 0; t < r; ++t) {
        first.push_back(trajectory_points(plain, t));
        kept.push_back(trajectory_points(chosen, t));
        // A kept trajectory is one of the candidates.
        CHECK(kept.back() == trajectory_points(plain, chosen.candidate_of(t)));
    }
    const double s_kept = spread(kept);
    CHECK(s_kept > spread(first));
    for (int shift = 1; shift <= 20; ++shift) {
        std::vector<std::vector<std::vector<double>>> other;
        for (int t = 0; t < r; ++t) other.push_back(trajectory_points(plain, (t * 7 + shift) % m));
        CHECK(s_kept > spread(other));
    }
}

TEST_CASE("Morris design: bad arguments", "[design]") {
    CHECK_THROWS_AS(MorrisDesign(0, 10, 4, 0, 1), std::invalid_argument);
    CHECK_THROWS_AS(MorrisDesign(3, 0, 4, 0, 1), std::invalid_argument);
    CHECK_THROWS_AS(MorrisDesign(3, 10, 5, 0, 1), std::invalid_argument);  // odd levels
    CHECK_THROWS_AS(MorrisDesign(3, 10, 4, 5, 1), std::invalid_argument);  // candidates < r
    CHECK_THROWS_AS(MorrisDesign(3, 10, 4, 1001, 1), std::invalid_argument);
    CHECK_THROWS_AS(MorrisDesign(500, 10, 4, 1000, 1), std::invalid_argument);  // too much work
    const MorrisDesign d(3, 2, 4, 0, 1);
    std::vector<double> u(3);
    CHECK_THROWS_AS(d.point(8, u.data()), std::out_of_range);
}
