#!/usr/bin/python3
"""The geography tables of scenarios/regions/ (issue 10, point 5).

usage: tests/data/test_regions_data.py [SOURCE_DIR]     (default: this repository)

Rebuilds the national tables with scripts/build-regions into a temporary directory and requires
the committed ones to be byte-identical (a stale table fails here), then checks their contents
against the data and the model brief as scenarios/regions/README.md states them, and the
study tables against scenarios/baseline.ini. Reads only the repository.
"""
import csv
import math
import os
import re
import subprocess
import sys
import tempfile
import unittest

SRC = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                      os.path.join(os.path.dirname(__file__), "..", ".."))
REGIONS = os.path.join(SRC, "scenarios", "regions")
TABLES = ("nl-2023-regions.csv", "nl-2023-buyers.csv", "nl-2023-links.csv")
PROVINCES = {"groningen", "fryslan", "drenthe", "overijssel", "flevoland", "gelderland",
             "utrecht", "noord_holland", "zuid_holland", "zeeland", "noord_brabant", "limburg"}
KINDS = {"municipality", "province", "hospital", "school"}

NATIONAL_POPULATION = 17811291   # data/nl-municipalities/README.md
NATIONAL_SMES = 1750000          # README: CBS 2019, the stated total
NATIONAL_SES = 6000              # README: SE Monitor 2018, the stated total
# Municipal procurement against the model brief, within a factor 1.35 either way (README:
# no common rule gets both within a factor 1.28).
PROCUREMENT = {"zwolle": 140e6, "haarlem": 250e6}
PROCUREMENT_FACTOR = 1.35
ADDRESSABLE_SHARE = 0.20


