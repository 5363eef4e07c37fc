#include "solvers/abc.hpp"

#include <omp.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include "model/errors.hpp"
#include "solvers/keyed_rng.hpp"

namespace sesim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kLog2Pi = 1.8378770664093453;
// Redraws of the truncated kernel (or of the prior under a `valid` rule) before giving up:
// the support would then hold less than about 1e-4 of the kernel's mass.
constexpr int kMaxAttempts = 100000;

std::string number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", x);
    return buf;
}

const boost::math::normal_distribution<double> kStdNormal{};

double log_sum_exp(const std::vector<double>& v) {
    double m = -kInf;
    for (const double x : v) m = std::max(m, x);
    if (!std::isfinite(m)) return m;
    double s = 0;
    for (const double x : v) s += std::exp(x - m);
    return m + std::log(s);
}

bool in_box(const std::vector<Prior>& priors, const std::vector<double>& theta) {
    for (std::size_t k = 0; k < priors.size(); ++k)
        if (!(theta[k] >= priors[k].low && theta[k] <= priors[k].high)) return false;
    return true;
}

bool in_support(const AbcProblem& pb, const std::vector<double>& theta) {
    return in_box(pb.priors, theta) && (!pb.valid || pb.valid(theta));
}

double log_prior(const AbcProblem& pb, const std::vector<double>& theta) {
    double s = 0;
    for (std::size_t k = 0; k < pb.priors.size(); ++k) s += pb.priors[k].log_density(theta[k]);
    return s;
}

std::vector<double> prior_draw(const AbcProblem& pb, const KeyedRng& rng, std::uint32_t a,
                               std::uint32_t b, std::uint32_t attempt) {
    std::vector<double> theta(pb.priors.size());
    for (std::size_t k = 0; k < theta.size(); ++k)
        theta[k] = pb.priors[k].quantile(
            rng.uniform(a, b, attempt, SolverPurpose::prior, static_cast<std::uint32_t>(k)));
    return theta;
}

// The kernel: covariance 2 Sigma (Beaumont et al. 2009) of the kept particles' weighted
// covariance Sigma, as its Cholesky factor L (kernel draw = centre + L z).
struct Kernel {
    Eigen::MatrixXd chol;
    double log_det = 0;  // log det of the kernel covariance
    Eigen::MatrixXd inverse_chol;
};

Kernel make_kernel(const AbcState& s, const std::vector<double>& w) {
    const Eigen::Index n = s.particles.rows();
    const Eigen::Index p = s.particles.cols();
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(p);
    for (Eigen::Index i = 0; i < n; ++i)
        mean += w[static_cast<std::size_t>(i)] * s.particles.row(i).transpose();
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(p, p);
    for (Eigen::Index i = 0; i < n; ++i) {
        const Eigen::VectorXd d = s.particles.row(i).transpose() - mean;
        cov += w[static_cast<std::size_t>(i)] * d * d.transpose();
    }
    cov *= 2.0;
    // A parameter on which all kept particles agree gives a singular covariance: a small
    // ridge relative to the largest variance keeps the kernel proper without moving it.
    double largest = 0;
    for (Eigen::Index k = 0; k < p; ++k) largest = std::max(largest, cov(k, k));
    if (largest <= 0) largest = 1;
    for (int attempt = 0;; ++attempt) {
        Eigen::LLT<Eigen::MatrixXd> llt(cov);
        if (llt.info() == Eigen::Success) {
            Kernel k;
            k.chol = llt.matrixL();
            k.log_det = 0;
            for (Eigen::Index i = 0; i < p; ++i) k.log_det += 2.0 * std::log(k.chol(i, i));
            k.inverse_chol =
                k.chol.triangularView<Eigen::Lower>().solve(Eigen::MatrixXd::Identity(p, p));
            return k;
        }
        if (attempt > 20) throw RunError("ABC-SMC: the particles' covariance is not usable");
        cov.diagonal().array() += largest * 1e-10 * std::pow(10.0, attempt);
    }
}

// Indices of the `keep` smallest distances, ties in index order (a fixed order, so the
// particles kept do not depend on anything but the values).
std::vector<std::size_t> smallest(const std::vector<double>& d, std::size_t keep) {
    std::vector<std::size_t> idx(d.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return d[a] < d[b]; });
    idx.resize(keep);
    return idx;
}

void normalise(std::vector<double>& w) {
    const double s = std::accumulate(w.begin(), w.end(), 0.0);
    for (double& x : w) x /= s;
}

