#!/usr/bin/env bash
# Runs the Python code of docs/sweeps.md and docs/sensitivity.md, as a reader would, on the
# shipped sweep scenarios/sweeps/levers.ini made small (8 base samples, 2 replicates: 112
# runs): every ```python block of each page, in order, as one script, in a folder laid out
# like the repository (scenarios/, results/).
# Usage: sweep_docs_example.sh SESIM SOURCE_DIR
set -euo pipefail
sesim=$1
src=$2
work=$(mktemp -d /tmp/sesim-sweep-docs.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/scenarios/sweeps" "$work/results"
cp "$src/scenarios/baseline.ini" "$work/scenarios/"
cp -r "$src/scenarios/regions" "$work/scenarios/"
sed -e 's/^samples = .*/samples = 8/' -e 's/^replicates = .*/replicates = 2/' \
  "$src/scenarios/sweeps/levers.ini" >"$work/scenarios/sweeps/levers.ini"
cd "$work"
"$sesim" sweep scenarios/sweeps/levers.ini -o results/levers.h5 -q
/usr/bin/python3 - "$src/docs/sweeps.md" >"$work/example.py" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
if not blocks:
    sys.exit("sweep_docs_example: no ```python block in docs/sweeps.md")
print("\n".join(blocks))
PY
/usr/bin/python3 "$work/example.py"
# docs/sensitivity.md: the commands on the same sweep, then its Python blocks.
"$sesim" sensitivity results/levers.h5 --at 2029-12,2038-12 -o levers_indices.h5 \
  --csv levers.csv >/dev/null
/usr/bin/python3 - "$src/docs/sensitivity.md" >"$work/sensitivity.py" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
if not blocks:
    sys.exit("sweep_docs_example: no ```python block in docs/sensitivity.md")
print("\n".join(blocks))
PY
/usr/bin/python3 "$work/sensitivity.py"
echo "sweep_docs_example: passed"
