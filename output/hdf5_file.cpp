#include "output/hdf5_file.hpp"

#include <H5DSpublic.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "model/errors.hpp"
#include "output/input_file.hpp"
#include "output/safe_write.hpp"

namespace sesim::h5 {

namespace {

constexpr unsigned kCreationOrder = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

std::string in_quotes(const std::string& s) {
    return "'" + s + "'";
}

herr_t innermost_error(unsigned n, const H5E_error2_t* err, void* data) {
    if (n == 0 && err->desc != nullptr) *static_cast<std::string*>(data) = err->desc;
    return 0;
}

// The errno HDF5's file drivers put in their messages ("..., errno = 28, error message = ..."),
// or 0.
int errno_in(const std::string& desc) {
    const std::string key = "errno = ";
    const auto at = desc.find(key);
    if (at == std::string::npos) return 0;
    int value = 0;
    for (std::size_t i = at + key.size(); i < desc.size() && desc[i] >= '0' && desc[i] <= '9'; ++i)
        if (value < 100000) value = value * 10 + (desc[i] - '0');
    return value;
}

herr_t errno_of_stack(unsigned, const H5E_error2_t* err, void* data) {
    int& found = *static_cast<int*>(data);
    if (found == 0 && err->desc != nullptr) found = errno_in(err->desc);
    return 0;
}

// Property lists are only needed while creating an object.
Object property_list(hid_t cls, const Object& owner) {
    return Object(check_id(H5Pcreate(cls), "cannot create an HDF5 property list", owner.where()),
                  H5Pclose, owner.file(), owner.name());
}

Object scalar_or_null_space(bool null, const Object& owner) {
    return Object(check_id(H5Screate(null ? H5S_NULL : H5S_SCALAR),
                           "cannot create an HDF5 dataspace", owner.where()),
                  H5Sclose, owner.file(), owner.name());
}

Object simple_space(int rank, const hsize_t* dims, const Object& owner) {
    return Object(check_id(H5Screate_simple(rank, dims, nullptr), "cannot create an HDF5 dataspace",
                           owner.where()),
                  H5Sclose, owner.file(), owner.name());
}

// Attribute creation order on datasets as on groups, as netCDF-4 writes them, so netCDF
// lists attributes in the order they were written rather than by name.
Object dataset_plist(const Object& owner) {
    Object dcpl = property_list(H5P_DATASET_CREATE, owner);
    check_status(H5Pset_attr_creation_order(dcpl.id(), kCreationOrder),
                 "cannot set attribute creation order", owner.where());
    return dcpl;
}

void remove_existing_attribute(const Object& obj, const std::string& name) {
    const htri_t exists = H5Aexists(obj.id(), name.c_str());
    check_status(exists < 0 ? -1 : 0, "cannot look up attribute " + in_quotes(name), obj.where());
    if (exists > 0)
        check_status(H5Adelete(obj.id(), name.c_str()),
                     "cannot replace attribute " + in_quotes(name), obj.where());
}

void write_scalar(const Object& obj, const std::string& name, hid_t file_type, hid_t mem_type,
                  const void* value) {
    remove_existing_attribute(obj, name);
    const Object space = scalar_or_null_space(false, obj);
    const std::string what = "cannot write attribute " + in_quotes(name);
    const Object attr(check_id(H5Acreate2(obj.id(), name.c_str(), file_type, space.id(),
                                          H5P_DEFAULT, H5P_DEFAULT),
                               what, obj.where()),
                      H5Aclose, obj.file(), obj.name());
    check_status(H5Awrite(attr.id(), mem_type, value), what, obj.where());
}

Object open_attribute(const Object& obj, const std::string& name) {
    if (!has_attribute(obj, name))
        throw RunError("attribute " + in_quotes(name) + " is missing (" + obj.where() + ")");
    return Object(check_id(H5Aopen(obj.id(), name.c_str(), H5P_DEFAULT),
                           "cannot open attribute " + in_quotes(name), obj.where()),
                  H5Aclose, obj.file(), obj.name());
}

template <typename T>
Object create_scale_impl(const Object& group, const std::string& name, hid_t file_type,
                         hid_t mem_type, const std::vector<T>& values) {
    const std::string path = group.child(name);
    const Object dcpl = dataset_plist(group);
    const hsize_t n = values.size();
    const Object space = simple_space(1, &n, group);
    Object ds(check_id(H5Dcreate2(group.id(), name.c_str(), file_type, space.id(), H5P_DEFAULT,
                                  dcpl.id(), H5P_DEFAULT),
                       "cannot create coordinate", group.where() + ", dataset " + in_quotes(path)),
              H5Dclose, group.file(), path);
    if (n > 0)
        check_status(H5Dwrite(ds.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                     "cannot write coordinate", ds.where());
    check_status(H5DSset_scale(ds.id(), name.c_str()), "cannot make a dimension scale of",
                 ds.where());
    return ds;
}

bool is_numeric(hid_t type) {
    const H5T_class_t cls = H5Tget_class(type);
    return cls == H5T_INTEGER || cls == H5T_FLOAT;
}

}  // namespace

void silence_errors() {
    // Debian's HDF5 is built thread-safe, where each thread has its own error stack and its
    // own automatic printing: each thread that calls HDF5 turns it off for itself.
    thread_local bool silenced = false;
    if (!silenced) {
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        silenced = true;
    }
}

void prepare_library() {
    H5dont_atexit();
    silence_errors();
}

// ---- Object ------------------------------------------------------------------------------------

Object::Object(hid_t id, Closer closer, std::string file, std::string name)
    : id_(id), closer_(closer), file_(std::move(file)), name_(std::move(name)) {}

Object::Object(Object&& other) noexcept
    : id_(std::exchange(other.id_, -1)),
      closer_(other.closer_),
      file_(std::move(other.file_)),
      name_(std::move(other.name_)) {}

Object& Object::operator=(Object&& other) noexcept {
    if (this != &other) {
        reset();
        id_ = std::exchange(other.id_, -1);
        closer_ = other.closer_;
        file_ = std::move(other.file_);
        name_ = std::move(other.name_);
    }
    return *this;
}

std::string Object::where() const {
    std::string w = "file " + in_quotes(file_);
    if (!name_.empty() && name_ != "/") w += ", object " + in_quotes(name_);
    return w;
}

std::string Object::child(const std::string& child_name) const {
    return (name_.empty() || name_ == "/" ? "/" : name_ + "/") + child_name;
}

void Object::close() {
    const hid_t id = release();
    if (id >= 0 && closer_ != nullptr) check_status(closer_(id), "cannot close", where());
}

void Object::reset() noexcept {
    const hid_t id = release();
    if (id >= 0 && closer_ != nullptr) closer_(id);
}

hid_t Object::release() noexcept {
    return std::exchange(id_, -1);
}

// ---- Errors ------------------------------------------------------------------------------------

std::string last_error() {
    std::string desc;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_error, &desc);
    return desc;
}

int last_errno() {
    int found = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, errno_of_stack, &found);
    return found;
}