// Simulates every vector of `thetas` (in parallel) and returns each one's statistics.
std::vector<std::vector<double>> simulate_all(const AbcProblem& pb,
                                              const std::vector<std::vector<double>>& thetas,
                                              int generation, const std::atomic<bool>* stop,
                                              const AbcProgress& progress, bool& interrupted) {
    const int n = static_cast<int>(thetas.size());
    std::vector<std::vector<double>> stats(thetas.size());
    std::vector<std::string> errors(thetas.size());
    std::atomic<bool> skipped{false};
    int done = 0;
#pragma omp parallel for schedule(dynamic, 1)
    for (int j = 0; j < n; ++j) {
        if (stop != nullptr && stop->load(std::memory_order_relaxed)) {
            skipped = true;
            continue;
        }
        const auto u = static_cast<std::size_t>(j);
        try {
            stats[u] = pb.simulate(thetas[u], static_cast<std::uint32_t>(generation),
                                   static_cast<std::uint32_t>(j));
            if (stats[u].size() != pb.observed.size())
                errors[u] = "the model returned " + std::to_string(stats[u].size()) +
                            " statistics for " + std::to_string(pb.observed.size()) + " targets";
        } catch (const std::exception& e) {
            errors[u] = e.what();
        }
#pragma omp critical(sesim_abc_progress)
        {
            ++done;
            if (progress) progress(generation, done, n);
        }
    }
    for (std::size_t j = 0; j < errors.size(); ++j)
        if (!errors[j].empty())
            throw RunError("ABC-SMC generation " + std::to_string(generation) + ", proposal " +
                           std::to_string(j) + ": " + errors[j]);
    interrupted = skipped.load();
    return stats;
}

void check(const AbcProblem& pb, const AbcSettings& st) {
    if (pb.priors.empty()) throw std::invalid_argument("ABC-SMC: no parameters");
    if (pb.names.size() != pb.priors.size())
        throw std::invalid_argument("ABC-SMC: one name per prior");
    if (pb.observed.empty() || pb.observed.size() != pb.scale.size())
        throw std::invalid_argument("ABC-SMC: one scale per observed statistic, at least one");
    for (const double s : pb.scale)
        if (!(s > 0) || !std::isfinite(s))
            throw std::invalid_argument("ABC-SMC: every scale must be positive");
    if (!pb.simulate) throw std::invalid_argument("ABC-SMC: no model");
    if (st.population < 4) throw std::invalid_argument("ABC-SMC: population must be at least 4");
    if (!(st.alpha > 0 && st.alpha < 1))
        throw std::invalid_argument("ABC-SMC: alpha must lie in (0, 1)");
    if (st.runs_per_proposal < 1 || st.support_draws < 1 || st.max_generations < 1)
        throw std::invalid_argument("ABC-SMC: runs, support draws and generations must be >= 1");
}

}  // namespace

// ---- Priors ------------------------------------------------------------------------------------

std::string_view prior_kind_name(PriorKind kind) {
    switch (kind) {
        case PriorKind::uniform:
            return "uniform";
        case PriorKind::log_uniform:
            return "log_uniform";
        case PriorKind::truncated_normal:
            return "truncated_normal";
    }
    return "?";
}

double Prior::log_density(double x) const {
    if (!(x >= low && x <= high)) return -kInf;
    switch (kind) {
        case PriorKind::uniform:
            return -std::log(high - low);
        case PriorKind::log_uniform:
            return -std::log(x) - std::log(std::log(high / low));
        case PriorKind::truncated_normal: {
            const double z = (x - mean) / sd;
            const double mass = boost::math::cdf(kStdNormal, (high - mean) / sd) -
                                boost::math::cdf(kStdNormal, (low - mean) / sd);
            return -0.5 * (kLog2Pi + z * z) - std::log(sd) - std::log(mass);
        }
    }
    return -kInf;
}

double Prior::quantile(double u) const {
    switch (kind) {
        case PriorKind::uniform:
            return low + u * (high - low);
        case PriorKind::log_uniform:
            return low * std::exp(u * std::log(high / low));
        case PriorKind::truncated_normal: {
            const double a = boost::math::cdf(kStdNormal, (low - mean) / sd);
            const double b = boost::math::cdf(kStdNormal, (high - mean) / sd);
            const double p = std::clamp(a + u * (b - a), 1e-300, 1.0 - 1e-16);
            return std::clamp(mean + sd * boost::math::quantile(kStdNormal, p), low, high);
        }
    }
    return low;
}

