#!/usr/bin/env python3
"""Draws the benchmark chart (SVG) from Google Benchmark JSON files.

  chart.py OUT.svg RESULT[.json]...

Panels, one under the other:
  - per engine (SQLite from index_bench, PostgreSQL from pg_index_bench),
    the declared queries: the time per query with the index its plan uses
    and without it (SQLite: NOT INDEXED; PostgreSQL: the index dropped in a
    rolled-back transaction), as two bars on a log time scale, with the
    speedup; a query whose plan uses no index has one bar (its scan). The
    engines' panels share one time scale, so they compare at a glance;
  - strata's ratio to its raw baseline for every comparison benchmark, on a
    log scale, with the target as a tick: green when met, red when missed
    (with what strata does on top of the baseline underneath), grey when
    there is no target.
The title carries the scale and commit of the run. Each panel is an SVG
group (id "index-<engine>", "ratios"). Exits with status 1 and a message
when a section comes out empty (see bench_results.py). No dependencies
beyond the Python standard library.
"""
import math
import sys
from html import escape

import bench_results as br

WIDTH = 1000
LEFT = 330      # room for the names
RIGHT = 150     # room for the figures after the bars
ROW = 26
INDEX_ROW = 30
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"
WITH_COLOR = "#2b7bba"
WITHOUT_COLOR = "#e08a3c"
SCAN_COLOR = "#c0392b"


class Svg:
    def __init__(self):
        self.parts = []
        self.y = 0

    def text(self, x, y, s, size=12, anchor="start", weight="normal", fill="#222", halo=False):
        """halo: a white outline, so the text stays legible over grid lines."""
        h = " stroke='white' stroke-width='3' paint-order='stroke'" if halo else ""
        self.parts.append(f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
                          f"font-weight='{weight}' fill='{fill}'{h} {FONT}>{escape(s)}</text>")

    def rect(self, x, y, w, h, fill, title=None):
        t = f"<title>{escape(title)}</title>" if title else ""
        self.parts.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{max(w, 0.5):.1f}' height='{h:.1f}' fill='{fill}'>{t}</rect>")

    def line(self, x1, y1, x2, y2, stroke="#ccc", width=1, dash=None):
        d = f" stroke-dasharray='{dash}'" if dash else ""
        self.parts.append(f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='{stroke}' "
                          f"stroke-width='{width}'{d}/>")

    def group(self, id_):
        self.parts.append(f"<g id='{escape(id_)}'>")

    def end_group(self):
        self.parts.append("</g>")

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


def time_tick(us):
    if us >= 1e6:
        return f"{us / 1e6:g} s"
    if us >= 1e3:
        return f"{us / 1e3:g} ms"
    return f"{us:g} µs"


def legend(svg, x, y, items):
    for color, text in items:
        svg.rect(x, y - 9, 10, 10, color)
        svg.text(x + 14, y, text, 11, fill="#444")
        x += 24 + 6.5 * len(text)


def title(svg, report):
    commit = report.context("strata_commit")
    svg.y += 26
    svg.text(20, svg.y, f"strata benchmarks at scale {br.scale_text(report)}"
             + (f", commit {commit}" if commit else ""), 18, weight="bold")
    svg.y += 17
    svg.text(20, svg.y, "Speedups and ratios divide two figures measured in the same run, one after the other; "
             "on a busy machine absolute times move more than ratios.", 11, fill="#555")
    svg.y += 6


def time_range(sections):
    """The log scale's bounds (powers of ten) for the times of `sections`, in microseconds."""
    times = [r.time_us for s in sections for q in s.queries if not q.error
             for r in q.variants.values() if r.time_us > 0] or [1.0]
    return 10 ** math.floor(math.log10(min(times) * 0.95)), 10 ** math.ceil(math.log10(max(times) * 1.05))