std::string last_reason() {
    const int err = last_errno();
    std::string desc = last_error();
    // The driver's message goes on with times, descriptors and buffer addresses: its first
    // clause ("file write failed") is what a reader needs beside the cause.
    if (const auto colon = desc.find(':'); err != 0 && colon != std::string::npos)
        desc.resize(colon);
    if (err != 0) return write_error_cause(err) + (desc.empty() ? "" : " (HDF5: " + desc + ")");
    return desc.empty() ? "" : "HDF5: " + desc;
}

void fail(const std::string& what, const std::string& where) {
    const std::string reason = last_reason();
    throw RunError(what + " (" + where + ")" + (reason.empty() ? "" : ": " + reason));
}

hid_t check_id(hid_t id, const std::string& what, const std::string& where) {
    silence_errors();
    if (id < 0) fail(what, where);
    return id;
}

void check_status(herr_t status, const std::string& what, const std::string& where) {
    if (status < 0) fail(what, where);
}

// ---- Files and groups --------------------------------------------------------------------------

Object create_file(const std::filesystem::path& path) {
    silence_errors();
    const Object owner(-1, nullptr, path.string(), "/");
    const Object fcpl = property_list(H5P_FILE_CREATE, owner);
    check_status(H5Pset_link_creation_order(fcpl.id(), kCreationOrder),
                 "cannot set link creation order", owner.where());
    check_status(H5Pset_attr_creation_order(fcpl.id(), kCreationOrder),
                 "cannot set attribute creation order", owner.where());
    const Object fapl = property_list(H5P_FILE_ACCESS, owner);
    // As netCDF-4 itself writes: formats up to HDF5 1.8, so netCDF built on HDF5 1.8 reads it.
    check_status(H5Pset_libver_bounds(fapl.id(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18),
                 "cannot set file format bounds", owner.where());
    // Closing the file closes anything still open in it, so after commit() the bytes on disk
    // are complete even if an object handle was missed.
    check_status(H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG), "cannot set close degree",
                 owner.where());
    return Object(check_id(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id()),
                           "cannot create HDF5 file", owner.where()),
                  H5Fclose, path.string(), "/");
}

