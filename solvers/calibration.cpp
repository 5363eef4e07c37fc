#include "solvers/calibration.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/model.hpp"
#include "solvers/keyed_rng.hpp"
#include "solvers/scenario_file.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

std::string at(const IniEntry& e) {
    return e.file + ":" + std::to_string(e.line) + ": ";
}

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

double parse_number(const IniEntry& e, const std::string& what) {
    const char* begin = e.value.c_str();
    char* end = nullptr;
    const double v = std::strtod(begin, &end);
    if (end == begin || *end != '\0' || !std::isfinite(v))
        throw InputError(at(e) + what + " " + in_quotes(e.value) + " is not a number");
    return v;
}

long long parse_whole(const IniEntry& e, long long lo, long long hi) {
    const double v = parse_number(e, e.key);
    if (v != std::floor(v) || v < static_cast<double>(lo) || v > static_cast<double>(hi))
        throw InputError(at(e) + in_quotes(e.key) + " = " + e.value +
                         " must be a whole number from " + std::to_string(lo) + " to " +
                         std::to_string(hi));
    return static_cast<long long>(v);
}

int parse_month_entry(const IniEntry& e) {
    const auto m = parse_month(e.value);
    if (!m)
        throw InputError(at(e) + in_quotes(e.key) + " = " + e.value + " is not a month (YYYY-MM)");
    return *m;
}

int find_output(const IniEntry& e) {
    for (int o = 0; o < kOutputs; ++o)
        if (kOutputDefs[static_cast<std::size_t>(o)].name == e.value) return o;
    std::string best;
    std::size_t best_d = 1000;
    for (const OutputDef& d : kOutputDefs) {
        const std::size_t dist = edit_distance(e.value, d.name);
        if (dist < best_d) best_d = dist, best = std::string(d.name);
    }
    throw InputError(at(e) + "unknown output " + in_quotes(e.value) + " in " + in_quotes(e.key) +
                     "; did you mean " + in_quotes(best) + "? Run 'sesim outputs' for the list");
}

const OutputDef& def_of(int o) {
    return kOutputDefs[static_cast<std::size_t>(o)];
}

