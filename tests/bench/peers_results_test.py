#!/usr/bin/env python3
"""Checks of bench/peers_results.py, which checks the peers harness's tables
saved by `bench/run --peers` and puts them into bench/RESULTS.md, on
tables written here (the harness itself never runs in the tests).

  python3 tests/bench/peers_results_test.py
"""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(os.path.dirname(os.path.dirname(HERE)), "bench", "peers_results.py")

HEAD = "| tool / way | median wall s | min-max s | peak RSS MiB | vs first row | check |\n" \
       "| --- | ---: | ---: | ---: | ---: | --- |\n"


def peers_md(commit="abc1234", scale="0.05", w4_strata="| strata diff --from a.db --to b.db | 0.010 | 0.010-0.010 | 7.0 | 1.20x | 2/2 differing tables named |\n"):
    return (f"strata {commit} beside its peers (../shared/peers), scale {scale}, 2026-12-02 16:00 UTC, 2 cores, "
            "24 GiB, load average at start 0.50 0.40 0.30; RUNS=1, WARMUP=0.\n\n"
            "Measured 2026-12-02 16:01 UTC on this machine: 2 cores.\n\n"
            "### W1 apply-many\n\n" + HEAD
            + "| raw sqlite3, one transaction per migration | 0.068 | 0.068-0.068 | 4.3 | 1.00x | 50 tables, 50 indexes |\n"
            "| strata up (hand-written files, one transaction each) | 0.096 | 0.096-0.096 | 8.3 | 1.40x | 50 tables \\| ok |\n\n"
            "### W3 orphans\n\n" + HEAD
            + "| NOT EXISTS [parent PK] | 0.010 | 0.010-0.010 | 4.0 | 1.00x | 50 |\n\n"
            "### W4 diff\n\n" + HEAD
            + "| floor: sqlite3 .schema of both + diff(1) | 0.008 | 0.008-0.008 | 4.0 | 1.00x | 2/2 differing tables named |\n"
            + w4_strata + "\n")


RESULTS = ("# Benchmark results\n\nintro\n\n## Index plans\n\n| a | b |\n\n"
           "## PostgreSQL 15 beside psql\n\ntext\n\n## Earlier runs\n\nold\n")


class PeersResults(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def write(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def read(self, path):
        with open(path) as f:
            return f.read()

    def run_script(self, *args):
        return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)

    def test_check_names_strata_rows(self):
        p = self.run_script(self.write("peers.md", peers_md()))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("W1 strata up (hand-written files, one transaction each) 0.096 s (1.40x)", p.stdout)
        self.assertIn("W4 strata diff --from a.db --to b.db 0.010 s (1.20x)", p.stdout)

    def test_check_fails_on_a_strata_row_that_could_not_run(self):
        row = "| strata diff --from a.db --to b.db | - | - | - | - | not possible: exit 1: refuses |\n"
        results = self.write("RESULTS.md", RESULTS)
        p = self.run_script(self.write("peers.md", peers_md(w4_strata=row)), results)
        self.assertEqual(p.returncode, 1)
        self.assertIn("W4: strata diff --from a.db --to b.db: not possible: exit 1: refuses", p.stderr)
        self.assertEqual(self.read(results), RESULTS)

    def test_check_fails_without_strata_rows(self):
        p = self.run_script(self.write("peers.md", peers_md(w4_strata="")))
        self.assertEqual(p.returncode, 1)
        self.assertIn("W4 has no strata row", p.stderr)

    def test_check_fails_on_a_file_without_the_header_line(self):
        p = self.run_script(self.write("peers.md", peers_md().split("\n", 2)[2]))
        self.assertEqual(p.returncode, 1)
        self.assertIn("the first line does not name the commit", p.stderr)

    def test_record_goes_before_earlier_runs_then_replaces_itself(self):
        results = self.write("RESULTS.md", RESULTS)
        p = self.run_script(self.write("a.md", peers_md()), results)
        self.assertEqual(p.returncode, 0, p.stderr)
        first = self.read(results)
        title = "## strata beside its peers (../shared/peers, scale 0.05, commit abc1234)\n"
        self.assertIn(title, first)
        before, rest = first.split(title)
        self.assertEqual(before, RESULTS.split("## Earlier runs")[0])
        self.assertTrue(rest.endswith("2/2 differing tables named |\n\n## Earlier runs\n\nold\n"), rest)
        self.assertIn("### W3 orphans", rest)

        p = self.run_script(self.write("b.md", peers_md(commit="def5678", scale="1")), results)
        self.assertEqual(p.returncode, 0, p.stderr)
        second = self.read(results)
        self.assertEqual(second.count("## strata beside its peers"), 1)
        self.assertIn("## strata beside its peers (../shared/peers, scale 1, commit def5678)\n", second)
        self.assertEqual(second.replace("def5678", "abc1234").replace("scale 1,", "scale 0.05,"), first)

        p = self.run_script(self.write("a.md", peers_md()), results)
        self.assertEqual(self.read(results), first)

    def test_record_at_the_end_without_earlier_runs(self):
        results = self.write("RESULTS.md", "# Benchmark results\n\nintro")
        p = self.run_script(self.write("a.md", peers_md()), results)
        self.assertEqual(p.returncode, 0, p.stderr)
        text = self.read(results)
        self.assertTrue(text.startswith("# Benchmark results\n\nintro\n\n## strata beside its peers ("), text)
        self.assertTrue(text.endswith("named |\n"))
        p = self.run_script(self.write("a.md", peers_md()), results)
        self.assertEqual(self.read(results), text)


if __name__ == "__main__":
    unittest.main()
