// ABC-SMC (solvers/abc.hpp) against a model whose posterior is known in closed form, and the
// properties the calibration relies on: the same result at any thread count, and a run
// interrupted inside a generation and resumed equals an uninterrupted one, bit for bit.
#include <omp.h>

#include <atomic>
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "solvers/abc.hpp"
#include "solvers/keyed_rng.hpp"

using namespace sesim;

namespace {

// Normal mean with known variance and a conjugate normal prior. Data: n = 25 observations
// with sd sigma = 1 and mean xbar = 0.8; prior N(0, 2^2) (truncated at +-20 sd, which moves
// nothing). The sample mean is sufficient, so the model simulates it directly:
// xbar_sim ~ N(theta, sigma^2 / n). Posterior: precision 1/4 + 25 = 25.25,
// mean 25 * 0.8 / 25.25, variance 1 / 25.25.
constexpr double kN = 25, kSigma = 1, kXbar = 0.8, kPriorMean = 0, kPriorSd = 2;
const double kPostVar = 1.0 / (1.0 / (kPriorSd * kPriorSd) + kN / (kSigma * kSigma));
const double kPostMean = kPostVar * (kPriorMean / (kPriorSd * kPriorSd) + kN * kXbar / kSigma);

AbcProblem normal_mean_problem(std::uint32_t seed) {
    AbcProblem pb;
    pb.names = {"theta"};
    Prior prior;
    prior.kind = PriorKind::truncated_normal;
    prior.mean = kPriorMean;
    prior.sd = kPriorSd;
    prior.low = -40;
    prior.high = 40;
    pb.priors = {prior};
    pb.observed = {kXbar};
    pb.scale = {kSigma / std::sqrt(kN)};
    pb.simulate = [seed](const std::vector<double>& theta, std::uint32_t gen, std::uint32_t j) {
        const KeyedRng rng(seed, RngDomain::calibration);
        return std::vector<double>{theta[0] + kSigma / std::sqrt(kN) *
                                                  rng.normal(gen, j, 7, SolverPurpose::run_key)};
    };
    return pb;
}

AbcSettings normal_settings(std::uint32_t seed, int population) {
    AbcSettings st;
    st.population = population;
    st.alpha = 0.5;
    st.final_tolerance = 0.1;  // in standard errors of the mean
    st.min_acceptance = 0.01;
    st.seed = seed;
    return st;
}

struct Moments {
    double mean = 0, var = 0;
};
Moments weighted_moments(const AbcState& s) {
    double w = 0, m = 0;
    for (std::size_t i = 0; i < s.weights.size(); ++i)
        w += s.weights[i], m += s.weights[i] * s.particles(static_cast<Eigen::Index>(i), 0);
    m /= w;
    double v = 0;
    for (std::size_t i = 0; i < s.weights.size(); ++i) {
        const double d = s.particles(static_cast<Eigen::Index>(i), 0) - m;
        v += s.weights[i] * d * d;
    }
    return {m, v / w};
}

void require_equal(const AbcState& a, const AbcState& b) {
    REQUIRE(a.generation == b.generation);
    REQUIRE(a.runs == b.runs);
    REQUIRE(a.stop_reason == b.stop_reason);
    REQUIRE(a.particles == b.particles);
    REQUIRE(a.statistics == b.statistics);
    REQUIRE(a.weights == b.weights);
    REQUIRE(a.distances == b.distances);
    REQUIRE(a.history.size() == b.history.size());
    for (std::size_t g = 0; g < a.history.size(); ++g) {
        REQUIRE(a.history[g].tolerance == b.history[g].tolerance);
        REQUIRE(a.history[g].ess == b.history[g].ess);
        REQUIRE(a.history[g].acceptance_rate == b.history[g].acceptance_rate);
    }
}

}  // namespace

TEST_CASE("Priors: densities integrate to 1 and quantiles invert the distribution", "[abc]") {
    Prior u{PriorKind::uniform, 1, 3};
    Prior lu{PriorKind::log_uniform, 0.01, 1};
    Prior tn{PriorKind::truncated_normal, 0, 1, 0.3, 0.4};
    for (const Prior& p : {u, lu, tn}) {
        INFO(p.text());
        // Midpoint rule on 200,000 cells: error far below 1e-6 for these smooth densities,
        // except the log-uniform's steep start, bounded by 1e-4 here.
        const int cells = 200000;
        const double h = (p.high - p.low) / cells;
        double integral = 0, mean = 0;
        for (int i = 0; i < cells; ++i) {
            const double x = p.low + (i + 0.5) * h;
            integral += std::exp(p.log_density(x)) * h;
            mean += x * std::exp(p.log_density(x)) * h;
        }
        CHECK(integral == Approx(1.0).margin(1e-4));
        CHECK(mean == Approx(p.prior_mean()).margin(1e-4));
        CHECK(p.log_density(p.low - 1e-9) == -std::numeric_limits<double>::infinity());
        // P(X <= quantile(u)) = u, by the same integration.
        for (const double q : {0.1, 0.5, 0.9}) {
            const double x = p.quantile(q);
            double cdf = 0;
            const double hx = (x - p.low) / cells;
            for (int i = 0; i < cells; ++i)
                cdf += std::exp(p.log_density(p.low + (i + 0.5) * hx)) * hx;
            CHECK(cdf == Approx(q).margin(2e-4));
        }
    }
}

