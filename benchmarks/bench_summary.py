"""Time the consultation summary of a 1,000-record case in all four formats (target: < 5 s).

    .venv/bin/python benchmarks/bench_summary.py [--records 1000] [--audience consultation]

The large case is demo-01 repeated with fresh ids (references kept inside each copy) until it
holds the requested number of records. The baseline, measured in the same run, is the same
work on demo-01 itself; the ratio says how the cost grows with the case.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from casemap.model import Case, dump_case, parse_case
from casemap.render.summary import FORMATS, build_summary, render_summary, write

DEMO = Path(__file__).resolve().parents[1] / "casefiles" / "demo" / "demo-01.json"
TARGET_S = 5.0


def scaled(base: dict[str, Any], records: int) -> Case:
    """demo-01 copied with fresh ids until the case holds ``records`` records."""
    data = json.loads(json.dumps(base))
    sections = ("behaviours", "efforts", "impacts", "intersections", "responses", "statements")
    originals = {s: list(base.get(s, [])) for s in sections}
    per_copy = sum(len(v) for v in originals.values())
    # Plans and worker safety are not copied; they count towards the total all the same.
    fixed = sum(1 for _ in parse_case(base).records()) - per_copy
    records -= fixed
    copy_no = 0
    while sum(len(data[s]) for s in sections) + per_copy <= records:
        copy_no += 1
        rename = {r["id"]: f"{r['id']}x{copy_no}" for s in sections for r in originals[s]}
        for s in sections:
            for r in originals[s]:
                new = json.loads(json.dumps(r))
                new["id"] = rename[r["id"]]
                if "caused_by" in new:
                    new["caused_by"] = [rename.get(x, x) for x in new["caused_by"]]
                data[s].append(new)
    # Top up with behaviours to hit the number exactly.
    b0 = originals["behaviours"][0]
    n = 0
    while sum(len(data[s]) for s in sections) < records:
        n += 1
        data["behaviours"].append({**b0, "id": f"extra{n}"})
    return parse_case(data)


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--audience", default="consultation")
    args = parser.parse_args()
    base = json.loads(DEMO.read_text())
    small = parse_case(base)
    large = scaled(base, args.records)
    n_small = sum(1 for _ in small.records())
    n_large = sum(1 for r in large.records())
    print(
        f"audience {args.audience}; baseline demo-01 {n_small} records; "
        f"large case {n_large} records ({len(json.dumps(dump_case(large))) // 1024} KiB JSON)"
    )
    render_summary(small, args.audience, "pdf")  # warm up fonts and templates, not timed
    print(f"{'step':<26}{'baseline s':>12}{'1,000 s':>10}{'ratio':>8}")
    total = 0.0
    for fmt in FORMATS:
        t_small, _ = timed(lambda fmt=fmt: render_summary(small, args.audience, fmt))
        t_large, data = timed(lambda fmt=fmt: render_summary(large, args.audience, fmt))
        total += t_large
        print(
            f"{'render_summary ' + fmt:<26}{t_small:>12.2f}{t_large:>10.2f}"
            f"{t_large / t_small:>8.1f}   ({len(data) // 1024} KiB)"
        )
    t_small, s_small = timed(lambda: build_summary(small, args.audience))
    t_large, s_large = timed(lambda: build_summary(large, args.audience))
    print(f"{'build once':<26}{t_small:>12.2f}{t_large:>10.2f}{t_large / t_small:>8.1f}")
    once = t_large
    for fmt in FORMATS:
        t_s, _ = timed(lambda fmt=fmt: write(s_small, fmt))
        t_l, _ = timed(lambda fmt=fmt: write(s_large, fmt))
        once += t_l
        print(f"{'  write ' + fmt:<26}{t_s:>12.2f}{t_l:>10.2f}{t_l / t_s:>8.1f}")
    print(
        f"\nall four formats, one render_summary each: {total:.2f} s "
        f"(target < {TARGET_S:.0f} s: {'met' if total < TARGET_S else 'NOT met'})"
    )
    print(
        f"all four formats from one build_summary:  {once:.2f} s "
        f"(target < {TARGET_S:.0f} s: {'met' if once < TARGET_S else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
