#!/usr/bin/env python3
"""Checks of the benchmark report scripts (bench/bench_results.py,
bench/summarize.py, bench/chart.py) on Google Benchmark JSON.

By default on the results captured in testdata/ (scale 0.01, Google
Benchmark 1.7.1, names with their /min_time:.../manual_time and
/iterations:.../manual_time suffixes; pg_index_bench.json from PostgreSQL
15); with STRATA_BENCH_RESULTS_DIR set, on the results of a fresh run in
that folder as well (CTest's smoke run). A fresh run without PostgreSQL
results (no server) skips the PostgreSQL checks, except with CI=true.

  python3 tests/bench/report_test.py
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BENCH = os.path.join(ROOT, "bench")
sys.path.insert(0, BENCH)

import bench_results as br  # noqa: E402

CAPTURED = os.path.join(HERE, "testdata")
FRESH = os.environ.get("STRATA_BENCH_RESULTS_DIR")
CI = os.environ.get("CI") == "true"


def declared_queries():
    """The query names of schema/queries.yaml, in order."""
    with open(os.path.join(ROOT, "schema", "queries.yaml")) as f:
        return re.findall(r"^  - name: (\w+)$", f.read(), re.M)


def run_script(*args):
    return subprocess.run([sys.executable, os.path.join(BENCH, args[0]), *args[1:]],
                          capture_output=True, text=True)


class NameParsing(unittest.TestCase):
    def test_google_benchmark_suffixes_are_set_apart(self):
        cases = {
            "BM_Query/login_by_email/with_index/min_time:0.031/manual_time":
                ("BM_Query", ["login_by_email", "with_index"], ["min_time:0.031", "manual_time"]),
            "BM_Query/login_by_email/with_index": ("BM_Query", ["login_by_email", "with_index"], []),
            "BM_Rebuild/rows:10000/iterations:3/manual_time": ("BM_Rebuild", ["rows:10000"], ["iterations:3", "manual_time"]),
            "BM_X/8/repeats:3/threads:2/real_time": ("BM_X", ["8"], ["repeats:3", "threads:2", "real_time"]),
            "BM_X/min_warmup_time:0.5/process_time": ("BM_X", [], ["min_warmup_time:0.5", "process_time"]),
            "BM_LoadAndValidateChefSocial": ("BM_LoadAndValidateChefSocial", [], []),
        }
        for name, (family, args, suffixes) in cases.items():
            with self.subTest(name=name):
                n = br.parse_name(name)
                self.assertEqual((n.family, n.args, n.suffixes), (family, args, suffixes))
        self.assertEqual(br.parse_name("BM_ApplyMigrations/migrations:10/single_transaction:1/iterations:3/manual_time")
                         .short(), "ApplyMigrations/migrations:10/single_transaction:1")

    def test_labels(self):
        f = br.parse_label("index: sqlite_autoindex_users_2 (UNIQUE email; unused duplicate: idx_users_email) | "
                           "plan: search users via sqlite_autoindex_users_2 | detail: SEARCH users USING INDEX x (email=?)")
        self.assertEqual(f["index"], "sqlite_autoindex_users_2 (UNIQUE email; unused duplicate: idx_users_email)")
        self.assertEqual(f["plan"], "search users via sqlite_autoindex_users_2")
        self.assertEqual(f["detail"], "SEARCH users USING INDEX x (email=?)")
        self.assertEqual(br.parse_label("no key here"), {"text": "no key here"})

    def test_every_captured_name_reads(self):
        path = os.path.join(CAPTURED, "index_bench.json")
        with open(path) as f:
            names = [b["name"] for b in json.load(f)["benchmarks"]]
        self.assertTrue(any(n.endswith("/manual_time") and "/min_time:" in n for n in names), names[:3])
        for name in names:
            n = br.parse_name(name)
            self.assertEqual(n.family, "BM_Query")
            self.assertEqual(len(n.args), 2, name)
            self.assertIn(n.args[1], br.VARIANTS)

    def test_postgres_names_imply_the_engine(self):
        run = br.Run(br.parse_name("BM_PgQuery/login_by_email/without_index/min_time:0.001/manual_time"), "x", 1.0,
                     {}, "", "", {}, "pg_index_bench.json")
        self.assertEqual(br._index_key(run), ("postgresql", "login_by_email", "without_index"))
        run.name = br.parse_name("BM_PgQuery/sqlite/login_by_email/with_index")
        with self.assertRaisesRegex(br.ReportError, r"expected BM_PgQuery/<query>/<"):
            br._index_key(run)
        f = br.parse_label('bypassed: idx_users_email (unused duplicate: users_email_key) | plan: full scan users | '
                           'detail: Seq Scan on users (Filter: (email = $1)) | method: index dropped in a rolled-back '
                           'transaction: DROP INDEX "idx_users_email"')
        self.assertEqual(f["method"], 'index dropped in a rolled-back transaction: DROP INDEX "idx_users_email"')
        self.assertEqual(br.index_names("a_key (UNIQUE a, b; unused duplicate: idx_a) + b_key (UNIQUE key)"),
                         "a_key + b_key")

    def test_repetitions_use_the_mean(self):
        report = br.collect([os.path.join(CAPTURED, "repeated", "index_bench.json")])
        (section,) = report.index
        (q,) = section.queries
        with open(os.path.join(CAPTURED, "repeated", "index_bench.json")) as f:
            data = json.load(f)
        mean = next(b for b in data["benchmarks"]
                    if b.get("aggregate_name") == "mean" and "/with_index/" in b["name"])
        self.assertTrue(mean["name"].endswith("/manual_time_mean"), mean["name"])
        self.assertAlmostEqual(q.with_run.time_us, mean["real_time"] * br.UNIT_US[mean["time_unit"]])
        self.assertTrue(q.with_run.fields["plan"])
        # Without run_name (older Google Benchmark), the aggregate's suffix is taken off the name.
        for b in data["benchmarks"]:
            del b["run_name"]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "index_bench.json")
            with open(path, "w") as f:
                json.dump(data, f)
            (q,) = br.collect([path]).index[0].queries
        self.assertAlmostEqual(q.with_run.time_us, mean["real_time"] * br.UNIT_US[mean["time_unit"]])


class Results:
    """The checks, on the results of one folder."""
    folder = None

    def path(self, name):
        return os.path.join(self.folder, name + ".json")

    def comparison_files(self):
        return [self.path(b) for b in ("rebuild_bench", "apply_bench", "checks_bench")
                if os.path.exists(self.path(b))]

    def test_index_section_lists_every_declared_query_with_a_speedup(self):
        report = br.collect([self.path("index_bench")])
        (section,) = report.index
        self.assertEqual(section.engine, "sqlite")
        self.assertTrue(section.title.startswith("SQLite 3."))
        self.assertEqual([q.query for q in section.queries], declared_queries())
        for q in section.queries:
            with self.subTest(query=q.query):
                self.assertEqual(q.error, "")
                plan, detail = q.plan("scan" if q.scan else "with_index")
                self.assertTrue(plan and detail)
                if not q.scan:
                    self.assertTrue(q.index)
                    self.assertGreater(q.speedup, 0)
                    self.assertTrue(q.plan("without_index")[1])

        out = run_script("summarize.py", self.path("index_bench"))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("## Index plans, SQLite 3.", out.stdout)
        for q in section.queries:
            row = next((line for line in out.stdout.splitlines() if line.startswith(f"| {q.query} | ")), None)
            self.assertIsNotNone(row, q.query)
            if not q.scan:
                self.assertRegex(row, r"\| [\d,.]+x \|", q.query)

    def test_labels_carry_the_scale_run(self):
        report = br.collect([self.path("index_bench")] + self.comparison_files())
        scale = br.scale_text(report)
        self.assertEqual(report.index[0].context["chefsocial_scale"], scale)
        out = run_script("summarize.py", self.path("index_bench"), *self.comparison_files())
        self.assertIn(f"Scale {scale} ", out.stdout)
        self.assertNotIn("1MRows", out.stdout)
        self.assertNotIn("1000Migrations", out.stdout)
        rows = {r.name.family: r for r in report.comparisons}
        if "BM_Rebuild" in rows:
            expected = max(1000, int(1_000_000 * float(scale)))
            self.assertEqual(rows["BM_Rebuild"].name.args, [f"rows:{expected}"])

    def test_no_benchmark_reports_an_error(self):
        files = sorted(f for f in os.listdir(self.folder) if f.endswith(".json"))
        self.assertIn("index_bench.json", files)
        report = br.collect([os.path.join(self.folder, f) for f in files])
        runs = report.comparisons + report.timings + [r for s in report.index for q in s.queries
                                                      for r in q.variants.values()]
        self.assertEqual([f"{r.raw_name}: {r.error}" for r in runs if r.error], [])

    def postgres_path(self):
        """pg_index_bench's results, or a skip (a failure with CI=true) when there are none."""
        path = self.path("pg_index_bench")
        if not os.path.exists(path):
            message = f"no {path}: pg_index_bench did not run (no PostgreSQL server)"
            if CI:
                self.fail(message + " and CI=true")
            self.skipTest(message)
        return path

    def test_postgres_section_lists_every_declared_query(self):
        report = br.collect([self.postgres_path()])
        (section,) = report.index
        self.assertEqual(section.engine, "postgresql")
        self.assertEqual(section.program, "pg_index_bench")
        self.assertTrue(section.title.startswith("PostgreSQL "), section.title)
        self.assertEqual([q.query for q in section.queries], declared_queries())
        for q in section.queries:
            with self.subTest(query=q.query):
                self.assertEqual(q.error, "")
                plan, detail = q.plan("scan" if q.scan else "with_index")
                self.assertTrue(plan and detail)
                self.assertEqual(q.with_run.context["pg_plan_cache_mode"], "force_generic_plan")
                if not q.scan:
                    self.assertTrue(q.index)
                    self.assertGreater(q.speedup, 0)
                    self.assertTrue(q.plan("without_index")[1])
                    # How it did without: the drop, or the planner settings, said per query.
                    self.assertRegex(q.method, r"^(index dropped in a rolled-back transaction: (DROP INDEX|ALTER TABLE)"
                                               r"|planner settings, not a drop: )")
                    # Without its indexes, the plan reads those tables without one.
                    for name in br.index_names(q.index).split(" + "):
                        self.assertNotIn(f" {name} ", " " + q.plan("without_index")[1].replace("(", " ") + " ")

    def test_both_engines_side_by_side(self):
        pg = self.postgres_path()
        report = br.collect([self.path("index_bench"), pg])
        self.assertEqual([s.engine for s in report.index], ["sqlite", "postgresql"])
        sqlite, postgres = report.index
        # The same rows in both: every query returns as many rows per call.
        self.assertEqual(sqlite.context["chefsocial_rows"], postgres.context["chefsocial_rows"])
        for a, b in zip(sqlite.queries, postgres.queries):
            with self.subTest(query=a.query):
                self.assertEqual(a.query, b.query)
                self.assertEqual(a.with_run.counters["rows"], b.with_run.counters["rows"])

        out = run_script("summarize.py", self.path("index_bench"), pg)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("## Index plans, SQLite and PostgreSQL side by side", out.stdout)
        self.assertIn("## Index plans, SQLite 3.", out.stdout)
        self.assertIn("## Index plans, PostgreSQL 1", out.stdout)
        self.assertIn("(`pg_index_bench`)", out.stdout)
        side = out.stdout.split("side by side", 1)[1].split("\n## ", 1)[0]
        for q in declared_queries():
            row = next((line for line in side.splitlines() if line.startswith(f"| {q} | ")), None)
            self.assertIsNotNone(row, q)
            self.assertEqual(row.count("|"), 10, row)

        with tempfile.TemporaryDirectory() as tmp:
            svg = os.path.join(tmp, "chart.svg")
            out = run_script("chart.py", svg, self.path("index_bench"), pg)
            self.assertEqual(out.returncode, 0, out.stderr)
            with open(svg) as f:
                text = f.read()
        self.assertIn("<g id='index-sqlite'>", text)
        self.assertIn("<g id='index-postgresql'>", text)
        self.assertIn("index dropped, rolled back", text)

    def test_chart_has_both_panels(self):
        with tempfile.TemporaryDirectory() as tmp:
            svg = os.path.join(tmp, "chart.svg")
            out = run_script("chart.py", svg, self.path("index_bench"), *self.comparison_files())
            self.assertEqual(out.returncode, 0, out.stderr)
            with open(svg) as f:
                text = f.read()
        self.assertIn("<g id='index-sqlite'>", text)
        self.assertIn("<g id='ratios'>", text)
        for q in declared_queries():
            self.assertIn(f">{q}</text>", text)


