#include "solvers/sweep.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/outputs.hpp"
#include "output/input_file.hpp"
#include "sesim_version.hpp"
#include "solvers/scenario_file.hpp"
#include "solvers/sobol.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

// A sweep's run count is bounded so that the per-run status kept in memory (one byte a run)
// stays small; larger studies split into several sweeps.
constexpr std::int64_t kMaxRuns = 100'000'000;
constexpr int kMaxReplicates = 1'000'000;
constexpr int kMaxLevels = 1000;
// The version of the canonical definition text; bump when its lines change meaning.
constexpr int kDefinitionFormat = 1;

constexpr std::string_view kSpace = " \t";
constexpr std::string_view kParamsHint = " Run 'sesim params' for the list.";
constexpr char kOutputsHint[] = " Run 'sesim outputs' for the list.";

// The keys a sweep file may hold besides [set] and [vary] entries, in the order docs list them.
constexpr std::string_view kKeys[] = {
    "name",         "description", "base",       "baseline", "design",  "samples", "levels",
    "trajectories", "candidates",  "replicates", "seed",     "outputs", "keep"};
// Morris designs: the default number of grid levels (Saltelli et al. 2004 recommend p = 4
// with Delta = 2/3), and the most trajectories a sweep takes.
constexpr int kMorrisLevels = 4;
constexpr int kMaxTrajectories = 100'000;

std::string_view trim(std::string_view s) {
    const auto b = s.find_first_not_of(kSpace);
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(kSpace);
    return s.substr(b, e - b + 1);
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto pos = s.find(sep, start);
        out.emplace_back(trim(s.substr(start, pos == std::string_view::npos ? pos : pos - start)));
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return out;
}

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = s.find_first_not_of(kSpace, i);
        if (b == std::string_view::npos) break;
        auto e = s.find_first_of(kSpace, b);
        if (e == std::string_view::npos) e = s.size();
        out.emplace_back(s.substr(b, e - b));
        i = e;
    }
    return out;
}

