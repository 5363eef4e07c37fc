#include "output/sweep_file.hpp"

#include <fcntl.h>
#include <hdf5_hl.h>  // dimension scales (H5DS)
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "model/outputs.hpp"
#include "output/hdf5_file.hpp"
#include "output/input_file.hpp"
#include "output/safe_write.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

constexpr unsigned kCreationOrder = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
// Rows per block when the static datasets are written and when shards are copied: bounds
// memory (a block of outputs is kBlock x months doubles) whatever the number of runs.
constexpr std::int64_t kBlock = 4096;

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

h5::Object plist(hid_t cls, const h5::Object& owner) {
    return h5::Object(
        h5::check_id(H5Pcreate(cls), "cannot create an HDF5 property list", owner.where()),
        H5Pclose, owner.file(), owner.name());
}

h5::Object space(int rank, const hsize_t* dims, const h5::Object& owner) {
    return h5::Object(h5::check_id(H5Screate_simple(rank, dims, nullptr),
                                   "cannot create an HDF5 dataspace", owner.where()),
                      H5Sclose, owner.file(), owner.name());
}

h5::Object vlen_string_type(const h5::Object& owner) {
    h5::Object t(h5::check_id(H5Tcopy(H5T_C_S1), "cannot create a string type", owner.where()),
                 H5Tclose, owner.file(), owner.name());
    h5::check_status(H5Tset_size(t.id(), H5T_VARIABLE), "cannot create a string type",
                     owner.where());
    h5::check_status(H5Tset_cset(t.id(), H5T_CSET_UTF8), "cannot create a string type",
                     owner.where());
    return t;
}

// A dataset whose storage is allocated, and filled with `fill`, at creation: later writes
// change raw bytes only, never HDF5 metadata (the crash-safety argument of sweep_file.hpp).
// Modification times are not stored, so equal data give equal files.
h5::Object create_array(const h5::Object& file, const std::string& name, hid_t file_type,
                        hid_t mem_type, int rank, const hsize_t* dims, const void* fill) {
    const std::string where = file.where() + ", dataset " + in_quotes("/" + name);
    const h5::Object dcpl = plist(H5P_DATASET_CREATE, file);
    h5::check_status(H5Pset_layout(dcpl.id(), H5D_CONTIGUOUS), "cannot set layout", where);
    h5::check_status(H5Pset_alloc_time(dcpl.id(), H5D_ALLOC_TIME_EARLY),
                     "cannot set allocation time", where);
    h5::check_status(H5Pset_obj_track_times(dcpl.id(), false), "cannot turn off times", where);
    h5::check_status(H5Pset_attr_creation_order(dcpl.id(), kCreationOrder),
                     "cannot set attribute creation order", where);
    if (fill != nullptr) {
        h5::check_status(H5Pset_fill_value(dcpl.id(), mem_type, fill), "cannot set fill value",
                         where);
        h5::check_status(H5Pset_fill_time(dcpl.id(), H5D_FILL_TIME_ALLOC), "cannot set fill time",
                         where);
    }
    const h5::Object sp = space(rank, dims, file);
    return h5::Object(h5::check_id(H5Dcreate2(file.id(), name.c_str(), file_type, sp.id(),
                                              H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
                                   "cannot create dataset", where),
                      H5Dclose, file.file(), "/" + name);
}

h5::Object create_strings(const h5::Object& file, const std::string& name,
                          const std::vector<std::string>& values) {
    const h5::Object type = vlen_string_type(file);
    const hsize_t n = values.size();
    h5::Object ds = create_array(file, name, type.id(), type.id(), 1, &n, nullptr);
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const std::string& v : values) ptrs.push_back(v.c_str());
    if (n > 0)
        h5::check_status(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()),
                         "cannot write", ds.where());
    return ds;
}

void make_scale(const h5::Object& ds, const std::string& name) {
    h5::check_status(H5DSset_scale(ds.id(), name.c_str()), "cannot make a dimension scale of",
                     ds.where());
}

void attach(const h5::Object& ds, const h5::Object& scale, unsigned dim) {
    h5::check_status(H5DSattach_scale(ds.id(), scale.id(), dim),
                     "cannot attach dimension scale " + in_quotes(scale.name()), ds.where());
}

// Rows [first, first + count) of a dataset of `rank` 1 or 2 (second dimension `cols`), with
// `stride` between rows in the file.
h5::Object select_rows(const h5::Object& ds, hsize_t first, hsize_t count, hsize_t stride,
                       hsize_t cols) {
    h5::Object fs(h5::check_id(H5Dget_space(ds.id()), "cannot get dataspace", ds.where()), H5Sclose,
                  ds.file(), ds.name());
    const hsize_t start[2] = {first, 0};
    const hsize_t str[2] = {stride, 1};
    const hsize_t cnt[2] = {count, cols};
    h5::check_status(H5Sselect_hyperslab(fs.id(), H5S_SELECT_SET, start, str, cnt, nullptr),
                     "cannot select rows", ds.where());
    return fs;
}

