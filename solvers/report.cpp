#include "solvers/report.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/outputs.hpp"
#include "model/params.hpp"
#include "output/digest.hpp"
#include "output/result_file.hpp"
#include "report/assets.hpp"
#include "sesim_version.hpp"

namespace fs = std::filesystem;

namespace sesim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

// The text of `en` or `nl`, whichever the reader reads.
std::string T(Lang lang, std::string_view en, std::string_view nl) {
    return std::string(lang == Lang::en ? en : nl);
}

// Three significant digits (%.3g), with the decimal comma in Dutch.
std::string sig3(double a, Lang lang) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.3g", a);
    std::string s = buf;
    if (lang == Lang::nl) std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

// A whole number with thousands separators: 1,341 / 1.341.
std::string grouped(double a, Lang lang) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.0f", a);
    const std::string digits = buf;
    const char sep = lang == Lang::en ? ',' : '.';
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
        out += digits[i];
    }
    return out;
}

const OutputDef* find_output(std::string_view name) {
    for (const OutputDef& d : kOutputDefs)
        if (d.name == name) return &d;
    return nullptr;
}

std::string units_of(std::string_view output) {
    const OutputDef* d = find_output(output);
    return d == nullptr ? "" : std::string(d->units);
}

// A number for the page's data attributes and JSON: every digit, as `sesim compare --csv`
// writes it, so the browser test can compare the two as text.
std::string exact(double x) {
    if (std::isnan(x)) return "";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

// Six significant digits: plenty for a chart, a third of the bytes of every digit.
double chart_value(double x) {
    if (!std::isfinite(x)) return x;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", x);
    return std::strtod(buf, nullptr);
}

// ---- What the comparison carries besides the paired interval -----------------------------------
// P(effect > 0) from compare_scenario(), the probability of being the best policy from
// rank_policies() (at the dates it ranks), and the kind of interval (noise only, or with the
// uncertainty of the parameters when the replicates drew them from a posterior or priors).
struct EffectExtras {
    std::optional<double> p_positive;  // P(effect > 0)
    std::optional<double> p_best;      // P(the policy has the largest effect on this outcome)
};
EffectExtras effect_extras(const FileComparison& fc, const ScenarioComparison& c, const Effect& e) {
    EffectExtras x;
    if (std::isfinite(e.p_positive)) x.p_positive = e.p_positive;
    for (const RankProbabilities& r : fc.ranks) {
        if (r.output != e.output || r.date != e.date) continue;
        for (std::size_t k = 0; k < r.scenarios.size(); ++k)
            if (r.scenarios[k] == c.scenario) x.p_best = r.p_first[k];
    }
    return x;
}
// "noise": the interval holds the Monte Carlo noise between replicates only; "parameters":
// it also holds the uncertainty of the parameters.
std::string interval_kind(const FileComparison& fc) {
    return fc.parameters.worlds.empty() ? "noise" : "parameters";
}

// ---- Dutch sentences ----------------------------------------------------------------------------

std::string clause_nl(const Interval& d, std::string_view subject, std::string_view units,
                      double level) {
    const std::string unit = units == "1" ? "" : units == "FTE" ? " fte" : " " + std::string(units);
    const std::string ci = "(" + std::to_string(static_cast<int>(std::lround(level * 100))) +
                           "%-BI " + format_amount(d.low, units, Lang::nl) + " tot " +
                           format_amount(d.high, units, Lang::nl) + unit;
    const std::string s(subject);
    if (d.above_zero())
        return s + " stijgt met " + format_amount(d.mean, units, Lang::nl) + unit + " " + ci + ")";
    if (d.below_zero())
        return s + " daalt met " + format_amount(-d.mean, units, Lang::nl) + unit + " " + ci + ")";
    if (d.mean == 0 && d.low == 0 && d.high == 0) return s + " verandert niet";
    return s + " verandert niet aantoonbaar " + ci + ", dat nul omvat)";
}

std::string reason_nl(const std::string& reason) {
    static const std::map<std::string, std::string, std::less<>> kReasons{
        {"target-group jobs fall", "het aantal doelgroepbanen daalt"},
        {"one replicate gives no interval", "één replicatie geeft geen interval"},
        {"target-group jobs do not change", "het aantal doelgroepbanen verandert niet"},
        {"the interval of the extra target-group jobs includes zero",
         "het interval van de extra doelgroepbanen omvat nul"},
    };
    const auto it = kReasons.find(reason);
    return it == kReasons.end() ? reason : it->second;
}

const Effect* find_effect(const ScenarioComparison& c, std::string_view output, int date) {
    for (const Effect& e : c.effects)
        if (e.output == output && e.date == date) return &e;
    return nullptr;
}

// The sentence of compare_scenario() in Dutch, from the same intervals.
std::string sentence_nl(const ScenarioComparison& c, double level) {
    const CostPerJob& cost = c.costs.back();
    const Effect* scaled = find_effect(c, "se_scaled", cost.date);
    std::string s = "Onder " + c.scenario + ", tot " + format_month_short(cost.date, Lang::nl) +
                    " en vergeleken met de basislijn: ";
    if (scaled != nullptr)
        s += clause_nl(scaled->difference, "het aantal opgeschaalde SE's", "1", level) + "; ";
    s += clause_nl(cost.jobs, "de werkgelegenheid voor de doelgroep", "FTE", level) + ".";
    if (cost.available)
        s += " De extra publieke kosten zijn " + format_amount(cost.per_job, "EUR", Lang::nl) +
             " per extra doelgroepbaan (programmakosten, loonkostensubsidie en prijspremie van "
             "SE's tot dan); per extra baan ging " +
             format_amount(cost.redirected_per_job, "EUR", Lang::nl) +
             " van bestaande publieke inkoop naar SE's in plaats van naar reguliere bedrijven.";
    else
        s += " Er zijn geen kosten per extra doelgroepbaan te geven: " + reason_nl(cost.reason) +
             ".";
    return s;
}

// ---- Reading ------------------------------------------------------------------------------------

// Splits one CSV line (RFC 4180 quoting) into fields.
std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
                out.back() += '"', ++i;
            else if (c == '"')
                quoted = false;
            else
                out.back() += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out.emplace_back();
        } else if (c != '\r') {
            out.back() += c;
        }
    }
    return out;
}

