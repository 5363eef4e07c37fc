// `sesim sensitivity`: Sobol' indices (sobol sweeps) or Morris screening (morris sweeps) of
// chosen outputs at chosen months of a finished sweep file, with bootstrap intervals; for a
// paired sweep, of the effect (scenario minus baseline). A terminal table ranked by influence,
// and optionally a CSV file and an HDF5 file. See docs/sensitivity.md.
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <numeric>
#include <sstream>

#include "app/cli.hpp"
#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/outputs.hpp"
#include "output/indices_file.hpp"
#include "output/result_file.hpp"
#include "output/sweep_file.hpp"
#include "solvers/sensitivity.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sesim::cli {

namespace {

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

std::vector<std::string> split_list(const std::vector<std::string>& args) {
    std::vector<std::string> out;
    for (const std::string& a : args) {
        std::stringstream ss(a);
        std::string item;
        while (std::getline(ss, item, ','))
            if (!item.empty()) out.push_back(item);
    }
    return out;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
    return s;
}

enum class Method { sobol, morris };
enum class Quantity { effect, scenario, baseline };

std::string quantity_name(Quantity q) {
    return q == Quantity::effect ? "effect" : q == Quantity::scenario ? "scenario" : "baseline";
}

// What one analysis (an output at a month) yields, per parameter.
struct Result {
    std::string output;
    int month = 0;
    // Morris with replicates: the mu* that Monte Carlo noise alone would give (NaN without).
    double noise_floor = std::numeric_limits<double>::quiet_NaN();
    SobolIndices sobol;
    MorrisIndices morris;
};

// The sweep file, read and checked: per design point the runs that belong to it, and the
// structure the method needs. Everything wrong with the file is an InputError here.
struct SweepData {
    Method method = Method::sobol;
    bool paired = false;
    std::string name, hash;
    std::uint32_t seed = 0;
    std::vector<std::string> parameters;
    std::vector<std::string> outputs;  // kept outputs
    std::vector<int> months;           // kept months
    std::int64_t points = 0;
    std::vector<std::vector<std::int64_t>> rows_of_point;  // done rows of each point
    std::vector<char> block_ok;  // per base sample or trajectory: every point has a done run
    std::int64_t block_size = 0;
    std::vector<int> factor;   // morris: per point
    std::vector<double> step;  // morris: per point
    std::int64_t failed_runs = 0;
};

SweepData read_sweep(const SweepReader& r, const fs::path& file) {
    SweepData s;
    const SweepFileInfo& info = r.info();
    const std::string what = "sesim sensitivity: " + in_quotes(file.string());
    if (info.shard_count > 1)
        throw InputError(what + " is shard " + std::to_string(info.shard_index) + "/" +
                         std::to_string(info.shard_count) +
                         " of a sweep; join the shards with 'sesim merge' and analyse the merged "
                         "file");
    if (info.pending > 0)
        throw InputError(what + " is incomplete: " + std::to_string(info.pending) + " of " +
                         std::to_string(info.rows) +
                         " runs are pending; finish it with 'sesim sweep SWEEP.ini -o " +
                         file.string() + " --resume'");
    const std::string design = r.text("design");
    if (design == "sobol")
        s.method = Method::sobol;
    else if (design == "morris")
        s.method = Method::morris;
    else
        throw InputError(what + " holds a " + (design.empty() ? "(no)" : design) +
                         " design; Sobol' indices need a 'design = sobol' sweep and Morris "
                         "screening a 'design = morris' sweep (docs/sweeps.md)");
    s.name = info.name;
    s.hash = info.hash;
    s.paired = !r.text("baseline_outputs").empty();
    s.parameters = r.strings("parameter");
    const std::string list = r.text("outputs");
    std::stringstream ss(list);
    for (std::string item; std::getline(ss, item, ',');) {
        const auto b = item.find_first_not_of(' ');
        if (b != std::string::npos) s.outputs.push_back(item.substr(b));
    }
    s.months = r.months();
    // The seed from the canonical definition (a number on its own line).
    {
        std::istringstream def(info.definition);
        for (std::string line; std::getline(def, line);)
            if (line.rfind("seed = ", 0) == 0)
                s.seed = static_cast<std::uint32_t>(std::stoul(line.substr(7)));
    }
    const int k = static_cast<int>(s.parameters.size());
    if (k < 1) throw RunError(what + " has no varied parameters");

    const std::vector<std::int64_t> point = r.integers("point");
    const std::vector<std::uint8_t>& status = r.status();
    s.block_size = s.method == Method::sobol ? k + 2 : k + 1;
    std::int64_t points = 0;
    for (const std::int64_t p : point) points = std::max(points, p + 1);
    if (points == 0 || points % s.block_size != 0)
        throw RunError(what + ": its " + std::to_string(points) + " design points are not whole " +
                       (s.method == Method::sobol ? "Saltelli blocks" : "Morris trajectories") +
                       " of " + std::to_string(s.block_size));
    s.points = points;
    s.rows_of_point.resize(static_cast<std::size_t>(points));
    for (std::size_t row = 0; row < point.size(); ++row) {
        if (point[row] < 0) throw RunError(what + ": run " + std::to_string(row) + " has no point");
        if (status[row] == static_cast<std::uint8_t>(RunStatus::done))
            s.rows_of_point[static_cast<std::size_t>(point[row])].push_back(
                static_cast<std::int64_t>(row));
        else
            ++s.failed_runs;
    }
    const std::int64_t blocks = points / s.block_size;
    s.block_ok.assign(static_cast<std::size_t>(blocks), 1);
    for (std::int64_t p = 0; p < points; ++p)
        if (s.rows_of_point[static_cast<std::size_t>(p)].empty())
            s.block_ok[static_cast<std::size_t>(p / s.block_size)] = 0;

    // The design's structure, checked against the point numbers.
    if (s.method == Method::sobol) {
        const std::vector<std::int64_t> matrix = r.integers("saltelli_matrix");
        const std::vector<std::int64_t> sample = r.integers("saltelli_sample");
        for (std::size_t row = 0; row < point.size(); ++row)
            if (matrix[row] != point[row] % s.block_size ||
                sample[row] != point[row] / s.block_size)
                throw RunError(what + ": run " + std::to_string(row) +
                               " has a Saltelli position that does not match its point");
    } else {
        const std::vector<std::int64_t> factor = r.integers("morris_factor");
        const std::vector<double> step = r.numbers("morris_step");
        s.factor.assign(static_cast<std::size_t>(points), -2);
        s.step.assign(static_cast<std::size_t>(points), 0);
        for (std::size_t row = 0; row < point.size(); ++row) {
            const auto p = static_cast<std::size_t>(point[row]);
            s.factor[p] = static_cast<int>(factor[row]);
            s.step[p] = step[row];
        }
    }
    return s;
}

// The per-point means over replicates of one output at kept month `col`, for `quantity`.
// `noise_var`, when given, receives the pooled variance over replicates within points of the
// quantity (NaN with one replicate per point).
std::vector<double> point_means(const SweepReader& r, const SweepData& s, const std::string& output,
                                std::size_t col, Quantity q, double* noise_var = nullptr,
                                double* replicates = nullptr) {
    std::vector<double> scen, base;
    if (q != Quantity::baseline) scen = r.column(output, col);
    if (q != Quantity::scenario) base = r.column(baseline_dataset(output), col);
    std::vector<double> y(static_cast<std::size_t>(s.points), 0.0);
    double ss = 0, dof = 0, count = 0;
    for (std::int64_t p = 0; p < s.points; ++p) {
        const auto& rows = s.rows_of_point[static_cast<std::size_t>(p)];
        auto value = [&](std::int64_t row) {
            const auto i = static_cast<std::size_t>(row);
            return q == Quantity::effect     ? scen[i] - base[i]
                   : q == Quantity::scenario ? scen[i]
                                             : base[i];
        };
        double sum = 0;
        for (const std::int64_t row : rows) sum += value(row);
        const double mean = rows.empty() ? 0 : sum / static_cast<double>(rows.size());
        y[static_cast<std::size_t>(p)] = mean;
        for (const std::int64_t row : rows) ss += (value(row) - mean) * (value(row) - mean);
        if (!rows.empty()) dof += static_cast<double>(rows.size()) - 1, count += 1;
    }
    if (noise_var) *noise_var = dof > 0 ? ss / dof : std::numeric_limits<double>::quiet_NaN();
    if (replicates) *replicates = count > 0 ? (dof + count) / count : 0;
    return y;
}

std::string fmt(double x, int precision = 3) {
    if (!std::isfinite(x)) return "-";
    std::ostringstream os;
    os << std::fixed << std::setprecision(precision) << x;
    return os.str();
}

// Numbers of any size in a few significant digits (Morris effects are in output units).
std::string fmt_g(double x) {
    if (!std::isfinite(x)) return "-";
    std::ostringstream os;
    os << std::setprecision(4) << x;
    return os.str();
}

std::string interval(double lo, double hi, bool general) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) return "";
    return "[" + (general ? fmt_g(lo) : fmt(lo)) + ", " + (general ? fmt_g(hi) : fmt(hi)) + "]";
}