void write_rows(const h5::Object& ds, hid_t mem_type, hsize_t first, hsize_t count, hsize_t stride,
                int rank, hsize_t cols, const void* data) {
    if (count == 0) return;
    h5::silence_errors();
    const h5::Object fs = select_rows(ds, first, count, stride, cols);
    const hsize_t mdims[2] = {count, cols};
    const h5::Object ms = space(rank, mdims, ds);
    h5::check_status(H5Dwrite(ds.id(), mem_type, ms.id(), fs.id(), H5P_DEFAULT, data),
                     "cannot write rows " + std::to_string(first) + "+", ds.where());
}

void read_rows(const h5::Object& ds, hid_t mem_type, hsize_t first, hsize_t count, hsize_t stride,
               int rank, hsize_t cols, void* data) {
    if (count == 0) return;
    const h5::Object fs = select_rows(ds, first, count, stride, cols);
    const hsize_t mdims[2] = {count, cols};
    const h5::Object ms = space(rank, mdims, ds);
    h5::check_status(H5Dread(ds.id(), mem_type, ms.id(), fs.id(), H5P_DEFAULT, data),
                     "cannot read rows " + std::to_string(first) + "+", ds.where());
}

std::vector<hsize_t> dims_of(const h5::Object& ds) {
    const h5::Object sp(h5::check_id(H5Dget_space(ds.id()), "cannot get dataspace", ds.where()),
                        H5Sclose, ds.file(), ds.name());
    const int rank = H5Sget_simple_extent_ndims(sp.id());
    std::vector<hsize_t> d(static_cast<std::size_t>(std::max(rank, 0)));
    if (rank > 0) H5Sget_simple_extent_dims(sp.id(), d.data(), nullptr);
    return d;
}

void int8_array_attribute(const h5::Object& obj, const std::string& name,
                          const std::vector<std::int8_t>& values) {
    const hsize_t n = values.size();
    const h5::Object sp = space(1, &n, obj);
    const h5::Object a(h5::check_id(H5Acreate2(obj.id(), name.c_str(), H5T_STD_I8LE, sp.id(),
                                               H5P_DEFAULT, H5P_DEFAULT),
                                    "cannot write attribute " + in_quotes(name), obj.where()),
                       H5Aclose, obj.file(), obj.name());
    h5::check_status(H5Awrite(a.id(), H5T_NATIVE_INT8, values.data()),
                     "cannot write attribute " + in_quotes(name), obj.where());
}

// HDF5 takes an exclusive flock on a file it writes and a shared one on a file it reads, and
// keeps it while the file is open. Trying the same lock first turns "another process has the
// file" into a clear InputError, never mistaken for a damaged file (which a resume replaces).
void refuse_if_in_use(const fs::path& path, bool for_writing) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return;  // missing or unreadable: the HDF5 open that follows says so
    const int rc = ::flock(fd, (for_writing ? LOCK_EX : LOCK_SH) | LOCK_NB);
    const int err = errno;
    ::close(fd);  // releases the lock
    if (rc != 0 && err == EWOULDBLOCK)
        throw InputError(
            in_quotes(path.string()) + " is in use by another process" +
            (for_writing ? " (a sweep still running, or a reader)" : " (a sweep still running)") +
            "; wait for it to finish, or stop it, and try again");
}

h5::Object open_rw(const fs::path& path) {
    h5::silence_errors();
    const h5::Object owner(-1, nullptr, path.string(), "/");
    const h5::Object fapl = plist(H5P_FILE_ACCESS, owner);
    // No sieve buffer: each row goes to the file as one write of exactly its bytes, instead of
    // a 64 KiB read-modify-write that would rewrite neighbouring rows too.
    h5::check_status(H5Pset_sieve_buf_size(fapl.id(), 0), "cannot set sieve buffer", owner.where());
    h5::check_status(H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG), "cannot set close degree",
                     owner.where());
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.id());
    if (id < 0) {
        const std::string reason = h5::last_error();
        throw RunError("cannot open " + in_quotes(path.string()) +
                       " for writing: it is damaged, not an HDF5 file, or in use by another "
                       "process (HDF5: " +
                       reason + ")");
    }
    return h5::Object(id, H5Fclose, path.string(), "/");
}

std::string kind_name(OutputKind k) {
    return k == OutputKind::stock ? "stock" : "flow";
}

std::string shape_text(const std::vector<hsize_t>& dims) {
    std::string s = "(";
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + ")";
}

