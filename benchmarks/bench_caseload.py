"""`casemap caseload` over 100 and 1,000 generated casefiles, against loading them alone.

Run: .venv/bin/python benchmarks/bench_caseload.py
Target (issue 6): under 5 s at 1,000 casefiles. ``casemap caseload`` reads and analyses the
files in worker processes, by default one per 250 casefiles and at most one per core (so 100
casefiles run in-process); ``--jobs 1`` is shown beside it. The baseline is ``store.list_cases``
on the same folder in one process (reading and validating every file, which the caseload must
do anyway; it keeps every case in memory, which makes the garbage collector work harder at
1,000). On a machine shared with other work the worker column mostly measures the neighbours.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gen import make_case  # noqa: E402

from casemap import store  # noqa: E402
from casemap.cli import main as cli  # noqa: E402
from casemap.model import dump_case  # noqa: E402

RECORDS = 60  # a typical consultation holds tens of records; demo cases have 60-90


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def median_of(fn, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds: on a shared machine wall time also measures the neighbours."""
    walls, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), cpu_seconds()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(cpu_seconds() - c)
    return statistics.median(walls), statistics.median(cpus)


def fill(folder: Path, n: int) -> None:
    for i in range(n):
        data = dump_case(make_case(RECORDS, seed=i))
        data["case_id"] = f"bench-{i:04d}"
        (folder / f"bench-{i:04d}.json").write_text(json.dumps(data), encoding="utf-8")


def caseload(folder: Path, jobs: int | None = None) -> None:
    extra = ["--jobs", str(jobs)] if jobs else []
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli(["caseload", str(folder), "--json", *extra]) == 0


def main() -> list[dict[str, object]]:
    rows = []
    for n in (100, 1000):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            fill(folder, n)
            repeat = 3
            rows.append(
                {
                    "casefiles": n,
                    "caseload": median_of(lambda f=folder: caseload(f), repeat),
                    "one process": median_of(lambda f=folder: caseload(f, 1), repeat),
                    "load only": median_of(lambda f=folder: store.list_cases(f), repeat),
                }
            )
    print(f"records per casefile: {RECORDS}; cores: {os.cpu_count()}; wall s (CPU s)")
    print("| casefiles | casemap caseload s | --jobs 1 s | load only (baseline) s | ratio |")
    print("|---:|---:|---:|---:|---:|")
    for r in rows:
        (wall, cpu), (one, one_cpu), (base, base_cpu) = (
            r["caseload"],
            r["one process"],
            r["load only"],
        )
        print(
            f"| {r['casefiles']:,} | {wall:.2f} ({cpu:.2f}) | {one:.2f} ({one_cpu:.2f}) | "
            f"{base:.2f} ({base_cpu:.2f}) | {wall / base:.1f}x ({cpu / base_cpu:.1f}x) |"
        )
    return rows


if __name__ == "__main__":
    main()
