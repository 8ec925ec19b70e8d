"""Load and save of generated casefiles against plain json.loads/json.dumps of the same file.

Run: .venv/bin/python benchmarks/bench_store.py
Target (issue 2): load + save of 1,000 records under 100 ms and within 10x the json baseline.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gen import make_case  # noqa: E402

from casemap import store  # noqa: E402


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure(n: int, folder: Path) -> dict[str, float]:
    case = make_case(n, seed=1)
    path = folder / f"bench-{n}.json"
    saved = store.save(case, path)
    raw = path.read_text()
    repeat = 7 if n <= 1000 else 3

    def load_save() -> None:
        nonlocal saved
        saved = store.save(store.load(path), path)

    def baseline() -> None:
        data = json.loads(path.read_text())
        path.with_suffix(".base").write_text(json.dumps(data, ensure_ascii=False, indent=1))

    return {
        "records": n,
        "bytes": len(raw),
        "load": best_of(lambda: store.load(path), repeat),
        "save": best_of(lambda: store.save(store.load(path), path), repeat)
        - best_of(lambda: store.load(path), repeat),
        "load+save": best_of(load_save, repeat),
        "json baseline": best_of(baseline, repeat),
    }


def main() -> list[dict[str, float]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CASEMAP_HOME"] = tmp
        for n in (100, 1000, 10000):
            rows.append(measure(n, Path(tmp)))
    print("| records | file KB | load ms | save ms | load+save ms | json.loads+dumps ms | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['records']:,} | {r['bytes'] / 1024:,.0f} | {r['load'] * 1e3:.1f} | "
              f"{r['save'] * 1e3:.1f} | {r['load+save'] * 1e3:.1f} | "
              f"{r['json baseline'] * 1e3:.1f} | {r['load+save'] / r['json baseline']:.1f}x |")
    return rows


if __name__ == "__main__":
    main()
