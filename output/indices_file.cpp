#include "output/indices_file.hpp"

#include <hdf5_hl.h>  // dimension scales (H5DS)
#include <unistd.h>

#include <limits>
#include <stdexcept>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "output/hdf5_file.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

h5::Object write_array(const h5::Object& file, const IndicesVariable& v, int rank,
                       const hsize_t* dims, const std::vector<const h5::Object*>& scales) {
    hsize_t n = 1;
    for (int i = 0; i < rank; ++i) n *= dims[i];
    if (v.values.size() != n)
        throw std::logic_error("write_indices_file: '" + v.name + "' has the wrong size");
    const std::string where = file.where() + ", dataset '/" + v.name + "'";
    const h5::Object space(
        h5::check_id(H5Screate_simple(rank, dims, nullptr), "cannot create a dataspace", where),
        H5Sclose, file.file(), "/" + v.name);
    h5::Object ds(h5::check_id(H5Dcreate2(file.id(), v.name.c_str(), H5T_IEEE_F64LE, space.id(),
                                          H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                               "cannot create dataset", where),
                  H5Dclose, file.file(), "/" + v.name);
    if (n > 0)
        h5::check_status(
            H5Dwrite(ds.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.values.data()),
            "cannot write", ds.where());
    for (std::size_t i = 0; i < scales.size(); ++i)
        h5::check_status(H5DSattach_scale(ds.id(), scales[i]->id(), static_cast<unsigned>(i)),
                         "cannot attach a dimension scale", ds.where());
    h5::write_attribute(ds, "_FillValue", std::numeric_limits<double>::quiet_NaN());
    h5::write_attribute(ds, "long_name", v.long_name);
    if (!v.units.empty()) h5::write_attribute(ds, "units", v.units);
    return ds;
}

}  // namespace

void write_indices_file(const fs::path& path, const IndicesTable& t) {
    fs::path tmp = path;
    tmp += ".tmp-" + std::to_string(static_cast<long>(::getpid()));
    std::error_code ec;
    try {
        h5::Object file = h5::create_file(tmp);
        h5::write_attribute(file, "title", "sesim sensitivity indices");
        h5::write_attribute(file, "Conventions", "CF-1.8");
        for (const auto& [k, v] : t.text_attributes) h5::write_attribute(file, k, v);
        for (const auto& [k, v] : t.number_attributes) h5::write_attribute(file, k, v);
        // Scales first, in dimension order: netCDF lists dimensions in creation order.
        h5::Object output = h5::create_scale(file, "output", t.outputs);
        h5::write_attribute(output, "long_name", "analysed output (see `sesim outputs`)");
        std::vector<double> days;
        for (int m : t.months) days.push_back(cf_days_since_2019(m));
        h5::Object time = h5::create_scale(file, "time", days);
        h5::write_attribute(time, "units", kTimeUnits);
        h5::write_attribute(time, "calendar", "proleptic_gregorian");
        h5::write_attribute(time, "standard_name", "time");
        h5::write_attribute(time, "axis", "T");
        h5::Object param = h5::create_scale(file, "parameter", t.parameters);
        h5::write_attribute(param, "long_name", "varied parameter (see `sesim params`)");
        const hsize_t dims[3] = {t.outputs.size(), t.months.size(), t.parameters.size()};
        for (const IndicesVariable& v : t.indices)
            write_array(file, v, 3, dims, {&output, &time, &param}).close();
        for (const IndicesVariable& v : t.statistics)
            write_array(file, v, 2, dims, {&output, &time}).close();
        output.close(), time.close(), param.close();
        file.close();
        fs::rename(tmp, path, ec);
        if (ec)
            throw RunError("cannot rename '" + tmp.string() + "' to '" + path.string() +
                           "': " + ec.message());
    } catch (...) {
        fs::remove(tmp, ec);
        throw;
    }
}

}  // namespace sesim
