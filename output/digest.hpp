// The digest of a result file's data: SHA-256 over a canonical byte form of every output
// dataset, so that two files with the same numbers have the same digest whatever their HDF5
// bytes (which differ by creation time, host and layout). docs/reproducing.md documents it.
//
// Canonical form, in this order:
//   scenario groups in byte order of their names;
//   within a group, outputs in declaration order (model/outputs.def);
//   per output, `<output>` (replicate, time) and then `<output>_stats` (statistic, time),
//   each when the file has it;
//   per dataset: its path "group/dataset" as UTF-8 and one NUL byte, its rows and its columns
//   as unsigned 64-bit little-endian integers, then its values row by row (replicate-major)
//   as IEEE-754 binary64, little-endian.
// The file digest is the SHA-256 of the concatenation; each dataset also has its own SHA-256
// of its part, so a changed digest can be traced to the outputs that changed.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "output/sha256.hpp"

namespace sesim {

struct DatasetDigest {
    std::string path;  // "baseline/se_active"
    std::uint64_t rows = 0;
    std::uint64_t cols = 0;
    std::string sha256;
};

struct FileDigest {
    std::string sha256;
    std::vector<DatasetDigest> datasets;  // in canonical order
};

// Builds a FileDigest from datasets added in canonical order.
class DigestBuilder {
  public:
    void add(const std::string& path, std::uint64_t rows, std::uint64_t cols, const double* values);
    FileDigest finish();

  private:
    Sha256 all_;
    FileDigest out_;
};

// The digest of a result file of `sesim run`. InputError when it is not one or is damaged.
FileDigest digest_file(const std::filesystem::path& file);

}  // namespace sesim
