#!/usr/bin/python3
"""Golden-file test of model results: a small run compared with the summary stored in git.

    golden.py check  SESIM GOLDEN.json WORK_DIR   (ctest golden.*)
    golden.py update SESIM GOLDEN.json WORK_DIR   (scripts/update-golden only)

The golden file records the run (scenario, replicates, months, seed), the model version, the
date, the libm fingerprint of the machine that wrote it, a relative tolerance, the digest of
the data (`sesim digest`, docs/reproducing.md) and per output its digest and its mean over the
replicates at a few months, so that a reviewer sees in the diff what changed and by how much.

`check` passes when the digest is the same. With another libm fingerprint (another CPU family
or C library, docs/reproducing.md) bit-for-bit equality is not promised: the means must then
agree within the tolerance. Any other difference fails and says what to do.
"""
import datetime
import json
import os
import subprocess
import sys

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))

ADVICE = """
If this change of model results is intended:
  1. bump SESIM_MODEL_VERSION in CMakeLists.txt,
  2. add a line to CHANGELOG.md naming what changed in results and why,
  3. run scripts/update-golden and scripts/publish-study, and commit the changed files.
If it is not intended, find the change that altered the results (git diff, git bisect)."""

# What a new golden file runs; an existing file's own run description wins.
DEFAULT_RUN = {
    "scenario": "scenarios/baseline.ini",
    "replicates": 4,
    "months": 60,
    "seed": 20190412,
    "summary_months": ["2019-12", "2021-12", "2023-12"],
}
DEFAULT_TOLERANCE = 1e-9


def run_sesim(sesim, run, out):
    cmd = [sesim, "run", os.path.join(SOURCE, run["scenario"]), "--replicates",
           str(run["replicates"]), "--seed", str(run["seed"]), "--set",
           "months=%d" % run["months"], "-q", "-o", out]
    subprocess.run(cmd, check=True)


def digests(sesim, path):
    text = subprocess.run([sesim, "digest", "--datasets", path], check=True,
                          capture_output=True, text=True).stdout.splitlines()
    overall = text[0].split()[0]
    per = {}
    for line in text[1:]:
        sha, name = line.split()[:2]
        per[name] = sha
    return overall, per


def summarise(sesim, path, run):
    overall, per = digests(sesim, path)
    outputs = {}
    with h5py.File(path, "r") as f:
        attrs = dict(f.attrs)
        group = f[os.path.splitext(os.path.basename(run["scenario"]))[0]]
        start = group["parameters"].attrs["start_month"]
        start = start.decode() if isinstance(start, bytes) else str(start)
        y0, m0 = (int(x) for x in start.split("-"))
        prefix = group.name.strip("/") + "/"
        # The outputs in declaration order, as the digest lists them.
        names = [p[len(prefix):] for p in per if p.startswith(prefix) and not p.endswith("_stats")]
        for name in names:
            data = group[name][...]
            means = {}
            for month in run["summary_months"]:
                y, m = (int(x) for x in month.split("-"))
                t = (y - y0) * 12 + (m - m0)
                means[month] = float(data[:, t].mean())
            outputs[name] = {"digest": per[prefix + name], "mean": means}

    def text(key):
        v = attrs.get(key, b"")
        return v.decode() if isinstance(v, bytes) else str(v)

    return {
        "model_version": int(attrs["model_version"]),
        "sesim_version": text("sesim_version"),
        "git_commit": text("git_commit"),
        "libm_fingerprint": text("libm_fingerprint"),
        "libc": text("libc"),
        "cpu": text("cpu"),
        "digest": overall,
        "outputs": outputs,
    }


def command_text(run):
    return ("sesim run %s --replicates %d --seed %d --set months=%d -o small.h5"
            % (run["scenario"], run["replicates"], run["seed"], run["months"]))


