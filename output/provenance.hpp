// How a file was made: the build, the machine, the command and the time, stored as root
// attributes of every file sesim writes. One writer (write_provenance) for the result files of
// `sesim run`, the sweep files of `sesim sweep` and `sesim merge` and the posterior files of
// `sesim calibrate`, so that a field added or renamed changes every kind of file alike.
#pragma once
#include <cstdint>
#include <string>

namespace sesim {

namespace h5 {
class Object;
}

// Everything about how a file was made, stored as root attributes.
struct Provenance {
    std::string command_line;
    std::uint32_t seed = 0;
    int replicates = 0;
    std::string creation_time;  // ISO 8601 UTC
    std::string host;
    // The build that wrote the file (from sesim_version.hpp).
    std::string sesim_version;
    int model_version = 0;
    std::string git_commit;
    std::string compiler;
    std::string cxx_flags;
    std::string build_type;
    // The machine, where it can change results (output/platform.hpp, docs/reproducing.md).
    std::string libc;
    std::string cpu;
    std::string libm_fingerprint;
};

// Fills version, commit, compiler, flags, build type from the build (sesim_version.hpp),
// plus host, C library, CPU, libm fingerprint and the current UTC time.
Provenance make_provenance(const std::string& command_line, std::uint32_t seed, int replicates);

// The kinds of file, each with the provenance attributes (names, types and order) it has held
// since its format was fixed: readers, `sesim reproduce` and users' scripts rely on them.
//   run:       every field; model_version int32, seed uint32, replicates int32
//   sweep:     the text fields only: sweep files store every number as float64 among their
//              own numbers (model_version, then points, replicates, seed, paired;
//              SweepLayout::number_attributes)
//   posterior: sesim_version, model_version (int32), git_commit, command_line, creation_time,
//              seed (uint32)
enum class ProvenanceOf { run, sweep, posterior };

// Writes the provenance attributes of `kind` on `file` (its root group). RunError when HDF5
// fails.
void write_provenance(const h5::Object& file, const Provenance& p, ProvenanceOf kind);

}  // namespace sesim