double Prior::prior_mean() const {
    switch (kind) {
        case PriorKind::uniform:
            return 0.5 * (low + high);
        case PriorKind::log_uniform:
            return (high - low) / std::log(high / low);
        case PriorKind::truncated_normal: {
            const double a = (low - mean) / sd;
            const double b = (high - mean) / sd;
            const double mass = boost::math::cdf(kStdNormal, b) - boost::math::cdf(kStdNormal, a);
            return mean +
                   sd * (boost::math::pdf(kStdNormal, a) - boost::math::pdf(kStdNormal, b)) / mass;
        }
    }
    return low;
}

std::string Prior::text() const {
    const std::string n(prior_kind_name(kind));
    if (kind == PriorKind::truncated_normal)
        return n + "(" + number(mean) + ", " + number(sd) + "; " + number(low) + ", " +
               number(high) + ")";
    return n + "(" + number(low) + ", " + number(high) + ")";
}

// ---- Helpers -----------------------------------------------------------------------------------

double abc_distance(const std::vector<double>& simulated, const std::vector<double>& observed,
                    const std::vector<double>& scale) {
    double s = 0;
    for (std::size_t k = 0; k < observed.size(); ++k) {
        if (!std::isfinite(simulated[k])) return kInf;
        const double z = (simulated[k] - observed[k]) / scale[k];
        s += z * z;
    }
    return std::sqrt(s);
}

double effective_sample_size(const std::vector<double>& w) {
    double s = 0, s2 = 0;
    for (const double x : w) s += x, s2 += x * x;
    return s2 > 0 ? s * s / s2 : 0.0;
}

