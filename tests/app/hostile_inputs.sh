#!/usr/bin/env bash
# Files that are not what they claim, and outputs onto inputs (issue 12). Every case must be
# refused with exit 2 and a message naming the problem, before anything runs, and leave every
# file as it was:
#   1. an output that is one of the command's inputs, by name, hard link or symbolic link:
#      run -o SCENARIO (or its base), sweep -o SWEEP, merge A B -o A, compare --csv RESULT;
#   2. damaged or altered files: a result file with a dataset or an attribute deleted (compare,
#      reproduce, digest), a shard or a sweep's working file with an output deleted (merge,
#      sweep --resume); reproduce never says "identical" about them;
#   3. odd inputs: base = /dev/zero, a FIFO, an end month before its start, bytes that are not
#      UTF-8, a grid whose size overflows 64 bits, a 10 MB value (quoted only in part), an
#      output name longer than the file system allows (found before the simulation).
# Usage: hostile_inputs.sh SESIM SOURCE_DIR
set -euo pipefail
sesim=$1
src=$2
work=$(mktemp -d /tmp/sesim-hostile.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "hostile_inputs: FAILED: $*" >&2; exit 1; }
py=/usr/bin/python3
export OMP_NUM_THREADS=2
cd "$work"

# refused TEXT CMD...: exit 2, TEXT in the message, no file in $work changed or added.
refused() {
  local text=$1
  shift
  local before after out rc=0
  before=$(find . -type f | sort | xargs sha256sum)
  out=$("$@" 2>&1) || rc=$?
  [[ $rc -eq 2 ]] || fail "expected exit 2, got $rc from: $* -> $(head -c 600 <<<"$out")"
  grep -qF -- "$text" <<<"$out" || fail "expected '$text' in: $(head -c 600 <<<"$out")"
  after=$(find . -type f | sort | xargs sha256sum)
  [[ $before == "$after" ]] || fail "files changed by the refused: $*"
  echo "hostile_inputs: refused: $(head -c 200 <<<"${out#error: }" | head -1)"
}

cp "$src/scenarios/baseline.ini" base.ini
cp -r "$src/scenarios/regions" regions
printf 'base = base.ini\nname = policy\n[zwolle]\nbrokerage_budget = 7000\n' >policy.ini
sed -e "s|@BASE@|$work/base.ini|" "$src/tests/app/sweep_small.ini" >small.ini
"$sesim" run base.ini policy.ini -r 4 --set months=12 -q -o study.h5
"$sesim" sweep small.ini --shard 0/2 -o s0.h5 -q
"$sesim" sweep small.ini --shard 1/2 -o s1.h5 -q

# ---- 1. output onto input ------------------------------------------------------------------------
ln policy.ini hard.ini
ln -s study.h5 link.h5
refused "is the input" "$sesim" run policy.ini -r 2 -q -o policy.ini
refused "is the input" "$sesim" run policy.ini -r 2 -q -o base.ini
refused "is the input" "$sesim" run policy.ini -r 2 -q -o hard.ini
refused "is the input" "$sesim" sweep small.ini -q -o small.ini
refused "is the input" "$sesim" sweep small.ini -q -o base.ini
refused "is the input" "$sesim" merge s0.h5 s1.h5 -q -o s0.h5
refused "is the input" "$sesim" compare study.h5 --csv study.h5
refused "is the input" "$sesim" compare study.h5 --csv link.h5
refused "is the input" "$sesim" run base.ini -r 2 -q -o regions/study-regions.csv

# ---- geography tables (issue 10): file, line and column named; nothing written -------------------
mkdir geo
printf 'code,key,population\nR1,a,1000\nR1,b,2000\n' >geo/dup.csv
printf 'regions = dup.csv\n' >geo/dup.ini
refused "dup.csv:3:1: region code 'R1' is given twice" "$sesim" run geo/dup.ini -r 1 -q -o geo/out.h5
printf 'code,key,population\nR1,a,-3\n' >geo/neg.csv
printf 'regions = neg.csv\n' >geo/neg.ini
refused "neg.csv:2:6: bad value for population" "$sesim" run geo/neg.ini -r 1 -q -o geo/out.h5
printf 'code,key\nR1,a\n' >geo/one.csv
printf 'key,kind,serves\nx,school,b\n' >geo/bad-buyers.csv
printf 'regions = one.csv\nbuyers = bad-buyers.csv\n' >geo/serves.ini
refused "bad-buyers.csv:2:10: buyer 'x' serves 'b', which is not a region key" \
  "$sesim" run geo/serves.ini -r 1 -q -o geo/out.h5
printf 'code,key\nR1,a\nR2\n' >geo/ragged.csv
printf 'regions = ragged.csv\n' >geo/ragged.ini
refused "ragged.csv:3: the row has 1 fields, the header 2" "$sesim" run geo/ragged.ini -r 1 -q -o geo/out.h5
printf 'regions = nowhere.csv\n' >geo/missing.ini
refused "geo/missing.ini:1: regions table 'nowhere.csv'" "$sesim" run geo/missing.ini -r 1 -q -o geo/out.h5
printf 'regions = one.csv\nzwolle.population = 5000\n' >geo/key.ini
refused "unknown parameter 'zwolle.population'" "$sesim" run geo/key.ini -r 1 -q -o geo/out.h5

# ---- 2. damaged and altered files ----------------------------------------------------------------
h5edit() { "$py" -c "import h5py, sys
f = h5py.File(sys.argv[1], 'r+')
exec(sys.argv[2])
f.close()" "$@"; }
cp study.h5 no-dataset.h5 && h5edit no-dataset.h5 "del f['policy/se_active']"
cp study.h5 no-stats.h5 && h5edit no-stats.h5 "del f['baseline/jobs_total_stats']"
cp study.h5 no-units.h5 && h5edit no-units.h5 "del f['policy/se_scaled'].attrs['units']"
for f in no-dataset.h5 no-stats.h5 no-units.h5; do
  refused "the file is" "$sesim" compare "$f"
  refused "the file is" "$sesim" digest "$f"
  refused "the file is" "$sesim" reproduce "$f" -q
done
refused "'policy/se_active'" "$sesim" reproduce no-dataset.h5 -q
cp s1.h5 shard-altered.h5 && h5edit shard-altered.h5 "del f['se_active']"
refused "dataset '/se_active' is missing" "$sesim" merge s0.h5 shard-altered.h5 -q -o m.h5
# A working file altered: refused, and kept (it may hold saved runs).
"$sesim" sweep small.ini -q -o resume.h5
mv resume.h5 resume.h5.partial
h5edit resume.h5.partial "del f['design']"
refused "dataset '/design' is missing" "$sesim" sweep small.ini -q -o resume.h5 --resume
[[ -f resume.h5.partial ]] || fail "the altered working file was removed"

# ---- 3. odd inputs -------------------------------------------------------------------------------
printf 'base = /dev/zero\nname = zero\n' >zero.ini
refused "regular files only" "$sesim" run zero.ini -r 2 -q -o out.h5
mkfifo fifo.ini
refused "regular files only" timeout 10 "$sesim" run fifo.ini -r 2 -q -o out.h5
refused "regular files only" "$sesim" compare /dev/zero
printf 'base = base.ini\nname = backwards\n[zwolle]\naccelerator_start = 2022-01\naccelerator_end = 2021-06\n' \
  >backwards.ini
refused "zwolle.accelerator_end (2021-06) is before zwolle.accelerator_start (2022-01)" \
  "$sesim" run backwards.ini -r 2 -q -o out.h5
printf 'base = base.ini\nname = latin1\ndescription = caf\xe9 Zwolle\n' >latin1.ini
refused "not valid UTF-8" "$sesim" run latin1.ini -r 2 -q -o out.h5
cat >huge-grid.ini <<EOF
base = $work/base.ini
design = grid
levels = 1000
[vary]
zwolle.municipality.setaside_share = 0 to 0.3
haarlem.municipality.setaside_share = 0 to 0.3
zwolle.province.setaside_share = 0 to 0.3
haarlem.province.setaside_share = 0 to 0.3
zwolle.hospital.setaside_share = 0 to 0.3
haarlem.hospital.setaside_share = 0 to 0.3
partner_hazard = 0.0005 to 0.008
EOF
refused "more than 9223372036854775807 points" "$sesim" sweep huge-grid.ini -q -o grid.h5
"$py" -c "print('base = base.ini\nname = big\nmonths = ' + '7' * 10000000)" >big.ini
out=$("$sesim" run big.ini -r 2 -q -o out.h5 2>&1) || true
((${#out} < 1000)) || fail "a 10 MB value is quoted whole (${#out} bytes of message)"
refused "bytes long" "$sesim" run big.ini -r 2 -q -o out.h5
long=$(printf 'n%.0s' $(seq 240)).h5
# 100,000 replicates would take hours: refused within the minute means before simulating.
refused "choose a shorter name" timeout 60 "$sesim" run base.ini -r 100000 -q -o "$long"
echo "hostile_inputs: passed"
