#!/bin/sh
# `sesim reproduce` and `sesim digest` as users meet them: an unchanged file is identical
# (exit 0); a file with one value changed names the dataset and first element (exit 1); a
# truncated file, a non-HDF5 file and bad options are bad input (exit 2); the digest does not
# depend on when a file was made and matches the documented canonical form.
# Usage: reproduce_cli.sh SESIM SOURCE_DIR WORK_DIR
set -eu
sesim=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# Runs sesim, keeping stdout in $out, stderr in $err and the exit code in $rc.
try() {
    set +e
    "$sesim" "$@" >"$work/out.txt" 2>"$work/err.txt"
    rc=$?
    set -e
    out=$(cat "$work/out.txt")
    err=$(cat "$work/err.txt")
}

"$sesim" run "$src/scenarios/baseline.ini" "$src/scenarios/brokerage.ini" -r 3 --set months=36 \
    -q -o "$work/run.h5"

try reproduce -q "$work/run.h5"
[ "$rc" -eq 0 ] || fail "reproduce of an unchanged file exited $rc: $out $err"
echo "$out" | grep -q "^identical: [0-9]* datasets" || fail "no 'identical' line: $out"
try reproduce -q --threads 1 --replicates 2 "$work/run.h5"
[ "$rc" -eq 0 ] || fail "reproduce --threads 1 --replicates 2 exited $rc: $out"
echo "$out" | grep -q "not checked with --replicates 2" || fail "no note on statistics: $out"

# One value changed, as an editor of the file would change it.
cp "$work/run.h5" "$work/changed.h5"
/usr/bin/python3 - "$work/changed.h5" <<'PY'
import sys
import h5py
with h5py.File(sys.argv[1], "r+") as f:
    f["brokerage/jobs_total"][1, 20] = f["brokerage/jobs_total"][1, 20] * 1.001
PY
try reproduce -q "$work/changed.h5"
[ "$rc" -eq 1 ] || fail "reproduce of a changed file exited $rc, expected 1: $out $err"
echo "$out" | grep -q "^different: 1 of [0-9]* datasets differ" || fail "no 'different' line: $out"
echo "$out" | grep -q "brokerage/jobs_total: 1 of 108 values differ; first at replicate 1, month 2020-09 (element \[1, 20\])" ||
    fail "the changed element is not named: $out"
# A value changed in the per-region series (issue 10) is found and named by region.
cp "$work/run.h5" "$work/changed-region.h5"
/usr/bin/python3 - "$work/changed-region.h5" <<'PY'
import sys
import h5py
with h5py.File(sys.argv[1], "r+") as f:
    d = f["brokerage/regions/jobs_total"]
    d[1, 1, 20] = d[1, 1, 20] * 1.001
PY
try reproduce -q "$work/changed-region.h5"
[ "$rc" -eq 1 ] || fail "reproduce of a changed per-region value exited $rc, expected 1: $out $err"
echo "$out" | grep -q "brokerage/regions/jobs_total: 1 of [0-9]* values differ; first at replicate 1, region haarlem, month 2020-09" ||
    fail "the changed per-region element is not named: $out"
# Within a tolerance larger than the change it agrees.
try reproduce -q --tolerance 0.01 "$work/changed.h5"
[ "$rc" -eq 0 ] || fail "reproduce --tolerance 0.01 exited $rc: $out"
echo "$out" | grep -q "^equal within relative tolerance 0.01" || fail "no tolerance line: $out"

# Another model version is said, not hidden.
cp "$work/run.h5" "$work/version.h5"
/usr/bin/python3 - "$work/version.h5" <<'PY'
import sys
import h5py
import numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    f.attrs["model_version"] = np.int32(0)
PY
try reproduce -q "$work/version.h5"
echo "$out" | grep -q "note: the file is from model version 0" || fail "no model version note: $out"

# Bad input: exit 2 with a sentence, never a crash.
head -c 30000 "$work/run.h5" >"$work/truncated.h5"
try reproduce "$work/truncated.h5"
[ "$rc" -eq 2 ] || fail "truncated file: exit $rc, expected 2: $err"
echo "$err" | grep -q "truncated" || fail "truncated file: no clear message: $err"
echo "just text" >"$work/text.h5"
try reproduce "$work/text.h5"
[ "$rc" -eq 2 ] || fail "text file: exit $rc, expected 2: $err"
echo "$err" | grep -q "is not an HDF5 file" || fail "text file: no clear message: $err"
try reproduce "$work/missing.h5"
[ "$rc" -eq 2 ] || fail "missing file: exit $rc, expected 2"
try reproduce --tolerance -1 "$work/run.h5"
[ "$rc" -eq 2 ] || fail "--tolerance -1: exit $rc, expected 2"
try reproduce --replicates 4 "$work/run.h5"
[ "$rc" -eq 2 ] || fail "--replicates beyond the file: exit $rc, expected 2"
try digest "$work/truncated.h5"
[ "$rc" -eq 2 ] || fail "digest of a truncated file: exit $rc, expected 2"

# A statistics-only file is checked through its statistics.
"$sesim" run "$src/scenarios/baseline.ini" -r 3 --set months=24 -q --stats-only -o "$work/stats.h5"
try reproduce -q "$work/stats.h5"
[ "$rc" -eq 0 ] || fail "statistics-only file: exit $rc: $out $err"

# The digest: the same numbers made again (another time, another order of scenarios) give the
# same digest; it is the documented canonical form.
"$sesim" run "$src/scenarios/brokerage.ini" "$src/scenarios/baseline.ini" -r 3 --set months=36 \
    -q -o "$work/again.h5"
one=$("$sesim" digest "$work/run.h5" | cut -d' ' -f1)
two=$("$sesim" digest "$work/again.h5" | cut -d' ' -f1)
[ "$one" = "$two" ] || fail "digests of the same numbers differ: $one $two"
three=$("$sesim" digest "$work/changed.h5" | cut -d' ' -f1)
[ "$one" != "$three" ] || fail "the digest did not change with a value"
/usr/bin/python3 "$src/tests/reproduce/check_digest.py" "$sesim" "$work/run.h5"

rm -rf "$work"
echo "reproduce_cli.sh: all checks passed"