Object open_file(const std::filesystem::path& path) {
    silence_errors();
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status))
        throw RunError("no such file: " + in_quotes(path.string()));
    if (std::filesystem::is_directory(status))
        throw RunError(in_quotes(path.string()) + " is a folder, not an HDF5 result file");
    if (!std::filesystem::is_regular_file(status))
        throw RunError(in_quotes(path.string()) +
                       " is not a regular file (a device, pipe or socket); sesim reads HDF5 "
                       "files from regular files only");
#if H5_VERSION_GE(1, 12, 0)
    const htri_t is_hdf5 = H5Fis_accessible(path.c_str(), H5P_DEFAULT);
#else
    const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
#endif
    if (is_hdf5 <= 0)
        throw RunError(in_quotes(path.string()) +
                       " is not an HDF5 file, or is damaged (cannot read its header)");
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) {
        const std::string reason = last_error();
        throw RunError(in_quotes(path.string()) +
                       " is a damaged or truncated HDF5 file (an interrupted copy?) and cannot "
                       "be opened" +
                       (reason.empty() ? "" : " (HDF5: " + reason + ")"));
    }
    return Object(id, H5Fclose, path.string(), "/");
}

Object create_group(const Object& parent, const std::string& name) {
    const std::string path = parent.child(name);
    const Object gcpl = property_list(H5P_GROUP_CREATE, parent);
    check_status(H5Pset_link_creation_order(gcpl.id(), kCreationOrder),
                 "cannot set link creation order", parent.where());
    check_status(H5Pset_attr_creation_order(gcpl.id(), kCreationOrder),
                 "cannot set attribute creation order", parent.where());
    return Object(
        check_id(H5Gcreate2(parent.id(), name.c_str(), H5P_DEFAULT, gcpl.id(), H5P_DEFAULT),
                 "cannot create group " + in_quotes(path), parent.where()),
        H5Gclose, parent.file(), path);
}

Object open_group(const Object& parent, const std::string& name) {
    const std::string path = parent.child(name);
    return Object(check_id(H5Gopen2(parent.id(), name.c_str(), H5P_DEFAULT),
                           "cannot open group " + in_quotes(path), parent.where()),
                  H5Gclose, parent.file(), path);
}

Object open_dataset(const Object& parent, const std::string& name) {
    const std::string path = parent.child(name);
    return Object(check_id(H5Dopen2(parent.id(), name.c_str(), H5P_DEFAULT),
                           "cannot open dataset " + in_quotes(path), parent.where()),
                  H5Dclose, parent.file(), path);
}

bool has_link(const Object& parent, const std::string& name) {
    if (name.empty() || name == "." || name.find('/') != std::string::npos) return false;
    const htri_t exists = H5Lexists(parent.id(), name.c_str(), H5P_DEFAULT);
    check_status(exists < 0 ? -1 : 0, "cannot look up " + in_quotes(parent.child(name)),
                 parent.where());
    return exists > 0;
}