TEST_CASE("ABC-SMC: normal mean with a conjugate prior matches the analytic posterior",
          "[abc][statistical]") {
    for (const int population : {1000, 3000}) {
        const AbcState s =
            run_abc(normal_mean_problem(11), normal_settings(11, population), AbcState{});
        REQUIRE(s.finished);
        const double ess = effective_sample_size(s.weights);
        const Moments m = weighted_moments(s);
        INFO("population " << population << ", generations " << s.generation + 1 << ", ESS " << ess
                           << ", runs " << s.runs << ", stop: " << s.stop_reason);
        INFO("posterior mean " << m.mean << " (analytic " << kPostMean << "), variance " << m.var
                               << " (analytic " << kPostVar << ")");
        CHECK(ess > 0.3 * s.weights.size());
        // The tolerance left at the end widens the ABC posterior: accepting |xbar_sim - xbar|
        // <= eps adds about eps^2 / 3 to the variance (a uniform kernel of half-width eps
        // on the sufficient statistic); eps is at most final_tolerance standard errors.
        const double eps = s.history.back().tolerance * kSigma / std::sqrt(kN);
        const double var_abc = kPostVar + eps * eps / 3;
        // Mean: 4 standard errors of a weighted mean with this ESS. Variance: 4 standard
        // errors of a sample variance, sqrt(2 / ESS) relative, plus the eps^2 / 3 term.
        CHECK(std::abs(m.mean - kPostMean) < 4 * std::sqrt(var_abc / ess) + eps / 10);
        CHECK(std::abs(m.var - kPostVar) < 4 * std::sqrt(2 / ess) * var_abc + eps * eps / 3);
    }
}

TEST_CASE("ABC-SMC: the same result on 1 and on 2 threads", "[abc]") {
    const AbcProblem pb = normal_mean_problem(5);
    const AbcSettings st = normal_settings(5, 400);
    omp_set_num_threads(1);
    const AbcState one = run_abc(pb, st, AbcState{});
    omp_set_num_threads(2);
    const AbcState two = run_abc(pb, st, AbcState{});
    REQUIRE(one.generation >= 3);
    require_equal(one, two);
}

TEST_CASE("ABC-SMC: interrupted inside a generation and resumed equals an uninterrupted run",
          "[abc]") {
    const AbcProblem pb = normal_mean_problem(9);
    const AbcSettings st = normal_settings(9, 400);
    const AbcState full = run_abc(pb, st, AbcState{});
    REQUIRE(full.generation >= 4);

    // Stop in the middle of generation 3, as a kill would: the generation is lost and the
    // checkpoint is the state after generation 2.
    std::atomic<bool> stop{false};
    AbcState checkpoint;
    const AbcState cut = run_abc(
        pb, st, AbcState{}, [&](const AbcState& s) { checkpoint = s; }, &stop,
        [&](int gen, int done, int) {
            if (gen == 3 && done >= 50) stop = true;
        });
    REQUIRE_FALSE(cut.finished);
    REQUIRE(cut.generation == 2);
    REQUIRE(checkpoint.generation == 2);
    const AbcState resumed = run_abc(pb, st, checkpoint);
    require_equal(full, resumed);
}

TEST_CASE("ABC-SMC: stop rules: run budget and generation limit", "[abc]") {
    const AbcProblem pb = normal_mean_problem(3);
    AbcSettings st = normal_settings(3, 100);
    st.final_tolerance = 0;
    st.min_acceptance = 0;
    st.max_runs = 100 + 3 * 50 + 10;  // generation 0 and three more fit, a fourth would not
    const AbcState s = run_abc(pb, st, AbcState{});
    CHECK(s.generation == 3);
    CHECK(s.runs == 250);
    CHECK(s.stop_reason.find("run budget") != std::string::npos);
    st.max_runs = 99;
    CHECK_THROWS_AS(run_abc(pb, st, AbcState{}), std::invalid_argument);
}
