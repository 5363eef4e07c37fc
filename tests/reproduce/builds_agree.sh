#!/bin/sh
# Builds and thread counts that must agree bit for bit (docs/reproducing.md): the Release and
# the Debug build (-O3 against -O0, both -ffp-contract=off), at 1 and 2 threads, on every
# scenario of the library. Then, for information only, the same run with glibc's math functions
# forced onto their non-FMA code paths, as on a CPU without FMA: the result is printed, not
# judged, because bit-for-bit equality across CPUs is not promised.
# Usage: builds_agree.sh RELEASE_SESIM DEBUG_SESIM SOURCE_DIR WORK_DIR
set -eu
export LC_ALL=C
release=$1
debug=$2
src=$3
work=$4
rm -rf "$work"
mkdir -p "$work"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
[ -x "$debug" ] || fail "no Debug build at $debug (scripts/test builds it in build-debug)"
"$debug" --version | grep -q "Debug" || fail "$debug is not a Debug build: $("$debug" --version)"
# Every scenario of the library, 3 replicates, 10 years: every lever's code runs, and the Debug
# build needs under a minute.
run() {
    binary=$1
    threads=$2
    out=$3
    "$binary" run "$src"/scenarios/*.ini --replicates 3 --set months=120 \
        --threads "$threads" -q -o "$out"
    "$release" digest "$out" | cut -d' ' -f1
}
r1=$(run "$release" 1 "$work/release-1.h5")
r2=$(run "$release" 2 "$work/release-2.h5")
d2=$(run "$debug" 2 "$work/debug-2.h5")
echo "Release, 1 thread:  $r1"
echo "Release, 2 threads: $r2"
echo "Debug,   2 threads: $d2"
if [ "$r1" != "$r2" ] || [ "$r1" != "$d2" ]; then
    echo "Datasets that differ (Release 1 thread against Debug 2 threads):" >&2
    "$release" digest --datasets "$work/release-1.h5" >"$work/a.txt"
    "$release" digest --datasets "$work/debug-2.h5" >"$work/b.txt"
    diff "$work/a.txt" "$work/b.txt" | grep '^[<>]' | head -20 >&2 || true
    fail "builds or thread counts that must agree bit for bit do not"
fi
# The Debug build re-runs the Release build's file to the same numbers.
"$debug" reproduce -q "$work/release-1.h5" >"$work/reproduce.txt" || {
    cat "$work/reproduce.txt" >&2
    fail "the Debug build does not reproduce the Release build's file"
}
tail -1 "$work/reproduce.txt"

# Information: glibc's non-FMA code paths for exp/log/pow/cos (docs/reproducing.md).
GLIBC_TUNABLES=glibc.cpu.hwcaps=-FMA,-FMA4,-AVX2 "$release" reproduce -q "$work/release-1.h5" \
    >"$work/nofma.txt" || true
echo "For information, the Release file re-run with glibc's non-FMA math code paths:"
grep -E '^(identical|different|  [^ ])' "$work/nofma.txt" | head -6
rm -rf "$work"
echo "builds_agree.sh: Release and Debug, 1 and 2 threads: identical"
