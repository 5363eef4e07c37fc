#include "output/provenance.hpp"

#include <unistd.h>

#include <ctime>

#include "output/hdf5_file.hpp"
#include "output/platform.hpp"
#include "sesim_version.hpp"

namespace sesim {

Provenance make_provenance(const std::string& command_line, std::uint32_t seed, int replicates) {
    Provenance p;
    p.command_line = command_line;
    p.seed = seed;
    p.replicates = replicates;

    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    p.creation_time = stamp;

    char host[256] = {};
    if (gethostname(host, sizeof host - 1) == 0) p.host = host;

    p.sesim_version = SESIM_VERSION;
    p.model_version = SESIM_MODEL_VERSION;
    p.git_commit = SESIM_GIT_COMMIT;
    p.compiler = SESIM_COMPILER;
    p.cxx_flags = SESIM_CXX_FLAGS;
    p.build_type = SESIM_BUILD_TYPE;
    p.libc = libc_version();
    p.cpu = cpu_description();
    p.libm_fingerprint = libm_fingerprint();
    return p;
}

void write_provenance(const h5::Object& file, const Provenance& p, ProvenanceOf kind) {
    const auto model_version_int = [&] {
        h5::write_attribute(file, "model_version", static_cast<std::int32_t>(p.model_version));
    };
    h5::write_attribute(file, "sesim_version", p.sesim_version);
    if (kind != ProvenanceOf::sweep) model_version_int();
    h5::write_attribute(file, "git_commit", p.git_commit);
    if (kind == ProvenanceOf::posterior) {
        // What posterior files have held since their format was fixed (output/posterior_file.hpp).
        h5::write_attribute(file, "command_line", p.command_line);
        h5::write_attribute(file, "creation_time", p.creation_time);
        h5::write_attribute(file, "seed", p.seed);
        return;
    }
    h5::write_attribute(file, "compiler", p.compiler);
    h5::write_attribute(file, "cxx_flags", p.cxx_flags);
    h5::write_attribute(file, "build_type", p.build_type);
    if (kind == ProvenanceOf::run) {
        h5::write_attribute(file, "seed", p.seed);
        h5::write_attribute(file, "replicates", static_cast<std::int32_t>(p.replicates));
    }
    h5::write_attribute(file, "command_line", p.command_line);
    h5::write_attribute(file, "creation_time", p.creation_time);
    h5::write_attribute(file, "host", p.host);
    h5::write_attribute(file, "libc", p.libc);
    h5::write_attribute(file, "cpu", p.cpu);
    h5::write_attribute(file, "libm_fingerprint", p.libm_fingerprint);
}

}  // namespace sesim