// Everything create() promises, checked before a file is read, resumed or merged: a file that
// lacks a dataset, or has one of another shape or type, was damaged or altered, and reading it
// would give wrong results or none. The message names the first thing missing.
void check_structure(const h5::Object& f, const SweepFileInfo& info) {
    const std::string shown = in_quotes(f.file());
    const auto altered = [&](const std::string& what) {
        throw RunError(shown + " is incomplete or altered: " + what +
                       "; it is not a sweep file as 'sesim sweep' writes it");
    };
    if (info.shard_count < 1 || info.shard_index < 0 || info.shard_index >= info.shard_count ||
        info.total_runs < 0)
        altered("its shard_index, shard_count or total_runs attribute is out of range");
    const std::int64_t expected_rows =
        info.total_runs <= info.shard_index
            ? 0
            : (info.total_runs - info.shard_index + info.shard_count - 1) / info.shard_count;
    const auto dataset = [&](const std::string& name, std::size_t rank,
                             H5T_class_t cls) -> std::vector<hsize_t> {
        if (!h5::has_link(f, name)) altered("dataset '/" + name + "' is missing");
        const h5::Object ds = h5::open_dataset(f, name);
        std::vector<hsize_t> d = dims_of(ds);
        if (d.size() != rank)
            altered("dataset '/" + name + "' has " + std::to_string(d.size()) +
                    " dimensions, not " + std::to_string(rank));
        const h5::Object type(
            h5::check_id(H5Dget_type(ds.id()), "cannot read the type of", ds.where()), H5Tclose,
            ds.file(), ds.name());
        if (H5Tget_class(type.id()) != cls)
            altered("dataset '/" + name + "' has another type than 'sesim sweep' writes");
        if (rank >= 1 && name != "parameter" && name != "parameter_units" && name != "time" &&
            d[0] != static_cast<hsize_t>(expected_rows))
            altered("dataset '/" + name + "' has " + std::to_string(d[0]) + " rows, not the " +
                    std::to_string(expected_rows) + " runs of shard " +
                    std::to_string(info.shard_index) + "/" + std::to_string(info.shard_count));
        return d;
    };
    const hsize_t k = dataset("parameter", 1, H5T_STRING)[0];
    const hsize_t t = dataset("time", 1, H5T_FLOAT)[0];
    if (dataset("parameter_units", 1, H5T_STRING)[0] != k)
        altered("'/parameter_units' does not have one unit per parameter");
    for (const char* name : {"run", "point", "replicate", "seed", "status"})
        dataset(name, 1, H5T_INTEGER);
    if (const auto d = dataset("design", 2, H5T_FLOAT); d[1] != k)
        altered("'/design' has " + std::to_string(d[1]) + " columns for " + std::to_string(k) +
                " parameters");
    if (h5::has_attribute(f, "design") && h5::read_string_attribute(f, "design") == "sobol") {
        dataset("saltelli_sample", 1, H5T_INTEGER);
        dataset("saltelli_matrix", 1, H5T_INTEGER);
    }
    if (!h5::has_attribute(f, "outputs")) altered("root attribute 'outputs' is missing");
    const std::string list = h5::read_string_attribute(f, "outputs");
    std::size_t start = 0;
    while (start <= list.size()) {
        auto comma = list.find(", ", start);
        if (comma == std::string::npos) comma = list.size();
        const std::string name = list.substr(start, comma - start);
        start = comma + 2;
        const bool known = std::any_of(kOutputDefs.begin(), kOutputDefs.end(),
                                       [&](const OutputDef& d) { return d.name == name; });
        if (!known)
            altered("its 'outputs' attribute names " + short_text(name) +
                    ", which is not an output of this sesim");
        const std::vector<hsize_t> d = dataset(name, 2, H5T_FLOAT);
        if (d[1] != t)
            altered("output '/" + name + "' has shape " + shape_text(d) + ", not one column per " +
                    "month of '/time' (" + std::to_string(t) + ")");
        const h5::Object ds = h5::open_dataset(f, name);
        for (const char* attr : {"units", "long_name", "sesim_kind"})
            if (!h5::has_attribute(ds, attr))
                altered("output '/" + name + "' has no attribute '" + attr + "'");
    }
}

SweepFileInfo info_of(const h5::Object& f) {
    SweepFileInfo info;
    if (!h5::has_attribute(f, "sweep_definition"))
        throw RunError(in_quotes(f.file()) + " is not a sesim sweep file (no sweep definition)");
    for (const char* attr :
         {"sweep_hash", "sweep_name", "shard_index", "shard_count", "total_runs"})
        if (!h5::has_attribute(f, attr))
            throw RunError(in_quotes(f.file()) + " is incomplete or altered: root attribute '" +
                           attr + "' is missing");
    info.definition = h5::read_string_attribute(f, "sweep_definition");
    info.hash = h5::read_string_attribute(f, "sweep_hash");
    info.name = h5::read_string_attribute(f, "sweep_name");
    const auto whole = [&](const char* name, double lo, double hi) {
        const double v = h5::read_number_attribute(f, name);
        if (!(v >= lo && v <= hi) || v != std::floor(v))
            throw RunError(in_quotes(f.file()) + " is incomplete or altered: root attribute '" +
                           name + "' is not a whole number from " + std::to_string(lo) + " to " +
                           std::to_string(hi));
        return v;
    };
    info.shard_index = static_cast<int>(whole("shard_index", 0, 1e9));
    info.shard_count = static_cast<int>(whole("shard_count", 1, 1e9));
    info.total_runs = static_cast<std::int64_t>(whole("total_runs", 0, 9.0e15));
    check_structure(f, info);
    const h5::Object st = h5::open_dataset(f, "status");
    info.rows = static_cast<std::int64_t>(dims_of(st)[0]);
    return info;
}

