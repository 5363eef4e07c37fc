"""Checks the ensemble statistics of a sesim result file through xarray, as users read them:
every `<output>_stats` (statistic, time) has the `statistic` coordinate with its labels and
equals NumPy's computation from the stored replicates (mean, sd with ddof=1, linear quantiles).

Usage: check_stats_xarray.py FILE.h5 (written by `sesim run`, with replicates).
Exits non-zero with a message on the first failed check.
"""
import sys

import netCDF4
import numpy as np
import xarray as xr

LABELS = ["mean", "sd", "q05", "q25", "q50", "q75", "q95"]


def check(condition, message):
    if not condition:
        sys.exit(f"check_stats_xarray: {message}")


def main(path):
    with netCDF4.Dataset(path) as nc:
        groups = list(nc.groups)
    check(len(groups) >= 1, "no scenario groups")
    checked = 0
    for group in groups:
        with xr.open_dataset(path, group=group, engine="netcdf4") as ds:
            check(list(ds["statistic"].values) == LABELS,
                  f"{group}: statistic coordinate {list(ds['statistic'].values)}")
            outputs = [v for v in ds.data_vars if ds[v].dims == ("replicate", "time")]
            check(len(outputs) > 0, f"{group}: no replicate datasets")
            for name in outputs:
                stats = ds.get(f"{name}_stats")
                check(stats is not None, f"{group}: no {name}_stats")
                check(stats.dims == ("statistic", "time"), f"{group}/{name}_stats dims {stats.dims}")
                check(stats.attrs.get("units") == ds[name].attrs.get("units"),
                      f"{group}/{name}_stats units {stats.attrs.get('units')!r}")
                x = ds[name].values
                want = {
                    "mean": x.mean(axis=0),
                    "sd": x.std(axis=0, ddof=1),
                    **{f"q{round(100 * p):02d}": np.quantile(x, p, axis=0)
                       for p in (0.05, 0.25, 0.5, 0.75, 0.95)},
                }
                for label, value in want.items():
                    got = stats.sel(statistic=label).values
                    check(np.allclose(got, value, rtol=1e-12, atol=1e-9),
                          f"{group}/{name} {label}: max difference {np.max(np.abs(got - value))}")
                # xarray's own reductions agree as well, by label.
                check(np.allclose(stats.sel(statistic="q50"), ds[name].median("replicate"),
                                  rtol=1e-12, atol=1e-9), f"{group}/{name}: median")
                checked += 1
    print(f"check_stats_xarray: {path}: {checked} statistics datasets equal NumPy's")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check_stats_xarray.py FILE.h5")
    main(sys.argv[1])