def update(sesim, golden_path, work):
    old = {}
    if os.path.exists(golden_path):
        with open(golden_path) as f:
            old = json.load(f)
    run = old.get("run", DEFAULT_RUN)
    out = os.path.join(work, "golden.h5")
    run_sesim(sesim, run, out)
    s = summarise(sesim, out, run)
    golden = {
        "about": "Golden summary of a small sesim run. Regenerated only by scripts/update-golden; "
                 "checked by ctest (golden.*). A change here must come with a new "
                 "SESIM_MODEL_VERSION and a CHANGELOG.md line.",
        "model_version": s["model_version"],
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "tolerance": old.get("tolerance", DEFAULT_TOLERANCE),
        "command": command_text(run),
        "run": run,
        "written_by": {k: s[k] for k in ("sesim_version", "git_commit", "libc", "cpu")},
        "libm_fingerprint": s["libm_fingerprint"],
        "digest": s["digest"],
        "outputs": s["outputs"],
    }
    with open(golden_path, "w") as f:
        json.dump(golden, f, indent=1, sort_keys=False)
        f.write("\n")
    print("golden.py: wrote %s (model version %d, digest %s)"
          % (golden_path, golden["model_version"], golden["digest"]))
    return 0


def relative(a, b):
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale > 0 else 0.0


def check(sesim, golden_path, work):
    with open(golden_path) as f:
        golden = json.load(f)
    run = golden["run"]
    out = os.path.join(work, "golden.h5")
    run_sesim(sesim, run, out)
    s = summarise(sesim, out, run)
    name = os.path.relpath(golden_path, SOURCE)
    if s["model_version"] != golden["model_version"]:
        print("FAIL: %s is for model version %d, this build is model version %d: the golden file "
              "is stale. Run scripts/update-golden (and scripts/publish-study) and make sure "
              "CHANGELOG.md names the change." % (name, golden["model_version"],
                                                  s["model_version"]))
        return 1
    if s["digest"] == golden["digest"]:
        print("golden.py: %s: identical (digest %s, model version %d)"
              % (name, s["digest"], s["model_version"]))
        return 0

    tol = golden["tolerance"]
    changed = []
    for output, g in golden["outputs"].items():
        now = s["outputs"].get(output)
        if now is None:
            changed.append("  %s: no longer an output" % output)
            continue
        if now["digest"] == g["digest"]:
            continue
        worst = max(relative(g["mean"][m], now["mean"][m]) for m in g["mean"])
        cells = ", ".join("%s %.10g -> %.10g" % (m, g["mean"][m], now["mean"][m])
                          for m in g["mean"])
        changed.append("  %s (largest relative change of the means %.3g): %s"
                       % (output, worst, cells) + ("" if worst > tol else " [within tolerance]"))
    for output in s["outputs"]:
        if output not in golden["outputs"]:
            changed.append("  %s: new output, not in the golden file" % output)
    unchanged = all(o in s["outputs"] and s["outputs"][o]["digest"] == g["digest"]
                    for o, g in golden["outputs"].items())
    if unchanged:
        print("FAIL: %s: every recorded output is unchanged, but the run has new outputs:\n%s\n"
              "Results of existing outputs did not change, so the model version need not change: "
              "run scripts/update-golden and scripts/publish-study and commit the new files."
              % (name, "\n".join(changed)))
        return 1
    worst_all = max([relative(g["mean"][m], s["outputs"][o]["mean"][m])
                     for o, g in golden["outputs"].items() if o in s["outputs"]
                     for m in g["mean"]] + [0.0])
    other_libm = s["libm_fingerprint"] != golden["libm_fingerprint"]
    if other_libm and worst_all <= tol and all(o in s["outputs"] for o in golden["outputs"]):
        print("golden.py: %s: equal within tolerance %g (largest relative difference %.3g). The "
              "digest differs, as it may on this machine: its libm fingerprint %s differs from "
              "the golden file's %s (docs/reproducing.md)."
              % (name, tol, worst_all, s["libm_fingerprint"], golden["libm_fingerprint"]))
        return 0
    print("FAIL: model results changed for the same inputs (model version %d).\n"
          "%s: `%s`\n  golden digest %s\n  this build    %s\n"
          "Outputs whose data changed:\n%s"
          % (s["model_version"], name, golden["command"], golden["digest"], s["digest"],
             "\n".join(changed)))
    if other_libm:
        print("Note: this machine's libm fingerprint %s differs from the golden file's %s, but "
              "the differences exceed the tolerance %g." % (s["libm_fingerprint"],
                                                           golden["libm_fingerprint"], tol))
    print(ADVICE)
    return 1


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("check", "update"):
        print(__doc__)
        return 2
    mode, sesim, golden_path, work = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    return (check if mode == "check" else update)(sesim, golden_path, work)


if __name__ == "__main__":
    sys.exit(main())
