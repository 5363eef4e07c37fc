#!/usr/bin/python3
"""Each fact of the model brief on the default baseline (issue 8, docs/ODD.md section 8).

usage: tests/model/test_facts.py SESIM_BINARY SOURCE_DIR

Runs `sesim run scenarios/baseline.ini -r 40 --seed 20190412` (fixed seed: the result is the
same on every run, so the test is deterministic and never retried), computes the facts with
scripts/facts.py --json and checks every fact against its accepted range. The range is what
the fact's source supports (scripts/facts.py FACTS); with 40 replicates the Monte Carlo
standard error of each fact is printed next to it, and is far below the width of its range.

Facts that scripts/facts.py marks as expected misses (EXPECTED_MISS, with the reason) must
stay outside their range on the side the reason documents (SIDE below): a change that moves
one into its range, or to the other side, fails here so that the table and its explanation
are updated together.
"""
import json
import os
import subprocess
import sys
import tempfile

REPLICATES = 40
SEED = 20190412
# Side of the accepted range on which each documented miss lies: the share above EUR 1m is below
# 27% (turnover per SE matched at EUR 580k with a single lognormal of sizes).
SIDE = {"over_1m": "below"}


def main():
    sesim, src = sys.argv[1], sys.argv[2]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        result = os.path.join(tmp, "baseline.h5")
        facts = os.path.join(tmp, "facts.json")
        env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "2"))
        subprocess.run([sesim, "run", os.path.join(src, "scenarios", "baseline.ini"), "-r",
                        str(REPLICATES), "--seed", str(SEED), "-q", "-o", result],
                       check=True, env=env)
        # facts.py exits 1 when a fact is missed without explanation; the checks below report
        # which, so its exit code is not used here.
        subprocess.run(["/usr/bin/python3", os.path.join(src, "scripts", "facts.py"), result,
                        "--json", facts], check=False, stdout=subprocess.DEVNULL)
        with open(facts) as f:
            table = json.load(f)["facts"]
    if not table:
        failures.append("facts.py returned no facts")
    for r in table:
        key, mean, se, lo, hi = r["key"], r["mean"], r["se"], r["low"], r["high"]
        line = (f"{key:<22} {mean:12.4g} ± {se:.2g}  range [{lo:.4g}, {hi:.4g}]  "
                f"n={r['n']}")
        if r["n"] != REPLICATES:
            failures.append(f"{key}: {r['n']} of {REPLICATES} replicates have a value")
        miss = r.get("expected_miss", "")
        if miss:
            side = SIDE.get(key)
            if side is None:
                failures.append(f"{key}: an expected miss without a documented side; add it "
                                "to SIDE in tests/model/test_facts.py")
            elif r["ok"]:
                failures.append(f"{key}: now within its range ({mean:.4g}); remove it from "
                                "EXPECTED_MISS in scripts/facts.py")
            elif (side == "above") != (mean > hi):
                failures.append(f"{key}: the documented miss is {side} the range, the model "
                                f"is at {mean:.4g}")
            print(line + f"  expected miss ({side})")
        else:
            if not r["ok"]:
                failures.append(f"{key}: {mean:.4g} ± {se:.2g} outside [{lo:.4g}, {hi:.4g}] "
                                f"({r['description']}; {r['source']})")
            print(line + ("  ok" if r["ok"] else "  MISS"))
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
