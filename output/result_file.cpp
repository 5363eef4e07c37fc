#include "output/result_file.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <set>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/params.hpp"
#include "output/hdf5_file.hpp"
#include "output/safe_write.hpp"
#include "output/stats.hpp"

namespace sesim {

namespace fs = std::filesystem;

static_assert(sizeof(hid_t) == sizeof(std::int64_t),
              "ResultFile stores hid_t values in std::int64_t members");

namespace {

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) out += (i > 0 ? "\n" : "") + lines[i];
    return out;
}

std::string kind_name(OutputKind kind) {
    return kind == OutputKind::stock ? "stock" : "flow";
}

// Names become HDF5 link names, which cannot hold '/' and must be distinct in a group. Checked
// before the file exists so that a bad name is an input error, not a half-written file.
void check_scenario_names(const std::vector<Scenario>& scenarios) {
    std::set<std::string> seen;
    for (const Scenario& s : scenarios) {
        if (s.name.empty())
            throw InputError("scenario " + in_quotes(s.path) +
                             " has an empty name: give it a `name` in its scenario file");
        if (s.name == "." || s.name.find('/') != std::string::npos)
            throw InputError("scenario name " + in_quotes(s.name) + " (" + in_quotes(s.path) +
                             ") cannot name a group in the result file: it must not be '.' or "
                             "contain '/'; change its `name`");
        if (!seen.insert(s.name).second)
            throw InputError("two scenarios are named " + in_quotes(s.name) +
                             ": give each a distinct `name` in its scenario file");
    }
}

// What the data depend on, stated in every file (docs/reproducing.md has the measurements).
constexpr const char* kReproducibility =
    "The data are a function of model_version, each scenario's parameters, seed and the "
    "replicate number only. They do not depend on the number of threads or processes (each run "
    "is computed on its own from these) or on the build type (built with -ffp-contract=off). The "
    "C library's exp/log/pow/cos can differ in the last bit between CPUs and libc versions: see "
    "libc, cpu and libm_fingerprint. Check a file with: sesim reproduce FILE.h5";

void write_root_attributes(const h5::Object& file, const Provenance& prov) {
    h5::write_attribute(file, "title", "sesim results");
    h5::write_attribute(file, "Conventions", "CF-1.8");
    write_provenance(file, prov, ProvenanceOf::run);
    h5::write_attribute(file, "reproducibility", kReproducibility);
    h5::write_attribute(file, "parameter_uncertainty", "none");
}

void write_scenario_attributes(const h5::Object& group, const Scenario& s) {
    h5::write_attribute(group, "scenario_name", s.name);
    h5::write_attribute(group, "description", s.description);
    h5::write_attribute(group, "scenario_path", s.path);
    h5::write_attribute(group, "scenario_files", join(s.files));
    h5::write_attribute(group, "scenario_text", s.text);
    std::vector<std::string> overrides;
    overrides.reserve(s.overrides.size());
    for (const auto& [name, value] : s.overrides) {
        std::string line = name;
        line += '=';
        line += value;
        overrides.push_back(std::move(line));
    }
    h5::write_attribute(group, "overrides", join(overrides));
}

// Every parameter, changed or not, so a file alone says what was simulated. Globals are
// attributes of `parameters` (months as text, "2019-01", because a month index reads as
// nonsense; units in the parallel group `parameter_units`). Region and buyer parameters are
// attributes too for a small geography (up to kAttributeRegions regions), so files of two
// regions read as before; for a larger one they are datasets along the region or buyer
// coordinate of the `geography` group (region_parameters/<name>, buyer_parameters/<name>),
// months as month indices with a units attribute.
constexpr int kAttributeRegions = 8;

