#!/usr/bin/env python3
"""Prints markdown tables of Google Benchmark JSON files.

Comparison benchmarks report strata_ms, baseline_ms, ratio and target as
counters (see bench_util.h); every other counter is listed as a detail.
index_bench's BM_Query/<query>/<variant> benchmarks get a table of their
own: time per query with and without the index the plan uses, the speedup
and the plans. Arguments are result files with or without the .json suffix.
"""
import json
import sys

MAIN = ("strata_ms", "baseline_ms", "ratio", "target")
SKIP = ("real_time", "cpu_time", "iterations", "repetitions", "repetition_index", "threads",
        "family_index", "per_family_instance_index")


def fmt(v):
    if isinstance(v, float):
        if abs(v) >= 100 or v == int(v):
            return f"{v:,.0f}"
        return f"{v:.3g}" if abs(v) < 1 else f"{v:.2f}"
    return str(v)


def us(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def load(path):
    if not path.endswith(".json"):
        path += ".json"
    with open(path) as f:
        return json.load(f)


def index_queries(data):
    """{query: {variant: benchmark}} of index_bench's results, in run order."""
    out = {}
    for b in data["benchmarks"]:
        parts = b["name"].replace("/manual_time", "").split("/")
        if len(parts) == 3 and parts[0] == "BM_Query":
            out.setdefault(parts[1], {})[parts[2]] = b
    return out


def to_us(b):
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[b["time_unit"]]
    return b["real_time"] * scale


def print_index_table(data):
    ctx = data.get("context", {})
    if "chefsocial_rows" in ctx:
        print(f"ChefSocial data: scale {ctx['chefsocial_scale']}, {int(ctx['chefsocial_rows']):,} rows, "
              f"{ctx['chefsocial_size_mb']} MiB, generated in {ctx['chefsocial_generate_seconds']} s "
              f"({'cached file reused' if ctx.get('chefsocial_reused') == 'true' else 'generated in this run'}).\n")
    print("| query | index used by the plan | with index (us) | without (us) | speedup | rows | plan with index | plan without |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |")
    for query, variants in index_queries(data).items():
        if "scan" in variants:
            b = variants["scan"]
            plan = b.get("label", "").split(" | ", 1)[-1]
            print(f"| {query} | none (scan) | | {us(to_us(b))} | | {fmt(b.get('rows', 0))} | {plan} | |")
            continue
        w, wo = variants.get("with_index"), variants.get("without_index")
        if not w or not wo:
            continue
        index, plan_with = (w.get("label", "").split(" | ", 1) + [""])[:2]
        plan_without = wo.get("label", "").split(" | ", 1)[-1]
        print(f"| {query} | {index} | {us(to_us(w))} | {us(to_us(wo))} | {wo.get('speedup', 0):,.1f}x | "
              f"{fmt(w.get('rows', 0))} | {plan_with} | {plan_without} |")
    print()


def main(paths):
    comparisons = []
    for path in paths:
        data = load(path)
        if index_queries(data):
            print_index_table(data)
            continue
        comparisons.append(data)
    if not comparisons:
        return
    print("| benchmark | strata ms | baseline ms | ratio | target | verdict | details |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for data in comparisons:
        for b in data["benchmarks"]:
            name = b["name"].replace("/manual_time", "")
            if "ratio" not in b:
                print(f"| {name} | {fmt(b['real_time'])} {b['time_unit']} | | | | | |")
                continue
            target = b.get("target", 0)
            verdict = "" if not target else ("met" if b["ratio"] <= target else "MISSED")
            details = ", ".join(f"{k}={fmt(v)}" for k, v in b.items()
                                if k not in MAIN and isinstance(v, (int, float)) and k not in SKIP)
            if b.get("label"):
                details = b["label"] + "; " + details
            print(f"| {name} | {fmt(b['strata_ms'])} | {fmt(b['baseline_ms'])} | {b['ratio']:.3f} | "
                  f"{fmt(target) if target else '-'} | {verdict} | {details} |")


if __name__ == "__main__":
    main(sys.argv[1:])