// Parameter order for the table: by total index (mu* for Morris), largest first, NaN last.
std::vector<std::size_t> ranking(const Result& res, Method m, std::size_t k) {
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), std::size_t{0});
    auto key = [&](std::size_t i) {
        const double v =
            m == Method::sobol ? res.sobol.total[i].value : res.morris.mu_star[i].value;
        return std::isfinite(v) ? v : -std::numeric_limits<double>::infinity();
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
    return order;
}

void print_table(std::ostream& os, const SweepData& s, const Result& res, Quantity q) {
    const std::size_t k = s.parameters.size();
    std::size_t width = 9;
    for (const std::string& p : s.parameters) width = std::max(width, p.size());
    os << "\n== " << res.output << " at " << format_month(res.month) << " ("
       << (q == Quantity::effect ? "effect: scenario minus baseline" : quantity_name(q)) << ")";
    if (s.method == Method::sobol) {
        os << ": " << res.sobol.samples << " base samples, variance " << fmt_g(res.sobol.variance)
           << (res.sobol.variance > 0 ? "" : " (it does not vary: no indices)") << "\n";
        os << "  " << std::left << std::setw(static_cast<int>(width)) << "parameter" << std::right
           << std::setw(8) << "ST"
           << "  " << std::left << std::setw(18) << "interval" << std::right << std::setw(8) << "S1"
           << "  interval\n";
        for (const std::size_t i : ranking(res, s.method, k)) {
            const Estimate& t = res.sobol.total[i];
            const Estimate& f = res.sobol.first[i];
            os << "  " << std::left << std::setw(static_cast<int>(width)) << s.parameters[i]
               << std::right << std::setw(8) << fmt(t.value) << "  " << std::left << std::setw(18)
               << interval(t.low, t.high, false) << std::right << std::setw(8) << fmt(f.value)
               << "  " << interval(f.low, f.high, false) << "\n";
        }
    } else {
        os << ": " << res.morris.trajectories
           << " trajectories; effects per whole range of each parameter\n";
        if (std::isfinite(res.noise_floor))
            os << "  Monte Carlo noise alone would give mu* up to about " << fmt_g(res.noise_floor)
               << " (from the spread of the replicates; below it, a rank is noise)\n";
        os << "  " << std::left << std::setw(static_cast<int>(width)) << "parameter" << std::right
           << std::setw(11) << "mu*"
           << "  " << std::left << std::setw(24) << "interval" << std::right << std::setw(11)
           << "mu" << std::setw(11) << "sigma"
           << "\n";
        for (const std::size_t i : ranking(res, s.method, k)) {
            const Estimate& ms = res.morris.mu_star[i];
            os << "  " << std::left << std::setw(static_cast<int>(width)) << s.parameters[i]
               << std::right << std::setw(11) << fmt_g(ms.value) << "  " << std::left
               << std::setw(24) << interval(ms.low, ms.high, true) << std::right << std::setw(11)
               << fmt_g(res.morris.mu[i]) << std::setw(11) << fmt_g(res.morris.sigma[i]) << "\n";
        }
    }
}

