"""The consultation summary and its exports (casemap/render/summary.py, docx.py, pdf.py).

The confidentiality property of test_audience.py is checked again on the rendered files: text
is extracted the way a reader would get it (HTML parsed, Markdown unescaped, DOCX read back
with python-docx, PDF with pypdf) and every marker is looked up in it.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from casemap import cli
from casemap.model import Case, dump_case, parse_case
from casemap.render import summary
from casemap.render.audience import AUDIENCES, AudienceView, apply_audience
from casemap.render.summary import (
    COMPONENTS,
    FORMATS,
    PRINCIPLES,
    build_summary,
    default_filename,
    escape_markdown,
    render_summary,
    suffix,
    write,
)
from tests.casemap.render.test_audience import Marked, check_markers, marked_cases, squash
from tests.strategies import cases

DEMO = Path(__file__).resolve().parents[3] / "casefiles" / "demo"
SCRIPT = "<script>alert(1)</script>"


# -- reading the outputs back as text ---------------------------------------------------------


class _Text(HTMLParser):
    """The text a browser would show: data outside <style>, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("style", "script"):
            self.skip += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(data: bytes) -> str:
    parser = _Text()
    parser.feed(data.decode("utf-8"))
    return "".join(parser.parts)


def html_tags(data: bytes) -> list[str]:
    parser = _Text()
    parser.feed(data.decode("utf-8"))
    return parser.tags


def md_text(data: bytes) -> str:
    return re.sub(r"\\(.)", r"\1", data.decode("utf-8"))


def docx_text(data: bytes) -> str:
    """Headers, then paragraphs and table cells in document order."""
    import docx
    from docx.table import Table

    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for section in doc.sections for p in section.header.paragraphs]
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            parts += [cell.text for row in block.rows for cell in row.cells]
        else:
            parts.append(block.text)
    return "\n".join(parts)


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def text_of(fmt: str, data: bytes) -> str:
    return {
        "html": html_text,
        "md": md_text,
        "docx": docx_text,
        "pdf": lambda d: "\n".join(pdf_pages(d)),
    }[fmt](data)


def first_page(fmt: str, data: bytes) -> str:
    """What a reader sees first: the PDF's first page, the opening of the other formats."""
    if fmt == "pdf":
        return pdf_pages(data)[0]
    return text_of(fmt, data)[:1500]


def demo() -> Case:
    return parse_case(json.loads((DEMO / "demo-01.json").read_text()))


# -- confidentiality in every format ----------------------------------------------------------

PROPERTY = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PDF_PROPERTY = settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("audience", AUDIENCES)
@PROPERTY
@given(marked=marked_cases())
def test_html_md_docx_show_only_what_the_audience_may_see(audience: str, marked: Marked) -> None:
    """HTML, Markdown and DOCX hold no marker the audience may not see and every one it must."""
    # The timeline image carries no extractable text, so it adds nothing to this check; its
    # input is checked in test_timeline_is_drawn_from_the_audience_view.
    built = build_summary(marked.case, audience, timeline=False)
    for fmt in ("html", "md", "docx"):
        check_markers(audience, text_of(fmt, write(built, fmt)), marked.markers)


@pytest.mark.parametrize("audience", AUDIENCES)
@PDF_PROPERTY
@given(marked=marked_cases(max_records=6))
def test_pdf_shows_only_what_the_audience_may_see(audience: str, marked: Marked) -> None:
    """The PDF holds no marker the audience may not see and every one it must (text via pypdf)."""
    built = build_summary(marked.case, audience, timeline=False)
    check_markers(audience, text_of("pdf", write(built, "pdf")), marked.markers)


