#!/usr/bin/env python3
"""Prints the benchmark report as markdown, from Google Benchmark JSON files.

  summarize.py RESULT[.json]...

Sections (see bench_results.py for how results are sorted into them):
  - with results of both engines (index_bench on SQLite, pg_index_bench on
    PostgreSQL), the declared queries side by side: per engine the index
    the plan uses, the time with and without it and the speedup;
  - one table per engine of the declared queries: the index the plan uses,
    the time per query with and without it, the speedup and both plans
    (strata's classification, then the engine's own plan rows), and on
    PostgreSQL how each query did without its index;
  - strata against its raw baseline (counters strata_ms, baseline_ms, ratio,
    target), with what strata does on top of the baseline next to a missed
    target;
  - plain timings.
Every figure is labelled with the scale the run used. Exits with status 1
and a message when a file's section comes out empty or a name does not read.
"""
import os
import sys

import bench_results as br

MAIN = ("strata_ms", "baseline_ms", "ratio", "target")


def fmt(v):
    if isinstance(v, float):
        if abs(v) >= 100 or v == int(v):
            return f"{v:,.0f}"
        return f"{v:.3g}" if abs(v) < 1 else f"{v:.2f}"
    return str(v)


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def header(report):
    parts = [f"Scale {br.scale_text(report)} (`STRATA_BENCH_SCALE`)"]
    if report.context("strata_commit"):
        parts.append(f"commit {report.context('strata_commit')}")
    if report.context("date"):
        parts.append(report.context("date")[:16].replace("T", " "))
    cpus = report.context("num_cpus")
    if cpus:
        parts.append(f"{cpus} CPUs")
    load = report.context("load_avg")
    if load:
        parts.append("load average at start " + " ".join(f"{v:.2f}" for v in load))
    print("# Benchmark results\n")
    print(", ".join(parts) + ".")
    print("Each speedup and ratio divides two figures measured in the same run, one after the other; "
          "on a busy machine the absolute times move more than the ratios.\n")


def data_line(ctx):
    if "chefsocial_rows" not in ctx:
        return ""
    size = float(ctx.get("chefsocial_size_mb", 0))
    source = (f"`{os.path.basename(ctx.get('chefsocial_db', ''))}`, generated in "
              f"{ctx.get('chefsocial_generate_seconds', '?')} s")
    if ctx.get("engine") != "postgresql":
        return (f"ChefSocial data at scale {ctx.get('chefsocial_scale', '?')}: {int(ctx['chefsocial_rows']):,} rows, "
                f"{size:,.0f} MiB ({source}).")
    return (f"ChefSocial data at scale {ctx.get('chefsocial_scale', '?')}: the {int(ctx['chefsocial_rows']):,} rows of "
            f"the SQLite file ({source}), in a database created by the PostgreSQL migrations and filled with `COPY` "
            f"in {ctx.get('pg_copy_seconds', '?')} s (its indexes and constraints dropped for the load, "
            f"then re-created and checked in {ctx.get('pg_rebuild_seconds', '?')} s; `VACUUM (ANALYZE)` "
            f"{ctx.get('pg_vacuum_analyze_seconds', '?')} s): {size:,.0f} MiB. Plans: the generic plan of a "
            f"prepared statement (`plan_cache_mode = {ctx.get('pg_plan_cache_mode', '?')}`), the one "
            f"`strata explain` reports. Server settings: {ctx.get('pg_settings', 'not recorded')}.")


def rows_text(v):
    return f"{v:,.0f}" if v == int(v) else f"{v:,.1f}"


