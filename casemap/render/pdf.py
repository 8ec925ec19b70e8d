"""The consultation summary as PDF, laid out by reportlab from the same document model as the rest.

The PDF used to be weasyprint printing the HTML export. For a 1,000-record case that took
11-13 s of the 5 s the whole export may take (issue 4): about 17,000 lines of table text, each
broken by Pango, with no CSS setting that changed it (table-layout is already fixed). reportlab
lays out the same document in about 1 s. The two documents still cannot drift apart in what
they say: both are written from one :class:`~casemap.render.summary.Summary`, built once for
the audience by ``audience.py``, exactly as DOCX and Markdown are.

reportlab's ``Paragraph`` reads a small XML markup, so case text is escaped (``&``, ``<``,
``>``) before it reaches one, the way the HTML writer escapes it; our own ``<b>``/``<i>`` are
the only markup. Every page carries the audience marking at its top and "Page n of N" at its
foot; headings become the PDF's outline.
"""

from __future__ import annotations

import io
import struct
from functools import cache, partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab.rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    HRFlowable,
    Image,
    KeepTogether,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as RLTable

from .summary import DISCLAIMER, Block, Bullets, Figure, Para, Run, Section, Summary, Table

INK = "#1f2328"
MUTED = "#57606a"
RULE = "#d0d7de"
MARK = "#8b1a1a"
BAND = "#f6f8fa"
FONT = "CasemapSans"  # DejaVu Sans, as in the HTML and the timeline

# ASCII85 only makes streams 7-bit safe, which nobody needs, and cost a fifth of the time.
reportlab.rl_config.useA85 = 0


@cache
def _fonts() -> str:
    """Register DejaVu Sans with reportlab once: the copy matplotlib ships, so no system lookup.

    A TrueType font, not a PDF base font: case text is Unicode (names, "→", "·"), and the base
    fonts hold Latin-1 only.
    """
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = {
        (0, 0): ("", "DejaVuSans.ttf"),
        (1, 0): ("-Bold", "DejaVuSans-Bold.ttf"),
        (0, 1): ("-Italic", "DejaVuSans-Oblique.ttf"),
        (1, 1): ("-BoldItalic", "DejaVuSans-BoldOblique.ttf"),
    }
    for (bold, italic), (suffix, file) in faces.items():
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(folder / file)))
        addMapping(FONT, bold, italic, FONT + suffix)
    return FONT


