// The Sobol' generator against an independent implementation (scipy) and against the
// defining property of a Sobol' sequence: every block of 2^m points is a (t, m, s)-net, so in
// one dimension each of 2^m equal cells holds exactly one point.
#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "solvers/sobol.hpp"

using namespace sesim;

namespace {

struct Reference {
    std::uint64_t n;
    std::uint32_t x[7];  // coordinate x 2^30 in dimensions 0, 1, 2, 9, 39, 63, 127
};

// scipy 1.10.1: scipy.stats.qmc.Sobol(d=128, scramble=False).random(1024), rows n, times 2^30.
// scipy reads the same Joe-Kuo table, so this checks the recurrence, the Gray-code order and
// the direct computation from n, not the table itself (checked by the net property below).
constexpr Reference kScipy[] = {
    {1, {536870912, 536870912, 536870912, 536870912, 536870912, 536870912, 536870912}},
    {2, {805306368, 268435456, 268435456, 805306368, 268435456, 805306368, 268435456}},
    {3, {268435456, 805306368, 805306368, 268435456, 805306368, 268435456, 805306368}},
    {5, {939524096, 939524096, 134217728, 134217728, 402653184, 671088640, 134217728}},
    {100, {444596224, 276824064, 830472192, 746586112, 142606336, 696254464, 494927872}},
    {1000, {235929600, 103809024, 556793856, 74448896, 514850816, 479199232, 584056832}},
    {1023, {1048576, 808452096, 657457152, 913309696, 749731840, 42991616, 751828992}},
};
constexpr int kDims[7] = {0, 1, 2, 9, 39, 63, 127};

}  // namespace

TEST_CASE("Sobol: points equal scipy's unscrambled Sobol' sequence", "[sobol]") {
    const Sobol s(Sobol::kMaxDimensions);
    for (const Reference& r : kScipy)
        for (int i = 0; i < 7; ++i) {
            INFO("n = " << r.n << ", dimension " << kDims[i]);
            CHECK(s.coordinate(r.n, kDims[i]) == static_cast<double>(r.x[i]) * 0x1.0p-30);
        }
    CHECK(s.coordinate(0, 5) == 0.0);  // point 0 is the origin
}

TEST_CASE("Sobol: every dimension stratifies each aligned block of 2^m points", "[sobol]") {
    const Sobol s(Sobol::kMaxDimensions);
    for (int m : {1, 4, 8}) {
        const std::uint64_t n = std::uint64_t{1} << m;
        for (std::uint64_t block : {0u, 1u, 5u})
            for (int d = 0; d < Sobol::kMaxDimensions; ++d) {
                std::vector<int> cells(n, 0);
                for (std::uint64_t i = block * n; i < (block + 1) * n; ++i)
                    ++cells[static_cast<std::size_t>(s.coordinate(i, d) * static_cast<double>(n))];
                INFO("m = " << m << ", block " << block << ", dimension " << d);
                for (int c : cells) REQUIRE(c == 1);
            }
    }
}

TEST_CASE("Sobol: two dimensions form a (0, m, 2)-net", "[sobol]") {
    // The first two dimensions of a Sobol' sequence have t = 0: each of the 2^m rectangles of
    // area 2^-m of every shape 2^-a x 2^-(m-a) holds one point.
    const Sobol s(2);
    const int m = 6;
    const std::uint64_t n = std::uint64_t{1} << m;
    for (int a = 0; a <= m; ++a) {
        std::vector<int> cells(n, 0);
        for (std::uint64_t i = 0; i < n; ++i) {
            const auto cx = static_cast<std::uint64_t>(s.coordinate(i, 0) * double(1u << a));
            const auto cy = static_cast<std::uint64_t>(s.coordinate(i, 1) * double(1u << (m - a)));
            ++cells[cx * (std::uint64_t{1} << (m - a)) + cy];
        }
        INFO("a = " << a);
        for (int c : cells) REQUIRE(c == 1);
    }
}

TEST_CASE("Sobol: dimensions outside the table are refused", "[sobol]") {
    CHECK_THROWS_AS(Sobol(0), std::invalid_argument);
    CHECK_THROWS_AS(Sobol(Sobol::kMaxDimensions + 1), std::invalid_argument);
    const Sobol s(3);
    CHECK(s.dimensions() == 3);
    CHECK_THROWS_AS(s.coordinate(std::uint64_t{1} << 32, 0), std::out_of_range);
}