void write_parameters(const h5::Object& group, const Params& params) {
    const h5::Object values = h5::create_group(group, "parameters");
    const h5::Object units = h5::create_group(group, "parameter_units");
    const bool small = params.regions() <= kAttributeRegions;
    for (const ParamKey& key : param_keys(params)) {
        if (!small && key.def->scope != Scope::global) continue;
        const double v = key.get(params);
        if (key.def->type == ParamType::month)
            h5::write_attribute(values, key.name, format_param_value(*key.def, v));
        else
            h5::write_attribute(values, key.name, v);
        h5::write_attribute(units, key.name, std::string(key.def->unit));
    }
}

// The geography: the tables as read (so a file alone can be re-run), the region and buyer
// coordinates, and for a large geography the region and buyer parameters.
void write_geography(const h5::Object& group, const Scenario& s) {
    const Params& p = s.params;
    const Geography& geo = *p.geo;
    const h5::Object g = h5::create_group(group, "geography");
    h5::write_attribute(g, "source", geo.source());
    h5::write_attribute(g, "regions_file", s.regions.file);
    h5::write_attribute(g, "buyers_file", s.buyers.file);
    h5::write_attribute(g, "links_file", s.links.file);
    const auto text = [&](const char* name, const std::string& value) {
        const h5::Object scale =
            h5::create_scale(g, std::string(name) + "_line", std::vector<std::int32_t>{0});
        h5::create_vector(g, name, std::vector<std::string>{value}, scale);
    };
    text("regions_table", s.regions.text);
    text("buyers_table", s.buyers.text);
    text("links_table", s.links.text);
    std::vector<std::string> keys, codes, names, provinces;
    for (const Region& r : geo.regions()) {
        keys.push_back(r.key);
        codes.push_back(r.code);
        names.push_back(r.name);
        provinces.push_back(r.province);
    }
    const h5::Object region = h5::create_scale(g, "region", keys);
    h5::create_vector(g, "region_code", codes, region);
    h5::create_vector(g, "region_name", names, region);
    h5::create_vector(g, "region_province", provinces, region);
    std::vector<std::string> bkeys, bkinds, bnames, bserves;
    for (const Buyer& b : geo.buyers()) {
        bkeys.push_back(b.key);
        bkinds.push_back(geo.kinds()[static_cast<std::size_t>(b.kind)]);
        bnames.push_back(b.name);
        std::string serves;
        for (const int r : b.serves) serves += (serves.empty() ? "" : " ") + geo.regions()[r].key;
        bserves.push_back(serves);
    }
    if (!bkeys.empty()) {
        const h5::Object buyer = h5::create_scale(g, "buyer", bkeys);
        h5::create_vector(g, "buyer_kind", bkinds, buyer);
        h5::create_vector(g, "buyer_name", bnames, buyer);
        h5::create_vector(g, "buyer_serves", bserves, buyer);
        if (p.regions() > kAttributeRegions) {
            const h5::Object bp = h5::create_group(g, "buyer_parameters");
            for (const ParamDef& d : param_defs()) {
                if (d.scope != Scope::buyer) continue;
                std::vector<double> v(static_cast<std::size_t>(p.buyers()));
                for (int b = 0; b < p.buyers(); ++b)
                    v[static_cast<std::size_t>(b)] = d.get(p, -1, b);
                h5::Object ds = h5::create_vector(bp, std::string(d.name), v, buyer);
                h5::write_attribute(ds, "units",
                                    d.type == ParamType::month
                                        ? std::string("month index (year * 12 + month - 1)")
                                        : std::string(d.unit));
            }
        }
    }
    if (p.regions() > kAttributeRegions) {
        const h5::Object rp = h5::create_group(g, "region_parameters");
        for (const ParamDef& d : param_defs()) {
            if (d.scope != Scope::region) continue;
            std::vector<double> v(static_cast<std::size_t>(p.regions()));
            for (int r = 0; r < p.regions(); ++r) v[static_cast<std::size_t>(r)] = d.get(p, r, -1);
            h5::Object ds = h5::create_vector(rp, std::string(d.name), v, region);
            h5::write_attribute(ds, "units",
                                d.type == ParamType::month
                                    ? std::string("month index (year * 12 + month - 1)")
                                    : std::string(d.unit));
        }
    }
}

