// `sesim sweep` over MPI ranks (built with -DSESIM_MPI=ON). Rank 0 owns the sweep file and
// hands out pending runs in batches on request (dynamic load balancing); every rank, rank 0
// included, computes its batches with its OpenMP threads; results travel back to rank 0,
// which alone writes them. Why one writer rather than parallel HDF5 is in docs/sweeps.md.
#pragma once
#include <string>

#include "solvers/sweep_runner.hpp"

namespace sesim::mpi {

// True when an MPI launcher (mpirun, mpiexec, srun --mpi) started this process. Otherwise
// `sesim sweep` runs as one process and does not initialise MPI at all.
bool launched();

// MPI_Init_thread (MPI_THREAD_FUNNELED: only the thread that initialised MPI calls it) and
// MPI_Finalize.
class Session {
  public:
    Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    ~Session();
    int rank() const { return rank_; }
    int size() const { return size_; }

  private:
    int rank_ = 0;
    int size_ = 1;
};

// Collective: true when `ok` is true on every rank.
bool all(bool ok);
// Collective: rank 0's `text` on every rank.
std::string broadcast(const std::string& text);
// Ends every rank of the job at once (a failure after the ranks started working).
[[noreturn]] void abort_all(int code);

// Collective. Rank 0 passes its open `file` and gets the outcome of the whole job; other ranks
// pass nullptr and get their own counts. Stops (on every rank) when options.stop is set on
// rank 0; a rank whose own stop flag is set leaves early, its unfinished runs staying pending.
SweepOutcome run_sweep(const Sweep& sweep, const SweepSlice& slice, SweepFile* file,
                       const SweepOptions& options);

}  // namespace sesim::mpi
