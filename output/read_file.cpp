#include "output/read_file.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/outputs.hpp"
#include "model/params.hpp"
#include "output/geography_file.hpp"
#include "output/hdf5_file.hpp"
#include "output/stats.hpp"
#include "sesim_version.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(line);
    return out;
}

herr_t collect_name(hid_t, const char* name, const H5A_info_t*, void* data) {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
}

std::vector<std::string> attribute_names(const h5::Object& obj) {
    std::vector<std::string> names;
    hsize_t idx = 0;
    h5::check_status(H5Aiterate2(obj.id(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, &names),
                     "cannot list attributes", obj.where());
    return names;
}

bool is_text_attribute(const h5::Object& obj, const std::string& name) {
    const hid_t attr = H5Aopen(obj.id(), name.c_str(), H5P_DEFAULT);
    if (attr < 0) h5::fail("cannot open attribute " + in_quotes(name), obj.where());
    const hid_t type = H5Aget_type(attr);
    const bool text = type >= 0 && H5Tget_class(type) == H5T_STRING;
    if (type >= 0) H5Tclose(type);
    H5Aclose(attr);
    return text;
}

std::string optional_text(const h5::Object& obj, const std::string& name) {
    return h5::has_attribute(obj, name) ? h5::read_string_attribute(obj, name) : std::string();
}

// A whole number in [lo, hi], or an InputError naming the attribute.
double whole_number(const h5::Object& obj, const std::string& name, double lo, double hi,
                    const std::string& shown) {
    const double v = h5::read_number_attribute(obj, name);
    if (!std::isfinite(v) || v != std::floor(v) || v < lo || v > hi)
        throw InputError(shown + ": root attribute " + in_quotes(name) + " is " +
                         std::to_string(v) + ", not a whole number from " + std::to_string(lo) +
                         " to " + std::to_string(hi) + "; the file is damaged");
    return v;
}

// Rebuilds a scenario's parameters from its `parameters` attributes (months as "YYYY-MM",
// everything else a number), checking each against this sesim's table.
// The geography of a scenario group: the tables as read, parsed again (files written before
// geography was data have none: the default geography).
void read_geography(const h5::Object& group, RecordedScenario& rs, const std::string& shown) {
    Scenario& s = rs.scenario;
    if (!h5::has_link(group, "geography")) {
        s.params = Params();
        return;
    }
    const h5::Object g = h5::open_group(group, "geography");
    const auto table = [&](const char* name, const char* file_attr, Scenario::Table& t) {
        t.file = optional_text(g, file_attr);
        if (!h5::has_link(g, name)) return;
        const std::vector<std::string> text = h5::read_strings(h5::open_dataset(g, name));
        t.text = text.empty() ? std::string() : text.front();
    };
    table("regions_table", "regions_file", s.regions);
    table("buyers_table", "buyers_file", s.buyers);
    table("links_table", "links_file", s.links);
    if (s.regions.text.empty()) {
        s.params = Params();
        return;
    }
    GeographyText text{s.regions.text, s.regions.file, s.buyers.text,
                       s.buyers.file,  s.links.text,   s.links.file};
    try {
        s.params = Params(parse_geography(text));
    } catch (const InputError& e) {
        throw InputError(shown + ": scenario " + in_quotes(s.name) +
                         ": its stored geography does not read: " + e.what() +
                         "; the file is damaged or from a sesim with another table");
    }
    // A large geography keeps its region and buyer parameters as datasets.
    for (const auto& [sub, scope] : {std::pair{"region_parameters", Scope::region},
                                     std::pair{"buyer_parameters", Scope::buyer}}) {
        if (!h5::has_link(g, sub)) continue;
        const h5::Object pg = h5::open_group(g, sub);
        const int n = scope == Scope::region ? s.params.regions() : s.params.buyers();
        for (const ParamDef& d : param_defs()) {
            if (d.scope != scope) continue;
            if (!h5::has_link(pg, std::string(d.name))) {
                rs.missing_parameters.push_back(std::string(sub) + "/" + std::string(d.name));
                continue;
            }
            const h5::Matrix m = h5::read_matrix(h5::open_dataset(pg, std::string(d.name)));
            if (m.values.size() != static_cast<std::size_t>(n))
                throw InputError(shown + ": scenario " + in_quotes(s.name) + ": " +
                                 in_quotes(std::string(sub) + "/" + std::string(d.name)) + " has " +
                                 std::to_string(m.values.size()) + " values for " +
                                 std::to_string(n) + "; the file is damaged");
            for (int i = 0; i < n; ++i) {
                const double v = m.values[static_cast<std::size_t>(i)];
                const bool whole = d.type != ParamType::real;
                if (!std::isfinite(v) || (whole && v != std::floor(v)) || v < d.min || v > d.max)
                    throw InputError(shown + ": scenario " + in_quotes(s.name) + ": " +
                                     in_quotes(std::string(sub) + "/" + std::string(d.name)) +
                                     " holds " + std::to_string(v) + ", not in " + range_text(d) +
                                     "; the file is damaged");
                d.set(s.params, scope == Scope::region ? i : -1, scope == Scope::buyer ? i : -1, v);
            }
        }
    }
}

void read_parameters(const h5::Object& group, RecordedScenario& rs, const std::string& shown) {
    read_geography(group, rs, shown);
    const h5::Object values = h5::open_group(group, "parameters");
    Params& params = rs.scenario.params;
    const bool attributes_for_regions =
        !h5::has_link(group, "geography") ||
        !h5::has_link(h5::open_group(group, "geography"), "region_parameters");
    std::set<std::string> seen;
    for (const std::string& name : attribute_names(values)) {
        const bool text = is_text_attribute(values, name);
        const std::string stored = text ? h5::read_string_attribute(values, name) : std::string();
        const double number = text ? 0.0 : h5::read_number_attribute(values, name);
        const ParamKey* key = find_param(params, name);
        if (key == nullptr) {
            rs.unknown_parameters.push_back(name + "=" + (text ? stored : std::to_string(number)));
            continue;
        }
        const ParamDef& def = *key->def;
        const std::string where = shown + ": scenario " + in_quotes(rs.scenario.name) +
                                  ", parameter " + in_quotes(name) + ": ";
        double v = 0;
        if (def.type == ParamType::month) {
            if (!text)
                throw InputError(where +
                                 "a month must be stored as text (YYYY-MM); the file is "
                                 "damaged or was not written by 'sesim run'");
            std::string error;
            const auto parsed = parse_param_value(def, stored, error);
            if (!parsed) throw InputError(where + error);
            v = *parsed;
        } else {
            if (text)
                throw InputError(where + "stored as text " + in_quotes(stored) +
                                 ", expected a number; the file is damaged or was not written "
                                 "by 'sesim run'");
            const bool whole = def.type != ParamType::real;
            if (!std::isfinite(number) || (whole && number != std::floor(number)) ||
                number < def.min || number > def.max)
                throw InputError(where + std::to_string(number) + " is not " +
                                 std::string(type_name(def.type)) + " in " + range_text(def) +
                                 "; the file is damaged or from a sesim with another table");
            v = number;
        }
        key->set(params, v);
        seen.insert(name);
    }
    for (const ParamKey& key : param_keys(params))
        if (!seen.count(key.name) && (attributes_for_regions || key.def->scope == Scope::global))
            rs.missing_parameters.push_back(key.name);
    const std::vector<std::string> problems = check_consistency(params);
    if (!problems.empty()) {
        std::string list;
        for (const std::string& p : problems) list += "\n  " + p;
        throw InputError(shown + ": the parameters of scenario " + in_quotes(rs.scenario.name) +
                         " are inconsistent for this sesim:" + list);
    }
}

std::vector<std::uint64_t> dims_of(const h5::Object& ds) {
    std::vector<std::uint64_t> out;
    for (const hsize_t d : h5::dimensions(ds)) out.push_back(static_cast<std::uint64_t>(d));
    return out;
}

std::string shape_text(const std::vector<std::uint64_t>& dims) {
    std::string s = "(";
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + ")";
}

// Checks `group/name` is a float64 dataset of exactly `rows` x `cols` with the attributes the
// writer gives every output (units, long_name, sesim_kind).
void expect_shape(const h5::Object& group, const std::string& group_name, const std::string& name,
                  std::uint64_t rows, std::uint64_t cols, const std::string& shown) {
    const h5::Object ds = h5::open_dataset(group, name);
    const std::vector<std::uint64_t> dims = dims_of(ds);
    const std::vector<std::uint64_t> want{rows, cols};
    const std::string path = in_quotes(group_name + "/" + name);
    if (dims != want)
        throw InputError(shown + ": dataset " + path + " has shape " + shape_text(dims) +
                         ", expected " + shape_text(want) +
                         " from the stored replicates and months; the file is damaged");
    const h5::Object type(h5::check_id(H5Dget_type(ds.id()), "cannot read the type of", ds.where()),
                          H5Tclose, ds.file(), ds.name());
    if (H5Tget_class(type.id()) != H5T_FLOAT || H5Tget_size(type.id()) != 8)
        throw InputError(shown + ": dataset " + path +
                         " is not float64 as 'sesim run' writes it; the file is altered");
    for (const char* attr : {"units", "long_name", "sesim_kind"}) {
        if (h5::has_attribute(ds, attr)) continue;
        std::string msg = shown;
        msg += ": dataset " + path;
        msg += " has no attribute " + in_quotes(attr);
        msg += "; the file is incomplete or altered";
        throw InputError(msg);
    }
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(", ", start);
        if (comma == std::string::npos) comma = text.size();
        if (comma > start) out.push_back(text.substr(start, comma - start));
        start = comma + 2;
    }
    return out;
}