std::vector<std::string> child_groups(const Object& parent) {
    // Opening "." turns a file id into its root group, which has creation properties.
    const Object group(
        check_id(H5Gopen2(parent.id(), ".", H5P_DEFAULT), "cannot open group", parent.where()),
        H5Gclose, parent.file(), parent.name());
    H5G_info_t info;
    check_status(H5Gget_info(group.id(), &info), "cannot list group", group.where());
    const Object gcpl(
        check_id(H5Gget_create_plist(group.id()), "cannot read group properties", group.where()),
        H5Pclose, group.file(), group.name());
    unsigned order = 0;
    check_status(H5Pget_link_creation_order(gcpl.id(), &order), "cannot read link order",
                 group.where());
    const H5_index_t index =
        (order & H5P_CRT_ORDER_INDEXED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;

    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t len =
            H5Lget_name_by_idx(group.id(), ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        check_status(len < 0 ? -1 : 0, "cannot read link name", group.where());
        std::string name(static_cast<std::size_t>(len) + 1, '\0');
        check_status(H5Lget_name_by_idx(group.id(), ".", index, H5_ITER_INC, i, name.data(),
                                        name.size(), H5P_DEFAULT) < 0
                         ? -1
                         : 0,
                     "cannot read link name", group.where());
        name.resize(static_cast<std::size_t>(len));
        // Dangling soft or external links cannot be opened; they are not scenarios either.
        const hid_t obj = H5Oopen(group.id(), name.c_str(), H5P_DEFAULT);
        if (obj < 0) continue;
        const bool is_group = H5Iget_type(obj) == H5I_GROUP;
        H5Oclose(obj);
        if (is_group) names.push_back(std::move(name));
    }
    return names;
}

// ---- Attributes --------------------------------------------------------------------------------

void write_attribute(const Object& obj, const std::string& name, const std::string& value) {
    // netCDF readers take text attributes as UTF-8: invalid bytes are refused, not stored.
    if (const auto bad = invalid_utf8_at(value); bad != std::string::npos)
        throw InputError("the text for attribute " + in_quotes(name) + " (" + obj.where() +
                         ") is not valid UTF-8 (byte " + std::to_string(bad) +
                         "): " + short_text(value) + "; save the input as UTF-8");
    remove_existing_attribute(obj, name);
    const std::string what = "cannot write attribute " + in_quotes(name);
    const Object type(check_id(H5Tcopy(H5T_C_S1), what, obj.where()), H5Tclose, obj.file(),
                      obj.name());
    // Sized exactly to the text with no terminator, like netCDF's own NC_CHAR attributes:
    // netCDF reports the HDF5 string size as the attribute length.
    check_status(H5Tset_size(type.id(), std::max<std::size_t>(value.size(), 1)), what, obj.where());
    check_status(H5Tset_strpad(type.id(), H5T_STR_NULLTERM), what, obj.where());
    const bool ascii = std::all_of(value.begin(), value.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 128; });
    check_status(H5Tset_cset(type.id(), ascii ? H5T_CSET_ASCII : H5T_CSET_UTF8), what, obj.where());
    const Object space = scalar_or_null_space(value.empty(), obj);
    const Object attr(check_id(H5Acreate2(obj.id(), name.c_str(), type.id(), space.id(),
                                          H5P_DEFAULT, H5P_DEFAULT),
                               what, obj.where()),
                      H5Aclose, obj.file(), obj.name());
    if (!value.empty())
        check_status(H5Awrite(attr.id(), type.id(), value.data()), what, obj.where());
}

void write_attribute(const Object& obj, const std::string& name, const char* value) {
    write_attribute(obj, name, std::string(value));
}

