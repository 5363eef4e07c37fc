#!/usr/bin/python3
"""Recomputes `sesim digest FILE` independently with h5py and hashlib, from the canonical form
documented in docs/reproducing.md, and checks that sesim prints the same digest.

    check_digest.py SESIM FILE.h5
"""
import hashlib
import struct
import subprocess
import sys

import h5py


def main():
    sesim, path = sys.argv[1:3]
    # Declaration order of the outputs: `sesim outputs` lists them as "name (kind, unit): ...".
    table = subprocess.run([sesim, "outputs"], check=True, capture_output=True,
                           text=True).stdout.splitlines()
    outputs = [line.split(" (")[0] for line in table if " (" in line]
    total = hashlib.sha256()
    with h5py.File(path, "r") as f:
        for group in sorted(f.keys(), key=lambda n: n.encode()):
            for output in outputs:
                for name in (output, output + "_stats"):
                    if name not in f[group]:
                        continue
                    data = f[group][name][...]
                    rows, cols = data.shape
                    part = ("%s/%s" % (group, name)).encode() + b"\0"
                    part += struct.pack("<QQ", rows, cols)
                    part += data.astype("<f8").tobytes(order="C")
                    total.update(part)
    expected = total.hexdigest()
    printed = subprocess.run([sesim, "digest", path], check=True, capture_output=True,
                             text=True).stdout.split()[0]
    if printed != expected:
        print("FAIL: sesim digest printed %s, the documented canonical form gives %s"
              % (printed, expected))
        return 1
    print("check_digest.py: sesim digest agrees with hashlib: %s" % expected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