// HDF5's reason alone ("incorrect metadata checksum") does not say what to do.
std::string damaged_hint(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return "";
    return "\n" + in_quotes(file.string()) +
           " cannot be read as a sesim result file; if it is one, it is damaged: copy it again "
           "from its source, or re-create it with the command in its provenance";
}

}  // namespace

RecordedFile read_recorded_file(const fs::path& file) {
    const std::string shown = in_quotes(file.string());
    try {
        const h5::Object f = h5::open_file(file);
        if (h5::has_attribute(f, "sweep_name"))
            throw InputError(shown +
                             " is a sweep file (from 'sesim sweep'); 'sesim reproduce' and "
                             "'sesim digest' read the result files of 'sesim run'");
        for (const char* attr : {"sesim_version", "model_version", "seed", "replicates"})
            if (!h5::has_attribute(f, attr))
                throw InputError(shown + " is not a sesim result file: it has no root attribute " +
                                 in_quotes(attr) + " (result files are written by 'sesim run')");
        RecordedFile out;
        Provenance& p = out.provenance;
        p.sesim_version = h5::read_string_attribute(f, "sesim_version");
        p.model_version =
            static_cast<int>(whole_number(f, "model_version", 0, 2147483647.0, shown));
        p.seed = static_cast<std::uint32_t>(whole_number(f, "seed", 0, 4294967295.0, shown));
        p.replicates = static_cast<int>(whole_number(f, "replicates", 1, 1000000, shown));
        p.git_commit = optional_text(f, "git_commit");
        p.compiler = optional_text(f, "compiler");
        p.cxx_flags = optional_text(f, "cxx_flags");
        p.build_type = optional_text(f, "build_type");
        p.command_line = optional_text(f, "command_line");
        p.creation_time = optional_text(f, "creation_time");
        p.host = optional_text(f, "host");
        p.libc = optional_text(f, "libc");
        p.cpu = optional_text(f, "cpu");
        p.libm_fingerprint = optional_text(f, "libm_fingerprint");
        out.contents = optional_text(f, "sesim_contents");

        std::vector<std::string> groups = h5::child_groups(f);
        if (h5::has_attribute(f, "scenarios")) {
            // The run plan's list: a group that cannot be opened any more is damage, not a
            // scenario that was never there.
            const std::vector<std::string> listed =
                lines_of(h5::read_string_attribute(f, "scenarios"));
            for (const std::string& name : listed)
                if (std::find(groups.begin(), groups.end(), name) == groups.end())
                    throw InputError(shown + ": scenario " + in_quotes(name) +
                                     " is listed in the root attribute 'scenarios' but its group "
                                     "cannot be read; the file is damaged");
            groups = listed;
        } else {
            out.scenarios_unlisted = true;
        }
        if (groups.empty()) throw InputError(shown + " holds no scenarios");
        const auto reps = static_cast<std::uint64_t>(p.replicates);

        // What the writer promises: every output of the root attribute `outputs` in every
        // group, as replicates unless the file is statistics-only, and as statistics once the
        // file says they are written (`sesim_contents`). A file without the attribute (an
        // older sesim) is held to this sesim's outputs when its model version is this one;
        // from another model version, outputs it lacks are only noted (not compared).
        std::vector<std::string> promised;
        const bool listed_outputs = h5::has_attribute(f, "outputs");
        if (listed_outputs) {
            promised = split_list(h5::read_string_attribute(f, "outputs"));
        } else {
            for (const OutputDef& def : kOutputDefs) promised.emplace_back(def.name);
        }
        const bool strict = listed_outputs || p.model_version == SESIM_MODEL_VERSION;
        const bool stats_only = out.contents.rfind("statistics only", 0) == 0;
        const bool with_stats =
            stats_only || out.contents.rfind("replicates and statistics", 0) == 0;
        if (!out.contents.empty() && !with_stats)
            throw InputError(shown + ": root attribute 'sesim_contents' is " +
                             in_quotes(out.contents.substr(0, 60)) +
                             ", which 'sesim run' does not write; the file is altered");
        for (const std::string& name : groups) {
            const h5::Object g = h5::open_group(f, name);
            if (!h5::has_link(g, "parameters"))
                throw InputError(shown + ": group " + in_quotes(name) +
                                 " has no 'parameters' group, so it is not a sesim scenario; the "
                                 "file is damaged or was not written by 'sesim run'");
            RecordedScenario rs;
            Scenario& s = rs.scenario;
            s.name = name;
            s.description = optional_text(g, "description");
            s.path = optional_text(g, "scenario_path");
            s.files = lines_of(optional_text(g, "scenario_files"));
            s.text = optional_text(g, "scenario_text");
            for (const std::string& line : lines_of(optional_text(g, "overrides"))) {
                const auto eq = line.find('=');
                s.overrides.emplace_back(line.substr(0, eq),
                                         eq == std::string::npos ? "" : line.substr(eq + 1));
            }
            if (h5::has_attribute(g, "replicates") &&
                h5::read_number_attribute(g, "replicates") != static_cast<double>(reps))
                throw InputError(shown + ": scenario " + in_quotes(name) + " records " +
                                 std::to_string(h5::read_number_attribute(g, "replicates")) +
                                 " replicates, the file " + std::to_string(reps) +
                                 "; the file is damaged");
            read_parameters(g, rs, shown);
            rs.months = s.params.g.months;
            const auto months = static_cast<std::uint64_t>(rs.months);

            if (!h5::has_link(g, "time"))
                throw InputError(shown + ": scenario " + in_quotes(name) +
                                 " has no 'time' coordinate; the file is damaged");
            const std::vector<std::uint64_t> time_dims = dims_of(h5::open_dataset(g, "time"));
            if (time_dims != std::vector<std::uint64_t>{months})
                throw InputError(shown + ": " + in_quotes(name + "/time") + " has shape " +
                                 shape_text(time_dims) + " but the scenario has " +
                                 std::to_string(months) + " months; the file is damaged");
            bool any_replicates = false;
            bool any_statistics = false;
            bool all_statistics = true;
            for (const OutputDef& def : kOutputDefs) {
                const std::string output(def.name);
                const std::string stats = output + std::string(kStatsSuffix);
                const bool r = h5::has_link(g, output);
                const bool st = h5::has_link(g, stats);
                const bool is_promised =
                    std::find(promised.begin(), promised.end(), output) != promised.end();
                if (strict && is_promised) {
                    const auto missing = [&](const std::string& ds) {
                        std::string msg = shown;
                        msg += ": scenario " + in_quotes(name);
                        std::string path = name;
                        path += '/';
                        path += ds;
                        msg += " has no dataset " + in_quotes(path);
                        msg +=
                            ", which the file promises (root attributes 'outputs' and "
                            "'sesim_contents'); the file is incomplete or altered: re-create it "
                            "with the command in its provenance";
                        throw InputError(msg);
                    };
                    if (!stats_only && !r) missing(output);
                    if (with_stats && !st) missing(stats);
                }
                if (r) expect_shape(g, name, output, reps, months, shown);
                if (st) expect_shape(g, name, stats, kStatistics, months, shown);
                if (!r && !st) rs.missing_outputs.push_back(output);
                any_replicates = any_replicates || r;
                any_statistics = any_statistics || st;
                all_statistics = all_statistics && st;
            }
            if (!any_replicates && !any_statistics)
                throw InputError(shown + ": scenario " + in_quotes(name) +
                                 " holds no output data; the file is damaged or was not written "
                                 "by 'sesim run'");
            rs.has_replicates = any_replicates;
            rs.has_statistics = any_statistics && all_statistics;
            out.scenarios.push_back(std::move(rs));
        }
        return out;
    } catch (const RunError& e) {
        // A missing, damaged or foreign file is the user's input, not a failed run.
        throw InputError(std::string(e.what()) + damaged_hint(file));
    }
}

