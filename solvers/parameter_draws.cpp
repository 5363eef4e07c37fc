#include "solvers/parameter_draws.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

#include "model/errors.hpp"
#include "output/posterior_file.hpp"
#include "output/sha256.hpp"
#include "sesim_version.hpp"
#include "solvers/calibration.hpp"
#include "solvers/keyed_rng.hpp"
#include "solvers/scenario_file.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

std::string file_sha256(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    Sha256 h;
    char buf[1 << 16];
    while (in) {
        in.read(buf, sizeof buf);
        h.update(buf, static_cast<std::size_t>(in.gcount()));
    }
    return h.finish_hex();
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

}  // namespace

DrawSource load_posterior_source(const fs::path& file) {
    const std::string shown = in_quotes(file.string());
    const PosteriorData d = read_posterior(file);
    if (d.model_version != SESIM_MODEL_VERSION)
        throw InputError(shown + " was calibrated with model version " +
                         std::to_string(d.model_version) + " (sesim " + d.sesim_version +
                         "); this sesim is model version " + std::to_string(SESIM_MODEL_VERSION) +
                         ", whose results differ for the same parameters, so the posterior does "
                         "not apply: calibrate again with this sesim (its command line is in the "
                         "file's attribute 'command_line')");
    if (!d.complete)
        throw InputError(shown +
                         " is the checkpoint of an unfinished calibration; finish it "
                         "with 'sesim calibrate ... --resume' and use its -o file");
    DrawSource s;
    s.kind = "posterior";
    s.path = file.string();
    s.sha256 = file_sha256(file);
    s.calibration_name = d.calibration_name;
    s.created = d.creation_time + ", commit " + d.git_commit;
    s.names = d.parameters;
    for (std::size_t k = 0; k < d.parameters.size(); ++k) {
        // Keys are resolved in the geography of the scenarios they are applied to
        // (add_parameter_draws).
        std::vector<std::string> keys = split_commas(d.parameter_keys[k]);
        if (keys.empty())
            throw InputError(shown + ": parameter " + in_quotes(d.parameters[k]) +
                             " sets no key; the file is damaged");
        s.keys.push_back(std::move(keys));
        s.factor.push_back(d.parameter_factor[k] != 0);
        // Values outside the declared range cannot come from 'sesim calibrate': damage.
        for (Eigen::Index i = 0; i < d.particles.rows(); ++i) {
            const double v = d.particles(i, static_cast<Eigen::Index>(k));
            if (!std::isfinite(v) || v < d.prior_low[k] || v > d.prior_high[k])
                throw InputError(shown + ": particle " + std::to_string(i) + " has " +
                                 d.parameters[k] + " = " + std::to_string(v) +
                                 ", outside its prior's support; the file is damaged");
        }
    }
    s.particles = d.particles;
    s.weights = d.weights();
    return s;
}

DrawSource load_prior_source(const fs::path& file) {
    const CalibrationFile cal = load_calibration(file);
    DrawSource s;
    s.kind = "priors";
    s.path = file.string();
    s.sha256 = file_sha256(file);
    s.calibration_name = cal.name;
    for (const CalibratedParameter& cp : cal.parameters) {
        s.names.push_back(cp.name);
        std::vector<std::string> keys;
        for (const ParamKey* k : cp.keys) keys.push_back(k->name);
        s.keys.push_back(std::move(keys));
        s.factor.push_back(cp.factor);
        s.priors.push_back(cp.prior);
    }
    return s;
}

std::set<std::string> scenario_levers(const Scenario& sc) {
    std::set<std::string> out;
    for (std::size_t i = 1; i < sc.files.size(); ++i)
        for (const IniEntry& e : read_ini(sc.files[i]))
            if (e.key != "base" && e.key != "name" && e.key != "description") out.insert(e.key);
    for (const auto& [key, value] : sc.overrides) out.insert(key);
    return out;
}

