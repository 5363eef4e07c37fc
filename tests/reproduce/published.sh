#!/bin/sh
# The published study (scenarios/published/zwolle-haarlem-2019), reproduced at the reduced
# replicate count whose digest is recorded beside the full one: the data must be the same bit
# for bit, and `sesim reproduce` must find the file identical. Any difference fails.
# Usage: published.sh SESIM SOURCE_DIR WORK_DIR [STUDY_NAME]
set -eu
export LC_ALL=C  # scenario files in byte order, as scripts/publish-study lists them
sesim=$1
src=$2
work=$3
name=${4:-zwolle-haarlem-2019}
study=scenarios/published/$name
record=$src/$study/digest-ci.txt
rm -rf "$work"
mkdir -p "$work"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
[ -f "$record" ] || fail "$record is missing: run scripts/publish-study"
field() { sed -n "s/^# $1: //p" "$record"; }
recorded_version=$(field model_version)
replicates=$(field replicates)
seed=$(field seed)
file=$(field file)
fingerprint=$(field libm_fingerprint)
compare_at=$(field compare_at)
this_version=$("$sesim" --version | sed -n 's/.*model version \([0-9]*\).*/\1/p')
if [ "$recorded_version" != "$this_version" ]; then
    fail "the published study $study was recorded with model version $recorded_version, this \
build is model version $this_version: the recorded digests and headline are stale. Rerun \
scripts/publish-study (after bumping SESIM_MODEL_VERSION and adding a CHANGELOG.md line)."
fi

# The published command, at the recorded replicate count, run from the repository root as
# the study's README says. The scenario files are the study's own copies.
cd "$src"
"$sesim" run "$study"/scenarios/*.ini --replicates "$replicates" --seed "$seed" -q \
    -o "$work/$file"
cd "$work"
"$sesim" digest --datasets "$file" >digest.txt
grep -v '^#' "$record" >recorded.txt
if ! cmp -s digest.txt recorded.txt; then
    echo "FAIL: the published study's data differ from the recorded digest ($record)." >&2
    echo "Datasets whose data changed:" >&2
    awk 'NR == FNR { old[$2] = $1; next }
         FNR > 1 && old[$2] != $1 { if (++n <= 30) print "  " $2 }
         END { print "  (" n + 0 " dataset(s) in all)" }' recorded.txt digest.txt >&2
    here=$(/usr/bin/python3 -c 'import sys, h5py; print(h5py.File(sys.argv[1], "r").attrs["libm_fingerprint"].decode())' "$file")
    if [ "$here" != "$fingerprint" ]; then
        echo "Note: this machine's libm fingerprint $here differs from $fingerprint, with which \
the study was recorded: the C library's math functions round differently here, so last-bit \
differences are possible (docs/reproducing.md)." >&2
    fi
    echo "If the model results were meant to change: bump SESIM_MODEL_VERSION, add a CHANGELOG.md \
line, run scripts/update-golden and scripts/publish-study. Otherwise find the change." >&2
    exit 1
fi
echo "published.sh: digest identical to $study/digest-ci.txt ($(head -1 digest.txt | cut -d' ' -f1))"

# The table as `sesim compare` prints it now: a change of compare's statistics or layout makes
# the published headline stale even when the data are the same.
"$sesim" compare "$file" --at "$compare_at" >headline.txt
if ! cmp -s headline.txt "$src/$study/headline-ci.txt"; then
    diff "$src/$study/headline-ci.txt" headline.txt | head -20 >&2 || true
    fail "'sesim compare' no longer prints $study/headline-ci.txt for the same data: the published \
headline tables are stale. If the change of 'sesim compare' is intended, rerun \
scripts/publish-study and commit the new tables."
fi
echo "published.sh: sesim compare prints $study/headline-ci.txt"

# The file alone re-runs to the same numbers.
"$sesim" reproduce -q "$file" >reproduce.txt || {
    cat reproduce.txt >&2
    fail "sesim reproduce did not find the published study's file identical"
}
grep -q '^identical: ' reproduce.txt || fail "sesim reproduce did not say identical"
tail -1 reproduce.txt
cd /
rm -rf "$work"