FanSeries fan_of(const StoredSeries& s, bool cumulative) {
    FanSeries f;
    for (auto& q : f.q) q.resize(static_cast<std::size_t>(s.months));
    std::vector<double> running(static_cast<std::size_t>(s.replicates), 0.0);
    std::vector<double> sample;
    for (int t = 0; t < s.months; ++t) {
        sample.clear();
        for (int r = 0; r < s.replicates; ++r) {
            double v = s.at(r, t);
            if (cumulative) v = running[static_cast<std::size_t>(r)] += v;
            if (!std::isnan(v)) sample.push_back(v);
        }
        std::sort(sample.begin(), sample.end());
        for (std::size_t k = 0; k < kQuantileLevels.size(); ++k)
            f.q[k][static_cast<std::size_t>(t)] =
                quantile_sorted(sample.data(), sample.size(), kQuantileLevels[k]);
    }
    return f;
}

// ---- Rendering ----------------------------------------------------------------------------------

std::string row_label(std::string_view output, Lang lang) {
    const std::string units = units_of(output);
    const bool cumulative = is_cumulative(output);
    std::string label = outcome_label(output, lang);
    std::string unit = units == "FTE" && lang == Lang::nl ? "fte" : units;
    const std::string cum = T(lang, "cumulative", "cumulatief");
    if (units != "1")
        label += " (" + unit + (cumulative ? ", " + cum + ")" : ")");
    else if (cumulative)
        label += " (" + cum + ")";
    return label;
}

std::string interval_text(double low, double high, std::string_view units, Lang lang) {
    if (std::isnan(low) || std::isnan(high)) return T(lang, "n/a", "n.v.t.");
    return format_amount(low, units, lang, true) + T(lang, " to ", " tot ") +
           format_amount(high, units, lang, true);
}

// A <td> with the number shown in the reader's language and every digit in data-value.
std::string number_cell(const std::string& field, double value, const std::string& shown,
                        const std::string& cls = "num") {
    return "<td class=\"" + cls + "\" data-field=\"" + field + "\" data-value=\"" + exact(value) +
           "\">" + html_escape(shown) + "</td>";
}

std::string verdict_class(const Interval& d) {
    return d.above_zero() ? "up" : d.below_zero() ? "down" : "flat";
}

std::string param_value(const ParamKey& key, double v) {
    return format_param_value(*key.def, v);
}

const RecordedScenario* recorded_scenario(const RecordedFile& f, const std::string& name) {
    for (const RecordedScenario& s : f.scenarios)
        if (s.scenario.name == name) return &s;
    return nullptr;
}

// One headline figure: the effect, muted and marked when its interval includes zero.
std::string figure(const Interval& d, std::string_view units, const std::string& what, Lang lang) {
    const bool clear = d.above_zero() || d.below_zero();
    return std::string("<span") + (clear ? "" : " class=\"unclear\"") + "><strong>" +
           format_amount(d.mean, units, lang, true) + "</strong> " + html_escape(what) +
           (clear ? "" : T(lang, " (interval includes zero)", " (interval omvat nul)")) +
           "</span> ";
}

