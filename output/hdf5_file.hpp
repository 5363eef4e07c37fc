// Thin RAII layer over the HDF5 C API for the result file. Every failure becomes a RunError
// naming the file, the object and HDF5's own innermost reason, so a full disk or a damaged
// file reads as a sentence rather than an HDF5 error stack on stderr.
//
// The layout choices that keep files readable by netCDF-4 (xarray, ncdump) live here:
// creation order tracked and indexed on every group, dataset and on the root, text attributes
// as fixed-length strings (netCDF's NC_CHAR), dimensions as HDF5 dimension scales.
#pragma once
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sesim::h5 {

// Turns off HDF5's automatic printing of error stacks for the calling thread (Debian's HDF5
// is thread-safe: error stacks are per thread); cheap after the first call. Called by every
// function below that opens or creates a file or writes a row.
void silence_errors();

// For a program's main(), before any other HDF5 call: silence_errors(), and no HDF5 clean-up
// at exit (H5dont_atexit). A file whose close failed (disk full: the last metadata could not
// be written) stays half-closed inside HDF5 1.10, and the library's exit handler closing it a
// second time crashes (SIGSEGV in H5F__close_cb). sesim closes every file it writes
// explicitly and discards such a file anyway, so the exit handler has nothing to do.
void prepare_library();

// An owned HDF5 identifier with the function that releases it, and a description of what it
// is (file and HDF5 path) for error messages. A null closer makes a borrowed, non-owning view.
class Object {
  public:
    using Closer = herr_t (*)(hid_t);

    Object() = default;
    Object(hid_t id, Closer closer, std::string file, std::string name);
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;
    Object(Object&& other) noexcept;
    Object& operator=(Object&& other) noexcept;
    ~Object() { reset(); }

    hid_t id() const { return id_; }
    explicit operator bool() const { return id_ >= 0; }
    const std::string& file() const { return file_; }
    // The HDF5 path of the object inside its file ("/" for the file itself).
    const std::string& name() const { return name_; }
    // "file 'out.h5', object '/baseline/se_active'"
    std::string where() const;
    // The path of a child of this object.
    std::string child(const std::string& child_name) const;

    // Closes now and reports failure (a file close is where buffered writes can fail).
    void close();
    // Closes, ignoring failure: for destructors and unwinding.
    void reset() noexcept;
    // Gives up ownership without closing.
    hid_t release() noexcept;

  private:
    hid_t id_ = -1;
    Closer closer_ = nullptr;
    std::string file_;
    std::string name_;
};

// HDF5's innermost error description of the last failed call on this thread, or "" if none.
std::string last_error();
// The errno recorded by HDF5's file driver in the last error stack (ENOSPC, EFBIG...), or 0.
int last_errno();
// The reason of the last failure for a message: the cause in words when the stack has an
// errno ("no space left on the device (HDF5: file write failed)"), else "HDF5: <innermost>".
std::string last_reason();
// Throws RunError "<what> (<where>): <HDF5 reason>".
[[noreturn]] void fail(const std::string& what, const std::string& where);
// `id` when valid, else fail().
hid_t check_id(hid_t id, const std::string& what, const std::string& where);
// Nothing when `status` >= 0, else fail().
void check_status(herr_t status, const std::string& what, const std::string& where);

// ---- Files and groups --------------------------------------------------------------------------

// Creates (truncating) a file whose format netCDF-4 reads: creation order tracked and indexed,
// object formats no newer than HDF5 1.8.
Object create_file(const std::filesystem::path& path);
// Opens read-only. RunError when the file is missing, is not HDF5, or is damaged.
Object open_file(const std::filesystem::path& path);

// A child group with creation order tracked and indexed (links and attributes).
Object create_group(const Object& parent, const std::string& name);
Object open_group(const Object& parent, const std::string& name);
Object open_dataset(const Object& parent, const std::string& name);
// True when `parent` has a direct link `name` (a name containing '/' never matches).
bool has_link(const Object& parent, const std::string& name);
// Names of the direct children of `parent` (a group or a file) that are groups, in creation
// order when the file indexes it, else in name order.
std::vector<std::string> child_groups(const Object& parent);

// ---- Attributes --------------------------------------------------------------------------------

// A text attribute: fixed-length, null-terminated, ASCII (UTF-8 when the text has bytes above
// 127), so netCDF reads it as text (NC_CHAR). An empty text is a null dataspace, as netCDF
// writes an empty attribute.
void write_attribute(const Object& obj, const std::string& name, const std::string& value);
void write_attribute(const Object& obj, const std::string& name, const char* value);
void write_attribute(const Object& obj, const std::string& name, double value);
void write_attribute(const Object& obj, const std::string& name, std::int32_t value);
void write_attribute(const Object& obj, const std::string& name, std::int64_t value);
void write_attribute(const Object& obj, const std::string& name, std::uint32_t value);

bool has_attribute(const Object& obj, const std::string& name);
// Reads a text attribute, fixed- or variable-length; trailing NULs are dropped.
std::string read_string_attribute(const Object& obj, const std::string& name);
// Reads a numeric scalar attribute, converted to double.
double read_number_attribute(const Object& obj, const std::string& name);

// ---- Datasets ----------------------------------------------------------------------------------

// A 1-D float64 coordinate `name` holding `values`, made a dimension scale named `name`.
Object create_scale(const Object& group, const std::string& name,
                    const std::vector<double>& values);
// The same for a 1-D int32 coordinate.
Object create_scale(const Object& group, const std::string& name,
                    const std::vector<std::int32_t>& values);

// The same for a 1-D coordinate of labels, stored as variable-length UTF-8 strings: netCDF-4
// reads it as an NC_STRING coordinate variable, so xarray can select by label.
Object create_scale(const Object& group, const std::string& name,
                    const std::vector<std::string>& values);

// A rows x cols float64 dataset chunked by row, without chunk cache (rows are written whole,
// once), NaN where never written, with dimension scale `row_scale` attached to dimension 0 and
// `col_scale` to dimension 1.
Object create_matrix(const Object& group, const std::string& name, hsize_t rows, hsize_t cols,
                     const Object& row_scale, const Object& col_scale);
// A d0 x d1 x d2 float32 dataset chunked by its first index (a replicate's plane is written and
// read as one piece), NaN where never written, with the three scales attached in order. The
// per-region series are float32 (RunSeries::region_values): 7 significant digits, half the
// memory and file of float64 at 342 regions; readers get them as doubles.
Object create_cube(const Object& group, const std::string& name, const hsize_t dims[3],
                   const Object* const scales[3]);
// Writes plane `index` of the first dimension of a 3-D float32 dataset: d1 x d2 values,
// row-major.
void write_plane(const Object& dataset, hsize_t index, hsize_t d1, hsize_t d2, const float* values);
// Row `j` of the second dimension of a 3-D dataset, as a d0 x d2 matrix (all
// replicates of one region).
struct Matrix;
Matrix read_middle(const Object& dataset, hsize_t j);
// The block [start, start + count) of an N-D float64 dataset, row-major (the hyperslab read
// that read_middle and RecordedData::plane share).
std::vector<double> read_block(const Object& dataset, const std::vector<hsize_t>& start,
                               const std::vector<hsize_t>& count);
// A 1-D float64 dataset holding `values`, with dimension scale `scale` attached (a data
// variable along that coordinate, as xarray reads it).
Object create_vector(const Object& group, const std::string& name,
                     const std::vector<double>& values, const Object& scale);
// The same for labels (variable-length UTF-8 strings).
Object create_vector(const Object& group, const std::string& name,
                     const std::vector<std::string>& values, const Object& scale);
// A 1-D dataset of strings (fixed- or variable-length) read back.
std::vector<std::string> read_strings(const Object& dataset);

// Writes `cols` values into row `row` of a 2-D float64 dataset.
void write_row(const Object& dataset, hsize_t row, hsize_t cols, const double* values);

// A 2-D dataset read as float64, row-major; a 1-D dataset reads as a single row.
struct Matrix {
    hsize_t rows = 0;
    hsize_t cols = 0;
    std::vector<double> values;
};
Matrix read_matrix(const Object& dataset);
// Columns [col, col + cols) of every row of a 2-D float64 dataset, row-major (rows x cols):
// a block of months across all replicates, so memory is bounded by the block, not the file.
Matrix read_columns(const Object& dataset, hsize_t col, hsize_t cols);
// The dimensions of a dataset (empty for a scalar).
std::vector<hsize_t> dimensions(const Object& dataset);

}  // namespace sesim::h5
