#include "solvers/compare.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <stdexcept>

#include "model/calendar.hpp"
#include "model/outputs.hpp"
#include "solvers/keyed_rng.hpp"

namespace sesim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Moments {
    int n = 0;
    double mean = kNaN;
    double var = kNaN;  // sample variance (n - 1)
};

Moments moments(std::span<const double> x) {
    Moments m;
    double sum = 0;
    for (const double v : x)
        if (!std::isnan(v)) sum += v, ++m.n;
    if (m.n == 0) return m;
    m.mean = sum / m.n;
    if (m.n < 2) return m;
    double ss = 0;
    for (const double v : x)
        if (!std::isnan(v)) ss += (v - m.mean) * (v - m.mean);
    m.var = ss / (m.n - 1);
    return m;
}

const OutputDef* find_def(std::string_view output) {
    for (const OutputDef& d : kOutputDefs)
        if (d.name == output) return &d;
    return nullptr;
}

const std::vector<std::vector<double>>& samples_of(const Samples& s, std::string_view output,
                                                   std::size_t dates, const char* which) {
    const auto it = s.find(output);
    if (it == s.end())
        throw std::invalid_argument(std::string("compare_scenario: the ") + which +
                                    " samples lack output '" + std::string(output) + "'");
    if (it->second.size() != dates)
        throw std::invalid_argument(std::string("compare_scenario: the ") + which +
                                    " samples of '" + std::string(output) + "' have " +
                                    std::to_string(it->second.size()) + " dates, expected " +
                                    std::to_string(dates));
    return it->second;
}

// Element-wise a + b of two replicate vectors.
std::vector<double> plus(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> out(a.size());
    for (std::size_t k = 0; k < a.size(); ++k) out[k] = a[k] + b[k];
    return out;
}

std::string eur(double x) {
    return "EUR " + format_number(x, "EUR");
}

// "the number of scaled SEs rises by 3.53 (95% CI 2.53 to 4.53)", and the variants for a
// fall, for no change at all and for a change whose interval includes zero.
std::string change_clause(const Interval& d, std::string_view subject, std::string_view units,
                          double level, bool with_parameters = false) {
    const std::string unit = units == "1" ? "" : " " + std::string(units);
    const std::string ci = "(" + std::to_string(static_cast<int>(std::lround(level * 100))) +
                           (with_parameters ? "% interval with parameter uncertainty " : "% CI ") +
                           format_number(d.low, units) + " to " + format_number(d.high, units) +
                           unit;
    const std::string s(subject);
    if (d.above_zero())
        return s + " rises by " + format_number(d.mean, units) + unit + " " + ci + ")";
    if (d.below_zero())
        return s + " falls by " + format_number(-d.mean, units) + unit + " " + ci + ")";
    if (d.mean == 0 && d.low == 0 && d.high == 0) return s + " does not change";
    return s + " does not change detectably " + ci + ", which includes zero)";
}

}  // namespace

double student_t_quantile(double p, double dof) {
    if (!(p > 0 && p < 1) || !(dof > 0))
        throw std::invalid_argument("student_t_quantile: need 0 < p < 1 and dof > 0");
    return boost::math::quantile(boost::math::students_t_distribution<double>(dof), p);
}

Interval mean_interval(std::span<const double> x, double level) {
    const Moments m = moments(x);
    Interval out;
    out.n = m.n;
    out.mean = m.mean;
    if (m.n < 2) return out;
    const double half = student_t_quantile(0.5 + level / 2.0, m.n - 1.0) * std::sqrt(m.var / m.n);
    out.low = m.mean - half;
    out.high = m.mean + half;
    return out;
}

Interval paired_difference(std::span<const double> x, std::span<const double> y, double level) {
    if (x.size() != y.size())
        throw std::invalid_argument("paired_difference: " + std::to_string(x.size()) +
                                    " values against " + std::to_string(y.size()));
    std::vector<double> d(x.size());
    for (std::size_t k = 0; k < x.size(); ++k) d[k] = x[k] - y[k];  // NaN when either is NaN
    return mean_interval(d, level);
}