h5::Object write_time(const h5::Object& group, const Params& params) {
    std::vector<double> days(static_cast<std::size_t>(params.g.months));
    for (int t = 0; t < params.g.months; ++t)
        days[static_cast<std::size_t>(t)] = cf_days_since_2019(params.g.start_month + t);
    h5::Object time = h5::create_scale(group, "time", days);
    h5::write_attribute(time, "units", kTimeUnits);
    h5::write_attribute(time, "calendar", "proleptic_gregorian");
    h5::write_attribute(time, "standard_name", "time");
    h5::write_attribute(time, "long_name", "start of month");
    h5::write_attribute(time, "axis", "T");
    return time;
}

h5::Object write_replicates(const h5::Object& group, int replicates) {
    std::vector<std::int32_t> index(static_cast<std::size_t>(replicates));
    for (int r = 0; r < replicates; ++r) index[static_cast<std::size_t>(r)] = r;
    h5::Object rep = h5::create_scale(group, "replicate", index);
    h5::write_attribute(rep, "long_name", "replicate");
    return rep;
}

void close_id(std::int64_t& id, herr_t (*closer)(hid_t), bool report, const fs::path& file,
              std::string& first_error) {
    if (id < 0) return;
    const herr_t status = closer(static_cast<hid_t>(id));
    id = -1;
    if (status < 0 && report && first_error.empty()) {
        first_error = h5::last_reason();
        if (first_error.empty()) first_error = "HDF5 close failed";
        first_error = "cannot finish writing " + in_quotes(file.string()) + ": " + first_error;
    }
}

}  // namespace

// ---- ResultFile --------------------------------------------------------------------------------

void ResultFile::check_writable(const fs::path& path) {
    check_output_path(path);
}

