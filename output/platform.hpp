// What of the machine can change results, recorded in every result file (docs/reproducing.md).
//
// The build uses -ffp-contract=off, so sesim's own arithmetic is the same on every x86-64 CPU
// and at every optimisation level. The C library's exp, log, pow, cos, expm1 and log1p are
// not: glibc picks one of several implementations at load time (ifunc) by the CPU's features,
// and on x86-64 the FMA variants round a fraction of their results differently from the SSE2
// ones (by one unit in the last place). Those functions feed the model, so a file made on a CPU
// with FMA can differ in the last bits from one made without, or with another glibc. The
// fingerprint below tells the two situations apart from inside the process.
#pragma once
#include <string>

namespace sesim {

// "glibc 2.36", or "unknown" on another C library.
std::string libc_version();

// The CPU's model name and the features glibc's math selection depends on, e.g.
// "Intel(R) Xeon(R) Processor (fma avx2)"; "unknown" when /proc/cpuinfo cannot be read.
std::string cpu_description();

// 16 hex digits: a hash of exp, log, pow, cos, expm1 and log1p, as this process computes them,
// over 65,536 fixed arguments each. Two processes with the same fingerprint use libm code that
// agrees on those arguments (on glibc 2.36 the FMA and SSE2 variants differ in about 1 of 1,500
// results, so about 40 differing values per function tell them apart). Equal fingerprints are
// strong evidence, not proof, that libm gives the model the same numbers. The functions are
// those the model calls (model/*.cpp); a new libm function in the model belongs here too.
std::string libm_fingerprint();

}  // namespace sesim