@PDF_PROPERTY
@given(case=cases())
def test_any_valid_case_renders_as_pdf(case: Case) -> None:
    """Any valid case, with any text (long, non-Latin, markup-like), renders as PDF for everyone."""
    for audience in AUDIENCES:
        built = build_summary(case, audience, timeline=False)
        assert "Audience:" in pdf_pages(write(built, "pdf"))[0]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_pdf_marks_every_page(audience: str) -> None:
    """Every PDF page carries the audience marking at its top and "Page n of N" at its foot."""
    built = build_summary(demo(), audience, timeline=False)
    pages = pdf_pages(write(built, "pdf"))
    assert len(pages) > 1
    for n, page in enumerate(pages, 1):
        assert squash(built.marking) in squash(page), n
        assert f"Page {n} of {len(pages)}" in page


def test_pdf_row_taller_than_a_page_runs_on() -> None:
    """A description longer than a page is printed whole, running on over the next pages."""
    words = [f"z{n}q" for n in range(4000)]
    data = dump_case(demo())
    data["behaviours"][0]["description"] = " ".join(words)
    built = build_summary(parse_case(data), "consultation", timeline=False)
    pages = pdf_pages(write(built, "pdf"))
    flat = squash("\n".join(pages))
    assert not [w for w in words if w not in flat]
    assert len(pages) > len(pdf_pages(write(build_summary(demo(), "consultation"), "pdf"))) + 3


