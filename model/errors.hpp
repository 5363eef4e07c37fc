// Error categories that the command line maps to exit codes.
#pragma once
#include <stdexcept>

namespace sesim {

// The user's input is wrong (scenario file, option, parameter, output path): exit code 2.
// The message names the problem and what to do; nothing has been written.
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Something failed while running or writing (disk full, damaged file): exit code 1.
struct RunError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace sesim