// Section and field of "target.NAME.FIELD" / "prior.PARAM.FIELD" (PARAM may contain dots).
bool split_key(const std::string& key, const std::string& prefix, std::string& name,
               std::string& field) {
    if (key.rfind(prefix, 0) != 0) return false;
    const std::string rest = key.substr(prefix.size());
    const auto dot = rest.rfind('.');
    if (dot == std::string::npos || dot == 0) return false;
    name = rest.substr(0, dot);
    field = rest.substr(dot + 1);
    return true;
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct TargetDraft {
    std::map<std::string, IniEntry> fields;
    int first_line = 0;
};

Target build_target(const std::string& name, const TargetDraft& d, const std::string& shown) {
    const auto get = [&](const char* f) -> const IniEntry* {
        const auto it = d.fields.find(f);
        return it == d.fields.end() ? nullptr : &it->second;
    };
    const std::string where =
        shown + ":" + std::to_string(d.first_line) + ": target " + in_quotes(name) + ": ";
    const auto need = [&](const char* f) -> const IniEntry& {
        const IniEntry* e = get(f);
        if (e == nullptr)
            throw InputError(where + "no " + in_quotes(f) + "; add `" + f + " = ...` to [target." +
                             name + "]");
        return *e;
    };
    static const std::set<std::string> known{"statistic", "output", "denominator", "at",
                                             "from",      "to",     "observed",    "sd",
                                             "tolerance", "source", "description"};
    for (const auto& [f, e] : d.fields)
        if (!known.count(f))
            throw InputError(at(e) + "unknown key " + in_quotes(f) + " in [target." + name +
                             "]; expected statistic, output, denominator, at, from, to, "
                             "observed, sd or tolerance, source, description");
    Target t;
    t.name = name;
    const IniEntry& stat = need("statistic");
    if (stat.value == "value")
        t.statistic = TargetStatistic::value;
    else if (stat.value == "mean")
        t.statistic = TargetStatistic::mean;
    else if (stat.value == "sum")
        t.statistic = TargetStatistic::sum;
    else if (stat.value == "ratio")
        t.statistic = TargetStatistic::ratio;
    else if (stat.value == "growth")
        t.statistic = TargetStatistic::growth;
    else
        throw InputError(at(stat) + "unknown statistic " + in_quotes(stat.value) +
                         "; expected value, mean, sum, ratio or growth");
    t.output = find_output(need("output"));
    if (t.statistic == TargetStatistic::ratio) {
        t.denominator = find_output(need("denominator"));
    } else if (const IniEntry* e = get("denominator")) {
        throw InputError(at(*e) + "'denominator' belongs to statistic = ratio only");
    }
    if (t.statistic == TargetStatistic::value) {
        const IniEntry& a = need("at");
        t.from = t.to = parse_month_entry(a);
        if (get("from") || get("to"))
            throw InputError(where + "statistic = value takes `at`, not `from`/`to`");
    } else {
        if (get("at"))
            throw InputError(where + "statistic = " + stat.value +
                             " takes `from` and `to`, not `at`");
        t.from = parse_month_entry(need("from"));
        t.to = parse_month_entry(need("to"));
        if (t.to < t.from || (t.statistic == TargetStatistic::growth && t.to == t.from))
            throw InputError(where + "`to` (" + format_month(t.to) + ") must come after `from` (" +
                             format_month(t.from) + ")");
    }
    t.observed = parse_number(need("observed"), "observed");
    const IniEntry* sd = get("sd");
    const IniEntry* tol = get("tolerance");
    if ((sd == nullptr) == (tol == nullptr))
        throw InputError(where +
                         "give exactly one of `sd` (standard error of the observed "
                         "value) and `tolerance`: it is the distance's unit");
    const IniEntry& se = sd != nullptr ? *sd : *tol;
    t.scale = parse_number(se, se.key);
    t.scale_kind = sd != nullptr ? "sd" : "tolerance";
    if (!(t.scale > 0)) throw InputError(at(se) + in_quotes(se.key) + " must be positive");
    t.source = need("source").value;
    const std::string o(def_of(t.output).name);
    switch (t.statistic) {
        case TargetStatistic::value:
            t.description = o + " in " + format_month(t.from);
            break;
        case TargetStatistic::mean:
            t.description =
                "mean of " + o + ", " + format_month(t.from) + " to " + format_month(t.to);
            break;
        case TargetStatistic::sum:
            t.description =
                "total of " + o + ", " + format_month(t.from) + " to " + format_month(t.to);
            break;
        case TargetStatistic::ratio:
            t.description = o + " / " + std::string(def_of(t.denominator).name) + ", " +
                            format_month(t.from) + " to " + format_month(t.to);
            break;
        case TargetStatistic::growth:
            t.description =
                "annual growth of " + o + ", " + format_month(t.from) + " to " + format_month(t.to);
            break;
    }
    if (const IniEntry* e = get("description")) t.description = e->value;
    return t;
}

CalibratedParameter build_parameter(const std::string& name, const TargetDraft& d,
                                    const Scenario& scenario, const std::string& shown) {
    const std::string where =
        shown + ":" + std::to_string(d.first_line) + ": prior " + in_quotes(name) + ": ";
    const Geography& geo = *scenario.params.geo;
    const auto get = [&](const char* f) -> const IniEntry* {
        const auto it = d.fields.find(f);
        return it == d.fields.end() ? nullptr : &it->second;
    };
    static const std::set<std::string> known{"distribution", "low", "high", "mean", "sd", "apply"};
    for (const auto& [f, e] : d.fields)
        if (!known.count(f))
            throw InputError(at(e) + "unknown key " + in_quotes(f) + " in [prior." + name +
                             "]; expected distribution, low, high, mean, sd, apply");
    CalibratedParameter cp;
    cp.name = name;
    if (const ParamKey* key = find_param(geo, name)) {
        cp.keys.push_back(key);
    } else if (find_param_def(name) != nullptr) {
        for (const ParamKey& k : param_keys(geo))
            if (k.def->name == name && k.def->scope != Scope::global) cp.keys.push_back(&k);
    } else {
        std::string error;
        for (const ParamKey* k : select_params(geo, name, error)) cp.keys.push_back(k);
    }
    if (cp.keys.empty())
        throw InputError(where + "unknown parameter; did you mean " +
                         in_quotes(closest_param(geo, name)) +
                         "? Name a parameter of 'sesim params', or a regional parameter without "
                         "its region to set every region's copy");
    const ParamDef& def = *cp.keys.front()->def;
    if (def.type != ParamType::real)
        throw InputError(where + "is of type " + std::string(type_name(def.type)) +
                         "; only real-valued parameters can be calibrated");
    if (const IniEntry* e = get("apply")) {
        if (e->value == "factor")
            cp.factor = true;
        else if (e->value != "value")
            throw InputError(at(*e) + "apply = " + e->value +
                             ": expected 'value' (the draw is the parameter's value) or 'factor' "
                             "(the draw multiplies the scenario's value)");
    }
    const IniEntry* dist = get("distribution");
    if (dist == nullptr) throw InputError(where + "no `distribution`");
    if (dist->value == "uniform")
        cp.prior.kind = PriorKind::uniform;
    else if (dist->value == "log_uniform")
        cp.prior.kind = PriorKind::log_uniform;
    else if (dist->value == "truncated_normal")
        cp.prior.kind = PriorKind::truncated_normal;
    else
        throw InputError(at(*dist) + "unknown distribution " + in_quotes(dist->value) +
                         "; expected uniform, log_uniform or truncated_normal");
    const IniEntry* lo = get("low");
    const IniEntry* hi = get("high");
    if (lo == nullptr || hi == nullptr)
        throw InputError(where + "give `low` and `high` (the support of the prior)");
    cp.prior.low = parse_number(*lo, "low");
    cp.prior.high = parse_number(*hi, "high");
    if (!(cp.prior.low < cp.prior.high)) throw InputError(where + "`low` must be below `high`");
    if (cp.prior.kind == PriorKind::log_uniform && !(cp.prior.low > 0))
        throw InputError(at(*lo) + "a log_uniform prior needs low > 0");
    if (cp.prior.kind == PriorKind::truncated_normal) {
        const IniEntry* m = get("mean");
        const IniEntry* s = get("sd");
        if (m == nullptr || s == nullptr)
            throw InputError(where + "a truncated_normal prior needs `mean` and `sd`");
        cp.prior.mean = parse_number(*m, "mean");
        cp.prior.sd = parse_number(*s, "sd");
        if (!(cp.prior.sd > 0)) throw InputError(at(*s) + "`sd` must be positive");
    } else if (get("mean") || get("sd")) {
        throw InputError(where + "`mean` and `sd` belong to a truncated_normal prior");
    }
    // Every value the prior allows must be a value the parameter allows.
    for (const ParamKey* k : cp.keys) {
        const double base = k->get(scenario.params);
        const double a = cp.factor ? cp.prior.low * base : cp.prior.low;
        const double b = cp.factor ? cp.prior.high * base : cp.prior.high;
        if (std::min(a, b) < def.min || std::max(a, b) > def.max)
            throw InputError(
                where + "the prior's support [" + std::to_string(cp.prior.low) + ", " +
                std::to_string(cp.prior.high) + "]" +
                (cp.factor ? " times the scenario's " + k->name + " (" + std::to_string(base) + ")"
                           : "") +
                " leaves the range of " + k->name + ", " + range_text(def) +
                "; narrow the prior to lie within the range of model/params.def");
    }
    return cp;
}

}  // namespace

