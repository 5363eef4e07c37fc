"""Checks that two sesim sweep files hold the same data, bit for bit.

Usage: sweep_same_data.py A.h5 B.h5

Same data: the same datasets with the same shapes, types and bytes (NaN included), and the
same sweep definition. Provenance attributes (time, host, command line) may differ. Exits
non-zero naming the first difference.
"""
import sys

import h5py
import numpy as np


def datasets(f):
    names = []
    f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
    return sorted(names)


def main(a_path, b_path):
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        if a.attrs["sweep_definition"] != b.attrs["sweep_definition"]:
            sys.exit(f"sweep_same_data: {a_path} and {b_path} hold different sweep definitions")
        names = datasets(a)
        if names != datasets(b):
            sys.exit(f"sweep_same_data: datasets differ: {names} vs {datasets(b)}")
        for name in names:
            x, y = a[name], b[name]
            if x.shape != y.shape or x.dtype != y.dtype:
                sys.exit(f"sweep_same_data: {name}: {x.shape} {x.dtype} vs {y.shape} {y.dtype}")
            xv, yv = x[()], y[()]
            if xv.dtype.kind in "fiu":
                same = np.array_equal(xv.view(np.uint8), yv.view(np.uint8))
            else:
                same = list(xv) == list(yv)
            if not same:
                sys.exit(f"sweep_same_data: {name} differs between {a_path} and {b_path}")
        status = a["status"][()]
    print(f"sweep_same_data: {a_path} == {b_path}: {len(names)} datasets, "
          f"{len(status)} runs, {int((status == 1).sum())} done")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: sweep_same_data.py A.h5 B.h5")
    main(sys.argv[1], sys.argv[2])