// ---- RecordedData --------------------------------------------------------------------------

struct RecordedData::Impl {
    h5::Object file;
    std::string shown;
};

RecordedData::RecordedData(const fs::path& file) : impl_(std::make_unique<Impl>()) {
    impl_->shown = in_quotes(file.string());
    try {
        impl_->file = h5::open_file(file);
    } catch (const RunError& e) {
        throw InputError(std::string(e.what()) + damaged_hint(file));
    }
}

RecordedData::~RecordedData() = default;

namespace {
// The group at `path` ("baseline" or "baseline/regions") below `root`, if every part exists.
std::optional<h5::Object> walk(const h5::Object& root, const std::string& path) {
    std::optional<h5::Object> g;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        const std::size_t e = std::min(path.find('/', pos), path.size());
        const std::string part = path.substr(pos, e - pos);
        const h5::Object& parent = g ? *g : root;
        if (!h5::has_link(parent, part)) return std::nullopt;
        g = h5::open_group(parent, part);
        pos = e + 1;
    }
    return g;
}
}  // namespace

bool RecordedData::has(const std::string& group, const std::string& dataset) const {
    try {
        const std::optional<h5::Object> g = walk(impl_->file, group);
        return g && h5::has_link(*g, dataset);
    } catch (const RunError& e) {
        throw InputError(e.what());
    }
}