Interval unpaired_difference(std::span<const double> x, std::span<const double> y, double level) {
    const Moments a = moments(x);
    const Moments b = moments(y);
    Interval out;
    out.n = std::min(a.n, b.n);
    out.mean = a.mean - b.mean;
    if (a.n < 2 || b.n < 2) return out;
    const double va = a.var / a.n;
    const double vb = b.var / b.n;
    if (va + vb == 0) {
        out.low = out.high = out.mean;
        return out;
    }
    const double dof = (va + vb) * (va + vb) / (va * va / (a.n - 1) + vb * vb / (b.n - 1));
    const double half = student_t_quantile(0.5 + level / 2.0, dof) * std::sqrt(va + vb);
    out.low = out.mean - half;
    out.high = out.mean + half;
    return out;
}

std::string outcome_label(std::string_view output) {
    for (const KeyOutcome& k : kKeyOutcomes)
        if (k.output == output) return std::string(k.label);
    return std::string(output);
}

bool is_cumulative(std::string_view output) {
    const OutputDef* d = find_def(output);
    if (d == nullptr) throw std::invalid_argument("unknown output '" + std::string(output) + "'");
    return d->kind == OutputKind::flow;
}

ScenarioComparison compare_scenario(const std::string& scenario, const std::string& description,
                                    const Samples& base, const Samples& scen,
                                    const std::vector<std::string>& outputs,
                                    const std::vector<int>& dates, double level,
                                    const Worlds* worlds) {
    if (dates.empty()) throw std::invalid_argument("compare_scenario: no dates");
    const bool with_parameters = worlds != nullptr && !worlds->empty();
    // The interval shown: paired t (noise only), or over worlds (with parameter uncertainty).
    const auto shown = [&](std::span<const double> x, std::span<const double> y,
                           VarianceSplit* split, double* p_pos) {
        if (!with_parameters) {
            const Interval iv = paired_difference(x, y, level);
            if (p_pos != nullptr || split != nullptr) {
                std::vector<double> d(x.size());
                for (std::size_t k = 0; k < x.size(); ++k) d[k] = x[k] - y[k];
                Worlds one;
                one.count = 1;
                one.of_replicate.assign(x.size(), 0);
                world_interval(d, one, level, split, p_pos);
            }
            return iv;
        }
        std::vector<double> d(x.size());
        for (std::size_t k = 0; k < x.size(); ++k) d[k] = x[k] - y[k];
        return world_interval(d, *worlds, level, split, p_pos);
    };
    ScenarioComparison out;
    out.scenario = scenario;
    out.description = description;
    const std::size_t nd = dates.size();

    for (const std::string& o : outputs) {
        const bool cumulative = is_cumulative(o);
        const auto& b = samples_of(base, o, nd, "baseline");
        const auto& s = samples_of(scen, o, nd, "scenario");
        for (std::size_t i = 0; i < nd; ++i) {
            if (b[i].size() != s[i].size())
                throw std::invalid_argument("compare_scenario: '" + o + "' has " +
                                            std::to_string(s[i].size()) +
                                            " replicates in the scenario and " +
                                            std::to_string(b[i].size()) + " in the baseline");
            Effect e;
            e.output = o;
            e.date = dates[i];
            e.cumulative = cumulative;
            e.baseline_mean = moments(b[i]).mean;
            e.scenario_mean = moments(s[i]).mean;
            e.kind = with_parameters ? IntervalKind::with_parameters : IntervalKind::noise_only;
            e.noise_only = paired_difference(s[i], b[i], level);
            e.difference = shown(s[i], b[i], &e.variance, &e.p_positive);
            e.unpaired = unpaired_difference(s[i], b[i], level);
            if (e.baseline_mean != 0) e.relative = e.difference.mean / std::abs(e.baseline_mean);
            out.effects.push_back(std::move(e));
        }
    }

    const auto& jobs_b = samples_of(base, "jobs_target_group", nd, "baseline");
    const auto& jobs_s = samples_of(scen, "jobs_target_group", nd, "scenario");
    const auto& spend_b = samples_of(base, "public_spend_se", nd, "baseline");
    const auto& spend_s = samples_of(scen, "public_spend_se", nd, "scenario");
    const auto& prem_b = samples_of(base, "public_price_premium", nd, "baseline");
    const auto& prem_s = samples_of(scen, "public_price_premium", nd, "scenario");
    const auto& prog_b = samples_of(base, "programme_cost", nd, "baseline");
    const auto& prog_s = samples_of(scen, "programme_cost", nd, "scenario");
    const auto& subs_b = samples_of(base, "wage_subsidy", nd, "baseline");
    const auto& subs_s = samples_of(scen, "wage_subsidy", nd, "scenario");
    for (std::size_t i = 0; i < nd; ++i) {
        CostPerJob c;
        c.date = dates[i];
        c.jobs = shown(jobs_s[i], jobs_b[i], nullptr, nullptr);
        c.additional_cost = paired_difference(plus(plus(prem_s[i], prog_s[i]), subs_s[i]),
                                              plus(plus(prem_b[i], prog_b[i]), subs_b[i]), level);
        c.redirected_spend = paired_difference(spend_s[i], spend_b[i], level);
        if (c.jobs.above_zero()) {
            c.available = true;
            c.per_job = c.additional_cost.mean / c.jobs.mean;
            c.redirected_per_job = c.redirected_spend.mean / c.jobs.mean;
        } else if (c.jobs.below_zero()) {
            c.reason = "target-group jobs fall";
        } else if (c.jobs.n < 2) {
            c.reason = "one replicate gives no interval";
        } else if (c.jobs.low == 0 && c.jobs.high == 0) {
            c.reason = "target-group jobs do not change";
        } else {
            c.reason = "the interval of the extra target-group jobs includes zero";
        }
        out.costs.push_back(std::move(c));
    }

    // The sentence: scale-up and target-group jobs at the last date, and what they cost.
    const std::size_t last = nd - 1;
    const auto& scaled_b = samples_of(base, "se_scaled", nd, "baseline");
    const auto& scaled_s = samples_of(scen, "se_scaled", nd, "scenario");
    const Interval scaled = shown(scaled_s[last], scaled_b[last], nullptr, nullptr);
    const CostPerJob& cost = out.costs[last];
    std::string s =
        "Under " + scenario + ", by " + format_month(dates[last]) + " " +
        change_clause(scaled, "the number of scaled SEs", "1", level, with_parameters) + " and " +
        change_clause(cost.jobs, "target-group employment", "FTE", level, with_parameters) +
        " compared with the baseline";
    if (cost.available)
        s += ", at an additional public cost of " + eur(cost.per_job) +
             " per extra target-group job (programme cost, wage subsidy and SE price premium to "
             "date), while " +
             eur(cost.redirected_per_job) +
             " per extra job of existing public purchasing went to SEs instead of regular firms";
    else
        s += "; no cost per extra target-group job can be given, as " + cost.reason;
    out.sentence = s + ".";
    return out;
}

