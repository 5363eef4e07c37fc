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

// The series of one run: values[o * months + t] for output o, month t.
struct RunSeries {
    int months = 0;
    std::vector<double> values;
    explicit RunSeries(int m = 0)
        : months(m), values(static_cast<std::size_t>(m) * kOutputs, 0.0) {}
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
};

}  // namespace sesim