std::vector<std::string> RecordedData::labels(const std::string& group,
                                              const std::string& dataset) const {
    try {
        if (!has(group, dataset))
            throw InputError(impl_->shown + " has no dataset " + in_quotes(group + "/" + dataset));
        return h5::read_strings(h5::open_dataset(h5::open_group(impl_->file, group), dataset));
    } catch (const RunError& e) {
        throw InputError(std::string(e.what()) + "; the file is damaged or truncated");
    }
}

std::vector<std::uint64_t> RecordedData::shape(const std::string& group,
                                               const std::string& dataset) const {
    try {
        return dims_of(h5::open_dataset(h5::open_group(impl_->file, group), dataset));
    } catch (const RunError& e) {
        throw InputError(e.what());
    }
}

std::vector<double> RecordedData::plane(const std::string& group, const std::string& dataset,
                                        std::size_t index, std::size_t d1, std::size_t d2) const {
    const std::string path = group + "/" + dataset;
    try {
        if (!has(group, dataset))
            throw InputError(impl_->shown + " has no dataset " + in_quotes(path));
        const h5::Object ds = h5::open_dataset(*walk(impl_->file, group), dataset);
        const std::vector<std::uint64_t> dims = dims_of(ds);
        if (dims.size() != 3 || dims[0] <= index || dims[1] != d1 || dims[2] != d2)
            throw InputError(impl_->shown + ": dataset " + in_quotes(path) + " has shape " +
                             shape_text(dims) + ", cannot read plane " + std::to_string(index) +
                             " of " + std::to_string(d1) + " x " + std::to_string(d2) +
                             " values; the file is damaged");
        return h5::read_block(ds, {index, 0, 0}, {1, d1, d2});
    } catch (const RunError& e) {
        throw InputError(std::string(e.what()) + " (" + impl_->shown + ")");
    }
}