void count_status(SweepFileInfo& info, const std::vector<std::uint8_t>& status) {
    info.pending = info.done = info.failed = 0;
    for (const std::uint8_t s : status) {
        if (s == static_cast<std::uint8_t>(RunStatus::done))
            ++info.done;
        else if (s == static_cast<std::uint8_t>(RunStatus::failed))
            ++info.failed;
        else
            ++info.pending;
    }
}

std::vector<std::uint8_t> read_status(const h5::Object& f, std::int64_t rows) {
    std::vector<std::uint8_t> status(static_cast<std::size_t>(rows));
    const h5::Object st = h5::open_dataset(f, "status");
    if (rows > 0)
        h5::check_status(
            H5Dread(st.id(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, status.data()),
            "cannot read", st.where());
    return status;
}

}  // namespace

std::int64_t SweepLayout::rows() const {
    return total_runs <= shard_index ? 0
                                     : (total_runs - shard_index + shard_count - 1) / shard_count;
}

SweepFileInfo read_sweep_info(const fs::path& path) {
    try {
        check_regular_input(path, "sweep file");
    } catch (const InputError& e) {
        throw RunError(e.what());
    }
    refuse_if_in_use(path, false);
    const h5::Object f = h5::open_file(path);
    SweepFileInfo info = info_of(f);
    count_status(info, read_status(f, info.rows));
    return info;
}

std::string read_sweep_attribute(const fs::path& path, const std::string& name) {
    const h5::Object f = h5::open_file(path);
    return h5::has_attribute(f, name) ? h5::read_string_attribute(f, name) : std::string();
}

// ---- Creation ----------------------------------------------------------------------------------

