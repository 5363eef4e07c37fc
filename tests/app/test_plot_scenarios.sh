#!/bin/sh
# scripts/plot_scenarios.py on a small study: the fan charts and the effects chart are written
# as PNG and SVG, also per region (--region), and --region's mistakes fail with a message.
# Usage: test_plot_scenarios.sh SESIM_BINARY SOURCE_DIR WORK_DIR
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

# Per region: fan charts and effects of each region of the two-region study.
chart_ok() {  # FILE: a non-empty PNG or SVG
    [ -s "$1" ] || { echo "missing or empty: $1" >&2; exit 1; }
    case $1 in
    *.png) head -c 8 "$1" | grep -q PNG || { echo "not a PNG: $1" >&2; exit 1; } ;;
    *.svg) grep -q "<svg" "$1" || { echo "not an SVG: $1" >&2; exit 1; } ;;
    esac
}
/usr/bin/python3 "$src/scripts/plot_scenarios.py" "$work/small.h5" -o "$work/all" \
    --sesim "$sesim" --outputs se_scaled,jobs_target_group --region all
for region in zwolle haarlem; do
    for chart in fan_se_scaled_$region fan_jobs_target_group_$region effects_$region; do
        chart_ok "$work/all/$chart.png"
        chart_ok "$work/all/$chart.svg"
    done
done
/usr/bin/python3 "$src/scripts/plot_scenarios.py" "$work/small.h5" -o "$work/zwolle" \
    --sesim "$sesim" --outputs se_scaled --region zwolle --formats png
chart_ok "$work/zwolle/fan_se_scaled_zwolle.png"
chart_ok "$work/zwolle/effects_zwolle.png"
[ ! -e "$work/zwolle/fan_se_scaled_haarlem.png" ] || { echo "--region zwolle drew haarlem" >&2; exit 1; }
# EXPECTED FILE ARGS...: plot_scenarios.py fails, and its message contains EXPECTED.
fails_with() {
    expected=$1
    shift
    if /usr/bin/python3 "$src/scripts/plot_scenarios.py" "$@" -o "$work/bad" --sesim "$sesim" \
        --formats png 2>"$work/err.txt"; then
        echo "plot_scenarios.py $* succeeded; expected a failure" >&2
        exit 1
    fi
    grep -q -- "$expected" "$work/err.txt" || {
        echo "plot_scenarios.py $*: message lacks '$expected':" >&2
        cat "$work/err.txt" >&2
        exit 1
    }
}
fails_with "no region 'bogus'" "$work/small.h5" --region bogus
fails_with "did you mean 'zwolle'" "$work/small.h5" --region zwole
"$sesim" run "$src/scenarios/baseline.ini" -r 2 --set months=12 -q --totals-only \
    -o "$work/totals.h5"
fails_with "written with --totals-only" "$work/totals.h5" --region zwolle
fails_with "written with --stats-only" "$work/stats.h5" --region all
rm -rf "$work"
echo "test_plot_scenarios: charts written"