def index_panel(svg, section, lo, hi):
    queries = [q for q in section.queries if not q.error]
    svg.group(f"index-{section.engine}")
    svg.y += 30
    svg.text(20, svg.y, f"Index plans, {section.title}: time per declared query with and without "
             "the index its plan uses (log scale)", 15, weight="bold")
    ctx = section.context
    svg.y += 17
    line = ""
    if "chefsocial_rows" in ctx:
        line = (f"ChefSocial data at scale {ctx.get('chefsocial_scale', '?')}: {int(ctx['chefsocial_rows']):,} rows, "
                f"{float(ctx.get('chefsocial_size_mb', 0)):,.0f} MiB. ")
    # The engine's method in one sentence (the context's may run longer than the line).
    without = br.WITHOUT_INDEX.get(section.engine, section.without_text)
    svg.text(20, svg.y, line + f"Without: {without}. Right: speedup.", 11, fill="#555")
    svg.y += 18
    legend(svg, LEFT, svg.y, [(WITH_COLOR, "with the index"), (WITHOUT_COLOR, f"without ({section.without_short})"),
                              (SCAN_COLOR, "the plan uses no index (scan)")])
    top = svg.y + 10
    bottom = top + INDEX_ROW * len(queries) + 6
    x = log_axis(svg, lo, hi, top, bottom, time_tick)
    for i, q in enumerate(queries):
        y = top + 6 + i * INDEX_ROW
        svg.text(LEFT - 8, y + 11, q.query, 12, "end")
        if q.scan:
            run = q.with_run
            plan, detail = q.plan("scan")
            svg.text(LEFT - 8, y + 22, "no index: " + plan, 9, "end", fill="#a33")
            svg.rect(LEFT, y + 7, x(run.time_us) - LEFT, 11, SCAN_COLOR, f"{q.query}: {detail}")
            svg.text(x(run.time_us) + 4, y + 16, br.human_us(run.time_us), 10, halo=True)
            svg.text(WIDTH - 20, y + 16, "scan", 11, "end", fill="#a33")
            continue
        w, wo = q.with_run, q.without_run
        svg.text(LEFT - 8, y + 22, br.index_names(q.index), 9, "end", fill="#777")
        _, with_detail = q.plan("with_index")
        _, without_detail = q.plan("without_index")
        svg.rect(LEFT, y + 2, x(w.time_us) - LEFT, 10, WITH_COLOR, f"{q.query} with the index: {with_detail}")
        svg.text(x(w.time_us) + 4, y + 11, br.human_us(w.time_us), 10, halo=True)
        svg.rect(LEFT, y + 13, x(wo.time_us) - LEFT, 10, WITHOUT_COLOR, f"{q.query} without: {without_detail}")
        svg.text(x(wo.time_us) + 4, y + 22, br.human_us(wo.time_us), 10, halo=True)
        svg.text(WIDTH - 20, y + 17, br.human_speedup(q.speedup), 12, "end", weight="bold")
    svg.y = bottom + 22
    failed = [q for q in section.queries if q.error]
    for q in failed:
        svg.y += 14
        svg.text(LEFT, svg.y, f"{q.query}: error: {q.error}", 11, fill="#a33")
    svg.end_group()


def ratio_panel(svg, report):
    rows = [r for r in report.comparisons if r.counters.get("ratio", 0) > 0]
    if not rows:
        raise br.ReportError("comparison results without a positive ratio: nothing to draw")
    svg.group("ratios")
    svg.y += 30
    engine = br.ENGINE_TITLES.get(report.context("engine", "sqlite"), "SQLite")
    svg.text(20, svg.y, f"strata / raw {engine} baseline, same work in the same run (log scale; lower is better)",
             15, weight="bold")
    svg.y += 17
    svg.text(20, svg.y, "Bar: measured ratio. Black tick: target. Green: target met; red: missed, with what strata "
             "does on top of the baseline; grey: no target.", 11, fill="#555")
    svg.y += 8
    values = [r.counters["ratio"] for r in rows] + [r.counters.get("target") for r in rows if r.counters.get("target")]
    lo = 10 ** math.floor(math.log10(min(values) * 0.95))
    hi = 10 ** math.ceil(math.log10(max(values) * 1.05))
    top = svg.y + 8
    missed = lambda r: r.counters.get("target") and r.counters["ratio"] > r.counters["target"]
    captions = [bool(missed(r) and r.fields.get("extra")) for r in rows]
    bottom = top + ROW * len(rows) + 14 * sum(captions) + 6
    x = log_axis(svg, lo, hi, top, bottom, lambda v: f"{v:g}x")
    svg.line(x(1), top, x(1), bottom, "#888", 1, "4,3")
    y = top + 6
    for r, caption in zip(rows, captions):
        ratio, target = r.counters["ratio"], r.counters.get("target", 0)
        svg.text(LEFT - 8, y + 11, r.name.short(), 11, "end")
        vs = r.fields.get("vs", "")
        svg.text(LEFT - 8, y + 22, "vs " + (vs if len(vs) <= 56 else vs[:53] + "..."), 9, "end", fill="#777")
        color = "#999" if not target else ("#3a9d5d" if ratio <= target else "#d0453a")
        x0 = x(lo)
        svg.rect(x0, y + 2, x(ratio) - x0, ROW - 6, color, f"{r.name.short()} vs {r.fields.get('vs', '')}")
        if target:
            svg.line(x(target), y, x(target), y + ROW - 2, "#000", 2)
        verdict = "" if not target else (" (target " + f"{target:g}x" + (", met)" if ratio <= target else ", missed)"))
        svg.text(max(x(ratio), x(target) if target else 0) + 6, y + 14, f"{ratio:.2f}x{verdict}", 11, halo=True)
        y += ROW
        if caption:
            svg.text(LEFT, y + 4, "missed; strata's extra work: " + r.fields["extra"], 10, fill="#a33", halo=True)
            y += 14
    svg.y = bottom + 22
    svg.end_group()


def main(argv):
    if len(argv) < 2:
        sys.exit("usage: chart.py OUT.svg RESULT[.json]...")
    report = br.collect(argv[1:])
    if not report.index and not report.comparisons:
        raise br.ReportError("neither index nor comparison results: nothing to draw")
    svg = Svg()
    title(svg, report)
    lo, hi = time_range(report.index)
    for section in report.index:
        index_panel(svg, section, lo, hi)
    if report.comparisons:
        ratio_panel(svg, report)
    with open(argv[0], "w") as f:
        f.write(svg.render())


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except br.ReportError as e:
        sys.exit(f"chart.py: error: {e}")
