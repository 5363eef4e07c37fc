#!/usr/bin/python3
"""Draws the charts of a sesim policy study: fan charts of outcomes per scenario over time, and
the effects of every scenario against the baseline with their 95% confidence intervals.

Usage:
  scripts/plot_scenarios.py study.h5 [-o DIR] [--outputs se_scaled,jobs_target_group,...]
                            [--effects EFFECTS.csv | --sesim PATH] [--baseline NAME]
                            [--at YYYY-MM,...] [--formats png,svg]

Fan charts (fan_<output>.png/.svg): per scenario, the median and the 50% and 90% bands of the
ensemble (the q25-q75 and q05-q95 statistics `sesim run` stores as `<output>_stats`), with the
baseline's median for reference; files written with --stats-only plot as well.

Effects chart (effects.png/.svg): the paired effects of `sesim compare` (scenario minus
baseline, replicate by replicate, with Student-t 95% intervals), read from its CSV (--effects)
or computed by running `sesim compare --csv -` (the binary from --sesim, $SESIM, the PATH, or
build/app/sesim beside this script). The statistics are computed in one place, sesim.

Needs Debian's python3-xarray (with python3-netcdf4) and python3-matplotlib; run it with
/usr/bin/python3, which has them.
"""
import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import netCDF4  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402

KEY_OUTCOMES = ["se_scaled", "se_active", "jobs_target_group", "jobs_total", "social_value",
                "public_spend_se", "programme_cost"]
LABELS = {
    "se_scaled": "scaled SEs",
    "se_active": "active SEs",
    "jobs_target_group": "target-group jobs (FTE)",
    "jobs_total": "total jobs (FTE)",
    "social_value": "social value (EUR/month)",
    "public_spend_se": "public spend on SEs (EUR/month)",
    "programme_cost": "programme cost (EUR/month)",
}


def euro_axis(ax, axis="y"):
    """EUR amounts as 250k, 1.5m, 2bn instead of an offset exponent."""
    def fmt(x, _pos):
        a = abs(x)
        for scale, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
            if a >= scale:
                return f"{x / scale:g}{suffix}"
        return f"{x:g}"
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(matplotlib.ticker.FuncFormatter(fmt))


def fail(message):
    sys.exit(f"plot_scenarios: {message}")


def scenario_groups(path):
    with netCDF4.Dataset(path) as nc:
        if "sesim_version" not in nc.ncattrs():
            fail(f"{path} is not a sesim result file (no sesim_version attribute)")
        return list(nc.groups)


def fan_statistics(ds, output):
    """(q05, q25, q50, q75, q95) over time: the stored statistics, or from the replicates."""
    stats = f"{output}_stats"
    if stats in ds:
        s = ds[stats]
        return [s.sel(statistic=q).values for q in ("q05", "q25", "q50", "q75", "q95")]
    if output in ds:  # a file written before statistics were stored
        return list(np.quantile(ds[output].values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0))
    fail(f"the file has no output {output!r} (see 'sesim outputs')")


def fan_charts(path, groups, baseline, outputs, outdir, formats):
    data = {}
    for g in groups:
        with xr.open_dataset(path, group=g, engine="netcdf4") as ds:
            data[g] = {o: fan_statistics(ds, o) for o in outputs}
            data[g]["time"] = ds["time"].values
            data[g]["units"] = {o: ds[f"{o}_stats" if f"{o}_stats" in ds else o].attrs.get("units", "")
                                for o in outputs}
    written = []
    ncol = min(3, len(groups))
    nrow = (len(groups) + ncol - 1) // ncol
    for o in outputs:
        fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 2.8 * nrow), sharex=True,
                                 sharey=True, squeeze=False)
        for ax in axes.flat[len(groups):]:
            ax.set_visible(False)
        for ax, g in zip(axes.flat, groups):
            t = data[g]["time"]
            q05, q25, q50, q75, q95 = data[g][o]
            ax.fill_between(t, q05, q95, color="tab:blue", alpha=0.2, lw=0, label="90% band")
            ax.fill_between(t, q25, q75, color="tab:blue", alpha=0.4, lw=0, label="50% band")
            ax.plot(t, q50, color="tab:blue", lw=1.5, label="median")
            if g != baseline:
                ax.plot(data[baseline]["time"], data[baseline][o][2], color="0.3", lw=1, ls="--",
                        label=f"{baseline} median")
            ax.set_title(g, fontsize=9)
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.3)
            if data[g]["units"][o] == "EUR":
                euro_axis(ax)
        axes.flat[0].legend(fontsize=7, loc="upper left")
        units = data[groups[0]]["units"][o]
        fig.suptitle(f"{LABELS.get(o, o)}: median, 50% and 90% of the replicates"
                     + (f" [{units}]" if units and units != "1" and o not in LABELS else ""),
                     fontsize=11)
        fig.tight_layout()
        for fmt in formats:
            name = outdir / f"fan_{o}.{fmt}"
            fig.savefig(name, dpi=120)
            written.append(name)
        plt.close(fig)
    return written