void write_attribute(const Object& obj, const std::string& name, double value) {
    write_scalar(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

void write_attribute(const Object& obj, const std::string& name, std::int32_t value) {
    write_scalar(obj, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &value);
}

void write_attribute(const Object& obj, const std::string& name, std::int64_t value) {
    write_scalar(obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

void write_attribute(const Object& obj, const std::string& name, std::uint32_t value) {
    write_scalar(obj, name, H5T_STD_U32LE, H5T_NATIVE_UINT32, &value);
}

bool has_attribute(const Object& obj, const std::string& name) {
    const htri_t exists = H5Aexists(obj.id(), name.c_str());
    check_status(exists < 0 ? -1 : 0, "cannot look up attribute " + in_quotes(name), obj.where());
    return exists > 0;
}

std::string read_string_attribute(const Object& obj, const std::string& name) {
    const Object attr = open_attribute(obj, name);
    const std::string what = "cannot read attribute " + in_quotes(name);
    const Object type(check_id(H5Aget_type(attr.id()), what, obj.where()), H5Tclose, obj.file(),
                      obj.name());
    if (H5Tget_class(type.id()) != H5T_STRING)
        throw RunError("attribute " + in_quotes(name) + " is not text (" + obj.where() + ")");
    const Object space(check_id(H5Aget_space(attr.id()), what, obj.where()), H5Sclose, obj.file(),
                       obj.name());
    const hssize_t points = H5Sget_simple_extent_npoints(space.id());
    if (points == 0) return "";
    if (points != 1)
        throw RunError("attribute " + in_quotes(name) + " is not a single text (" + obj.where() +
                       ")");

    std::string value;
    const htri_t variable = H5Tis_variable_str(type.id());
    check_status(variable < 0 ? -1 : 0, what, obj.where());
    if (variable > 0) {
        const Object mem(check_id(H5Tcopy(H5T_C_S1), what, obj.where()), H5Tclose, obj.file(),
                         obj.name());
        check_status(H5Tset_size(mem.id(), H5T_VARIABLE), what, obj.where());
        check_status(H5Tset_cset(mem.id(), H5Tget_cset(type.id())), what, obj.where());
        char* text = nullptr;
        check_status(H5Aread(attr.id(), mem.id(), &text), what, obj.where());
        if (text != nullptr) value = text;
        H5free_memory(text);
    } else {
        value.assign(H5Tget_size(type.id()), '\0');
        check_status(H5Aread(attr.id(), type.id(), value.data()), what, obj.where());
    }
    const auto nul = value.find('\0');
    if (nul != std::string::npos) value.resize(nul);
    return value;
}

double read_number_attribute(const Object& obj, const std::string& name) {
    const Object attr = open_attribute(obj, name);
    const std::string what = "cannot read attribute " + in_quotes(name);
    const Object type(check_id(H5Aget_type(attr.id()), what, obj.where()), H5Tclose, obj.file(),
                      obj.name());
    const Object space(check_id(H5Aget_space(attr.id()), what, obj.where()), H5Sclose, obj.file(),
                       obj.name());
    if (!is_numeric(type.id()) || H5Sget_simple_extent_npoints(space.id()) != 1)
        throw RunError("attribute " + in_quotes(name) + " is not a single number (" + obj.where() +
                       ")");
    double value = 0;
    check_status(H5Aread(attr.id(), H5T_NATIVE_DOUBLE, &value), what, obj.where());
    return value;
}

// ---- Datasets ----------------------------------------------------------------------------------

Object create_scale(const Object& group, const std::string& name,
                    const std::vector<double>& values) {
    return create_scale_impl(group, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values);
}

Object create_scale(const Object& group, const std::string& name,
                    const std::vector<std::int32_t>& values) {
    return create_scale_impl(group, name, H5T_STD_I32LE, H5T_NATIVE_INT32, values);
}

Object create_scale(const Object& group, const std::string& name,
                    const std::vector<std::string>& values) {
    const std::string what = "cannot create coordinate";
    const Object type(check_id(H5Tcopy(H5T_C_S1), what, group.where()), H5Tclose, group.file(),
                      group.name());
    check_status(H5Tset_size(type.id(), H5T_VARIABLE), what, group.where());
    check_status(H5Tset_cset(type.id(), H5T_CSET_UTF8), what, group.where());
    std::vector<const char*> text;
    text.reserve(values.size());
    for (const std::string& v : values) text.push_back(v.c_str());
    const std::string path = group.child(name);
    const Object dcpl = dataset_plist(group);
    const hsize_t n = values.size();
    const Object space = simple_space(1, &n, group);
    Object ds(check_id(H5Dcreate2(group.id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT,
                                  dcpl.id(), H5P_DEFAULT),
                       what, group.where() + ", dataset " + in_quotes(path)),
              H5Dclose, group.file(), path);
    if (n > 0)
        check_status(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()),
                     "cannot write coordinate", ds.where());
    check_status(H5DSset_scale(ds.id(), name.c_str()), "cannot make a dimension scale of",
                 ds.where());
    return ds;
}

Object create_vector(const Object& group, const std::string& name,
                     const std::vector<double>& values, const Object& scale) {
    const std::string path = group.child(name);
    const Object dcpl = dataset_plist(group);
    const hsize_t n = values.size();
    const Object space = simple_space(1, &n, group);
    Object ds(check_id(H5Dcreate2(group.id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT,
                                  dcpl.id(), H5P_DEFAULT),
                       "cannot create dataset", group.where() + ", dataset " + in_quotes(path)),
              H5Dclose, group.file(), path);
    if (n > 0)
        check_status(
            H5Dwrite(ds.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            "cannot write dataset", ds.where());
    check_status(H5DSattach_scale(ds.id(), scale.id(), 0),
                 "cannot attach dimension scale " + in_quotes(scale.name()), ds.where());
    return ds;
}

Object create_vector(const Object& group, const std::string& name,
                     const std::vector<std::string>& values, const Object& scale) {
    const std::string what = "cannot create dataset";
    const Object type(check_id(H5Tcopy(H5T_C_S1), what, group.where()), H5Tclose, group.file(),
                      group.name());
    check_status(H5Tset_size(type.id(), H5T_VARIABLE), what, group.where());
    check_status(H5Tset_cset(type.id(), H5T_CSET_UTF8), what, group.where());
    std::vector<const char*> text;
    text.reserve(values.size());
    for (const std::string& v : values) text.push_back(v.c_str());
    const std::string path = group.child(name);
    const Object dcpl = dataset_plist(group);
    const hsize_t n = values.size();
    const Object space = simple_space(1, &n, group);
    Object ds(check_id(H5Dcreate2(group.id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT,
                                  dcpl.id(), H5P_DEFAULT),
                       what, group.where() + ", dataset " + in_quotes(path)),
              H5Dclose, group.file(), path);
    if (n > 0)
        check_status(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()),
                     "cannot write dataset", ds.where());
    check_status(H5DSattach_scale(ds.id(), scale.id(), 0),
                 "cannot attach dimension scale " + in_quotes(scale.name()), ds.where());
    return ds;
}

std::vector<std::string> read_strings(const Object& dataset) {
    const std::string what = "cannot read text dataset";
    const Object type(check_id(H5Dget_type(dataset.id()), what, dataset.where()), H5Tclose,
                      dataset.file(), dataset.name());
    if (H5Tget_class(type.id()) != H5T_STRING)
        throw RunError("dataset is not text (" + dataset.where() + ")");
    const std::vector<hsize_t> dims = dimensions(dataset);
    if (dims.size() != 1) throw RunError("text dataset is not 1-D (" + dataset.where() + ")");
    const auto n = static_cast<std::size_t>(dims[0]);
    std::vector<std::string> out(n);
    if (n == 0) return out;
    const htri_t variable = H5Tis_variable_str(type.id());
    check_status(variable < 0 ? -1 : 0, what, dataset.where());
    if (variable > 0) {
        const Object mem(check_id(H5Tcopy(H5T_C_S1), what, dataset.where()), H5Tclose,
                         dataset.file(), dataset.name());
        check_status(H5Tset_size(mem.id(), H5T_VARIABLE), what, dataset.where());
        check_status(H5Tset_cset(mem.id(), H5Tget_cset(type.id())), what, dataset.where());
        std::vector<char*> text(n, nullptr);
        check_status(H5Dread(dataset.id(), mem.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()),
                     what, dataset.where());
        for (std::size_t i = 0; i < n; ++i) {
            if (text[i] != nullptr) out[i] = text[i];
            H5free_memory(text[i]);
        }
    } else {
        const std::size_t size = H5Tget_size(type.id());
        std::string buf(size * n, '\0');
        check_status(H5Dread(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()),
                     what, dataset.where());
        for (std::size_t i = 0; i < n; ++i) {
            out[i] = buf.substr(i * size, size);
            const auto nul = out[i].find('\0');
            if (nul != std::string::npos) out[i].resize(nul);
        }
    }
    return out;
}

Object create_matrix(const Object& group, const std::string& name, hsize_t rows, hsize_t cols,
                     const Object& row_scale, const Object& col_scale) {
    const std::string path = group.child(name);
    const std::string where = group.where() + ", dataset " + in_quotes(path);
    const Object dcpl = dataset_plist(group);
    // One chunk per replicate: a run's series is written, and later read, as one piece.
    const hsize_t chunk[2] = {1, std::max<hsize_t>(cols, 1)};
    check_status(H5Pset_chunk(dcpl.id(), 2, chunk), "cannot set chunking", where);
    const double fill = std::numeric_limits<double>::quiet_NaN();
    check_status(H5Pset_fill_value(dcpl.id(), H5T_NATIVE_DOUBLE, &fill), "cannot set fill value",
                 where);
    const hsize_t dims[2] = {rows, cols};
    const Object space = simple_space(2, dims, group);
    // No chunk cache: every chunk is one whole row, written once and read back in blocks, so a
    // cache would only hold written rows in memory, up to 1 MB for each of the hundreds of
    // datasets a study keeps open.
    const Object dapl = property_list(H5P_DATASET_ACCESS, group);
    check_status(H5Pset_chunk_cache(dapl.id(), 0, 0, 1.0), "cannot set the chunk cache", where);
    Object ds(check_id(H5Dcreate2(group.id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT,
                                  dcpl.id(), dapl.id()),
                       "cannot create dataset", where),
              H5Dclose, group.file(), path);
    check_status(H5DSattach_scale(ds.id(), row_scale.id(), 0),
                 "cannot attach dimension scale " + in_quotes(row_scale.name()), ds.where());
    check_status(H5DSattach_scale(ds.id(), col_scale.id(), 1),
                 "cannot attach dimension scale " + in_quotes(col_scale.name()), ds.where());
    return ds;
}

Object create_cube(const Object& group, const std::string& name, const hsize_t dims[3],
                   const Object* const scales[3]) {
    const std::string path = group.child(name);
    const std::string where = group.where() + ", dataset " + in_quotes(path);
    const Object dcpl = dataset_plist(group);
    const hsize_t chunk[3] = {1, std::max<hsize_t>(dims[1], 1), std::max<hsize_t>(dims[2], 1)};
    check_status(H5Pset_chunk(dcpl.id(), 3, chunk), "cannot set chunking", where);
    const float fill = std::numeric_limits<float>::quiet_NaN();
    check_status(H5Pset_fill_value(dcpl.id(), H5T_NATIVE_FLOAT, &fill), "cannot set fill value",
                 where);
    const Object space = simple_space(3, dims, group);
    const Object dapl = property_list(H5P_DATASET_ACCESS, group);
    check_status(H5Pset_chunk_cache(dapl.id(), 0, 0, 1.0), "cannot set the chunk cache", where);
    Object ds(check_id(H5Dcreate2(group.id(), name.c_str(), H5T_IEEE_F32LE, space.id(), H5P_DEFAULT,
                                  dcpl.id(), dapl.id()),
                       "cannot create dataset", where),
              H5Dclose, group.file(), path);
    for (unsigned d = 0; d < 3; ++d)
        check_status(H5DSattach_scale(ds.id(), scales[d]->id(), d),
                     "cannot attach dimension scale " + in_quotes(scales[d]->name()), ds.where());
    return ds;
}

void write_plane(const Object& dataset, hsize_t index, hsize_t d1, hsize_t d2,
                 const float* values) {
    silence_errors();  // the runner's writing thread may be any OpenMP thread
    const std::string what = "cannot write plane " + std::to_string(index);
    const Object file_space(check_id(H5Dget_space(dataset.id()), what, dataset.where()), H5Sclose,
                            dataset.file(), dataset.name());
    hsize_t dims[3] = {0, 0, 0};
    if (H5Sget_simple_extent_ndims(file_space.id()) != 3 ||
        H5Sget_simple_extent_dims(file_space.id(), dims, nullptr) < 0 || index >= dims[0] ||
        d1 != dims[1] || d2 != dims[2])
        throw RunError(what + ": it does not fit (" + dataset.where() + ")");
    const hsize_t start[3] = {index, 0, 0};
    const hsize_t count[3] = {1, d1, d2};
    check_status(
        H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr), what,
        dataset.where());
    const hsize_t n = d1 * d2;
    const Object mem_space = simple_space(1, &n, dataset);
    check_status(H5Dwrite(dataset.id(), H5T_NATIVE_FLOAT, mem_space.id(), file_space.id(),
                          H5P_DEFAULT, values),
                 what, dataset.where());
}

std::vector<double> read_block(const Object& dataset, const std::vector<hsize_t>& start,
                               const std::vector<hsize_t>& count) {
    const std::string what = "cannot read dataset";
    const Object space(check_id(H5Dget_space(dataset.id()), what, dataset.where()), H5Sclose,
                       dataset.file(), dataset.name());
    hsize_t n = 1;
    for (const hsize_t c : count) n *= c;
    std::vector<double> values(static_cast<std::size_t>(n));
    if (values.empty()) return values;
    check_status(H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, start.data(), nullptr,
                                     count.data(), nullptr),
                 what, dataset.where());
    const Object mem_space = simple_space(1, &n, dataset);
    check_status(H5Dread(dataset.id(), H5T_NATIVE_DOUBLE, mem_space.id(), space.id(), H5P_DEFAULT,
                         values.data()),
                 what, dataset.where());
    return values;
}

Matrix read_middle(const Object& dataset, hsize_t j) {
    const std::vector<hsize_t> dims = dimensions(dataset);
    if (dims.size() != 3 || j >= dims[1])
        throw RunError("dataset is not 3-D or has no index " + std::to_string(j) + " (" +
                       dataset.where() + ")");
    Matrix m;
    m.rows = dims[0];
    m.cols = dims[2];
    m.values = read_block(dataset, {0, j, 0}, {dims[0], 1, dims[2]});
    return m;
}

void write_row(const Object& dataset, hsize_t row, hsize_t cols, const double* values) {
    silence_errors();  // the runner's writing thread may be any OpenMP thread
    const std::string what = "cannot write row " + std::to_string(row);
    const Object file_space(check_id(H5Dget_space(dataset.id()), what, dataset.where()), H5Sclose,
                            dataset.file(), dataset.name());
    hsize_t dims[2] = {0, 0};
    if (H5Sget_simple_extent_ndims(file_space.id()) != 2 ||
        H5Sget_simple_extent_dims(file_space.id(), dims, nullptr) < 0 || row >= dims[0] ||
        cols != dims[1])
        throw RunError(what + " of " + std::to_string(cols) + " values: it does not fit (" +
                       dataset.where() + ")");
    const hsize_t start[2] = {row, 0};
    const hsize_t count[2] = {1, cols};
    check_status(
        H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr), what,
        dataset.where());
    const Object mem_space = simple_space(1, &cols, dataset);
    check_status(H5Dwrite(dataset.id(), H5T_NATIVE_DOUBLE, mem_space.id(), file_space.id(),
                          H5P_DEFAULT, values),
                 what, dataset.where());
}