ResultFile::ResultFile(fs::path path, const Provenance& prov,
                       const std::vector<Scenario>& scenarios, Keep keep, Regions regions)
    : path_(std::move(path)), replicates_(prov.replicates), keep_(keep) {
    if (prov.replicates < 1)
        throw std::invalid_argument("ResultFile: replicates must be at least 1, got " +
                                    std::to_string(prov.replicates));
    check_scenario_names(scenarios);
    tmp_ = temporary_path(path_);
    const bool scratch_mode = keep_ == Keep::statistics_only;
    // Beside the result, so the folder check of check_writable() covers it.
    if (scratch_mode) scratch_ = temporary_path(path_, "replicates-tmp");

    try {
        h5::Object file = h5::create_file(tmp_);
        h5::Object scratch;
        if (scratch_mode) scratch = h5::create_file(scratch_);
        write_root_attributes(file, prov);
        // The run plan's scenarios, so that a reader can tell a group lost to damage from one
        // never written (sesim reproduce checks every one is there).
        std::vector<std::string> names;
        names.reserve(scenarios.size());
        for (const Scenario& s : scenarios) names.push_back(s.name);
        h5::write_attribute(file, "scenarios", join(names));
        // The outputs every scenario group holds (as `<output>` and, once the statistics are
        // written, `<output>_stats`): what a reader checks the file against.
        std::string outputs;
        for (const OutputDef& def : kOutputDefs)
            outputs += (outputs.empty() ? "" : ", ") + std::string(def.name);
        h5::write_attribute(file, "outputs", outputs);
        std::vector<h5::Object> groups;
        std::vector<std::vector<h5::Object>> datasets, region_datasets;
        const bool per_region = regions == Regions::keep && !scratch_mode;
        h5::write_attribute(file, "per_region", per_region ? "kept" : "totals only");
        for (const Scenario& s : scenarios) {
            h5::Object group = h5::create_group(file, s.name);
            write_scenario_attributes(group, s);
            // The run plan per scenario, so that a group read on its own says how it was made.
            h5::write_attribute(group, "replicates", static_cast<std::int32_t>(prov.replicates));
            write_parameters(group, s.params);
            write_geography(group, s);
            // Scales in dimension order: netCDF lists dimensions in creation order. With
            // Keep::statistics_only the replicates and their scales go to the scratch file and
            // the result keeps only `time`, which the statistics share.
            h5::Object data_group;
            if (scratch_mode) data_group = h5::create_group(scratch, s.name);
            const h5::Object& data = scratch_mode ? data_group : group;
            const h5::Object rep = write_replicates(data, prov.replicates);
            const h5::Object time = write_time(data, s.params);
            if (scratch_mode) write_time(group, s.params);
            std::vector<h5::Object> outputs;
            for (const OutputDef& def : kOutputDefs) {
                h5::Object ds = h5::create_matrix(
                    data, std::string(def.name), static_cast<hsize_t>(prov.replicates),
                    static_cast<hsize_t>(s.params.g.months), rep, time);
                // netCDF does not report HDF5's fill property; the attribute tells CF readers
                // that NaN marks a run never written.
                h5::write_attribute(ds, "_FillValue", std::numeric_limits<double>::quiet_NaN());
                h5::write_attribute(ds, "units", std::string(def.units));
                h5::write_attribute(ds, "long_name", std::string(def.long_name));
                h5::write_attribute(ds, "sesim_kind", kind_name(def.kind));
                outputs.push_back(std::move(ds));
            }
            // Every output per region: its own group with its own coordinates, so that
            // xarray.open_dataset(file, group="<scenario>/regions") opens it alone.
            std::vector<h5::Object> by_region;
            if (per_region) {
                const h5::Object rg = h5::create_group(group, "regions");
                h5::write_attribute(rg, "description",
                                    "every output per region; regions' flows and counts add up "
                                    "to the scenario's totals (docs/output.md)");
                const h5::Object rrep = write_replicates(rg, prov.replicates);
                std::vector<std::string> keys, codes, names;
                for (const Region& r : s.params.geo->regions()) {
                    keys.push_back(r.key);
                    codes.push_back(r.code);
                    names.push_back(r.name);
                }
                const h5::Object region = h5::create_scale(rg, "region", keys);
                h5::write_attribute(region, "long_name", "region key");
                h5::Object code = h5::create_vector(rg, "region_code", codes, region);
                h5::write_attribute(code, "long_name", "stable region code (CBS: GMxxxx)");
                h5::Object name = h5::create_vector(rg, "region_name", names, region);
                h5::write_attribute(name, "long_name", "region name");
                const h5::Object rtime = write_time(rg, s.params);
                const hsize_t dims[3] = {static_cast<hsize_t>(prov.replicates),
                                         static_cast<hsize_t>(s.params.regions()),
                                         static_cast<hsize_t>(s.params.g.months)};
                const h5::Object* const scales[3] = {&rrep, &region, &rtime};
                for (const OutputDef& def : kOutputDefs) {
                    h5::Object ds = h5::create_cube(rg, std::string(def.name), dims, scales);
                    h5::write_attribute(ds, "_FillValue", std::numeric_limits<double>::quiet_NaN());
                    h5::write_attribute(ds, "units", std::string(def.units));
                    h5::write_attribute(ds, "long_name", std::string(def.long_name));
                    h5::write_attribute(ds, "sesim_kind", kind_name(def.kind));
                    h5::write_attribute(ds, "coordinates", "region_code region_name");
                    by_region.push_back(std::move(ds));
                }
            }
            groups.push_back(std::move(group));
            datasets.push_back(std::move(outputs));
            region_datasets.push_back(std::move(by_region));
            group_names_.push_back(s.name);
            months_.push_back(s.params.g.months);
            regions_.push_back(s.params.regions());
        }

        // Everything exists: hand the ids over to the members (sized first, so no allocation
        // can fail between releasing an id and storing it).
        groups_.assign(groups.size(), -1);
        datasets_.assign(datasets.size(), std::vector<std::int64_t>(kOutputs, -1));
        region_datasets_.assign(datasets.size(), std::vector<std::int64_t>());
        for (std::size_t i = 0; i < groups.size(); ++i)
            region_datasets_[i].assign(region_datasets[i].size(), -1);
        for (std::size_t i = 0; i < groups.size(); ++i) {
            groups_[i] = groups[i].release();
            for (std::size_t o = 0; o < datasets[i].size(); ++o)
                datasets_[i][o] = datasets[i][o].release();
            for (std::size_t o = 0; o < region_datasets[i].size(); ++o)
                region_datasets_[i][o] = region_datasets[i][o].release();
        }
        file_ = file.release();
        if (scratch_mode) scratch_file_ = scratch.release();
    } catch (...) {
        // The handles inside the try block are closed by now.
        std::error_code ec;
        fs::remove(tmp_, ec);
        if (scratch_mode) fs::remove(scratch_, ec);
        throw;
    }
}

