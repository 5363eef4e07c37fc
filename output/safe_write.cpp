#include "output/safe_write.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <system_error>
#include <tuple>
#include <utility>

#include "model/errors.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

// The suffixes of temporaries, without the "-<pid>" that follows them.
constexpr std::string_view kTemporaryKinds[] = {"tmp", "replicates-tmp", "merging", "partial.new",
                                                "new"};

bool process_exists(pid_t pid) {
    if (pid <= 0) return false;
    // EPERM: it exists but belongs to someone else.
    return ::kill(pid, 0) == 0 || errno == EPERM;
}

// The pid of `name` when it is `<base>.<kind>-<digits>` for one of the temporary kinds.
pid_t temporary_pid(const std::string& name, const std::string& base) {
    if (name.size() <= base.size() + 1 || name.compare(0, base.size(), base) != 0 ||
        name[base.size()] != '.')
        return 0;
    const std::string rest = name.substr(base.size() + 1);
    for (const std::string_view kind : kTemporaryKinds) {
        if (rest.size() <= kind.size() + 1 || rest.compare(0, kind.size(), kind) != 0 ||
            rest[kind.size()] != '-')
            continue;
        // "<pid>", or "<pid>.new-<pid>" (SweepFile::create's file for a merge's temporary).
        std::string digits = rest.substr(kind.size() + 1);
        const auto dot = digits.find('.');
        if (dot != std::string::npos) {
            const std::string tail = digits.substr(dot);
            if (tail.rfind(".new-", 0) != 0 || tail.size() == 5 ||
                tail.find_first_not_of("0123456789", 5) != std::string::npos)
                continue;
            digits.resize(dot);
        }
        if (digits.empty() || digits.size() > 9 ||
            digits.find_first_not_of("0123456789") != std::string::npos)
            continue;
        return static_cast<pid_t>(std::stol(digits));
    }
    return 0;
}

fs::path folder_of(const fs::path& path) {
    return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

// Writes all of `text` to `fd`; errno of the first failure, or 0.
int write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        done += static_cast<std::size_t>(n);
    }
    return 0;
}

}  // namespace

std::string error_text(int err) {
    return std::generic_category().message(err);
}

void ignore_file_size_signal() {
    std::signal(SIGXFSZ, SIG_IGN);
}

std::string write_error_cause(int err) {
    switch (err) {
        case ENOSPC:
            return "no space left on the device; free some space or write elsewhere";
        case EFBIG:
            return "file too large: it exceeds the file-size limit (ulimit -f) or the file "
                   "system's largest file";
        case EDQUOT:
            return "disk quota exceeded";
        case EROFS:
            return "the file system is read-only";
        case EIO:
            return "input/output error (a failing disk or a lost network file system)";
        default:
            return error_text(err);
    }
}

void throw_write_error(const fs::path& path, int err, std::string_view what) {
    throw RunError(std::string(what) + " " + in_quotes(path.string()) + ": " +
                   write_error_cause(err));
}

void check_output_path(const fs::path& path) {
    const std::string advice = "; choose another output path or create the folder";
    if (path.empty()) throw InputError("the output path is empty" + advice);
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw InputError("output path " + in_quotes(path.string()) +
                         " is a folder, not a file; choose another output path such as " +
                         in_quotes((path / "results.h5").string()));
    const fs::path folder = folder_of(path);
    if (!fs::exists(folder, ec))
        throw InputError("cannot write " + in_quotes(path.string()) + ": folder " +
                         in_quotes(folder.string()) + " does not exist" + advice);
    if (!fs::is_directory(folder, ec))
        throw InputError("cannot write " + in_quotes(path.string()) + ": " +
                         in_quotes(folder.string()) + " is not a folder" + advice);
    // The writers add up to kLongestOutputSuffix characters to the name; a name that fits
    // only without them would fail after the simulation.
    const long name_max = ::pathconf(folder.c_str(), _PC_NAME_MAX);
    const std::size_t limit = name_max > 0 ? static_cast<std::size_t>(name_max) : 255;
    const std::string name = path.filename().string();
    if (name.size() + kLongestOutputSuffix > limit)
        throw InputError("output file name " + in_quotes(name.substr(0, 40) + "...") + " is " +
                         std::to_string(name.size()) + " bytes long; this file system allows " +
                         std::to_string(limit) + " and sesim adds up to " +
                         std::to_string(kLongestOutputSuffix) +
                         " for its temporary files: choose a shorter name");
    if (fs::absolute(path, ec).string().size() + kLongestOutputSuffix >= PATH_MAX)
        throw InputError("output path " + in_quotes(path.string().substr(0, 60) + "...") +
                         " is longer than the system allows (" + std::to_string(PATH_MAX) +
                         " bytes); choose a shorter path");
    // Permission bits do not tell (root, read-only mounts, ACLs): try it.
    const fs::path probe =
        folder / (".sesim-write-test-" + std::to_string(static_cast<long>(::getpid())));
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        const int err = errno;
        throw InputError("cannot write " + in_quotes(path.string()) + ": cannot create files in " +
                         in_quotes(folder.string()) + " (" + error_text(err) + ")" + advice);
    }
    ::close(fd);
    fs::remove(probe, ec);
}

