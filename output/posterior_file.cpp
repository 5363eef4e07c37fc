#include "output/posterior_file.hpp"

#include <cmath>
#include <numeric>
#include <system_error>

#include "model/errors.hpp"
#include "output/hdf5_file.hpp"
#include "output/provenance.hpp"
#include "output/safe_write.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTitle = "sesim posterior";

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

void write_matrix(const h5::Object& file, const std::string& name, const Eigen::MatrixXd& m,
                  const h5::Object& rows, const h5::Object& cols) {
    const h5::Object ds = h5::create_matrix(file, name, static_cast<hsize_t>(m.rows()),
                                            static_cast<hsize_t>(m.cols()), rows, cols);
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> r = m;
    for (Eigen::Index i = 0; i < r.rows(); ++i)
        h5::write_row(ds, static_cast<hsize_t>(i), static_cast<hsize_t>(r.cols()),
                      r.data() + i * r.cols());
}

Eigen::MatrixXd read_matrix(const h5::Object& file, const std::string& name, std::size_t rows,
                            std::size_t cols, const std::string& shown) {
    const h5::Matrix m = h5::read_matrix(h5::open_dataset(file, name));
    if (m.rows != rows || m.cols != cols)
        throw InputError(shown + ": dataset " + in_quotes(name) + " has shape (" +
                         std::to_string(m.rows) + ", " + std::to_string(m.cols) + "), expected (" +
                         std::to_string(rows) + ", " + std::to_string(cols) +
                         "); the file is damaged");
    Eigen::MatrixXd out(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j)
            out(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
                m.values[i * cols + j];
    return out;
}

std::vector<double> read_vector(const h5::Object& file, const std::string& name, std::size_t n,
                                const std::string& shown) {
    const h5::Matrix m = h5::read_matrix(h5::open_dataset(file, name));
    if (m.values.size() != n)
        throw InputError(shown + ": dataset " + in_quotes(name) + " holds " +
                         std::to_string(m.values.size()) + " values, expected " +
                         std::to_string(n) + "; the file is damaged");
    return m.values;
}

std::vector<std::string> read_text_vector(const h5::Object& file, const std::string& name,
                                          std::size_t n, const std::string& shown) {
    std::vector<std::string> v = h5::read_strings(h5::open_dataset(file, name));
    if (v.size() != n)
        throw InputError(shown + ": dataset " + in_quotes(name) + " holds " +
                         std::to_string(v.size()) + " labels, expected " + std::to_string(n) +
                         "; the file is damaged");
    return v;
}

std::string text(const h5::Object& f, const char* name) {
    return h5::has_attribute(f, name) ? h5::read_string_attribute(f, name) : std::string();
}

}  // namespace

std::vector<double> PosteriorData::weights() const {
    std::vector<double> w = importance_weights;
    const double s = std::accumulate(w.begin(), w.end(), 0.0);
    for (double& x : w) x /= s;
    return w;
}

