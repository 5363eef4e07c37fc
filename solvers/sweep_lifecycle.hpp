// The life of a sweep file, from the request of `sesim sweep` to a committed file: the sweep
// file read, the output claimed (locked, never onto an input), the working file
// `<out>.partial` created or continued (resume, with its definition and shard checked), the
// runs computed on this process's threads or, under mpirun, on every MPI rank, and the
// working file renamed to `<out>` once every run is saved. app/cmd_sweep.cpp parses the
// command line into a SweepRequest and maps the end to an exit code.
#pragma once
#include <atomic>
#include <filesystem>
#include <iosfwd>
#include <string>

#include "solvers/sweep_runner.hpp"

namespace sesim {

struct SweepRequest {
    std::filesystem::path sweep_file;
    std::filesystem::path out;
    bool resume = false;  // continue `<out>.partial` (or start it when there is none)
    bool quiet = false;   // no announcement, no progress, no "wrote" line
    SweepSlice slice;     // all runs, or one shard of a Slurm job array
    int threads = 1;
    double checkpoint_seconds = 5.0;
    std::string command_line;  // stored as provenance; the resume hint repeats it
    const std::atomic<bool>* stop = nullptr;
    // The exit status of every rank when an MPI job must end at once (a rank failed after
    // the ranks started working): MPI_Abort ends them all with it.
    int abort_status = 1;
};

// The working file of a sweep written to `out`: `<out>.partial`.
std::filesystem::path partial_path(const std::filesystem::path& out);

enum class SweepEnd {
    complete,     // every run saved and `out` committed (or already complete)
    failed_runs,  // committed, but some runs failed (status 2, outputs NaN)
    stopped,      // a stop request or a kill: the saved runs wait in `<out>.partial`
    other_rank,   // MPI: another rank could not start; its message is on its stderr
};

// Runs `request` to its end, writing messages and progress on `log`. Throws InputError for a
// sweep file, output or working file that cannot be used (nothing computed), RunError when a
// write fails (naming what was kept). Under an MPI launcher (MPI build) every rank calls it.
SweepEnd run_sweep_request(const SweepRequest& request, std::ostream& log);

}  // namespace sesim