void render_summary(std::ostream& os, const ReportData& d, Lang lang) {
    const FileComparison& fc = d.comparison;
    bool any_p = false;
    bool any_best = false;
    for (const ScenarioComparison& c : fc.scenarios)
        for (const Effect& e : c.effects) {
            const EffectExtras x = effect_extras(fc, c, e);
            any_p = any_p || x.p_positive.has_value();
            any_best = any_best || x.p_best.has_value();
        }
    constexpr int pct = 95;  // the level of compare_file()
    const std::string kind = interval_kind(fc);
    os << "<section id=\"summary\"><h2>" << T(lang, "Summary table", "Overzichtstabel")
       << "</h2>\n<p class=\"note\">"
       << T(lang,
            "Effect = policy minus baseline, the mean over replicate pairs that share their "
            "random numbers. ",
            "Effect = beleid min basislijn, het gemiddelde over paren van replicaties met "
            "dezelfde toevalsgetallen. ")
       << "<span id=\"interval-kind\" data-kind=\"" << kind << "\">"
       << (kind == "noise"
               ? T(lang,
                   "The 95% interval holds the chance variation between simulated histories "
                   "only (Monte Carlo noise), not the uncertainty of the model's assumptions.",
                   "Het 95%-interval bevat alleen de toevalsvariatie tussen gesimuleerde "
                   "geschiedenissen (Monte-Carloruis), niet de onzekerheid van de aannames van "
                   "het model.")
               : T(lang,
                   "The 95% interval holds the chance variation between simulated histories "
                   "and the uncertainty of the parameters.",
                   "Het 95%-interval bevat de toevalsvariatie tussen gesimuleerde "
                   "geschiedenissen en de onzekerheid van de parameters."))
       << "</span> "
       << T(lang, "Stocks are the value in the month; flows are summed from ",
            "Voorraden zijn de waarde in de maand; stromen zijn opgeteld vanaf ")
       << format_month_short(fc.base().start_month, lang)
       << T(lang, " through the month.", " tot en met de maand.") << "</p>\n";
    os << "<table class=\"summary\" id=\"summary-table\" data-baseline=\""
       << html_escape(fc.base().name) << "\">\n<caption>"
       << T(lang, "Effects of each policy against the baseline ",
            "Effecten van elk beleid ten opzichte van de basislijn ")
       << in_quotes(html_escape(fc.base().name)) << "</caption>\n<thead><tr><th scope=\"col\">"
       << T(lang, "Outcome", "Uitkomst") << "</th><th scope=\"col\">" << T(lang, "Date", "Datum")
       << "</th><th scope=\"col\">" << T(lang, "Baseline", "Basislijn") << "</th><th scope=\"col\">"
       << T(lang, "Policy", "Beleid") << "</th><th scope=\"col\">" << T(lang, "Effect", "Effect")
       << "</th><th scope=\"col\">" << pct << T(lang, "% interval", "%-interval")
       << "</th><th scope=\"col\">" << T(lang, "Change", "Verandering") << "</th>";
    if (any_p) os << "<th scope=\"col\">" << T(lang, "P(effect > 0)", "P(effect > 0)") << "</th>";
    if (any_best)
        os << "<th scope=\"col\">" << T(lang, "P(best policy)", "P(beste beleid)") << "</th>";
    os << "</tr></thead>\n";
    const int columns = 7 + (any_p ? 1 : 0) + (any_best ? 1 : 0);
    for (const ScenarioComparison& c : fc.scenarios) {
        os << "<tbody data-scenario=\"" << html_escape(c.scenario) << "\"><tr class=\"group\">"
           << "<th colspan=\"" << columns << "\" scope=\"rowgroup\">" << html_escape(c.scenario)
           << (c.description.empty() ? "" : ": " + html_escape(c.description)) << "</th></tr>\n";
        for (const Effect& e : c.effects) {
            const std::string units = units_of(e.output);
            os << "<tr data-scenario=\"" << html_escape(c.scenario) << "\" data-output=\""
               << e.output << "\" data-date=\"" << format_month(e.date) << "\"><th scope=\"row\">"
               << html_escape(row_label(e.output, lang)) << "</th><td>"
               << format_month_short(e.date, lang) << "</td>"
               << number_cell("baseline_mean", e.baseline_mean,
                              format_amount(e.baseline_mean, units, lang))
               << number_cell("scenario_mean", e.scenario_mean,
                              format_amount(e.scenario_mean, units, lang))
               << number_cell("difference", e.difference.mean,
                              format_amount(e.difference.mean, units, lang, true),
                              "num effect " + verdict_class(e.difference))
               << "<td class=\"num\" data-field=\"ci\" data-low=\"" << exact(e.difference.low)
               << "\" data-high=\"" << exact(e.difference.high) << "\">"
               << html_escape(interval_text(e.difference.low, e.difference.high, units, lang))
               << "</td>"
               << number_cell("relative_change", e.relative, format_percent(e.relative, lang));
            const EffectExtras x = effect_extras(fc, c, e);
            if (any_p)
                os << number_cell("p_positive", x.p_positive.value_or(kNaN),
                                  x.p_positive ? format_probability(*x.p_positive, lang) : "");
            if (any_best)
                os << number_cell("p_best", x.p_best.value_or(kNaN),
                                  x.p_best ? format_probability(*x.p_best, lang) : "");
            os << "</tr>\n";
        }
        for (const CostPerJob& k : c.costs) {
            const std::string na = k.available ? "" : T(lang, "n/a: ", "n.v.t.: ");
            const std::string reason =
                k.available ? "" : (lang == Lang::en ? k.reason : reason_nl(k.reason));
            const auto cost_row = [&](const char* output, const std::string& label, double v) {
                os << "<tr class=\"cost\" data-scenario=\"" << html_escape(c.scenario)
                   << "\" data-output=\"" << output << "\" data-date=\"" << format_month(k.date)
                   << "\"><th scope=\"row\">" << html_escape(label) << "</th><td>"
                   << format_month_short(k.date, lang) << "</td>";
                if (k.available)
                    os << "<td></td><td></td>"
                       << number_cell("difference", v, format_amount(v, "EUR", lang))
                       << "<td colspan=\"" << columns - 5 << "\"></td>";
                else
                    os << "<td colspan=\"" << columns - 2
                       << "\" class=\"na\" data-field=\"difference\" data-value=\"\">"
                       << html_escape(na + reason) << "</td>";
                os << "</tr>\n";
            };
            cost_row("additional_cost_per_extra_target_group_job",
                     T(lang, "Additional public cost per extra target-group job",
                       "Extra publieke kosten per extra doelgroepbaan"),
                     k.per_job);
            cost_row("redirected_spend_per_extra_target_group_job",
                     T(lang, "Public purchasing redirected to SEs per extra target-group job",
                       "Publieke inkoop verschoven naar SE's per extra doelgroepbaan"),
                     k.redirected_per_job);
        }
        os << "</tbody>\n";
    }
    os << "</table>\n<p class=\"note\">"
       << T(lang,
            "Additional public cost = programme cost, wage subsidy and the SE price premium on "
            "public contracts, cumulative to the date. Public purchasing itself is not a cost "
            "of the policy: the buyers' budgets are spent either way. Per extra job only when "
            "the extra target-group jobs are clearly above zero.",
            "Extra publieke kosten = programmakosten, loonkostensubsidie en de prijspremie van "
            "SE's op publieke opdrachten, opgeteld tot de datum. Publieke inkoop zelf is geen "
            "kosten van het beleid: de budgetten van de inkopers worden hoe dan ook besteed. "
            "Per extra baan alleen als de extra doelgroepbanen duidelijk boven nul liggen.")
       << "</p>\n</section>\n";
}

