"""`casemap check` and `casemap lint` over generated cases, against loading the case alone.

Run: .venv/bin/python benchmarks/bench_lint.py
Target (issue 3): under 1 s at 1,000 records. Both commands must read and validate the casefile,
so the baseline, measured in the same run on the same file, is ``store.load`` alone; the ratio is
what the command costs on top of that. ``lint_case`` (in memory, as the workbook calls it) and
``word_count`` (one regular expression over the same fields: the least a text scan must do) are
shown too, so the cost of the rules over one plain pass is visible.

A second table is what a fresh process pays before its first finding (a Voila page showing the
lens, a ``casemap caseload`` worker): importing the language lens and checking one sentence,
in a new interpreter, against importing ``casemap.model`` alone (which the lens imports).
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gen import make_case  # noqa: E402

from casemap import store  # noqa: E402
from casemap.analysis import language  # noqa: E402
from casemap.cli import main as cli  # noqa: E402

SIZES = (1_000, 10_000)


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def fresh_process(code: str) -> float:
    """CPU seconds a new interpreter spends on ``code`` (its own start-up left out)."""
    timed = f"import time; t = time.process_time()\n{code}\nprint(time.process_time() - t)"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", timed], capture_output=True, text=True, check=True, cwd=root
    )
    return float(out.stdout.split()[-1])


def start_up() -> None:
    sentence = "She failed to protect the children from his violence."
    steps = {
        "import casemap.model (baseline)": "import casemap.model",
        "import casemap.analysis.language": "import casemap.analysis.language",
        "import + first check_language": (
            f"from casemap.analysis.language import check_language\ncheck_language({sentence!r})"
        ),
    }
    times = {
        name: statistics.median(fresh_process(c) for _ in range(5)) for name, c in steps.items()
    }
    base = times["import casemap.model (baseline)"]
    print()
    print("| fresh process | CPU ms | ratio to importing the model |")
    print("|---|---:|---:|")
    for name, t in times.items():
        print(f"| {name} | {t * 1e3:.0f} | {t / base:.1f}x |")


def command(*argv: str) -> Callable[[], None]:
    def run() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            assert cli(list(argv)) == 0

    return run


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CASEMAP_HOME"] = tmp
        for n in SIZES:
            case = make_case(n, seed=1)
            path = Path(tmp) / f"bench-{n}.json"
            store.save(case, path)
            repeat = 5 if n <= 1_000 else 3
            words = language.word_count(case)
            found = len(language.lint_case(case))
            base = median_time(lambda p=path: store.load(p), repeat)
            scan = median_time(lambda c=case: language.word_count(c), repeat)
            ops = {
                "casemap check PATH": command("check", str(path)),
                "casemap lint PATH": command("lint", str(path)),
                "casemap lint PATH --json": command("lint", str(path), "--json"),
                "lint_case (in memory)": lambda c=case: language.lint_case(c),
            }
            for name, fn in ops.items():
                fn()  # warm: compiled patterns and imports, as in a running kernel
                rows.append((n, words, found, name, median_time(fn, repeat), base, scan))
    print(f"{len(language.RULES)} language rules; generated cases from benchmarks/gen.py")
    print()
    print(
        "| records | words | findings | operation | time ms | load only ms (baseline) "
        "| ratio | word_count ms |"
    )
    print("|---:|---:|---:|---|---:|---:|---:|---:|")
    for n, words, found, name, t, base, scan in rows:
        print(
            f"| {n:,} | {words:,} | {found:,} | {name} | {t * 1e3:.0f} | {base * 1e3:.0f} "
            f"| {t / base:.1f}x | {scan * 1e3:.1f} |"
        )
    start_up()


if __name__ == "__main__":
    main()