void SweepFile::create(const fs::path& path, const SweepLayout& layout, const SweepRowFn& rows) {
    // `<path>.new-<pid>`: one left by a process killed while creating is found and removed by
    // the next writer of the output (remove_stale_temporaries).
    const fs::path tmp = temporary_path(path, "new");
    std::error_code ec;
    try {
        h5::Object file = h5::create_file(tmp);
        h5::write_attribute(file, "title", "sesim parameter sweep");
        h5::write_attribute(file, "Conventions", "CF-1.8");
        for (const auto& [k, v] : layout.text_attributes) h5::write_attribute(file, k, v);
        if (layout.provenance) write_provenance(file, *layout.provenance, ProvenanceOf::sweep);
        for (const auto& [k, v] : layout.text_after_provenance) h5::write_attribute(file, k, v);
        for (const auto& [k, v] : layout.number_attributes) h5::write_attribute(file, k, v);
        h5::write_attribute(file, "sweep_name", layout.name);
        h5::write_attribute(file, "sweep_hash", layout.hash);
        h5::write_attribute(file, "sweep_definition", layout.definition);
        h5::write_attribute(file, "total_runs", static_cast<std::int64_t>(layout.total_runs));
        h5::write_attribute(file, "shard_index", static_cast<std::int32_t>(layout.shard_index));
        h5::write_attribute(file, "shard_count", static_cast<std::int32_t>(layout.shard_count));
        std::string output_list;
        for (int o : layout.outputs)
            output_list += (output_list.empty() ? "" : ", ") +
                           std::string(kOutputDefs[static_cast<std::size_t>(o)].name);
        h5::write_attribute(file, "outputs", output_list);
        if (layout.paired) {
            std::string baseline_list;
            for (int o : layout.outputs)
                baseline_list +=
                    (baseline_list.empty() ? "" : ", ") +
                    baseline_dataset(std::string(kOutputDefs[static_cast<std::size_t>(o)].name));
            h5::write_attribute(file, "baseline_outputs", baseline_list);
        }

        const hsize_t n = static_cast<hsize_t>(layout.rows());
        const hsize_t k = layout.parameter_names.size();
        const hsize_t t = layout.months.size();
        const double nan = std::numeric_limits<double>::quiet_NaN();

        // Scales first, in dimension order: netCDF lists dimensions in creation order.
        h5::Object run = create_array(file, "run", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &n, nullptr);
        make_scale(run, "run");
        h5::write_attribute(run, "long_name", "run number in the whole sweep");
        h5::Object param = create_strings(file, "parameter", layout.parameter_names);
        make_scale(param, "parameter");
        h5::write_attribute(param, "long_name", "varied parameter (see `sesim params`)");
        std::vector<double> days;
        for (int m : layout.months) days.push_back(cf_days_since_2019(m));
        h5::Object time =
            create_array(file, "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &t, nullptr);
        if (t > 0)
            h5::check_status(
                H5Dwrite(time.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, days.data()),
                "cannot write", time.where());
        make_scale(time, "time");
        h5::write_attribute(time, "units", kTimeUnits);
        h5::write_attribute(time, "calendar", "proleptic_gregorian");
        h5::write_attribute(time, "standard_name", "time");
        h5::write_attribute(time, "long_name", "start of month");
        h5::write_attribute(time, "axis", "T");

        h5::Object units = create_strings(file, "parameter_units", layout.parameter_units);
        attach(units, param, 0);
        h5::write_attribute(units, "long_name", "unit of each varied parameter");

        const hsize_t dd[2] = {n, k};
        h5::Object design =
            create_array(file, "design", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dd, &nan);
        attach(design, run, 0);
        attach(design, param, 1);
        h5::write_attribute(design, "long_name", "value of each varied parameter in each run");
        h5::write_attribute(design, "comment",
                            "in the units of parameter_units; months as months since 2019-01");

        const std::int64_t minus1 = -1;
        h5::Object point =
            create_array(file, "point", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &n, &minus1);
        attach(point, run, 0);
        h5::write_attribute(point, "long_name",
                            "design point (runs of a point differ only in replicate)");
        h5::Object rep =
            create_array(file, "replicate", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, nullptr);
        attach(rep, run, 0);
        h5::write_attribute(rep, "long_name", "replicate: random stream of the run");
        h5::Object seed =
            create_array(file, "seed", H5T_STD_U32LE, H5T_NATIVE_UINT32, 1, &n, nullptr);
        attach(seed, run, 0);
        h5::write_attribute(seed, "long_name", "random seed of the run");
        const std::uint8_t pending = 0;
        h5::Object status =
            create_array(file, "status", H5T_STD_I8LE, H5T_NATIVE_UINT8, 1, &n, &pending);
        attach(status, run, 0);
        h5::write_attribute(status, "long_name", "run status");
        int8_array_attribute(status, "flag_values", {0, 1, 2});
        h5::write_attribute(status, "flag_meanings", "pending done failed");
        h5::Object sample;
        h5::Object matrix;
        if (layout.saltelli) {
            sample = create_array(file, "saltelli_sample", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &n,
                                  nullptr);
            attach(sample, run, 0);
            h5::write_attribute(sample, "long_name", "Saltelli base sample of the run's point");
            matrix = create_array(file, "saltelli_matrix", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n,
                                  nullptr);
            attach(matrix, run, 0);
            h5::write_attribute(matrix, "long_name",
                                "Saltelli matrix of the run's point: 0 A, i AB_i (A with "
                                "column i from B), k+1 B");
        }
        h5::Object traj, factor, step;
        if (layout.morris) {
            traj = create_array(file, "morris_trajectory", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n,
                                nullptr);
            attach(traj, run, 0);
            h5::write_attribute(traj, "long_name", "Morris trajectory of the run's point");
            factor = create_array(file, "morris_factor", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n,
                                  nullptr);
            attach(factor, run, 0);
            h5::write_attribute(factor, "long_name",
                                "parameter (0-based, as in `parameter`) changed from the previous "
                                "point of the trajectory; -1 at its first point");
            step = create_array(file, "morris_step", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n,
                                nullptr);
            attach(step, run, 0);
            h5::write_attribute(step, "long_name",
                                "signed change of that parameter as a fraction of its range "
                                "(+-Delta); 0 at a trajectory's first point");
        }

        const hsize_t od[2] = {n, t};
        for (int variant = 0; variant < (layout.paired ? 2 : 1); ++variant)
            for (int o : layout.outputs) {
                const OutputDef& def = kOutputDefs[static_cast<std::size_t>(o)];
                const std::string name =
                    variant == 0 ? std::string(def.name) : baseline_dataset(std::string(def.name));
                h5::Object ds =
                    create_array(file, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, od, &nan);
                attach(ds, run, 0);
                attach(ds, time, 1);
                // netCDF does not report HDF5's fill property; CF readers learn NaN from this.
                h5::write_attribute(ds, "_FillValue", nan);
                h5::write_attribute(ds, "units", std::string(def.units));
                h5::write_attribute(ds, "long_name",
                                    std::string(def.long_name) +
                                        (variant == 0 ? "" : " (baseline, same random numbers)"));
                h5::write_attribute(ds, "sesim_kind", kind_name(def.kind));
            }

        // Static per-run datasets, a block of rows at a time.
        std::vector<std::int64_t> b_run, b_point, b_sample;
        std::vector<std::int32_t> b_rep, b_matrix, b_traj, b_factor;
        std::vector<std::uint32_t> b_seed;
        std::vector<double> b_design, b_step;
        SweepRow row;
        for (std::int64_t first = 0; first < static_cast<std::int64_t>(n); first += kBlock) {
            const std::int64_t count =
                std::min<std::int64_t>(kBlock, static_cast<std::int64_t>(n) - first);
            b_run.clear(), b_point.clear(), b_sample.clear(), b_rep.clear(), b_matrix.clear();
            b_seed.clear(), b_design.clear(), b_traj.clear(), b_factor.clear(), b_step.clear();
            for (std::int64_t r = first; r < first + count; ++r) {
                rows(r, row);
                if (row.design.size() != k)
                    throw std::logic_error("SweepFile::create: design row of wrong length");
                b_run.push_back(row.run);
                b_point.push_back(row.point);
                b_rep.push_back(row.replicate);
                b_seed.push_back(row.seed);
                b_sample.push_back(row.saltelli_sample);
                b_matrix.push_back(row.saltelli_matrix);
                b_traj.push_back(row.morris_trajectory);
                b_factor.push_back(row.morris_factor);
                b_step.push_back(row.morris_step);
                b_design.insert(b_design.end(), row.design.begin(), row.design.end());
            }
            const auto f = static_cast<hsize_t>(first);
            const auto c = static_cast<hsize_t>(count);
            write_rows(run, H5T_NATIVE_INT64, f, c, 1, 1, 1, b_run.data());
            write_rows(point, H5T_NATIVE_INT64, f, c, 1, 1, 1, b_point.data());
            write_rows(rep, H5T_NATIVE_INT32, f, c, 1, 1, 1, b_rep.data());
            write_rows(seed, H5T_NATIVE_UINT32, f, c, 1, 1, 1, b_seed.data());
            if (k > 0) write_rows(design, H5T_NATIVE_DOUBLE, f, c, 1, 2, k, b_design.data());
            if (layout.saltelli) {
                write_rows(sample, H5T_NATIVE_INT64, f, c, 1, 1, 1, b_sample.data());
                write_rows(matrix, H5T_NATIVE_INT32, f, c, 1, 1, 1, b_matrix.data());
            }
            if (layout.morris) {
                write_rows(traj, H5T_NATIVE_INT32, f, c, 1, 1, 1, b_traj.data());
                write_rows(factor, H5T_NATIVE_INT32, f, c, 1, 1, 1, b_factor.data());
                write_rows(step, H5T_NATIVE_DOUBLE, f, c, 1, 1, 1, b_step.data());
            }
        }
        h5::check_status(H5Fflush(file.id(), H5F_SCOPE_GLOBAL), "cannot write", file.where());
        // Every handle closes before the file, which H5F_CLOSE_STRONG would do anyway.
        run.close(), param.close(), time.close(), units.close(), design.close(), point.close();
        rep.close(), seed.close(), status.close();
        if (sample) sample.close();
        if (matrix) matrix.close();
        if (traj) traj.close(), factor.close(), step.close();
        file.close();
        commit_file(tmp, path);
    } catch (...) {
        fs::remove(tmp, ec);
        throw;
    }
}

// ---- Writing results ---------------------------------------------------------------------------

SweepFile::SweepFile(const fs::path& path) : path_(path) {
    refuse_if_in_use(path, true);
    h5::Object file = open_rw(path);
    info_ = info_of(file);
    status_ = read_status(file, info_.rows);
    count_status(info_, status_);
    // The kept outputs, in the order of the root attribute `outputs`, then (paired sweeps)
    // their baselines, in the order of `baseline_outputs`.
    std::string list = h5::read_string_attribute(file, "outputs");
    if (h5::has_attribute(file, "baseline_outputs"))
        list += ", " + h5::read_string_attribute(file, "baseline_outputs");
    const h5::Object time = h5::open_dataset(file, "time");
    months_ = static_cast<std::size_t>(dims_of(time).at(0));
    const h5::Object param = h5::open_dataset(file, "parameter");
    parameters_ = static_cast<int>(dims_of(param).at(0));
    std::vector<h5::Object> outs;
    std::size_t start = 0;
    while (start <= list.size()) {
        auto comma = list.find(", ", start);
        if (comma == std::string::npos) comma = list.size();
        const std::string name = list.substr(start, comma - start);
        h5::Object ds = h5::open_dataset(file, name);
        const std::vector<hsize_t> d = dims_of(ds);
        if (d.size() != 2 || d[0] != static_cast<hsize_t>(info_.rows) || d[1] != months_)
            throw RunError(in_quotes(path.string()) + ": output " + in_quotes(name) +
                           " does not have one row per run and one column per month");
        outs.push_back(std::move(ds));
        output_names_.push_back(name);
        start = comma + 2;
    }
    h5::Object st = h5::open_dataset(file, "status");
    for (h5::Object& o : outs) outputs_.push_back(o.release());
    status_ds_ = st.release();
    file_ = file.release();
}

SweepFile::~SweepFile() {
    try {
        close_ids(false);  // reports nothing; an allocation failure must not escape either
    } catch (...) {
    }
}

void SweepFile::close_ids(bool report) {
    std::string first_error;
    auto close_one = [&](std::int64_t& id, herr_t (*closer)(hid_t)) {
        if (id < 0) return;
        const herr_t s = closer(static_cast<hid_t>(id));
        id = -1;
        if (s < 0 && report && first_error.empty())
            first_error =
                "cannot finish writing " + in_quotes(path_.string()) + ": " + h5::last_reason();
    };
    for (std::int64_t& id : outputs_) close_one(id, H5Dclose);
    outputs_.clear();
    close_one(status_ds_, H5Dclose);
    close_one(file_, H5Fclose);
    if (!first_error.empty()) throw RunError(first_error);
}

void SweepFile::write_result(std::int64_t row, RunStatus status, const double* values) {
    if (file_ < 0) throw std::logic_error("SweepFile::write_result: the file is closed");
    if (row < 0 || row >= info_.rows)
        throw std::out_of_range("SweepFile::write_result: no row " + std::to_string(row));
    if (status == RunStatus::done)
        for (std::size_t o = 0; o < outputs_.size(); ++o) {
            const h5::Object view(outputs_[o], nullptr, path_.string(), "/" + output_names_[o]);
            write_rows(view, H5T_NATIVE_DOUBLE, static_cast<hsize_t>(row), 1, 1, 2, months_,
                       values + o * months_);
        }
    status_[static_cast<std::size_t>(row)] = static_cast<std::uint8_t>(status);
    unsynced_.push_back(row);
}

void SweepFile::sync() {
    h5::check_status(H5Fflush(static_cast<hid_t>(file_), H5F_SCOPE_GLOBAL),
                     "cannot write results to disk", "file " + in_quotes(path_.string()));
    fsync_path(path_, false);
}

std::int64_t SweepFile::checkpoint() {
    if (file_ < 0 || unsynced_.empty()) return 0;
    // 1. The data of every run written since the last checkpoint reaches the disk...
    sync();
    // 2. ...before any of their statuses is written, in runs of consecutive rows.
    std::sort(unsynced_.begin(), unsynced_.end());
    const h5::Object view(status_ds_, nullptr, path_.string(), "/status");
    std::size_t i = 0;
    while (i < unsynced_.size()) {
        std::size_t j = i + 1;
        while (j < unsynced_.size() && unsynced_[j] == unsynced_[j - 1] + 1) ++j;
        const auto first = static_cast<std::size_t>(unsynced_[i]);
        write_rows(view, H5T_NATIVE_UINT8, first, j - i, 1, 1, 1, status_.data() + first);
        i = j;
    }
    sync();
    const auto n = static_cast<std::int64_t>(unsynced_.size());
    unsynced_.clear();
    count_status(info_, status_);
    return n;
}

void SweepFile::close() {
    if (file_ < 0) return;
    checkpoint();
    close_ids(true);
    fsync_path(path_, false);
}

void SweepFile::copy_shard(const fs::path& shard, int shard_index, int shard_count) {
    const h5::Object src = h5::open_file(shard);
    const SweepFileInfo si = info_of(src);
    const auto stride = static_cast<hsize_t>(shard_count);
    const auto offset = static_cast<hsize_t>(shard_index);
    const auto rows = static_cast<std::int64_t>(si.rows);
    const h5::Object src_run = h5::open_dataset(src, "run");
    const h5::Object src_design = h5::open_dataset(src, "design");
    const h5::Object src_status = h5::open_dataset(src, "status");
    const h5::Object dst_file(file_, nullptr, path_.string(), "/");
    const h5::Object dst_design = h5::open_dataset(dst_file, "design");
    const h5::Object dst_status(status_ds_, nullptr, path_.string(), "/status");
    const auto k = static_cast<hsize_t>(parameters_);
    if (dims_of(src_design) != std::vector<hsize_t>{static_cast<hsize_t>(rows), k})
        throw RunError(in_quotes(shard.string()) + ": its design matrix does not have " +
                       std::to_string(k) + " parameters");

    std::vector<std::int64_t> runs;
    std::vector<double> a, b;
    std::vector<std::uint8_t> st;
    for (std::int64_t first = 0; first < rows; first += kBlock) {
        const auto count = static_cast<hsize_t>(std::min<std::int64_t>(kBlock, rows - first));
        const auto f = static_cast<hsize_t>(first);
        const hsize_t dst_first = offset + f * stride;
        runs.resize(count);
        read_rows(src_run, H5T_NATIVE_INT64, f, count, 1, 1, 1, runs.data());
        for (hsize_t r = 0; r < count; ++r)
            if (runs[r] != static_cast<std::int64_t>(dst_first + r * stride))
                throw RunError(in_quotes(shard.string()) + ": row " + std::to_string(f + r) +
                               " holds run " + std::to_string(runs[r]) + ", not run " +
                               std::to_string(dst_first + r * stride) + " of shard " +
                               std::to_string(shard_index) + "/" + std::to_string(shard_count));
        if (k > 0) {
            a.resize(count * k), b.resize(count * k);
            read_rows(src_design, H5T_NATIVE_DOUBLE, f, count, 1, 2, k, a.data());
            read_rows(dst_design, H5T_NATIVE_DOUBLE, dst_first, count, stride, 2, k, b.data());
            if (std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) != 0)
                throw RunError(in_quotes(shard.string()) +
                               ": its design values differ from the sweep's definition in rows " +
                               std::to_string(f) + "+; it was not made by this sweep");
        }
        st.resize(count);
        read_rows(src_status, H5T_NATIVE_UINT8, f, count, 1, 1, 1, st.data());
        write_rows(dst_status, H5T_NATIVE_UINT8, dst_first, count, stride, 1, 1, st.data());
        for (hsize_t r = 0; r < count; ++r) status_[dst_first + r * stride] = st[r];
        for (std::size_t o = 0; o < outputs_.size(); ++o) {
            const h5::Object dst(outputs_[o], nullptr, path_.string(), "/" + output_names_[o]);
            const h5::Object so = h5::open_dataset(src, output_names_[o]);
            a.resize(count * months_);
            read_rows(so, H5T_NATIVE_DOUBLE, f, count, 1, 2, months_, a.data());
            write_rows(dst, H5T_NATIVE_DOUBLE, dst_first, count, stride, 2, months_, a.data());
        }
    }
    count_status(info_, status_);
}

