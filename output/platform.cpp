#include "output/platform.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

namespace sesim {

std::string libc_version() {
#if defined(__GLIBC__)
    return std::string("glibc ") + gnu_get_libc_version();
#else
    return "unknown";
#endif
}

std::string cpu_description() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    std::string model;
    std::string flags;
    while (std::getline(in, line) && (model.empty() || flags.empty())) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string key = line.substr(0, colon);
        while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
        std::string value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.erase(0, 1);
        if (model.empty() && (key == "model name" || key == "Processor" || key == "cpu model"))
            model = value;
        // x86 "flags", ARM "Features".
        if (flags.empty() && (key == "flags" || key == "Features")) flags = value;
    }
    if (model.empty() && flags.empty()) return "unknown";
    std::string relevant;
    std::istringstream words(flags);
    std::string w;
    while (words >> w)
        if (w == "fma" || w == "fma4" || w == "avx2" || w == "avx512f" || w == "asimd")
            relevant += (relevant.empty() ? "" : " ") + w;
    return (model.empty() ? std::string("unknown model") : model) + " (" +
           (relevant.empty() ? std::string("no fma") : relevant) + ")";
}

std::string libm_fingerprint() {
    // Arguments from a fixed xorshift sequence, in ranges the model uses. Volatile so that the
    // compiler cannot evaluate the calls itself (it would round correctly, unlike libm).
    std::uint64_t s = 88172645463325252ull;
    auto uniform = [&s] {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return static_cast<double>(s >> 11) * 0x1.0p-53;
    };
    std::uint64_t hash = 1469598103934665603ull;  // FNV-1a, over the results' bit patterns
    auto mix = [&hash](double v) {
        std::uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        for (int i = 0; i < 8; ++i) {
            hash ^= (bits >> (8 * i)) & 0xff;
            hash *= 1099511628211ull;
        }
    };
    for (int i = 0; i < 65536; ++i) {
        volatile double u = uniform();
        volatile double v = uniform();
        mix(std::exp(u * 40 - 20));
        mix(std::log(u * 1e6 + 1e-300));
        mix(std::pow(u * 10, v * 3));
        mix(std::cos(u * 6.283185307179586));
        mix(std::expm1(-u * 5));
        mix(std::log1p(-u * 0.99));
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

}  // namespace sesim