ResultFile::~ResultFile() {
    if (committed_) return;
    // Nothing escapes a destructor: close_all(false) reports nothing, and an allocation
    // failure while closing must not end the program.
    try {
        close_all(false);
    } catch (...) {
    }
    std::error_code ec;
    fs::remove(tmp_, ec);
    if (!scratch_.empty()) fs::remove(scratch_, ec);
}

void ResultFile::close_all(bool report) {
    std::string first_error;
    for (auto& outputs : datasets_)
        for (std::int64_t& id : outputs) close_id(id, H5Dclose, report, tmp_, first_error);
    for (auto& outputs : region_datasets_)
        for (std::int64_t& id : outputs) close_id(id, H5Dclose, report, tmp_, first_error);
    for (std::int64_t& id : groups_) close_id(id, H5Gclose, report, tmp_, first_error);
    std::int64_t file = std::exchange(file_, -1);
    close_id(file, H5Fclose, report, tmp_, first_error);
    // The scratch file's bytes are thrown away: its close cannot lose results.
    std::int64_t scratch = std::exchange(scratch_file_, -1);
    close_id(scratch, H5Fclose, false, scratch_, first_error);
    if (!first_error.empty()) throw RunError(first_error);
}

void ResultFile::write_run(int scenario, int replicate, const RunSeries& series) {
    if (committed_ || file_ < 0)
        throw std::logic_error("ResultFile::write_run: the file is already closed");
    if (scenario < 0 || scenario >= static_cast<int>(months_.size()))
        throw std::out_of_range("ResultFile::write_run: no scenario " + std::to_string(scenario));
    if (replicate < 0 || replicate >= replicates_)
        throw std::out_of_range("ResultFile::write_run: no replicate " + std::to_string(replicate));
    const auto s = static_cast<std::size_t>(scenario);
    const int months = months_[s];
    if (series.months != months ||
        series.values.size() != static_cast<std::size_t>(months) * kOutputs)
        throw std::invalid_argument("ResultFile::write_run: series of " +
                                    std::to_string(series.months) + " months for scenario " +
                                    in_quotes(group_names_[s]) + " of " + std::to_string(months));
    for (int o = 0; o < kOutputs; ++o) {
        const auto& def = kOutputDefs[static_cast<std::size_t>(o)];
        const h5::Object view(datasets_[s][static_cast<std::size_t>(o)], nullptr, tmp_.string(),
                              "/" + group_names_[s] + "/" + std::string(def.name));
        h5::write_row(view, static_cast<hsize_t>(replicate), static_cast<hsize_t>(months),
                      series.series(o));
    }
    if (region_datasets_[s].empty()) return;
    const int regions = regions_[s];
    if (series.regions != regions)
        throw std::invalid_argument("ResultFile::write_run: series of " +
                                    std::to_string(series.regions) + " regions for scenario " +
                                    in_quotes(group_names_[s]) + " of " + std::to_string(regions));
    for (int o = 0; o < kOutputs; ++o) {
        const auto& def = kOutputDefs[static_cast<std::size_t>(o)];
        const h5::Object view(region_datasets_[s][static_cast<std::size_t>(o)], nullptr,
                              tmp_.string(),
                              "/" + group_names_[s] + "/regions/" + std::string(def.name));
        h5::write_plane(view, static_cast<hsize_t>(replicate), static_cast<hsize_t>(regions),
                        static_cast<hsize_t>(months), series.region_series(o, 0));
    }
}

