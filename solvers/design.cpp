#include "solvers/design.hpp"

#include <Random123/philox.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "model/rng.hpp"

namespace sesim {

namespace {

// Pairwise distances of the candidates cost about M^2 (k + 1)^2 operations; beyond this the
// selection would take more than a second or two, and a sweep file asks for fewer candidates.
constexpr double kMaxSelectionWork = 4e8;

// The Philox key of Morris draws: the seed and a word no model stream (the replicate, at most
// 10^6) and no other design (0xFFFFFFFF: grid, lhs) uses.
r123::Philox4x32::key_type morris_key(std::uint32_t seed) {
    return {{seed, 0xFFFFFFFEu}};
}

// A whole number in [0, n) from 32 random bits (high word of the product; bias < n / 2^32).
int below(std::uint32_t bits, int n) {
    return static_cast<int>((static_cast<std::uint64_t>(bits) * static_cast<std::uint64_t>(n)) >>
                            32);
}

// Bits needed to number `n` levels: 0 for one level, 1 for two, 2 for three or four...
int bits_for(std::int64_t n) {
    int b = 0;
    while ((std::int64_t{1} << b) < n) ++b;
    return b;
}

// The Philox key of design draws: the sweep seed and a second word that no model stream uses
// (model streams take the replicate number there, at most 10^6).
r123::Philox4x32::key_type design_key(std::uint32_t seed) {
    return {{seed, 0xFFFFFFFFu}};
}

// Draw purposes within the design stream.
constexpr std::uint32_t kLhsPermutation = 1;
constexpr std::uint32_t kLhsJitter = 2;

// A pseudo-random permutation of [0, n), keyed by (seed, dimension): a four-round Feistel
// network (Luby and Rackoff 1988) on the smallest even number of bits covering n, with Philox
// as round function, and cycle walking (Black and Rogaway 2002) back into [0, n). Any element
// is computed on its own, so a Latin hypercube needs no stored permutation.
std::uint64_t permute(std::uint64_t x, std::uint64_t n, std::uint32_t dim, std::uint32_t seed) {
    if (n <= 1) return 0;
    const int half = std::max(1, (bits_for(static_cast<std::int64_t>(n)) + 1) / 2);
    const std::uint64_t mask = (std::uint64_t{1} << half) - 1;
    const r123::Philox4x32 philox;
    const auto key = design_key(seed);
    do {
        std::uint64_t left = x >> half;
        std::uint64_t right = x & mask;
        for (std::uint32_t round = 0; round < 4; ++round) {
            const r123::Philox4x32::ctr_type ctr{
                {static_cast<std::uint32_t>(right), dim, round, kLhsPermutation}};
            const std::uint64_t f = philox(ctr, key)[0] & mask;
            const std::uint64_t next = left ^ f;
            left = right;
            right = next;
        }
        x = (left << half) | right;
    } while (x >= n);
    return x;
}

double jitter(std::uint64_t point, std::uint32_t dim, std::uint32_t seed) {
    const r123::Philox4x32 philox;
    const r123::Philox4x32::ctr_type ctr{{static_cast<std::uint32_t>(point),
                                          static_cast<std::uint32_t>(point >> 32), dim,
                                          kLhsJitter}};
    const auto r = philox(ctr, design_key(seed));
    return Rng::to_open01(r[0], r[1]);
}

}  // namespace

// Grid order. Point p of a grid is found without listing the grid: points are ordered by the
// interleaved bits (most significant first, dimension by dimension, dimensions with fewer bits
// aligned at the least significant end) of their bit-reversed numbers s, skipping numbers s
// beyond a dimension's count. Counting the points below a bit
// prefix is a product over dimensions, so p is decoded bit by bit in O(bits x dimensions).
// In one dimension the numbers s then appear in order of their bit reversal (0, 4, 2, 6, 1...)
// and grid_level_numbers() gives the i-th of them the i-th level of a bisection (the two ends, the
// middle, the quarters...): the first points are the corners, next the grid of ends and
// midpoints, and so on, so a sweep cut short has still covered the whole space, coarsely.
void grid_point(std::int64_t p, const std::vector<std::int64_t>& counts, std::int64_t* out) {
    const std::size_t k = counts.size();
    std::vector<int> bits(k);
    int max_bits = 0;
    for (std::size_t j = 0; j < k; ++j) {
        bits[j] = bits_for(counts[j]);
        max_bits = std::max(max_bits, bits[j]);
    }
    std::vector<std::int64_t> low(k, 0);  // the level's low bits fixed so far
    std::vector<int> fixed(k, 0);         // how many
    std::vector<std::int64_t> cells(counts);
    // Levels below counts[j] whose `m` low bits equal `s`.
    auto matching = [&](std::size_t j, std::int64_t s, int m) -> std::int64_t {
        return s < counts[j] ? ((counts[j] - 1 - s) >> m) + 1 : 0;
    };
    auto product_except = [&](std::size_t skip) {
        std::int64_t prod = 1;
        for (std::size_t i = 0; i < k; ++i)
            if (i != skip) prod *= cells[i];
        return prod;
    };
    for (int level = 0; level < max_bits; ++level)
        for (std::size_t j = 0; j < k; ++j) {
            // Aligned at the least significant end: a dimension with fewer bits joins late,
            // so its first split (between its two ends) is as fine as every other's.
            if (level < max_bits - bits[j]) continue;
            const int m = fixed[j] + 1;
            const std::int64_t zero_cells = matching(j, low[j], m);
            const std::int64_t below = zero_cells * product_except(j);
            if (p >= below) {
                p -= below;
                low[j] |= std::int64_t{1} << fixed[j];
                cells[j] = matching(j, low[j], m);
            } else {
                cells[j] = zero_cells;
            }
            fixed[j] = m;
        }
    for (std::size_t j = 0; j < k; ++j) out[j] = low[j];
}

std::uint64_t sobol_skip(std::int64_t samples) {
    std::uint64_t skip = 2;
    while (skip < static_cast<std::uint64_t>(samples)) skip *= 2;
    return skip;
}

// For a dimension of `count` levels: the level index that number s of grid_point() stands
// for (see there).
std::vector<std::int64_t> grid_level_numbers(std::int64_t count) {
    const int b = bits_for(count);
    auto reversed = [b](std::int64_t s) {
        std::int64_t r = 0;
        for (int i = 0; i < b; ++i) r |= ((s >> i) & 1) << (b - 1 - i);
        return r;
    };
    std::vector<std::int64_t> by_emergence(static_cast<std::size_t>(count));
    for (std::int64_t s = 0; s < count; ++s) by_emergence[static_cast<std::size_t>(s)] = s;
    std::sort(by_emergence.begin(), by_emergence.end(),
              [&](std::int64_t x, std::int64_t y) { return reversed(x) < reversed(y); });
    // Bisection order of the levels: both ends, then the middle of each gap, breadth first.
    std::vector<std::int64_t> bisection{0};
    if (count > 1) bisection.push_back(count - 1);
    std::vector<std::pair<std::int64_t, std::int64_t>> gaps{{0, count - 1}};
    for (std::size_t g = 0; g < gaps.size(); ++g) {
        const auto [a, z] = gaps[g];
        if (z - a < 2) continue;
        const std::int64_t mid = (a + z) / 2;
        bisection.push_back(mid);
        gaps.emplace_back(a, mid);
        gaps.emplace_back(mid, z);
    }
    std::vector<std::int64_t> level(static_cast<std::size_t>(count));
    for (std::size_t i = 0; i < by_emergence.size(); ++i)
        level[static_cast<std::size_t>(by_emergence[i])] = bisection[i];
    return level;
}

double lhs_coordinate(std::uint64_t point, std::uint64_t n, std::uint32_t dim, std::uint32_t seed) {
    const double cell = static_cast<double>(permute(point, n, dim, seed));
    return (cell + jitter(point, dim, seed)) / static_cast<double>(n);
}

MorrisDesign::MorrisDesign(int parameters, int trajectories, int levels, int candidates,
                           std::uint32_t seed)
    : k_(parameters), r_(trajectories), p_(levels), m_(candidates), seed_(seed) {
    if (k_ < 1 || k_ > 10000)
        throw std::invalid_argument("Morris design: parameters must be 1 to 10000");
    if (r_ < 1) throw std::invalid_argument("Morris design: at least one trajectory");
    if (p_ < 2 || p_ > 1000 || p_ % 2 != 0)
        throw std::invalid_argument(
            "Morris design: levels must be an even number from 2 to 1000 (with p even, the "
            "step Delta = p / (2 (p - 1)) gives every level the same chance)");
    if (m_ != 0 && (m_ < r_ || m_ > kMaxCandidates))
        throw std::invalid_argument(
            "Morris design: candidates must be 0 (no selection) or from "
            "the number of trajectories to " +
            std::to_string(kMaxCandidates));
    const double work = static_cast<double>(m_) * m_ * (k_ + 1.0) * (k_ + 1.0);
    if (m_ > r_ && work > kMaxSelectionWork)
        throw std::invalid_argument(
            "Morris design: choosing among " + std::to_string(m_) + " candidates of " +
            std::to_string(k_ + 1) + " points is too much work; use at most " +
            std::to_string(static_cast<int>(std::sqrt(kMaxSelectionWork) / (k_ + 1))) +
            " candidates");
    if (m_ <= r_) return;

    // Campolongo et al. (2007) selection. Dot products of the points of two trajectories
    // follow a recurrence (consecutive points differ in one coordinate), so the (k + 1)^2 of
    // them cost O(1) each after the first.
    const auto kk = static_cast<std::size_t>(k_);
    const auto len = kk + 1;
    std::vector<Trajectory> cand;
    std::vector<std::vector<double>> norms(static_cast<std::size_t>(m_));  // |x_a|^2
    for (int c = 0; c < m_; ++c) {
        cand.push_back(trajectory(c));
        const Trajectory& t = cand.back();
        std::vector<double>& nr = norms[static_cast<std::size_t>(c)];
        nr.resize(len);
        std::vector<double> x = t.start;
        double n2 = 0;
        for (double v : x) n2 += v * v;
        nr[0] = n2;
        for (std::size_t s = 0; s < kk; ++s) {
            const auto j = static_cast<std::size_t>(t.order[s]);
            const double before = x[j];
            x[j] += t.move[j];
            n2 += x[j] * x[j] - before * before;
            nr[s + 1] = n2;
        }
    }
    const auto mm = static_cast<std::size_t>(m_);
    std::vector<double> d2(mm * mm, 0.0);  // squared trajectory distances
    std::vector<double> row(len), next(len);
    std::vector<int> moved_at(kk);  // step at which trajectory l moves each factor
    for (std::size_t l = 0; l < mm; ++l) {
        const Trajectory& tl = cand[l];
        for (std::size_t s = 0; s < kk; ++s)
            moved_at[static_cast<std::size_t>(tl.order[s])] = static_cast<int>(s + 1);
        for (std::size_t m = 0; m < l; ++m) {
            const Trajectory& tm = cand[m];
            // row[b] = x_0(m) . y_b(l)
            double dot = 0;
            for (std::size_t j = 0; j < kk; ++j) dot += tm.start[j] * tl.start[j];
            row[0] = dot;
            for (std::size_t b = 0; b < kk; ++b) {
                const auto j = static_cast<std::size_t>(tl.order[b]);
                dot += tm.start[j] * tl.move[j];
                row[b + 1] = dot;
            }
            double dist = 0;
            for (std::size_t a = 0; a <= kk; ++a) {
                for (std::size_t b = 0; b <= kk; ++b)
                    dist += std::sqrt(std::max(0.0, norms[m][a] + norms[l][b] - 2 * row[b]));
                if (a == kk) break;
                // Point a + 1 of m moves factor j: add move_j times coordinate j of each y_b.
                const auto j = static_cast<std::size_t>(tm.order[a]);
                const double mv = tm.move[j];
                const int at = moved_at[j];
                for (std::size_t b = 0; b <= kk; ++b)
                    row[b] += mv * (tl.start[j] + (static_cast<int>(b) >= at ? tl.move[j] : 0.0));
            }
            d2[l * mm + m] = d2[m * mm + l] = dist * dist;
        }
    }
    // Remove, one at a time, the trajectory whose squared distances to the others sum least.
    std::vector<double> sum(mm, 0.0);
    for (std::size_t a = 0; a < mm; ++a)
        for (std::size_t b = 0; b < mm; ++b) sum[a] += d2[a * mm + b];
    std::vector<char> kept(mm, 1);
    for (int left = m_; left > r_; --left) {
        std::size_t worst = mm;
        for (std::size_t a = 0; a < mm; ++a)
            if (kept[a] && (worst == mm || sum[a] < sum[worst])) worst = a;
        kept[worst] = 0;
        for (std::size_t a = 0; a < mm; ++a) sum[a] -= d2[a * mm + worst];
    }
    for (std::size_t a = 0; a < mm; ++a)
        if (kept[a]) chosen_.push_back(static_cast<int>(a));
}

MorrisDesign::Trajectory MorrisDesign::trajectory(int candidate) const {
    const auto kk = static_cast<std::size_t>(k_);
    Trajectory t;
    t.start.resize(kk);
    t.move.resize(kk);
    t.order.resize(kk);
    const r123::Philox4x32 philox;
    const auto key = morris_key(seed_);
    const double d = delta();
    const int half = p_ / 2;  // base levels 0 .. p/2 - 1, so that level + Delta stays <= 1
    std::vector<std::uint32_t> shuffle(kk);
    for (std::size_t j = 0; j < kk; ++j) {
        const r123::Philox4x32::ctr_type ctr{
            {static_cast<std::uint32_t>(candidate), static_cast<std::uint32_t>(j), 0x404u, 0}};
        const auto r = philox(ctr, key);
        const double base = below(r[0], half) / static_cast<double>(p_ - 1);
        const bool up = (r[1] >> 31) != 0;
        t.start[j] = up ? base : base + d;
        t.move[j] = up ? d : -d;
        shuffle[j] = r[2];
        t.order[j] = static_cast<int>(j);
    }
    // Fisher-Yates: position i swaps with a uniform position in [0, i].
    for (std::size_t i = kk; i-- > 1;)
        std::swap(t.order[i],
                  t.order[static_cast<std::size_t>(below(shuffle[i], static_cast<int>(i + 1)))]);
    return t;
}

void MorrisDesign::point(std::int64_t point, double* out) const {
    if (point < 0 || point >= points())
        throw std::out_of_range("Morris design: no point " + std::to_string(point));
    const Trajectory t = trajectory(candidate_of(trajectory_of(point)));
    const int s = step_of(point);
    std::copy(t.start.begin(), t.start.end(), out);
    for (int i = 0; i < s; ++i) {
        const auto j = static_cast<std::size_t>(t.order[static_cast<std::size_t>(i)]);
        out[j] += t.move[j];
    }
    // Land exactly on the grid: base + Delta is a level, computed in one rounding.
    const double q = p_ - 1;
    for (int j = 0; j < k_; ++j) out[j] = std::round(out[j] * q) / q;
}

int MorrisDesign::factor(std::int64_t point) const {
    const int s = step_of(point);
    if (s == 0) return -1;
    return trajectory(candidate_of(trajectory_of(point))).order[static_cast<std::size_t>(s - 1)];
}

double MorrisDesign::step(std::int64_t point) const {
    const int s = step_of(point);
    if (s == 0) return 0;
    const Trajectory t = trajectory(candidate_of(trajectory_of(point)));
    return t.move[static_cast<std::size_t>(t.order[static_cast<std::size_t>(s - 1)])];
}

}  // namespace sesim