DrawPlan add_parameter_draws(RunPlan& plan, const DrawSource& src, int per_draw) {
    if (per_draw < 1) throw InputError("--replicates-per-draw must be at least 1");
    const KeyedRng rng(plan.seed, RngDomain::parameter_draws);
    const int draws = (plan.replicates + per_draw - 1) / per_draw;
    const std::size_t np = src.names.size();

    // The concrete keys, in the order of the calibrated parameters, in the scenarios' geography
    // (one for all: a replicate's parameter vector is the same in every scenario).
    ReplicateParameters& rp = plan.drawn;
    rp.keys.clear();
    if (plan.scenarios.empty()) return {};
    const Params& first = plan.scenarios.front().params;
    for (const Scenario& sc : plan.scenarios)
        if (sc.params.geo->source() != first.geo->source())
            throw InputError("scenarios " + in_quotes(plan.scenarios.front().name) + " and " +
                             in_quotes(sc.name) +
                             " have different geographies; parameter draws (--posterior, "
                             "--priors) need one geography for all scenarios");
    std::vector<std::size_t> param_of_key;
    for (std::size_t k = 0; k < np; ++k)
        for (const std::string& name : src.keys[k]) {
            const ParamKey* key = find_param(first, name);
            if (key == nullptr)
                throw InputError(src.path + ": calibrated parameter " + in_quotes(src.names[k]) +
                                 " sets " + in_quotes(name) +
                                 ", which the scenarios' geography does not have (a parameter "
                                 "of another geography or of another sesim); calibrate again on "
                                 "this geography with this sesim");
            rp.keys.push_back(key);
            param_of_key.push_back(k);
        }
    std::vector<std::set<std::string>> levers;
    for (const Scenario& sc : plan.scenarios) levers.push_back(scenario_levers(sc));

    const auto apply = [&](std::size_t s, const std::vector<double>& theta, double* row) {
        const Params& base = plan.scenarios[s].params;
        for (std::size_t j = 0; j < rp.keys.size(); ++j) {
            const ParamKey* key = rp.keys[j];
            const double v = theta[param_of_key[j]];
            row[j] = levers[s].count(key->name)
                         ? std::numeric_limits<double>::quiet_NaN()
                         : (src.factor[param_of_key[j]] ? v * key->get(base) : v);
        }
    };
    const auto consistent = [&](std::size_t s, const double* row) {
        Params p = plan.scenarios[s].params;
        for (std::size_t j = 0; j < rp.keys.size(); ++j)
            if (!std::isnan(row[j])) rp.keys[j]->set(p, row[j]);
        return check_consistency(p);
    };

    DrawPlan dp;
    dp.vectors.resize(draws, static_cast<Eigen::Index>(np));
    std::vector<int> particle(static_cast<std::size_t>(draws), -1);
    std::vector<double> cdf(src.weights.size());
    std::partial_sum(src.weights.begin(), src.weights.end(), cdf.begin());
    std::vector<double> row(rp.keys.size());
    for (int j = 0; j < draws; ++j) {
        std::vector<double> theta(np);
        const auto uj = static_cast<std::uint32_t>(j);
        if (src.kind == "posterior") {
            const double u = rng.uniform(uj, 0, 0, SolverPurpose::posterior_draw) * cdf.back();
            const auto it = std::lower_bound(cdf.begin(), cdf.end(), u);
            const auto i =
                std::min<std::size_t>(static_cast<std::size_t>(it - cdf.begin()), cdf.size() - 1);
            particle[static_cast<std::size_t>(j)] = static_cast<int>(i);
            for (std::size_t k = 0; k < np; ++k)
                theta[k] =
                    src.particles(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k));
            for (std::size_t s = 0; s < plan.scenarios.size(); ++s) {
                apply(s, theta, row.data());
                const std::vector<std::string> problems = consistent(s, row.data());
                if (!problems.empty())
                    throw InputError("scenario " + in_quotes(plan.scenarios[s].name) +
                                     " with posterior particle " + std::to_string(i) + " of " +
                                     src.path +
                                     " breaks a relation between parameters: " + problems.front() +
                                     "; the scenario's levers and the calibrated parameters "
                                     "conflict");
            }
        } else {
            bool found = false;
            for (std::uint32_t a = 0; a < 1000 && !found; ++a) {
                for (std::size_t k = 0; k < np; ++k)
                    theta[k] = src.priors[k].quantile(
                        rng.uniform(uj, a, 0, SolverPurpose::prior, static_cast<std::uint32_t>(k)));
                found = true;
                for (std::size_t s = 0; s < plan.scenarios.size() && found; ++s) {
                    apply(s, theta, row.data());
                    found = consistent(s, row.data()).empty();
                }
            }
            if (!found)
                throw InputError("no draw from the priors of " + src.path +
                                 " in 1000 tries keeps every scenario's parameters consistent; "
                                 "narrow the priors");
        }
        for (std::size_t k = 0; k < np; ++k) dp.vectors(j, static_cast<Eigen::Index>(k)) = theta[k];
    }
    rp.values.assign(
        plan.scenarios.size(),
        std::vector<double>(static_cast<std::size_t>(plan.replicates) * rp.keys.size()));
    for (int k = 0; k < plan.replicates; ++k) {
        const int j = k / per_draw;
        dp.draw_of_replicate.push_back(j);
        dp.particle_of_replicate.push_back(particle[static_cast<std::size_t>(j)]);
        std::vector<double> theta(np);
        for (std::size_t q = 0; q < np; ++q) theta[q] = dp.vectors(j, static_cast<Eigen::Index>(q));
        for (std::size_t s = 0; s < plan.scenarios.size(); ++s)
            apply(s, theta, rp.values[s].data() + static_cast<std::size_t>(k) * rp.keys.size());
    }
    return dp;
}

}  // namespace sesim