Matrix read_matrix(const Object& dataset) {
    const std::string what = "cannot read dataset";
    const Object space(check_id(H5Dget_space(dataset.id()), what, dataset.where()), H5Sclose,
                       dataset.file(), dataset.name());
    const Object type(check_id(H5Dget_type(dataset.id()), what, dataset.where()), H5Tclose,
                      dataset.file(), dataset.name());
    const int rank = H5Sget_simple_extent_ndims(space.id());
    if (rank != 1 && rank != 2)
        throw RunError("dataset is not 1-D or 2-D (" + dataset.where() + ")");
    if (!is_numeric(type.id())) throw RunError("dataset is not numeric (" + dataset.where() + ")");
    hsize_t dims[2] = {1, 1};
    check_status(H5Sget_simple_extent_dims(space.id(), rank == 2 ? dims : dims + 1, nullptr), what,
                 dataset.where());
    Matrix m;
    m.rows = dims[0];
    m.cols = dims[1];
    m.values.resize(static_cast<std::size_t>(m.rows * m.cols));
    if (!m.values.empty())
        check_status(H5Dread(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                             m.values.data()),
                     what, dataset.where());
    return m;
}

std::vector<hsize_t> dimensions(const Object& dataset) {
    const Object space(check_id(H5Dget_space(dataset.id()), "cannot read dataset", dataset.where()),
                       H5Sclose, dataset.file(), dataset.name());
    const int rank = H5Sget_simple_extent_ndims(space.id());
    check_status(rank < 0 ? -1 : 0, "cannot read dataset", dataset.where());
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0)
        check_status(H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr),
                     "cannot read dataset", dataset.where());
    return dims;
}