std::vector<double> RecordedData::rows(const std::string& group, const std::string& dataset,
                                       std::size_t rows, std::size_t cols) const {
    const std::string path = group + "/" + dataset;
    try {
        if (!has(group, dataset))
            throw InputError(impl_->shown + " has no dataset " + in_quotes(path));
        const h5::Object ds = h5::open_dataset(h5::open_group(impl_->file, group), dataset);
        const std::vector<std::uint64_t> dims = dims_of(ds);
        const bool one_d = dims.size() == 1;
        if ((dims.size() != 1 && dims.size() != 2) || (one_d && (rows != 1 || dims[0] != cols)) ||
            (!one_d && (dims[0] < rows || dims[1] != cols)))
            throw InputError(impl_->shown + ": dataset " + in_quotes(path) + " has shape " +
                             shape_text(dims) + ", cannot read " + std::to_string(rows) + " x " +
                             std::to_string(cols) + " values; the file is damaged");
        std::vector<double> values(rows * cols);
        if (values.empty()) return values;
        const std::string what = "cannot read dataset";
        const h5::Object space(h5::check_id(H5Dget_space(ds.id()), what, ds.where()), H5Sclose,
                               ds.file(), ds.name());
        if (!one_d) {
            const hsize_t start[2] = {0, 0};
            const hsize_t count[2] = {rows, cols};
            h5::check_status(
                H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr),
                what, ds.where());
        }
        const hsize_t mem_dims[1] = {static_cast<hsize_t>(values.size())};
        const h5::Object mem(h5::check_id(H5Screate_simple(1, mem_dims, nullptr), what, ds.where()),
                             H5Sclose, ds.file(), ds.name());
        h5::check_status(
            H5Dread(ds.id(), H5T_NATIVE_DOUBLE, mem.id(), space.id(), H5P_DEFAULT, values.data()),
            what, ds.where());
        return values;
    } catch (const RunError& e) {
        throw InputError(std::string(e.what()) + "; the file is damaged or truncated");
    }
}

