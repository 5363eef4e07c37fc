#!/usr/bin/env bash
# The crash-safety argument of output/sweep_file.hpp, observed: once a sweep file is created,
# writing results changes only bytes inside the datasets' raw data (and the superblock's
# consistency flag, one 96-byte write at open and at close), never HDF5 metadata. strace logs
# every write of a real sweep; each must fall inside a dataset's storage.
# Usage: sweep_raw_writes.sh SESIM SOURCE_DIR. Exit 77 (skipped) when strace cannot trace here.
set -euo pipefail
sesim=$1
src=$2
command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null ||
  { echo "sweep_raw_writes: skipped: strace is missing or cannot trace here"; exit 77; }
work=$(mktemp -d /tmp/sesim-sweep-writes.XXXXXX)
trap 'rm -rf "$work"' EXIT
sed "s|@BASE@|$src/scenarios/baseline.ini|" "$src/tests/app/sweep_small.ini" >"$work/s.ini"
strace -f -e trace=openat,pwrite64,write -o "$work/trace" \
  "$sesim" sweep "$work/s.ini" -o "$work/s.h5" -t 2 -q --checkpoint 0.1
/usr/bin/python3 - "$work/trace" "$work/s.h5" <<'PY'
import re
import sys

import h5py

trace, path = sys.argv[1], sys.argv[2]
fds, writes = set(), []
for line in open(trace):
    m = re.search(r'openat\(AT_FDCWD, "[^"]*\.partial", O_RDWR\) = (\d+)', line)
    if m:
        fds.add(m.group(1))
        continue
    m = re.search(r"pwrite64\((\d+), .*, (\d+), (\d+)\) = \d+", line)
    if m and m.group(1) in fds:
        writes.append((int(m.group(3)), int(m.group(2))))
with h5py.File(path, "r") as f:
    extents = [(ds.id.get_offset(), ds.id.get_offset() + ds.id.get_storage_size(), name)
               for name, ds in f.items() if ds.id.get_offset() is not None]
outside = [(o, n) for o, n in writes
           if not any(a <= o and o + n <= b for a, b, _ in extents) and (o, n) != (0, 96)]
if not writes or outside:
    sys.exit(f"sweep_raw_writes: {len(writes)} writes, outside the raw data: {outside[:10]}")
names = sorted({name for o, n in writes for a, b, name in extents if a <= o < b})
print(f"sweep_raw_writes: {len(writes)} writes, all in the raw data of {len(names)} datasets")
PY
