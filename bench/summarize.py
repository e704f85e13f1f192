#!/usr/bin/env python3
"""Prints a markdown table of the comparisons in Google Benchmark JSON files.

Each comparison benchmark reports strata_ms, baseline_ms, ratio and target
as counters (see bench_util.h); every other counter is listed as a detail.
Arguments are result files with or without the .json suffix.
"""
import json
import sys

MAIN = ("strata_ms", "baseline_ms", "ratio", "target")


def fmt(v):
    if isinstance(v, float):
        if abs(v) >= 100 or v == int(v):
            return f"{v:,.0f}"
        return f"{v:.3g}" if abs(v) < 1 else f"{v:.2f}"
    return str(v)


def main(paths):
    print("| benchmark | strata ms | baseline ms | ratio | target | verdict | details |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for path in paths:
        if not path.endswith(".json"):
            path += ".json"
        with open(path) as f:
            data = json.load(f)
        for b in data["benchmarks"]:
            name = b["name"].replace("/manual_time", "")
            if "ratio" not in b:
                print(f"| {name} | {fmt(b['real_time'])} {b['time_unit']} | | | | | |")
                continue
            target = b.get("target", 0)
            verdict = "" if not target else ("met" if b["ratio"] <= target else "MISSED")
            details = ", ".join(f"{k}={fmt(v)}" for k, v in b.items()
                                if k not in MAIN and isinstance(v, (int, float))
                                and k not in ("real_time", "cpu_time", "iterations", "repetitions",
                                              "repetition_index", "threads", "family_index",
                                              "per_family_instance_index"))
            if b.get("label"):
                details = b["label"] + "; " + details
            print(f"| {name} | {fmt(b['strata_ms'])} | {fmt(b['baseline_ms'])} | {b['ratio']:.3f} | "
                  f"{fmt(target) if target else '-'} | {verdict} | {details} |")


if __name__ == "__main__":
    main(sys.argv[1:])