std::string at(const IniEntry& e) {
    return e.file + ":" + std::to_string(e.line) + ": ";
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

// A whole number in [lo, hi], or InputError naming the entry.
std::int64_t parse_count(const IniEntry& e, std::int64_t lo, std::int64_t hi) {
    std::int64_t v = 0;
    const char* b = e.value.data();
    const char* end = b + e.value.size();
    const auto res = std::from_chars(b, end, v);
    if (res.ec != std::errc{} || res.ptr != end || v < lo || v > hi)
        throw InputError(at(e) + "'" + e.key + "' = " + short_text(e.value) +
                         ": expected a whole number from " + std::to_string(lo) + " to " +
                         std::to_string(hi));
    return v;
}

double parse_value(const ParamKey& key, const std::string& text, const IniEntry& e) {
    std::string error;
    const std::optional<double> v = parse_param_value(*key.def, text, error);
    if (!v) throw InputError(at(e) + "bad value for '" + key.name + "': " + error);
    return *v;
}

const ParamKey& find_key(const Params& base, const std::string& name, const IniEntry& e) {
    const ParamKey* pk = find_param(base, name);
    if (pk == nullptr)
        throw InputError(at(e) + "unknown parameter '" + name + "'; did you mean '" +
                         closest_param(*base.geo, name) + "'?" + std::string(kParamsHint));
    return *pk;
}

// Values of each grid dimension by number s of grid_point().
std::vector<std::vector<double>> grid_values_of(const std::vector<SweepParameter>& vary,
                                                int levels) {
    std::vector<std::vector<double>> out;
    for (const SweepParameter& p : vary) {
        const std::vector<double> values = p.grid_levels(levels);
        const std::vector<std::int64_t> number =
            grid_level_numbers(static_cast<std::int64_t>(values.size()));
        std::vector<double> by_number(values.size());
        for (std::size_t s = 0; s < values.size(); ++s)
            by_number[s] = values[static_cast<std::size_t>(number[s])];
        out.push_back(std::move(by_number));
    }
    return out;
}

std::string format_value(const ParamDef& def, double v) {
    return format_param_value(def, v);
}

// ---- Design checks -----------------------------------------------------------------------------

// `value` of design key `field` within [lo, hi], in the words of a sweep file's parse errors.
void check_range(const char* field, std::int64_t value, std::int64_t lo, std::int64_t hi) {
    if (value < lo || value > hi)
        throw DesignError(field, "'" + std::string(field) + "' = " + std::to_string(value) +
                                     ": expected a whole number from " + std::to_string(lo) +
                                     " to " + std::to_string(hi));
}

// The keys of another kind of design: each names the kind it belongs to.
void check_keys_of_kind(const SweepDesign& d) {
    if (d.design != Design::morris)
        for (const auto& [field, value] :
             {std::pair<const char*, int>{"trajectories", d.trajectories},
              {"candidates", d.candidates}})
            if (value != 0)
                throw DesignError(field, "'" + std::string(field) +
                                             "' belongs to a morris design; remove the line or "
                                             "choose design = morris");
    if (d.design == Design::morris && d.samples != 0)
        throw DesignError("samples",
                          "a morris design has no 'samples': it has 'trajectories = r' of k + 1 "
                          "points each; remove the line");
    if (d.design == Design::grid && d.samples != 0)
        throw DesignError("samples",
                          "a grid has no 'samples': its size is the product of the levels of its "
                          "parameters; remove the line or choose design = lhs or sobol");
    if ((d.design == Design::lhs || d.design == Design::sobol) && d.levels != 0)
        throw DesignError("levels", "'levels' belongs to a grid design; a " +
                                        std::string(design_name(d.design)) +
                                        " design draws from the whole range; remove the line");
}

void set_morris(Sweep& sw, const SweepDesign& d) {
    if (d.trajectories == 0)
        throw DesignError("",
                          "a morris design needs 'trajectories = r' (r x (k + 1) points; 10 to "
                          "50 is usual)");
    check_range("trajectories", d.trajectories, 2, kMaxTrajectories);
    sw.trajectories = d.trajectories;
    sw.levels = d.levels == 0 ? kMorrisLevels : d.levels;
    check_range("levels", sw.levels, 2, kMaxLevels);
    if (sw.levels % 2 != 0)
        throw DesignError("levels",
                          "a morris design needs an even number of levels (4 is usual): with p "
                          "even, the step p / (2 (p - 1)) reaches every level equally often");
    if (d.candidates != 0)
        check_range("candidates", d.candidates, d.trajectories, MorrisDesign::kMaxCandidates);
    sw.candidates = d.candidates;
    try {
        sw.morris = std::make_shared<const MorrisDesign>(sw.parameters(), sw.trajectories,
                                                         sw.levels, sw.candidates, sw.seed);
    } catch (const std::invalid_argument& e) {
        throw DesignError(d.candidates != 0 ? "candidates" : "", e.what());
    }
}

void set_grid(Sweep& sw, const SweepDesign& d) {
    bool has_range = false;
    for (const SweepParameter& p : sw.vary) has_range = has_range || !p.is_list;
    if (d.levels != 0) {
        check_range("levels", d.levels, 2, kMaxLevels);
        if (!has_range)
            throw DesignError("levels",
                              "'levels' applies to ranges, and every varied parameter here is a "
                              "list; remove the line");
    } else if (has_range) {
        throw DesignError("",
                          "a grid over a range needs 'levels = N' (values per range, ends "
                          "included), or give each parameter a list of values");
    }
    sw.levels = d.levels;
    // Grid levels must be distinct after rounding (integers and months).
    for (std::size_t j = 0; j < sw.vary.size(); ++j) {
        const std::vector<double> lv = sw.vary[j].grid_levels(sw.levels);
        for (std::size_t i = 1; i < lv.size(); ++i)
            if (lv[i] == lv[i - 1])
                throw DesignError("vary",
                                  "'" + sw.vary[j].key->name + "': " + std::to_string(sw.levels) +
                                      " levels do not fit in the whole numbers of the range " +
                                      short_text(sw.vary[j].written.empty() ? sw.vary[j].spec()
                                                                            : sw.vary[j].written) +
                                      "; lower 'levels' or give a list",
                                  static_cast<int>(j));
    }
}

void set_sampled(Sweep& sw, const SweepDesign& d) {
    const int k = sw.parameters();
    if (d.samples == 0)
        throw DesignError(
            "", "a " + std::string(design_name(d.design)) + " design needs 'samples = N' (" +
                    (d.design == Design::lhs ? "design points"
                                             : "base samples; the design has N x (k + 2) points") +
                    ")");
    check_range("samples", d.samples, 2, kMaxRuns);
    sw.samples = d.samples;
    if (d.design != Design::sobol) return;
    if (2 * k > Sobol::kMaxDimensions)
        throw DesignError("", "a sobol design takes at most " +
                                  std::to_string(Sobol::kMaxDimensions / 2) + " parameters (its " +
                                  "Saltelli scheme needs 2 Sobol' dimensions each), and [vary] "
                                  "has " +
                                  std::to_string(k) + "; vary fewer, or use design = lhs");
    // Few base samples: Sobol' dimensions share their first direction numbers, so for small N
    // a column of A can equal the same column of B in every sample, and AB_i = A: that
    // parameter's effect would be estimated as exactly 0. Such a design is refused.
    const Sobol sobol(2 * k);
    const std::uint64_t skip = sobol_skip(sw.samples);
    for (int j = 0; j < k; ++j) {
        bool same = true;
        for (std::int64_t n = 0; same && n < sw.samples; ++n) {
            const auto i = skip + static_cast<std::uint64_t>(n);
            same = sobol.coordinate(i, j) == sobol.coordinate(i, k + j);
        }
        if (same)
            throw DesignError("samples",
                              "with " + std::to_string(sw.samples) +
                                  " samples, matrices A and B of the Saltelli scheme take equal "
                                  "values for '" +
                                  sw.vary[static_cast<std::size_t>(j)].key->name +
                                  "' (Sobol' dimensions share their first direction numbers), "
                                  "so its effect cannot be estimated; use more samples (16 or "
                                  "more, a power of two)");
    }
}

// Points of a grid are a product, checked for 64-bit overflow at every factor, so a grid of
// 2^70 points is reported as too large, not as a negative number.
void check_size(const Sweep& sw) {
    const int k = sw.parameters();
    std::int64_t points = 1;
    bool overflow = false;
    if (sw.design == Design::grid) {
        for (const SweepParameter& p : sw.vary) {
            const auto n =
                static_cast<std::int64_t>(p.is_list ? p.values.size() : std::size_t(sw.levels));
            overflow = overflow || __builtin_mul_overflow(points, n, &points);
        }
    } else if (sw.design == Design::morris) {
        overflow = __builtin_mul_overflow(static_cast<std::int64_t>(sw.trajectories),
                                          static_cast<std::int64_t>(k) + 1, &points);
    } else {
        overflow = __builtin_mul_overflow(
            static_cast<std::int64_t>(sw.samples),
            static_cast<std::int64_t>(sw.design == Design::sobol ? k + 2 : 1), &points);
    }
    std::int64_t total = 0;
    const bool runs_overflow =
        overflow ||
        __builtin_mul_overflow(points, static_cast<std::int64_t>(sw.replicates), &total);
    if (runs_overflow || total > kMaxRuns)
        throw DesignError(
            "",
            "the design has " +
                (overflow ? std::string("more than 9223372036854775807") : std::to_string(points)) +
                " points x " + std::to_string(sw.replicates) + " replicates, more than " +
                std::to_string(kMaxRuns) +
                " runs; use fewer levels or samples, or split the study into sweeps");
}

// ---- Reading -----------------------------------------------------------------------------------

std::string read_text(const fs::path& file) {
    return read_text_input(file, "sweep file");
}

SweepParameter parse_vary(const ParamKey& key, const IniEntry& e) {
    SweepParameter sp;
    sp.key = &key;
    sp.written = e.value;
    const std::string where = at(e) + "'" + key.name + "': ";
    if (key.def->scope == Scope::global && (key.name == "months" || key.name == "start_month"))
        throw InputError(where +
                         "cannot be varied: every run of a sweep shares one time axis; fix it "
                         "under [set]");
    if (e.value.find(',') != std::string::npos) {
        sp.is_list = true;
        for (const std::string& item : split(e.value, ',')) {
            if (item.empty())
                throw InputError(where + "empty item in the list " + short_text(e.value) +
                                 "; separate values with single commas");
            const double v = parse_value(key, item, e);
            if (std::find(sp.values.begin(), sp.values.end(), v) != sp.values.end())
                throw InputError(where + "the list " + short_text(e.value) + " holds " +
                                 short_text(item) + " twice; give each value once");
            sp.values.push_back(v);
        }
        return sp;
    }
    const std::vector<std::string> w = words(e.value);
    const bool is_range = (w.size() == 3 || w.size() == 4) && w[1] == "to";
    if (!is_range || (w.size() == 4 && w[3] != "log"))
        throw InputError(where + short_text(e.value) +
                         " is neither a range 'LOW to HIGH' (add 'log' for a log scale) nor a "
                         "list 'A, B, C'; to fix the parameter at one value, put it under [set]");
    if (key.def->type == ParamType::flag)
        throw InputError(where +
                         "a true/false parameter has no range; vary it as the list "
                         "'false, true'");
    sp.low = parse_value(key, w[0], e);
    sp.high = parse_value(key, w[2], e);
    sp.log = w.size() == 4;
    if (sp.low == sp.high)
        throw InputError(where + "the range " + short_text(e.value) +
                         " is empty (both ends are equal); give two different ends, or fix the "
                         "parameter under [set]");
    if (sp.low > sp.high)
        throw InputError(where + "the range " + short_text(e.value) +
                         " runs backwards; write it as '" + w[2] + " to " + w[0] +
                         (sp.log ? " log'" : "'"));
    if (sp.log && sp.low <= 0)
        throw InputError(where + "a log range needs a lower end above 0, not " + w[0] +
                         "; raise the lower end or drop 'log'");
    return sp;
}

// The entries of a sweep file or definition, sorted by what they set.
struct Entries {
    std::map<std::string, const IniEntry*> keys;  // the keys of kKeys (and format, version)
    std::vector<const IniEntry*> sets;            // [set] lines, or base.* of a definition
    std::vector<const IniEntry*> baseline_sets;   // definition: every baseline parameter
    std::vector<const IniEntry*> varies;
    const IniEntry* get(const char* key) const {
        const auto it = keys.find(key);
        return it == keys.end() ? nullptr : it->second;
    }
};

[[noreturn]] void unknown_key(const IniEntry& e) {
    std::string best;
    std::size_t best_d = 1000;
    for (std::string_view k : kKeys)
        if (const std::size_t d = edit_distance(e.key, k); d < best_d)
            best_d = d, best = std::string(k);
    std::string msg = at(e) + "unknown key '" + e.key + "' in a sweep file; ";
    msg +=
        find_param(*default_geography(), e.key) != nullptr || e.key.find('.') != std::string::npos
            ? "parameters go under [set] (fixed for every run) or [vary] (swept)"
            : "did you mean '" + best + "'?";
    throw InputError(msg + " (see docs/sweeps.md)");
}

Entries sort_entries(const std::vector<IniEntry>& entries, bool canonical) {
    Entries out;
    for (const IniEntry& e : entries) {
        if (e.key.starts_with("vary.")) {
            out.varies.push_back(&e);
        } else if (e.key.starts_with(canonical ? "base." : "set.")) {
            out.sets.push_back(&e);
        } else if (canonical && e.key.starts_with("baseline.")) {
            out.baseline_sets.push_back(&e);
        } else if ((canonical && (e.key == "format" || e.key == "model_version")) ||
                   std::find(std::begin(kKeys), std::end(kKeys), e.key) != std::end(kKeys)) {
            out.keys[e.key] = &e;
        } else {
            unknown_key(e);
        }
    }
    return out;
}

// A stored definition is read only by the format and model version that wrote it.
void check_definition_header(const Entries& in, const std::vector<IniEntry>& entries) {
    const IniEntry* f = in.get("format");
    const IniEntry* mv = in.get("model_version");
    if (f == nullptr || mv == nullptr || f->value != std::to_string(kDefinitionFormat))
        throw InputError(entries.empty() ? "empty sweep definition"
                                         : at(entries.front()) +
                                               "not a sweep definition this version of "
                                               "sesim can read (format " +
                                               (f ? f->value : "missing") + ")");
    if (mv->value != std::to_string(SESIM_MODEL_VERSION))
        throw InputError(at(*mv) + "the sweep was made with model version " + mv->value +
                         ", this sesim has model version " + std::to_string(SESIM_MODEL_VERSION) +
                         "; its runs would differ, so use the sesim that made it");
}

// The scenario that `base = FILE` or `baseline = FILE` names, its files and text recorded.
Params load_scenario_entry(Sweep& sw, const IniEntry& e, const fs::path& folder) {
    const fs::path path = (folder / fs::path(e.value)).lexically_normal();
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw InputError(at(e) + e.key + " '" + e.value + "' (looked for " + path.string() +
                         "): no such file; the path is relative to the sweep file's folder");
    Scenario sc = load_scenario(path);
    sw.files.insert(sw.files.end(), sc.files.begin(), sc.files.end());
    for (const Scenario::Table* t : {&sc.regions, &sc.buyers, &sc.links})
        if (!t->file.empty()) sw.files.push_back(t->file);
    sw.text += sc.text;
    return sc.params;
}

// The base scenario, the baseline (paired sweeps) and the [set] changes of both. Returns the
// [set] lines by parameter name, for the check that nothing is both set and varied.
std::map<std::string, const IniEntry*> read_scenarios(Sweep& sw, const Entries& in, bool canonical,
                                                      const fs::path& folder) {
    const IniEntry* base = in.get("base");
    const IniEntry* baseline = in.get("baseline");
    if (base != nullptr) sw.base = load_scenario_entry(sw, *base, folder);
    // Paired: the baseline scenario, changed by the same [set] lines as the base.
    if (baseline != nullptr && canonical)
        throw InputError(at(*baseline) +
                         "a sweep definition lists the baseline's parameters "
                         "as 'baseline.KEY = value' lines, not a file");
    if (baseline != nullptr) {
        sw.baseline = load_scenario_entry(sw, *baseline, folder);
        sw.paired = true;
    }
    std::map<std::string, const IniEntry*> set_lines;
    for (const IniEntry* e : in.sets) {
        const std::string name = e->key.substr(e->key.find('.') + 1);
        const ParamKey& key = find_key(sw.base, name, *e);
        const double v = parse_value(key, e->value, *e);
        key.set(sw.base, v);
        if (sw.paired) key.set(sw.baseline, v);
        set_lines[name] = e;
    }
    if (!in.baseline_sets.empty()) {
        sw.paired = true;
        sw.baseline = sw.base;
        for (const IniEntry* e : in.baseline_sets) {
            const ParamKey& key = find_key(sw.base, e->key.substr(9), *e);
            key.set(sw.baseline, parse_value(key, e->value, *e));
        }
    }
    return set_lines;
}

// Both scenarios consistent, and (paired) different somewhere: else every effect is 0.
void check_scenarios(const Sweep& sw, const Entries& in) {
    const auto& sets = in.sets;
    if (const auto problems = check_consistency(sw.base); !problems.empty())
        throw InputError((sets.empty() ? sw.path : at(*sets.front())) + (sets.empty() ? ": " : "") +
                         "inconsistent parameters in the base scenario" +
                         (sets.empty() ? std::string() : " after the [set] changes") + ": " +
                         join(problems, "; "));
    if (!sw.paired) return;
    const IniEntry* baseline = in.get("baseline");
    const std::string where = baseline ? at(*baseline) : sw.path + ": ";
    if (const auto problems = check_consistency(sw.baseline); !problems.empty())
        throw InputError(where + "inconsistent parameters in the baseline scenario" +
                         (sets.empty() ? std::string() : " after the [set] changes") + ": " +
                         join(problems, "; "));
    bool differs = sw.base.geo != sw.baseline.geo;
    for (const ParamKey& key : param_keys(sw.base))
        differs = differs || key.get(sw.base) != key.get(sw.baseline);
    if (!differs)
        throw InputError(where +
                         "the scenario (base) and the baseline set every parameter alike, so "
                         "every effect is 0; pair a policy scenario with its baseline");
}

Design parse_design_kind(const Sweep& sw, const Entries& in) {
    const IniEntry* design = in.get("design");
    if (design == nullptr)
        throw InputError(sw.path + ": no design; add 'design = lhs' (or grid, sobol)");
    for (const Design d : {Design::grid, Design::lhs, Design::sobol, Design::morris})
        if (design->value == design_name(d)) return d;
    throw InputError(at(*design) + "unknown design '" + design->value +
                     "'; expected grid, lhs, sobol or morris");
}

void read_varies(Sweep& sw, const Entries& in, bool canonical,
                 const std::map<std::string, const IniEntry*>& set_lines) {
    for (const IniEntry* e : in.varies) {
        const std::string name = e->key.substr(5);
        const ParamKey& key = find_key(sw.base, name, *e);
        if (const auto it = set_lines.find(name); it != set_lines.end() && !canonical)
            throw InputError(at(*e) + "'" + name + "' is both fixed under [set] (line " +
                             std::to_string(it->second->line) +
                             ") and varied here; keep one of the two");
        if (sw.paired && key.get(sw.base) != key.get(sw.baseline))
            throw InputError(at(*e) + "'" + name +
                             "' differs between the scenario and its baseline (it is one of the "
                             "policy's levers); a paired sweep sets a varied parameter alike in "
                             "both, which would erase that difference. Vary the assumptions, or "
                             "sweep the lever without 'baseline'");
        sw.vary.push_back(parse_vary(key, *e));
    }
    if (sw.vary.empty())
        throw InputError(sw.path +
                         ": nothing varies; list the parameters to sweep under [vary], e.g. "
                         "'zwolle.brokerage_budget = 0 to 28000'");
}

// Where a design error belongs: the line of the key at fault, else the file.
std::string where(const Sweep& sw, const Entries& in, const DesignError& e) {
    if (e.field() == "vary" && e.parameter() >= 0 &&
        static_cast<std::size_t>(e.parameter()) < in.varies.size())
        return at(*in.varies[static_cast<std::size_t>(e.parameter())]);
    const IniEntry* entry = e.field().empty() ? nullptr : in.get(e.field().c_str());
    return entry != nullptr ? at(*entry) : sw.path + ": ";
}

// The design keys as values, then set_design: here only what is about the text (a key of
// another kind of design is refused before its value is read; values are whole numbers in
// range, the message quoting the text); every other check is set_design's, its DesignError
// placed at the line of the key at fault.
void read_design(Sweep& sw, const Entries& in) {
    SweepDesign d;
    d.design = parse_design_kind(sw, in);
    if (const IniEntry* e = in.get("seed"))
        d.seed = static_cast<std::uint32_t>(parse_count(*e, 0, 4294967295LL));
    try {
        SweepDesign present;  // 1 for each key given
        present.design = d.design;
        present.samples = in.get("samples") != nullptr ? 1 : 0;
        present.levels = in.get("levels") != nullptr ? 1 : 0;
        present.trajectories = in.get("trajectories") != nullptr ? 1 : 0;
        present.candidates = in.get("candidates") != nullptr ? 1 : 0;
        check_keys_of_kind(present);
    } catch (const DesignError& e) {
        throw InputError(where(sw, in, e) + e.what());
    }
    const auto count = [&](const char* key, std::int64_t lo, std::int64_t hi) -> std::int64_t {
        const IniEntry* e = in.get(key);
        return e == nullptr ? 0 : parse_count(*e, lo, hi);
    };
    d.samples = count("samples", 2, kMaxRuns);
    d.trajectories = static_cast<int>(count("trajectories", 2, kMaxTrajectories));
    d.levels = static_cast<int>(count("levels", 2, kMaxLevels));
    d.candidates =
        static_cast<int>(count("candidates", d.trajectories, MorrisDesign::kMaxCandidates));
    if (in.get("replicates") != nullptr)
        d.replicates = static_cast<int>(count("replicates", 1, kMaxReplicates));
    try {
        set_design(sw, d);
    } catch (const DesignError& e) {
        throw InputError(where(sw, in, e) + e.what());
    }
}

std::vector<int> read_outputs(const Entries& in) {
    std::vector<int> out;
    const IniEntry* outs = in.get("outputs");
    if (outs == nullptr || outs->value == "all") {
        for (int o = 0; o < kOutputs; ++o) out.push_back(o);
        return out;
    }
    for (const std::string& name : split(outs->value, ',')) {
        int found = -1;
        std::string best;
        std::size_t best_d = 1000;
        for (int o = 0; o < kOutputs; ++o) {
            const std::string_view n = kOutputDefs[static_cast<std::size_t>(o)].name;
            if (n == name) found = o;
            if (const std::size_t d = edit_distance(name, n); d < best_d)
                best_d = d, best = std::string(n);
        }
        if (found < 0)
            throw InputError(at(*outs) + "unknown output '" + name + "'; did you mean '" + best +
                             "'?" + kOutputsHint);
        if (std::find(out.begin(), out.end(), found) != out.end())
            throw InputError(at(*outs) + "output '" + name + "' is listed twice");
        out.push_back(found);
    }
    return out;
}

std::vector<int> read_keep(const Sweep& sw, const Entries& in) {
    std::vector<int> out;
    const IniEntry* e = in.get("keep");
    if (e == nullptr || e->value == "series") return out;
    const int first = sw.base.g.start_month;
    const int last = first + sw.base.g.months - 1;
    for (const std::string& item : split(e->value, ',')) {
        const std::optional<int> m = parse_month(item);
        if (!m)
            throw InputError(at(*e) + "'" + item +
                             "' is not a month; 'keep' is 'series' (every month) or a list "
                             "of months YYYY-MM");
        if (*m < first || *m > last)
            throw InputError(at(*e) + "month " + item + " is outside the simulated months " +
                             format_month(first) + " to " + format_month(last));
        if (!out.empty() && *m <= out.back())
            throw InputError(at(*e) + "list the months of 'keep' once each, in order");
        out.push_back(*m);
    }
    return out;
}

// Interprets the entries of a sweep file (`canonical` false: `base` names a scenario file,
// [set] changes it) or of a stored definition (`canonical` true: `base.*` lists every
// parameter). Everything is checked here, so both paths give the same errors.
void interpret(Sweep& sw, const std::vector<IniEntry>& entries, bool canonical,
               const fs::path& folder) {
    const Entries in = sort_entries(entries, canonical);
    if (canonical) check_definition_header(in, entries);
    const auto set_lines = read_scenarios(sw, in, canonical, folder);
    check_scenarios(sw, in);
    if (const IniEntry* e = in.get("name")) {
        if (!valid_scenario_name(e->value))
            throw InputError(at(*e) + "name '" + e->value +
                             "' may only contain letters, digits, '_' and '-'; choose another");
        sw.name = e->value;
    }
    if (const IniEntry* e = in.get("description")) sw.description = e->value;
    // The design's kind first: a file without one is told so before its [vary] is read.
    parse_design_kind(sw, in);
    read_varies(sw, in, canonical, set_lines);
    read_design(sw, in);
    sw.outputs = read_outputs(in);
    sw.keep_months = read_keep(sw, in);
}

}  // namespace