// ---- For `sesim compare` and `sesim report` ----------------------------------------------------

StoredFile read_stored_file(const fs::path& file) {
    const std::string shown = in_quotes(file.string());
    try {
        const h5::Object f = h5::open_file(file);
        if (h5::has_attribute(f, "sweep_definition"))
            throw InputError(
                shown +
                " is a sesim sweep file ('sesim sweep'), not a scenario study: compare "
                "scenarios run with 'sesim run SCENARIO.ini ... -o FILE.h5'");
    } catch (const RunError& e) {
        // A missing, damaged or foreign file is the user's input, not a failed run.
        throw InputError(e.what());
    }
    // The one reader of result files: it checks the file against everything the writer
    // promises (every scenario, every output with its shape, type and attributes), so a file
    // with a dataset deleted is refused rather than misread as statistics-only.
    const RecordedFile rec = read_recorded_file(file);
    StoredFile out;
    out.sesim_version = rec.provenance.sesim_version;
    out.model_version = rec.provenance.model_version;
    out.replicates = rec.provenance.replicates;
    out.seed = rec.provenance.seed;
    for (const RecordedScenario& r : rec.scenarios) {
        StoredScenario s;
        s.name = r.scenario.name;
        s.description = r.scenario.description;
        s.start_month = r.scenario.params.g.start_month;
        s.months = r.months;
        s.has_replicates = r.has_replicates;
        s.has_statistics = r.has_statistics;
        out.scenarios.push_back(std::move(s));
    }
    return out;
}

