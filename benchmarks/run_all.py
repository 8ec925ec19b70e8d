"""Run every benchmark in benchmarks/ and write docs/benchmarks.md.

Each ``bench_*.py`` script prints one or more Markdown tables, each row carrying its own baseline
measured in the same run and the ratio. This runner adds what no single script can: the machine
and library versions, the date, and how each cost grows with size: where a table's first column
counts records or casefiles, the exponent k of time ~ size^k is fitted (least squares on logs)
for every time column, so "linear" (k≈1) or worse is visible at a glance.

Run: make bench   (or .venv/bin/python benchmarks/run_all.py [NAME ...])
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import re
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = REPO / "docs" / "benchmarks.md"
LIBRARIES = ("pydantic", "pandas", "matplotlib", "ipywidgets", "voila", "jupyterlab",
             "python-docx", "reportlab", "playwright", "jupyterhub")


def machine() -> list[str]:
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line for line in f if line.startswith("model name")).split(":", 1)[1].strip()
    except (OSError, StopIteration):
        pass
    versions = []
    for lib in LIBRARIES:
        try:
            versions.append(f"{lib} {metadata.version(lib)}")
        except metadata.PackageNotFoundError:
            pass
    return [
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores ({cpu}), {mem} memory, {platform.system()} "
        f"{platform.release()}",
        f"- Python {platform.python_version()}; " + ", ".join(versions),
    ]


_NUM = re.compile(r"^[~≈]?\s*([0-9][0-9,]*\.?[0-9]*)")


def _number(cell: str) -> float | None:
    m = _NUM.match(cell.strip().strip("*"))
    return float(m.group(1).replace(",", "")) if m else None


def tables(text: str) -> list[list[list[str]]]:
    """The Markdown tables in a script's output, as rows of cells (header first)."""
    found, current = [], []
    for line in text.splitlines():
        if line.strip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def growth(table: list[list[str]]) -> list[str]:
    """Fitted exponents of time ~ size^k for each time column of a size-indexed table."""
    header, rows = table[0], table[1:]
    if len(rows) < 2 or not re.search(r"records|casefiles|cases|size", header[0], re.I):
        return []
    sizes = [_number(r[0]) for r in rows]
    out = []
    for j, name in enumerate(header[1:], start=1):
        if not re.search(r"\b(ms|s)\b|time", name) or "ratio" in name.lower():
            continue
        pts = [(math.log(s), math.log(v)) for s, r in zip(sizes, rows, strict=False)
               if s and j < len(r) and (v := _number(r[j])) and v > 0]
        if len(pts) < 2:
            continue
        mx = sum(x for x, _ in pts) / len(pts)
        my = sum(y for _, y in pts) / len(pts)
        den = sum((x - mx) ** 2 for x, _ in pts)
        if den == 0:
            continue
        k = sum((x - mx) * (y - my) for x, y in pts) / den
        out.append(f"{name}: k = {k:.2f}")
    return out


def render_output(output: str) -> list[str]:
    """A script's output as Markdown, in its own order: tables (with their growth fit),
    headings before the tables they name, any other text in code blocks."""
    out: list[str] = []
    text: list[str] = []
    table: list[str] = []

    def flush_text() -> None:
        if text:
            out.extend(["```", *text, "```", ""])
            text.clear()

    def flush_table() -> None:
        if table:
            for t in tables("\n".join(table)):
                out.extend(["| " + " | ".join(t[0]) + " |", "|" + "---|" * len(t[0])])
                out.extend("| " + " | ".join(r) + " |" for r in t[1:])
                fits = growth(t)
                if fits:
                    out.extend(["", "Growth with size (time ~ size^k): " + "; ".join(fits) + "."])
                out.append("")
            table.clear()

    for line in output.splitlines():
        if line.strip().startswith("|"):
            flush_text()
            table.append(line)
            continue
        flush_table()
        if line.startswith("#"):
            flush_text()
            out.extend([f"#{line.strip()}", ""])
        elif line.strip():
            text.append(line.rstrip())
    flush_table()
    flush_text()
    return out


def run(script: Path) -> tuple[str, float, int]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=REPO, timeout=1800)
    return proc.stdout + (f"\n(stderr)\n{proc.stderr[-2000:]}" if proc.returncode else ""), \
        time.perf_counter() - start, proc.returncode


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(a in s.stem for a in argv)]
    parts = ["# Benchmarks", "", "Written by `make bench` (benchmarks/run_all.py). Every table "
             "carries its own baseline, measured in the same run, and the ratio to it.", "",
             *machine(), ""]
    failed = 0
    for script in scripts:
        print(f"== {script.name}", flush=True)
        output, seconds, code = run(script)
        print(output, flush=True)
        failed += code != 0
        doc = (script.read_text().split('"""')[1].strip().splitlines() or [""])[0]
        parts += [f"## {script.stem.removeprefix('bench_')}", "", doc, "",
                  f"`{sys.executable.split('/')[-1]} benchmarks/{script.name}` "
                  f"({seconds:.0f} s{', FAILED' if code else ''})", ""]
        parts += render_output(output)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(parts) + "\n")
    print(f"wrote {OUT.relative_to(REPO)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