fs::path temporary_path(const fs::path& path, std::string_view kind) {
    fs::path tmp = path;
    tmp += "." + std::string(kind) + "-" + std::to_string(static_cast<long>(::getpid()));
    return tmp;
}

void fsync_path(const fs::path& path, bool directory) {
    const int fd =
        ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    const int err = fd < 0 ? errno : (::fsync(fd) != 0 ? errno : 0);
    if (fd >= 0) ::close(fd);
    if (err != 0) throw_write_error(path, err, "cannot flush to disk");
}

void commit_file(const fs::path& tmp, const fs::path& path) {
    fsync_path(tmp, false);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        throw RunError("cannot rename " + in_quotes(tmp.string()) + " to " +
                       in_quotes(path.string()) + ": " + write_error_cause(err));
    }
    fsync_path(folder_of(path), true);
}

// ---- OutputLock --------------------------------------------------------------------------------

fs::path lock_path(const fs::path& path) {
    fs::path l = path;
    l += ".lock";
    return l;
}

namespace {

// The pid and command written in a lock file ("1234 sesim run"), or 0 and "".
std::pair<pid_t, std::string> read_lock_owner(int fd) {
    char buf[256] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return {0, ""};
    const std::string text(buf, static_cast<std::size_t>(n));
    const auto space = text.find(' ');
    const std::string digits = text.substr(0, space);
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
        return {0, ""};
    std::string command = space == std::string::npos ? "" : text.substr(space + 1);
    while (!command.empty() && (command.back() == '\n' || command.back() == '\0'))
        command.pop_back();
    return {static_cast<pid_t>(std::stol(digits)), command};
}

}  // namespace

OutputLock::OutputLock(const fs::path& path, std::string_view command)
    : lock_(sesim::lock_path(path)) {
    // A lock file unlinked by its previous owner between our open() and flock() is not the
    // lock any more: try again with the file now at the path (a few times at most; each
    // retry means another writer finished in between).
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int fd = ::open(lock_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            const int err = errno;
            throw RunError("cannot create the lock file " + in_quotes(lock_.string()) + ": " +
                           write_error_cause(err));
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int err = errno;
            // The owner writes its id just after taking the lock: give it a moment (at most
            // 0.1 s) so that the message can name it.
            auto [pid, cmd] = read_lock_owner(fd);
            for (int wait = 0; pid == 0 && err == EWOULDBLOCK && wait < 20; ++wait) {
                ::usleep(5000);
                std::tie(pid, cmd) = read_lock_owner(fd);
            }
            ::close(fd);
            if (err != EWOULDBLOCK)
                throw RunError("cannot lock " + in_quotes(lock_.string()) + ": " + error_text(err));
            throw InputError(
                in_quotes(path.string()) + " is in use by " +
                (pid > 0 ? "process " + std::to_string(pid) + (cmd.empty() ? "" : " (" + cmd + ")")
                         : std::string("another process")) +
                ", which is writing it; wait for it to finish or stop it, or choose another "
                "output path");
        }
        struct stat held {};
        struct stat now {};
        if (::fstat(fd, &held) != 0 || ::stat(lock_.c_str(), &now) != 0 ||
            held.st_ino != now.st_ino || held.st_dev != now.st_dev) {
            ::close(fd);
            continue;
        }
        const std::string owner =
            std::to_string(static_cast<long>(::getpid())) + " " + std::string(command) + "\n";
        // The owner line is for messages only: a failure to write it (disk full) does not
        // stop the lock from working, and the writes that follow will report the full disk.
        if (::ftruncate(fd, 0) == 0) (void)write_all(fd, owner);
        fd_ = fd;
        return;
    }
    throw RunError("cannot lock " + in_quotes(lock_.string()) +
                   ": it keeps being replaced by other processes");
}