std::string csv_number(double x) {
    if (!std::isfinite(x)) return "";
    std::ostringstream os;
    os << std::setprecision(10) << x;
    return os.str();
}

void write_csv(std::ostream& os, const SweepData& s, const std::vector<Result>& results,
               Quantity q) {
    os << "parameter,output,date,quantity,index,estimate,low,high\n";
    for (const Result& res : results)
        for (std::size_t i = 0; i < s.parameters.size(); ++i) {
            const std::string head = s.parameters[i] + "," + res.output + "," +
                                     format_month(res.month) + "," + quantity_name(q) + ",";
            auto row = [&](const char* index, double v, double lo, double hi) {
                os << head << index << ',' << csv_number(v) << ',' << csv_number(lo) << ','
                   << csv_number(hi) << '\n';
            };
            if (s.method == Method::sobol) {
                row("S1", res.sobol.first[i].value, res.sobol.first[i].low,
                    res.sobol.first[i].high);
                row("ST", res.sobol.total[i].value, res.sobol.total[i].low,
                    res.sobol.total[i].high);
            } else {
                const Estimate& ms = res.morris.mu_star[i];
                row("mu_star", ms.value, ms.low, ms.high);
                row("mu", res.morris.mu[i], std::nan(""), std::nan(""));
                row("sigma", res.morris.sigma[i], std::nan(""), std::nan(""));
            }
        }
}