std::string_view statistic_name(TargetStatistic s) {
    switch (s) {
        case TargetStatistic::value:
            return "value";
        case TargetStatistic::mean:
            return "mean";
        case TargetStatistic::sum:
            return "sum";
        case TargetStatistic::ratio:
            return "ratio";
        case TargetStatistic::growth:
            return "growth";
    }
    return "?";
}

int Target::first_month() const {
    return statistic == TargetStatistic::growth ? from - 11 : from;
}

double evaluate_target(const Target& t, const RunSeries& series, int start_month) {
    const auto index = [&](int month) {
        const int i = month - start_month;
        if (i < 0 || i >= series.months)
            throw std::out_of_range("target " + t.name + ": month " + format_month(month) +
                                    " is outside the run");
        return i;
    };
    const auto total = [&](int o, int from, int to) {
        double s = 0;
        const Output out = static_cast<Output>(o);
        for (int m = from; m <= to; ++m) s += series.at(out, index(m));
        return s;
    };
    // A year's level: a flow's total, a stock's mean, over the 12 months ending in `month`.
    const auto level = [&](int month) {
        const double sum = total(t.output, month - 11, month);
        return def_of(t.output).kind == OutputKind::flow ? sum : sum / 12.0;
    };
    switch (t.statistic) {
        case TargetStatistic::value:
            return series.at(static_cast<Output>(t.output), index(t.from));
        case TargetStatistic::mean:
            return total(t.output, t.from, t.to) / (t.to - t.from + 1);
        case TargetStatistic::sum:
            return total(t.output, t.from, t.to);
        case TargetStatistic::ratio:
            return total(t.output, t.from, t.to) / total(t.denominator, t.from, t.to);
        case TargetStatistic::growth:
            return std::pow(level(t.to) / level(t.from), 12.0 / (t.to - t.from)) - 1.0;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

void apply_parameter(const CalibratedParameter& cp, double value, const Params& scenario,
                     Params& params) {
    for (const ParamKey* k : cp.keys) k->set(params, cp.factor ? value * k->get(scenario) : value);
}

std::vector<std::string> CalibrationFile::parameter_names() const {
    std::vector<std::string> out;
    for (const auto& p : parameters) out.push_back(p.name);
    return out;
}

std::vector<std::string> CalibrationFile::target_names() const {
    std::vector<std::string> out;
    for (const auto& t : targets) out.push_back(t.name);
    return out;
}

CalibrationFile load_calibration(const fs::path& file) {
    const std::string shown = file.string();
    const std::vector<IniEntry> entries = read_ini(file);  // InputError on a bad file
    CalibrationFile cal;
    cal.path = shown;
    cal.text = read_text(file);
    cal.name = file.stem().string();
    std::map<std::string, TargetDraft> targets;
    std::map<std::string, TargetDraft> priors;
    std::vector<std::string> target_order, prior_order;
    const IniEntry* scenario = nullptr;
    std::vector<const IniEntry*> settings;
    for (const IniEntry& e : entries) {
        std::string name, field;
        if (split_key(e.key, "target.", name, field)) {
            auto [it, fresh] = targets.try_emplace(name);
            if (fresh) target_order.push_back(name), it->second.first_line = e.line;
            it->second.fields.emplace(field, e);
        } else if (split_key(e.key, "prior.", name, field)) {
            auto [it, fresh] = priors.try_emplace(name);
            if (fresh) prior_order.push_back(name), it->second.first_line = e.line;
            it->second.fields.emplace(field, e);
        } else if (e.key == "name") {
            if (!valid_scenario_name(e.value))
                throw InputError(at(e) + "name " + in_quotes(e.value) +
                                 " may only contain letters, digits, '_' and '-'");
            cal.name = e.value;
        } else if (e.key == "description") {
            cal.description = e.value;
        } else if (e.key == "scenario") {
            scenario = &e;
        } else {
            settings.push_back(&e);
        }
    }
    CalibrationSettings& s = cal.settings;
    for (const IniEntry* e : settings) {
        if (e->key == "population")
            s.population = static_cast<int>(parse_whole(*e, 8, 1000000));
        else if (e->key == "alpha") {
            s.alpha = parse_number(*e, "alpha");
            if (!(s.alpha > 0 && s.alpha < 1))
                throw InputError(at(*e) + "alpha must lie strictly between 0 and 1");
        } else if (e->key == "replicates")
            s.replicates = static_cast<int>(parse_whole(*e, 1, 1000));
        else if (e->key == "final_tolerance") {
            s.final_tolerance = parse_number(*e, "final_tolerance");
            if (s.final_tolerance < 0) throw InputError(at(*e) + "final_tolerance must be >= 0");
        } else if (e->key == "min_acceptance") {
            s.min_acceptance = parse_number(*e, "min_acceptance");
            if (s.min_acceptance < 0 || s.min_acceptance >= 1)
                throw InputError(at(*e) + "min_acceptance must lie in [0, 1)");
        } else if (e->key == "max_runs")
            s.max_runs = parse_whole(*e, 1, 1000000000000LL);
        else if (e->key == "max_generations")
            s.max_generations = static_cast<int>(parse_whole(*e, 1, 10000));
        else if (e->key == "seed")
            s.seed = static_cast<std::uint32_t>(parse_whole(*e, 0, 4294967295LL));
        else if (e->key == "predictive_replicates")
            s.predictive_replicates = static_cast<int>(parse_whole(*e, 0, 1000));
        else
            throw InputError(at(*e) + "unknown key " + in_quotes(e->key) +
                             "; a calibration file has name, description, scenario, population, "
                             "alpha, replicates, final_tolerance, min_acceptance, max_runs, "
                             "max_generations, seed, predictive_replicates, and [target.NAME] and "
                             "[prior.PARAMETER] sections");
    }
    if (scenario == nullptr)
        throw InputError(shown +
                         ": no `scenario = FILE.ini` line; name the scenario whose parameters "
                         "are calibrated (relative to this file's folder)");
    const fs::path scen = (file.parent_path() / scenario->value).lexically_normal();
    try {
        cal.scenario = load_scenario(scen);
    } catch (const InputError& e) {
        throw InputError(at(*scenario) + "scenario " + in_quotes(scenario->value) + ": " +
                         e.what());
    }
    if (target_order.empty())
        throw InputError(shown +
                         ": no targets; add a [target.NAME] section (see docs/uncertainty.md)");
    if (prior_order.empty())
        throw InputError(shown +
                         ": no priors; add a [prior.PARAMETER] section (see docs/uncertainty.md)");
    const Params& base = cal.scenario.params;
    const int start = base.g.start_month;
    const int end = start + base.g.months - 1;
    int last = start;
    for (const std::string& n : target_order) {
        Target t = build_target(n, targets[n], shown);
        if (t.first_month() < start || t.to > end)
            throw InputError(shown + ":" + std::to_string(targets[n].first_line) + ": target " +
                             in_quotes(n) + " needs " + format_month(t.first_month()) + " to " +
                             format_month(t.to) + ", outside the scenario's months (" +
                             format_month(start) + " to " + format_month(end) + ")");
        last = std::max(last, t.to);
        cal.targets.push_back(std::move(t));
    }
    std::set<const ParamKey*> seen;
    for (const std::string& n : prior_order) {
        CalibratedParameter cp = build_parameter(n, priors[n], cal.scenario, shown);
        for (const ParamKey* k : cp.keys)
            if (!seen.insert(k).second)
                throw InputError(shown + ":" + std::to_string(priors[n].first_line) + ": prior " +
                                 in_quotes(n) + " sets " + k->name +
                                 ", which another prior sets too; keep one of them");
        cal.parameters.push_back(std::move(cp));
    }
    // Simulating past the last target month would change no statistic.
    cal.horizon = last - start + 1;
    if (s.max_runs < static_cast<std::int64_t>(s.population) * s.replicates)
        throw InputError(shown + ": max_runs = " + std::to_string(s.max_runs) +
                         " is smaller than the first generation (population x replicates = " +
                         std::to_string(static_cast<std::int64_t>(s.population) * s.replicates) +
                         "); raise max_runs or lower population");
    return cal;
}

Params calibrated_params(const CalibrationFile& cal, const std::vector<double>& theta) {
    Params p = cal.scenario.params;
    for (std::size_t k = 0; k < cal.parameters.size(); ++k)
        apply_parameter(cal.parameters[k], theta[k], cal.scenario.params, p);
    p.g.months = cal.horizon;
    return p;
}

AbcSettings abc_settings(const CalibrationSettings& s) {
    AbcSettings a;
    a.population = s.population;
    a.alpha = s.alpha;
    a.final_tolerance = s.final_tolerance;
    a.min_acceptance = s.min_acceptance;
    a.max_runs = s.max_runs;
    a.runs_per_proposal = s.replicates;
    a.max_generations = s.max_generations;
    a.seed = s.seed;
    return a;
}

namespace {

std::vector<double> simulate_statistics(const CalibrationFile& cal,
                                        const std::vector<double>& theta, std::uint32_t a,
                                        std::uint32_t b, int replicates, SolverPurpose purpose) {
    const Params p = calibrated_params(cal, theta);
    const KeyedRng rng(cal.settings.seed, RngDomain::calibration);
    std::vector<double> mean(cal.targets.size(), 0.0);
    for (int r = 0; r < replicates; ++r) {
        // A 64-bit (seed, replicate) pair per run: distinct for every run of a calibration
        // with overwhelming probability, and independent of the calibration's other draws.
        const auto key = rng.raw(a, b, static_cast<std::uint32_t>(r), purpose);
        const RunSeries series = simulate(p, key[0], key[1]);
        for (std::size_t k = 0; k < cal.targets.size(); ++k)
            mean[k] += evaluate_target(cal.targets[k], series, p.g.start_month) / replicates;
    }
    return mean;
}

}  // namespace

AbcProblem calibration_problem(const CalibrationFile& cal) {
    AbcProblem pb;
    for (const auto& cp : cal.parameters) {
        pb.names.push_back(cp.name);
        pb.priors.push_back(cp.prior);
    }
    for (const Target& t : cal.targets) {
        pb.observed.push_back(t.observed);
        pb.scale.push_back(t.scale);
    }
    pb.simulate = [&cal](const std::vector<double>& theta, std::uint32_t gen, std::uint32_t j) {
        return simulate_statistics(cal, theta, gen, j, cal.settings.replicates,
                                   SolverPurpose::run_key);
    };
    pb.valid = [&cal](const std::vector<double>& theta) {
        Params p = cal.scenario.params;
        for (std::size_t k = 0; k < cal.parameters.size(); ++k)
            apply_parameter(cal.parameters[k], theta[k], cal.scenario.params, p);
        return check_consistency(p).empty();
    };
    return pb;
}

Eigen::MatrixXd posterior_predictive(const CalibrationFile& cal, const Eigen::MatrixXd& particles,
                                     const std::atomic<bool>* stop, const AbcProgress& progress) {
    const auto n = static_cast<int>(particles.rows());
    Eigen::MatrixXd out(particles.rows(), static_cast<Eigen::Index>(cal.targets.size()));
    out.setConstant(std::numeric_limits<double>::quiet_NaN());
    const int reps = cal.settings.predictive_replicates;
    if (reps == 0) return out;
    int done = 0;
    std::vector<std::string> errors(static_cast<std::size_t>(n));
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < n; ++i) {
        if (stop != nullptr && stop->load()) continue;
        const Eigen::VectorXd row = particles.row(i).transpose();
        try {
            const std::vector<double> s = simulate_statistics(
                cal, std::vector<double>(row.data(), row.data() + row.size()), 0xFFFFFFF0u,
                static_cast<std::uint32_t>(i), reps, SolverPurpose::predictive);
            for (std::size_t k = 0; k < s.size(); ++k) out(i, static_cast<Eigen::Index>(k)) = s[k];
        } catch (const std::exception& e) {
            errors[static_cast<std::size_t>(i)] = e.what();
        }
#pragma omp critical(sesim_predictive_progress)
        {
            ++done;
            if (progress) progress(-1, done, n);
        }
    }
    for (int i = 0; i < n; ++i)
        if (!errors[static_cast<std::size_t>(i)].empty())
            throw RunError("posterior predictive run of particle " + std::to_string(i) + ": " +
                           errors[static_cast<std::size_t>(i)]);
    return out;
}

}  // namespace sesim