std::string_view interval_kind_text(IntervalKind kind) {
    return kind == IntervalKind::noise_only ? "noise only" : "with parameter uncertainty";
}

Worlds worlds_from_draws(const std::vector<double>& values, std::size_t replicates,
                         std::size_t columns) {
    Worlds w;
    std::map<std::vector<std::uint64_t>, int> seen;
    for (std::size_t k = 0; k < replicates; ++k) {
        std::vector<std::uint64_t> bits(columns);
        for (std::size_t j = 0; j < columns; ++j)
            std::memcpy(&bits[j], &values[k * columns + j], sizeof(double));
        const auto [it, fresh] = seen.emplace(std::move(bits), w.count);
        if (fresh) ++w.count;
        w.of_replicate.push_back(it->second);
    }
    return w;
}

Interval world_interval(std::span<const double> d, const Worlds& worlds, double level,
                        VarianceSplit* split, double* p_positive) {
    if (worlds.of_replicate.size() != d.size())
        throw std::invalid_argument("world_interval: one world per replicate");
    // Per world: count, sum, sum of squares of the non-NaN differences.
    std::vector<double> n(static_cast<std::size_t>(worlds.count), 0.0);
    std::vector<double> sum(n.size(), 0.0);
    for (std::size_t k = 0; k < d.size(); ++k) {
        if (std::isnan(d[k])) continue;
        const auto g = static_cast<std::size_t>(worlds.of_replicate[k]);
        n[g] += 1;
        sum[g] += d[k];
    }
    double N = 0, total = 0, sum_n2 = 0;
    int G = 0;
    for (std::size_t g = 0; g < n.size(); ++g)
        if (n[g] > 0) N += n[g], total += sum[g], sum_n2 += n[g] * n[g], ++G;
    Interval out;
    out.n = static_cast<int>(N);
    VarianceSplit vs;
    vs.worlds = G;
    if (N == 0) {
        if (split) *split = vs;
        return out;
    }
    out.mean = total / N;
    double ssw = 0, ssb = 0;
    for (std::size_t k = 0; k < d.size(); ++k) {
        if (std::isnan(d[k])) continue;
        const auto g = static_cast<std::size_t>(worlds.of_replicate[k]);
        const double m = sum[g] / n[g];
        ssw += (d[k] - m) * (d[k] - m);
    }
    for (std::size_t g = 0; g < n.size(); ++g)
        if (n[g] > 0) ssb += n[g] * (sum[g] / n[g] - out.mean) * (sum[g] / n[g] - out.mean);
    double var_mean = 0;
    double var_param = 0;
    double dof = 0;
    if (G == 1) {
        // One world: the paired Student-t interval, exactly.
        if (N < 2) {
            if (split) *split = vs;
            return out;
        }
        vs.noise = ssw / (N - 1);
        vs.parameters = 0;
        vs.parameter_share = 0;
        var_mean = vs.noise / N;
        dof = N - 1;
    } else if (N == G) {
        // One replicate per world: noise and parameters cannot be told apart.
        var_param = ssb / (N - 1);
        var_mean = var_param / N;
        dof = N - 1;
    } else {
        const double msw = ssw / (N - G);
        const double msb = ssb / (G - 1);
        const double n0 = (N - sum_n2 / N) / (G - 1);
        var_param = std::max(0.0, (msb - msw) / n0);
        vs.noise = msw;
        vs.parameters = var_param;
        vs.parameter_share = var_param + msw > 0 ? var_param / (var_param + msw) : 0.0;
        var_mean = var_param * sum_n2 / (N * N) + msw / N;
        dof = G - 1;
    }
    const double sd = std::sqrt(var_param + var_mean);
    const double half = student_t_quantile(0.5 + level / 2.0, dof) * sd;
    out.low = out.mean - half;
    out.high = out.mean + half;
    if (split) *split = vs;
    if (p_positive)
        *p_positive = sd > 0 ? boost::math::cdf(boost::math::students_t_distribution<double>(dof),
                                                out.mean / sd)
                             : (out.mean > 0 ? 1.0 : 0.0);
    return out;
}

