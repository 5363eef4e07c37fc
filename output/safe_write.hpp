// How every sesim command writes a file, so that no failure loses what was there (issue 12).
// One small API for every writer (run, sweep, merge, compare --csv, and the commands still to
// come: report, sensitivity, calibrate). A writer does, in this order:
//
//   check_output_path(out);                    // folder exists and is writable, name fits:
//                                              // InputError (exit 2) before any work
//   refuse_output_onto_inputs(out, inputs);    // output/input_file.hpp: never write onto
//                                              // a file the command reads (exit 2)
//   OutputLock lock(out, "sesim run");         // one writer per output: a second gets
//                                              // "in use by process N" (exit 2)
//   remove_stale_temporaries(out, std::cerr);  // leftovers of killed writers, said aloud
//   ... write temporary_path(out) ...          // never the final name
//   commit_file(temporary_path(out), out);     // fsync, rename, fsync the folder
//
// or, for a small text file, write_file_atomically(out, text) after the lock. The lock is
// held until the rename (the OutputLock outlives the commit). A failed write throws RunError
// (exit 1) naming the path and the cause from errno: "no space left on the device", "file
// too large" (a file-size limit: the process ignores SIGXFSZ, see ignore_file_size_signal(),
// so write() returns EFBIG instead of the kernel killing it). The temporary is removed by
// whoever created it (ResultFile, SweepFile::create, AtomicTextFile) and an existing file at
// the final path is never touched until the rename replaces it whole.
//
// Temporaries are named `<output>.<kind>-<pid>` (kind "tmp", "replicates-tmp", "merging",
// "partial.new", "new"; and `<output>.merging-<pid>.new-<pid>`), so the next writer of the same
// output (or `sesim clean`) can tell those of processes that are gone. A sweep's `<output>.partial`
// is not a temporary: it holds saved runs and is continued by `sesim sweep --resume`.
#pragma once
#include <sys/types.h>

#include <filesystem>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace sesim {

// Makes a file-size limit (ulimit -f) a write error (EFBIG) instead of death by SIGXFSZ with
// the temporary left behind. Called once at start-up by main().
void ignore_file_size_signal();

// strerror(err), thread-safe (std::strerror is not: it may share one buffer between threads).
std::string error_text(int err);

// A cause in words for an errno of a failed write or close: ENOSPC "no space left on the
// device", EFBIG "file too large (...)", EDQUOT, EROFS, EIO; otherwise strerror().
std::string write_error_cause(int err);

// Throws RunError "<what> '<path>': <cause>".
[[noreturn]] void throw_write_error(const std::filesystem::path& path, int err,
                                    std::string_view what = "cannot write");

// The longest suffix a writer adds to an output's name (".partial.new-4194304" and such),
// for the name-length check.
constexpr std::size_t kLongestOutputSuffix = 32;

// Throws InputError when `path` is empty or a folder, its folder does not exist, is not a
// folder or is not writable (tried, not guessed from permission bits), or when its file name
// plus kLongestOutputSuffix exceeds the file system's name limit (pathconf _PC_NAME_MAX) or
// the whole path PATH_MAX: found before any simulation, not after.
void check_output_path(const std::filesystem::path& path);

// `<path>.<kind>-<pid of this process>`.
std::filesystem::path temporary_path(const std::filesystem::path& path,
                                     std::string_view kind = "tmp");

// fsync's `tmp`, renames it to `path` and fsync's the folder, so that after a crash `path` is
// either the old file or the complete new one. RunError naming the cause.
void commit_file(const std::filesystem::path& tmp, const std::filesystem::path& path);

// fsync of a file (or, with `directory`, a folder); RunError naming the cause.
void fsync_path(const std::filesystem::path& path, bool directory = false);

// An exclusive advisory lock (flock) on `<path>.lock` for as long as the object lives: one
// writer per output. The lock file holds the owner's process id and the command; it is
// removed when the lock is released (the owner unlinks it while still holding the lock, and
// a newcomer who locked a file that has since been unlinked tries again, so the removal
// cannot let two writers in). The kernel releases the lock when the process dies, however it
// dies; a lock file left by kill -9 is taken over by the next writer.
class OutputLock {
  public:
    // InputError "'<path>' is in use by process N (<command>)" when another process holds it;
    // RunError when the lock file cannot be created (the folder is checked before).
    OutputLock(const std::filesystem::path& path, std::string_view command);
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;
    OutputLock(OutputLock&& other) noexcept;
    OutputLock& operator=(OutputLock&&) = delete;
    ~OutputLock();

    const std::filesystem::path& lock_path() const { return lock_; }

  private:
    std::filesystem::path lock_;
    int fd_ = -1;
};

// The lock file of `path`: `<path>.lock`.
std::filesystem::path lock_path(const std::filesystem::path& path);

// The process holding `path`'s lock, or 0 when no process holds it.
pid_t lock_holder(const std::filesystem::path& path);

// Temporaries of `path` (see the naming above) whose process no longer exists. Temporaries of
// a living process are left alone.
std::vector<std::filesystem::path> stale_temporaries(const std::filesystem::path& path);

// The outputs in `folder` that have temporaries (of living processes or not), for `sesim clean
// FOLDER`.
std::vector<std::filesystem::path> temporary_outputs(const std::filesystem::path& folder);

// Removes the stale temporaries of `path` and says so on `log` ("sesim: removed X, left by
// process N, which is gone"). Call while holding the OutputLock. Returns what it removed.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& path,
                                                            std::ostream& log);

// A text file: what is written to stream() is kept in memory, then commit() writes it to the
// temporary with write(2) (so a failure has its errno: disk full, file-size limit), fsync's it
// and renames it. On any failure the temporary is removed and the final path is untouched.
class AtomicTextFile {
  public:
    explicit AtomicTextFile(std::filesystem::path path);
    AtomicTextFile(const AtomicTextFile&) = delete;
    AtomicTextFile& operator=(const AtomicTextFile&) = delete;
    ~AtomicTextFile();

    std::ostream& stream() { return text_; }
    // Writes, syncs and renames; RunError naming the path and the cause. A second call does
    // nothing.
    void commit();

  private:
    std::filesystem::path path_;
    std::filesystem::path tmp_;
    std::ostringstream text_;
    bool committed_ = false;
};

// check_output_path, then AtomicTextFile with `text`, committed.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace sesim