std::string_view design_name(Design d) {
    switch (d) {
        case Design::grid:
            return "grid";
        case Design::lhs:
            return "lhs";
        case Design::sobol:
            return "sobol";
        case Design::morris:
            return "morris";
    }
    return "?";
}

double design_month_value(double month) {
    return month - month_index(2019, 1);
}

void set_design(Sweep& sw, const SweepDesign& d) {
    if (sw.vary.empty())
        throw DesignError("", "nothing varies; give the sweep a varied parameter (Sweep::vary)");
    check_keys_of_kind(d);
    sw.design = d.design;
    sw.seed = d.seed;
    sw.samples = 0;
    sw.levels = 0;
    sw.trajectories = 0;
    sw.candidates = 0;
    sw.morris.reset();
    sw.grid_values.clear();
    if (d.design == Design::morris)
        set_morris(sw, d);
    else if (d.design == Design::grid)
        set_grid(sw, d);
    else
        set_sampled(sw, d);
    check_range("replicates", d.replicates, 1, kMaxReplicates);
    sw.replicates = d.replicates;
    check_size(sw);
    if (sw.design == Design::grid) sw.grid_values = grid_values_of(sw.vary, sw.levels);
}

// ---- SweepParameter ----------------------------------------------------------------------------

std::string SweepParameter::spec() const {
    if (is_list) {
        std::vector<std::string> items;
        for (double v : values) items.push_back(format_value(*key->def, v));
        return join(items, ", ");
    }
    return format_value(*key->def, low) + " to " + format_value(*key->def, high) +
           (log ? " log" : "");
}

