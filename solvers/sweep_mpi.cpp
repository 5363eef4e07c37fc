#include "solvers/sweep_mpi.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <stdexcept>

namespace sesim::mpi {

namespace {

// Message tags. Workers send requests, results and a goodbye to rank 0; rank 0 sends work
// (an empty batch: there is no more), an abort (stop now) and the acknowledgement of a
// goodbye, after which it sends that worker nothing more.
enum Tag : int { kRequest = 1, kResult, kBye, kWork, kAbort, kAck };

// Results on the wire: row, ok flag, then the values (ok) or the error text (failed).
std::vector<char> pack(const detail::RunResult& r) {
    const std::int64_t head[2] = {r.row, r.ok ? 1 : 0};
    const std::size_t body = r.ok ? r.values.size() * sizeof(double) : r.error.size();
    std::vector<char> buf(sizeof head + body);
    std::memcpy(buf.data(), head, sizeof head);
    if (r.ok)
        std::memcpy(buf.data() + sizeof head, r.values.data(), body);
    else
        std::memcpy(buf.data() + sizeof head, r.error.data(), body);
    return buf;
}

detail::RunResult unpack(const std::vector<char>& buf) {
    detail::RunResult r;
    std::int64_t head[2] = {0, 0};
    if (buf.size() < sizeof head) throw std::runtime_error("MPI: truncated result message");
    std::memcpy(head, buf.data(), sizeof head);
    r.row = head[0];
    r.ok = head[1] != 0;
    const std::size_t body = buf.size() - sizeof head;
    if (r.ok) {
        r.values.resize(body / sizeof(double));
        std::memcpy(r.values.data(), buf.data() + sizeof head, body);
    } else {
        r.error.assign(buf.data() + sizeof head, body);
    }
    return r;
}

void check(int rc, const char* what) {
    if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI call failed: ") + what);
}

// Rank 0's sends are non-blocking so that it never waits on a worker: it keeps receiving
// whatever the workers send, and no cycle of blocked sends can form.
class Outbox {
  public:
    void send(std::vector<std::int64_t> data, int dest, int tag) {
        items_.push_back({std::move(data), MPI_REQUEST_NULL});
        Item& it = items_.back();
        check(MPI_Isend(it.data.data(), static_cast<int>(it.data.size()), MPI_INT64_T, dest, tag,
                        MPI_COMM_WORLD, &it.request),
              "MPI_Isend");
    }
    void progress() {
        while (!items_.empty()) {
            int done = 0;
            check(MPI_Test(&items_.front().request, &done, MPI_STATUS_IGNORE), "MPI_Test");
            if (!done) break;
            items_.pop_front();
        }
    }
    void drain() {
        for (Item& it : items_) check(MPI_Wait(&it.request, MPI_STATUS_IGNORE), "MPI_Wait");
        items_.clear();
    }

  private:
    struct Item {
        std::vector<std::int64_t> data;
        MPI_Request request;
    };
    std::deque<Item> items_;  // a deque: elements stay put while MPI holds their buffers
};

std::vector<std::int64_t> recv_ints(const MPI_Status& st) {
    int n = 0;
    check(MPI_Get_count(&st, MPI_INT64_T, &n), "MPI_Get_count");
    std::vector<std::int64_t> v(static_cast<std::size_t>(n));
    check(MPI_Recv(v.data(), n, MPI_INT64_T, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
                   MPI_STATUS_IGNORE),
          "MPI_Recv");
    return v;
}

// The worker ranks as rank 0's coordinator sees them (the loop is detail::coordinate).
class MpiWorkers final : public detail::RemoteWorkers {
  public:
    MpiWorkers(int size, int threads)
        : size_(size),
          threads_(threads),
          acked_(static_cast<std::size_t>(size), false),
          active_(size - 1) {}

    void stop() override {
        for (int w = 1; w < size_; ++w)
            if (!acked_[static_cast<std::size_t>(w)]) outbox_.send({0}, w, kAbort);
    }

    void serve(detail::Dispatcher& dispatch, bool stopping,
               const std::function<void(const detail::RunResult&)>& record) override {
        // Everything the workers sent so far.
        while (true) {
            int flag = 0;
            MPI_Status st;
            check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st),
                  "MPI_Iprobe");
            if (!flag) break;
            const int w = st.MPI_SOURCE;
            if (st.MPI_TAG == kResult) {
                int n = 0;
                check(MPI_Get_count(&st, MPI_BYTE, &n), "MPI_Get_count");
                bytes_.resize(static_cast<std::size_t>(n));
                check(MPI_Recv(bytes_.data(), n, MPI_BYTE, w, kResult, MPI_COMM_WORLD,
                               MPI_STATUS_IGNORE),
                      "MPI_Recv");
                record(unpack(bytes_));
            } else if (st.MPI_TAG == kRequest) {
                const std::vector<std::int64_t> want = recv_ints(st);
                // Guided batches: large while much is left, single runs at the end, so
                // ranks finish together.
                std::int64_t n = want.empty() ? 1 : want[0];
                n = std::min(n,
                             std::max<std::int64_t>(
                                 1, dispatch.remaining() / (std::int64_t{2} * threads_ * size_)));
                std::vector<std::int64_t> rows;
                while (!stopping && static_cast<std::int64_t>(rows.size()) < n) {
                    const std::int64_t row = dispatch.next();
                    if (row < 0) break;
                    rows.push_back(row);
                }
                outbox_.send(std::move(rows), w, kWork);
            } else if (st.MPI_TAG == kBye) {
                recv_ints(st);
                outbox_.send({0}, w, kAck);
                acked_[static_cast<std::size_t>(w)] = true;
                --active_;
            } else {
                throw std::runtime_error("MPI: unexpected message tag " +
                                         std::to_string(st.MPI_TAG) + " from rank " +
                                         std::to_string(w));
            }
        }
        outbox_.progress();
    }