IndicesTable make_table(const SweepData& s, const std::vector<Result>& results,
                        const std::vector<std::string>& outputs, const std::vector<int>& months,
                        Quantity q, const Bootstrap& boot, const fs::path& file,
                        const std::string& command_line) {
    IndicesTable t;
    t.parameters = s.parameters;
    t.outputs = outputs;
    t.months = months;
    const std::size_t k = s.parameters.size();
    auto var = [&](const std::string& name, const std::string& long_name,
                   const std::function<double(const Result&, std::size_t)>& get) {
        IndicesVariable v{name, long_name, "", {}};
        for (const Result& res : results)
            for (std::size_t i = 0; i < k; ++i) v.values.push_back(get(res, i));
        t.indices.push_back(std::move(v));
    };
    const std::string ci = " (" + fmt(100 * boot.level, 0) + "% percentile bootstrap interval)";
    if (s.method == Method::sobol) {
        var("S1", "first-order Sobol' index (Saltelli et al. 2010)",
            [](const Result& r, std::size_t i) { return r.sobol.first[i].value; });
        var("S1_low", "lower bound of S1" + ci,
            [](const Result& r, std::size_t i) { return r.sobol.first[i].low; });
        var("S1_high", "upper bound of S1" + ci,
            [](const Result& r, std::size_t i) { return r.sobol.first[i].high; });
        var("ST", "total Sobol' index (Jansen 1999)",
            [](const Result& r, std::size_t i) { return r.sobol.total[i].value; });
        var("ST_low", "lower bound of ST" + ci,
            [](const Result& r, std::size_t i) { return r.sobol.total[i].low; });
        var("ST_high", "upper bound of ST" + ci,
            [](const Result& r, std::size_t i) { return r.sobol.total[i].high; });
        IndicesVariable v{"variance", "variance of the analysed quantity over A and B", "", {}};
        IndicesVariable n{"samples", "base samples used", "1", {}};
        for (const Result& r : results) {
            v.values.push_back(r.sobol.variance);
            n.values.push_back(r.sobol.samples);
        }
        t.statistics.push_back(std::move(v));
        t.statistics.push_back(std::move(n));
    } else {
        var("mu_star", "mean absolute elementary effect (per whole range of the parameter)",
            [](const Result& r, std::size_t i) { return r.morris.mu_star[i].value; });
        var("mu_star_low", "lower bound of mu_star" + ci,
            [](const Result& r, std::size_t i) { return r.morris.mu_star[i].low; });
        var("mu_star_high", "upper bound of mu_star" + ci,
            [](const Result& r, std::size_t i) { return r.morris.mu_star[i].high; });
        var("mu", "mean elementary effect",
            [](const Result& r, std::size_t i) { return r.morris.mu[i]; });
        var("sigma", "standard deviation of the elementary effects",
            [](const Result& r, std::size_t i) { return r.morris.sigma[i]; });
        IndicesVariable n{"trajectories", "trajectories used", "1", {}};
        IndicesVariable f{"noise_floor",
                          "mu_star that Monte Carlo noise alone would give at most (from the "
                          "replicates; NaN with one replicate)",
                          "",
                          {}};
        for (const Result& r : results) {
            n.values.push_back(r.morris.trajectories);
            f.values.push_back(r.noise_floor);
        }
        t.statistics.push_back(std::move(n));
        t.statistics.push_back(std::move(f));
    }
    // Output units on the Morris effects (they are in the output's units).
    t.text_attributes = {
        {"method", s.method == Method::sobol ? "sobol" : "morris"},
        {"quantity", quantity_name(q)},
        {"interval", "percentile bootstrap over " +
                         std::string(s.method == Method::sobol ? "base samples" : "trajectories")},
        {"sweep_file", file.string()},
        {"sweep_name", s.name},
        {"sweep_hash", s.hash},
        {"command_line", command_line}};
    t.number_attributes = {{"bootstrap_resamples", boot.resamples},
                           {"confidence_level", boot.level},
                           {"bootstrap_seed", boot.seed}};
    return t;
}