def print_side_by_side(sections):
    """The declared queries of every engine in one table: index, with, without, speedup per engine."""
    names = " and ".join(s.name for s in sections)
    print(f"## Index plans, {names} side by side\n")
    print("Time per query with the index its plan uses and without it, each engine on the same ChefSocial rows with "
          "the same parameter values. Without: "
          + "; ".join(f"on {s.name} (`{s.program}`), {br.WITHOUT_INDEX.get(s.engine, s.without_text)}" for s in sections)
          + ". A plan that uses no index is timed once, under *without*; the sections below have the plans.\n")
    print("| query | " + " | ".join(f"{s.name}: index | with | without | speedup" for s in sections) + " |")
    print("| --- | " + " | ".join("--- | ---: | ---: | ---:" for _ in sections) + " |")
    queries = []
    for s in sections:
        queries += [q.query for q in s.queries if q.query not in queries]
    for name in queries:
        cells = []
        for s in sections:
            q = next((q for q in s.queries if q.query == name), None)
            if q is None:
                cells.append("not run | | |")
            elif q.error:
                cells.append(f"error: {cell(q.error)} | | |")
            elif q.scan:
                cells.append(f"none (the plan scans) | | {br.human_us(q.with_run.time_us)} |")
            else:
                cells.append(f"{cell(br.index_names(q.index))} | {br.human_us(q.with_run.time_us)} | "
                             f"{br.human_us(q.without_run.time_us)} | {br.human_speedup(q.speedup)}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()


def print_index_section(section):
    print(f"## Index plans, {section.title} (`{section.program}`)\n")
    line = data_line(section.context)
    if line:
        print(line + "\n")
    print("Time per query with the index its plan uses and without it, same data, same parameter values; a plan "
          f"that uses no index is timed once. Without: {section.without_text}.\n")
    methods = any(q.method for q in section.queries)
    print("| query | index the plan uses | with index | without | speedup | rows per query | "
          "plan with the index | plan without |" + (" without: how |" if methods else ""))
    print("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |" + (" --- |" if methods else ""))
    for q in section.queries:
        w = q.with_run
        rows = rows_text(w.counters.get("rows", 0))
        how = f" {cell(q.method)} |" if methods else ""
        if q.error:
            print(f"| {q.query} | error: {cell(q.error)} | | | | | | |" + (" |" if methods else ""))
        elif q.scan:
            plan, _ = q.plan("scan")
            print(f"| {q.query} | none (the plan scans) | | {br.human_us(w.time_us)} | | {rows} | | {cell(plan)} |{how}")
        else:
            plan_with, _ = q.plan("with_index")
            plan_without, _ = q.plan("without_index")
            print(f"| {q.query} | {cell(q.index)} | {br.human_us(w.time_us)} | {br.human_us(q.without_run.time_us)} | "
                  f"{br.human_speedup(q.speedup)} | {rows} | {cell(plan_with)} | {cell(plan_without)} |{how}")
    print()
    verbatim = "EXPLAIN, each node's first line" if section.engine == "postgresql" else "EXPLAIN QUERY PLAN"
    print(f"<details><summary>{verbatim}, verbatim</summary>\n")
    print("| query | with the index | without |")
    print("| --- | --- | --- |")
    for q in section.queries:
        if q.error:
            continue
        _, with_detail = q.plan("scan" if q.scan else "with_index")
        _, without_detail = q.plan("without_index")
        if q.scan:
            with_detail, without_detail = "", with_detail
        print(f"| {q.query} | {cell(with_detail)} | {cell(without_detail)} |")
    print("\n</details>\n")


def verdict(run):
    target = run.counters.get("target", 0)
    if run.error:
        return f"error: {run.error}"
    if not target:
        return ""
    if run.counters["ratio"] <= target:
        return "met"
    extra = run.fields.get("extra")
    return f"**missed**; strata's extra work: {extra}" if extra else "**missed**"


def print_comparisons(report):
    engine = br.ENGINE_TITLES.get(report.context("engine", "sqlite"), "SQLite")
    print(f"## strata against raw {engine}, same run\n")
    print("`ratio` is strata's time / the baseline's; `target` the ratio aimed for.\n")
    print("| benchmark | baseline | strata ms | baseline ms | ratio | target | verdict | details |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |")
    for r in report.comparisons:
        c = r.counters
        details = ", ".join(f"{k}={fmt(v)}" for k, v in c.items() if k not in MAIN)
        target = c.get("target", 0)
        if r.error and "ratio" not in c:
            print(f"| {r.name.short()} | {cell(r.fields.get('vs', ''))} | | | | | {cell(verdict(r))} | |")
            continue
        print(f"| {r.name.short()} | {cell(r.fields.get('vs', ''))} | {fmt(c['strata_ms'])} | {fmt(c['baseline_ms'])} | "
              f"{c['ratio']:.3f} | {fmt(target) if target else '-'} | {cell(verdict(r))} | {cell(details)} |")
    print()


def print_timings(report):
    print("## Other timings\n")
    print("| benchmark | time | details |")
    print("| --- | ---: | --- |")
    for r in report.timings:
        details = ", ".join(f"{k}={fmt(v)}" for k, v in r.counters.items())
        if r.error:
            details = f"error: {r.error}"
        print(f"| {r.name.short()} | {br.human_us(r.time_us)} | {cell(details)} |")
    print()


def main(paths):
    report = br.collect(paths)
    header(report)
    if len(report.index) > 1:
        print_side_by_side(report.index)
    for section in report.index:
        print_index_section(section)
    if report.comparisons:
        print_comparisons(report)
    if report.timings:
        print_timings(report)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except br.ReportError as e:
        sys.exit(f"summarize.py: error: {e}")