    bool active() const override { return active_ > 0; }
    void finish() override { outbox_.drain(); }

  private:
    int size_;
    int threads_;
    std::vector<bool> acked_;  // said goodbye: sent nothing more
    int active_;
    Outbox outbox_;
    std::vector<char> bytes_;
};

SweepOutcome work(const Sweep& sweep, const SweepSlice& slice, const SweepOptions& options) {
    SweepOutcome oc;
    const int threads = std::max(1, options.threads);
    detail::RunPool pool(sweep, slice);
    pool.run(threads, [&] {
        std::vector<detail::RunResult> results;
        bool requested = false;  // a request awaits its reply
        bool no_more = false;    // rank 0 has no more work, or said stop
        bool dropped = false;
        while (true) {
            const bool stop_here = options.stop != nullptr && options.stop->load();
            if (stop_here && !dropped) {
                pool.drop_queued();
                dropped = true;
            }
            if (!no_more && !stop_here && !requested &&
                pool.busy() < static_cast<std::size_t>(threads)) {
                const std::int64_t want =
                    std::int64_t{2} * threads - static_cast<std::int64_t>(pool.busy());
                check(MPI_Send(&want, 1, MPI_INT64_T, 0, kRequest, MPI_COMM_WORLD), "MPI_Send");
                requested = true;
            }
            results.clear();
            pool.take(results, 1);
            for (const detail::RunResult& r : results) {
                const std::vector<char> buf = pack(r);
                check(MPI_Send(buf.data(), static_cast<int>(buf.size()), MPI_BYTE, 0, kResult,
                               MPI_COMM_WORLD),
                      "MPI_Send");
                r.ok ? ++oc.done : ++oc.failed;
            }
            while (true) {
                int flag = 0;
                MPI_Status st;
                check(MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
                if (!flag) break;
                const std::vector<std::int64_t> data = recv_ints(st);
                if (st.MPI_TAG == kWork) {
                    requested = false;
                    if (data.empty()) no_more = true;
                    if (!stop_here)
                        for (const std::int64_t row : data) pool.push(row);
                } else if (st.MPI_TAG == kAbort) {
                    no_more = true;
                    pool.drop_queued();
                    dropped = true;
                }
            }
            if ((no_more || stop_here) && !requested && pool.busy() == 0) break;
        }
        // Goodbye, then wait for rank 0's acknowledgement: anything it sent before (an abort
        // crossing the goodbye) is received and dropped, so no message is left unmatched.
        const std::int64_t zero = 0;
        check(MPI_Send(&zero, 1, MPI_INT64_T, 0, kBye, MPI_COMM_WORLD), "MPI_Send");
        while (true) {
            MPI_Status st;
            check(MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st), "MPI_Probe");
            recv_ints(st);
            if (st.MPI_TAG == kAck) break;
        }
        oc.stopped = options.stop != nullptr && options.stop->load();
    });
    return oc;
}

}  // namespace

bool launched() {
    // Open MPI's mpirun, MPICH's Hydra and Slurm's PMI/PMIx plugins each set one of these.
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"})
        if (std::getenv(v) != nullptr) return true;
    return false;
}

Session::Session() {
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    if (provided < MPI_THREAD_FUNNELED) {
        MPI_Finalize();
        throw std::runtime_error(
            "this MPI library cannot be called from a multi-threaded program "
            "(MPI_THREAD_FUNNELED)");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() {
    MPI_Finalize();
}

bool all(bool ok) {
    int in = ok ? 1 : 0;
    int out = 0;
    check(MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD), "MPI_Allreduce");
    return out != 0;
}

std::string broadcast(const std::string& text) {
    std::int64_t n = static_cast<std::int64_t>(text.size());
    check(MPI_Bcast(&n, 1, MPI_INT64_T, 0, MPI_COMM_WORLD), "MPI_Bcast");
    std::string out = text;
    out.resize(static_cast<std::size_t>(n));
    if (n > 0)
        check(MPI_Bcast(out.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast");
    return out;
}

void abort_all(int code) {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::abort();  // MPI_Abort does not return; this satisfies [[noreturn]]
}

SweepOutcome run_sweep(const Sweep& sweep, const SweepSlice& slice, SweepFile* file,
                       const SweepOptions& options) {
    int rank = 0;
    int size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        if (file == nullptr) throw std::logic_error("mpi::run_sweep: rank 0 needs the file");
        MpiWorkers workers(size, std::max(1, options.threads));
        return detail::coordinate(sweep, slice, *file, options, &workers);
    }
    return work(sweep, slice, options);
}

}  // namespace sesim::mpi