#include "output/result_file.hpp"
#include "sesim_version.hpp"

namespace sesim {

PosteriorData posterior_data(const CalibrationFile& cal, const AbcState& s,
                             const std::string& command_line) {
    PosteriorData d;
    d.provenance = make_provenance(command_line, cal.settings.seed, 0);
    d.method =
        "ABC-SMC, adaptive population Monte Carlo (Lenormand, Jabot & Deffuant 2013; Beaumont et "
        "al. 2009): alpha-quantile tolerance schedule, kernel N(0, 2 x weighted covariance) "
        "truncated to the prior support, distance sqrt(sum(((sim - obs) / scale)^2)) over "
        "targets, each simulated statistic the mean of replicates_per_particle runs";
    d.calibration_name = cal.name;
    d.calibration_path = cal.path;
    d.calibration_text = cal.text;
    d.scenario_name = cal.scenario.name;
    d.scenario_text = cal.scenario.text;
    const CalibrationSettings& st = cal.settings;
    d.population = st.population;
    d.alpha = st.alpha;
    d.replicates = st.replicates;
    d.final_tolerance = st.final_tolerance;
    d.min_acceptance = st.min_acceptance;
    d.max_runs = st.max_runs;
    d.max_generations = st.max_generations;
    d.predictive_replicates = st.predictive_replicates;
    for (const CalibratedParameter& cp : cal.parameters) {
        d.parameters.push_back(cp.name);
        std::string keys;
        for (const ParamKey* k : cp.keys) keys += (keys.empty() ? "" : ",") + k->name;
        d.parameter_keys.push_back(keys);
        d.parameter_factor.push_back(cp.factor ? 1 : 0);
        d.priors.push_back(cp.prior.text());
        d.prior_low.push_back(cp.prior.low);
        d.prior_high.push_back(cp.prior.high);
    }
    for (const Target& t : cal.targets) {
        d.targets.push_back(t.name);
        d.target_descriptions.push_back(t.description);
        d.target_sources.push_back(t.source);
        d.observed.push_back(t.observed);
        d.target_scale.push_back(t.scale);
    }
    d.generation = s.generation;
    d.particles = s.particles;
    d.importance_weights = s.weights;
    d.distances = s.distances;
    d.statistics = s.statistics;
    for (const GenerationSummary& g : s.history)
        d.history.push_back(
            {g.generation, g.tolerance, g.acceptance_rate, g.ess, g.runs, g.proposals});
    d.runs = s.runs;
    d.support_mass = s.support_mass;
    d.complete = s.finished;
    d.stop_reason = s.stop_reason;
    return d;
}

AbcState resume_state(const CalibrationFile& cal, const PosteriorData& c, const std::string& path) {
    const auto differs = [&](const std::string& what) {
        return InputError("cannot resume from " + path + ": its " + what +
                          " differs from this calibration's; resume with the same file and "
                          "options, or delete " +
                          path + " to start afresh");
    };
    if (c.provenance.model_version != SESIM_MODEL_VERSION)
        throw InputError("cannot resume from " + path + ": it was written by model version " +
                         std::to_string(c.provenance.model_version) +
                         ", this sesim is model version " + std::to_string(SESIM_MODEL_VERSION) +
                         "; delete it to start afresh");
    if (c.calibration_text != cal.text) throw differs("calibration file text");
    if (c.scenario_text != cal.scenario.text) throw differs("base scenario");
    const CalibrationSettings& s = cal.settings;
    if (c.provenance.seed != s.seed) throw differs("seed");
    if (c.population != s.population || c.alpha != s.alpha || c.replicates != s.replicates ||
        c.final_tolerance != s.final_tolerance || c.min_acceptance != s.min_acceptance ||
        c.max_runs != s.max_runs || c.max_generations != s.max_generations ||
        c.predictive_replicates != s.predictive_replicates)
        throw differs("settings (population, replicates, budget...)");
    if (c.parameters != cal.parameter_names() || c.targets != cal.target_names())
        throw differs("parameters or targets");
    AbcState st;
    st.generation = c.generation;
    st.particles = c.particles;
    st.weights = c.importance_weights;
    st.distances = c.distances;
    st.statistics = c.statistics;
    for (const PosteriorGeneration& g : c.history)
        st.history.push_back(
            {g.generation, g.tolerance, g.acceptance_rate, g.ess, g.runs, g.proposals});
    st.runs = c.runs;
    st.support_mass = c.support_mass;
    return st;
}

}  // namespace sesim