void ResultFile::write_parameter_draws(const DrawRecord& d) {
    if (committed_ || file_ < 0)
        throw std::logic_error("ResultFile::write_parameter_draws: the file is already closed");
    if (d.values.size() != groups_.size())
        throw std::invalid_argument(
            "ResultFile::write_parameter_draws: one value table per scenario");
    const h5::Object file(file_, nullptr, tmp_.string(), "/");
    h5::write_attribute(file, "parameter_uncertainty", d.kind);
    h5::write_attribute(file, "parameter_source", d.path);
    h5::write_attribute(file, "parameter_source_sha256", d.sha256);
    h5::write_attribute(file, "parameter_calibration", d.calibration_name);
    h5::write_attribute(file, "parameter_source_created", d.created);
    h5::write_attribute(file, "parameter_names", join(d.names));
    h5::write_attribute(file, "replicates_per_draw",
                        static_cast<std::int32_t>(d.replicates_per_draw));
    const auto reps = static_cast<std::size_t>(replicates_);
    const std::size_t nk = d.keys.size();
    for (std::size_t s = 0; s < groups_.size(); ++s) {
        const h5::Object group(groups_[s], nullptr, tmp_.string(), "/" + group_names_[s]);
        h5::Object rep_scale;
        if (h5::has_link(group, "replicate")) {
            rep_scale = h5::open_dataset(group, "replicate");
        } else {
            std::vector<std::int32_t> index(reps);
            for (std::size_t r = 0; r < reps; ++r) index[r] = static_cast<std::int32_t>(r);
            rep_scale = h5::create_scale(group, "replicate", index);
        }
        const h5::Object key_scale = h5::create_scale(group, "drawn_parameter", d.keys);
        const h5::Object ds =
            h5::create_matrix(group, "drawn_parameters", reps, nk, rep_scale, key_scale);
        h5::write_attribute(ds, "long_name",
                            "parameter values of each replicate drawn from the " + d.kind +
                                " (NaN: the scenario keeps its own value, one of its levers)");
        if (d.values[s].size() != reps * nk)
            throw std::invalid_argument("ResultFile::write_parameter_draws: wrong table size");
        for (std::size_t r = 0; r < reps; ++r)
            h5::write_row(ds, r, nk, d.values[s].data() + r * nk);
        std::vector<double> draw(d.draw_of_replicate.begin(), d.draw_of_replicate.end());
        std::vector<double> particle(d.particle_of_replicate.begin(),
                                     d.particle_of_replicate.end());
        h5::write_attribute(h5::create_vector(group, "parameter_draw", draw, rep_scale),
                            "long_name", "index of the parameter draw of each replicate");
        h5::write_attribute(h5::create_vector(group, "posterior_particle", particle, rep_scale),
                            "long_name", "posterior particle of each replicate (-1: prior draw)");
    }
}