@cache
def _styles() -> dict[str, Any]:
    font = _fonts()
    base = ParagraphStyle(
        "body", fontName=font, fontSize=9.5, leading=13.5, textColor=HexColor(INK), spaceAfter=4
    )

    def style(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "lead": style("lead", fontSize=10.5, leading=14.5),
        "note": style("note", fontName=font + "-Italic", textColor=HexColor(MUTED)),
        "quote": style("quote", leftIndent=12),
        "warning": style("warning", fontName=font + "-Bold", textColor=HexColor(MARK)),
        "bullet": style("bullet", leftIndent=16, bulletIndent=4, spaceAfter=2),
        "cell": style("cell", fontSize=8.5, leading=11, spaceAfter=0, embeddedHyphenation=1),
        "th": style("th", fontName=font + "-Bold", fontSize=8.5, leading=11, spaceAfter=0),
        "h1": style("h1", fontName=font + "-Bold", fontSize=20, leading=24, spaceAfter=2),
        "case-title": style("case-title", fontSize=13, leading=17, textColor=HexColor(MUTED)),
        "h2": style(
            "h2",
            fontName=font + "-Bold",
            fontSize=14,
            leading=18,
            spaceBefore=14,
            spaceAfter=2,
            keepWithNext=1,
        ),
        "h3": style(
            "h3",
            fontName=font + "-Bold",
            fontSize=11.5,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "marking": style("marking", fontSize=9, textColor=HexColor(MUTED)),
        "marking-confidential": style(
            "marking-confidential", fontName=font + "-Bold", fontSize=9, textColor=HexColor(MARK)
        ),
        "mark": style(
            "mark",
            fontName=font + "-Bold",
            fontSize=9,
            textColor=HexColor(MARK),
            spaceBefore=14,
            keepWithNext=1,
        ),
        "audience": style("audience", fontSize=12, leading=16),
        "small": style("small", fontSize=8.5, leading=11, textColor=HexColor(MUTED)),
        "caption": style(
            "caption",
            fontName=font + "-Italic",
            fontSize=8.5,
            leading=11,
            textColor=HexColor(MUTED),
        ),
    }


def _text(text: str) -> str:
    """Case text as reportlab paragraph markup that shows exactly these characters."""
    return escape(text)


def _markup(runs: tuple[Run, ...]) -> str:
    out = []
    for r in runs:
        text = _text(r.text)
        if r.strong:
            text = f"<b>{text}</b>"
        if r.em:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


def write_pdf(summary: Summary) -> bytes:
    """The PDF bytes of a summary: audience and marking first, then the sections in order."""
    out = io.BytesIO()
    doc = _Document(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        # Metadata names the document and its audience, never a person (no case text).
        title=f"{summary.heading} ({summary.audience_label})",
        subject=summary.marking,
        author="",
        creator="casemap",
    )
    story = _cover(summary)
    for section in summary.sections:
        story += _section(section, doc.width, doc.height)
    story += _footer(summary)
    canvas = partial(_PagedCanvas, marking=summary.marking, confidential=summary.confidential)
    doc.build(story, canvasmaker=canvas)
    return out.getvalue()


def _cover(summary: Summary) -> list[Any]:
    st = _styles()
    out: list[Any] = [
        Paragraph(
            _text(summary.marking),
            st["marking-confidential" if summary.confidential else "marking"],
        ),
        Paragraph(_text(summary.heading), st["h1"]),
        Paragraph(_text(summary.title), st["case-title"]),
        Paragraph(f"<b>Audience:</b> {_text(summary.audience_label)}", st["audience"]),
    ]
    if summary.confidential:
        banner = RLTable([["CONFIDENTIAL"]], hAlign="LEFT")
        banner.setStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), _fonts() + "-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 11),
                ("TEXTCOLOR", (0, 0), (-1, -1), HexColor(MARK)),
                ("BOX", (0, 0), (-1, -1), 2, HexColor(MARK)),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ]
        )
        out += [Spacer(1, 4), banner, Spacer(1, 6)]
    out.append(Paragraph(_text(summary.scope), st["body"]))
    facts = "&nbsp;&nbsp;&nbsp; ".join(
        f'<font color="{MUTED}">{_text(k)}:</font> {_text(v)}' for k, v in summary.facts
    )
    out += [
        Paragraph(facts, st["body"]),
        Paragraph(_text(DISCLAIMER), st["small"]),
        HRFlowable(width="100%", thickness=1, color=HexColor(RULE), spaceBefore=4, spaceAfter=4),
    ]
    return out


def _section(section: Section, width: float, height: float) -> list[Any]:
    st = _styles()
    out: list[Any] = []
    if section.anchor == "confidential":
        out.append(PageBreak())  # as the print stylesheet: the marked section starts a page
    # A heading needs room for a few lines of what follows, or it starts the next page. (Not
    # keepWithNext on the heading: that would carry a whole table over with it.)
    room = 110 if section.level <= 2 else 80
    first = section.blocks[0] if section.blocks else None
    if isinstance(first, Figure):  # the heading goes where its picture goes
        room += _figure_size(first, width, height)[1]
    out.append(CondPageBreak(room))
    if section.mark:
        out.append(Paragraph(_text(section.mark), st["mark"]))
    heading = Paragraph(_text(section.title), st["h2" if section.level <= 2 else "h3"])
    heading.outline = (section.title, 0 if section.level <= 2 else 1)  # type: ignore[attr-defined]
    out.append(heading)
    if section.level <= 2:
        rule = HexColor(MARK if section.mark else INK)
        out.append(HRFlowable(width="100%", thickness=1.5, color=rule, spaceAfter=6))
    for block in section.blocks:
        out += _block(block, width, height)
    return out


