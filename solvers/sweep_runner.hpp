// Running a sweep: the pending runs of a sweep file are computed by a team of OpenMP threads
// and written as they finish by one coordinating thread, the only one that touches HDF5 (and,
// with MPI, the only one that calls MPI). Results are checkpointed every few seconds; a stop
// request (SIGINT, SIGTERM) lets the runs under way finish, checkpoints and returns.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "output/sweep_file.hpp"
#include "solvers/sweep.hpp"

namespace sesim {

// The runs one file holds: all of them, or shard `index` of `count` for a Slurm job array.
// A shard takes every count-th run (runs index, index + count, ...): the run order covers the
// space from the start, so each shard covers it too, and shards take equally long.
struct SweepSlice {
    int index = 0;
    int count = 1;
    std::int64_t rows(std::int64_t total_runs) const {
        return total_runs <= index ? 0 : (total_runs - index + count - 1) / count;
    }
    std::int64_t run(std::int64_t row) const { return index + row * count; }
};

// The file layout of `sweep` restricted to `slice`, without provenance attributes (the caller
// adds those), and the function that describes each row.
SweepLayout sweep_layout(const Sweep& sweep, const SweepSlice& slice);
SweepRowFn sweep_rows(const Sweep& sweep, const SweepSlice& slice);

// The descriptive root attributes of a sweep file, in the order written: sweep_description,
// design, sweep_file, sweep_files, sweep_text (what `sesim sweep` read; `sesim merge` copies
// them from the first shard).
using SweepAttributes = std::vector<std::pair<std::string, std::string>>;
SweepAttributes sweep_description(const Sweep& sweep);
// The whole layout of a sweep file: sweep_layout() with `description`, the provenance of
// `command_line`, `after_provenance` (`sesim merge`: merged_from) and the sweep's size
// (points, replicates, seed, paired).
SweepLayout sweep_file_layout(const Sweep& sweep, const SweepSlice& slice,
                              SweepAttributes description, const std::string& command_line,
                              SweepAttributes after_provenance = {});

// Simulates run `run` and stores its kept values (kept outputs x kept months, output-major)
// in `out`. Throws what the model throws.
void compute_run(const Sweep& sweep, std::int64_t run, std::vector<double>& out);

struct SweepOptions {
    int threads = 1;                  // compute threads of this process
    double checkpoint_seconds = 5.0;  // a kill -9 loses at most the runs of this long
    const std::atomic<bool>* stop = nullptr;
    // Called by the coordinating thread after each result with this process's counts.
    std::function<void(std::int64_t done, std::int64_t failed)> progress;
};

struct SweepOutcome {
    std::int64_t done = 0;  // runs finished in this invocation
    std::int64_t failed = 0;
    std::vector<std::string> failures;  // the first few: "run 12 (point 3, replicate 0): ..."
    std::int64_t pending = 0;           // rows of the file still pending at the end
    bool stopped = false;               // a stop request ended the loop
};

// Computes every pending row of `file` (status 0) on this process, checkpointing as it goes
// and at the end. The file stays open; the caller closes and commits it.
SweepOutcome run_sweep(const Sweep& sweep, const SweepSlice& slice, SweepFile& file,
                       const SweepOptions& options);

// ---- Internals shared with the MPI coordinator (solvers/sweep_mpi.cpp) ------------------------

namespace detail {

struct RunResult {
    std::int64_t row = -1;
    bool ok = false;
    std::vector<double> values;
    std::string error;
};

// Compute threads fed with rows by the coordinating thread, which runs `coordinator` and
// takes finished results. With a team of one thread the coordinator computes inline.
class RunPool {
  public:
    RunPool(const Sweep& sweep, const SweepSlice& slice);
    // Runs `coordinator` on the calling thread beside `threads` compute threads, until it
    // returns; rethrows what it threw.
    void run(int threads, const std::function<void()>& coordinator);

    void push(std::int64_t row);
    std::size_t busy() const;  // rows queued or being computed
    void drop_queued();        // forgets rows not started yet (a stop)
    // Moves finished results into `out` (appending); waits up to `wait_ms` when there is none.
    void take(std::vector<RunResult>& out, int wait_ms);

  private:
    struct State;
    const Sweep& sweep_;
    SweepSlice slice_;
    std::shared_ptr<State> s_;
    RunResult compute(std::int64_t row) const;
    void work();
};

// Hands out pending rows in order, each once.
class Dispatcher {
  public:
    explicit Dispatcher(const std::vector<std::uint8_t>& status) : status_(status) {}
    // The next pending row, or -1 when every row was handed out.
    std::int64_t next();
    bool exhausted();
    std::int64_t remaining() const;  // pending rows not handed out yet (an upper bound)

  private:
    const std::vector<std::uint8_t>& status_;
    std::size_t cursor_ = 0;
    std::int64_t handed_ = 0;
};

// The processes beside this one that compute rows too, as the coordinator sees them: MPI
// worker ranks (solvers/sweep_mpi.cpp), or none for a sweep on one process.
class RemoteWorkers {
  public:
    RemoteWorkers() = default;
    RemoteWorkers(const RemoteWorkers&) = delete;
    RemoteWorkers& operator=(const RemoteWorkers&) = delete;
    virtual ~RemoteWorkers() = default;
    // A stop request on this process: tells every worker to stop.
    virtual void stop() = 0;
    // Serves what the workers sent so far: each result goes to `record`, each request for
    // work gets rows from `dispatch` (none once `stopping`).
    virtual void serve(Dispatcher& dispatch, bool stopping,
                       const std::function<void(const RunResult&)>& record) = 0;
    // Workers that may still send results (they have not said goodbye).
    virtual bool active() const = 0;
    // After the loop: completes what is still being sent to workers.
    virtual void finish() = 0;
};

// The one coordinator loop, on this process's coordinating thread beside its compute threads:
// hands out pending rows in order (to its own threads and, through `remote`, to worker
// processes), writes every result as it arrives (record_result), checkpoints every
// options.checkpoint_seconds and at the end, and on a stop request lets the runs under way
// finish. `remote` may be nullptr (one process).
SweepOutcome coordinate(const Sweep& sweep, const SweepSlice& slice, SweepFile& file,
                        const SweepOptions& options, RemoteWorkers* remote);

// Writes a finished run into its row, counts it in `oc` (keeping the first 20 failure
// messages) and reports progress: what the writer does with every result, threaded or MPI.
void record_result(const Sweep& sweep, const SweepSlice& slice, SweepFile& file,
                   const SweepOptions& options, const RunResult& r, SweepOutcome& oc);

}  // namespace detail

}  // namespace sesim
