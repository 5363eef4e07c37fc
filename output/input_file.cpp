#include "output/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include "model/errors.hpp"
#include "output/safe_write.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

std::string file_kind(mode_t mode) {
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a pipe (FIFO)";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

// Files named like `file` in the folders below its folder (two levels, at most 5,000 entries
// looked at): a file that moved into a subfolder (scenarios/national.ini is
// scenarios/national/national.ini) is then named in the message.
std::string did_you_mean(const fs::path& file) {
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return "";
    std::vector<std::string> found;
    int seen = 0;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator() && seen < 5000 && found.size() < 3;
         it.increment(ec), ++seen) {
        if (it.depth() >= 2) it.disable_recursion_pending();
        if (it->path().filename() == file.filename() && it->is_regular_file(ec))
            found.push_back(it->path().lexically_normal().string());
    }
    if (found.empty()) return "";
    std::string out = "; did you mean ";
    for (std::size_t k = 0; k < found.size(); ++k)
        out += (k == 0 ? "" : k + 1 == found.size() ? " or " : ", ") + found[k];
    return out + "?";
}

// stat() of `file` for an input, with the refusals every input shares.
struct stat stat_input(const fs::path& file, std::string_view what) {
    const std::string shown = file.string();
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT || err == ENOTDIR)
            throw InputError(shown +
                             ": no such file; check the path (relative paths are taken from "
                             "the current directory)" +
                             did_you_mean(file));
        throw InputError(shown + ": cannot read the " + std::string(what) + " (" + error_text(err) +
                         ")");
    }
    if (S_ISDIR(st.st_mode))
        throw InputError(shown + ": is a directory, not a " + std::string(what) +
                         "; give the path of a file");
    if (!S_ISREG(st.st_mode))
        throw InputError(shown + ": is " + file_kind(st.st_mode) + ", not a " + std::string(what) +
                         "; sesim reads inputs from regular files only");
    return st;
}

}  // namespace

std::string read_text_input(const fs::path& file, std::string_view what, std::uintmax_t max_bytes) {
    const std::string shown = file.string();
    stat_input(file, what);
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        throw InputError(shown + ": cannot open the file for reading (" + error_text(err) +
                         "); check its permissions");
    }
    // fstat of what was opened: the path may have been replaced since the stat above.
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw InputError(shown +
                         ": is not a regular file; sesim reads inputs from regular files "
                         "only");
    }
    if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
        ::close(fd);
        throw InputError(shown + ": is " + std::to_string(st.st_size) + " bytes, more than the " +
                         std::to_string(max_bytes) + " a " + std::string(what) +
                         " may have; is it the right file?");
    }
    std::string text;
    char buf[65536];
    while (true) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            throw InputError(shown + ": reading the file failed (" + error_text(err) +
                             "); check that it is a readable file");
        }
        if (n == 0) break;
        // The file may grow while it is read: the limit holds for what is read.
        if (text.size() + static_cast<std::size_t>(n) > max_bytes) {
            ::close(fd);
            throw InputError(shown + ": is larger than the " + std::to_string(max_bytes) +
                             " bytes a " + std::string(what) + " may have; is it the right file?");
        }
        text.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return text;
}

void check_regular_input(const fs::path& file, std::string_view what) {
    stat_input(file, what);
}

void refuse_output_onto_inputs(const fs::path& output, const std::vector<fs::path>& inputs,
                               std::string_view command, const std::vector<fs::path>& derived) {
    std::vector<fs::path> outputs{output};
    outputs.insert(outputs.end(), derived.begin(), derived.end());
    std::error_code ec;
    for (const fs::path& out : outputs) {
        struct stat os {};
        const bool out_exists = ::stat(out.c_str(), &os) == 0;
        const fs::path out_abs = fs::absolute(out, ec).lexically_normal();
        for (const fs::path& in : inputs) {
            struct stat is {};
            bool same = false;
            if (out_exists && ::stat(in.c_str(), &is) == 0)
                same = os.st_dev == is.st_dev && os.st_ino == is.st_ino;
            else if (!out_exists)
                same = fs::absolute(in, ec).lexically_normal() == out_abs;
            if (!same) continue;
            const std::string shown = out == output ? in_quotes(output.string())
                                                    : in_quotes(out.string()) + " (written for " +
                                                          in_quotes(output.string()) + ")";
            throw InputError(std::string(command) + ": the output " + shown + " is the input " +
                             in_quotes(in.string()) +
                             (in.string() == out.string() ? "" : " (the same file)") +
                             "; writing it would destroy what is read: choose another output path");
        }
    }
}

std::size_t invalid_utf8_at(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;  // allowed range of the second byte (RFC 3629, table 3-7)
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;  // no overlong forms
            if (c == 0xED) hi = 0x9F;  // no surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
        } else {
            return i;
        }
        if (i + len > n) return i;
        if (s[i + 1] < lo || s[i + 1] > hi) return i;
        for (std::size_t k = 2; k < len; ++k)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
        i += len;
    }
    return std::string_view::npos;
}

std::string short_text(std::string_view value, std::size_t max) {
    if (value.size() <= max) return "'" + std::string(value) + "'";
    std::size_t cut = max;
    // Back to the start of a UTF-8 character (continuation bytes are 10xxxxxx).
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    return "'" + std::string(value.substr(0, cut)) + "...' (" + std::to_string(value.size()) +
           " bytes)";
}

}  // namespace sesim
