#include "solvers/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace sesim {

namespace {
std::string duration_text(double s) {
    char buf[32];
    if (!std::isfinite(s)) return "?";
    const long v = std::lround(s);
    if (v >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", v / 3600, (v % 3600) / 60);
    else if (v >= 60)
        std::snprintf(buf, sizeof buf, "%ldm%02lds", v / 60, v % 60);
    else
        std::snprintf(buf, sizeof buf, "%lds", v);
    return buf;
}
}  // namespace

Progress::Progress(std::string label, int total, Mode mode)
    : label_(std::move(label)),
      total_(total),
      quiet_(mode == Mode::quiet),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::update(int done) {
    done_ = done;
    if (quiet_) return;
    const auto now = std::chrono::steady_clock::now();
    // A terminal is redrawn up to 10 times a second; a log gets a line every 5 seconds.
    const auto every = tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
    if (now - last_ < every && done < total_) return;
    last_ = now;
    print(done, done >= total_);
}

void Progress::finish() {
    if (quiet_ || finished_) return;
    print(done_, true);
}

void Progress::print(int done, bool final) {
    finished_ = final;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = elapsed > 0 ? done / elapsed : 0.0;
    const double left = rate > 0 ? (total_ - done) / rate : NAN;
    const double frac = total_ > 0 ? static_cast<double>(done) / total_ : 1.0;
    if (tty_) {
        constexpr int width = 30;
        const int fill = static_cast<int>(frac * width);
        std::string bar(static_cast<std::size_t>(fill), '#');
        bar.resize(width, '.');
        std::fprintf(stderr, "\r%s [%s] %d/%d runs  %.1f runs/s  %s left   %s", label_.c_str(),
                     bar.c_str(), done, total_, rate, duration_text(final ? 0.0 : left).c_str(),
                     final ? "\n" : "");
    } else {
        std::fprintf(stderr, "%s: %d/%d runs (%.0f%%), %.1f runs/s, elapsed %s, left %s\n",
                     label_.c_str(), done, total_, 100.0 * frac, rate,
                     duration_text(elapsed).c_str(), duration_text(final ? 0.0 : left).c_str());
    }
    std::fflush(stderr);
}

}  // namespace sesim
