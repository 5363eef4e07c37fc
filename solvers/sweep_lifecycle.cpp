#include "solvers/sweep_lifecycle.hpp"

#include <exception>
#include <optional>
#include <ostream>
#include <sstream>

#include "model/errors.hpp"
#include "output/input_file.hpp"
#include "output/safe_write.hpp"
#include "output/sweep_file.hpp"
#include "solvers/progress.hpp"
#include "solvers/sweep.hpp"
#ifdef SESIM_WITH_MPI
#include "solvers/sweep_mpi.hpp"
#endif

namespace fs = std::filesystem;

namespace sesim {

namespace {

constexpr const char* kLabel = "sesim sweep";

// The first line where two definitions differ, for the refusal message.
std::string first_difference(const std::string& a, const std::string& b) {
    std::istringstream sa(a);
    std::istringstream sb(b);
    std::string la;
    std::string lb;
    while (true) {
        const bool ga = static_cast<bool>(std::getline(sa, la));
        const bool gb = static_cast<bool>(std::getline(sb, lb));
        if (!ga && !gb) return "";
        if (!ga) la = "(nothing)";
        if (!gb) lb = "(nothing)";
        if (la == lb) continue;
        std::string out = "it has '";
        out += la;
        out += "' where this sweep has '";
        out += lb;
        out += "'";
        return out;
    }
}

std::string shard_text(int index, int count) {
    return std::to_string(index) + "/" + std::to_string(count);
}

// Refuses to continue `file` (a working or finished sweep file) with another definition or
// another shard.
void check_same_sweep(const fs::path& file, const SweepFileInfo& info, const Sweep& sweep,
                      const SweepSlice& slice) {
    const std::string def = sweep.definition();
    if (info.definition != def)
        throw InputError("sesim sweep: " + file.string() + " holds sweep '" + info.name +
                         "' (definition " + info.hash + "), not this sweep '" + sweep.name +
                         "' (definition " + sweep.hash() +
                         "): " + first_difference(info.definition, def) +
                         ". Resume it with the sweep file it was started with, or write this "
                         "sweep to another -o file");
    if (info.shard_index != slice.index || info.shard_count != slice.count)
        throw InputError("sesim sweep: " + file.string() + " holds shard " +
                         shard_text(info.shard_index, info.shard_count) + " of the sweep, not " +
                         shard_text(slice.index, slice.count) + "; give the same --shard");
}

enum class Start { fresh, resumed, complete };

// Makes `<out>.partial` ready to receive runs (new, or continued), or finds `out` complete.
Start prepare(const SweepRequest& a, const Sweep& sweep) {
    const fs::path partial = partial_path(a.out);
    std::error_code ec;
    if (fs::exists(partial, ec)) {
        SweepFileInfo info;
        try {
            info = read_sweep_info(partial);
        } catch (const RunError& e) {
            // By design a kill cannot damage the working file (output/sweep_file.hpp). One
            // damaged otherwise (edited, copied in part) may still hold saved runs: it is not
            // replaced without the user's say.
            throw InputError("sesim sweep: " + std::string(e.what()) + ". " + partial.string() +
                             " cannot be continued; move it away (or delete it) to start the "
                             "sweep again");
        }
        if (!a.resume)
            throw InputError("sesim sweep: " + partial.string() + " holds an unfinished sweep (" +
                             std::to_string(info.done + info.failed) + " of " +
                             std::to_string(info.rows) +
                             " runs done); add --resume to continue it, or delete it to start "
                             "again");
        check_same_sweep(partial, info, sweep, a.slice);
        return Start::resumed;
    }
    if (a.resume && fs::exists(a.out, ec)) {
        const SweepFileInfo info = read_sweep_info(a.out);
        check_same_sweep(a.out, info, sweep, a.slice);
        if (info.pending == 0) return Start::complete;
    }
    SweepFile::create(partial,
                      sweep_file_layout(sweep, a.slice, sweep_description(sweep), a.command_line),
                      sweep_rows(sweep, a.slice));
    return Start::fresh;
}

std::string resume_command(const std::string& command_line) {
    if (command_line.find(" --resume") != std::string::npos) return command_line;
    return command_line + " --resume";
}

// After the runs: commit a complete file, or say how to continue.
SweepEnd finish(const SweepRequest& a, SweepFile& file, const SweepOutcome& oc, std::ostream& log,
                bool mpi) {
    const fs::path partial = partial_path(a.out);
    const SweepFileInfo info = file.info();
    file.close();
    for (const std::string& f : oc.failures) log << kLabel << ": failed: " << f << "\n";
    if (info.pending > 0) {
        log << kLabel << ": stopped; " << info.done + info.failed << " of " << info.rows
            << " runs are saved in " << partial.string() << "\n"
            << kLabel << ": to continue, run"
            << (mpi ? " under the same mpirun (or as one process)" : "") << ": "
            << resume_command(a.command_line) << "\n";
        return SweepEnd::stopped;
    }
    commit_sweep_file(partial, a.out);
    if (!a.quiet) log << kLabel << ": wrote " << info.rows << " runs to " << a.out.string() << "\n";
    if (info.failed > 0) {
        log << kLabel << ": " << info.failed
            << " runs failed (status 2 in the file, outputs NaN)\n";
        return SweepEnd::failed_runs;
    }
    return SweepEnd::complete;
}

void announce(const SweepRequest& a, const Sweep& sweep, const SweepFileInfo& info, int ranks,
              std::ostream& log) {
    if (a.quiet) return;
    log << kLabel << ": " << sweep.name << ": " << design_name(sweep.design) << " design, "
        << sweep.parameters() << " parameters, " << sweep.points() << " points x "
        << sweep.replicates << " replicates = " << sweep.runs() << " runs";
    if (a.slice.count > 1) log << "; shard " << shard_text(a.slice.index, a.slice.count);
    log << "; " << info.done + info.failed << " of " << info.rows << " done, " << info.pending
        << " to run on ";
    if (ranks > 1) log << ranks << " MPI ranks x ";
    log << a.threads << " threads\n";
}

Sweep load(const SweepRequest& a) {
    Sweep sweep = load_sweep(a.sweep_file);
    if (a.slice.count > sweep.runs())
        throw InputError("sesim sweep: --shard " + shard_text(a.slice.index, a.slice.count) +
                         ": the sweep has only " + std::to_string(sweep.runs()) +
                         " runs; use at most that many shards");
    return sweep;
}

// Before anything is written: the output path is usable, is none of the files the sweep reads
// (and neither is its working file), and no other process writes it. The lock is held until
// the sweep is committed or stopped; it closes the race of two simultaneous --resume.
OutputLock claim_output(const SweepRequest& a, const Sweep& sweep, std::ostream& log) {
    check_output_path(a.out);
    std::vector<fs::path> inputs(sweep.files.begin(), sweep.files.end());
    inputs.push_back(a.sweep_file);
    refuse_output_onto_inputs(a.out, inputs, "sesim sweep", {partial_path(a.out)});
    OutputLock lock(a.out, "sesim sweep");
    remove_stale_temporaries(a.out, log);
    return lock;
}

// A failed write names the output and what happened to the saved runs.
[[noreturn]] void rethrow_write_error(const SweepRequest& a, const RunError& e) {
    const fs::path partial = partial_path(a.out);
    std::error_code ec;
    throw RunError("sesim sweep: writing " + a.out.string() + " failed: " + e.what() +
                   (fs::exists(partial, ec) ? "; the runs saved so far are kept in " +
                                                  partial.string() + " (continue with --resume)"
                                            : "; nothing was written"));
}

SweepOptions options_of(const SweepRequest& a) {
    SweepOptions opt;
    opt.threads = a.threads;
    opt.checkpoint_seconds = a.checkpoint_seconds;
    opt.stop = a.stop;
    return opt;
}

// Opens the working file, announces the sweep, runs `runs` with a progress bar and finishes.
// `runs` computes the pending rows (on this process, or on every MPI rank).
template <class Runs>
SweepEnd run_file(const SweepRequest& a, const Sweep& sweep, int ranks, std::ostream& log,
                  const Runs& runs) {
    SweepFile file(partial_path(a.out));
    announce(a, sweep, file.info(), ranks, log);
    Progress progress(kLabel, static_cast<int>(file.info().pending),
                      a.quiet ? Progress::Mode::quiet : Progress::Mode::automatic);
    SweepOptions opt = options_of(a);
    opt.progress = [&](std::int64_t done, std::int64_t failed) {
        progress.update(static_cast<int>(done + failed));
    };
    const SweepOutcome oc = runs(file, opt);
    progress.finish();
    return finish(a, file, oc, log, ranks > 1);
}

// The sweep, once the output is claimed.
SweepEnd sweep_claimed(const SweepRequest& a, const Sweep& sweep, std::ostream& log) {
    const Start start = prepare(a, sweep);
    if (start == Start::complete) {
        log << "sesim sweep: " << a.out.string() << " is complete; nothing to resume\n";
        return SweepEnd::complete;
    }
    if (a.resume && start == Start::fresh && !a.quiet)
        log << "sesim sweep: nothing to resume in " << a.out.string()
            << ".partial; starting the sweep\n";
    return run_file(a, sweep, 1, log, [&](SweepFile& file, const SweepOptions& opt) {
        return run_sweep(sweep, a.slice, file, opt);
    });
}

SweepEnd sweep_local(const SweepRequest& a, std::ostream& log) {
    const Sweep sweep = load(a);
    const OutputLock lock = claim_output(a, sweep, log);
    try {
        return sweep_claimed(a, sweep, log);
    } catch (const RunError& e) {
        rethrow_write_error(a, e);
    }
}

#ifdef SESIM_WITH_MPI
SweepEnd sweep_mpi(const SweepRequest& a, std::ostream& log) {
    mpi::Session session;
    if (session.size() == 1) return sweep_local(a, log);
    const bool root = session.rank() == 0;
    const std::string label = "sesim sweep (rank " + std::to_string(session.rank()) + ")";

    // Every rank reads the sweep file; rank 0 also prepares the output file. A failure anywhere
    // stops every rank before any work starts; rank 0 reports its own failure, another rank
    // reports one that rank 0 did not have (a file missing on that node, say).
    Sweep sweep;
    Start start = Start::fresh;
    std::exception_ptr error;
    std::optional<OutputLock> lock;  // rank 0's, held to the end
    try {
        sweep = load(a);
        if (root) {
            lock.emplace(claim_output(a, sweep, log));
            start = prepare(a, sweep);
        }
    } catch (...) {
        error = std::current_exception();
    }
    const bool root_ok = mpi::broadcast(root && !error ? "1" : (root ? "0" : "")) == "1";
    bool ok = mpi::all(!error);
    if (ok) {
        const std::string def = mpi::broadcast(root ? sweep.definition() : std::string());
        const bool same = def == sweep.definition();
        if (!mpi::all(same)) {
            if (!same)
                error = std::make_exception_ptr(InputError(
                    label + ": read a different sweep definition from " + a.sweep_file.string() +
                    " than rank 0; every rank must see the same files"));
            ok = false;
        }
    }
    if (!ok) {
        if (error && (root || root_ok)) std::rethrow_exception(error);
        if (root)
            throw InputError(
                "sesim sweep: another MPI rank could not start the sweep; see its "
                "message above");
        return SweepEnd::other_rank;
    }
    const bool complete = mpi::broadcast(root && start == Start::complete ? "1" : "0") == "1";
    if (complete) {
        if (root) log << "sesim sweep: " << a.out.string() << " is complete; nothing to resume\n";
        return SweepEnd::complete;
    }

    // Past this point the ranks work together: a failure on one ends them all (the file keeps
    // every checkpointed run; the others are computed again on resume).
    const auto runs = [&](SweepFile* file, const SweepOptions& opt) {
        try {
            return mpi::run_sweep(sweep, a.slice, file, opt);
        } catch (const std::exception& e) {
            log << label << ": " << e.what() << "\n";
            mpi::abort_all(a.abort_status);
        }
    };
    if (!root) {
        runs(nullptr, options_of(a));
        return SweepEnd::complete;
    }
    return run_file(a, sweep, session.size(), log,
                    [&](SweepFile& file, const SweepOptions& opt) { return runs(&file, opt); });
}
#endif

}  // namespace

fs::path partial_path(const fs::path& out) {
    return fs::path(out.string() + ".partial");
}

SweepEnd run_sweep_request(const SweepRequest& request, std::ostream& log) {
#ifdef SESIM_WITH_MPI
    if (mpi::launched()) return sweep_mpi(request, log);
#endif
    return sweep_local(request, log);
}

}  // namespace sesim