double weighted_quantile(const std::vector<double>& x, const std::vector<double>& w, double p) {
    if (x.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::vector<std::size_t> idx(x.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    const double total = std::accumulate(w.begin(), w.end(), 0.0);
    double cum = 0;
    for (const std::size_t i : idx) {
        cum += w[i];
        if (cum >= p * total * (1 - 1e-12)) return x[i];
    }
    return x[idx.back()];
}

int AbcSettings::kept() const {
    return std::max(2, static_cast<int>(std::floor(alpha * population)));
}

int AbcSettings::proposals() const {
    return std::max(1, population - kept());
}

// ---- The algorithm -----------------------------------------------------------------------------

AbcState run_abc(const AbcProblem& pb, const AbcSettings& st, AbcState s,
                 const std::function<void(const AbcState&)>& after_generation,
                 const std::atomic<bool>* stop, const AbcProgress& progress) {
    check(pb, st);
    const KeyedRng rng(st.seed, RngDomain::calibration);
    const std::size_t p = pb.priors.size();
    const std::size_t targets = pb.observed.size();
    const auto keep = static_cast<std::size_t>(st.kept());

    // Keeps the `keep` closest of the pooled particles and records the generation.
    const auto select = [&](std::vector<std::vector<double>>& thetas,
                            std::vector<std::vector<double>>& stats, std::vector<double>& weights,
                            std::vector<double>& dist, std::size_t new_from, int proposals) {
        const std::vector<std::size_t> kept = smallest(dist, keep);
        AbcState next;
        next.generation = s.generation + 1;
        next.particles.resize(static_cast<Eigen::Index>(keep), static_cast<Eigen::Index>(p));
        next.statistics.resize(static_cast<Eigen::Index>(keep), static_cast<Eigen::Index>(targets));
        std::size_t new_kept = 0;
        for (std::size_t r = 0; r < keep; ++r) {
            const std::size_t i = kept[r];
            for (std::size_t k = 0; k < p; ++k)
                next.particles(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(k)) =
                    thetas[i][k];
            for (std::size_t k = 0; k < targets; ++k)
                next.statistics(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(k)) =
                    stats[i][k];
            next.weights.push_back(weights[i]);
            next.distances.push_back(dist[i]);
            if (i >= new_from) ++new_kept;
        }
        GenerationSummary g;
        g.generation = next.generation;
        g.tolerance = next.distances.empty()
                          ? kInf
                          : *std::max_element(next.distances.begin(), next.distances.end());
        g.acceptance_rate = next.generation == 0 ? 1.0 : static_cast<double>(new_kept) / proposals;
        g.ess = effective_sample_size(next.weights);
        g.proposals = proposals;
        next.runs = s.runs + static_cast<std::int64_t>(proposals) * st.runs_per_proposal;
        g.runs = next.runs;
        next.history = s.history;
        next.history.push_back(g);
        next.support_mass = s.support_mass;
        return next;
    };

    while (true) {
        // Stop rules, checked between generations only, so that they do not depend on timing.
        if (s.generation >= 0) {
            const GenerationSummary& last = s.history.back();
            std::string reason;
            if (last.tolerance <= st.final_tolerance)
                reason = "final tolerance " + number(st.final_tolerance) + " reached (" +
                         number(last.tolerance) + ")";
            else if (s.generation > 0 && last.acceptance_rate < st.min_acceptance)
                reason = "acceptance rate " + number(last.acceptance_rate) + " below " +
                         number(st.min_acceptance);
            else if (s.generation + 1 >= st.max_generations)
                reason = std::to_string(st.max_generations) + " generations done";
            else if (s.runs + static_cast<std::int64_t>(st.proposals()) * st.runs_per_proposal >
                     st.max_runs)
                reason = "run budget: the next generation would exceed " +
                         std::to_string(st.max_runs) + " runs";
            if (!reason.empty()) {
                s.finished = true;
                s.stop_reason = reason;
                return s;
            }
        }
        const int gen = s.generation + 1;
        std::vector<std::vector<double>> thetas;
        std::vector<double> weights;
        std::size_t new_from = 0;
        int proposals = 0;
        if (gen == 0) {
            if (st.runs_per_proposal * static_cast<std::int64_t>(st.population) > st.max_runs)
                throw std::invalid_argument(
                    "ABC-SMC: the run budget is smaller than generation 0 (population x runs per "
                    "particle)");
            // The prior mass of the valid region, by keyed Monte Carlo (exactly 1 without a
            // `valid` rule): generation-0 weights are relative to it (see AbcState).
            if (pb.valid) {
                constexpr int kDraws = 4096;
                int inside = 0;
                for (int i = 0; i < kDraws; ++i)
                    inside +=
                        pb.valid(prior_draw(pb, rng, 0xFFFFFFFFu, static_cast<std::uint32_t>(i), 0))
                            ? 1
                            : 0;
                s.support_mass = std::max(1, inside) / static_cast<double>(kDraws);
            }
            proposals = st.population;
            for (int j = 0; j < proposals; ++j) {
                for (std::uint32_t a = 0;; ++a) {
                    if (a >= kMaxAttempts)
                        throw RunError(
                            "ABC-SMC: no prior draw satisfies the parameter relations after " +
                            std::to_string(kMaxAttempts) + " tries; widen the priors");
                    std::vector<double> theta =
                        prior_draw(pb, rng, 0, static_cast<std::uint32_t>(j), a);
                    if (!pb.valid || pb.valid(theta)) {
                        thetas.push_back(std::move(theta));
                        break;
                    }
                }
                weights.push_back(1.0);
            }
        } else {
            std::vector<double> w_old = s.weights;
            normalise(w_old);
            const Kernel kernel = make_kernel(s, w_old);
            const auto n_old = static_cast<std::size_t>(s.particles.rows());
            std::vector<double> cdf(n_old);
            std::partial_sum(w_old.begin(), w_old.end(), cdf.begin());
            const auto pick = [&](double u) {
                const auto it = std::lower_bound(cdf.begin(), cdf.end(), u * cdf.back());
                return std::min<std::size_t>(static_cast<std::size_t>(it - cdf.begin()), n_old - 1);
            };
            const auto draw_from = [&](std::size_t i, std::uint32_t b, std::uint32_t c,
                                       SolverPurpose purpose) {
                Eigen::VectorXd z(static_cast<Eigen::Index>(p));
                for (std::size_t k = 0; k < p; ++k)
                    z(static_cast<Eigen::Index>(k)) =
                        rng.normal(static_cast<std::uint32_t>(gen), b, c, purpose,
                                   static_cast<std::uint32_t>(k));
                const Eigen::VectorXd x =
                    s.particles.row(static_cast<Eigen::Index>(i)).transpose() + kernel.chol * z;
                return std::vector<double>(x.data(), x.data() + x.size());
            };
            // Z_i: the share of kernel i's mass inside the support, so that the truncated
            // kernel is a normalised density (Monte Carlo, keyed; 1 when the support is wide).
            std::vector<double> log_mass(n_old);
#pragma omp parallel for schedule(static)
            for (std::size_t i = 0; i < n_old; ++i) {
                int inside = 0;
                for (int m = 0; m < st.support_draws; ++m)
                    inside +=
                        in_support(pb, draw_from(i, 0x80000000u | static_cast<std::uint32_t>(i),
                                                 static_cast<std::uint32_t>(m),
                                                 SolverPurpose::support_mass))
                            ? 1
                            : 0;
                log_mass[i] = std::log(std::max(1, inside) / static_cast<double>(st.support_draws));
            }
            proposals = st.proposals();
            for (int j = 0; j < proposals; ++j) {
                for (std::uint32_t a = 0;; ++a) {
                    if (a >= kMaxAttempts)
                        throw RunError("ABC-SMC generation " + std::to_string(gen) +
                                       ": the kernel found no point of the prior support in " +
                                       std::to_string(kMaxAttempts) + " tries");
                    const std::size_t i = pick(rng.uniform(static_cast<std::uint32_t>(gen),
                                                           static_cast<std::uint32_t>(j), a,
                                                           SolverPurpose::resample));
                    std::vector<double> theta =
                        draw_from(i, static_cast<std::uint32_t>(j), a, SolverPurpose::perturb);
                    if (in_support(pb, theta)) {
                        thetas.push_back(std::move(theta));
                        break;
                    }
                }
            }
            // Weight of a new particle: prior density over the mixture of truncated kernels.
            // Whitened coordinates (L^-1 theta) make each kernel density a squared distance.
            const Eigen::MatrixXd white_old = s.particles * kernel.inverse_chol.transpose();
            const double log_norm = -0.5 * (static_cast<double>(p) * kLog2Pi + kernel.log_det);
            std::vector<double> log_base(n_old);
            for (std::size_t i = 0; i < n_old; ++i)
                log_base[i] = std::log(w_old[i]) + log_norm - log_mass[i];
            weights.resize(thetas.size());
#pragma omp parallel for schedule(static)
            for (std::size_t j = 0; j < thetas.size(); ++j) {
                const Eigen::Map<const Eigen::VectorXd> to(thetas[j].data(),
                                                           static_cast<Eigen::Index>(p));
                const Eigen::VectorXd white = kernel.inverse_chol * to;
                std::vector<double> terms(n_old);
                for (std::size_t i = 0; i < n_old; ++i) {
                    double d2 = 0;
                    for (std::size_t k = 0; k < p; ++k) {
                        const double d =
                            white(static_cast<Eigen::Index>(k)) -
                            white_old(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k));
                        d2 += d * d;
                    }
                    terms[i] = log_base[i] - 0.5 * d2;
                }
                weights[j] =
                    std::exp(log_prior(pb, thetas[j]) - log_sum_exp(terms)) / s.support_mass;
            }
            new_from = n_old;
        }

        bool interrupted = false;
        std::vector<std::vector<double>> stats =
            simulate_all(pb, thetas, gen, stop, progress, interrupted);
        if (interrupted) return s;

        std::vector<double> dist(thetas.size());
        for (std::size_t j = 0; j < thetas.size(); ++j)
            dist[j] = abc_distance(stats[j], pb.observed, pb.scale);

        // Pool: the kept particles first, with their importance weights (target over proposal
        // density, on the same scale as the new ones': Lenormand et al. 2013), then the new.
        std::vector<std::vector<double>> pool_t;
        std::vector<std::vector<double>> pool_s;
        std::vector<double> pool_w;
        std::vector<double> pool_d;
        if (gen > 0) {
            for (Eigen::Index i = 0; i < s.particles.rows(); ++i) {
                const Eigen::VectorXd row = s.particles.row(i).transpose();
                pool_t.emplace_back(row.data(), row.data() + row.size());
                const Eigen::VectorXd srow = s.statistics.row(i).transpose();
                pool_s.emplace_back(srow.data(), srow.data() + srow.size());
                pool_d.push_back(s.distances[static_cast<std::size_t>(i)]);
            }
            pool_w = s.weights;
        }
        for (std::size_t j = 0; j < thetas.size(); ++j) {
            pool_t.push_back(std::move(thetas[j]));
            pool_s.push_back(std::move(stats[j]));
            pool_d.push_back(dist[j]);
        }
        pool_w.insert(pool_w.end(), weights.begin(), weights.end());
        s = select(pool_t, pool_s, pool_w, pool_d, new_from, proposals);
        if (after_generation) after_generation(s);
    }
}

}  // namespace sesim