double SweepParameter::at_unit(double u) const {
    if (is_list) {
        const auto n = values.size();
        const auto i = std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)));
        return values[i];
    }
    const bool whole = key->def->type == ParamType::integer || key->def->type == ParamType::month;
    if (!whole) return log ? low * std::exp(u * std::log(high / low)) : low + u * (high - low);
    // Cells of equal width (in log for a log range) for each whole number lo .. hi.
    const double v = log ? std::floor(low * std::exp(u * std::log((high + 1) / low)))
                         : std::floor(low + u * (high - low + 1));
    return std::clamp(v, low, high);
}

std::vector<double> SweepParameter::grid_levels(int levels) const {
    if (is_list) return values;
    const bool whole = key->def->type == ParamType::integer || key->def->type == ParamType::month;
    std::vector<double> out(static_cast<std::size_t>(levels));
    for (int i = 0; i < levels; ++i) {
        const double f = static_cast<double>(i) / (levels - 1);
        double v = log ? std::exp(std::log(low) + f * (std::log(high) - std::log(low)))
                       : low + f * (high - low);
        if (i == 0) v = low;  // the ends exactly, whatever the rounding of the steps
        if (i == levels - 1) v = high;
        if (whole) v = std::round(v);
        out[static_cast<std::size_t>(i)] = v;
    }
    return out;
}