class CapturedResults(Results, unittest.TestCase):
    folder = CAPTURED


@unittest.skipUnless(FRESH, "STRATA_BENCH_RESULTS_DIR is not set")
class FreshResults(Results, unittest.TestCase):
    folder = FRESH


class MissingSections(unittest.TestCase):
    """A section that comes out empty is an error with a message, never a silent skip."""

    def write(self, tmp, data, name="index_bench.json"):
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            json.dump(data, f)
        return path

    def load(self, name):
        with open(os.path.join(CAPTURED, name)) as f:
            return json.load(f)

    def assert_fails(self, path, message):
        for script in (["summarize.py", path], ["chart.py", os.path.join(os.path.dirname(path), "c.svg"), path]):
            out = run_script(*script)
            self.assertEqual(out.returncode, 1, out.stdout)
            self.assertIn("error:", out.stderr)
            self.assertIn(message, out.stderr)

    def test_unreadable_index_names(self):
        data = self.load("index_bench.json")
        for b in data["benchmarks"]:
            b["name"] = b["name"].replace("/with_index", "/indexed").replace("/without_index", "/plain")
            b.pop("run_name", None)
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_fails(self.write(tmp, data), "cannot read the index benchmark name")

    def test_index_results_without_index_runs(self):
        data = self.load("index_bench.json")
        data["benchmarks"] = [b for b in data["benchmarks"] if not b["name"].startswith("BM_Query/")]
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_fails(self.write(tmp, data), "no benchmark results")
        data = self.load("index_bench.json")
        for b in data["benchmarks"]:
            b["name"] = b["run_name"] = b["name"].replace("BM_Query/", "BM_Lookup/")
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_fails(self.write(tmp, data), "index section would be empty")

    def test_postgres_results_without_index_runs(self):
        with open(os.path.join(CAPTURED, "pg_index_bench.json")) as f:
            data = json.load(f)
        for b in data["benchmarks"]:
            b["name"] = b["run_name"] = b["name"].replace("BM_PgQuery/", "BM_PgLookup/")
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_fails(self.write(tmp, data, "pg_index_bench.json"), "index section would be empty")

    def test_postgres_half_a_pair(self):
        with open(os.path.join(CAPTURED, "pg_index_bench.json")) as f:
            data = json.load(f)
        data["benchmarks"] = [b for b in data["benchmarks"] if "/with_index" not in b["name"]]
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_fails(self.write(tmp, data, "pg_index_bench.json"), "expected with_index and without_index")

    def test_half_a_pair(self):
        data = self.load("index_bench.json")
        data["benchmarks"] = [b for b in data["benchmarks"] if "/without_index" not in b["name"]]
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_fails(self.write(tmp, data), "expected with_index and without_index")

    def test_comparison_without_ratios(self):
        data = self.load("rebuild_bench.json")
        for b in data["benchmarks"]:
            b.pop("ratio")
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_fails(self.write(tmp, data, "rebuild_bench.json"), "without a ratio counter")

    def test_missing_file(self):
        out = run_script("summarize.py", os.path.join(CAPTURED, "no_such_bench"))
        self.assertEqual(out.returncode, 1)
        self.assertIn("no_such_bench.json", out.stderr)


if __name__ == "__main__":
    unittest.main()
