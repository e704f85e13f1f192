#!/usr/bin/env python3
"""Draws bench/results/chart.svg from Google Benchmark JSON files.

  chart.py OUT.svg RESULT.json...

Top: the speedup of the index each declared hot query's plan uses (time
without the index / time with it, index_bench), as bars on a log scale;
queries whose plan uses no index are listed with their scan time.
Bottom: strata's ratio to its raw-SQLite baseline for every comparison
benchmark (counters `ratio` and `target`), on a log scale, with the target
as a tick: green when met, red when missed, grey when there is no target.
No dependencies beyond the Python standard library.
"""
import json
import math
import sys
from html import escape

WIDTH = 1000
LEFT = 300      # room for the names
RIGHT = 190     # room for the figures after the bars
ROW = 26
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


def load(paths):
    out = []
    for p in paths:
        with open(p if p.endswith(".json") else p + ".json") as f:
            out.append(json.load(f))
    return out


def to_us(b):
    return b["real_time"] * {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[b["time_unit"]]


def human_us(v):
    if v >= 1e6:
        return f"{v / 1e6:.2f} s"
    if v >= 1e3:
        return f"{v / 1e3:.3g} ms"
    return f"{v:.3g} µs"


class Svg:
    def __init__(self):
        self.parts = []
        self.y = 0

    def text(self, x, y, s, size=12, anchor="start", weight="normal", fill="#222"):
        self.parts.append(f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
                          f"font-weight='{weight}' fill='{fill}' {FONT}>{escape(s)}</text>")

    def rect(self, x, y, w, h, fill, title=None):
        t = f"<title>{escape(title)}</title>" if title else ""
        self.parts.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{max(w, 0.5):.1f}' height='{h:.1f}' fill='{fill}'>{t}</rect>")

    def line(self, x1, y1, x2, y2, stroke="#ccc", width=1, dash=None):
        d = f" stroke-dasharray='{dash}'" if dash else ""
        self.parts.append(f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='{stroke}' "
                          f"stroke-width='{width}'{d}/>")

    def render(self):
        return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{self.y + 10}' "
                f"viewBox='0 0 {WIDTH} {self.y + 10}'>\n<rect width='100%' height='100%' fill='white'/>\n"
                + "\n".join(self.parts) + "\n</svg>\n")


def log_axis(svg, lo, hi, top, bottom, fmt_tick):
    """Vertical grid lines at powers of ten (and 2x, 5x when the range is small); returns x(v)."""
    span = math.log10(hi) - math.log10(lo)
    x = lambda v: LEFT + (math.log10(max(v, lo)) - math.log10(lo)) / span * (WIDTH - LEFT - RIGHT)
    e = math.floor(math.log10(lo))
    while 10 ** e <= hi * 1.0001:
        for m in ((1, 2, 5) if span <= 2.5 else (1,)):
            v = m * 10 ** e
            if lo * 0.9999 <= v <= hi * 1.0001:
                svg.line(x(v), top, x(v), bottom, "#ddd" if m == 1 else "#eee")
                svg.text(x(v), bottom + 13, fmt_tick(v), 10, "middle", fill="#666")
        e += 1
    return x


