#!/usr/bin/python3
"""Draws the charts of a sesim policy study: fan charts of outcomes per scenario over time, and
the effects of every scenario against the baseline with their 95% confidence intervals.

Usage:
  scripts/plot_scenarios.py study.h5 [-o DIR] [--outputs se_scaled,jobs_target_group,...]
                            [--effects EFFECTS.csv | --sesim PATH] [--baseline NAME]
                            [--at YYYY-MM,...] [--formats png,svg]
                            [--region KEY[,KEY...]|all]

Fan charts (fan_<output>.png/.svg): per scenario, the median and the 50% and 90% bands of the
ensemble (the q25-q75 and q05-q95 statistics `sesim run` stores as `<output>_stats`), with the
baseline's median for reference; files written with --stats-only plot as well.

Effects chart (effects.png/.svg): the paired effects of `sesim compare` (scenario minus
baseline, replicate by replicate, with Student-t 95% intervals), read from its CSV (--effects)
or computed by running `sesim compare --csv -` (the binary from --sesim, $SESIM, the PATH, or
build/app/sesim beside this script). The statistics are computed in one place, sesim.

Per region (--region, in addition to the charts of the totals above): the region keys of the file
(e.g. zwolle,haarlem; a name, CBS code or typo gets the closest key suggested), or 'all'.
  fan_<output>_<region>.png/.svg  the fan charts of one region, same look as the totals': the
      quantiles over the replicates of the file's per-region outputs (group <scenario>/regions).
  effects_<region>.png/.svg       the effects chart of one region, from
      `sesim compare --region KEY --csv -` (or --effects: a CSV of `sesim compare --region all
      --csv FILE`, with its column 'region'; the totals' effects chart is then left out).
  effects_<output>_regions.png/.svg  when more than 12 regions are chosen: every region's effect
      at the last date of the comparison, ranked from largest to smallest, one panel per
      scenario (up to 40 regions named on the axis, else the 5 at either end in the panel).
The rule for many regions: named keys are all drawn; 'all' draws per-region files for every
region when the file has at most 12 (the two-region study: 2 x (outputs + 1) files), else for
the 12 largest by the baseline median of the first output in the last month, plus the ranked
charts of all (a national file of 342 regions: 12 x (outputs + 1) files and one per output).
Files written with --totals-only or --stats-only have no per-region outputs: --region fails and
says to re-run 'sesim run' without them.

Needs Debian's python3-xarray (with python3-netcdf4) and python3-matplotlib; run it with
/usr/bin/python3, which has them.
"""
import argparse
import csv
import difflib
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
# --region all draws per-region files for at most this many regions (the largest), so that a
# national file of 342 municipalities gives a readable set; beyond it a ranked chart shows all.
MAX_REGION_CHARTS = 12
RANKED_LABELS = 5  # regions named at each end of a ranked chart with many regions


def euro_text(x, digits=None):
    """An EUR amount as 250k, 1.5m, 2bn (digits: significant digits, else as given)."""
    a = abs(x)
    for scale, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if a >= scale:
            return f"{x / scale:.{digits}g}{suffix}" if digits else f"{x / scale:g}{suffix}"
    return f"{x:.{digits}g}" if digits else f"{x:g}"


def euro_axis(ax, axis="y"):
    """EUR amounts as 250k, 1.5m, 2bn instead of an offset exponent."""
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda x, _pos: euro_text(x)))


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
    return draw_fans(data, groups, baseline, outputs, outdir, formats)


def draw_fans(data, groups, baseline, outputs, outdir, formats, region=None):
    """One file per output, one panel per scenario; region = (key, title) for a region's charts."""
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
        fig.suptitle(f"{LABELS.get(o, o)}{f' in {region[1]}' if region else ''}: "
                     "median, 50% and 90% of the replicates"
                     + (f" [{units}]" if units and units != "1" and o not in LABELS else ""),
                     fontsize=11)
        fig.tight_layout()
        for fmt in formats:
            name = outdir / (f"fan_{o}_{region[0]}.{fmt}" if region else f"fan_{o}.{fmt}")
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


