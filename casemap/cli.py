"""The ``casemap`` command line: thin wrappers around the package's functions.

Each subcommand is a ``_cmd_<name>(args) -> int`` function plus its parser lines in
``build_parser``. Exit codes: 0 success, 1 invalid casefiles (validate), 2 a file that cannot be
read or a bad argument. No traceback reaches the user: errors are printed as plain lines.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import store, taxonomy
from .model import SECTIONS, Case, json_schema
from .render.audience import AUDIENCES


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _load_or_exit(path: str) -> Case | int:
    """Load a casefile for a read-only command; on failure print every problem and return 2."""
    try:
        return store.load(path)
    except store.CasefileError as e:
        for line in e.lines():
            _err(line)
        return 2


# -- foundation commands ---------------------------------------------------------------------


def _cmd_new(args: argparse.Namespace) -> int:
    try:
        path = store.create(args.title, args.id)
    except (ValueError, FileExistsError) as e:
        _err(f"casemap new: {e}")
        return 2
    print(path)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    status = 0
    for path in args.paths:
        try:
            store.load(path)
        except store.CasefileError as e:
            status = 1
            for line in e.lines():
                print(line)
    return status


def _counts(case: Case) -> str:
    parts = [f"{len(case.people)} people"]
    parts += [f"{len(getattr(case, s))} {s}" for s in SECTIONS]
    parts.append(f"{len(case.plans.survivor)}+{len(case.plans.perpetrator)} plan items")
    ws = case.worker_safety
    parts.append(f"{len(ws.threats_to_workers) + len(ws.violence_outside_family)} worker-safety")
    return ", ".join(parts)


def _cmd_list(args: argparse.Namespace) -> int:
    folder = Path(args.dir) if args.dir else store.home()
    if not folder.is_dir():
        _err(f"casemap list: {folder}: no such folder")
        return 2
    listings = store.list_cases(folder)
    if not listings:
        print(f"no casefiles in {folder}")
    for item in listings:
        if item.case is None:
            assert item.error is not None
            first = item.error.problems[0]
            more = len(item.error.problems) - 1
            extra = f" (+{more} more; run casemap validate)" if more else ""
            print(f"{item.path}: NOT LOADED: {first.path + ': ' if first.path else ''}"
                  f"{first.message}{extra}")
            continue
        c = item.case
        updated = c.updated.isoformat() if c.updated else "-"
        print(f"{c.case_id}\t{c.title}\trev {c.revision}\t{updated}\t{_counts(c)}")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    case = _load_or_exit(args.path)
    if isinstance(case, int):
        return case
    print(format_overview(case))
    return 0


def format_overview(case: Case) -> str:
    """A readable text overview of a case, section by section, records in date order."""
    names = {p.id: p.name or p.label for p in case.people}
    lines = [f"{case.title}  [{case.case_id}, revision {case.revision}]"]
    if case.jurisdiction:
        lines.append(f"Jurisdiction: {case.jurisdiction}")
    lines += ["", "People"]
    for p in case.people:
        born = f", born {p.birth_date}" if p.birth_date else ""
        lines.append(f"  {p.label} ({taxonomy.label('role', p.role)}): {p.name or '-'}{born}")
    headings = {
        "behaviours": ("His pattern and his actions toward the children", "behaviour_category",
                       "category"),
        "efforts": ("Her protective efforts", "effort_category", "category"),
        "impacts": ("Impact on each child", "impact_domain", "domain"),
        "intersections": ("Substance use, mental health, culture, poverty", "intersection_factor",
                          "factor"),
        "responses": ("System responses", "response_kind", "kind"),
        "statements": ("Harm and danger statements, safety goals", "statement_kind", "kind"),
    }
    for section, (title, kind, attr) in headings.items():
        records = getattr(case, section)
        lines += ["", f"{title} ({len(records)})"]
        for r in sorted(records, key=lambda r: r.date.sort_key() if r.date else (_MAX, _MAX)):
            lock = " [confidential]" if r.confidential else ""
            who = ""
            if section == "impacts":
                who = f"{names.get(r.child, r.child)}: "
            lines.append(
                f"  {r.when or 'undated':<17} {taxonomy.label(kind, getattr(r, attr))}: "
                f"{who}{r.description}{lock}"
            )
    for side in ("survivor", "perpetrator"):
        items = getattr(case.plans, side)
        lines += ["", f"{side.capitalize()} plan ({len(items)})"]
        for item in items:
            lines.append(f"  [{item.status}] {item.action or item.description}")
    ws = case.worker_safety
    lines += ["", "Worker safety (restricted)"]
    lines.append(f"  flags: {', '.join(ws.flags) or 'none'}; visit plan: "
                 f"{'set' if ws.visit_plan else 'none'}")
    lines.append(f"  {len(ws.threats_to_workers)} threats to workers, "
                 f"{len(ws.violence_outside_family)} violence outside the family")
    lines += ["", f"{len(case.consultations)} consultations, {len(case.reviews)} reviews, "
                  f"{len(case.history)} saves"]
    return "\n".join(lines)


_MAX = __import__("datetime").date.max


def _cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), indent=2))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    """Missing information by critical component; findings are not an error, so exit 0."""
    from .analysis import gaps  # here, not at the top: each subcommand's lines stay in its block

    case = _load_or_exit(args.path)
    if isinstance(case, int):
        return case
    findings = gaps.find_gaps(case)
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False))
    else:
        print(f"casemap check {case.case_id}: {gaps.format_findings(findings)}")
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    """Language to avoid (domain.md §3) in a casefile or a text file; findings exit 0."""
    from .analysis import language

    path = Path(args.path)
    if path.suffix.lower() == ".json":
        case = _load_or_exit(args.path)
        if isinstance(case, int):
            return case
        found = language.lint_case(case)
        rows = [c.as_dict() for c in found]
        lines = [f"{c.record}.{c.field}: \"{c.finding.text}\" — {c.finding.message} "
                 f"→ {c.finding.suggestion}" for c in found]
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            _err(f"casemap lint: {path}: not UTF-8 text (bad byte at offset {e.start})")
            return 2
        except OSError as e:
            _err(f"casemap lint: {path}: cannot read it: {e.strerror or e}")
            return 2
        pairs = language.lint_lines(text)
        rows = [{"line": n, **language.finding_dict(f)} for n, f in pairs]
        lines = [f"{n}:{f.start + 1}: \"{f.text}\" — {f.message} → {f.suggestion}"
                 for n, f in pairs]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        print("\n".join(lines) if lines else f"{path}: no language findings")
    return 0


# -- supervision and training (issue 6) -----------------------------------------------------


_PARALLEL_FROM = 64  # below this many casefiles, starting workers costs more than it saves
# Default workers: one per this many casefiles, up to the cores. Measured (benchmarks/
# bench_caseload.py): a casefile costs ~3 ms of CPU, a worker ~0.3 s (forking, then preparing
# the language rules again), so 100 casefiles ran in 0.7 s in-process and 0.9-2 s on 2 workers.
_CASEFILES_PER_WORKER = 250


def _caseload_figures(path: Path) -> object:
    """One casefile's figures for the caseload, or why it was skipped (runs in a worker)."""
    from .analysis import caseload

    try:
        return caseload.figures(store.load(path))
    except store.CasefileError as e:
        return caseload.skipped(path, e)


