#!/usr/bin/env bash
# `sesim sweep` paired and `sesim sensitivity` end to end, through the real command line, on
# small sweeps of the real model. Checks structure and identities, never model numbers:
#   1. a paired Sobol' sweep: its baseline datasets equal, bit for bit, an unpaired sweep of the
#      baseline with the same design (the same random numbers); killed with SIGKILL and
#      resumed, and run as two shards merged, it holds the same data;
#   2. the analysis: table, CSV (one row per parameter, output, date and index) and an HDF5
#      file that xarray opens with the right dimensions; the same numbers at 1 and 2 threads;
#   3. Morris on a paired sweep: mu of the effect = mu of the scenario - mu of the baseline;
#   4. bad input exits 2 and writes nothing: an lhs sweep, an unknown or not kept output, a
#      month outside the sweep, an incomplete file, a shard, a damaged file, a bad --on.
# Usage: sensitivity_cli.sh SESIM SOURCE_DIR
set -euo pipefail
sesim=$1
src=$2
py=/usr/bin/python3
work=$(mktemp -d /tmp/sesim-sensitivity.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "sensitivity_cli: FAILED: $*" >&2; exit 1; }
same() { "$py" "$src/tests/app/sweep_same_data.py" "$1" "$2"; }

# A paired sweep: the 5% set-aside against the baseline, 3 assumptions varied, 2 years.
cat >"$work/paired.ini" <<EOF
name = paired
base = $src/scenarios/setaside_5pct.ini
baseline = $src/scenarios/baseline.ini
design = sobol
samples = 16
replicates = 2
seed = 11
outputs = jobs_target_group, se_scaled, se_active
keep = 2020-06, 2020-12
[set]
months = 24
[vary]
partner_hazard = 0.001 to 0.004 log
entrant_fte = 1 to 2
interest_rate = 0.03 to 0.09
EOF
# The same design on the baseline alone.
sed -e '/^baseline = /d' -e "s|^base = .*|base = $src/scenarios/baseline.ini|" \
  "$work/paired.ini" >"$work/alone.ini"

# ---- 1. the paired sweep file ------------------------------------------------------------------
"$sesim" sweep "$work/paired.ini" -o "$work/paired.h5" -t 2 -q
"$sesim" sweep "$work/alone.ini" -o "$work/alone.h5" -t 2 -q
"$py" - "$work/paired.h5" "$work/alone.h5" <<'PY'
import sys
import h5py
import numpy as np
with h5py.File(sys.argv[1], "r") as p, h5py.File(sys.argv[2], "r") as a:
    assert p.attrs["paired"] == 1 and a.attrs["paired"] == 0
    assert p.attrs["baseline_outputs"].decode() == \
        "jobs_target_group_baseline, se_scaled_baseline, se_active_baseline"
    assert (p["status"][:] == 1).all()
    assert np.array_equal(p["design"][:], a["design"][:])
    for o in ["jobs_target_group", "se_scaled", "se_active"]:
        # Common random numbers: the baseline runs of the paired sweep are the baseline sweep.
        assert np.array_equal(p[o + "_baseline"][:], a[o][:]), o
        assert p[o + "_baseline"].dims[0][0].name == "/run"
    # The set-aside changes something (else the pairing would be vacuous).
    assert not np.array_equal(p["jobs_target_group"][:], p["jobs_target_group_baseline"][:])
print("sensitivity_cli: the paired sweep's baseline equals the baseline sweep, bit for bit")
PY
# Killed with SIGKILL while running, then resumed: the same data.
out=$work/killed.h5
kills=0
for attempt in $(seq 20); do
  [[ -f $out ]] && break
  "$sesim" sweep "$work/paired.ini" -o "$out" -t 2 -q --resume --checkpoint 0.1 &
  pid=$!
  sleep "0.$(printf '%03d' $((50 + RANDOM % 300)))"
  if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null || true
done
[[ -f $out ]] || "$sesim" sweep "$work/paired.ini" -o "$out" -t 2 -q --resume
echo "sensitivity_cli: paired sweep killed $kills times and resumed"
same "$work/paired.h5" "$out"
# Two shards, merged.
"$sesim" sweep "$work/paired.ini" -o "$work/s0.h5" --shard 0/2 -t 1 -q
"$sesim" sweep "$work/paired.ini" -o "$work/s1.h5" --shard 1/2 -t 1 -q
"$sesim" merge "$work/s0.h5" "$work/s1.h5" -o "$work/merged.h5" >/dev/null 2>&1
same "$work/paired.h5" "$work/merged.h5"

# ---- 2. the analysis ---------------------------------------------------------------------------
"$sesim" sensitivity "$work/paired.h5" --at 2020-06,2020-12 --bootstrap 200 -t 1 \
  -o "$work/idx.h5" --csv "$work/idx1.csv" >"$work/table.txt"
cat "$work/table.txt"
grep -q "Sobol' indices of the effect (scenario minus baseline" "$work/table.txt" ||
  fail "the table does not say it analyses the effect"
grep -q "95% percentile bootstrap intervals, 200 resamples of the base samples" "$work/table.txt" ||
  fail "the table does not state the interval"
[[ $(grep -c '^== ' "$work/table.txt") -eq 6 ]] || fail "expected 3 outputs x 2 dates in the table"
"$sesim" sensitivity "$work/paired.h5" --at 2020-06,2020-12 --bootstrap 200 -t 2 \
  --csv "$work/idx2.csv" >/dev/null
cmp "$work/idx1.csv" "$work/idx2.csv" || fail "1 and 2 threads give different indices"
"$sesim" sensitivity "$work/paired.h5" --at 2020-12 --csv - >"$work/stdout.csv"
head -1 "$work/stdout.csv" | grep -qx 'parameter,output,date,quantity,index,estimate,low,high' ||
  fail "--csv - does not write the CSV to standard output"
