"""Practice across the caseload, for supervisors: counts and case ids only, never case text.

``CaseloadApp.open_from_url()`` is what ``notebooks/caseload.ipynb`` displays. It reads every
casefile in the casefile folder (``CASEMAP_HOME``) once, through
``casemap.analysis.caseload.summarise``, and shows: per review criterion the share of cases met
(latest review, else the automatic evidence), the most frequent missing-information findings,
wording findings per 1,000 words, the cases with no plan for him and the cases with
worker-safety flags and no visit plan (each a link to the case), and the files that did not
load. The charts are drawn on a :class:`matplotlib.figure.Figure` directly (never pyplot).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import ipywidgets as ipw
from matplotlib.figure import Figure

from casemap import store
from casemap.analysis import caseload, gaps, review
from casemap.render.timeline import to_bytes

from .errors import ErrorReporter, log_to_server
from .export_panel import download_link
from .style import CSS

CASELOAD_CSS = """
<style>
.cm-caseload table { border-collapse: collapse; margin: 4px 0 12px 0; }
.cm-caseload td, .cm-caseload th { border-bottom: 1px solid #d0d7de; padding: 3px 10px;
  text-align: left; vertical-align: top; }
.cm-caseload td.cm-num { text-align: right; font-variant-numeric: tabular-nums; }
.cm-caseload .cm-help { color: #57606a; }
</style>
"""


def finding_text(f: caseload.FindingCount) -> str:
    """A rule's message with its placeholders as "…": the rule in words, no case text."""
    return re.sub(r"\{\w+\}", "…", f.message)


def draw_caseload(summary: caseload.Caseload) -> Figure:
    """Two bar charts: share of cases met per criterion; cases per frequent finding."""
    fig = Figure(figsize=(11, 6.5), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1, 1.1))
    labels = [review.criterion_label(c.criterion) for c in summary.criteria][::-1]
    shares = [100 * (c.share_met or 0) for c in summary.criteria][::-1]
    left.barh(labels, shares, color="#0969da")
    left.set_xlim(0, 100)
    left.set_xlabel("% of cases met (latest review, else the record's evidence)")
    left.set_title(f"Review criteria · {summary.cases} cases", loc="left", fontsize=10)
    left.tick_params(axis="y", labelsize=8)
    found = list(summary.top_findings)[::-1]
    right.barh([f.rule for f in found], [f.cases for f in found], color="#bc4c00")
    right.set_xlabel("cases")
    right.set_title("Most frequent missing information", loc="left", fontsize=10)
    right.tick_params(axis="y", labelsize=8)
    right.xaxis.get_major_locator().set_params(integer=True)
    return fig


def _case_links(case_ids: tuple[str, ...]) -> str:
    if not case_ids:
        return "<span class='cm-help'>none</span>"
    return ", ".join(
        f"<a href='consultation.ipynb?case={html.escape(c)}' target='_blank'>{html.escape(c)}</a>"
        for c in case_ids
    )


def tables_html(summary: caseload.Caseload) -> str:
    """The caseload's figures as escaped HTML tables (numbers, rule texts and case ids)."""
    e = html.escape
    rows = []
    for c in summary.criteria:
        share = "–" if c.share_met is None else f"{100 * c.share_met:.0f}%"
        rows.append(
            f"<tr><td>{e(review.criterion_label(c.criterion))}</td><td class='cm-num'>{share}</td>"
            f"<td class='cm-num'>{c.met}</td><td class='cm-num'>{c.partly}</td>"
            f"<td class='cm-num'>{c.not_met}</td><td class='cm-num'>{c.not_applicable}</td>"
            f"<td class='cm-num'>{c.from_review}</td></tr>"
        )
    criteria = (
        "<h4>Review criteria</h4><table class='cm-caseload-criteria'><tr><th>Criterion</th>"
        "<th>Share met</th><th>met</th><th>partly</th><th>not met</th><th>n/a</th>"
        f"<th>from a review</th></tr>{''.join(rows)}</table>"
    )
    frows = "".join(
        f"<tr><td class='cm-num'>{f.cases}</td><td>{e(gaps.component_title(f.component))}</td>"
        f"<td>{e(finding_text(f))}</td></tr>"
        for f in summary.top_findings
    )
    findings = (
        "<h4>Most frequent missing information</h4><table class='cm-caseload-findings'>"
        f"<tr><th>Cases</th><th>Component</th><th>Finding</th></tr>{frows}</table>"
    )
    per_1000 = summary.language_per_1000_words
    rate = "–" if per_1000 is None else f"{per_1000:.1f}"
    wording = (
        f"<h4>Wording</h4><p class='cm-caseload-language'><b>{rate}</b> wording findings per "
        f"1,000 words ({summary.language_findings} in {summary.words:,} words)</p>"
    )
    lists = (
        f"<h4>Cases to look at</h4><p class='cm-caseload-no-plan'><b>No plan for him</b> "
        f"({len(summary.without_perpetrator_plan)}): "
        f"{_case_links(summary.without_perpetrator_plan)}</p>"
        f"<p class='cm-caseload-no-visit-plan'><b>Worker-safety flags and no visit plan</b> "
        f"({len(summary.flags_without_visit_plan)}): "
        f"{_case_links(summary.flags_without_visit_plan)}</p>"
    )
    skipped = ""
    if summary.skipped:
        lis = "".join(f"<li>{e(s.file)}: {e(s.problem)}</li>" for s in summary.skipped)
        skipped = (
            "<h4>Not read</h4><p class='cm-help'>These files did not load and are left out "
            f"(run <code>casemap validate</code>):</p><ul class='cm-caseload-skipped'>{lis}</ul>"
        )
    return f"<div class='cm-caseload'>{criteria}{findings}{wording}{lists}{skipped}</div>"