def read_effects(args, region=None):
    """Rows of 'sesim compare --csv': the --effects file, or sesim's output (for region: a key
    or 'all', which adds the column 'region')."""
    if args.effects:
        with open(args.effects, newline="") as f:
            return list(csv.DictReader(f))
    cmd = [find_sesim(args.sesim), "compare", str(args.file), "--csv", "-"]
    if region:
        cmd += ["--region", region]
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


def effects_chart(rows, outputs, outdir, formats, name="effects", where=""):
    """The effects of every scenario; name and where (" in Zwolle") for a region's chart."""
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
    fig.suptitle(f"Effects{where} against '{baseline}' with 95% confidence intervals "
                 "(replicate-paired differences)", fontsize=11)
    fig.tight_layout()
    written = []
    for fmt in formats:
        path = outdir / f"{name}.{fmt}"
        fig.savefig(path, dpi=120)
        written.append(path)
    plt.close(fig)
    return written


def region_table(path, baseline):
    """The regions of the baseline as (keys, {key: 'Name (code)'}), or a failure that says how
    to write a file that has them."""
    with netCDF4.Dataset(path) as nc:
        if "regions" not in nc[baseline].groups:
            attrs = {a: str(nc.getncattr(a)) for a in nc.ncattrs()}
            if attrs.get("sesim_contents", "").startswith("statistics only"):
                fail(f"{path} was written with --stats-only: it keeps neither the replicates nor "
                     "the per-region outputs that --region draws; re-run 'sesim run' without "
                     "--stats-only")
            if attrs.get("per_region") == "totals only":
                fail(f"{path} was written with --totals-only: it keeps no per-region outputs "
                     "for --region to draw; re-run 'sesim run' without --totals-only")
            fail(f"{path} has no per-region outputs (no group {baseline}/regions): it was written "
                 "with --totals-only or --stats-only (or is a sweep's); re-run 'sesim run' "
                 "without them")
    with xr.open_dataset(path, group=f"{baseline}/regions", engine="netcdf4") as ds:
        keys = [str(k) for k in ds["region"].values]
        titles = {k: f"{n} ({c})" for k, n, c in zip(keys, ds["region_name"].values,
                                                      ds["region_code"].values)}
    return keys, titles


def resolve_regions(path, arg, keys, titles):
    """The region keys of --region, checked against the file."""
    if arg == "all":
        return keys
    chosen = list(dict.fromkeys(k.strip() for k in arg.split(",") if k.strip()))
    if not chosen:
        fail("--region takes region keys (e.g. zwolle,haarlem) or 'all'")
    for k in chosen:
        if k in keys:
            continue
        # A name or CBS code typed instead of the key ("Zwolle", "GM0193"), or a typo.
        close = [key for key in keys if k.lower() in titles[key].lower().replace("(", " ")
                 .replace(")", " ").split()] or difflib.get_close_matches(k.lower(), keys, n=3)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        known = (", ".join(keys) if len(keys) <= 20 else
                 f"{len(keys)} keys, the coordinate 'region' of each scenario's group 'regions'")
        fail(f"{path} has no region {k!r}{hint} (--region takes region keys or 'all'; "
             f"its regions: {known})")
    return chosen