def test_pdf_outline_is_the_section_headings() -> None:
    """The PDF's bookmarks are the summary's section headings, in order, subsections nested."""
    from pypdf import PdfReader

    built = build_summary(demo(), "consultation", timeline=False)
    outline = PdfReader(io.BytesIO(write(built, "pdf"))).outline

    def titles(entries: list) -> list[str]:
        return [t for e in entries for t in (titles(e) if isinstance(e, list) else [e.title])]

    assert titles(outline) == [s.title for s in built.sections]
    assert any(isinstance(e, list) for e in outline)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_any_valid_case_renders(case: Case) -> None:
    """Any valid case, with any text, renders for every audience in HTML, Markdown and DOCX."""
    for audience in AUDIENCES:
        built = build_summary(case, audience, timeline=False)
        for fmt in ("html", "md", "docx"):
            assert "Audience:" in text_of(fmt, write(built, fmt))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_timeline_is_drawn_from_the_audience_view(
    audience: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timeline is drawn from the audience's view (filtered once), never the full case."""
    seen: list[AudienceView] = []

    def fake_png(view: AudienceView) -> bytes:
        seen.append(view)
        return b"\x89PNG\r\n\x1a\n"

    monkeypatch.setattr(summary, "timeline_png", fake_png)
    case = demo()
    built = build_summary(case, audience)
    assert seen == [apply_audience(case, audience)]
    assert any(b.kind == "figure" for s in built.sections for b in s.blocks)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_first_page_names_audience_and_marking(audience: str, fmt: str) -> None:
    """Every output names its audience on page one, marked confidential unless training."""
    data = write(build_summary(demo(), audience, timeline=False), fmt)
    page = first_page(fmt, data)
    assert "Audience:" in page
    assert apply_audience(demo(), audience).label.split(":")[0] in page
    assert ("CONFIDENTIAL" in page) is (audience != "training")


@pytest.mark.parametrize("fmt", FORMATS)
def test_script_in_case_text_stays_text(fmt: str) -> None:
    """A description `<script>alert(1)</script>` shows as text in every format, never as markup."""
    case = parse_case(
        {
            "format": "casemap/1",
            "case_id": "esc",
            "title": SCRIPT,
            "people": [
                {"id": "p1", "role": "perpetrator", "name": SCRIPT, "label": "Father"},
                {"id": "c1", "role": "child", "name": "Kai", "label": "Child A"},
            ],
            "behaviours": [
                {
                    "id": "b1",
                    "perpetrator": "p1",
                    "category": "intimidation",
                    "description": SCRIPT,
                    "source": "police",
                    "targets": ["c1"],
                    "quote": '"quoted" & <b>bold</b>',
                },
            ],
            "plans": {"perpetrator": [{"id": "pp1", "action": SCRIPT}]},
        }
    )
    for audience in AUDIENCES:
        data = write(build_summary(case, audience, timeline=False), fmt)
        if audience != "training":
            assert SCRIPT in text_of(fmt, data), audience
            assert squash('"quoted" & <b>bold</b>') in squash(text_of(fmt, data)), audience
        if fmt == "html":
            assert b"<script" not in data and b"<b>bold" not in data
            assert "script" not in html_tags(data)
        if fmt == "md":
            from markdown_it import MarkdownIt

            rendered = MarkdownIt("commonmark").render(data.decode())
            assert "<script" not in rendered and "<b>" not in rendered
            if audience != "training":
                assert html.escape(SCRIPT, quote=False) in rendered


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("# not a heading", "# not a heading"),
        ("a | b", "a | b"),
        ("*not emphasis*", "*not emphasis*"),
        ("[link](http://x)", "[link](http://x)"),
        ("line one\n- not a list", "line one - not a list"),
        ("![img](x.png)", "![img](x.png)"),
        ("- not a list", "- not a list"),
        ("1. not a list", "1. not a list"),
        ("> not a quote", "> not a quote"),
        ("<b>not bold</b> &amp;", "<b>not bold</b> &amp;"),
        ("`not code`", "`not code`"),
    ],
)
def test_escape_markdown_keeps_text_literal(text: str, literal: str) -> None:
    """Markdown syntax in case text renders as the same characters, not as structure."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(escape_markdown(text))
    assert rendered == f"<p>{html.escape(literal, quote=False)}</p>\n"


def test_escape_markdown_keeps_spaces_between_runs() -> None:
    """Spaces at the edges of a piece of text survive, so "Label: " and the next run stay apart."""
    assert escape_markdown(" Pattern: ") == " Pattern: "
    assert escape_markdown("a\n\n b") == "a b"


# -- content --------------------------------------------------------------------------------


def test_consultation_summary_follows_the_model() -> None:
    """The frame names the three principles and five components; each has its section."""
    text = html_text(render_summary(demo(), "consultation", "html"))
    for wording in PRINCIPLES + COMPONENTS:
        assert wording in text
    for heading in (
        "What we do not know yet",
        "Language",
        "Harm and danger statements",
        "Worker safety",
        "Consultation notes and recommendations",
        "Timeline",
    ):
        assert heading in text
    assert "not endorsed" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_confidential_records_only_after_the_body(fmt: str) -> None:
    """Consultation: survivor-confidential text appears only in the marked section at the end."""
    case = demo()
    text = squash(text_of(fmt, write(build_summary(case, "consultation", timeline=False), fmt)))
    start = text.index(squash(summary.APPENDIX_WARNING))
    assert squash(summary.APPENDIX_TITLE) in text[start:]
    for _, r in case.records():
        if r.confidential:
            snippet = squash(" ".join(r.description.split()[:6]))
            assert snippet in text[start:], r.id
            assert snippet not in text[:start], r.id


def test_impacts_link_his_behaviour_to_the_child() -> None:
    """Each impact is shown next to the behaviours that caused it ("his X → child's Y")."""
    built = build_summary(demo(), "consultation", timeline=False)
    tables = [b for s in built.sections if s.level == 3 for b in s.blocks if b.kind == "table"]
    rows = [row for t in tables if t.header[0] == "His behaviour" for row in t.rows]
    assert rows and all(row[1].startswith("→ ") for row in rows)
    assert any("[b" in row[0] for row in rows)


@pytest.mark.parametrize(
    ("audience", "present", "absent"),
    [
        ("perpetrator", ["plan"], ["Worker safety", "Full spectrum", "What we do not know yet"]),
        ("survivor", ["Full spectrum", "plan"], ["Worker safety", "What we do not know yet"]),
        ("case-record", ["Worker safety"], [summary.APPENDIX_TITLE]),
    ],
)
def test_sections_follow_the_audience(audience: str, present: list[str], absent: list[str]) -> None:
    """Sections the audience may not have are absent, not shown empty."""
    titles = " | ".join(s.title for s in build_summary(demo(), audience, timeline=False).sections)
    assert all(t in titles for t in present), titles
    assert not any(t in titles for t in absent), titles


# -- files ----------------------------------------------------------------------------------


def test_default_filename_never_names_anyone() -> None:
    """File names are case id, audience and date: no person's or family's name."""
    case = demo()
    import datetime as dt

    name = default_filename(case, "perpetrator", "pdf", today=dt.date(2025, 1, 2))
    assert name == f"{case.case_id}-perpetrator-2025-01-02.pdf"
    training = default_filename(case, "training", "md")
    assert case.case_id not in training and training.endswith(".md")
    assert suffix("docx") == ".docx"
    with pytest.raises(ValueError, match="html, md, docx, pdf"):
        suffix("rtf")


def test_docx_has_headings_tables_and_the_timeline() -> None:
    """The DOCX export has real headings, tables and the timeline picture."""
    import docx

    doc = docx.Document(io.BytesIO(render_summary(demo(), "case-record", "docx")))
    assert any(p.style.name.startswith("Heading") for p in doc.paragraphs)
    assert len(doc.tables) >= 5
    assert len(doc.inline_shapes) == 1


def test_html_is_self_contained_with_print_styles() -> None:
    """The HTML has its CSS and image inline, a print stylesheet and no external reference."""
    data = render_summary(demo(), "survivor", "html").decode()
    assert "@media print" in data and "data:image/png;base64," in data
    assert not re.search(r"""(?:src|href)=["'](?:https?:|//|/)""", data)
    assert '<link rel="stylesheet"' not in data