class CaseloadApp(ipw.VBox):
    """The caseload of a casefile folder, in counts and case ids."""

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder) if folder is not None else store.home()
        self.message = ipw.HTML()
        self.message.add_class("cm-message")
        self.reporter = ErrorReporter(
            lambda text: setattr(
                self.message, "value", f"<div role='status'>{html.escape(text)}</div>"
            )
        )
        self.guard = self.reporter.guard
        self.heading = ipw.HTML()
        self.heading.add_class("cm-case-heading")
        self.refresh_button = ipw.Button(description="Read again", icon="refresh")
        self.refresh_button.add_class("cm-caseload-refresh")
        self.csv_button = ipw.Button(description="Prepare CSV", layout=ipw.Layout(width="auto"))
        self.csv_button.add_class("cm-caseload-csv")
        self.link = ipw.HTML()
        self.link.add_class("cm-download-box")
        self.chart = ipw.Image(format="png", layout=ipw.Layout(max_width="1100px"))
        self.chart.add_class("cm-caseload-chart")
        self.tables = ipw.HTML()
        self.tables.add_class("cm-caseload-tables")
        header = ipw.HBox(
            [self.heading, self.refresh_button, self.csv_button, self.link],
            layout=ipw.Layout(align_items="center", gap="12px"),
        )
        header.add_class("cm-header")
        super().__init__(
            [ipw.HTML(CSS + CASELOAD_CSS), header, self.message, self.chart, self.tables]
        )
        self.add_class("cm-app")
        self.add_class("cm-caseload-app")
        self.refresh_button.on_click(self.guard(lambda _: self.refresh()))
        self.csv_button.on_click(self.guard(lambda _: self.prepare_csv()))
        self.refresh()

    @classmethod
    def open_from_url(cls, query: str | None = None) -> CaseloadApp:
        """The caseload of the casefile folder (the URL names no case: it shows them all)."""
        log_to_server()
        return cls()

    def refresh(self) -> None:
        """Read every casefile again and redraw."""
        self.summary = caseload.summarise(store.list_cases(self.folder))
        s = self.summary
        skipped = f", {len(s.skipped)} not read" if s.skipped else ""
        self.heading.value = f"Caseload · {s.cases} cases{skipped}"
        self.chart.value = to_bytes(draw_caseload(s), "png") if s.cases else b""
        self.chart.layout.display = None if s.cases else "none"
        self.tables.value = tables_html(s)
        self.link.value = ""

    def prepare_csv(self) -> tuple[str, bytes]:
        """The figures as CSV: offered for download and kept in the exports folder."""
        data = caseload.to_csv(self.summary).encode("utf-8")
        name = f"caseload-{dt.date.today().isoformat()}.csv"
        store.write_export(name, data)
        self.link.value = download_link(data, name, "csv")
        return name, data

    def __repr__(self) -> str:
        # The notebook's checked output (nbval compares text/plain, cut at 110 characters).
        s = self.summary
        return (
            f"Caseload: {s.cases} cases, {len(s.skipped)} not read; no plan for him: "
            f"{len(s.without_perpetrator_plan)}; flags, no visit plan: "
            f"{len(s.flags_without_visit_plan)}"
        )
