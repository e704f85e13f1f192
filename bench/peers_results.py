#!/usr/bin/env python3
"""Checks the peers harness's tables that `bench/run --peers` saved and,
given a second file, puts them into it as the section "strata beside its
peers".

  peers_results.py PEERS_MD [RESULTS_MD]

PEERS_MD is DIR/results/peers.md: a first line naming the strata commit,
the harness's folder and the scale (written by bench/run), then the
harness's markdown. The check: in every workload strata takes part in (W1,
W2, W4, W4S, W5) that the file has, at least one strata row, and none that
could not run. Exits 1 with a message when the file does not read or the
check fails; RESULTS_MD is then left alone.

With RESULTS_MD (bench/RESULTS.md), the section
"## strata beside its peers (FOLDER, scale S, commit C)" is replaced: from
its heading to the next level-2 heading, or the end. Without one, the
section goes before "## Earlier runs", or at the end. Every other byte of
the file stays as it was.
"""
import re
import sys

HEADER = re.compile(r"^strata (?P<commit>\S+) beside its peers \((?P<dir>.+)\), scale (?P<scale>[0-9.eE+-]+), ")
SECTION = "## strata beside its peers"
STRATA_WORKLOADS = ("W1", "W2", "W4", "W4S", "W5")


def fail(msg):
    print(f"peers_results.py: {msg}", file=sys.stderr)
    sys.exit(1)


def read_peers(path):
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        fail(f"cannot read {path}: {e.strerror}")
    first = text.split("\n", 1)[0]
    m = HEADER.match(first)
    if not m:
        fail(f"{path}: the first line does not name the commit, the harness and the scale "
             f"(\"strata C beside its peers (DIR), scale S, ...\"): {first!r}")
    return m, text


def workload_rows(text):
    """{workload: [table rows]} of every '### Wn ...' section."""
    rows, cur = {}, None
    for line in text.splitlines():
        h = re.match(r"^### (W\d+S?) ", line)
        if h:
            cur = h.group(1)
            rows[cur] = []
        elif line.startswith("#"):
            cur = None
        elif cur and line.startswith("| ") and not line.startswith("| tool / way") \
                and not line.startswith("| ---"):
            rows[cur].append(line)
    return rows


def check(path, text):
    rows = workload_rows(text)
    if not rows:
        fail(f"{path}: no workload tables (### W1 ...) in it")
    problems, seen = [], []
    for wl in STRATA_WORKLOADS:
        if wl not in rows:
            continue
        mine = [r for r in rows[wl] if r.startswith("| strata ")]
        if not mine:
            problems.append(f"{wl} has no strata row (was STRATA given to the harness?)")
        for r in mine:
            cells = [c.strip() for c in r.strip("|").split(" | ")]
            if "not possible" in cells[-1] or cells[1] == "-":
                problems.append(f"{wl}: {cells[0]}: {cells[-1]}")
            else:
                seen.append(f"{wl} {cells[0]} {cells[1]} s ({cells[4]})")
    if problems:
        fail(f"{path}: " + "; ".join(problems))
    return seen


def section(m, text):
    body = text.split("\n", 1)[1].strip("\n")
    return (f"{SECTION} ({m['dir']}, scale {m['scale']}, commit {m['commit']})\n\n"
            "Whole processes, timed from outside by the peers harness (its README has the "
            "method), medians of interleaved runs; each ratio is to the first row of its table, "
            "measured in the same run. Written by `bench/run --peers --peers-record` from "
            "`results/peers.md`:\n\n"
            f"{text.split(chr(10), 1)[0]}\n\n{body}\n")


def record(results_path, new):
    with open(results_path) as f:
        lines = f.read().splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.startswith(SECTION)), None)
    if start is not None:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        block = new + ("\n" if end < len(lines) else "")
    else:
        start = end = next((i for i, ln in enumerate(lines) if ln.rstrip("\n") == "## Earlier runs"), len(lines))
        if end < len(lines):
            block = new + "\n"
        else:
            block = ("\n" if lines and lines[-1].strip() else "") + new
            if lines and not lines[-1].endswith("\n"):
                block = "\n" + block
    out = "".join(lines[:start]) + block + "".join(lines[end:])
    with open(results_path, "w") as f:
        f.write(out)


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    m, text = read_peers(sys.argv[1])
    for line in check(sys.argv[1], text):
        print("strata: " + line)
    if len(sys.argv) == 3:
        record(sys.argv[2], section(m, text))
        print(f"wrote the section \"{SECTION} ({m['dir']}, scale {m['scale']}, commit {m['commit']})\" "
              f"into {sys.argv[2]}")


if __name__ == "__main__":
    main()
