#!/usr/bin/env bash
# The pages of `sesim report` in headless Chromium (tests/app/report_browser.mjs): a small
# study of three scenarios, its `sesim compare --csv`, its report in English and in Dutch.
# Usage: report_browser.sh SESIM_BINARY SOURCE_DIR WORK_DIR
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
"$sesim" compare "$work/study.h5" --at 2020-12,2022-12 --csv "$work/compare.csv" >/dev/null
for lang in en nl; do
    "$sesim" report "$work/study.h5" --at 2020-12,2022-12 --lang "$lang" \
        -o "$work/report-$lang.html" 2>/dev/null
done
node "$src/tests/app/report_browser.mjs" "$playwright" "$work"
rm -rf "$work"