void write_posterior(const fs::path& path, const PosteriorData& d) {
    fs::path tmp = path;
    tmp += ".tmp-" + std::to_string(static_cast<long>(::getpid()));
    try {
        {
            const h5::Object f = h5::create_file(tmp);
            h5::write_attribute(f, "title", kTitle);
            write_provenance(f, d.provenance, ProvenanceOf::posterior);
            h5::write_attribute(f, "method", d.method);
            h5::write_attribute(f, "calibration_name", d.calibration_name);
            h5::write_attribute(f, "calibration_path", d.calibration_path);
            h5::write_attribute(f, "calibration_text", d.calibration_text);
            h5::write_attribute(f, "scenario_name", d.scenario_name);
            h5::write_attribute(f, "scenario_text", d.scenario_text);
            h5::write_attribute(f, "population", static_cast<std::int32_t>(d.population));
            h5::write_attribute(f, "alpha", d.alpha);
            h5::write_attribute(f, "replicates_per_particle",
                                static_cast<std::int32_t>(d.replicates));
            h5::write_attribute(f, "final_tolerance", d.final_tolerance);
            h5::write_attribute(f, "min_acceptance", d.min_acceptance);
            h5::write_attribute(f, "max_runs", static_cast<std::int64_t>(d.max_runs));
            h5::write_attribute(f, "max_generations", static_cast<std::int32_t>(d.max_generations));
            h5::write_attribute(f, "predictive_replicates",
                                static_cast<std::int32_t>(d.predictive_replicates));
            h5::write_attribute(f, "generations_done", static_cast<std::int32_t>(d.generation + 1));
            h5::write_attribute(f, "runs", static_cast<std::int64_t>(d.runs));
            h5::write_attribute(f, "support_mass", d.support_mass);
            h5::write_attribute(f, "complete", static_cast<std::int32_t>(d.complete ? 1 : 0));
            h5::write_attribute(f, "stop_reason", d.stop_reason);

            const h5::Object parameter = h5::create_scale(f, "parameter", d.parameters);
            const h5::Object target = h5::create_scale(f, "target", d.targets);
            std::vector<std::int32_t> idx(d.importance_weights.size());
            std::iota(idx.begin(), idx.end(), 0);
            const h5::Object particle = h5::create_scale(f, "particle", idx);
            std::vector<std::int32_t> gens;
            for (const auto& g : d.history) gens.push_back(g.generation);
            const h5::Object generation = h5::create_scale(f, "generation", gens);

            write_matrix(f, "particles", d.particles, particle, parameter);
            h5::write_attribute(h5::create_vector(f, "weights", d.weights(), particle), "long_name",
                                "normalised posterior weight");
            h5::create_vector(f, "importance_weights", d.importance_weights, particle);
            h5::write_attribute(
                h5::create_vector(f, "distances", d.distances, particle), "long_name",
                "sqrt of the sum over targets of ((simulated - observed) / scale)^2");
            write_matrix(f, "statistics", d.statistics, particle, target);
            if (d.predictive.size() > 0)
                write_matrix(f, "predictive", d.predictive, particle, target);
            h5::create_vector(f, "observed", d.observed, target);
            h5::create_vector(f, "target_scale", d.target_scale, target);
            h5::create_vector(f, "target_description", d.target_descriptions, target);
            h5::create_vector(f, "target_source", d.target_sources, target);
            h5::create_vector(f, "prior", d.priors, parameter);
            h5::create_vector(f, "prior_low", d.prior_low, parameter);
            h5::create_vector(f, "prior_high", d.prior_high, parameter);
            h5::create_vector(f, "parameter_keys", d.parameter_keys, parameter);
            std::vector<double> factor(d.parameter_factor.begin(), d.parameter_factor.end());
            h5::create_vector(f, "parameter_factor", factor, parameter);

            std::vector<double> tol, acc, ess, runs, props;
            for (const auto& g : d.history) {
                tol.push_back(g.tolerance);
                acc.push_back(g.acceptance_rate);
                ess.push_back(g.ess);
                runs.push_back(static_cast<double>(g.runs));
                props.push_back(g.proposals);
            }
            h5::create_vector(f, "tolerance", tol, generation);
            h5::create_vector(f, "acceptance_rate", acc, generation);
            h5::create_vector(f, "ess", ess, generation);
            h5::create_vector(f, "runs", runs, generation);
            h5::create_vector(f, "proposals", props, generation);
            h5::check_status(H5Fflush(f.id(), H5F_SCOPE_GLOBAL), "cannot write", f.where());
        }
        commit_file(tmp, path);  // fsync, rename, fsync of the folder
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
}

PosteriorData read_posterior(const fs::path& path) {
    const std::string shown = in_quotes(path.string());
    try {
        const h5::Object f = h5::open_file(path);
        if (!h5::has_attribute(f, "title") || h5::read_string_attribute(f, "title") != kTitle)
            throw InputError(shown +
                             " is not a sesim posterior file (written by 'sesim calibrate'); "
                             "give the -o file of a calibration");
        PosteriorData d;
        Provenance& p = d.provenance;
        p.sesim_version = text(f, "sesim_version");
        p.model_version = static_cast<int>(h5::read_number_attribute(f, "model_version"));
        p.git_commit = text(f, "git_commit");
        p.command_line = text(f, "command_line");
        p.creation_time = text(f, "creation_time");
        p.seed = static_cast<std::uint32_t>(h5::read_number_attribute(f, "seed"));
        d.method = text(f, "method");
        d.calibration_name = text(f, "calibration_name");
        d.calibration_path = text(f, "calibration_path");
        d.calibration_text = text(f, "calibration_text");
        d.scenario_name = text(f, "scenario_name");
        d.scenario_text = text(f, "scenario_text");
        d.population = static_cast<int>(h5::read_number_attribute(f, "population"));
        d.alpha = h5::read_number_attribute(f, "alpha");
        d.replicates = static_cast<int>(h5::read_number_attribute(f, "replicates_per_particle"));
        d.final_tolerance = h5::read_number_attribute(f, "final_tolerance");
        d.min_acceptance = h5::read_number_attribute(f, "min_acceptance");
        d.max_runs = static_cast<std::int64_t>(h5::read_number_attribute(f, "max_runs"));
        d.max_generations = static_cast<int>(h5::read_number_attribute(f, "max_generations"));
        d.predictive_replicates =
            static_cast<int>(h5::read_number_attribute(f, "predictive_replicates"));
        d.generation = static_cast<int>(h5::read_number_attribute(f, "generations_done")) - 1;
        d.runs = static_cast<std::int64_t>(h5::read_number_attribute(f, "runs"));
        d.support_mass = h5::read_number_attribute(f, "support_mass");
        d.complete = h5::read_number_attribute(f, "complete") != 0;
        d.stop_reason = text(f, "stop_reason");

        d.parameters = h5::read_strings(h5::open_dataset(f, "parameter"));
        d.targets = h5::read_strings(h5::open_dataset(f, "target"));
        const std::size_t np = d.parameters.size();
        const std::size_t nt = d.targets.size();
        const std::size_t n = static_cast<std::size_t>(
            h5::read_matrix(h5::open_dataset(f, "particle")).values.size());
        if (np == 0 || nt == 0 || n == 0)
            throw InputError(shown +
                             " holds no parameters, targets or particles; the file is damaged");
        d.particles = read_matrix(f, "particles", n, np, shown);
        d.importance_weights = read_vector(f, "importance_weights", n, shown);
        d.distances = read_vector(f, "distances", n, shown);
        d.statistics = read_matrix(f, "statistics", n, nt, shown);
        if (h5::has_link(f, "predictive"))
            d.predictive = read_matrix(f, "predictive", n, nt, shown);
        d.observed = read_vector(f, "observed", nt, shown);
        d.target_scale = read_vector(f, "target_scale", nt, shown);
        d.target_descriptions = read_text_vector(f, "target_description", nt, shown);
        d.target_sources = read_text_vector(f, "target_source", nt, shown);
        d.priors = read_text_vector(f, "prior", np, shown);
        d.prior_low = read_vector(f, "prior_low", np, shown);
        d.prior_high = read_vector(f, "prior_high", np, shown);
        d.parameter_keys = read_text_vector(f, "parameter_keys", np, shown);
        for (const double x : read_vector(f, "parameter_factor", np, shown))
            d.parameter_factor.push_back(x != 0 ? 1 : 0);
        const std::vector<double> gens = h5::read_matrix(h5::open_dataset(f, "generation")).values;
        const std::size_t ng = gens.size();
        const auto tol = read_vector(f, "tolerance", ng, shown);
        const auto acc = read_vector(f, "acceptance_rate", ng, shown);
        const auto ess = read_vector(f, "ess", ng, shown);
        const auto runs = read_vector(f, "runs", ng, shown);
        const auto props = read_vector(f, "proposals", ng, shown);
        for (std::size_t g = 0; g < ng; ++g)
            d.history.push_back({static_cast<int>(gens[g]), tol[g], acc[g], ess[g],
                                 static_cast<std::int64_t>(runs[g]), static_cast<int>(props[g])});
        if (static_cast<int>(ng) != d.generation + 1)
            throw InputError(shown + ": " + std::to_string(ng) + " generations stored, " +
                             std::to_string(d.generation + 1) + " recorded; the file is damaged");
        double wsum = 0;
        for (const double w : d.importance_weights) {
            if (!(w >= 0) || !std::isfinite(w))
                throw InputError(shown +
                                 ": a particle weight is negative or not finite; the file "
                                 "is damaged");
            wsum += w;
        }
        if (!(wsum > 0))
            throw InputError(shown + ": the particle weights sum to zero; the file is damaged");
        return d;
    } catch (const RunError& e) {
        throw InputError(std::string(e.what()) + "\n" + shown +
                         " cannot be read as a sesim posterior; if it is one, it is damaged: "
                         "copy it again or re-run the calibration (its command line is in the "
                         "file's provenance)");
    }
}

}  // namespace sesim
