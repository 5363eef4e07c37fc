// Sobol' low-discrepancy sequence (Sobol' 1967) with the direction numbers of Joe and Kuo
// (2008), for the Saltelli sampling scheme of `sesim sweep`.
//
// Point n is computed directly from the Gray code of n (Antonov and Saleev 1979), not by
// stepping from point n - 1, so any process can compute any point of a sweep on its own. The
// points come in the same order as scipy.stats.qmc.Sobol(d, scramble=False), against which the
// tests check them.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

namespace sesim {

class Sobol {
  public:
    // Dimensions with direction numbers here: the first 128 of Joe and Kuo's table, enough for
    // the 2k dimensions of a Saltelli design over k <= 64 parameters.
    static constexpr int kMaxDimensions = 128;
    // Bits per coordinate: points 0 .. 2^32 - 1, coordinates on the grid j / 2^32.
    static constexpr int kBits = 32;

    // std::invalid_argument unless 1 <= dimensions <= kMaxDimensions.
    explicit Sobol(int dimensions);

    int dimensions() const { return dims_; }
    // Coordinate `d` (0-based) of point `n` (0-based; point 0 is the origin), in [0, 1).
    double coordinate(std::uint64_t n, int d) const;
    // All coordinates of point `n` into out[0 .. dimensions).
    void point(std::uint64_t n, double* out) const;

  private:
    int dims_;
    std::vector<std::array<std::uint32_t, kBits>> v_;  // direction numbers v[d][i] = m_i 2^(32-i)
};

}  // namespace sesim