# -- command line ---------------------------------------------------------------------------


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASEMAP_EXPORTS", str(tmp_path / "exports"))
    return tmp_path / "exports"


def test_cli_summary_writes_a_private_export(exports: Path, capsys: pytest.CaptureFixture) -> None:
    """`casemap summary` writes into exports/ with mode 0600 and prints the path."""
    assert (
        cli.main(
            ["summary", str(DEMO / "demo-01.json"), "--audience", "perpetrator", "--format", "md"]
        )
        == 0
    )
    path = Path(capsys.readouterr().out.strip())
    assert path.parent == exports
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "Audience: Perpetrator" in md_text(path.read_bytes())


def test_cli_summary_to_a_chosen_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """`-o FILE` writes there, also with mode 0600."""
    out = tmp_path / "x.html"
    assert (
        cli.main(
            [
                "summary",
                str(DEMO / "demo-01.json"),
                "--audience",
                "training",
                "--format",
                "html",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == str(out)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_cli_summary_all_formats_at_once(exports: Path, capsys: pytest.CaptureFixture) -> None:
    """`--format all` writes the four formats of one audience, each 0600, and prints each path."""
    args = ["summary", str(DEMO / "demo-01.json"), "--audience", "survivor", "--format", "all"]
    assert cli.main(args) == 0
    paths = [Path(line) for line in capsys.readouterr().out.split()]
    assert sorted(p.suffix for p in paths) == sorted(f".{f}" for f in FORMATS)
    for path in paths:
        assert path.parent == exports and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    one = render_summary(
        parse_case(json.loads((DEMO / "demo-01.json").read_text())), "survivor", "md"
    )
    assert next(p for p in paths if p.suffix == ".md").read_bytes() == one
    assert cli.main([*args, "-o", str(exports / "x")]) == 2


@pytest.mark.parametrize(
    ("args", "listed"),
    [
        (["--audience", "court", "--format", "html"], AUDIENCES),
        (["--audience", "survivor", "--format", "rtf"], FORMATS),
    ],
)
def test_cli_summary_refuses_unknown_choices(
    args: list[str], listed: tuple[str, ...], capsys: pytest.CaptureFixture
) -> None:
    """An unknown audience or format exits 2 and lists the valid ones."""
    with pytest.raises(SystemExit) as exit_:
        cli.main(["summary", str(DEMO / "demo-01.json"), *args])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert all(f"'{name}'" in err for name in listed)
