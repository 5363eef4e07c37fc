// Writes a small synthetic result file for the netCDF / xarray compatibility check:
// 2 scenarios, 3 replicates, 24 months; value = 1000 * scenario + 100 * replicate + month.
#include <cstdio>
#include <exception>
#include <vector>

#include "output/result_file.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_sample_file OUT.h5\n");
        return 2;
    }
    try {
        constexpr int kReplicates = 3;
        std::vector<sesim::Scenario> scenarios(2);
        scenarios[0].name = "baseline";
        scenarios[0].description = "sample baseline";
        scenarios[1].name = "procurement";
        scenarios[1].overrides = {{"months", "24"}};
        for (auto& s : scenarios) {
            s.path = s.name + ".scn";
            s.files = {s.path};
            s.text = "# file: " + s.path + "\nname = " + s.name + "\n";
            s.params.g.months = 24;
        }
        const auto prov = sesim::make_provenance("make_sample_file", 42, kReplicates);
        sesim::ResultFile out(argv[1], prov, scenarios);
        for (int s = 0; s < 2; ++s)
            for (int r = 0; r < kReplicates; ++r) {
                sesim::RunSeries series(24, 2);
                for (int o = 0; o < sesim::kOutputs; ++o)
                    for (int t = 0; t < 24; ++t)
                        series.at(static_cast<sesim::Output>(o), t) = 1000.0 * s + 100.0 * r + t;
                out.write_run(s, r, series);
            }
        out.commit();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_sample_file: %s\n", e.what());
        return 1;
    }
    return 0;
}
