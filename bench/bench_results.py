"""Reads the Google Benchmark JSON files of strata's benchmarks into the
sections of the report that summarize.py (markdown) and chart.py (SVG) draw.

Sections:
  index        BM_Query/[<engine>/]<query>/<with_index|without_index|scan>
               runs of index_bench and BM_PgQuery/<query>/<variant> runs of
               pg_index_bench, one table per engine (the engine comes from
               the name: BM_PgQuery is PostgreSQL's, BM_Query/<engine>/...
               names it, else from the context key "engine")
  comparison   runs with the counters ratio and target (bench_util.h's
               Comparison): strata against a raw baseline in the same run
  timing       every other run

Google Benchmark appends its own parts to a name (/min_time:0.031,
/iterations:3, /repeats:5, /threads:2, /manual_time, /real_time, ...);
parse_name() sets them apart from the parts the benchmark chose. Each
program records in its context what it feeds ("strata_report": index,
comparison or timing), so a file whose section comes out empty is an error
(ReportError), never a silently missing table.
"""
import json
import os
import re
from dataclasses import dataclass, field

# Parts Google Benchmark adds after the benchmark's own name and arguments.
GB_SUFFIX = re.compile(
    r"(?:min_time|min_warmup_time|iterations|repeats|threads):[^/]+|manual_time|real_time|process_time")
AGGREGATE_SUFFIX = re.compile(r"_(?:mean|median|stddev|cv)$")
VARIANTS = ("with_index", "without_index", "scan")
UNIT_US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}
NOT_COUNTERS = {"real_time", "cpu_time", "iterations", "repetitions", "repetition_index", "threads",
                "family_index", "per_family_instance_index"}
ENGINE_TITLES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Families of index benchmark runs, with the engine the family implies.
INDEX_FAMILIES = {"BM_Query": None, "BM_PgQuery": "postgresql"}
# How each engine's index benchmark runs a query without its index, when
# the results do not say (context "strata_without_index"); and in short.
WITHOUT_INDEX = {
    "sqlite": "the same query with NOT INDEXED on the tables whose index its plan uses",
    "postgresql": "the indexes its plan uses dropped in a transaction rolled back after the run",
}
WITHOUT_INDEX_SHORT = {"sqlite": "NOT INDEXED", "postgresql": "index dropped, rolled back"}


class ReportError(Exception):
    """Results that cannot make the report they were given for."""


@dataclass
class BenchName:
    family: str        # "BM_Query"
    args: list         # the benchmark's own parts: ["login_by_email", "with_index"], ["rows:1000000"]
    suffixes: list     # Google Benchmark's: ["min_time:0.031", "manual_time"]

    def short(self):
        """The name without Google Benchmark's parts and the BM_ prefix: "Rebuild/rows:1000000"."""
        family = self.family[3:] if self.family.startswith("BM_") else self.family
        return "/".join([family] + self.args)


def parse_name(name):
    """Splits a Google Benchmark run name into family, own parts and suffixes."""
    parts = name.split("/")
    args, suffixes = [], []
    for part in parts[1:]:
        (suffixes if GB_SUFFIX.fullmatch(part) else args).append(part)
    return BenchName(parts[0], args, suffixes)


def parse_label(label):
    """The "key: value | key: value" fields of a label; a part without a key is under "text"."""
    fields = {}
    for part in (label or "").split(" | "):
        m = re.match(r"([a-z_]+): (.*)\Z", part, re.S)
        if m:
            fields[m[1]] = m[2]
        elif part:
            fields["text"] = fields["text"] + " | " + part if "text" in fields else part
    return fields


@dataclass
class Run:
    """One benchmark of one file: its mean when Google Benchmark repeated it."""
    name: BenchName
    raw_name: str
    time_us: float
    counters: dict
    label: str
    error: str
    context: dict
    path: str

    @property
    def fields(self):
        return parse_label(self.label)


