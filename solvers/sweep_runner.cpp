#include "solvers/sweep_runner.hpp"

#include <omp.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>

#include "model/model.hpp"
#include "output/provenance.hpp"

namespace sesim {

SweepLayout sweep_layout(const Sweep& sweep, const SweepSlice& slice) {
    SweepLayout l;
    l.definition = sweep.definition();
    l.hash = sweep.hash();
    l.name = sweep.name;
    l.shard_index = slice.index;
    l.shard_count = slice.count;
    l.total_runs = sweep.runs();
    for (const SweepParameter& p : sweep.vary) {
        l.parameter_names.push_back(p.key->name);
        switch (p.key->def->type) {
            case ParamType::month:
                l.parameter_units.emplace_back("months since 2019-01");
                break;
            case ParamType::flag:
                l.parameter_units.emplace_back("1 true, 0 false");
                break;
            default:
                l.parameter_units.emplace_back(p.key->def->unit);
        }
    }
    l.outputs = sweep.outputs;
    l.months = sweep.time_months();
    l.saltelli = sweep.design == Design::sobol;
    l.morris = sweep.design == Design::morris;
    l.paired = sweep.paired;
    return l;
}

SweepRowFn sweep_rows(const Sweep& sweep, const SweepSlice& slice) {
    return [&sweep, slice](std::int64_t row, SweepRow& out) {
        out.run = slice.run(row);
        out.point = sweep.point_of_run(out.run);
        out.replicate = sweep.replicate_of_run(out.run);
        out.seed = sweep.seed_of_run(out.run);
        out.design.resize(sweep.vary.size());
        sweep.point_values(out.point, out.design.data());
        for (std::size_t j = 0; j < sweep.vary.size(); ++j)
            if (sweep.vary[j].key->def->type == ParamType::month)
                out.design[j] = design_month_value(out.design[j]);
        if (sweep.design == Design::sobol) {
            out.saltelli_sample = sweep.saltelli_sample(out.point);
            out.saltelli_matrix = sweep.saltelli_matrix(out.point);
        }
        if (sweep.design == Design::morris) {
            out.morris_trajectory = sweep.morris_trajectory(out.point);
            out.morris_factor = sweep.morris_factor(out.point);
            out.morris_step = sweep.morris_step(out.point);
        }
    };
}

SweepAttributes sweep_description(const Sweep& sweep) {
    std::string files;
    for (const std::string& f : sweep.files) files += (files.empty() ? "" : "\n") + f;
    return {{"sweep_description", sweep.description},
            {"design", std::string(design_name(sweep.design))},
            {"sweep_file", sweep.path},
            {"sweep_files", files},
            {"sweep_text", sweep.text}};
}

SweepLayout sweep_file_layout(const Sweep& sweep, const SweepSlice& slice,
                              SweepAttributes description, const std::string& command_line,
                              SweepAttributes after_provenance) {
    SweepLayout l = sweep_layout(sweep, slice);
    l.text_attributes = std::move(description);
    l.provenance = make_provenance(command_line, sweep.seed, sweep.replicates);
    l.text_after_provenance = std::move(after_provenance);
    l.number_attributes = {{"model_version", l.provenance->model_version},
                           {"points", static_cast<double>(sweep.points())},
                           {"replicates", sweep.replicates},
                           {"seed", sweep.seed},
                           {"paired", sweep.paired ? 1 : 0}};
    return l;
}

void compute_run(const Sweep& sweep, std::int64_t run, std::vector<double>& out) {
    std::vector<double> values(sweep.vary.size());
    sweep.point_values(sweep.point_of_run(run), values.data());
    const std::vector<int> months = sweep.time_months();
    const std::size_t t_count = months.size();
    const std::size_t per_variant = sweep.outputs.size() * t_count;
    out.resize(per_variant * static_cast<std::size_t>(sweep.variants()));
    // The scenario, then (paired) the baseline: same seed and replicate, so the same random
    // numbers, and the difference is the policy's, not the noise's.
    for (int v = 0; v < sweep.variants(); ++v) {
        const Params p = v == 0 ? sweep.params_at(values.data()) : sweep.baseline_at(values.data());
        const RunSeries series = simulate(p, sweep.seed_of_run(run),
                                          static_cast<std::uint32_t>(sweep.replicate_of_run(run)));
        double* dst = out.data() + static_cast<std::size_t>(v) * per_variant;
        for (std::size_t o = 0; o < sweep.outputs.size(); ++o) {
            const double* s = series.series(sweep.outputs[o]);
            for (std::size_t t = 0; t < t_count; ++t)
                dst[o * t_count + t] = s[months[t] - sweep.base.g.start_month];
        }
    }
}

namespace detail {

void record_result(const Sweep& sweep, const SweepSlice& slice, SweepFile& file,
                   const SweepOptions& options, const RunResult& r, SweepOutcome& oc) {
    file.write_result(r.row, r.ok ? RunStatus::done : RunStatus::failed, r.values.data());
    if (r.ok) {
        ++oc.done;
    } else {
        ++oc.failed;
        if (oc.failures.size() < 20) {
            const std::int64_t run = slice.run(r.row);
            oc.failures.push_back("run " + std::to_string(run) + " (point " +
                                  std::to_string(sweep.point_of_run(run)) + ", replicate " +
                                  std::to_string(sweep.replicate_of_run(run)) + "): " + r.error);
        }
    }
    if (options.progress) options.progress(oc.done, oc.failed);
}

// ---- Dispatcher
// ----------------------------------------------------------------------------------

std::int64_t Dispatcher::next() {
    while (cursor_ < status_.size() && status_[cursor_] != 0) ++cursor_;
    if (cursor_ == status_.size()) return -1;
    ++handed_;
    return static_cast<std::int64_t>(cursor_++);
}

bool Dispatcher::exhausted() {
    while (cursor_ < status_.size() && status_[cursor_] != 0) ++cursor_;
    return cursor_ == status_.size();
}

std::int64_t Dispatcher::remaining() const {
    return static_cast<std::int64_t>(status_.size() - cursor_);
}

// ---- RunPool
// -------------------------------------------------------------------------------------

struct RunPool::State {
    std::mutex mutex;
    std::condition_variable work_ready;
    std::condition_variable result_ready;
    std::deque<std::int64_t> queue;
    std::vector<RunResult> results;
    std::size_t computing = 0;
    bool finished = false;  // the coordinator returned: compute threads exit
    bool inline_mode = false;
};

RunPool::RunPool(const Sweep& sweep, const SweepSlice& slice)
    : sweep_(sweep), slice_(slice), s_(std::make_shared<State>()) {}

RunResult RunPool::compute(std::int64_t row) const {
    RunResult r;
    r.row = row;
    try {
        compute_run(sweep_, slice_.run(row), r.values);
        r.ok = true;
    } catch (const std::exception& e) {
        r.error = e.what();
        r.values.clear();
    }
    return r;
}

void RunPool::work() {
    State& s = *s_;
    while (true) {
        std::int64_t row = -1;
        {
            std::unique_lock lock(s.mutex);
            s.work_ready.wait(lock, [&] { return s.finished || !s.queue.empty(); });
            if (s.queue.empty()) return;
            row = s.queue.front();
            s.queue.pop_front();
            ++s.computing;
        }
        RunResult r = compute(row);
        {
            std::lock_guard lock(s.mutex);
            s.results.push_back(std::move(r));
            --s.computing;
        }
        s.result_ready.notify_one();
    }
}

void RunPool::run(int threads, const std::function<void()>& coordinator) {
    std::exception_ptr error;
    // One more thread than computes: the coordinator mostly waits, so it takes little CPU.
#pragma omp parallel num_threads(threads + 1)
    {
        if (omp_get_thread_num() == 0) {
            {
                std::lock_guard lock(s_->mutex);
                s_->inline_mode = omp_get_num_threads() == 1;
            }
            try {
                coordinator();
            } catch (...) {
                error = std::current_exception();
            }
            {
                std::lock_guard lock(s_->mutex);
                s_->finished = true;
                s_->queue.clear();
            }
            s_->work_ready.notify_all();
        } else {
            work();
        }
    }
    if (error) std::rethrow_exception(error);
}

void RunPool::push(std::int64_t row) {
    {
        std::lock_guard lock(s_->mutex);
        s_->queue.push_back(row);
    }
    s_->work_ready.notify_one();
}

std::size_t RunPool::busy() const {
    std::lock_guard lock(s_->mutex);
    return s_->queue.size() + s_->computing + s_->results.size();
}

void RunPool::drop_queued() {
    std::lock_guard lock(s_->mutex);
    s_->queue.clear();
}

void RunPool::take(std::vector<RunResult>& out, int wait_ms) {
    State& s = *s_;
    std::int64_t inline_row = -1;
    {
        std::unique_lock lock(s.mutex);
        if (s.inline_mode) {
            if (!s.queue.empty()) {
                inline_row = s.queue.front();
                s.queue.pop_front();
            }
        } else if (s.results.empty() && wait_ms > 0) {
            s.result_ready.wait_for(lock, std::chrono::milliseconds(wait_ms),
                                    [&] { return !s.results.empty(); });
        }
        for (RunResult& r : s.results) out.push_back(std::move(r));
        s.results.clear();
    }
    if (inline_row >= 0) out.push_back(compute(inline_row));
}

// ---- The coordinator
// -----------------------------------------------------------------------------

SweepOutcome coordinate(const Sweep& sweep, const SweepSlice& slice, SweepFile& file,
                        const SweepOptions& options, RemoteWorkers* remote) {
    SweepOutcome oc;
    const int threads = std::max(1, options.threads);
    RunPool pool(sweep, slice);
    Dispatcher dispatch(file.status());
    using clock = std::chrono::steady_clock;
    auto last_checkpoint = clock::now();
    const auto interval = std::chrono::duration<double>(options.checkpoint_seconds);
    const auto record = [&](const RunResult& r) {
        record_result(sweep, slice, file, options, r, oc);
    };
    const auto remote_active = [&] { return remote != nullptr && remote->active(); };

    pool.run(threads, [&] {
        std::vector<RunResult> results;
        bool stopping = false;
        while (true) {
            if (!stopping && options.stop != nullptr && options.stop->load()) {
                stopping = true;
                pool.drop_queued();
                if (remote != nullptr) remote->stop();
            }
            // Two rows per thread in the queue, so no thread waits for the coordinator.
            while (!stopping && pool.busy() < 2 * static_cast<std::size_t>(threads)) {
                const std::int64_t row = dispatch.next();
                if (row < 0) break;
                pool.push(row);
            }
            if (remote != nullptr) remote->serve(dispatch, stopping, record);
            results.clear();
            // With workers to serve, look again soon; alone, wait for a result.
            pool.take(results, remote_active() ? 1 : 100);
            for (const RunResult& r : results) record(r);
            if (clock::now() - last_checkpoint >= interval) {
                file.checkpoint();
                last_checkpoint = clock::now();
            }
            if (pool.busy() == 0 && !remote_active() && (stopping || dispatch.exhausted())) break;
        }
        if (remote != nullptr) remote->finish();
        oc.stopped = stopping;
    });
    file.checkpoint();
    oc.pending = file.info().pending;
    return oc;
}

}  // namespace detail

// ---- One process
// ---------------------------------------------------------------------------------

SweepOutcome run_sweep(const Sweep& sweep, const SweepSlice& slice, SweepFile& file,
                       const SweepOptions& options) {
    return detail::coordinate(sweep, slice, file, options, nullptr);
}

}  // namespace sesim