// Writes `text` to `path` under a temporary name, renamed when complete.
void write_text_file(const fs::path& path, const std::string& text) {
    fs::path tmp = path;
    tmp += ".tmp-" + std::to_string(static_cast<long>(::getpid()));
    {
        std::ofstream out(tmp, std::ios::binary);
        out << text;
        out.close();
        if (!out) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw RunError("sesim sensitivity: writing " + in_quotes(path.string()) + " failed");
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw RunError("sesim sensitivity: cannot rename to " + in_quotes(path.string()));
    }
}

}  // namespace

int cmd_sensitivity(const Invocation& inv) {
    po::options_description desc(
        "sesim sensitivity SWEEP_RESULT.h5 [options]\n\n"
        "Global sensitivity analysis of a finished sweep file: Sobol' first-order (Saltelli et\n"
        "al. 2010) and total (Jansen 1999) indices from a 'design = sobol' sweep, or Morris\n"
        "screening (mu, mu*, sigma) from a 'design = morris' sweep, of each output at each date,\n"
        "on the replicate means of each design point, with percentile bootstrap intervals over\n"
        "base samples (trajectories for Morris). For a paired sweep ('baseline = ...') the\n"
        "indices explain the effect, scenario minus baseline, by default. The table ranks the\n"
        "parameters by total index (mu* for Morris).\n"
        "Options");
    int resamples = 1000;
    double level = 0.95;
    desc.add_options()("help,h", "show this help")(
        "outputs", po::value<std::vector<std::string>>()->composing()->value_name("NAME,..."),
        "outputs to analyse (default: every output the sweep kept)")(
        "at", po::value<std::vector<std::string>>()->composing()->value_name("YYYY-MM,..."),
        "months to analyse, among the kept months (default: the last kept month)")(
        "on", po::value<std::string>()->value_name("WHAT"),
        "effect (scenario minus baseline, the default for a paired sweep), scenario or baseline")(
        "output,o", po::value<std::string>()->value_name("FILE"),
        "also write the indices to FILE (HDF5; xarray opens it)")(
        "csv", po::value<std::string>()->value_name("FILE"),
        "also write every index to FILE as CSV ('-': standard output, instead of the table)")(
        "bootstrap", po::value<int>(&resamples)->default_value(1000)->value_name("N"),
        "bootstrap resamples (0: no intervals)")(
        "level", po::value<double>(&level)->default_value(0.95)->value_name("P"),
        "coverage of the intervals")("seed", po::value<std::uint32_t>()->value_name("S"),
                                     "seed of the bootstrap (default: the sweep's seed)")(
        "threads,t", po::value<int>()->value_name("N"),
        "OpenMP threads (default: OMP_NUM_THREADS, else all cores); the result does not "
        "depend on it")("file", po::value<std::string>()->value_name("FILE"), "sweep file");
    po::positional_options_description pos;
    pos.add("file", 1);
    const auto vm = parse("sensitivity", desc, pos, inv.args);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return kExitOk;
    }
    if (!vm.count("file"))
        throw InputError(
            "sesim sensitivity: no sweep file given.\nExample: sesim sweep "
            "scenarios/sweeps/levers.ini -o levers.h5 && sesim sensitivity levers.h5");
    if (resamples < 0 || resamples > 1000000)
        throw InputError("sesim sensitivity: --bootstrap must be 0 to 1000000 resamples");
    if (!(level > 0 && level < 1))
        throw InputError("sesim sensitivity: --level must be between 0 and 1, e.g. 0.95");
    int threads = omp_get_max_threads();
    if (vm.count("threads")) {
        threads = vm["threads"].as<int>();
        if (threads < 1 || threads > 4096)
            throw InputError("sesim sensitivity: --threads must be 1 to 4096");
    }
    const fs::path file = vm["file"].as<std::string>();
    const std::string out_h5 = vm.count("output") ? vm["output"].as<std::string>() : "";
    const std::string out_csv = vm.count("csv") ? vm["csv"].as<std::string>() : "";
    // Output paths are checked before the (possibly long) analysis.
    if (!out_h5.empty()) ResultFile::check_writable(out_h5);
    if (!out_csv.empty() && out_csv != "-") ResultFile::check_writable(out_csv);
    if (!out_h5.empty() && fs::path(out_h5) == file)
        throw InputError("sesim sensitivity: -o " + in_quotes(out_h5) +
                         " is the sweep file itself; choose another file");

    std::error_code ec;
    if (!fs::exists(file, ec))
        throw InputError("sesim sensitivity: " + in_quotes(file.string()) +
                         ": no such file; give the sweep file written by 'sesim sweep'");
    // A file that HDF5 cannot read, or that lacks a sweep's datasets, is bad input here.
    std::unique_ptr<SweepReader> reader;
    SweepData s;
    try {
        reader = std::make_unique<SweepReader>(file);
        s = read_sweep(*reader, file);
    } catch (const RunError& e) {
        throw InputError("sesim sensitivity: " + in_quotes(file.string()) +
                         " cannot be analysed: it is damaged or not a complete sesim sweep file (" +
                         e.what() + ")");
    }

    Quantity q = s.paired ? Quantity::effect : Quantity::scenario;
    if (vm.count("on")) {
        const std::string on = vm["on"].as<std::string>();
        if (on == "effect")
            q = Quantity::effect;
        else if (on == "scenario")
            q = Quantity::scenario;
        else if (on == "baseline")
            q = Quantity::baseline;
        else
            throw InputError("sesim sensitivity: --on " + in_quotes(on) +
                             ": expected effect, scenario or baseline");
        if (q != Quantity::scenario && !s.paired)
            throw InputError("sesim sensitivity: --on " + on +
                             " needs a paired sweep (one with "
                             "'baseline = FILE'); " +
                             in_quotes(file.string()) + " holds the scenario only");
    }

    std::vector<std::string> outputs =
        vm.count("outputs") ? split_list(vm["outputs"].as<std::vector<std::string>>()) : s.outputs;
    for (const std::string& o : outputs)
        if (std::find(s.outputs.begin(), s.outputs.end(), o) == s.outputs.end()) {
            const bool known = std::any_of(std::begin(kOutputDefs), std::end(kOutputDefs),
                                           [&](const OutputDef& d) { return d.name == o; });
            throw InputError("sesim sensitivity: " +
                             (known ? "output " + in_quotes(o) + " was not kept by this sweep"
                                    : "unknown output " + in_quotes(o)) +
                             "; the sweep kept: " + join(s.outputs, ", "));
        }
    std::vector<int> months;
    std::vector<std::size_t> cols;
    if (vm.count("at")) {
        for (const std::string& a : split_list(vm["at"].as<std::vector<std::string>>())) {
            const auto m = parse_month(a);
            if (!m)
                throw InputError("sesim sensitivity: --at " + in_quotes(a) +
                                 " is not a month; write YYYY-MM, e.g. --at 2030-12");
            const auto it = std::find(s.months.begin(), s.months.end(), *m);
            if (it == s.months.end()) {
                std::vector<std::string> kept;
                for (int km : s.months) kept.push_back(format_month(km));
                const std::string list =
                    kept.size() <= 12 ? join(kept, ", ") : kept.front() + " to " + kept.back();
                throw InputError("sesim sensitivity: --at " + a +
                                 " is not a month the sweep kept (" + list +
                                 "); choose one of those");
            }
            months.push_back(*m);
            cols.push_back(static_cast<std::size_t>(it - s.months.begin()));
        }
    } else {
        months.push_back(s.months.back());
        cols.push_back(s.months.size() - 1);
    }

    Bootstrap boot;
    boot.resamples = resamples;
    boot.level = level;
    boot.seed = vm.count("seed") ? vm["seed"].as<std::uint32_t>() : s.seed;
    boot.threads = threads;

    // Whole blocks only: a base sample (trajectory) with a failed run is left out.
    const std::int64_t blocks = static_cast<std::int64_t>(s.block_ok.size());
    std::vector<std::int64_t> kept_blocks;
    for (std::int64_t b = 0; b < blocks; ++b)
        if (s.block_ok[static_cast<std::size_t>(b)]) kept_blocks.push_back(b);
    const std::string unit = s.method == Method::sobol ? "base samples" : "trajectories";
    if (kept_blocks.size() < 2)
        throw InputError("sesim sensitivity: " + in_quotes(file.string()) + ": only " +
                         std::to_string(kept_blocks.size()) + " of " + std::to_string(blocks) +
                         " " + unit + " have every run done (" + std::to_string(s.failed_runs) +
                         " runs failed); at least 2 are needed");
    if (kept_blocks.size() < static_cast<std::size_t>(blocks))
        std::cerr << "sesim sensitivity: warning: " << s.failed_runs << " runs failed; "
                  << blocks - static_cast<std::int64_t>(kept_blocks.size()) << " of " << blocks
                  << " " << unit << " left out\n";

    std::vector<Result> results;
    for (const std::string& o : outputs)
        for (std::size_t t = 0; t < months.size(); ++t) {
            Result res;
            res.output = o;
            res.month = months[t];
            std::vector<double> all;
            try {
                double noise_var = 0, reps = 0;
                all = point_means(*reader, s, o, cols[t], q, &noise_var, &reps);
                // An elementary effect is a difference of two point means over Delta; were the
                // noise of the two independent, with variance noise_var / reps each, an effect of
                // a parameter without influence would be N(0, 2 noise_var / (reps Delta^2)) and
                // its mean absolute value sqrt(2 / pi) times that sd. Common random numbers
                // correlate neighbouring points, so the true floor is lower: an upper bound.
                if (s.method == Method::morris && std::isfinite(noise_var)) {
                    double delta = 0;
                    for (const double st : s.step) delta = std::max(delta, std::abs(st));
                    res.noise_floor = std::sqrt(2 / 3.14159265358979323846) *
                                      std::sqrt(2 * noise_var / reps) / delta;
                }
            } catch (const RunError& e) {
                throw InputError("sesim sensitivity: " + in_quotes(file.string()) +
                                 " cannot be analysed: it is damaged (" + e.what() + ")");
            }
            std::vector<double> y;
            std::vector<int> factor;
            std::vector<double> step;
            for (const std::int64_t b : kept_blocks)
                for (std::int64_t j = 0; j < s.block_size; ++j) {
                    const auto p = static_cast<std::size_t>(b * s.block_size + j);
                    y.push_back(all[p]);
                    if (s.method == Method::morris) {
                        factor.push_back(s.factor[p]);
                        step.push_back(s.step[p]);
                    }
                }
            const int k = static_cast<int>(s.parameters.size());
            try {
                if (s.method == Method::sobol)
                    res.sobol = sobol_indices(y, k, boot);
                else
                    res.morris = morris_indices(y, factor, step, k, boot);
            } catch (const std::invalid_argument& e) {
                throw InputError("sesim sensitivity: " + in_quotes(file.string()) + ", output " +
                                 o + " at " + format_month(months[t]) + ": cannot be analysed (" +
                                 e.what() + ")");
            }
            results.push_back(std::move(res));
        }

    if (out_csv != "-") {
        std::ostream& os = std::cout;
        os << "sesim sensitivity " << file.string() << ": sweep " << in_quotes(s.name) << ", "
           << (s.method == Method::sobol ? "Sobol' indices" : "Morris screening") << " of the "
           << (q == Quantity::effect ? "effect (scenario minus baseline, same random numbers)"
                                     : quantity_name(q) + " runs")
           << ", " << s.parameters.size() << " parameters, " << kept_blocks.size() << " " << unit
           << "\n";
        if (s.method == Method::sobol)
            os << "ST total index (Jansen 1999), S1 first-order index (Saltelli et al. 2010), on "
                  "replicate means; ";
        else
            os << "mu* mean absolute elementary effect, mu mean, sigma standard deviation, in "
                  "output units per whole range of the parameter; ";
        os << (resamples > 0 ? fmt(100 * level, 0) + "% percentile bootstrap intervals, " +
                                   std::to_string(resamples) + " resamples of the " + unit +
                                   " (seed " + std::to_string(boot.seed) + ")"
                             : std::string("no intervals (--bootstrap 0)"))
           << "\n";
        for (const Result& r : results) print_table(os, s, r, q);
    }
    if (!out_csv.empty()) {
        std::ostringstream csv;
        write_csv(csv, s, results, q);
        if (out_csv == "-")
            std::cout << csv.str();
        else
            write_text_file(out_csv, csv.str());
    }
    if (!out_h5.empty())
        write_indices_file(
            out_h5, make_table(s, results, outputs, months, q, boot, file, inv.command_line));
    return kExitOk;
}

}  // namespace sesim::cli
