#!/bin/sh
# scripts/plot_scenarios.py on a small study: the fan charts and the effects chart are written
# as PNG and SVG. Usage: test_plot_scenarios.sh SESIM_BINARY SOURCE_DIR WORK_DIR
set -eu
sesim=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
"$sesim" run "$src/scenarios/baseline.ini" "$src/scenarios/setaside_5pct.ini" \
    "$src/scenarios/brokerage.ini" -r 4 --set months=36 -q -o "$work/small.h5"
/usr/bin/python3 "$src/scripts/plot_scenarios.py" "$work/small.h5" -o "$work/plots" \
    --sesim "$sesim" --outputs se_scaled,jobs_target_group,public_spend_se
for chart in fan_se_scaled fan_jobs_target_group fan_public_spend_se effects; do
    png="$work/plots/$chart.png"
    svg="$work/plots/$chart.svg"
    [ -s "$png" ] || { echo "missing or empty: $png" >&2; exit 1; }
    [ -s "$svg" ] || { echo "missing or empty: $svg" >&2; exit 1; }
    head -c 8 "$png" | grep -q PNG || { echo "not a PNG: $png" >&2; exit 1; }
    grep -q "<svg" "$svg" || { echo "not an SVG: $svg" >&2; exit 1; }
done
# A statistics-only file still gives the fan charts (the effects need the replicates).
"$sesim" run "$src/scenarios/baseline.ini" "$src/scenarios/brokerage.ini" -r 4 --set months=12 \
    -q --stats-only -o "$work/stats.h5"
/usr/bin/python3 "$src/scripts/plot_scenarios.py" "$work/stats.h5" -o "$work/stats-plots" \
    --outputs se_scaled --formats png
[ -s "$work/stats-plots/fan_se_scaled.png" ] || { echo "no fan chart from --stats-only" >&2; exit 1; }
rm -rf "$work"
echo "test_plot_scenarios: charts written"