def index_section(svg, data):
    queries = {}
    ctx = {}
    for d in data:
        for b in d["benchmarks"]:
            parts = b["name"].replace("/manual_time", "").split("/")
            if len(parts) == 3 and parts[0] == "BM_Query":
                queries.setdefault(parts[1], {})[parts[2]] = b
                ctx = d.get("context", ctx)
    if not queries:
        return
    indexed = [(q, v) for q, v in queries.items() if "with_index" in v and "without_index" in v]
    scans = [(q, v["scan"]) for q, v in queries.items() if "scan" in v]
    svg.y += 28
    svg.text(20, svg.y, "Index speedup per declared hot query (time without the index / with it, log scale)", 16, weight="bold")
    svg.y += 18
    if "chefsocial_rows" in ctx:
        svg.text(20, svg.y, f"ChefSocial data at scale {ctx['chefsocial_scale']}: {int(ctx['chefsocial_rows']):,} rows, "
                 f"{ctx['chefsocial_size_mb']} MiB, generated in {ctx['chefsocial_generate_seconds']} s. "
                 "Bar label: time per query with → without the index.", 11, fill="#555")
        svg.y += 10
    speedups = [max(v["without_index"].get("speedup", 1), 1.0) for _, v in indexed] or [10]
    hi = 10 ** math.ceil(math.log10(max(speedups) * 1.05))
    top = svg.y + 8
    bottom = top + ROW * len(indexed) + 6
    x = log_axis(svg, 1, hi, top, bottom, lambda v: f"{v:g}x")
    for i, (q, v) in enumerate(indexed):
        w, wo = v["with_index"], v["without_index"]
        s = max(wo.get("speedup", 1), 1.0)
        y = top + 6 + i * ROW
        index = w.get("label", "").split(" | ")[0]
        index = index.split(" (")[0]
        svg.text(LEFT - 8, y + 10, q, 12, "end")
        svg.text(LEFT - 8, y + 21, index, 9, "end", fill="#777")
        color = "#2b7bba" if s >= 10 else ("#7fb2dc" if s >= 2 else "#c9a227")
        svg.rect(LEFT, y + 2, x(s) - LEFT, ROW - 6, color, f"{q}: {w.get('label', '')}")
        svg.text(x(s) + 5, y + 14, f"{s:,.1f}x  ({human_us(to_us(w))} → {human_us(to_us(wo))})", 11)
    svg.y = bottom + 30
    if scans:
        svg.text(20, svg.y, "Plans that use no index (a scan every time):", 12, weight="bold")
        svg.y += 4
        for q, b in scans:
            svg.y += 16
            plan = b.get("label", "").split(" | ", 1)[-1]
            svg.text(LEFT - 8, svg.y, q, 12, "end")
            svg.text(LEFT, svg.y, f"{human_us(to_us(b))} per query — {plan}", 11, fill="#a33")
        svg.y += 10


def ratio_section(svg, data):
    rows = []
    for d in data:
        for b in d["benchmarks"]:
            if "ratio" in b and b["ratio"] > 0:
                rows.append((b["name"].replace("/manual_time", "").replace("/iterations:", " i").replace("BM_", ""),
                             b["ratio"], b.get("target", 0)))
    if not rows:
        return
    svg.y += 28
    svg.text(20, svg.y, "strata / raw SQLite baseline, same work in the same run (log scale; lower is better)", 16, weight="bold")
    svg.y += 18
    svg.text(20, svg.y, "Bar: measured ratio. Black tick: target. Green: target met; red: missed; grey: no target.", 11, fill="#555")
    svg.y += 10
    values = [r for _, r, _ in rows] + [t for _, _, t in rows if t]
    lo = 10 ** math.floor(math.log10(min(values) * 0.95))
    hi = 10 ** math.ceil(math.log10(max(values) * 1.05))
    top = svg.y + 8
    bottom = top + ROW * len(rows) + 6
    x = log_axis(svg, lo, hi, top, bottom, lambda v: f"{v:g}x")
    svg.line(x(1), top, x(1), bottom, "#888", 1, "4,3")
    for i, (name, ratio, target) in enumerate(rows):
        y = top + 6 + i * ROW
        svg.text(LEFT - 8, y + 14, name, 11, "end")
        color = "#999" if not target else ("#3a9d5d" if ratio <= target else "#d0453a")
        x0 = x(lo)
        svg.rect(x0, y + 2, x(ratio) - x0, ROW - 6, color)
        if target:
            svg.line(x(target), y, x(target), y + ROW - 2, "#000", 2)
        verdict = "" if not target else (" (target " + f"{target:g}x" + (", met)" if ratio <= target else ", missed)"))
        svg.text(max(x(ratio), x(target) if target else 0) + 6, y + 14, f"{ratio:.2f}x{verdict}", 11)
    svg.y = bottom + 24


def main(argv):
    if len(argv) < 2:
        sys.exit("usage: chart.py OUT.svg RESULT.json...")
    data = load(argv[1:])
    svg = Svg()
    index_section(svg, data)
    ratio_section(svg, data)
    with open(argv[0], "w") as f:
        f.write(svg.render())


if __name__ == "__main__":
    main(sys.argv[1:])