void render_scenarios(std::ostream& os, const ReportData& d, Lang lang) {
    const FileComparison& fc = d.comparison;
    const RecordedScenario* base = recorded_scenario(d.recorded, fc.base().name);
    os << "<section id=\"scenarios\"><h2>"
       << T(lang, "What each scenario changes", "Wat elk scenario verandert")
       << "</h2>\n<p class=\"note\">"
       << T(lang,
            "The parameter settings in which each policy differs from the baseline, as the "
            "result file records them, and the scenario files' text.",
            "De parameters waarin elk beleid van de basislijn verschilt, zoals het "
            "resultaatbestand ze vastlegt, en de tekst van de scenariobestanden.")
       << "</p>\n";
    for (const RecordedScenario& rs : d.recorded.scenarios) {
        const Scenario& s = rs.scenario;
        const bool is_base = s.name == fc.base().name;
        os << "<article class=\"scenario\" data-scenario=\"" << html_escape(s.name) << "\"><h3>"
           << html_escape(s.name) << (is_base ? T(lang, " (baseline)", " (basislijn)") : "")
           << "</h3>\n";
        if (!s.description.empty()) os << "<p>" << html_escape(s.description) << "</p>\n";
        std::vector<std::array<std::string, 4>> rows;
        const bool same_geography =
            base != nullptr && base->scenario.params.geo->source() == s.params.geo->source();
        for (const ParamKey& key : param_keys(s.params)) {
            const double v = key.get(s.params);
            const double ref = is_base || base == nullptr || !same_geography
                                   ? key.def->def
                                   : key.get(base->scenario.params);
            if (v == ref) continue;
            rows.push_back(
                {key.name, param_value(key, ref), param_value(key, v), std::string(key.def->unit)});
        }
        if (rows.empty()) {
            os << "<p>"
               << (is_base ? T(lang, "Every parameter at sesim's default.",
                               "Elke parameter op de standaardwaarde van sesim.")
                           : T(lang, "No parameter differs from the baseline.",
                               "Geen parameter verschilt van de basislijn."))
               << "</p>\n";
        } else {
            os << "<table class=\"params\"><thead><tr><th scope=\"col\">"
               << T(lang, "Parameter", "Parameter") << "</th><th scope=\"col\">"
               << (is_base ? T(lang, "Default", "Standaard") : T(lang, "Baseline", "Basislijn"))
               << "</th><th scope=\"col\">" << T(lang, "This scenario", "Dit scenario")
               << "</th><th scope=\"col\">" << T(lang, "Unit", "Eenheid")
               << "</th></tr></thead><tbody>\n";
            for (const auto& r : rows)
                os << "<tr><th scope=\"row\"><code>" << html_escape(r[0]) << "</code></th><td>"
                   << html_escape(r[1]) << "</td><td>" << html_escape(r[2]) << "</td><td>"
                   << html_escape(r[3]) << "</td></tr>\n";
            os << "</tbody></table>\n";
        }
        if (!s.overrides.empty()) {
            os << "<p>" << T(lang, "Set on the command line: ", "Op de opdrachtregel gezet: ");
            for (std::size_t i = 0; i < s.overrides.size(); ++i)
                os << (i ? ", " : "") << "<code>"
                   << html_escape(s.overrides[i].first + "=" + s.overrides[i].second) << "</code>";
            os << "</p>\n";
        }
        if (!s.text.empty())
            os << "<details><summary>" << T(lang, "Scenario file text", "Tekst van het scenario")
               << (s.path.empty() ? "" : " (" + html_escape(s.path) + ")") << "</summary><pre>"
               << html_escape(s.text) << "</pre></details>\n";
        os << "</article>\n";
    }
    os << "</section>\n";
}

void render_sensitivity(std::ostream& os, const ReportData& d, Lang lang) {
    os << "<section id=\"sensitivity\"><h2>"
       << T(lang, "The assumptions the effects depend on most",
            "De aannames waar de effecten het meest van afhangen")
       << "</h2>\n";
    if (d.sensitivity.empty()) {
        os << "<p class=\"note\" id=\"sensitivity-absent\">"
           << T(lang,
                "No sensitivity analysis was given. Most behavioural rates in the model are "
                "assumptions (docs/ODD.md); a sensitivity analysis (sesim sweep) tells which of "
                "them the effects depend on: pass its result with --sensitivity FILE.",
                "Er is geen gevoeligheidsanalyse meegegeven. De meeste gedragsparameters van "
                "het model zijn aannames (docs/ODD.md); een gevoeligheidsanalyse (sesim sweep) "
                "laat zien van welke de effecten afhangen: geef het resultaat mee met "
                "--sensitivity BESTAND.")
           << "</p>\n</section>\n";
        return;
    }
    // Per output and index, the five parameters with the largest estimates.
    std::map<std::pair<std::string, std::string>, std::vector<const SensitivityRow*>> groups;
    for (const SensitivityRow& r : d.sensitivity)
        groups[{r.output, r.index + (r.date.empty() ? "" : " " + r.date)}].push_back(&r);
    os << "<p class=\"note\">" << T(lang, "From ", "Uit ") << "<code>"
       << html_escape(d.sensitivity_file) << "</code>"
       << T(lang, ": per outcome the five parameters with the largest sensitivity index.",
            ": per uitkomst de vijf parameters met de grootste gevoeligheidsindex.")
       << "</p>\n<table class=\"sensitivity\"><thead><tr><th scope=\"col\">"
       << T(lang, "Outcome", "Uitkomst") << "</th><th scope=\"col\">" << T(lang, "Index", "Index")
       << "</th><th scope=\"col\">" << T(lang, "Parameter", "Parameter")
       << "</th><th scope=\"col\">" << T(lang, "Estimate", "Schatting") << "</th><th scope=\"col\">"
       << T(lang, "Interval", "Interval") << "</th></tr></thead><tbody>\n";
    for (auto& [key, rows] : groups) {
        std::stable_sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
            return std::abs(a->estimate) > std::abs(b->estimate);
        });
        const std::size_t n = std::min<std::size_t>(rows.size(), 5);
        const std::string label =
            find_output(key.first) != nullptr ? outcome_label(key.first, lang) : key.first;
        for (std::size_t i = 0; i < n; ++i) {
            const SensitivityRow& r = *rows[i];
            os << "<tr><td>" << html_escape(label) << "</td><td>" << html_escape(key.second)
               << "</td><th scope=\"row\"><code>" << html_escape(r.parameter) << "</code></th>"
               << number_cell("estimate", r.estimate, format_amount(r.estimate, "1", lang))
               << "<td class=\"num\">" << html_escape(interval_text(r.low, r.high, "1", lang))
               << "</td></tr>\n";
        }
    }
    os << "</tbody></table>\n</section>\n";
}