def _cmd_caseload(args: argparse.Namespace) -> int:
    """Practice across a folder of casefiles, in counts and case ids only; bad files skipped."""
    from concurrent.futures import ProcessPoolExecutor

    from .analysis import caseload

    folder = Path(args.dir)
    if not folder.is_dir():
        _err(f"casemap caseload: {folder}: no such folder")
        return 2
    paths = store.casefile_paths(folder)
    jobs = args.jobs or max(1, min(os.cpu_count() or 1, 8, len(paths) // _CASEFILES_PER_WORKER))
    if jobs > 1 and len(paths) >= _PARALLEL_FROM:
        # Each casefile is read and analysed on its own, so the work spreads over the cores;
        # only the small per-case figures travel back.
        with ProcessPoolExecutor(jobs) as pool:
            chunk = max(1, len(paths) // (jobs * 8))
            items = list(pool.map(_caseload_figures, paths, chunksize=chunk))
    else:
        items = [_caseload_figures(p) for p in paths]
    summary = caseload.combine(items)
    if args.csv:
        try:
            Path(args.csv).write_text(caseload.to_csv(summary), encoding="utf-8")
        except OSError as e:
            _err(f"casemap caseload: cannot write {args.csv}: {e.strerror}")
            return 2
    print(caseload.to_json(summary) if args.json else caseload.format_text(summary))
    return 0


def _cmd_deidentify(args: argparse.Namespace) -> int:
    """Write a de-identified training copy of a casefile (the training audience)."""
    from .render.audience import deidentify_case

    case = _load_or_exit(args.path)
    if isinstance(case, int):
        return case
    out = Path(args.output)
    if out.exists():
        _err(f"casemap deidentify: {out} exists; choose a new file name")
        return 2
    training = deidentify_case(case, seed=args.seed)
    saved = store.save(training, out, by="casemap deidentify")
    print(f"{out}: training copy {saved.case_id}")
    return 0


# -- timeline (issue 9) ------------------------------------------------------------------------


def _cmd_timeline(args: argparse.Namespace) -> int:
    """Draw the case's timeline to a PNG, SVG or PDF file (the format from the suffix)."""
    from .dates import DateError
    from .render import timeline

    case = _load_or_exit(args.path)
    if isinstance(case, int):
        return case
    try:
        fmt = timeline.format_for(args.output)
        options = timeline.TimelineOptions(
            date_from=args.date_from, date_to=args.date_to, audience=args.audience
        )
        data = timeline.to_bytes(timeline.draw_timeline(case, options), fmt)
    except (ValueError, DateError) as e:
        _err(f"casemap timeline: {e}")
        return 2
    try:
        # 0600: a consultation timeline holds survivor-confidential records.
        fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except OSError as e:
        _err(f"casemap timeline: cannot write {args.output}: {e.strerror}")
        return 2
    print(args.output)
    return 0


# -- summary (issue 4) ------------------------------------------------------------------------


def _cmd_summary(args: argparse.Namespace) -> int:
    """Write the consultation summary for one audience; print where it went."""
    from .render import summary

    if args.format == "all" and args.output:
        _err("casemap summary: --format all writes four files into the exports folder; "
             "leave out -o/--output")
        return 2
    case = _load_or_exit(args.path)
    if isinstance(case, int):
        return case
    if args.format == "all":  # built once (analysis, timeline), then written four times
        built = summary.build_summary(case, args.audience)
        for fmt in summary.FORMATS:
            name = summary.default_filename(case, args.audience, fmt)
            print(store.write_export(name, summary.write(built, fmt)))
        return 0
    data = summary.render_summary(case, args.audience, args.format)
    if not args.output:
        path = store.write_export(summary.default_filename(case, args.audience, args.format), data)
        print(path)
        return 0
    try:
        # 0600 like every export: a consultation summary holds survivor-confidential records.
        fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # an existing file keeps its mode through O_CREAT
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except OSError as e:
        _err(f"casemap summary: cannot write {args.output}: {e.strerror}")
        return 2
    print(args.output)
    return 0


# -- parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casemap",
        description="Safe & Together case-consultation casefiles: create, check, render.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("new", help="create a valid empty casefile in the casefile folder")
    p.add_argument("title")
    p.add_argument("--id", help="case id (opaque token, never a name); random when omitted")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser("validate", help="check casefiles against casemap/1")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("list", help="list the casefiles in a folder")
    p.add_argument("dir", nargs="?", metavar="DIR")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("show", help="a readable overview of a case")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser("schema", help="print the JSON Schema of the casefile format")
    p.set_defaults(func=_cmd_schema)

    # -- further subcommands are registered below, one block each --------------------------

    p = sub.add_parser(
        "check", help="missing information by critical component, with the question to ask next"
    )
    p.add_argument("path", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print the findings as a JSON list")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser(
        "lint",
        help="language that hides the perpetrator or blames the survivor, with better wording",
    )
    p.add_argument("path", metavar="PATH",
                   help="a casefile (.json: every free-text field) or a text file (line by line)")
    p.add_argument("--json", action="store_true", help="print the findings as a JSON list")
    p.set_defaults(func=_cmd_lint)

    p = sub.add_parser(
        "caseload",
        help="practice across a folder of casefiles: review criteria, missing information, "
        "wording (counts and case ids only)",
    )
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--csv", metavar="FILE", help="also write the figures to FILE as CSV")
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes (default: one per 250 casefiles, at most the number of cores)",
    )
    p.set_defaults(func=_cmd_caseload)

    p = sub.add_parser(
        "deidentify", help="write a de-identified training copy of a casefile"
    )
    p.add_argument("path", metavar="PATH")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the new casefile")
    p.add_argument("--seed", help="varies the date shift and the training id (optional)")
    p.set_defaults(func=_cmd_deidentify)

    p = sub.add_parser("timeline", help="draw the case's timeline to a .png, .svg or .pdf file")
    p.add_argument("path", metavar="PATH")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="output file; its suffix (.png, .svg, .pdf) sets the format")
    p.add_argument("--from", dest="date_from", metavar="EDTF", help="first date shown")
    p.add_argument("--to", dest="date_to", metavar="EDTF", help="last date shown")
    p.add_argument("--audience", default="consultation", choices=AUDIENCES,
                   help="who the picture is for (default: consultation)")
    p.set_defaults(func=_cmd_timeline)

    from .render.summary import FORMATS  # here: the summary's lines stay in its block

    p = sub.add_parser("summary", help="write the consultation summary for one audience")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--audience", required=True, choices=AUDIENCES,
                   help="who the document is for: " + ", ".join(AUDIENCES))
    p.add_argument("--format", required=True, choices=(*FORMATS, "all"),
                   help="file format: " + ", ".join(FORMATS) + ", or all four")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="where to write (default: the exports folder, named by case id, "
                   "audience and date)")
    p.set_defaults(func=_cmd_summary)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
