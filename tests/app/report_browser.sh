#!/usr/bin/env bash
# The pages of `sesim report` in headless Chromium (tests/app/report_browser.mjs): a small
# study of three scenarios, its `sesim compare --csv`, its report in English and in Dutch.
# The Dutch page also gets a sensitivity CSV. Usage: report_browser.sh SESIM_BINARY SOURCE_DIR WORK_DIR
# Needs Debian's chromium and Node.js, and report/node_modules from `npm ci` (scripts/setup).
set -euo pipefail
sesim=$1
src=$2
work=$3
playwright="$src/report/node_modules/playwright-core"
if [[ ! -x /usr/bin/chromium ]] || ! command -v node >/dev/null || [[ ! -f "$playwright/index.mjs" ]]; then
    echo "report_browser: needs /usr/bin/chromium, node and $playwright: run scripts/setup" >&2
    exit 1
fi
rm -rf "$work"
mkdir -p "$work"
"$sesim" run "$src/scenarios/baseline.ini" "$src/scenarios/setaside_5pct.ini" \
    "$src/scenarios/brokerage.ini" -r 8 --set months=48 -q -o "$work/study.h5"
"$sesim" compare "$work/study.h5" --at 2020-12,2022-12 --csv "$work/compare.csv" \
    >"$work/compare.txt"
# A sensitivity result for the Dutch page (made-up indices: the page lists, it does not judge).
cat >"$work/sensitivity.csv" <<'CSV'
parameter,output,date,index,estimate,low,high
zwolle.population,jobs_target_group,2022-12,ST,0.12,0.08,0.16
haarlem.accelerator_budget,jobs_target_group,2022-12,ST,0.45,0.40,0.50
zwolle.municipality.adoption,jobs_target_group,2022-12,ST,0.30,,
CSV
"$sesim" report "$work/study.h5" --at 2020-12,2022-12 --lang en -o "$work/report-en.html" 2>/dev/null
"$sesim" report "$work/study.h5" --at 2020-12,2022-12 --lang nl -o "$work/report-nl.html" \
    --sensitivity "$work/sensitivity.csv" 2>/dev/null
node "$src/tests/app/report_browser.mjs" "$playwright" "$work"
rm -rf "$work"