def read_table(path):
    """Rows of a table: leading '#' lines skipped, then a header; every row as long as it."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        start += 1
    rows = list(csv.reader(lines[start:]))
    rows = [r for r in rows if r]
    header, body = rows[0], rows[1:]
    for r in body:
        if len(r) != len(header):
            raise AssertionError(f"{path}: ragged row {r}")
    return header, [dict(zip(header, r)) for r in body]


def value(text):
    """A number as a float (28e6 == 28000000), anything else (a month, 2016-01) as text."""
    try:
        return float(text)
    except ValueError:
        return text


def read_ini(path):
    """Sections of a scenario file: {section: {key: value}}, '' for the global part."""
    sections, current = {"": {}}, ""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            m = re.fullmatch(r"\[(.+)\]", line)
            if m:
                current = m.group(1)
                sections.setdefault(current, {})
            else:
                key, value = (s.strip() for s in line.split("=", 1))
                sections[current][key] = value
    return sections


class NationalTables(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rh, cls.regions = read_table(os.path.join(REGIONS, TABLES[0]))
        cls.bh, cls.buyers = read_table(os.path.join(REGIONS, TABLES[1]))
        cls.lh, cls.links = read_table(os.path.join(REGIONS, TABLES[2]))
        cls.by_key = {r["key"]: r for r in cls.regions}

    def test_rebuild_is_identical(self):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, os.path.join(SRC, "scripts", "build-regions"), tmp],
                           check=True, stdout=subprocess.DEVNULL)
            for name in TABLES:
                with open(os.path.join(tmp, name), "rb") as a, \
                        open(os.path.join(REGIONS, name), "rb") as b:
                    self.assertTrue(a.read() == b.read(),
                                    f"{name} is stale: run scripts/build-regions and commit it")

    def test_headers(self):
        self.assertEqual(self.rh, ["code", "key", "name", "province", "population", "smes",
                                   "initial_ses"])
        self.assertEqual(self.bh, ["key", "kind", "name", "serves", "budget", "adoption",
                                   "social_return", "social_return_threshold"])
        self.assertEqual(self.lh, ["from", "to", "weight"])

    def test_regions(self):
        self.assertEqual(len(self.regions), 342)
        codes = [r["code"] for r in self.regions]
        keys = [r["key"] for r in self.regions]
        self.assertEqual(len(set(codes)), 342)
        self.assertEqual(len(set(keys)), 342)
        for r in self.regions:
            self.assertRegex(r["code"], r"^GM\d{4}$")
            self.assertRegex(r["key"], r"^[a-z][a-z0-9_]*$")
            self.assertNotIn("__", r["key"])
            self.assertFalse(r["key"].endswith("_"))
            self.assertIn(r["province"], PROVINCES)
            self.assertTrue(r["name"])
        self.assertFalse(set(keys) & (PROVINCES | KINDS | {"all"}))
        self.assertEqual({r["province"] for r in self.regions}, PROVINCES)
        self.assertEqual(self.by_key["zwolle"]["code"], "GM0193")
        self.assertEqual(self.by_key["haarlem"]["code"], "GM0392")
        self.assertEqual(self.by_key["s_gravenhage"]["code"], "GM0518")
        self.assertEqual(self.by_key["s_hertogenbosch"]["code"], "GM0796")
        self.assertEqual(self.by_key["aa_en_hunze"]["code"], "GM1680")

    def test_national_totals(self):
        self.assertEqual(sum(int(r["population"]) for r in self.regions), NATIONAL_POPULATION)
        self.assertEqual(sum(int(r["smes"]) for r in self.regions), NATIONAL_SMES)
        self.assertEqual(sum(int(r["initial_ses"]) for r in self.regions), NATIONAL_SES)
        for r in self.regions:
            self.assertGreater(int(r["smes"]), 0)
            self.assertGreaterEqual(int(r["initial_ses"]), 0)

    def test_buyers(self):
        keys = [b["key"] for b in self.buyers]
        self.assertEqual(len(set(keys)), len(keys))
        kinds = [b["kind"] for b in self.buyers]
        self.assertTrue(set(kinds) <= KINDS)
        self.assertEqual(kinds.count("municipality"), 342)
        provinces = [b for b in self.buyers if b["kind"] == "province"]
        self.assertEqual({b["key"] for b in provinces}, PROVINCES)
        for b in self.buyers:
            self.assertRegex(b["key"], r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
            for target in b["serves"].split():
                if target.startswith("province:"):
                    self.assertIn(target[len("province:"):], PROVINCES, b["key"])
                else:
                    self.assertIn(target, self.by_key, b["key"])
            self.assertGreater(float(b["budget"]), 0)
            self.assertTrue(0 <= float(b["adoption"]) <= 1)
        for p in provinces:
            self.assertEqual(p["serves"], f"province:{p['key']}")
        served = {b["serves"] for b in self.buyers if b["kind"] == "municipality"}
        self.assertEqual(served, set(self.by_key))

    def test_procurement_against_the_brief(self):
        budgets = {b["key"]: float(b["budget"]) for b in self.buyers}
        for region, brief in PROCUREMENT.items():
            procurement = budgets[f"{region}.municipality"] / ADDRESSABLE_SHARE
            self.assertLessEqual(abs(math.log(procurement / brief)), math.log(PROCUREMENT_FACTOR),
                                 f"{region}: EUR {procurement / 1e6:.1f}m against {brief / 1e6:.0f}m")

    def test_links(self):
        seen = set()
        for link in self.links:
            a, b = link["from"], link["to"]
            self.assertIn(a, self.by_key)
            self.assertIn(b, self.by_key)
            self.assertNotEqual(a, b)
            pair = frozenset((a, b))
            self.assertNotIn(pair, seen, f"{a},{b} twice")
            seen.add(pair)
            self.assertGreaterEqual(float(link["weight"]), 0)
        self.assertIn(frozenset(("zwolle", "haarlem")), seen)
        linked = {k for pair in seen for k in pair}
        self.assertEqual(linked, set(self.by_key))


class StudyTables(unittest.TestCase):
    """The study's tables carry exactly the numbers the study's baseline set (with their sources:
    tests/data/study-2019.ini), and scenarios/baseline.ini names them."""

    @classmethod
    def setUpClass(cls):
        cls.ini = read_ini(os.path.join(SRC, "tests", "data", "study-2019.ini"))
        cls.baseline = read_ini(os.path.join(SRC, "scenarios", "baseline.ini"))
        _, cls.regions = read_table(os.path.join(REGIONS, "study-regions.csv"))
        _, cls.buyers = read_table(os.path.join(REGIONS, "study-buyers.csv"))
        _, cls.links = read_table(os.path.join(REGIONS, "study-links.csv"))

    def test_regions_match_baseline(self):
        self.assertEqual([(r["key"], r["code"]) for r in self.regions],
                         [("zwolle", "GM0193"), ("haarlem", "GM0392")])
        for r in self.regions:
            section = self.ini[r["key"]]
            columns = {k: v for k, v in r.items()
                       if k not in ("code", "key", "name", "province") and v != ""}
            self.assertEqual(set(columns), set(section), r["key"])
            for k, v in columns.items():
                self.assertEqual(value(v), value(section[k]), f"{r['key']}.{k}")

    def test_buyers_match_baseline(self):
        self.assertEqual({b["key"] for b in self.buyers},
                         {f"{r}.{k}" for r in ("zwolle", "haarlem") for k in KINDS})
        for b in self.buyers:
            region, kind = b["key"].split(".")
            self.assertEqual(b["kind"], kind)
            self.assertEqual(b["serves"], region)
            section = self.ini[b["key"]]
            columns = {k: v for k, v in b.items()
                       if k not in ("key", "kind", "name", "serves") and v != ""}
            self.assertEqual(set(columns), set(section), b["key"])
            for k, v in columns.items():
                self.assertEqual(value(v), value(section[k]), f"{b['key']}.{k}")

    def test_baseline_names_the_tables(self):
        top = self.baseline.get("", {})
        self.assertEqual(top.get("regions"), "regions/study-regions.csv")
        self.assertEqual(top.get("buyers"), "regions/study-buyers.csv")
        self.assertEqual(top.get("links"), "regions/study-links.csv")
        for key in self.ini:
            if key:
                self.assertNotIn(key, self.baseline, "baseline.ini repeats [%s]" % key)

    def test_link(self):
        self.assertEqual(self.links, [{"from": "zwolle", "to": "haarlem", "weight": "1"}])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