def region_fan_data(path, groups, regions, outputs):
    """{region: data as draw_fans takes it}: the quantiles over the replicates of each scenario's
    per-region outputs (the file stores no per-region statistics)."""
    data = {r: {} for r in regions}
    for g in groups:
        with xr.open_dataset(path, group=f"{g}/regions", engine="netcdf4") as ds:
            missing = [o for o in outputs if o not in ds]
            if missing:
                fail(f"scenario {g!r} has no per-region output {missing[0]!r} "
                     "(see 'sesim outputs')")
            present = [r for r in regions if r in ds["region"].values]
            if not present:
                continue
            part = ds.sel(region=present)
            q = {o: np.quantile(part[o].values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
                 for o in outputs}  # (quantile, region, time)
            for i, r in enumerate(present):
                data[r][g] = {o: list(q[o][:, i, :]) for o in outputs}
                data[r][g]["time"] = ds["time"].values
                data[r][g]["units"] = {o: ds[o].attrs.get("units", "") for o in outputs}
    return data


def largest_regions(path, baseline, regions, output, n):
    """The n regions with the largest baseline median of output in the last month."""
    with xr.open_dataset(path, group=f"{baseline}/regions", engine="netcdf4") as ds:
        last = np.median(ds[output].isel(time=-1).sel(region=regions).values, axis=0)
    order = np.argsort(-last, kind="stable")
    return [regions[i] for i in order[:n]]


def ranked_effects_charts(rows, outputs, regions, titles, outdir, formats):
    """Per output, every region's effect at the last date of the comparison, ranked from the
    largest to the smallest, one panel per scenario: what a map would show, without one."""
    wanted = set(regions)
    rows = [r for r in rows if r["measure"] != "ratio" and r.get("region") in wanted]
    if not rows:
        return []
    date = max(r["date"] for r in rows)
    baseline = rows[0]["baseline"]
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    written = []
    for o in outputs:
        sel = [r for r in rows if r["output"] == o and r["date"] == date]
        if not sel:
            continue
        fig, axes = plt.subplots(len(scenarios), 1, figsize=(11, 3.4 * len(scenarios) + 0.7),
                                 squeeze=False)
        for ax, s in zip(axes[:, 0], scenarios):
            value = {id(r): float(r["difference"] or "nan") for r in sel}
            rs = sorted((r for r in sel if r["scenario"] == s),  # largest first, n/a last
                        key=lambda r: (np.isnan(value[id(r)]), -value[id(r)]))
            d = np.array([float(r["difference"] or "nan") for r in rs])
            low = np.array([float(r["ci_low"] or "nan") for r in rs])
            high = np.array([float(r["ci_high"] or "nan") for r in rs])
            x = np.arange(1, len(rs) + 1)  # the ranks
            # Marks thin out as the regions grow so that 342 of them stay apart.
            ax.vlines(x, low, high, color="tab:blue", alpha=0.4,
                      lw=max(0.6, min(3.0, 120 / len(rs))), label="95% interval")
            ax.plot(x, d, "o", color="tab:blue", ms=max(1.5, min(4.0, 160 / len(rs))),
                    label="mean difference")
            ax.axhline(0, color="0.3", lw=0.8)
            names = [titles.get(r["region"], r["region"]).split(" (")[0] for r in rs]
            if len(rs) <= 40:  # every name fits under its point
                ax.set_xticks(x)
                ax.set_xticklabels(names, rotation=60, ha="right", fontsize=7)
            else:  # the ranks on the axis; the RANKED_LABELS at either end named in the panel
                ax.set_xlabel("rank", fontsize=8)
                ax.tick_params(axis="x", labelsize=8)
                ends = list(range(RANKED_LABELS)) + list(range(len(rs) - RANKED_LABELS, len(rs)))
                ax.plot(x[ends], d[ends], "o", color="tab:orange", ms=4)
                eur = rs[0]["units"] == "EUR"
                signed = [("+" if v > 0 else "") + euro_text(v, 3) if eur else f"{v:+.3g}"
                          for v in d]
                lines = [f"{x[i]}. {names[i]}: {signed[i]}" for i in ends]
                box = dict(boxstyle="round", fc="white", ec="0.7", alpha=0.85)
                ax.text(0.22, 0.96, "largest\n" + "\n".join(lines[:RANKED_LABELS]),
                        transform=ax.transAxes, va="top", fontsize=7, bbox=box)
                ax.text(0.78, 0.04, "smallest\n" + "\n".join(lines[RANKED_LABELS:]),
                        transform=ax.transAxes, va="bottom", ha="right", multialignment="left",
                        fontsize=7, bbox=box)
            ax.set_xlim(0, len(rs) + 1)
            ax.set_title(f"{s} ({len(rs)} regions, ranked)", fontsize=9)
            ax.tick_params(axis="y", labelsize=8)
            ax.grid(axis="y", alpha=0.3)
            if any(r["units"] == "EUR" for r in rs):
                euro_axis(ax)
        axes[0, 0].legend(fontsize=7, loc="upper right")
        cumulative = any(r["measure"] == "cumulative" for r in sel)
        label = LABELS.get(o, o).replace("/month", "") + (", cumulative" if cumulative else "")
        fig.suptitle(f"{label}: effect per region in {date} against '{baseline}' "
                     "with 95% confidence intervals", fontsize=11)
        fig.tight_layout()
        for fmt in formats:
            path = outdir / f"effects_{o}_regions.{fmt}"
            fig.savefig(path, dpi=120)
            written.append(path)
        plt.close(fig)
    return written


def region_charts(args, groups, baseline, outputs, regions, titles, formats, given):
    """The per-region charts of --region: fan charts and effects charts per region (for 'all'
    with more than MAX_REGION_CHARTS regions: the largest), and with more regions than that a
    ranked chart of every region's effect."""
    charted = regions
    if args.region == "all" and len(regions) > MAX_REGION_CHARTS:
        charted = largest_regions(args.file, baseline, regions, outputs[0], MAX_REGION_CHARTS)
        print(f"plot_scenarios: {len(regions)} regions: fan and effects charts for the "
              f"{MAX_REGION_CHARTS} largest by {outputs[0]}, a ranked chart of all",
              file=sys.stderr)
    written = []
    fans = region_fan_data(args.file, groups, charted, outputs)
    for r in charted:
        present = [g for g in groups if g in fans[r]]
        written += draw_fans(fans[r], present, baseline, outputs, args.outdir, formats,
                             region=(r, titles[r]))
    if len(groups) < 2:
        print("plot_scenarios: one scenario only: no effects charts per region", file=sys.stderr)
        return written
    if given is not None:  # --effects, checked in main to have the column 'region'
        rows = given
    elif args.region == "all":
        rows = read_effects(args, "all")
    else:  # one comparison per named region: cheaper than all regions of a national file
        rows = [row for r in regions for row in read_effects(args, r)]
    for r in charted:
        mine = [row for row in rows if row.get("region") == r]
        if not mine:
            fail(f"the effects hold no rows for region {r!r}"
                 + (f" ({args.effects} was written for other regions)" if args.effects else ""))
        written += effects_chart(mine, outputs, args.outdir, formats, name=f"effects_{r}",
                                 where=f" in {titles[r]}")
    if len(regions) > MAX_REGION_CHARTS:
        written += ranked_effects_charts(rows, outputs, regions, titles, args.outdir, formats)
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
    p.add_argument("--region", help="also draw per region: region keys KEY,KEY,... or 'all'")
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
    regions = titles = None
    if args.region is not None:  # checked before drawing anything, so a mistake costs nothing
        keys, titles = region_table(args.file, baseline)
        regions = resolve_regions(args.file, args.region.strip(), keys, titles)
    # The rows of --effects: the totals' effects, or (with a column 'region') the regions'.
    given = None
    if args.effects:
        given = read_effects(args)
        per_region = bool(given) and bool(given[0].get("region"))
        if regions and not per_region:
            fail(f"{args.effects} holds the totals' effects (no column 'region'); for --region "
                 f"write it with 'sesim compare {args.file} --region all --csv {args.effects}'")
        if not regions and per_region:
            fail(f"{args.effects} holds effects per region (column 'region'): pass --region, or "
                 f"write the totals' effects with 'sesim compare {args.file} --csv FILE'")
    args.outdir.mkdir(parents=True, exist_ok=True)

    written = fan_charts(args.file, groups, baseline, outputs, args.outdir, formats)
    with xr.open_dataset(args.file, group=baseline, engine="netcdf4") as ds:
        has_replicates = outputs[0] in ds
    if len(groups) < 2:
        print("plot_scenarios: one scenario only: no effects chart", file=sys.stderr)
    elif not has_replicates and not args.effects:
        print("plot_scenarios: statistics-only file: paired effects need the replicates; "
              "no effects chart", file=sys.stderr)
    elif given is not None and regions:  # a per-region CSV: sesim gives no totals with --region
        print(f"plot_scenarios: {args.effects} holds the regions' effects: no effects chart of "
              "the totals", file=sys.stderr)
    else:
        written += effects_chart(given or read_effects(args), outputs, args.outdir, formats)
    if regions:
        written += region_charts(args, groups, baseline, outputs, regions, titles, formats, given)
    for name in written:
        print(name)


if __name__ == "__main__":
    main()