void render_reproducibility(std::ostream& os, const ReportData& d, Lang lang) {
    const Provenance& p = d.recorded.provenance;
    const auto row = [&](const std::string& label, const std::string& id, const std::string& v) {
        os << "<dt>" << html_escape(label) << "</dt><dd id=\"repro-" << id << "\"><code>"
           << html_escape(v) << "</code></dd>\n";
    };
    os << "<section id=\"reproducibility\" class=\"box\"><h2>"
       << T(lang, "Reproducibility", "Reproduceerbaarheid") << "</h2>\n<dl>\n";
    row(T(lang, "sesim version", "sesim-versie"), "sesim-version", p.sesim_version);
    row(T(lang, "Model version", "Modelversie"), "model-version", std::to_string(p.model_version));
    row(T(lang, "Commit", "Commit"), "commit", p.git_commit);
    row(T(lang, "Seed", "Seed"), "seed", std::to_string(p.seed));
    row(T(lang, "Replicates", "Replicaties"), "replicates", std::to_string(p.replicates));
    row(T(lang, "Written", "Geschreven"), "created", p.creation_time);
    row(T(lang, "Build", "Build"), "build", p.compiler + " " + p.build_type + " " + p.cxx_flags);
    row(T(lang, "Command line", "Opdrachtregel"), "command-line", p.command_line);
    row(T(lang, "Data digest (SHA-256)", "Digest van de gegevens (SHA-256)"), "digest", d.digest);
    row(T(lang, "Reproduce and check the file", "Het bestand opnieuw maken en controleren"),
        "reproduce", "sesim reproduce " + d.file.string());
    row(T(lang, "Check the data digest", "De digest controleren"), "digest-command",
        "sesim digest " + d.file.string());
    row(T(lang, "This page", "Deze pagina"), "report-command", d.command_line);
    os << "</dl>\n<p class=\"note\">"
       << T(lang,
            "The same seed gives the same numbers, bit for bit, at any thread or process "
            "count: 'sesim reproduce' re-runs every scenario from the file alone and reports "
            "'identical' or the first difference.",
            "Dezelfde seed geeft dezelfde getallen, bit voor bit, bij elk aantal threads of "
            "processen: 'sesim reproduce' draait elk scenario opnieuw uit alleen het bestand en "
            "meldt 'identical' of het eerste verschil.")
       << "</p>\n</section>\n";
}

nlohmann::json page_data(const ReportData& d, Lang lang) {
    using nlohmann::json;
    const FileComparison& fc = d.comparison;
    json j;
    j["lang"] = lang == Lang::en ? "en" : "nl";
    j["baseline"] = fc.base().name;
    int first = fc.base().start_month;
    int last = first;
    for (const StoredScenario& s : fc.info.scenarios)
        last = std::max(last, s.start_month + s.months - 1);
    json months = json::array();
    for (int m = first; m <= last; ++m) months.push_back(format_month(m));
    j["months"] = months;
    json dates = json::array();
    for (const int m : fc.dates) dates.push_back(format_month(m));
    j["dates"] = dates;
    json outputs = json::array();
    for (const std::string& o : fc.outputs)
        outputs.push_back({{"name", o},
                           {"label", outcome_label(o, lang)},
                           {"axis", row_label(o, lang)},
                           {"units", units_of(o)},
                           {"cumulative", is_cumulative(o)}});
    j["outputs"] = outputs;
    json scenarios = json::array();
    for (const StoredScenario& s : fc.info.scenarios)
        scenarios.push_back({{"name", s.name}, {"description", s.description}});
    j["scenarios"] = scenarios;
    j["regions"] = d.regions;
    json fan = json::object();
    for (std::size_t r = 0; r < d.regions.size(); ++r) {
        json by_scenario = json::object();
        for (std::size_t s = 0; s < fc.info.scenarios.size(); ++s) {
            json by_output = json::object();
            for (std::size_t o = 0; o < fc.outputs.size(); ++o) {
                json qs = json::array();
                for (const auto& q : d.fan[r][s][o].q) {
                    json v = json::array();
                    for (const double x : q) v.push_back(chart_value(x));
                    qs.push_back(v);
                }
                by_output[fc.outputs[o]] = qs;
            }
            by_scenario[fc.info.scenarios[s].name] = by_output;
        }
        fan[d.regions[r]] = by_scenario;
    }
    j["fan"] = fan;
    json effects = json::array();
    for (const ScenarioComparison& c : fc.scenarios)
        for (const Effect& e : c.effects)
            effects.push_back(
                {{"scenario", c.scenario},
                 {"output", e.output},
                 {"date", format_month(e.date)},
                 {"mean", chart_value(e.difference.mean)},
                 {"low", chart_value(e.difference.low)},
                 {"high", chart_value(e.difference.high)},
                 {"shown", format_amount(e.difference.mean, units_of(e.output), lang, true)},
                 {"interval",
                  interval_text(e.difference.low, e.difference.high, units_of(e.output), lang)}});
    j["effects"] = effects;
    return j;
}

// Inline <script> text must not contain "</script" (it would end the element early), nor
// "<!--" (it changes how the parser reads the script). In JSON both can only be inside
// strings, where "\u003c" is the same text.
std::string json_for_script(const nlohmann::json& j) {
    const std::string s = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        if (c == '<')
            out += "\\u003c";
        else
            out += c;
    }
    return out;
}