@dataclass
class IndexQuery:
    query: str
    variants: dict = field(default_factory=dict)  # variant -> Run

    @property
    def scan(self):
        return "scan" in self.variants

    @property
    def with_run(self):
        return self.variants.get("with_index") or self.variants.get("scan")

    @property
    def without_run(self):
        return self.variants.get("without_index")

    @property
    def error(self):
        return "; ".join(r.error for r in self.variants.values() if r.error)

    @property
    def index(self):
        """The index (or indexes) the plan uses, "" for a scan."""
        if self.scan:
            return ""
        w = self.with_run.fields
        return w.get("index", w.get("text", ""))

    @property
    def method(self):
        """How the without_index run did without the index (PostgreSQL's label says, per query)."""
        run = self.without_run
        return run.fields.get("method", "") if run else ""

    @property
    def speedup(self):
        """Time without the index / time with it, both measured in the same run."""
        w, wo = self.with_run, self.without_run
        if self.scan or self.error or not w.time_us:
            return None
        return wo.time_us / w.time_us

    def plan(self, variant):
        run = self.variants.get(variant)
        if not run:
            return "", ""
        f = run.fields
        return f.get("plan", ""), f.get("detail", f.get("text", ""))


@dataclass
class IndexSection:
    engine: str
    context: dict
    queries: list  # IndexQuery, in run order
    program: str = "index_bench"  # the program whose file it came from

    @property
    def title(self):
        name = ENGINE_TITLES.get(self.engine, self.engine)
        version = self.context.get("engine_version")
        return f"{name} {version}" if version else name

    @property
    def name(self):
        return ENGINE_TITLES.get(self.engine, self.engine)

    @property
    def without_text(self):
        """How the without_index runs did without the index, in a sentence's words."""
        return self.context.get("strata_without_index") or WITHOUT_INDEX.get(self.engine, "without the index")

    @property
    def without_short(self):
        return WITHOUT_INDEX_SHORT.get(self.engine, "without the index")


@dataclass
class Report:
    index: list = field(default_factory=list)        # IndexSection per engine
    comparisons: list = field(default_factory=list)  # Run
    timings: list = field(default_factory=list)      # Run
    contexts: list = field(default_factory=list)     # context of each file

    def context(self, key, default=""):
        """A context value that every file agrees on, else the first one."""
        values = [c[key] for c in self.contexts if key in c]
        return values[0] if values else default


def load_json(path):
    if not path.endswith(".json"):
        path += ".json"
    try:
        with open(path) as f:
            return path, json.load(f)
    except OSError as e:
        raise ReportError(f"{path}: {e.strerror}")
    except json.JSONDecodeError as e:
        raise ReportError(f"{path}: not JSON ({e}); did the benchmark program finish?")


def _run_name(b):
    if b.get("run_name"):
        return b["run_name"]
    return AGGREGATE_SUFFIX.sub("", b["name"]) if b.get("run_type") == "aggregate" else b["name"]


def _time_us(b):
    unit = b.get("time_unit", "ns")
    if unit not in UNIT_US:
        raise ReportError(f"{b['name']}: unknown time unit {unit!r}")
    return b.get("real_time", 0.0) * UNIT_US[unit]


def _counter_keys(b):
    return [k for k, v in b.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and k not in NOT_COUNTERS]


def runs(path, data):
    """The runs of one file: the mean aggregate of a repeated benchmark, else
    its single run (or the average of its repetitions)."""
    groups = {}
    for b in data.get("benchmarks", []):
        groups.setdefault(_run_name(b), []).append(b)
    context = data.get("context", {})
    out = []
    for run_name, entries in groups.items():
        iterations = [e for e in entries if e.get("run_type", "iteration") == "iteration"]
        aggregates = {e.get("aggregate_name"): e for e in entries if e.get("run_type") == "aggregate"}
        errors = [e.get("error_message", "error") for e in entries if e.get("error_occurred")]
        label = next((e["label"] for e in iterations + list(aggregates.values()) if e.get("label")), "")
        chosen = aggregates.get("mean") or aggregates.get("median")
        if chosen:
            time_us = _time_us(chosen)
            counters = {k: chosen[k] for k in _counter_keys(chosen)}
        else:
            ok = [e for e in iterations if not e.get("error_occurred")] or iterations or entries
            time_us = sum(_time_us(e) for e in ok) / len(ok)
            counters = {k: sum(e.get(k, 0) for e in ok) / len(ok) for k in _counter_keys(ok[0])}
        out.append(Run(parse_name(run_name), run_name, time_us, counters, label, "; ".join(errors), context, path))
    return out


