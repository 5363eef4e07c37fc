// How every sesim command reads a file it is given (issue 12), a small API shared by the
// commands that exist and those still to come (report, sensitivity, calibrate):
//
//   const std::string text = read_text_input(path, "scenario file");  // regular files only,
//                                                                      // size-limited
//   check_regular_input(result_h5, "result file");                     // before HDF5 opens it
//   refuse_output_onto_inputs(out, {inputs...}, "sesim run");          // exit 2, before work
//
// and, for messages and for text that goes into output files: invalid_utf8_at() and
// short_text() (at most a short prefix of a long value is quoted). Every refusal is an
// InputError (exit 2) whose message names the file and says what to do.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sesim {

// Text inputs (scenario, sweep, calibration files) larger than this are refused: they are
// hand-written files of a few kB, and a larger "file" is a mistake such as /dev/zero or a
// result file given in the wrong place.
constexpr std::uintmax_t kMaxTextInputBytes = 16u << 20;

// The whole of a text input. InputError, naming `what` and the path, when it does not exist,
// is a folder or anything but a regular file (a device, FIFO or socket: /dev/zero), is larger
// than `max_bytes`, or cannot be read. Symbolic links are followed.
std::string read_text_input(const std::filesystem::path& file, std::string_view what,
                            std::uintmax_t max_bytes = kMaxTextInputBytes);

// InputError unless `file` exists and is a regular file (after symbolic links).
void check_regular_input(const std::filesystem::path& file, std::string_view what);

// InputError when `output`, or one of `derived` (files the writer also creates or replaces,
// such as a sweep's OUT.partial), is the same file as one of `inputs`: same device and inode
// (so a hard link, a symbolic link or another spelling of the path is found too), or, when it
// does not exist yet, the same absolute path. `command` starts the message.
void refuse_output_onto_inputs(const std::filesystem::path& output,
                               const std::vector<std::filesystem::path>& inputs,
                               std::string_view command,
                               const std::vector<std::filesystem::path>& derived = {});

// The byte offset of the first byte of `text` that is not part of well-formed UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF are not), or std::string_view::npos.
std::size_t invalid_utf8_at(std::string_view text);

// `value` quoted for a message: whole when at most `max` bytes, else its first `max` bytes
// (cut at a character boundary) and "... (N bytes)".
std::string short_text(std::string_view value, std::size_t max = 60);

}  // namespace sesim
