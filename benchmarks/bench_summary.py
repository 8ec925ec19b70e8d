"""Consultation summary of a case in all four formats: build once, then HTML, Markdown, DOCX, PDF.

Run: .venv/bin/python benchmarks/bench_summary.py [--audience consultation]
Target (issue 4): a 1,000-record case in all four formats under 5 s together.

The cases are demo-01 repeated with fresh ids (references kept inside each copy) up to the
number of records in the first column. The baseline, measured in the same run, is demo-01
itself; the ratio is each row's total over the baseline's. ``build`` is the audience filter,
the analysis (missing information, language, escalation) and the timeline picture, done once;
``render_summary`` does it again for each format, so its cost is build x 4 + the writes.

History (same machine, one run each of the old commit and this one): with weasyprint printing the
HTML, 1,000 records took 13.4 s, of which PDF 11.1 s (Pango breaking ~17,000 table lines) and
DOCX 1.1 s; the PDF is now laid out by reportlab from the document model and the DOCX table rows
are written as XML directly.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from casemap.model import Case, parse_case  # noqa: E402
from casemap.render.summary import FORMATS, build_summary, write  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "casefiles" / "demo" / "demo-01.json"
TARGET_S = 5.0
SIZES = (250, 1000)


def scaled(base: dict[str, Any], records: int) -> Case:
    """demo-01 copied with fresh ids until the case holds ``records`` records."""
    data = json.loads(json.dumps(base))
    sections = ("behaviours", "efforts", "impacts", "intersections", "responses", "statements")
    originals = {s: list(base.get(s, [])) for s in sections}
    per_copy = sum(len(v) for v in originals.values())
    # Plans and worker safety are not copied; they count towards the total all the same.
    records -= sum(1 for _ in parse_case(base).records()) - per_copy
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


def measure(case: Case, audience: str) -> dict[str, float]:
    t, built = timed(lambda: build_summary(case, audience))
    row = {"build": t}
    for fmt in FORMATS:
        row[fmt], _ = timed(lambda fmt=fmt: write(built, fmt))
    row["once"] = sum(row.values())
    row["each"] = row["once"] + 3 * row["build"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audience", default="consultation")
    args = parser.parse_args()
    base = json.loads(DEMO.read_text())
    demo = parse_case(base)
    # Warm up imports, fonts and templates once, not timed: every format, as a long-running
    # kernel would have them.
    for fmt in FORMATS:
        write(build_summary(demo, args.audience), fmt)
    cases = [("demo-01", demo)] + [(f"{n:,}", scaled(base, n)) for n in SIZES]
    print(
        f"Audience {args.audience}. Seconds; 'all four' = build once + four writes; "
        "'render_summary x4' = one render_summary call per format.\n"
    )
    cols = ["build s", *[f"{f} s" for f in FORMATS], "all four s", "render_summary x4 s", "ratio"]
    print("| records | " + " | ".join(cols) + " |")
    print("|" + "---|" * (len(cols) + 1))
    baseline = None
    results = {}
    for name, case in cases:
        n = sum(1 for _ in case.records())
        row = measure(case, args.audience)
        baseline = baseline or row["once"]
        results[n] = row
        label = f"{n:,}" + (" (demo-01, baseline)" if name == "demo-01" else "")
        cells = [row["build"], *[row[f] for f in FORMATS], row["once"], row["each"]]
        print(
            f"| {label} | "
            + " | ".join(f"{c:.2f}" for c in cells)
            + f" | {row['once'] / baseline:.1f}x |"
        )
    big = results[max(results)]
    verdict = "met" if big["once"] < TARGET_S else "NOT met"
    print(
        f"\n{max(results):,} records, all four formats: {big['once']:.2f} s "
        f"(target < {TARGET_S:.0f} s: {verdict}); PDF alone {big['pdf']:.2f} s."
    )


if __name__ == "__main__":
    main()