def _index_key(run):
    """(engine or None, query, variant) of an index run; ReportError when its name does not read."""
    args = run.name.args
    implied = INDEX_FAMILIES[run.name.family]
    if len(args) not in ((2,) if implied else (2, 3)) or args[-1] not in VARIANTS:
        expected = (f"{run.name.family}/<query>/<{'|'.join(VARIANTS)}>" if implied else
                    f"{run.name.family}/[<engine>/]<query>/<{'|'.join(VARIANTS)}>")
        raise ReportError(f"{run.path}: cannot read the index benchmark name {run.raw_name!r}: expected "
                          f"{expected} followed by Google Benchmark's suffixes")
    return implied or (args[0] if len(args) == 3 else None), args[-2], args[-1]


def _file_kind(data, file_runs):
    kind = data.get("context", {}).get("strata_report")
    if kind:
        return kind
    if any(r.name.family in INDEX_FAMILIES for r in file_runs):
        return "index"
    if any("ratio" in r.counters for r in file_runs):
        return "comparison"
    return "timing"


def collect(paths):
    """The report of `paths` (Google Benchmark JSON files, .json optional)."""
    if not paths:
        raise ReportError("no result files given")
    report = Report()
    sections = {}
    for given in paths:
        path, data = load_json(given)
        file_runs = runs(path, data)
        if not file_runs:
            raise ReportError(f"{path}: no benchmark results (was every benchmark filtered out?)")
        kind = _file_kind(data, file_runs)
        context = data.get("context", {})
        report.contexts.append(context)
        index_runs = [r for r in file_runs if r.name.family in INDEX_FAMILIES]
        if kind == "index" and not index_runs:
            raise ReportError(f"{path}: index results without any BM_Query/<query>/<variant> or "
                              "BM_PgQuery/<query>/<variant> run: the index section would be empty")
        if kind == "comparison" and not any("ratio" in r.counters or r.error for r in file_runs):
            raise ReportError(f"{path}: comparison results without a ratio counter: "
                              "the strata-against-raw section would be empty")
        for run in file_runs:
            if run.name.family in INDEX_FAMILIES:
                engine, query, variant = _index_key(run)
                engine = engine or context.get("engine", "sqlite")
                section = sections.get(engine)
                if section is None:
                    section = sections[engine] = IndexSection(engine, context, [], file_stem(path))
                    report.index.append(section)
                q = next((q for q in section.queries if q.query == query), None)
                if q is None:
                    q = IndexQuery(query)
                    section.queries.append(q)
                if variant in q.variants:
                    raise ReportError(f"{path}: {query}/{variant} ({engine}) appears twice")
                q.variants[variant] = run
            elif "ratio" in run.counters or (kind == "comparison" and run.error):
                report.comparisons.append(run)
            else:
                report.timings.append(run)
    for section in report.index:
        for q in section.queries:
            v = set(q.variants)
            if v != {"scan"} and v != {"with_index", "without_index"}:
                raise ReportError(f"index results of {section.engine}: query {q.query} has {sorted(v)}; expected "
                                  "with_index and without_index, or scan (was a benchmark filtered out?)")
    return report


def index_names(described):
    """The index names of an "index:" field, without what is said of each in parentheses."""
    return re.sub(r" \([^()]*\)", "", described)


def human_us(v):
    """A time in microseconds as people read it: 3.9 µs, 3.12 ms, 1.04 s."""
    if v is None:
        return ""
    if v >= 1e6:
        return f"{v / 1e6:.2f} s"
    if v >= 1e3:
        return f"{v / 1e3:.3g} ms"
    return f"{v:.3g} µs"


def human_speedup(s):
    if s is None:
        return ""
    return f"{s:,.0f}x" if s >= 100 else f"{s:.1f}x"


def scale_text(report):
    """The scale the results were measured at, from the context."""
    return report.context("strata_bench_scale") or report.context("chefsocial_scale") or "unknown"


def file_stem(path):
    return os.path.splitext(os.path.basename(path))[0]
