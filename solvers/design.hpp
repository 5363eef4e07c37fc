// The designs in the unit cube, each point computed on its own from the seed and its number
// (nothing drawn and kept): grid order, Latin hypercube coordinates, the Saltelli skip of
// Sobol' points, and the Morris design as a value, built and validated once. `sesim sweep`
// maps the unit coordinates (or grid level numbers) to parameter values (solvers/sweep.hpp);
// the tests use them directly on analytic functions.
#pragma once
#include <cstdint>
#include <vector>

namespace sesim {

// Grid order: the level numbers s (into each dimension's grid_level_numbers()) of point p of
// a grid with counts[j] levels in dimension j, into out[0 .. counts.size()). The first points
// are the corners, next the grid of ends and midpoints, and so on, coarse to fine.
void grid_point(std::int64_t p, const std::vector<std::int64_t>& counts, std::int64_t* out);
// For a dimension of `count` levels: the level index (0 .. count - 1, in increasing order of
// value) that number s of grid_point() stands for: both ends, the middle, the quarters...
std::vector<std::int64_t> grid_level_numbers(std::int64_t count);

// Latin hypercube of n points: the unit coordinate in dimension `dim` of point `point` (one
// point in each of the n strata of every dimension, jittered within it), keyed by `seed`.
double lhs_coordinate(std::uint64_t point, std::uint64_t n, std::uint32_t dim, std::uint32_t seed);

// Saltelli designs on Sobol' points: the Sobol' index of base sample 0 for N = `samples`, M the
// smallest power of two >= N and >= 2 (base sample n is point M + n; solvers/sweep.cpp says why).
std::uint64_t sobol_skip(std::int64_t samples);

// The Morris (1991) design: r trajectories of k + 1 points on a grid of p levels
// {0, 1/(p-1), ..., 1}. A trajectory starts at a random grid point and changes one parameter
// at a time by Delta = p / (2 (p - 1)), up or down, in a random order, so each of its k steps
// gives one elementary effect. With `candidates` M > r, M trajectories are drawn and the r
// whose points are most spread out are kept (Campolongo, Cariboni and Saltelli 2007: maximise
// the sum over pairs of the squared distance d_ml, d_ml the sum of the Euclidean distances
// between the points of trajectories m and l). The exact maximum is a search over C(M, r)
// sets; here trajectories are removed one at a time, each time the one whose removal loses
// least of that sum (exact for each single removal), which keeps O(M^2) work once the
// distances are known.
//
// Random draws come from Philox keyed by the seed (design_key-like, its own purpose word):
// candidate m is a pure function of (seed, m), so any point is computed alone.
class MorrisDesign {
  public:
    static constexpr int kMaxCandidates = 1000;

    // std::invalid_argument unless 1 <= parameters <= 10000, trajectories >= 1, levels even
    // and 2 <= levels <= 1000, and candidates 0 (no selection) or trajectories <= candidates
    // <= kMaxCandidates.
    MorrisDesign(int parameters, int trajectories, int levels, int candidates, std::uint32_t seed);

    int parameters() const { return k_; }
    int trajectories() const { return r_; }
    int levels() const { return p_; }
    int candidates() const { return m_; }
    double delta() const { return static_cast<double>(p_) / (2.0 * (p_ - 1)); }
    std::int64_t points() const { return static_cast<std::int64_t>(r_) * (k_ + 1); }

    // Trajectory, and step within it (0 .. k), of design point `point`.
    int trajectory_of(std::int64_t point) const { return static_cast<int>(point / (k_ + 1)); }
    int step_of(std::int64_t point) const { return static_cast<int>(point % (k_ + 1)); }
    // The candidate trajectory kept as trajectory t (t itself without selection).
    int candidate_of(int trajectory) const {
        return chosen_.empty() ? trajectory : chosen_[static_cast<std::size_t>(trajectory)];
    }

    // Unit coordinates of design point `point` into out[0 .. k).
    void point(std::int64_t point, double* out) const;
    // The parameter that changes from the previous point (-1 at a trajectory's start), and
    // the signed change in the unit cube (0 at a start).
    int factor(std::int64_t point) const;
    double step(std::int64_t point) const;

  private:
    int k_;
    int r_;
    int p_;
    int m_;
    std::uint32_t seed_;
    std::vector<int> chosen_;  // kept candidates in increasing order; empty: no selection

    // Candidate trajectory c: base levels, directions and factor order.
    struct Trajectory {
        std::vector<double> start;  // unit coordinates of point 0
        std::vector<int> order;     // factor changed at step s + 1
        std::vector<double> move;   // signed change of each factor
    };
    Trajectory trajectory(int candidate) const;
};

}  // namespace sesim