std::vector<std::vector<double>> read_replicates_at(const fs::path& file, const std::string& group,
                                                    const std::string& output,
                                                    const std::vector<int>& months, bool cumulative,
                                                    std::size_t block_values, int region) {
    const std::string shown = in_quotes(file.string());
    if (region >= 0) {
        try {
            const h5::Object f = h5::open_file(file);
            const std::string path = group + "/regions";
            if (!h5::has_link(f, group) || !h5::has_link(h5::open_group(f, group), "regions"))
                throw InputError(shown + ": scenario " + in_quotes(group) +
                                 " keeps totals only (no per-region outputs); rerun without "
                                 "--totals-only");
            const h5::Object g = h5::open_group(f, path);
            if (!h5::has_link(g, output))
                throw InputError(shown + ": " + in_quotes(path) + " has no output " +
                                 in_quotes(output) + "; the file is damaged");
            const h5::Matrix m =
                h5::read_middle(h5::open_dataset(g, output), static_cast<hsize_t>(region));
            const auto reps = static_cast<std::size_t>(m.rows);
            const auto total = static_cast<std::size_t>(m.cols);
            std::vector<std::vector<double>> out(months.size(), std::vector<double>(reps, kNaN));
            for (std::size_t i = 0; i < months.size(); ++i) {
                if (months[i] < 0 || static_cast<std::size_t>(months[i]) >= total)
                    throw InputError(shown + ": month " + std::to_string(months[i]) +
                                     " is outside the " + std::to_string(total) + " months of " +
                                     in_quotes(path + "/" + output));
                for (std::size_t r = 0; r < reps; ++r) {
                    double v = 0;
                    const auto last = static_cast<std::size_t>(months[i]);
                    for (std::size_t t = cumulative ? 0 : last; t <= last; ++t)
                        v += m.values[r * total + t];
                    out[i][r] = v;
                }
            }
            return out;
        } catch (const RunError& e) {
            throw InputError(e.what());
        }
    }
    try {
        const h5::Object f = h5::open_file(file);
        if (!h5::has_link(f, group))
            throw InputError(shown + " has no scenario " + in_quotes(group));
        const h5::Object g = h5::open_group(f, group);
        if (!h5::has_link(g, output))
            throw InputError(shown + ": scenario " + in_quotes(group) + " has no output " +
                             in_quotes(output) +
                             (h5::has_link(g, output + std::string(kStatsSuffix))
                                  ? " replicates (the file holds statistics only)"
                                  : ""));
        const h5::Object ds = h5::open_dataset(g, output);
        const std::vector<hsize_t> dims = h5::dimensions(ds);
        if (dims.size() != 2)
            throw InputError(shown + ": " + in_quotes(group + "/" + output) +
                             " is not a (replicate, time) dataset");
        const auto reps = static_cast<std::size_t>(dims[0]);
        const auto total = static_cast<std::size_t>(dims[1]);
        int last = -1;
        const std::string dataset = in_quotes(group + "/" + output);
        for (const int m : months) {
            if (m < 0 || static_cast<std::size_t>(m) >= total)
                throw InputError(shown + ": month " + std::to_string(m) + " is outside the " +
                                 std::to_string(total) + " months of " + dataset);
            last = std::max(last, m);
        }
        std::vector<std::vector<double>> out(months.size(), std::vector<double>(reps, kNaN));
        if (last < 0) return out;
        std::vector<double> running(reps, 0.0);
        const std::size_t block = block_months(reps, total, block_values);
        const auto needed = static_cast<std::size_t>(last) + 1;
        for (std::size_t c0 = 0; c0 < needed; c0 += block) {
            const std::size_t cols = std::min(block, needed - c0);
            const h5::Matrix m = h5::read_columns(ds, c0, cols);
            for (std::size_t c = 0; c < cols; ++c) {
                const std::size_t month = c0 + c;
                for (std::size_t r = 0; r < reps; ++r)
                    running[r] = (cumulative ? running[r] : 0.0) + m.values[r * cols + c];
                for (std::size_t i = 0; i < months.size(); ++i)
                    if (static_cast<std::size_t>(months[i]) == month) out[i] = running;
            }
        }
        return out;
    } catch (const RunError& e) {
        throw InputError(e.what());
    }
}