// ---- Sweep -------------------------------------------------------------------------------------

std::int64_t Sweep::points() const {
    switch (design) {
        case Design::grid: {
            std::int64_t n = 1;
            for (const SweepParameter& p : vary)
                n *= p.is_list ? static_cast<std::int64_t>(p.values.size()) : levels;
            return n;
        }
        case Design::lhs:
            return samples;
        case Design::sobol:
            return samples * (parameters() + 2);
        case Design::morris:
            return static_cast<std::int64_t>(trajectories) * (parameters() + 1);
    }
    return 0;
}

std::vector<int> Sweep::time_months() const {
    if (!keep_months.empty()) return keep_months;
    std::vector<int> m(static_cast<std::size_t>(base.g.months));
    for (int t = 0; t < base.g.months; ++t) m[static_cast<std::size_t>(t)] = base.g.start_month + t;
    return m;
}

void Sweep::point_values(std::int64_t point, double* values) const {
    const int k = parameters();
    switch (design) {
        case Design::grid: {
            std::vector<std::int64_t> counts(static_cast<std::size_t>(k));
            for (int j = 0; j < k; ++j) {
                const SweepParameter& p = vary[static_cast<std::size_t>(j)];
                counts[static_cast<std::size_t>(j)] =
                    p.is_list ? static_cast<std::int64_t>(p.values.size()) : levels;
            }
            std::vector<std::int64_t> number(static_cast<std::size_t>(k));
            grid_point(point, counts, number.data());
            const std::vector<std::vector<double>> computed =
                grid_values.empty() ? grid_values_of(vary, levels)
                                    : std::vector<std::vector<double>>{};
            const auto& table = grid_values.empty() ? computed : grid_values;
            for (int j = 0; j < k; ++j)
                values[j] = table[static_cast<std::size_t>(j)]
                                 [static_cast<std::size_t>(number[static_cast<std::size_t>(j)])];
            return;
        }
        case Design::lhs: {
            const auto n = static_cast<std::uint64_t>(samples);
            for (int j = 0; j < k; ++j) {
                const double u = lhs_coordinate(static_cast<std::uint64_t>(point), n,
                                                static_cast<std::uint32_t>(j), seed);
                values[j] = vary[static_cast<std::size_t>(j)].at_unit(u);
            }
            return;
        }
        case Design::sobol: {
            // One Sobol' point of 2k dimensions per base sample: A is its first k coordinates,
            // B its last k. Base sample n takes point M + n, M the smallest power of two >= N
            // (and >= 2): this skips points 0 (the origin) and 1 (every coordinate 0.5), where
            // A = B and a block of k + 2 runs would be wasted, and for N a power of two the N
            // points form one whole block [N, 2N), a (t, m, 2k)-net like the first N points.
            const Sobol sobol(2 * k);
            const auto n = static_cast<std::uint64_t>(saltelli_sample(point)) + sobol_skip(samples);
            const int m = saltelli_matrix(point);
            for (int j = 0; j < k; ++j) {
                const bool from_b = m == k + 1 || m == j + 1;
                values[j] = vary[static_cast<std::size_t>(j)].at_unit(
                    sobol.coordinate(n, from_b ? k + j : j));
            }
            return;
        }
        case Design::morris: {
            std::vector<double> u(static_cast<std::size_t>(k));
            morris->point(point, u.data());
            for (int j = 0; j < k; ++j)
                values[j] =
                    vary[static_cast<std::size_t>(j)].at_unit(u[static_cast<std::size_t>(j)]);
            return;
        }
    }
}

