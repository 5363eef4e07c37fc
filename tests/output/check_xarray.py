"""Checks that a sesim result file opens in xarray through netCDF-4, as users will read it.

Usage: check_xarray.py FILE.h5 (a file from make_sample_file: values 1000*s + 100*r + t).
Exits non-zero with a message on the first failed check.
"""
import sys

import netCDF4
import numpy as np
import xarray as xr


def fail(message):
    sys.exit(f"check_xarray: {message}")


def check(condition, message):
    if not condition:
        fail(message)


def main(path):
    with netCDF4.Dataset(path) as nc:
        groups = list(nc.groups)
        root_attrs = {k: nc.getncattr(k) for k in nc.ncattrs()}
    check(groups == ["baseline", "procurement"], f"groups in creation order, got {groups}")
    check(root_attrs.get("Conventions") == "CF-1.8", f"root Conventions: {root_attrs}")
    check(int(root_attrs.get("seed", -1)) == 42, f"root seed: {root_attrs.get('seed')}")

    for s, group in enumerate(groups):
        with xr.open_dataset(path, group=group, engine="netcdf4") as ds:
            time = ds["time"]
            check(np.issubdtype(time.dtype, np.datetime64),
                  f"{group}: time decodes to {time.dtype}, not datetime64")
            check(time.values[0] == np.datetime64("2019-01-01"),
                  f"{group}: first time {time.values[0]}")
            check(time.values[13] == np.datetime64("2020-02-01"),
                  f"{group}: time[13] {time.values[13]}")
            check(ds.sizes["replicate"] == 3 and ds.sizes["time"] == 24,
                  f"{group}: sizes {dict(ds.sizes)}")
            check(list(ds["replicate"].values) == [0, 1, 2],
                  f"{group}: replicate {ds['replicate'].values}")
            check(ds.attrs.get("scenario_name") == group,
                  f"{group}: scenario_name {ds.attrs.get('scenario_name')!r}")
            check(len(ds.data_vars) > 0, f"{group}: no outputs")
            expected = 1000.0 * s + 100.0 * np.arange(3)[:, None] + np.arange(24)[None, :]
            for name, var in ds.data_vars.items():
                check(var.dims == ("replicate", "time"), f"{group}/{name}: dims {var.dims}")
                check(var.dtype == np.float64, f"{group}/{name}: dtype {var.dtype}")
                for attr in ("units", "long_name", "sesim_kind"):
                    check(isinstance(var.attrs.get(attr), str) and var.attrs[attr] != "",
                          f"{group}/{name}: attribute {attr} is {var.attrs.get(attr)!r}")
                check(np.array_equal(var.values, expected), f"{group}/{name}: values differ")
        with xr.open_dataset(path, group=f"{group}/parameters", engine="netcdf4") as params:
            check(params.attrs.get("months") == 24.0,
                  f"{group}/parameters: months {params.attrs.get('months')!r}")
            check(params.attrs.get("start_month") == "2019-01",
                  f"{group}/parameters: start_month {params.attrs.get('start_month')!r}")
    print(f"check_xarray: {path}: {len(groups)} groups open in xarray")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: check_xarray.py FILE.h5")
    main(sys.argv[1])
