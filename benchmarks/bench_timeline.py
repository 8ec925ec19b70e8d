"""How long the timeline takes to draw and save as PNG, against bare matplotlib in the same run.

    .venv/bin/python benchmarks/bench_timeline.py [--repeat 3]

For 100, 1,000 and 10,000 records of a generated fictional case (benchmarks/gen.py): the time
to draw the timeline and save it as a 200 dpi PNG, and the time matplotlib takes to draw and save
the same number of bare points on a figure of the same size at the same dpi. The machine is
shared, so each time is the best of ``--repeat`` runs, the process's CPU time is printed beside
the wall time, and the ratio (wall against wall) is what to compare across machines. Target:
under 1.5 s at 1,000 records.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from benchmarks.gen import make_case  # noqa: E402
from casemap.render.timeline import A3_LANDSCAPE, PNG_DPI, draw_timeline, to_bytes  # noqa: E402

SIZES = (100, 1_000, 10_000)
TARGET_1000 = 1.5


def bare_points(n: int) -> bytes:
    """The baseline: n points drawn by matplotlib and saved, nothing else."""
    rng = random.Random(n)
    fig = Figure(figsize=A3_LANDSCAPE)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([rng.random() for _ in range(n)], [rng.random() for _ in range(n)], "o", ms=5)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PNG_DPI)
    return buf.getvalue()


def best_of(repeat: int, work) -> tuple[float, float]:
    """The best wall time and the best CPU time of the process over ``repeat`` runs."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bare_points(10)  # load fonts and backends before anything is timed
    to_bytes(draw_timeline(make_case(10, seed=1)), "png")
    # A Markdown table, so make bench can publish it and fit the growth with size.
    print("| records | timeline s | timeline cpu s | bare points s | bare points cpu s | ratio |")
    print("|---:|---:|---:|---:|---:|---:|")
    at_1000 = None
    for n in SIZES:
        case = make_case(n, seed=1)
        timeline, timeline_cpu = best_of(
            args.repeat, lambda case=case: to_bytes(draw_timeline(case), "png")
        )
        bare, bare_cpu = best_of(args.repeat, lambda n=n: bare_points(n))
        print(
            f"| {n:,} | {timeline:.2f} | {timeline_cpu:.2f} | {bare:.2f} | {bare_cpu:.2f} |"
            f" {timeline / bare:.1f} |"
        )
        if n == 1_000:
            at_1000 = timeline
    verdict = "met" if at_1000 is not None and at_1000 < TARGET_1000 else "NOT met"
    print()
    print(f"target under {TARGET_1000} s at 1,000 records: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