// A vendored library inline. The build checks nothing about its text, so check here that
// it cannot end its <script> element early; this holds for the pinned versions.
std::string script_asset(std::string_view name) {
    const std::string_view text = report_asset(name);
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.find("</script") != std::string::npos || lower.find("<!--") != std::string::npos)
        throw std::logic_error("report asset " + std::string(name) +
                               " contains '</script' or '<!--' and cannot be inlined");
    return std::string(text);
}

}  // namespace

std::optional<Lang> parse_lang(std::string_view s) {
    if (s == "en") return Lang::en;
    if (s == "nl") return Lang::nl;
    return std::nullopt;
}

std::string format_amount(double x, std::string_view units, Lang lang, bool sign) {
    if (std::isnan(x)) return T(lang, "n/a", "n.v.t.");
    const double a = std::abs(x);
    std::string body;
    // The thresholds of format_number(): 999.5, so that a value that rounds up to 1000 at
    // three significant digits moves to the next unit.
    if (units == "EUR") {
        if (a >= 999.5e6)
            body = sig3(a / 1e9, lang) + T(lang, "bn", " mld");
        else if (a >= 999.5e3)
            body = sig3(a / 1e6, lang) + T(lang, "m", " mln");
        else if (a >= 999.5)
            body = lang == Lang::en
                       ? sig3(a / 1e3, lang) + "k"
                       : grouped(std::strtod(sig3(a, Lang::en).c_str(), nullptr), lang);
        else
            body = grouped(a, lang);
        body = "EUR " + body;
    } else {
        body = a >= 999.5 ? grouped(a, lang) : sig3(a, lang);
    }
    const bool zero = body == "0" || body == "EUR 0";
    if (x < 0 && !zero) return "-" + body;
    if (x > 0 && sign && !zero) return "+" + body;
    return body;
}

std::string format_percent(double x, Lang lang) {
    if (std::isnan(x)) return T(lang, "n/a", "n.v.t.");
    char buf[40];
    std::snprintf(buf, sizeof buf, "%+.1f%%", 100.0 * x);
    std::string s = buf;
    if (s == "+0.0%" || s == "-0.0%") s = "0.0%";
    if (lang == Lang::nl) std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

std::string format_probability(double p, Lang lang) {
    if (std::isnan(p)) return T(lang, "n/a", "n.v.t.");
    if (p > 0 && p < 0.005) return "< 1%";
    if (p < 1 && p >= 0.995) return "> 99%";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * p);
    return buf;
}

std::string format_month_short(int month, Lang lang) {
    static constexpr std::array<const char*, 12> kEn{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static constexpr std::array<const char*, 12> kNl{"jan", "feb", "mrt", "apr", "mei", "jun",
                                                     "jul", "aug", "sep", "okt", "nov", "dec"};
    const int m = month_of(month) - 1;
    return std::string(lang == Lang::en ? kEn[m] : kNl[m]) + " " + std::to_string(year_of(month));
}

std::string outcome_label(std::string_view output, Lang lang) {
    if (lang == Lang::en) return outcome_label(output);
    static const std::map<std::string, std::string, std::less<>> kNl{
        {"se_scaled", "opgeschaalde SE's"},
        {"se_active", "actieve SE's"},
        {"jobs_target_group", "banen voor de doelgroep"},
        {"jobs_total", "banen in totaal"},
        {"social_value", "maatschappelijke waarde"},
        {"public_spend_se", "publieke inkoop bij SE's"},
        {"programme_cost", "programmakosten"},
    };
    const auto it = kNl.find(output);
    return it == kNl.end() ? std::string(output) : it->second;
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::vector<SensitivityRow> read_sensitivity_csv(const fs::path& file) {
    const std::string shown = "--sensitivity " + in_quotes(file.string());
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(shown + ": cannot open the file; check the path");
    std::string line;
    if (!std::getline(in, line))
        throw InputError(shown +
                         ": the file is empty; expected a CSV file with the header "
                         "parameter,output,date,index,estimate,low,high");
    if (line.rfind("\x89HDF", 0) == 0)
        throw InputError(shown +
                         " is an HDF5 file; sesim report reads the sensitivity result as CSV "
                         "with the header parameter,output,date,index,estimate,low,high "
                         "(docs/report.md)");
    const std::vector<std::string> expected{"parameter", "output", "date", "index",
                                            "estimate",  "low",    "high"};
    if (csv_fields(line) != expected)
        throw InputError(shown + ", line 1: the header is '" + line +
                         "'; expected parameter,output,date,index,estimate,low,high");
    std::vector<SensitivityRow> rows;
    int number = 1;
    const auto value = [&](const std::string& field, const char* name, bool required) {
        if (field.empty()) {
            if (required)
                throw InputError(shown + ", line " + std::to_string(number) + ": no " + name +
                                 "; every row needs a number there");
            return kNaN;
        }
        char* end = nullptr;
        const double v = std::strtod(field.c_str(), &end);
        if (end != field.c_str() + field.size() || !std::isfinite(v))
            throw InputError(shown + ", line " + std::to_string(number) + ": " + name + " '" +
                             field + "' is not a number");
        return v;
    };
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line == "\r") continue;
        const std::vector<std::string> f = csv_fields(line);
        if (f.size() != expected.size())
            throw InputError(shown + ", line " + std::to_string(number) + ": " +
                             std::to_string(f.size()) + " fields, expected 7 (" +
                             "parameter,output,date,index,estimate,low,high)");
        if (f[0].empty() || f[1].empty() || f[3].empty())
            throw InputError(shown + ", line " + std::to_string(number) +
                             ": parameter, output and index must not be empty");
        if (!f[2].empty() && !parse_month(f[2]))
            throw InputError(shown + ", line " + std::to_string(number) + ": date '" + f[2] +
                             "' is not a month (YYYY-MM)");
        SensitivityRow r;
        r.parameter = f[0];
        r.output = f[1];
        r.date = f[2];
        r.index = f[3];
        r.estimate = value(f[4], "estimate", true);
        r.low = value(f[5], "low", false);
        r.high = value(f[6], "high", false);
        rows.push_back(std::move(r));
    }
    if (rows.empty()) throw InputError(shown + ": the file has a header but no rows");
    return rows;
}