Params Sweep::params_at(const double* values) const {
    Params p = base;
    for (std::size_t j = 0; j < vary.size(); ++j) vary[j].key->set(p, values[j]);
    return p;
}

Params Sweep::baseline_at(const double* values) const {
    Params p = baseline;
    for (std::size_t j = 0; j < vary.size(); ++j) vary[j].key->set(p, values[j]);
    return p;
}

std::string Sweep::definition() const {
    std::string d = "# sesim sweep definition: what the runs compute, one line each\n";
    d += "format = " + std::to_string(kDefinitionFormat) + "\n";
    d += "model_version = " + std::to_string(SESIM_MODEL_VERSION) + "\n";
    d += "name = " + name + "\n";
    d += "design = " + std::string(design_name(design)) + "\n";
    if (design == Design::grid && levels > 0) d += "levels = " + std::to_string(levels) + "\n";
    if (design == Design::lhs || design == Design::sobol)
        d += "samples = " + std::to_string(samples) + "\n";
    if (design == Design::morris) {
        d += "trajectories = " + std::to_string(trajectories) + "\n";
        d += "levels = " + std::to_string(levels) + "\n";
        if (candidates > 0) d += "candidates = " + std::to_string(candidates) + "\n";
    }
    d += "replicates = " + std::to_string(replicates) + "\n";
    d += "seed = " + std::to_string(seed) + "\n";
    std::vector<std::string> names;
    for (int o : outputs) names.emplace_back(kOutputDefs[static_cast<std::size_t>(o)].name);
    d += "outputs = " + join(names, ", ") + "\n";
    std::vector<std::string> months;
    for (int m : keep_months) months.push_back(format_month(m));
    d += "keep = " + (months.empty() ? std::string("series") : join(months, ", ")) + "\n";
    for (const ParamKey& key : param_keys(base))
        d += "base." + key.name + " = " + format_value(*key.def, key.get(base)) + "\n";
    // Paired sweeps only, so that the definitions (and hashes) of other sweeps stay as they were.
    if (paired)
        for (const ParamKey& key : param_keys(baseline))
            d += "baseline." + key.name + " = " + format_value(*key.def, key.get(baseline)) + "\n";
    for (const SweepParameter& p : vary) d += "vary." + p.key->name + " = " + p.spec() + "\n";
    return d;
}