std::vector<std::string> stored_regions(const fs::path& file, const std::string& group) {
    try {
        const h5::Object f = h5::open_file(file);
        if (!h5::has_link(f, group)) return {};
        const h5::Object g = h5::open_group(f, group);
        if (!h5::has_link(g, "regions")) return {};
        return h5::read_strings(h5::open_dataset(h5::open_group(g, "regions"), "region"));
    } catch (const RunError& e) {
        throw InputError(e.what());
    }
}

RecordedDraws read_recorded_draws(const fs::path& file, const std::string& group) {
    RecordedDraws d;
    const h5::Object f = h5::open_file(file);
    if (!h5::has_attribute(f, "parameter_uncertainty")) return d;
    const std::string kind = h5::read_string_attribute(f, "parameter_uncertainty");
    if (kind == "none") return d;
    d.kind = kind;
    d.source = optional_text(f, "parameter_source");
    d.calibration = optional_text(f, "parameter_calibration");
    if (h5::has_attribute(f, "replicates_per_draw"))
        d.per_draw = static_cast<int>(h5::read_number_attribute(f, "replicates_per_draw"));
    const h5::Object g = h5::open_group(f, group);
    h5::Matrix m = h5::read_matrix(h5::open_dataset(g, "drawn_parameters"));
    d.rows = static_cast<std::size_t>(m.rows);
    d.cols = static_cast<std::size_t>(m.cols);
    d.values = std::move(m.values);
    return d;
}

// ---- For tests ---------------------------------------------------------------------------------

std::vector<std::string> stored_scenarios(const fs::path& file) {
    const h5::Object f = h5::open_file(file);
    return h5::child_groups(f);
}

StoredSeries read_output(const fs::path& file, const std::string& group,
                         const std::string& output) {
    const h5::Object f = h5::open_file(file);
    if (!h5::has_link(f, group)) {
        const std::vector<std::string> stored = h5::child_groups(f);
        std::string list;
        for (const std::string& name : stored) list += (list.empty() ? "" : ", ") + name;
        throw RunError(in_quotes(file.string()) + " has no scenario " + in_quotes(group) +
                       (stored.empty() ? " (it holds no scenarios)" : " (it holds: " + list + ")"));
    }
    const h5::Object g = h5::open_group(f, group);
    if (!h5::has_link(g, output))
        throw RunError(in_quotes(file.string()) + ": scenario " + in_quotes(group) +
                       " has no output " + in_quotes(output));
    const h5::Object ds = h5::open_dataset(g, output);
    h5::Matrix m = h5::read_matrix(ds);
    StoredSeries out;
    out.replicates = static_cast<int>(m.rows);
    out.months = static_cast<int>(m.cols);
    out.values = std::move(m.values);
    return out;
}

}  // namespace sesim