ReportData gather_report(const ReportRequest& req) {
    ReportData d;
    d.file = req.file;
    d.command_line = req.command_line;
    FileComparisonRequest creq;
    creq.command = "sesim report";
    creq.baseline = req.baseline;
    creq.at = req.at;
    creq.allow_version_mismatch = req.allow_version_mismatch;
    creq.require_baseline = true;
    d.comparison = compare_file(req.file, creq);
    if (!req.sensitivity.empty()) {
        d.sensitivity = read_sensitivity_csv(req.sensitivity);
        d.sensitivity_file = req.sensitivity.string();
    }
    d.recorded = read_recorded_file(req.file);
    d.digest = digest_file(req.file).sha256;
    // Totals over both regions: the only level today's result files hold. A `region`
    // dimension would add one entry per region here, and the page shows a region choice.
    d.regions = {"total"};
    const FileComparison& fc = d.comparison;
    d.fan.resize(d.regions.size());
    for (const StoredScenario& s : fc.info.scenarios) {
        std::vector<FanSeries> per_output;
        for (const std::string& o : fc.outputs)
            per_output.push_back(fan_of(read_output(req.file, s.name, o), is_cumulative(o)));
        d.fan[0].push_back(std::move(per_output));
    }
    return d;
}

std::string render_report(const ReportData& d, Lang lang) {
    const FileComparison& fc = d.comparison;
    std::ostringstream os;
    const std::string title =
        T(lang, "Policy comparison: ", "Vergelijking van beleid: ") + d.file.filename().string();
    os << "<!DOCTYPE html>\n<html lang=\"" << (lang == Lang::en ? "en" : "nl")
       << "\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          // Nothing may be fetched: the page is read offline and sent by e-mail.
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:\">\n"
          "<meta name=\"generator\" content=\"sesim "
       << SESIM_VERSION << "\">\n<title>" << html_escape(title) << "</title>\n<style>\n"
       << report_asset("report.css") << "\n</style>\n</head>\n<body>\n";
    os << "<header><p class=\"kicker\">sesim · "
       << T(lang, "social-enterprise ecosystems, simulated",
            "ecosystemen van sociale ondernemingen, gesimuleerd")
       << "</p><h1>" << html_escape(title) << "</h1>\n";

    // What the run was.
    std::string names;
    for (const StoredScenario& s : fc.info.scenarios) {
        if (s.name == fc.base().name) continue;
        names += (names.empty() ? "" : ", ") + s.name;
    }
    std::string dates;
    for (const int m : fc.dates) dates += (dates.empty() ? "" : ", ") + format_month_short(m, lang);
    os << "<p class=\"run\" id=\"run-summary\">"
       << T(lang, "Policies compared with the baseline ", "Beleid vergeleken met de basislijn ")
       << "<strong>" << html_escape(fc.base().name) << "</strong>: " << html_escape(names) << ". "
       << fc.pairs()
       << T(lang, " paired replicates per scenario, simulated from ",
            " gepaarde replicaties per scenario, gesimuleerd van ")
       << format_month_short(fc.base().start_month, lang) << T(lang, " to ", " tot ")
       << format_month_short(fc.base().start_month + fc.base().months - 1, lang)
       << T(lang, "; effects at ", "; effecten in ") << dates
       << T(lang, ". Model version ", ". Modelversie ") << fc.info.model_version << ", sesim "
       << html_escape(fc.info.sesim_version) << ", seed " << fc.info.seed << ".</p>\n";
    for (const std::string& w : fc.warnings)
        os << "<p class=\"warning\">" << T(lang, "Warning: ", "Let op: ") << html_escape(w)
           << "</p>\n";
    os << "<p class=\"caveat\">"
       << T(lang,
            "These are model results under the assumptions documented in the model "
            "description (docs/ODD.md), most behavioural rates being assumptions: read them as "
            "a comparison between policies, not a forecast.",
            "Dit zijn modeluitkomsten onder de aannames van de modelbeschrijving (docs/ODD.md); "
            "de meeste gedragsparameters zijn aannames: lees ze als een vergelijking tussen "
            "beleidsopties, niet als een voorspelling.")
       << "</p>\n<nav class=\"toc\"><a href=\"#headlines\">" << T(lang, "Headlines", "Kernpunten")
       << "</a> <a href=\"#summary\">" << T(lang, "Table", "Tabel") << "</a> <a href=\"#charts\">"
       << T(lang, "Charts", "Grafieken") << "</a> <a href=\"#regions\">"
       << T(lang, "Regions", "Regio's") << "</a> <a href=\"#scenarios\">"
       << T(lang, "Scenarios", "Scenario's") << "</a> <a href=\"#sensitivity\">"
       << T(lang, "Assumptions", "Aannames") << "</a> <a href=\"#reproducibility\">"
       << T(lang, "Reproducibility", "Reproduceerbaarheid") << "</a></nav>\n</header>\n<main>\n";

    // Headlines: the terminal's sentence per policy.
    os << "<section id=\"headlines\"><h2>" << T(lang, "Headlines", "Kernpunten") << "</h2>\n";
    for (const ScenarioComparison& c : fc.scenarios) {
        const CostPerJob& cost = c.costs.back();
        os << "<article class=\"headline " << verdict_class(cost.jobs) << "\" data-scenario=\""
           << html_escape(c.scenario) << "\"><h3>" << html_escape(c.scenario) << "</h3>";
        if (!c.description.empty())
            os << "<p class=\"description\">" << html_escape(c.description) << "</p>";
        // Three figures at the last date before the sentence: what a reader takes away.
        const Effect* scaled = find_effect(c, "se_scaled", cost.date);
        os << "<p class=\"figures\">";
        if (scaled != nullptr)
            os << figure(scaled->difference, "1", T(lang, "scaled SEs", "opgeschaalde SE's"), lang);
        os << figure(cost.jobs, "FTE", T(lang, "FTE target-group jobs", "fte doelgroepbanen"),
                     lang);
        if (cost.available)
            os << "<span><strong>" << format_amount(cost.per_job, "EUR", lang) << "</strong> "
               << T(lang, "per extra job", "per extra baan") << "</span>";
        os << " <span class=\"when\">" << format_month_short(cost.date, lang) << "</span></p>";
        os << "<p class=\"sentence\">"
           << html_escape(lang == Lang::en ? c.sentence : sentence_nl(c, 0.95)) << "</p>";
        os << "</article>\n";
    }
    os << "</section>\n";

    render_summary(os, d, lang);

    // Charts, drawn by report.js from the data below; the table above holds their numbers.
    os << "<section id=\"charts\"><h2>" << T(lang, "Charts", "Grafieken") << "</h2>\n"
       << "<noscript><p class=\"note\">"
       << T(lang, "The charts need JavaScript; the tables hold every number.",
            "De grafieken hebben JavaScript nodig; de tabellen bevatten alle getallen.")
       << "</p></noscript>\n"
       << "<div class=\"controls\" id=\"controls\">"
       << "<label>" << T(lang, "Outcome", "Uitkomst")
       << " <select id=\"select-output\"></select></label> <label>" << T(lang, "Date", "Datum")
       << " <select id=\"select-date\"></select></label> <label>" << T(lang, "Policy", "Beleid")
       << " <select id=\"select-scenario\"></select></label> "
       << "<label id=\"region-control\">" << T(lang, "Region", "Regio")
       << " <select id=\"select-region\"></select></label></div>\n"
       << "<figure><figcaption id=\"effects-caption\"></figcaption>"
       << "<div id=\"effects-chart\" class=\"chart\" role=\"img\"></div></figure>\n"
       << "<figure><figcaption id=\"fan-caption\"></figcaption>"
       << "<div id=\"fan-chart\" class=\"chart\" role=\"img\"></div>"
       << "<p class=\"note\">"
       << T(lang,
            "Line: median over the replicates; dark band: the middle 50%; light band: the "
            "middle 90%. The baseline is drawn beside the policy, on the same scale; the grey "
            "dashed line is the baseline's median.",
            "Lijn: mediaan over de replicaties; donkere band: de middelste 50%; lichte band: de "
            "middelste 90%. De basislijn staat naast het beleid, op dezelfde schaal; de grijze "
            "stippellijn is de mediaan van de basislijn.")
       << "</p></figure>\n</section>\n";

    os << "<section id=\"regions\"><h2>" << T(lang, "Regions", "Regio's") << "</h2>\n";
    if (d.regions.size() <= 1)
        os << "<p class=\"note\" id=\"regions-note\">"
           << T(lang,
                "This result file holds totals over Zwolle and Haarlem only. When a result file "
                "has results per region, the charts above offer a region choice.",
                "Dit resultaatbestand bevat alleen totalen over Zwolle en Haarlem. Heeft een "
                "resultaatbestand uitkomsten per regio, dan bieden de grafieken hierboven een "
                "keuze van de regio.")
           << "</p>\n";
    else
        os << "<p class=\"note\" id=\"regions-note\">"
           << T(lang, "Choose a region above the charts.", "Kies een regio boven de grafieken.")
           << "</p>\n";
    os << "</section>\n";

    render_scenarios(os, d, lang);
    render_sensitivity(os, d, lang);
    render_reproducibility(os, d, lang);
    os << "</main>\n<footer><details class=\"licences\"><summary>"
       << T(lang, "Software in this page", "Software in deze pagina") << "</summary><p>"
       << T(lang,
            "Charts drawn with Vega, Vega-Lite and vega-embed (University of Washington "
            "Interactive Data Lab, BSD 3-clause licence), inlined in this page:",
            "Grafieken getekend met Vega, Vega-Lite en vega-embed (University of Washington "
            "Interactive Data Lab, BSD-3-licentie), opgenomen in deze pagina:")
       << "</p><pre>" << html_escape(report_asset("VERSIONS")) << "</pre>";
    for (const char* lib : {"vega", "vega-lite", "vega-embed"})
        os << "<pre>" << html_escape(report_asset(std::string(lib) + ".LICENSE")) << "</pre>";
    os << "</details></footer>\n";
    os << "<script type=\"application/json\" id=\"sesim-data\">"
       << json_for_script(page_data(d, lang)) << "</script>\n";
    for (const char* lib : {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "report.js"})
        os << "<script>\n" << script_asset(lib) << "\n</script>\n";
    os << "</body>\n</html>\n";
    return os.str();
}

void write_report(const fs::path& path, const std::string& html) {
    ResultFile::check_writable(path);
    fs::path tmp = path;
    tmp += ".tmp-" + std::to_string(static_cast<long>(::getpid()));
    {
        std::ofstream out(tmp, std::ios::binary);
        if (!out)
            throw InputError("sesim report: cannot write " + in_quotes(tmp.string()) +
                             "; check that its folder is writable");
        out << html;
        out.close();
        if (!out) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw RunError("sesim report: writing " + in_quotes(tmp.string()) +
                           " failed (disk full?)");
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw RunError("sesim report: cannot rename " + in_quotes(tmp.string()) + " to " +
                       in_quotes(path.string()) + ": " + ec.message());
    }
}

}  // namespace sesim