std::vector<RankProbabilities> rank_policies(
    const Samples& base, const std::vector<std::pair<std::string, const Samples*>>& policies,
    const std::vector<std::string>& outputs, const std::vector<int>& dates, const Worlds* worlds,
    std::uint32_t seed, int resamples) {
    std::vector<RankProbabilities> out;
    if (policies.empty()) return out;
    const std::size_t nd = dates.size();
    const std::size_t reps = samples_of(base, "jobs_target_group", nd, "baseline").front().size();
    // Members of each world.
    std::vector<std::vector<std::size_t>> members;
    if (worlds == nullptr || worlds->empty()) {
        members.emplace_back(reps);
        std::iota(members.back().begin(), members.back().end(), std::size_t{0});
    } else {
        members.resize(static_cast<std::size_t>(worlds->count));
        for (std::size_t k = 0; k < reps; ++k)
            members[static_cast<std::size_t>(worlds->of_replicate[k])].push_back(k);
    }
    const KeyedRng rng(seed, RngDomain::comparison);
    // The resampled replicate sets, shared by every output and date (paired across policies).
    std::vector<std::vector<std::size_t>> draws(static_cast<std::size_t>(resamples));
    for (int b = 0; b < resamples; ++b) {
        const auto ub = static_cast<std::uint32_t>(b);
        const std::size_t k0 = std::min<std::size_t>(
            static_cast<std::size_t>(rng.uniform(ub, 0, 0, SolverPurpose::bootstrap) * reps),
            reps - 1);
        const auto& world = members[worlds == nullptr || worlds->empty()
                                        ? 0
                                        : static_cast<std::size_t>(worlds->of_replicate[k0])];
        for (std::size_t i = 0; i < world.size(); ++i)
            draws[static_cast<std::size_t>(b)].push_back(world[std::min<std::size_t>(
                static_cast<std::size_t>(
                    rng.uniform(ub, 1, 0, SolverPurpose::bootstrap, static_cast<std::uint32_t>(i)) *
                    world.size()),
                world.size() - 1)]);
    }
    const auto cost = [&](const Samples& s, std::size_t i, std::size_t k) {
        return samples_of(s, "public_price_premium", nd, "policy")[i][k] +
               samples_of(s, "programme_cost", nd, "policy")[i][k] +
               samples_of(s, "wage_subsidy", nd, "policy")[i][k];
    };
    const std::size_t np = policies.size();
    for (const std::string& o : outputs) {
        const auto& b = samples_of(base, o, nd, "baseline");
        for (std::size_t i = 0; i < nd; ++i) {
            RankProbabilities r;
            r.output = o;
            r.date = dates[i];
            r.resamples = resamples;
            r.p_first.assign(np, 0.0);
            r.p_first_per_euro.assign(np, 0.0);
            for (const auto& [name, samples] : policies) r.scenarios.push_back(name);
            std::vector<double> effect(np), per_euro(np);
            for (const auto& set : draws) {
                for (std::size_t p = 0; p < np; ++p) {
                    const auto& x = samples_of(*policies[p].second, o, nd, "policy")[i];
                    double e = 0, c = 0;
                    int m = 0;
                    for (const std::size_t k : set) {
                        if (std::isnan(x[k]) || std::isnan(b[i][k])) continue;
                        e += x[k] - b[i][k];
                        c += cost(*policies[p].second, i, k) - cost(base, i, k);
                        ++m;
                    }
                    effect[p] = m > 0 ? e / m : kNaN;
                    c = m > 0 ? c / m : kNaN;
                    const double inf = std::numeric_limits<double>::infinity();
                    per_euro[p] = c > 0 ? effect[p] / c : (effect[p] > 0 ? inf : -inf);
                }
                for (auto [values, target] :
                     {std::pair{&effect, &r.p_first}, std::pair{&per_euro, &r.p_first_per_euro}}) {
                    double best = -std::numeric_limits<double>::infinity();
                    for (const double v : *values)
                        if (!std::isnan(v)) best = std::max(best, v);
                    int ties = 0;
                    for (const double v : *values) ties += v == best ? 1 : 0;
                    if (ties == 0) continue;
                    for (std::size_t p = 0; p < np; ++p)
                        if ((*values)[p] == best) (*target)[p] += 1.0 / ties / resamples;
                }
            }
            out.push_back(std::move(r));
        }
    }
    return out;
}

std::string format_number(double x, std::string_view units, bool sign) {
    if (std::isnan(x)) return "n/a";
    char buf[64];
    const double a = std::abs(x);
    // Thresholds at 999.5 (not 1000) so that a value that rounds up to 1000 at three
    // significant digits moves to the next unit instead of printing as "1e+03".
    if (units == "EUR") {
        if (a >= 999.5e6)
            std::snprintf(buf, sizeof buf, "%.3gbn", x / 1e9);
        else if (a >= 999.5e3)
            std::snprintf(buf, sizeof buf, "%.3gm", x / 1e6);
        else if (a >= 999.5)
            std::snprintf(buf, sizeof buf, "%.3gk", x / 1e3);
        else
            std::snprintf(buf, sizeof buf, "%.0f", x);
    } else if (a >= 999.5) {
        std::snprintf(buf, sizeof buf, "%.0f", x);
    } else {
        std::snprintf(buf, sizeof buf, "%.3g", x);
    }
    std::string s = buf;
    if (s == "-0") s = "0";
    if (sign && x > 0 && s != "0") s = "+" + s;
    return s;
}

}  // namespace sesim
