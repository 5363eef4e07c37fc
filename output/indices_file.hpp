// The HDF5 file of `sesim sensitivity`: sensitivity indices with their bootstrap bounds, on
// dimensions output x time x parameter, each a dimension scale so that xarray (netCDF-4)
// opens it with labelled coordinates (docs/sensitivity.md):
//
//   parameter(parameter)   names of the varied parameters
//   output(output)         names of the analysed outputs
//   time(time)             CF time of the analysed months
//   <index>(output, time, parameter)   e.g. S1, S1_low, S1_high, ST, ... or mu_star, ...
//   <statistic>(output, time)          e.g. variance
//
// Written under a temporary name and renamed when complete.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sesim {

struct IndicesVariable {
    std::string name;
    std::string long_name;
    std::string units;
    std::vector<double> values;  // output-major: [output][time][parameter], or [output][time]
};

struct IndicesTable {
    std::vector<std::string> parameters;
    std::vector<std::string> outputs;
    std::vector<int> months;                  // absolute month indices
    std::vector<IndicesVariable> indices;     // output x time x parameter
    std::vector<IndicesVariable> statistics;  // output x time
    std::vector<std::pair<std::string, std::string>> text_attributes;
    std::vector<std::pair<std::string, double>> number_attributes;
};

// Writes `table` to `path` (via `path`.tmp-PID, renamed). RunError when HDF5 fails; the
// temporary is removed and `path` left as it was.
void write_indices_file(const std::filesystem::path& path, const IndicesTable& table);

}  // namespace sesim