Matrix read_columns(const Object& dataset, hsize_t col, hsize_t cols) {
    silence_errors();
    const std::string what = "cannot read columns " + std::to_string(col) + " to " +
                             std::to_string(col + cols) + " of dataset";
    const Object file_space(check_id(H5Dget_space(dataset.id()), what, dataset.where()), H5Sclose,
                            dataset.file(), dataset.name());
    hsize_t dims[2] = {0, 0};
    if (H5Sget_simple_extent_ndims(file_space.id()) != 2 ||
        H5Sget_simple_extent_dims(file_space.id(), dims, nullptr) < 0 || col + cols > dims[1])
        throw RunError(what + ": it is not a 2-D dataset of that many columns (" + dataset.where() +
                       ")");
    Matrix m;
    m.rows = dims[0];
    m.cols = cols;
    m.values.resize(static_cast<std::size_t>(m.rows * m.cols));
    if (m.values.empty()) return m;
    // A thousand rows per read: HDF5 keeps bookkeeping for every chunk one read touches
    // (several kB each, one chunk per row here), which for a million replicates read at once
    // would cost more memory than the values. Rows are contiguous in `m.values`, so each piece
    // is read in place.
    constexpr hsize_t kRowsPerRead = 1024;
    for (hsize_t r0 = 0; r0 < m.rows; r0 += kRowsPerRead) {
        const hsize_t start[2] = {r0, col};
        const hsize_t count[2] = {std::min(kRowsPerRead, m.rows - r0), cols};
        check_status(
            H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr),
            what, dataset.where());
        const Object mem_space = simple_space(2, count, dataset);
        check_status(H5Dread(dataset.id(), H5T_NATIVE_DOUBLE, mem_space.id(), file_space.id(),
                             H5P_DEFAULT, m.values.data() + r0 * cols),
                     what, dataset.where());
    }
    return m;
}

}  // namespace sesim::h5