// ---- Reading for analysis ----------------------------------------------------------------------

SweepReader::SweepReader(const fs::path& path) : path_(path) {
    refuse_if_in_use(path, false);
    h5::Object f = h5::open_file(path);
    info_ = info_of(f);
    status_ = read_status(f, info_.rows);
    count_status(info_, status_);
    file_ = f.release();
}

SweepReader::~SweepReader() {
    if (file_ >= 0) H5Fclose(static_cast<hid_t>(file_));
}

bool SweepReader::has(const std::string& name) const {
    return h5::has_link(h5::Object(file_, nullptr, path_.string(), "/"), name);
}

std::string SweepReader::text(const std::string& attribute) const {
    const h5::Object f(file_, nullptr, path_.string(), "/");
    return h5::has_attribute(f, attribute) ? h5::read_string_attribute(f, attribute)
                                           : std::string();
}

std::vector<std::string> SweepReader::strings(const std::string& dataset) const {
    const h5::Object f(file_, nullptr, path_.string(), "/");
    const h5::Object ds = h5::open_dataset(f, dataset);
    const std::vector<hsize_t> d = dims_of(ds);
    if (d.size() != 1) throw RunError(ds.where() + " is not a list of names");
    const h5::Object type = vlen_string_type(ds);
    std::vector<char*> ptrs(d[0], nullptr);
    if (d[0] > 0)
        h5::check_status(H5Dread(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()),
                         "cannot read", ds.where());
    std::vector<std::string> out;
    for (char* p : ptrs) {
        out.emplace_back(p ? p : "");
        H5free_memory(p);
    }
    return out;
}

