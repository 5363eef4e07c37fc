// Output declarations generated from model/outputs.def, and the per-run result buffer.
#pragma once
#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

namespace sesim {

enum class Output : int {
#define OUTPUT(name, kind, units, long_name) name,
#include "model/outputs.def"
#undef OUTPUT
};

inline constexpr int kOutputs = 0
#define OUTPUT(...) +1  // NOLINT(bugprone-macro-parentheses): one term of the sum
#include "model/outputs.def"
#undef OUTPUT
    ;

enum class OutputKind { stock, flow };

struct OutputDef {
    std::string_view name;
    OutputKind kind;
    std::string_view units;
    std::string_view long_name;
};

inline constexpr std::array<OutputDef, kOutputs> kOutputDefs{{
#define OUTPUT(name, kind, units, long_name) {#name, OutputKind::kind, units, long_name},
#define STOCK stock
#define FLOW flow
#include "model/outputs.def"
#undef STOCK
#undef FLOW
#undef OUTPUT
}};

// The series of one run: the totals, values[o * months + t] for output o, month t, and the same
// per region, region_values[(o * regions + r) * months + t]. Regions' flows and counts add up
// to the totals (to float precision); shares and means are computed per region from the
// region's own numerators and denominators, and in the total from the summed ones. The
// per-region values are floats (7 significant digits): a national run keeps 342 regions x 44
// outputs x 240 months of them, 14 MB as float against 29 MB as double, and the memory
// budget (64 bytes per SME plus a few MB) has no room for the latter. Totals are doubles.
struct RunSeries {
    int months = 0;
    int regions = 0;
    std::vector<double> values;
    std::vector<float> region_values;
    explicit RunSeries(int m = 0, int region_count = 0)
        : months(m),
          regions(region_count),
          values(static_cast<std::size_t>(m) * kOutputs, 0.0),
          region_values(
              static_cast<std::size_t>(m) * kOutputs * static_cast<std::size_t>(region_count),
              0.0F) {}
    double& at(Output o, int t) {
        return values[static_cast<std::size_t>(o) * static_cast<std::size_t>(months) +
                      static_cast<std::size_t>(t)];
    }
    double at(Output o, int t) const {
        return values[static_cast<std::size_t>(o) * static_cast<std::size_t>(months) +
                      static_cast<std::size_t>(t)];
    }
    const double* series(int o) const {
        return values.data() + static_cast<std::size_t>(o) * static_cast<std::size_t>(months);
    }
    std::size_t region_offset(int o, int r) const {
        return (static_cast<std::size_t>(o) * static_cast<std::size_t>(regions) +
                static_cast<std::size_t>(r)) *
               static_cast<std::size_t>(months);
    }
    float& at(Output o, int r, int t) {
        return region_values[region_offset(static_cast<int>(o), r) + static_cast<std::size_t>(t)];
    }
    float at(Output o, int r, int t) const {
        return region_values[region_offset(static_cast<int>(o), r) + static_cast<std::size_t>(t)];
    }
    const float* region_series(int o, int r) const {
        return region_values.data() + region_offset(o, r);
    }
};

}  // namespace sesim
