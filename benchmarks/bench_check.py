"""`casemap check` and `lint` and the pattern frame over generated cases, against a plain loop.

Run: .venv/bin/python benchmarks/bench_check.py
Target (issue 3): check under 1 s at 1,000 records. The baseline, measured in the same run on
the same case, is a plain Python loop that reads every record once (id, date, description):
the least any analysis of the whole case must do. The ratio says how many such passes each
operation costs.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gen import make_case  # noqa: E402

from casemap import dates, store  # noqa: E402
from casemap.analysis import gaps, pattern  # noqa: E402
from casemap.model import Case  # noqa: E402

try:  # the language lens is another engineer's module: measure it when it loads
    from casemap.analysis import language
except Exception as e:  # noqa: BLE001 - any failure just leaves lint out of the table
    print(f"(lint_case not measured: casemap.analysis.language did not load: {e!r})\n")
    language = None  # type: ignore[assignment]

SIZES = (1_000, 10_000)


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def plain_loop(case: Case) -> int:
    """Read every record once: the baseline."""
    total = 0
    for _, r in case.records():
        d = dates.parse(r.when) if r.when is not None else None
        total += len(r.id) + len(r.description) + (d.earliest.toordinal() if d else 0)
    return total


def check_end_to_end(path: Path) -> str:
    """What `casemap check PATH` does: load, find the gaps, format them."""
    return gaps.format_findings(gaps.find_gaps(store.load(path)))


def main() -> None:
    operations: dict[str, list[tuple[int, float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CASEMAP_HOME"] = tmp
        for n in SIZES:
            case = make_case(n, seed=1)
            path = Path(tmp) / f"bench-{n}.json"
            store.save(case, path)
            repeat = 7 if n <= 1_000 else 3
            base = median_time(lambda c=case: plain_loop(c), repeat)
            ops: dict[str, Callable[[], object]] = {
                "find_gaps": lambda c=case: gaps.find_gaps(c),
                "check (load + find_gaps + format)": lambda p=path: check_end_to_end(p),
                "frame": lambda c=case: pattern.frame(c),
                "counts_by_month": lambda c=case: pattern.counts_by_month(c),
                "escalation": lambda c=case: pattern.escalation(c),
            }
            if language is not None:
                ops["lint_case"] = lambda c=case: language.lint_case(c)
            for name, fn in ops.items():
                fn()  # warm caches (compiled patterns, parsed dates), as in a running kernel
                operations.setdefault(name, []).append((n, median_time(fn, repeat), base))
    for name, rows in operations.items():
        print(f"### {name}")
        print()
        print("| records | time ms | plain loop ms | ratio |")
        print("|---:|---:|---:|---:|")
        for n, t, base in rows:
            print(f"| {n:,} | {t * 1e3:.1f} | {base * 1e3:.2f} | {t / base:.0f}x |")
        print()


if __name__ == "__main__":
    main()