std::vector<std::int64_t> SweepReader::integers(const std::string& dataset) const {
    const h5::Object f(file_, nullptr, path_.string(), "/");
    const h5::Object ds = h5::open_dataset(f, dataset);
    if (dims_of(ds) != std::vector<hsize_t>{static_cast<hsize_t>(info_.rows)})
        throw RunError(ds.where() + " does not have one value per run");
    std::vector<std::int64_t> out(static_cast<std::size_t>(info_.rows));
    if (!out.empty())
        h5::check_status(
            H5Dread(ds.id(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
            "cannot read", ds.where());
    return out;
}

std::vector<double> SweepReader::numbers(const std::string& dataset) const {
    const h5::Object f(file_, nullptr, path_.string(), "/");
    const h5::Object ds = h5::open_dataset(f, dataset);
    if (dims_of(ds) != std::vector<hsize_t>{static_cast<hsize_t>(info_.rows)})
        throw RunError(ds.where() + " does not have one value per run");
    std::vector<double> out(static_cast<std::size_t>(info_.rows));
    if (!out.empty())
        h5::check_status(
            H5Dread(ds.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
            "cannot read", ds.where());
    return out;
}

std::vector<double> SweepReader::column(const std::string& dataset, std::size_t col) const {
    const h5::Object f(file_, nullptr, path_.string(), "/");
    const h5::Object ds = h5::open_dataset(f, dataset);
    const std::vector<hsize_t> d = dims_of(ds);
    if (d.size() != 2 || d[0] != static_cast<hsize_t>(info_.rows) || col >= d[1])
        throw RunError(ds.where() + " does not have one row per run and column " +
                       std::to_string(col));
    const auto rows = static_cast<hsize_t>(info_.rows);
    std::vector<double> out(rows);
    if (rows == 0) return out;
    const h5::Object fs(h5::check_id(H5Dget_space(ds.id()), "cannot get dataspace", ds.where()),
                        H5Sclose, ds.file(), ds.name());
    const hsize_t start[2] = {0, col};
    const hsize_t count[2] = {rows, 1};
    h5::check_status(H5Sselect_hyperslab(fs.id(), H5S_SELECT_SET, start, nullptr, count, nullptr),
                     "cannot select a column", ds.where());
    const h5::Object ms = space(1, &rows, ds);
    h5::check_status(H5Dread(ds.id(), H5T_NATIVE_DOUBLE, ms.id(), fs.id(), H5P_DEFAULT, out.data()),
                     "cannot read", ds.where());
    return out;
}

std::vector<int> SweepReader::months() const {
    const h5::Object f(file_, nullptr, path_.string(), "/");
    const h5::Object ds = h5::open_dataset(f, "time");
    const std::vector<hsize_t> d = dims_of(ds);
    if (d.size() != 1) throw RunError(ds.where() + " is not a time axis");
    std::vector<double> days(d[0]);
    if (!days.empty())
        h5::check_status(
            H5Dread(ds.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, days.data()),
            "cannot read", ds.where());
    // CF days since 2019-01-01 of the first of each month, within the parameter table's
    // range of start months and lengths (1990-01 to 2200-12).
    std::vector<int> out;
    for (const double day : days) {
        int found = -1;
        for (int m = month_index(1990, 1); m <= month_index(2200, 12) && found < 0; ++m)
            if (cf_days_since_2019(m) == day) found = m;
        if (found < 0)
            throw RunError(ds.where() + " holds " + std::to_string(day) +
                           ", not the first day of a month");
        out.push_back(found);
    }
    return out;
}

void commit_sweep_file(const fs::path& partial, const fs::path& path) {
    commit_file(partial, path);
}

}  // namespace sesim