std::string Sweep::hash() const {
    std::uint64_t h = 14695981039346656037ULL;  // FNV-1a 64 offset basis
    for (const unsigned char c : definition()) {
        h ^= c;
        h *= 1099511628211ULL;  // FNV prime
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

void check_design(const Sweep& sweep, const std::string& origin) {
    const std::int64_t n = sweep.points();
    std::vector<double> values(sweep.vary.size());
    for (std::int64_t p = 0; p < n; ++p) {
        sweep.point_values(p, values.data());
        std::vector<std::string> problems = check_consistency(sweep.params_at(values.data()));
        if (sweep.paired && problems.empty()) {
            problems = check_consistency(sweep.baseline_at(values.data()));
            for (std::string& pr : problems) pr.insert(0, "in the baseline: ");
        }
        if (problems.empty()) continue;
        std::vector<std::string> where;
        for (std::size_t j = 0; j < values.size(); ++j)
            where.push_back(sweep.vary[j].key->name + " = " +
                            format_value(*sweep.vary[j].key->def, values[j]));
        throw InputError(origin + ": design point " + std::to_string(p) + " (" + join(where, ", ") +
                         ") has inconsistent parameters: " + join(problems, "; ") +
                         "; narrow the ranges under [vary]");
    }
}

Sweep load_sweep(const fs::path& file) {
    Sweep sw;
    sw.path = file.string();
    const std::vector<IniEntry> entries = read_ini(file);  // InputError for a missing file
    if (entries.empty())
        throw InputError(sw.path + ": the sweep file is empty; see docs/sweeps.md for its keys");
    sw.files.push_back(sw.path);
    const std::string text = read_text(file);
    sw.text = "# file: " + sw.path + "\n" + text;
    if (!text.empty() && text.back() != '\n') sw.text += '\n';
    sw.name = file.stem().string();
    interpret(sw, entries, false, file.parent_path());
    if (!valid_scenario_name(sw.name))
        throw InputError(sw.path + ": the file name '" + sw.name +
                         "' is not a valid sweep name (letters, digits, '_' and '-' only); set "
                         "'name = ...' in the file or rename it");
    check_design(sw, sw.path);
    return sw;
}

Sweep parse_sweep_definition(const std::string& definition, const std::string& origin) {
    std::vector<IniEntry> entries;
    std::istringstream in(definition);
    std::string line;
    int no = 0;
    while (std::getline(in, line)) {
        ++no;
        const std::string_view t = trim(line);
        if (t.empty() || t.front() == '#') continue;
        const auto eq = t.find(" = ");
        if (eq == std::string_view::npos)
            throw InputError(origin + ":" + std::to_string(no) +
                             ": not a line of a sweep definition: '" + std::string(t) + "'");
        entries.push_back(
            {std::string(t.substr(0, eq)), std::string(t.substr(eq + 3)), origin, no});
    }
    Sweep sw;
    sw.path = origin;
    interpret(sw, entries, true, {});
    return sw;
}

}  // namespace sesim