def _block(block: Block, width: float, height: float) -> list[Any]:
    st = _styles()
    if isinstance(block, Para):
        return [Paragraph(_markup(block.runs), st.get(block.style, st["body"]))]
    if isinstance(block, Bullets):
        return [
            Paragraph(_markup(item), st["bullet"], bulletText=f"{n}." if block.numbered else "•")
            for n, item in enumerate(block.items, 1)
        ]
    if isinstance(block, Table):
        return [_table(block, width, height)]
    if isinstance(block, Figure):
        return [_figure(block, width, height)]
    raise TypeError(block)  # pragma: no cover - the document model has exactly these blocks


def _table(block: Table, width: float, height: float) -> Any:
    st = _styles()
    cell, th = st["cell"], st["th"]
    widths = [width * w / sum(block.widths) for w in block.widths]
    data = [[Paragraph(_text(h), th) for h in block.header]]
    data += [[Paragraph(_text(c), cell) for c in row] for row in block.rows]
    table = LongTable(
        data,
        colWidths=widths,
        repeatRows=1,  # the header again on every page the table runs onto
        # Rows stay whole, as in print (break-inside: avoid), unless one may not fit on a page:
        # then rows may continue on the next one (reportlab cannot place it otherwise).
        splitInRow=1 if _may_outgrow_page(block, widths, height) else 0,
        hAlign="LEFT",
    )
    table.setStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, HexColor(RULE)),
            ("BACKGROUND", (0, 0), (-1, 0), HexColor(BAND)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ]
    )
    table.spaceBefore, table.spaceAfter = 4, 10
    return table


# Generous: DejaVu Sans averages about 0.55 em a character in case text; 1.1 em leaves room for
# wide letters and for words moved whole to the next line.
_CHAR_EM = 1.1


def _may_outgrow_page(block: Table, widths: list[float], height: float) -> bool:
    """Whether a row of ``block`` could be taller than half a page (an overestimate)."""
    style = _styles()["cell"]
    chars_per_line = [max(1.0, (w - 8) / (_CHAR_EM * style.fontSize)) for w in widths]
    limit = 0.5 * height / style.leading
    return any(
        len(text) / per_line + 1 > limit
        for row in block.rows
        for text, per_line in zip(row, chars_per_line, strict=True)
    )


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's header (IHDR), (1, 1) if it is not one."""
    if png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR":
        return struct.unpack(">II", png[16:24])
    return (1, 1)


def _figure_size(block: Figure, width: float, height: float) -> tuple[float, float]:
    """The picture at the text's width, shrunk if need be to leave room for heading and caption."""
    px_w, px_h = _png_size(block.png)
    w, h = width, width * px_h / px_w
    if h > 0.8 * height:
        w, h = w * 0.8 * height / h, 0.8 * height
    return w, h


def _figure(block: Figure, width: float, height: float) -> Any:
    w, h = _figure_size(block, width, height)
    image = Image(io.BytesIO(block.png), width=w, height=h, hAlign="LEFT")
    caption = Paragraph(_text(block.caption), _styles()["caption"])
    return KeepTogether([Spacer(1, 4), image, Spacer(1, 3), caption])


def _footer(summary: Summary) -> list[Any]:
    st = _styles()
    return [
        HRFlowable(width="100%", thickness=1, color=HexColor(RULE), spaceBefore=16),
        Paragraph(_text(summary.marking), st["small"]),
        Paragraph(_text(DISCLAIMER), st["small"]),
    ]


class _Document(BaseDocTemplate):
    """One frame filling the page inside its margins; headings become the PDF outline."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No frame padding: tables are exactly self.width wide, as the margins promise.
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 - reportlab's name
        outline = getattr(flowable, "outline", None)
        if outline is None:
            return
        title, level = outline
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)


class _PagedCanvas(Canvas):
    """Draws the marking and "Page n of N" on every page once it knows N (pages kept till save)."""

    def __init__(self, *args: Any, marking: str, confidential: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._marking, self._confidential = marking, confidential
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self._furniture(total)
            super().showPage()
        super().save()

    def _furniture(self, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        self.setFont(FONT + ("-Bold" if self._confidential else ""), 8)
        self.setFillColor(HexColor(MARK if self._confidential else MUTED))
        self.drawCentredString(width / 2, height - 11 * mm, self._marking)
        self.setFont(FONT, 8)
        self.setFillColor(HexColor(MUTED))
        self.drawRightString(width - 15 * mm, 10 * mm, f"Page {self._pageNumber} of {total}")
        self.restoreState()
