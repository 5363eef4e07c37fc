#!/usr/bin/env bash
# scripts/gen-sensitivity-doc: the shipped sweep varies every assumption of model/params.def
# (--check; this fails when a new assumption is added and not swept, which keeps the ranking of
# docs/sensitivity.md complete), and the generator writes the ranking from a sweep made tiny
# (2 trajectories, 24 months) into a copy of the page: one row per assumption, the rest of the
# page unchanged.
# Usage: gen_sensitivity_doc.sh SESIM SOURCE_DIR
set -euo pipefail
sesim=$1
src=$2
work=$(mktemp -d /tmp/sesim-gen-sensitivity.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "gen_sensitivity_doc: FAILED: $*" >&2; exit 1; }
gen=$src/scripts/gen-sensitivity-doc
ship=$src/scenarios/sweeps/sensitivity_setaside.ini

"$gen" --sesim "$sesim" --sweep "$ship" --check

mkdir -p "$work/scenarios/sweeps"
cp "$src"/scenarios/baseline.ini "$src"/scenarios/setaside_5pct.ini "$work/scenarios/"
cp -r "$src"/scenarios/regions "$work/scenarios/"
sed -e 's/^trajectories = .*/trajectories = 2/' -e '/^candidates = /d' \
  -e 's/^months = .*/months = 24/' -e 's/^keep = .*/keep = 2020-12/' \
  "$ship" >"$work/scenarios/sweeps/sensitivity_setaside.ini"
"$sesim" sweep "$work/scenarios/sweeps/sensitivity_setaside.ini" -o "$work/tiny.h5" -t 2 -q
cp "$src/docs/sensitivity.md" "$work/page.md"
"$gen" --sesim "$sesim" --sweep "$work/scenarios/sweeps/sensitivity_setaside.ini" \
  --result "$work/tiny.h5" --doc "$work/page.md"
/usr/bin/python3 - "$src/docs/sensitivity.md" "$work/page.md" "$work/scenarios/sweeps/sensitivity_setaside.ini" <<'PY'
import re
import sys
old, new, sweep = (open(p).read() for p in sys.argv[1:])
begin, end = "<!-- BEGIN generated", "<!-- END generated"
assert old[:old.index(begin)] == new[:new.index(begin)], "text before the section changed"
assert old[old.index(end):] == new[new.index(end):], "text after the section changed"
section = new[new.index(begin):new.index(end)]
rows = [l for l in section.splitlines() if re.match(r"\| \d+ \| `", l)]
vary = sweep.split("[vary]", 1)[1]
keys = [l.split("=")[0].strip() for l in vary.splitlines()
        if "=" in l and not l.lstrip().startswith("#")]
assert len(rows) == len(keys), (len(rows), len(keys))
assert sorted(re.match(r"\| \d+ \| `([^`]+)`", r).group(1) for r in rows) == sorted(keys)
assert [int(r.split("|")[1]) for r in rows] == list(range(1, len(rows) + 1))
assert "2 Morris trajectories x 2 replicates" in section
print(f"gen_sensitivity_doc: {len(rows)} assumptions ranked")
PY
echo "gen_sensitivity_doc: passed"