def find_sesim(given):
    for candidate in (given, os.environ.get("SESIM"), shutil.which("sesim"),
                      str(Path(__file__).resolve().parent.parent / "build" / "app" / "sesim")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    fail("cannot find the sesim binary for the effects: pass --sesim PATH or --effects CSV")


def read_effects(args):
    if args.effects:
        with open(args.effects, newline="") as f:
            return list(csv.DictReader(f))
    cmd = [find_sesim(args.sesim), "compare", str(args.file), "--csv", "-"]
    if args.baseline:
        cmd += ["--baseline", args.baseline]
    if args.at:
        cmd += ["--at", args.at]
    if args.outputs:
        cmd += ["--outputs", args.outputs]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"'{' '.join(cmd)}' failed:\n{run.stderr.strip()}")
    return list(csv.DictReader(io.StringIO(run.stdout)))


def effects_chart(rows, outputs, outdir, formats):
    rows = [r for r in rows if r["measure"] != "ratio" and r["output"] in outputs]
    if not rows:
        fail("the comparison holds no effects for the chosen outputs")
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    dates = sorted(set(r["date"] for r in rows))
    baseline = rows[0]["baseline"]
    ncol = min(4, len(outputs))
    nrow = (len(outputs) + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.6 * ncol, (0.32 * len(scenarios) + 1.2) * nrow),
                             sharey=True, squeeze=False)
    for ax in axes.flat[len(outputs):]:
        ax.set_visible(False)
    y = np.arange(len(scenarios))
    offsets = np.linspace(-0.2, 0.2, len(dates)) if len(dates) > 1 else [0.0]
    colours = plt.cm.viridis(np.linspace(0.15, 0.75, len(dates)))
    for ax, o in zip(axes.flat, outputs):
        for d, off, colour in zip(dates, offsets, colours):
            sel = {r["scenario"]: r for r in rows if r["output"] == o and r["date"] == d}
            mean = np.array([float(sel[s]["difference"]) if s in sel else np.nan for s in scenarios])
            low = np.array([float(sel[s]["ci_low"] or "nan") if s in sel else np.nan for s in scenarios])
            high = np.array([float(sel[s]["ci_high"] or "nan") if s in sel else np.nan for s in scenarios])
            ax.errorbar(mean, y + off, xerr=[mean - low, high - mean], fmt="o", ms=4, capsize=2,
                        color=colour, label=d)
        ax.axvline(0, color="0.3", lw=0.8)
        cumulative = any(r["measure"] == "cumulative" for r in rows if r["output"] == o)
        if any(r["units"] == "EUR" for r in rows if r["output"] == o):
            euro_axis(ax, "x")
        label = LABELS.get(o, o).replace("/month", "") + (", cumulative" if cumulative else "")
        ax.set_title(label, fontsize=9)
        ax.tick_params(labelsize=8)
        ax.grid(axis="x", alpha=0.3)
    for row in axes:
        row[0].set_yticks(y)
        row[0].set_yticklabels(scenarios, fontsize=8)
    axes.flat[0].invert_yaxis()  # shared: the first scenario on top in every panel
    axes.flat[len(outputs) - 1].legend(fontsize=7, title="date", title_fontsize=7)
    fig.suptitle(f"Effects against '{baseline}' with 95% confidence intervals "
                 "(replicate-paired differences)", fontsize=11)
    fig.tight_layout()
    written = []
    for fmt in formats:
        name = outdir / f"effects.{fmt}"
        fig.savefig(name, dpi=120)
        written.append(name)
    plt.close(fig)
    return written


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("file", type=Path, help="result file of 'sesim run'")
    p.add_argument("-o", "--outdir", type=Path, default=Path("plots"), help="folder for the charts")
    p.add_argument("--outputs", help="comma-separated outputs (default: the key outcomes)")
    p.add_argument("--baseline", help="baseline scenario (default: 'baseline', else the first)")
    p.add_argument("--at", help="dates of the effects, YYYY-MM,... (default: sesim compare's)")
    p.add_argument("--effects", help="CSV of 'sesim compare --csv' instead of running sesim")
    p.add_argument("--sesim", help="the sesim binary that computes the effects")
    p.add_argument("--formats", default="png,svg", help="image formats (default: png,svg)")
    args = p.parse_args()

    if not args.file.is_file():
        fail(f"no such file: {args.file}")
    groups = scenario_groups(args.file)
    if not groups:
        fail(f"{args.file} holds no scenarios")
    baseline = args.baseline or ("baseline" if "baseline" in groups else groups[0])
    if baseline not in groups:
        fail(f"{args.file} has no scenario {baseline!r}; it holds {', '.join(groups)}")
    outputs = [o for o in (args.outputs or ",".join(KEY_OUTCOMES)).split(",") if o]
    formats = [f for f in args.formats.split(",") if f]
    args.outdir.mkdir(parents=True, exist_ok=True)

    written = fan_charts(args.file, groups, baseline, outputs, args.outdir, formats)
    with xr.open_dataset(args.file, group=baseline, engine="netcdf4") as ds:
        has_replicates = outputs[0] in ds
    if len(groups) < 2:
        print("plot_scenarios: one scenario only: no effects chart", file=sys.stderr)
    elif not has_replicates and not args.effects:
        print("plot_scenarios: statistics-only file: paired effects need the replicates; "
              "no effects chart", file=sys.stderr)
    else:
        written += effects_chart(read_effects(args), outputs, args.outdir, formats)
    for name in written:
        print(name)


if __name__ == "__main__":
    main()