"$py" - "$work/idx.h5" "$work/idx1.csv" "$work/table.txt" <<'PY'
import csv
import sys
import numpy as np
import xarray as xr
ds = xr.open_dataset(sys.argv[1], engine="netcdf4")
assert dict(ds.sizes) == {"output": 3, "time": 2, "parameter": 3}, dict(ds.sizes)
assert list(ds.output.values) == ["jobs_target_group", "se_scaled", "se_active"]
assert [str(t)[:7] for t in ds.time.values] == ["2020-06", "2020-12"]
assert ds.attrs["method"] == "sobol" and ds.attrs["quantity"] == "effect"
assert ds.attrs["interval"] == "percentile bootstrap over base samples"
for v in ["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]:
    assert ds[v].dims == ("output", "time", "parameter"), v
assert (ds.samples.values == 16).all()
# Identities: ST >= 0 (a mean of squares), intervals ordered.
st = ds.ST.values
assert (st[np.isfinite(st)] >= 0).all()
assert (ds.ST_low.values <= ds.ST_high.values + 1e-15)[np.isfinite(st)].all()
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(rows) == 3 * 3 * 2 * 2, len(rows)      # parameters x outputs x dates x (S1, ST)
for r in rows:
    v = ds[r["index"]].sel(output=r["output"], time=r["date"] + "-01",
                           parameter=r["parameter"]).item()
    if r["estimate"] == "":
        assert np.isnan(v)
    else:
        assert abs(float(r["estimate"]) - v) <= 1e-9 * max(1, abs(v)), (r, v)
# The table ranks by total index, largest first.
blocks = open(sys.argv[3]).read().split("\n== ")[1:]
for b in blocks:
    lines = [l for l in b.splitlines()[2:] if l.strip()]
    st_col = [float(l.split()[1]) for l in lines if l.split()[1] != "-"]
    assert st_col == sorted(st_col, reverse=True), b
print("sensitivity_cli: indices file, CSV and table agree")
PY

# ---- 3. Morris on the paired sweep: mu is linear in the output ---------------------------------
sed -e 's/^design = sobol/design = morris/' -e 's/^samples = 16/trajectories = 5\ncandidates = 12/' \
  "$work/paired.ini" >"$work/morris.ini"
"$sesim" sweep "$work/morris.ini" -o "$work/morris.h5" -t 2 -q
for on in effect scenario baseline; do
  "$sesim" sensitivity "$work/morris.h5" --on $on --bootstrap 100 --csv "$work/m_$on.csv" >/dev/null
done
"$py" - "$work" <<'PY'
import csv
import sys
w = sys.argv[1]
def mu(on):
    return {(r["parameter"], r["output"]): float(r["estimate"])
            for r in csv.DictReader(open(f"{w}/m_{on}.csv")) if r["index"] == "mu"}
e, s, b = mu("effect"), mu("scenario"), mu("baseline")
assert len(e) == 9
for key in e:
    assert abs(e[key] - (s[key] - b[key])) <= 1e-9 * max(1, abs(s[key]), abs(b[key])), key
print("sensitivity_cli: Morris mu(effect) = mu(scenario) - mu(baseline)")
PY

# ---- 4. bad input: exit 2, nothing written -----------------------------------------------------
refused() {
  local text=$1
  shift
  local out rc=0
  rm -f "$work/bad.h5" "$work/bad.csv"
  out=$("$sesim" sensitivity "$@" -o "$work/bad.h5" --csv "$work/bad.csv" 2>&1) || rc=$?
  [[ $rc -eq 2 ]] || fail "expected exit 2, got $rc from: $* -> $out"
  grep -qF -- "$text" <<<"$out" || fail "expected '$text' in: $out"
  [[ ! -e $work/bad.h5 && ! -e $work/bad.csv ]] || fail "an output was written for: $*"
  ls "$work" | grep -q 'tmp-' && fail "a temporary file was left for: $*"
  echo "sensitivity_cli: refused as expected: ${out%%$'\n'*}"
}
sed -e 's/^design = sobol/design = lhs/' "$work/alone.ini" >"$work/lhs.ini"
"$sesim" sweep "$work/lhs.ini" -o "$work/lhs.h5" -t 2 -q
refused "holds a lhs design; Sobol' indices need a 'design = sobol' sweep" "$work/lhs.h5"
refused "unknown output 'jobs_targt_group'" "$work/paired.h5" --outputs jobs_targt_group
refused "output 'social_value' was not kept by this sweep" "$work/paired.h5" --outputs social_value
refused "--at 2030-12 is not a month the sweep kept (2020-06, 2020-12)" "$work/paired.h5" --at 2030-12
refused "is not a month; write YYYY-MM" "$work/paired.h5" --at 2020-13
refused "--on baseline needs a paired sweep" "$work/alone.h5" --on baseline
refused "is shard 0/2 of a sweep; join the shards with 'sesim merge'" "$work/s0.h5"
cp "$work/paired.h5" "$work/incomplete.h5"
"$py" -c "import h5py,sys; f=h5py.File(sys.argv[1],'r+'); f['status'][3]=0; f.close()" "$work/incomplete.h5"
refused "is incomplete: 1 of" "$work/incomplete.h5"
head -c 4000 "$work/paired.h5" >"$work/damaged.h5"
refused "cannot be analysed: it is damaged or not a complete sesim sweep file" "$work/damaged.h5"
refused "no such file" "$work/nothere.h5"
refused "--bootstrap must be 0 to 1000000" "$work/paired.h5" --bootstrap -1
echo "sensitivity_cli: passed"
