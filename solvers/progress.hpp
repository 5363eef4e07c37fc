// Progress of a long run on stderr: a redrawn bar with runs done, rate and time left when
// stderr is a terminal; a plain line every few seconds when it is not (a cluster log).
#pragma once
#include <chrono>
#include <string>

namespace sesim {

class Progress {
  public:
    enum class Mode { automatic, quiet };
    Progress(std::string label, int total, Mode mode = Mode::automatic);
    void update(int done);  // call after each finished run
    void finish();          // final line

  private:
    void print(int done, bool final);
    std::string label_;
    int total_;
    bool quiet_;
    bool tty_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_;
    int done_ = 0;
    bool finished_ = false;
};

}  // namespace sesim