OutputLock::OutputLock(OutputLock&& other) noexcept
    : lock_(std::move(other.lock_)), fd_(std::exchange(other.fd_, -1)) {}

OutputLock::~OutputLock() {
    if (fd_ < 0) return;
    // Unlink while still holding the lock: a writer waiting on this file sees it replaced.
    ::unlink(lock_.c_str());
    ::close(fd_);
}

pid_t lock_holder(const fs::path& path) {
    const fs::path l = lock_path(path);
    const int fd = ::open(l.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    pid_t pid = 0;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
        pid = read_lock_owner(fd).first;
        if (pid == 0) pid = -1;  // held, by a process that has not written its id yet
    }
    ::close(fd);
    return pid;
}

// ---- Stale temporaries -------------------------------------------------------------------------

std::vector<fs::path> stale_temporaries(const fs::path& path) {
    std::vector<fs::path> out;
    const std::string base = path.filename().string();
    std::error_code ec;
    fs::directory_iterator it(folder_of(path), ec);
    if (ec) return out;
    for (const fs::directory_entry& e : it) {
        const pid_t pid = temporary_pid(e.path().filename().string(), base);
        if (pid > 0 && !process_exists(pid))
            out.push_back(path.has_parent_path() ? e.path() : e.path().filename());
    }
    return out;
}

std::vector<fs::path> temporary_outputs(const fs::path& folder) {
    std::vector<fs::path> out;
    std::error_code ec;
    fs::directory_iterator it(folder, ec);
    if (ec) return out;
    for (const fs::directory_entry& e : it) {
        const std::string name = e.path().filename().string();
        // The output is what precedes ".<kind>-"; the first candidate that parses wins.
        for (const std::string_view kind : kTemporaryKinds) {
            const std::string marker = "." + std::string(kind) + "-";
            const auto at = name.find(marker);
            if (at == std::string::npos || at == 0) continue;
            const std::string base = name.substr(0, at);
            if (temporary_pid(name, base) <= 0) continue;
            const fs::path output = folder / base;
            if (std::find(out.begin(), out.end(), output) == out.end()) out.push_back(output);
            break;
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<fs::path> remove_stale_temporaries(const fs::path& path, std::ostream& log) {
    std::vector<fs::path> removed;
    const std::string base = path.filename().string();
    for (const fs::path& p : stale_temporaries(path)) {
        std::error_code ec;
        if (!fs::remove(p, ec) || ec) continue;
        log << "sesim: removed " << p.string() << ", left by process "
            << temporary_pid(p.filename().string(), base) << ", which is gone\n";
        removed.push_back(p);
    }
    return removed;
}

// ---- AtomicTextFile ----------------------------------------------------------------------------

AtomicTextFile::AtomicTextFile(fs::path path)
    : path_(std::move(path)), tmp_(temporary_path(path_)) {}

AtomicTextFile::~AtomicTextFile() {
    if (committed_) return;
    std::error_code ec;
    fs::remove(tmp_, ec);
}

void AtomicTextFile::commit() {
    if (committed_) return;
    const int fd = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw_write_error(path_, errno, "cannot create a temporary file for");
    int err = write_all(fd, text_.str());
    if (err == 0 && ::fsync(fd) != 0) err = errno;
    if (::close(fd) != 0 && err == 0) err = errno;
    if (err != 0) {
        std::error_code ec;
        fs::remove(tmp_, ec);
        throw_write_error(path_, err);
    }
    try {
        commit_file(tmp_, path_);
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp_, ec);
        throw;
    }
    committed_ = true;
}

void write_file_atomically(const fs::path& path, const std::string& text) {
    check_output_path(path);
    AtomicTextFile f(path);
    f.stream() << text;
    f.commit();
}

}  // namespace sesim