void ResultFile::commit() {
    if (committed_) return;
    if (file_ < 0)
        throw std::logic_error("ResultFile::commit: the file was closed by a failed commit()");
    if (keep_ == Keep::statistics_only && !statistics_written_)
        throw std::logic_error(
            "ResultFile::commit: a statistics-only file needs write_statistics() first");
    h5::check_status(H5Fflush(static_cast<hid_t>(file_), H5F_SCOPE_GLOBAL),
                     "cannot write results to disk", "file " + in_quotes(tmp_.string()));
    close_all(true);
    // The file's bytes reach the disk before the rename makes them visible under the final
    // name, so a crash right after commit() cannot leave an empty or partial file there.
    commit_file(tmp_, path_);
    committed_ = true;
    std::error_code ec;
    if (!scratch_.empty()) fs::remove(scratch_, ec);
}

void ResultFile::write_statistics(std::size_t block_values) {
    if (committed_ || file_ < 0)
        throw std::logic_error("ResultFile::write_statistics: the file is already closed");
    if (statistics_written_)
        throw std::logic_error("ResultFile::write_statistics: the statistics are already written");
    std::vector<std::string> labels(kStatisticNames.begin(), kStatisticNames.end());
    const fs::path& data_file = keep_ == Keep::statistics_only ? scratch_ : tmp_;
    for (std::size_t s = 0; s < groups_.size(); ++s) {
        const std::string path = "/" + group_names_[s];
        const h5::Object group(groups_[s], nullptr, tmp_.string(), path);
        const auto months = static_cast<std::size_t>(months_[s]);
        const h5::Object time = h5::open_dataset(group, "time");
        const h5::Object statistic = h5::create_scale(group, "statistic", labels);
        h5::write_attribute(statistic, "long_name", "ensemble statistic over the replicates");
        h5::write_attribute(statistic, "comment",
                            "mean; sd: sample standard deviation (divisor n - 1); qNN: NN% "
                            "quantile, linear interpolation between order statistics (type 7)");
        const std::size_t block =
            block_months(static_cast<std::size_t>(replicates_), months, block_values);
        // stats[k * months + t]: statistic k of month t.
        std::vector<double> stats(kStatistics * months);
        std::vector<double> sample;
        for (int o = 0; o < kOutputs; ++o) {
            const OutputDef& def = kOutputDefs[static_cast<std::size_t>(o)];
            const std::string name(def.name);
            std::string object = path;
            object += '/';
            object += name;
            const h5::Object runs(datasets_[s][static_cast<std::size_t>(o)], nullptr,
                                  data_file.string(), object);
            for (std::size_t c0 = 0; c0 < months; c0 += block) {
                const std::size_t cols = std::min(block, months - c0);
                const h5::Matrix m = h5::read_columns(runs, c0, cols);
                for (std::size_t c = 0; c < cols; ++c) {
                    sample.resize(static_cast<std::size_t>(m.rows));
                    for (std::size_t r = 0; r < sample.size(); ++r)
                        sample[r] = m.values[r * cols + c];
                    const auto st = summarise(sample);
                    for (std::size_t k = 0; k < st.size(); ++k) stats[k * months + c0 + c] = st[k];
                }
            }
            const h5::Object ds =
                h5::create_matrix(group, name + std::string(kStatsSuffix), kStatistics,
                                  static_cast<hsize_t>(months), statistic, time);
            h5::write_attribute(ds, "_FillValue", std::numeric_limits<double>::quiet_NaN());
            h5::write_attribute(ds, "units", std::string(def.units));
            h5::write_attribute(ds, "long_name",
                                "ensemble statistics of: " + std::string(def.long_name));
            h5::write_attribute(ds, "sesim_kind", kind_name(def.kind));
            for (std::size_t k = 0; k < kStatistics; ++k)
                h5::write_row(ds, k, static_cast<hsize_t>(months), stats.data() + k * months);
        }
    }
    const h5::Object file(file_, nullptr, tmp_.string(), "/");
    h5::write_attribute(file, "sesim_contents",
                        keep_ == Keep::statistics_only
                            ? "statistics only (`<output>_stats`; replicates not kept)"
                            : "replicates and statistics (`<output>_stats`)");
    statistics_written_ = true;
}

}  // namespace sesim
