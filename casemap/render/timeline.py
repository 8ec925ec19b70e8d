"""The visual timeline: his choices over time, her protective efforts, what happened to each child.

A consultation puts the timeline on the wall, so it must show a *pattern*, not a list of
incidents (shared/domain.md 1.3, 1.6). One axes holds every lane, one row per category inside a
lane, so a change of form (monitoring and legal abuse after she leaves) reads as marks moving
from one row to another; an escalation strip below counts his behaviours per month.

Dates are drawn as sure as they are: a filled mark for a known day or month, a hollow one with a
whisker across the span for an approximate (``~``) or uncertain (``?``) date, a bar for an
interval, a bar with an arrow to the right edge for an ongoing one. Records with no date are
listed in the right margin rather than dropped.

The figure is built without pyplot (pyplot keeps figures alive in a long-running kernel) and is
drawn for A3 landscape. Confidentiality is never decided here: the case goes through
:func:`casemap.render.audience.apply_audience` first, and lanes through ``view.shows(part)``.
The consultation audience keeps survivor-confidential records apart in its appendix; the
timeline draws them in place with a padlock, so the pattern is whole and everyone in the room
knows which records never leave it.

Spans of more than four years give each year a width that grows with its records (see
:func:`_time_scale`), and the subtitle says so. ``to_bytes`` writes PNG (200 dpi), SVG (text as
text; every record drawn is a group whose id is the record id) or PDF, byte-identical for the
same input; ``drawn_marks`` and ``listed_undated`` count what was drawn, for tests and callers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import itertools
import math
import re
import struct
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import (
    Affine2D,
    IdentityTransform,
    blended_transform_factory,
    offset_copy,
)

from .. import dates, taxonomy
from ..analysis import pattern
from ..model import Case, Person, Record
from .audience import AudienceView, apply_audience, in_the_room

LANES = ("perpetrator", "efforts", "children", "intersections", "responses")
"""Lane ids, top to bottom. ``children`` is one lane per child."""

FORMATS = ("png", "svg", "pdf")
PNG_DPI = 200
SCREEN_DPI = 80  # the A3 figure at 80 dpi is about 1300 px wide: sharp on screen, quick to draw
A3_LANDSCAPE = (16.54, 11.69)  # inches

_RC = {
    # DejaVu Sans ships with matplotlib: the same glyphs everywhere keeps baselines stable.
    "font.family": "DejaVu Sans",
    "font.size": 8,
    # No hinting: at 200 dpi glyphs are sharp without it, and it costs a quarter of the drawing.
    "text.hinting": "none",
    "axes.linewidth": 0.6,
    "xtick.labelsize": 9,
    "ytick.labelsize": 8,
    "svg.fonttype": "none",  # text stays text: searchable, selectable, read by screen readers
    "svg.hashsalt": "casemap-timeline",  # fixed ids for clip paths: byte-identical output
    "pdf.fonttype": 42,
    "path.simplify": True,
}
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}

# Okabe & Ito's palette, safe for the common colour-vision deficiencies. His behaviours get six
# colours by family; the category itself is the row label, so colour is never the only cue.
_FAMILIES: tuple[tuple[str, str, frozenset[str]], ...] = (
    (
        "Physical and sexual violence",
        "#D55E00",
        frozenset({"physical_violence", "sexual_violence"}),
    ),
    ("Threats and intimidation", "#E69F00", frozenset({"threats", "intimidation"})),
    (
        "Coercive control: emotional, isolation, money,\nmonitoring, technology, status",
        "#0072B2",
        frozenset(
            {
                "emotional_abuse",
                "isolation",
                "economic_abuse",
                "monitoring_stalking",
                "technology_abuse",
                "status_based_control",
            }
        ),
    ),
    ("Aimed at the children (component 2)", "#CC79A7", taxonomy.CHILD_DIRECTED_CATEGORIES),
    (
        "Legal and systems abuse; targeting others",
        "#56B4E9",
        frozenset({"legal_systems_abuse", "targeting_workers_or_others"}),
    ),
    (
        "Minimising, denying, blaming; other",
        "#7F7F7F",
        frozenset({"minimising_denying_blaming", "other"}),
    ),
)
_FAMILY_OF = {c: (name, colour) for name, colour, cats in _FAMILIES for c in cats}
_LANE_COLOUR = {
    "efforts": "#009E73",
    "children": "#9A7B00",  # a dark yellow: Okabe-Ito yellow is too pale on white
    "intersections": "#44546A",
    "responses": "#3F3F3F",
}
_PHASE_TINT = {"together": "#F3F3F3", "separating": "#FCEBD9", "post_separation": "#E4EEF6"}
_PHASE_ORDER = ("together", "separating", "post_separation")

_LABEL_SIZE = 7.5  # record labels, points
_ROW_SIZE = 8.5  # row names
_HEADER_SIZE = 10.5  # lane names
_MIN_ROW_PT = 13.0  # below this a row cannot hold a label: the figure grows instead
_MAX_ROW_PT = 24.0  # above this rows drift apart and the eye loses the row
_LABEL_CHARS = 34  # a label's length where marks crowd; "+N" counts the ones it hides
_LABEL_MAX = 64  # and where the row is free up to the next mark
_CHAR_EM = 0.56  # mean advance of a DejaVu Sans character, in ems, to estimate label widths

# Layout, in inches. The right column holds the legend and the records with no date.
_LEFT, _RIGHT_COL = 2.95, 3.35
_TOP, _BOTTOM, _STRIP, _STRIP_GAP = 1.15, 0.55, 1.25, 0.12


@dataclass(frozen=True)
class TimelineOptions:
    """What to draw. Dates are EDTF; ``None`` means no restriction."""

    date_from: str | None = None
    date_to: str | None = None
    lanes: tuple[str, ...] | None = None
    categories: frozenset[str] | None = None  # his behaviour categories to show
    people: frozenset[str] | None = None  # person ids: keep records involving them
    links: bool = True
    labels: bool = True
    audience: str = "consultation"
    title: str | None = None
    upto: str | None = None  # only records starting on or before this date (presenting)
    mask_names: bool = False


# -- what goes where -------------------------------------------------------------------------


@dataclass
class _Block:
    """One lane on the page: a header and one row per category."""

    key: str
    lane: str
    title: str
    kind: str  # taxonomy kind of the row keys
    rows: list[str] = field(default_factory=list)
    empty: str = ""


@dataclass(frozen=True)
class _Item:
    """One record placed in a block and row."""

    record: Record
    lane: str
    block: str
    row: str
    date: dates.EdtfDate | None
    colour: str
    child_directed: bool = False
    children_present: bool = False


def _age(person: Person, on: dt.date) -> int | None:
    if not person.birth_date:
        return None
    born = pattern.placed(dates.parse(person.birth_date))
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return years if years >= 0 else None


def _label_of(case: Case, person_id: str) -> str:
    person = case.person(person_id)
    return person.label if person else person_id


def _involves(section: str, r: Record, people: frozenset[str]) -> bool:
    if section == "behaviours":
        ids = {r.perpetrator, *r.targets, *r.children_present}  # type: ignore[attr-defined]
    elif section == "efforts":
        ids = {r.by, *r.children}  # type: ignore[attr-defined]
    elif section == "impacts":
        ids = {r.child}  # type: ignore[attr-defined]
    elif section == "intersections":
        ids = {r.person}  # type: ignore[attr-defined]
    else:
        return True  # system responses name no person: they stay as context
    return bool(ids & people)


def _check_options(options: TimelineOptions) -> None:
    unknown = set(options.lanes or ()) - set(LANES)
    if unknown:
        raise ValueError(f"unknown lane(s) {', '.join(sorted(unknown))}: expected {LANES}")
    known = set(taxonomy.ids("behaviour_category"))
    unknown = set(options.categories or ()) - known
    if unknown:
        raise ValueError(f"unknown behaviour categories: {', '.join(sorted(unknown))}")


def _select(case: Case, options: TimelineOptions) -> tuple[list[_Block], list[_Item]]:
    """The blocks to draw and every record the options select (``upto`` is applied later)."""
    lanes = set(options.lanes or LANES)
    people = options.people
    blocks: list[_Block] = []
    items: list[_Item] = []

    def keep(section: str, r: Record) -> bool:
        return people is None or _involves(section, r, people)

    if "perpetrator" in lanes:
        for p in case.people_with_role("perpetrator"):
            if (
                people is not None
                and p.id not in people
                and not any(
                    b.perpetrator == p.id and keep("behaviours", b) for b in case.behaviours
                )
            ):
                continue
            key = f"perpetrator:{p.id}"
            blocks.append(
                _Block(
                    key,
                    "perpetrator",
                    f"{p.label}: his behaviours",
                    "behaviour_category",
                    empty="No behaviours recorded",
                )
            )
            children = {c.id for c in case.children}
            for b in case.behaviours:
                if b.perpetrator != p.id or not keep("behaviours", b):
                    continue
                if options.categories is not None and b.category not in options.categories:
                    continue
                items.append(
                    _Item(
                        b,
                        "perpetrator",
                        key,
                        b.category,
                        b.date,
                        _FAMILY_OF[b.category][1],
                        child_directed=b.category in taxonomy.CHILD_DIRECTED_CATEGORIES
                        or bool(children & set(b.targets)),
                        children_present=bool(b.children_present),
                    )
                )
    if "efforts" in lanes:
        # Named after whoever made the efforts (usually the survivor, not a former partner).
        makers = dict.fromkeys(e.by for e in case.efforts) or {
            p.id: None for p in case.people if p.role == "survivor"
        }
        who = " and ".join(_label_of(case, pid) for pid in makers) or "Survivor"
        blocks.append(
            _Block(
                "efforts",
                "efforts",
                f"{who}: protective efforts",
                "effort_category",
                empty="No protective efforts recorded yet",
            )
        )
        items += [
            _Item(e, "efforts", "efforts", e.category, e.date, _LANE_COLOUR["efforts"])
            for e in case.efforts
            if keep("efforts", e)
        ]
    if "children" in lanes:
        on = _reference_day(case, options)
        for child in case.children:
            if people is not None and child.id not in people:
                continue
            age = _age(child, on)
            title = f"{child.label} ({age})" if age is not None else child.label
            key = f"child:{child.id}"
            blocks.append(
                _Block(
                    key,
                    "children",
                    f"{title}: impact on the child",
                    "impact_domain",
                    empty="No impacts recorded yet",
                )
            )
            items += [
                _Item(i, "children", key, i.domain, i.date, _LANE_COLOUR["children"])
                for i in case.impacts
                if i.child == child.id
            ]
    if "intersections" in lanes:
        blocks.append(
            _Block("intersections", "intersections", "Intersections", "intersection_factor")
        )
        items += [
            _Item(
                x,
                "intersections",
                "intersections",
                f"{x.factor}:{_label_of(case, x.person)}",  # whose: by role label, not name
                x.date,
                _LANE_COLOUR["intersections"],
            )
            for x in case.intersections
            if keep("intersections", x)
        ]
    if "responses" in lanes:
        blocks.append(_Block("responses", "responses", "System responses", "response_kind"))
        items += [
            _Item(r, "responses", "responses", r.kind, r.date, _LANE_COLOUR["responses"])
            for r in case.responses
        ]
    items = [i for i in items if _in_range(i.date, options)]
    for block in blocks:
        present = {i.row for i in items if i.block == block.key}
        order = {k: n for n, k in enumerate(taxonomy.ids(block.kind))}
        block.rows = sorted(present, key=lambda k: (order.get(k.split(":")[0], 99), k))
    # Intersections and responses show only when there is something to show; an empty
    # efforts lane or child lane is itself a finding, so those stay with a note.
    blocks = [b for b in blocks if b.rows or b.empty]
    return blocks, items


def _in_range(date: dates.EdtfDate | None, options: TimelineOptions) -> bool:
    if date is None:
        return True  # undated records cannot be excluded by a date range: they are listed
    if options.date_from and (date.latest or dt.date.max) < dates.parse(options.date_from).earliest:
        return False
    if options.date_to:
        end = dates.parse(options.date_to)
        if date.earliest > (end.latest or dt.date.max):
            return False
    return True


def _shown(item: _Item, options: TimelineOptions) -> bool:
    if options.upto is None or item.date is None:
        return True
    return item.date.earliest <= (dates.parse(options.upto).latest or dt.date.max)


def _extent(case: Case, items: list[_Item], options: TimelineOptions) -> tuple[dt.date, dt.date]:
    """The days at the left and right edges: the options' range, else the records' span."""
    days: list[dt.date] = []
    for i in items:
        if i.date is not None:
            days += [i.date.earliest, i.date.latest or i.date.earliest]
    if case.updated is not None:
        days.append(case.updated.date())  # ongoing bars run to when the file was last saved
    lo = min(days, default=dt.date(2000, 1, 1))
    hi = max(days, default=lo + dt.timedelta(days=365))
    pad = dt.timedelta(days=max(15, (hi - lo).days // 50))
    lo, hi = lo - pad, hi + pad
    if options.date_from:
        lo = dates.parse(options.date_from).earliest
    if options.date_to:
        end = dates.parse(options.date_to)
        hi = end.latest or hi
    return lo, max(hi, lo + dt.timedelta(days=31))


def _reference_day(case: Case, options: TimelineOptions) -> dt.date:
    """The day children's ages are given for: the end of the drawn range."""
    whens = [r.date for _, r in case.records() if r.date is not None]
    days = [d.latest or d.earliest for d in whens]
    if case.updated is not None:
        days.append(case.updated.date())
    day = max(days, default=dt.date(2000, 1, 1))
    if options.date_to:
        day = dates.parse(options.date_to).latest or day
    return day


def _phases(case: Case, left: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Spans of the relationship's phases (together, separating, post-separation).

    Read from the ``phase`` of his dated behaviours towards the survivor he targets most: a
    previous partner's relationship has phases of its own, which must not shade the current
    one. A phase runs from the earliest day of its first behaviour to the start of the next
    phase; the last runs to the right edge. With one survivor the first phase also covers
    everything before it (back to ``left``), since the records start inside the relationship.
    """
    survivors = [p.id for p in case.people if p.role == "survivor"]
    aimed = Counter(t for b in case.behaviours for t in b.targets if t in survivors)
    primary = aimed.most_common(1)[0][0] if aimed else None
    starts: dict[str, dt.date] = {}
    for b in case.behaviours:
        if b.phase not in _PHASE_ORDER or b.date is None:
            continue
        if primary is not None and len(aimed) > 1 and primary not in b.targets:
            continue
        starts[b.phase] = min(starts.get(b.phase, dt.date.max), b.date.earliest)
    present = [p for p in _PHASE_ORDER if p in starts]
    out: list[tuple[str, dt.date, dt.date]] = []
    for n, phase in enumerate(present):
        start = max(starts[phase], out[-1][1] if out else dt.date.min)
        end = starts[present[n + 1]] if n + 1 < len(present) else dt.date.max
        out.append((phase, start, max(end, start)))
    if out and len(aimed) <= 1:
        out[0] = (out[0][0], min(left, out[0][1]), out[0][2])
    return out


# -- text ------------------------------------------------------------------------------------


def _name_masker(case: Case) -> Callable[[str], str]:
    """Replace people's names, name parts and aliases in free text by their role labels."""
    replacements: dict[str, str] = {}
    parts: dict[str, set[str]] = {}
    for p in case.people:
        for name in [p.name, *p.aliases]:
            if name.strip():
                replacements[name.strip().casefold()] = p.label
            for part in name.split():
                if len(part) >= 2:
                    parts.setdefault(part.casefold(), set()).add(p.label)
    for part, labels in parts.items():
        if len(labels) == 1:  # "Hale" names the whole family: only unambiguous parts are masked
            replacements.setdefault(part, next(iter(labels)))
    if not replacements:
        return lambda text: text
    pattern_ = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(k) for k in sorted(replacements, key=len, reverse=True))
        + r")(?!\w)",
        re.IGNORECASE,
    )
    return lambda text: pattern_.sub(lambda m: replacements[m.group(0).casefold()], text)


def _short(text: str, width: int = _LABEL_CHARS) -> str:
    """The start of a description, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut and text[width - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]  # never end on half a word
    return cut.rstrip(" ,;:.-") + "…"


# -- drawing ---------------------------------------------------------------------------------


def _padlock() -> Path:
    body = Path.unit_rectangle().transformed(
        matplotlib.transforms.Affine2D().scale(1.4, 1.1).translate(-0.7, -1.0)
    )
    outer = Path.arc(0, 180)
    ring = list(
        zip(
            [0.5 * x for x, _ in outer.vertices],
            [0.1 + 0.55 * y for _, y in outer.vertices],
            strict=True,
        )
    )
    inner = [(0.28 * x, 0.1 + 0.33 * y) for x, y in Path.arc(0, 180).vertices[::-1]]
    shackle = Path([*ring, *inner, ring[0]], closed=True)
    return Path.make_compound_path(body, shackle)


_PADLOCK = _padlock()


Scale = Callable[[dt.date], float]


def _time_scale(lo: dt.date, hi: dt.date, items: list[_Item]) -> tuple[Scale, bool]:
    """Where each day goes across the page, and whether years are drawn at different widths.

    Cases often hold a few records from years back and most from the last two years. On a
    linear axis the recent years, where the decisions are, get a sliver of the wall; so over
    spans of more than four years each year's width grows with the square root of the records
    it holds, and a year with none keeps a quarter of the widest. Shorter spans stay linear.
    """
    if (hi - lo).days <= 4 * 366:
        return (lambda day: float(day.toordinal())), False
    per_year = Counter(i.date.earliest.year for i in items if i.date is not None)
    busiest = max(per_year.values(), default=1)
    knots = [lo] + [dt.date(y, 1, 1) for y in range(lo.year + 1, hi.year + 1)] + [hi]
    positions = [0.0]
    for a, b in itertools.pairwise(knots):
        share = (b - a).days / (366 if calendar.isleap(a.year) else 365)
        weight = max(0.25, math.sqrt(per_year.get(a.year, 0) / busiest))
        positions.append(positions[-1] + share * weight * 365)
    # As arrays once: np.interp would convert two lists on each of thousands of calls.
    ordinals = np.array([k.toordinal() for k in knots], dtype=float)
    at = np.array(positions, dtype=float)

    def scale(day: dt.date) -> float:
        return float(np.interp(day.toordinal(), ordinals, at))

    return scale, True


def _fuzz(date: dates.EdtfDate) -> tuple[dt.date, dt.date]:
    """The span a single date may fall in; ``~`` widens it by half its precision."""
    lo, hi = date.earliest, date.latest or date.earliest
    if date.approximate:
        widen = {"day": 7, "month": 15, "year": 91}[date.start.precision]
        lo, hi = lo - dt.timedelta(days=widen), hi + dt.timedelta(days=widen)
    return lo, hi


@dataclass
class _Layout:
    width: float
    height: float
    main: tuple[float, float, float, float]  # figure fractions
    strip: tuple[float, float, float, float]
    y: dict[str, float]  # block key / "block|row" -> y (data units, 0 at the top)
    y_max: float


def _layout(blocks: list[_Block]) -> _Layout:
    y: dict[str, float] = {}
    pos = 0.0
    for block in blocks:
        y[block.key] = pos
        pos += 1.15
        for row in block.rows or ["(empty)"]:
            y[f"{block.key}|{row}"] = pos
            pos += 1.0
        pos += 0.45
    units = max(pos - 0.45, 1.0)
    width, height = A3_LANDSCAPE
    main_h = height - _TOP - _BOTTOM - _STRIP - _STRIP_GAP
    if main_h * 72 / units < _MIN_ROW_PT:  # too many rows for A3: the page grows, text does not
        main_h = units * _MIN_ROW_PT / 72
        height = main_h + _TOP + _BOTTOM + _STRIP + _STRIP_GAP
    # Few rows stay at a comfortable pitch under the title; the page below is left blank.
    main_h = min(main_h, units * _MAX_ROW_PT / 72)
    plot_w = width - _LEFT - _RIGHT_COL
    main_bottom = height - _TOP - main_h
    main = (_LEFT / width, main_bottom / height, plot_w / width, main_h / height)
    strip_bottom = main_bottom - _STRIP_GAP - _STRIP
    strip = (_LEFT / width, strip_bottom / height, plot_w / width, _STRIP / height)
    return _Layout(width, height, main, strip, y, units)


def _ticks(
    lo: dt.date, hi: dt.date, x: Scale, x_per_pt: float
) -> tuple[list[float], list[str], list[float], list[str]]:
    """Labelled ticks (years, or months on short spans) far enough apart to read, and minor ones."""
    years = (hi - lo).days / 365.25
    months = []
    d = dt.date(lo.year, lo.month, 1)
    while d <= hi:
        if d >= lo:
            months.append(d)
        d = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
    if years > 3:
        candidates, fmt, gap = [m for m in months if m.month == 1], "%Y", 34
        minor = [
            m
            for m in months
            if m.month in (4, 7, 10)
            and x(dt.date(m.year + 1, 1, 1)) - x(dt.date(m.year, 1, 1)) >= 110 * x_per_pt
        ]
        named = {m for m in minor if x(m) - x(dt.date(m.year, m.month - 3, 1)) >= 28 * x_per_pt}
    else:
        step = 3 if years > 1 else 1
        candidates = [m for m in months if (m.month - 1) % step == 0]
        fmt, gap = "%b %Y", 52
        minor = [m for m in months if m not in candidates]
        named = set()
    major, labels, last = [], [], -float("inf")
    for m in candidates:
        if x(m) - last >= gap * x_per_pt:
            major.append(x(m))
            labels.append(m.strftime(fmt))
            last = x(m)
        else:
            minor.append(m)
    minor.sort()
    # Quarters of a year drawn wide enough are named too ("Apr", "Jul", "Oct").
    minor_labels = [m.strftime("%b") if m in named else "" for m in minor]
    return major, labels, [x(m) for m in minor], minor_labels


def _place_labels(
    ax: Axes,
    items: list[tuple[_Item, float, float, bool]],
    x_per_pt: float,
    hi: float,
    mask: Callable[[str], str],
    trans_right,
    trans_left,
) -> list[Text]:
    """Label marks left to right along each row; a label that would overlap is counted instead.

    ``items`` holds (item, x where the label starts, y, is-interval), sorted by x. A label
    gets up to ``_LABEL_MAX`` characters when the row is free up to the next mark, else
    ``_LABEL_CHARS``; a hidden label adds to the count shown after the label before it ("+3"),
    so nothing disappears without a trace.
    """
    char_x = _LABEL_SIZE * _CHAR_EM * x_per_pt
    pad = 6 * x_per_pt
    placed: list[list] = []  # [text, x, y, hidden, left_aligned, gid]
    end = -float("inf")
    for n, (item, x, y, _) in enumerate(items):
        if x < end and placed:  # under the label before: counted there, never measured
            placed[-1][3] += 1
            continue
        following = items[n + 1][1] if n + 1 < len(items) else hi
        room = int((following - x - 2 * pad) / char_x)
        description = mask(item.record.description)
        if room >= _LABEL_CHARS:  # free up to the next mark: say more, and hide nothing
            text = _short(description, min(room, _LABEL_MAX)) or item.record.id
            width = len(text) * char_x + pad
        else:
            text = _short(description) or item.record.id
            width = (len(text) + 4) * char_x + pad  # 4 spare characters for " +NN"
        left = x + width > hi
        start = x - width if left else x
        if start < end and placed:
            placed[-1][3] += 1
            continue
        placed.append([text, x, y, 0, left, f"{item.record.id}-label"])
        end = x + width if not left else x + 6 * x_per_pt
    out = []
    for text, x, y, hidden, left, gid in placed:
        label = f"{text} +{hidden}" if hidden else text
        out.append(
            ax.text(
                x,
                y - 0.05,
                label,
                fontsize=_LABEL_SIZE,
                va="center",
                ha="right" if left else "left",
                transform=trans_left if left else trans_right,
                parse_math=False,
                gid=gid,
                clip_on=True,
                color="#222222",
                # Under the marks, over whiskers and bars (on LabelBacks): readable, no mark hidden.
                zorder=3.5,
            )
        )
    return out


class LabelBacks(Artist):
    """The pale boxes that keep mark labels readable over bars and whiskers, in one path.

    A text's own ``bbox`` is a FancyBboxPatch per label, about a third of a millisecond each
    to build and draw; these boxes are measured from the labels when drawn, as that patch is,
    and drawn just under them.
    """

    def __init__(self, labels: list[Text]) -> None:
        super().__init__()
        self.labels = labels
        self.set_zorder(3.45)
        self.set_label("_label backs")

    def draw(self, renderer) -> None:
        shown = [t for t in self.labels if t.get_visible() and t.get_text()]
        if not self.get_visible() or not shown:
            return
        boxes = []
        for text in shown:
            box = text.get_window_extent(renderer)
            pad = _LABEL_PAD * renderer.points_to_pixels(text.get_fontsize())
            boxes.append((box.x0 - pad, box.y0 - pad, box.width + 2 * pad, box.height + 2 * pad))
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.axes.bbox)
        gc.set_linewidth(0)
        renderer.draw_path(gc, _box_path(np.array(boxes)), IdentityTransform(), _LABEL_BACK)
        gc.restore()
        self.stale = False


_LABEL_PAD = 0.12  # of the font size, around the text, as a "square,pad=0.12" box
_LABEL_BACK = (1.0, 1.0, 1.0, 0.7)


def _draw_lane_names(ax: Axes, blocks: list[_Block], layout: _Layout) -> None:
    """Lane headers from the page's left edge, row names right-aligned against the plot."""
    fig = ax.figure
    at_left = blended_transform_factory(fig.transFigure, ax.transData)
    beside = blended_transform_factory(ax.transAxes, ax.transData)
    left, right = 0.1 / layout.width, layout.main[0] + layout.main[2]
    for n, block in enumerate(blocks):
        top = layout.y[block.key]
        ax.text(
            left,
            top + 0.05,
            block.title,
            transform=at_left,
            ha="left",
            va="center",
            fontsize=_HEADER_SIZE,
            fontweight="bold",
            parse_math=False,
            clip_on=False,
        )
        if n:
            ax.add_line(
                Line2D(
                    [left, right],
                    [top - 0.5, top - 0.5],
                    transform=at_left,
                    color="#555555",
                    lw=0.8,
                    clip_on=False,
                )
            )
        for row in block.rows:
            name, _, person = row.partition(":")
            label = taxonomy.label(block.kind, name)
            if person:
                label += f" ({person})"
            ax.text(
                -0.006,
                layout.y[f"{block.key}|{row}"],
                label,
                transform=beside,
                ha="right",
                va="center",
                fontsize=_ROW_SIZE,
                parse_math=False,
                clip_on=False,
                color="#333333",
                gid=re.sub(r"[^A-Za-z0-9_-]", "-", f"row-{block.key}-{row}"),
            )
        if not block.rows:
            ax.text(
                0.01,
                layout.y[f"{block.key}|(empty)"],
                block.empty,
                transform=beside,
                ha="left",
                va="center",
                fontsize=_ROW_SIZE,
                style="italic",
                color="#666666",
                parse_math=False,
            )


def draw_timeline(
    case: Case | AudienceView, options: TimelineOptions = TimelineOptions()
) -> Figure:
    """The case's timeline as an A3-landscape Figure (Agg canvas; never through pyplot).

    Given a Case, it is filtered for ``options.audience`` and, on the consultation wall, the
    survivor-confidential records are drawn in place with a padlock. Given an AudienceView
    (a document that has already filtered the case, such as the summary), only its body is
    drawn, under its own audience marking: the case is never filtered twice (training dates
    would shift twice) and a document's appendix never enters its body.
    """
    _check_options(options)
    if isinstance(case, AudienceView):
        view = case
    elif options.audience == "consultation":
        view = in_the_room(case)
    else:
        view = apply_audience(case, options.audience)
    body = view.case
    lanes = tuple(lane for lane in options.lanes or LANES if view.shows(_PART[lane]))
    with matplotlib.rc_context(_RC):
        marking = f"CONFIDENTIAL · {view.label}" if view.confidential else view.label
        return _draw(body, replace(options, lanes=lanes), marking)


# The part of a document (casemap.render.audience.PARTS) each lane belongs to.
_PART = {
    "perpetrator": "pattern",
    "efforts": "efforts",
    "children": "impacts",
    "intersections": "intersections",
    "responses": "responses",
}


def _draw(case: Case, options: TimelineOptions, marking: str) -> Figure:
    blocks, items = _select(case, options)
    lo_day, hi_day = _extent(case, items, options)
    x, warped = _time_scale(lo_day, hi_day, items)
    lo, hi = x(lo_day), x(hi_day)
    shown = [i for i in items if _shown(i, options)]
    dated = [i for i in shown if i.date is not None]
    undated = [i for i in shown if i.date is None]
    mask = _name_masker(case) if options.mask_names else (lambda text: text)
    layout = _layout(blocks)
    row_y = {i.record.id: layout.y[f"{i.block}|{i.row}"] for i in items}

    fig = Figure(figsize=(layout.width, layout.height))
    FigureCanvasAgg(fig)
    ax = fig.add_axes(layout.main)
    strip = fig.add_axes(layout.strip, sharex=ax)
    ax.set_xlim(lo, hi)
    ax.set_ylim(layout.y_max + 0.1, -0.75)
    x_per_pt = (hi - lo) / (layout.main[2] * layout.width * 72)

    phases = _draw_phases(ax, strip, case, x, lo, hi, x_per_pt)
    _draw_lane_names(ax, blocks, layout)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", left=False, labelleft=False)
    major, labels, minor, minor_labels = _ticks(lo_day, hi_day, x, x_per_pt)
    # The lanes need only the grid, not ticks: matplotlib builds five artists per tick, so the
    # grid of the lanes is two collections, at the height gridlines are drawn (axisbelow).
    ax.xaxis.set_visible(False)
    across = blended_transform_factory(ax.transData, ax.transAxes)
    for at, colour, width in ((major, "#BBBBBB", 0.6), (minor, "#DDDDDD", 0.4)):
        lines = [[(v, 0.0), (v, 1.0)] for v in at]
        ax.add_collection(
            LineCollection(lines, colors=colour, lw=width, zorder=1.5, transform=across),
            autolim=False,
        )
    strip.set_xticks(major, labels)
    strip.set_xticks(minor, minor_labels, minor=True, fontsize=7.5, color="#555555")
    strip.grid(axis="x", which="major", color="#BBBBBB", lw=0.6, zorder=0)
    strip.grid(axis="x", which="minor", color="#DDDDDD", lw=0.4, zorder=0)

    positions = _draw_marks(ax, dated, row_y, x, hi, x_per_pt)
    _note_undated_rows(ax, shown, row_y)
    if options.links:
        _draw_links(ax, dated, positions)
    if options.labels:
        trans_right = offset_copy(ax.transData, fig=fig, x=6, units="points")
        trans_left = offset_copy(ax.transData, fig=fig, x=-6, units="points")
        by_row: dict[float, list] = {}
        for i in dated:
            px, py, interval = positions[i.record.id]
            by_row.setdefault(py, []).append((i, px, py, interval))
        labels: list[Text] = []
        for row in by_row.values():
            row.sort(key=lambda t: (t[1], t[0].record.id))
            labels += _place_labels(ax, row, x_per_pt, hi, mask, trans_right, trans_left)
        ax.add_artist(LabelBacks(labels))
    _draw_strip(strip, case, [i for i in items if i.lane == "perpetrator"], options, x)
    _draw_title(fig, case, options, layout, dated, undated, (lo_day, hi_day, warped), marking)
    below_key = _draw_legend(fig, layout, phases, dated)
    _draw_undated(fig, layout, below_key, undated, mask, case)
    return fig


def _draw_phases(
    ax: Axes, strip: Axes, case: Case, x: Scale, lo: float, hi: float, x_per_pt: float
) -> set[str]:
    """Shaded, labelled bands (a label too wide for its band steps up a line); returns the
    phases drawn."""
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    label_end = -float("inf")
    drawn = set()
    for phase, start, end in _phases(case, dt.date.min):
        a = max(lo, x(start)) if start != dt.date.min else lo
        b = min(hi, x(end)) if end != dt.date.max else hi
        if b <= a:
            continue
        drawn.add(phase)
        for axis in (ax, strip):
            axis.axvspan(a, b, color=_PHASE_TINT[phase], zorder=0, lw=0)
            if start != dt.date.min and a > lo:
                axis.axvline(a, color="#888888", lw=0.9, ls=(0, (4, 3)), zorder=1)
        text = taxonomy.label("phase", phase)
        half = len(text) * _HEADER_SIZE * 0.62 * x_per_pt / 2
        middle = min(max((a + b) / 2, lo + half), hi - half)
        up = middle - half < label_end
        label_end = middle + half if not up else label_end
        ax.annotate(
            text,
            (middle, 1.0),
            xycoords=trans,
            xytext=(0, 14 if up else 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=_HEADER_SIZE,
            color="#444444",
            fontweight="bold",
            annotation_clip=False,
        )
    return drawn


class PointMarks(Artist):
    """The point marks of one style, drawn in one call, each in its own SVG group.

    A Line2D per record would name each record in the SVG (``id`` = record id) but costs a
    millisecond a record to build and draw; this draws every point with one ``draw_markers``
    call, except for SVG, where each point is wrapped in a group whose id is its record id.
    """

    def __init__(
        self,
        marks: list[tuple[float, float, str]],
        lane: str,
        marker: str,
        *,
        size: float,
        face: str,
        edge: str,
        edge_width: float,
        zorder: float,
    ) -> None:
        super().__init__()
        self.xy = np.array([(x, y) for x, y, _ in marks], dtype=float)
        self.ids = [rid for _, _, rid in marks]
        self.lane, self.marker, self.face = lane, marker, face
        self.size, self.edge, self.edge_width = size, edge, edge_width
        self.set_zorder(zorder)
        self.set_label(f"_marks {lane}")

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        style = MarkerStyle(self.marker)
        marker_trans = style.get_transform() + Affine2D().scale(
            renderer.points_to_pixels(self.size)
        )
        gc = renderer.new_gc()
        self._set_gc_clip(gc)
        gc.set_foreground(self.edge)
        gc.set_linewidth(self.edge_width)
        gc.set_joinstyle(style.get_joinstyle())
        face = matplotlib.colors.to_rgba(self.face)
        trans = self.get_transform()
        # Only renderers that write groups (SVG) override open_group; others draw in one call.
        if renderer.open_group.__func__ is not RendererBase.open_group:
            for (x, y), rid in zip(self.xy, self.ids, strict=True):
                renderer.open_group("mark", gid=rid)
                renderer.draw_markers(
                    gc, style.get_path(), marker_trans, Path([(x, y)]), trans, face
                )
                renderer.close_group("mark")
        else:
            renderer.draw_markers(gc, style.get_path(), marker_trans, Path(self.xy), trans, face)
        gc.restore()
        self.stale = False


class BarMarks(Artist):
    """The interval bars of one style, drawn in one call, each in its own SVG group.

    A Rectangle per record costs about a third of a millisecond to build and draw, most of it
    transforms and properties every bar shares; this draws a style's bars as one path (one
    hatch), except for SVG, where each bar is its own group whose id is its record id, as with
    :class:`PointMarks`.
    """

    def __init__(
        self,
        bars: list[tuple[float, float, float, float, str]],
        lane: str,
        *,
        face: str | tuple[float, float, float, float],
        edge: str,
        hatch: str | None,
        zorder: float,
    ) -> None:
        super().__init__()
        self.boxes = np.array([b[:4] for b in bars], dtype=float)  # x, y, width, height
        self.ids = [b[4] for b in bars]
        self.lane, self.face, self.edge, self.hatch = lane, face, edge, hatch
        self.set_zorder(zorder)
        self.set_label(f"_bars {lane}")

    def bounds(self, rid: str) -> tuple[float, float, float, float]:
        """Where the bar of one record sits: x, y, width, height in data coordinates."""
        x, y, w, h = self.boxes[self.ids.index(rid)]
        return float(x), float(y), float(w), float(h)

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        self._set_gc_clip(gc)
        gc.set_foreground(self.edge)
        gc.set_linewidth(1.2)
        gc.set_joinstyle("miter")
        gc.set_capstyle("butt")
        if self.hatch:
            gc.set_hatch(self.hatch)
            gc.set_hatch_color(matplotlib.colors.to_rgba(self.edge))
            gc.set_hatch_linewidth(matplotlib.rcParams["hatch.linewidth"])
        face = matplotlib.colors.to_rgba(self.face)
        trans = self.get_transform()
        if renderer.open_group.__func__ is not RendererBase.open_group:
            for i, rid in enumerate(self.ids):
                renderer.open_group("mark", gid=rid)
                renderer.draw_path(gc, _box_path(self.boxes[i : i + 1]), trans, face)
                renderer.close_group("mark")
        else:
            renderer.draw_path(gc, _box_path(self.boxes), trans, face)
        gc.restore()
        self.stale = False


_RECT_CODES = np.array([Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY])


def _box_path(boxes: np.ndarray) -> Path:
    """One path of rectangles given as rows of x, y, width, height."""
    x, y, w, h = boxes.T
    corners = np.stack([(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)])
    return Path(corners.transpose(2, 0, 1).reshape(-1, 2), np.tile(_RECT_CODES, len(boxes)))


def _bar_tracks(
    items: list[_Item], row_y: dict[str, float], x: Scale, hi: float
) -> dict[str, tuple[float, float]]:
    """Where each interval bar sits inside its row: (offset from the row's middle, height).

    Bars that overlap in time share the row's height in tracks (up to three; a fourth goes
    back into the first), so one period never hides another.
    """
    rows: dict[float, list[tuple[float, float, str]]] = {}
    for item in items:
        d = item.date
        if d is not None and d.is_interval:
            end = hi if d.ongoing else x(d.latest)  # type: ignore[arg-type]
            rows.setdefault(row_y[item.record.id], []).append((x(d.earliest), end, item.record.id))
    out: dict[str, tuple[float, float]] = {}
    for bars in rows.values():
        bars.sort()
        ends: list[float] = []
        track: dict[str, int] = {}
        for start, end, rid in bars:
            free = next((t for t, e in enumerate(ends) if e <= start), None)
            if free is None:
                free = len(ends) % 3 if len(ends) >= 3 else len(ends)
                if len(ends) < 3:
                    ends.append(end)
            ends[free] = max(ends[free], end)
            track[rid] = free
        height = 0.54 / len(ends)
        gap = 0.02 if len(ends) > 1 else 0.0  # a sliver of white between stacked bars
        for rid, t in track.items():
            out[rid] = (-0.27 + t * height + gap, height - 2 * gap)
    return out


def _draw_marks(
    ax: Axes,
    items: list[_Item],
    row_y: dict[str, float],
    x: Scale,
    hi: float,
    x_per_pt: float,
) -> dict[str, tuple[float, float, bool]]:
    """Bars grouped by style in BarMarks, points grouped by style in PointMarks, and the
    whiskers, padlocks and children-present ticks over them; returns where each mark sits."""
    positions: dict[str, tuple[float, float, bool]] = {}
    whiskers: list[list[tuple[float, float]]] = []
    dashed: list[list[tuple[float, float]]] = []
    present: list[tuple[float, float]] = []
    locks: list[tuple[float, float]] = []
    arrows: dict[str, list[tuple[float, float]]] = {}
    points: dict[tuple[str, str, str, bool], list[tuple[float, float, str]]] = {}
    bars: dict[tuple[str, str, bool], list[tuple[float, float, float, float, str]]] = {}
    min_width = 4 * x_per_pt
    tracks = _bar_tracks(items, row_y, x, hi)
    for item in items:
        d = item.date
        assert d is not None
        y = row_y[item.record.id]
        hollow = d.approximate or d.uncertain
        if d.is_interval:
            x0 = x(d.earliest)
            x1 = hi if d.ongoing else x(d.latest)  # type: ignore[arg-type]
            width = max(x1 - x0, min_width)
            bottom, height = tracks[item.record.id]
            style = (item.lane, item.colour, hollow)
            bars.setdefault(style, []).append((x0, y + bottom, width, height, item.record.id))
            if d.ongoing:
                arrows.setdefault(item.colour, []).append((hi, y + bottom + height / 2))
            positions[item.record.id] = (x0, y, True)
            mark_x = x0
        else:
            at = x(pattern.placed(d))
            span = _fuzz(d)
            if x(span[1]) - x(span[0]) > 2 * x_per_pt:
                (dashed if d.uncertain else whiskers).append([(x(span[0]), y), (x(span[1]), y)])
            style = (item.lane, "D" if item.child_directed else "o", item.colour, hollow)
            points.setdefault(style, []).append((at, y, item.record.id))
            positions[item.record.id] = (at, y, False)
            mark_x = at
        if item.children_present:
            present.append((mark_x, y + 0.36))
        if item.record.confidential:
            locks.append((mark_x, y - 0.42))
    for (lane, colour, hollow), boxes in bars.items():
        ax.add_artist(
            BarMarks(
                boxes,
                lane,
                face="white" if hollow else matplotlib.colors.to_rgba(colour, 0.45),
                edge=colour,
                hatch="////" if hollow else None,
                zorder=3,
            )
        )
    for (lane, marker, colour, hollow), marks in points.items():
        ax.add_artist(
            PointMarks(
                marks,
                lane,
                marker,
                size=6.5 if marker == "o" else 6,
                face="white" if hollow else colour,
                edge=colour,
                edge_width=1.6 if hollow else 0.8,
                zorder=4,
            )
        )
    if whiskers:
        ax.add_collection(LineCollection(whiskers, colors="#555555", lw=1.0, zorder=2))
    if dashed:
        ax.add_collection(
            LineCollection(dashed, colors="#555555", lw=1.0, zorder=2, linestyles=(0, (2, 1.5)))
        )
    for colour, points in arrows.items():
        ax.add_artist(
            Line2D(
                *zip(*points, strict=True),
                marker=">",
                ms=7,
                ls="none",
                color=colour,
                zorder=4,
                clip_on=False,
            )
        )
    if present:
        ax.add_artist(
            Line2D(
                *zip(*present, strict=True),
                marker="^",
                ms=3.6,
                ls="none",
                color="#111111",
                zorder=5,
            )
        )
    if locks:
        ax.add_artist(
            Line2D(
                *zip(*locks, strict=True),
                gid="padlocks",
                marker=_PADLOCK,
                ms=6.5,
                ls="none",
                color="#000000",
                zorder=6,
            )
        )
    return positions


def _note_undated_rows(ax: Axes, shown: list[_Item], row_y: dict[str, float]) -> None:
    """A row whose records are all undated says so, instead of looking empty."""
    rows: dict[float, list[bool]] = {}
    for i in shown:
        rows.setdefault(row_y[i.record.id], []).append(i.date is None)
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    for y, undated in rows.items():
        if all(undated):
            ax.text(
                0.005,
                y,
                f"{len(undated)} not dated: listed on the right",
                transform=trans,
                fontsize=_LABEL_SIZE,
                style="italic",
                color="#666666",
                va="center",
            )


def _draw_links(ax: Axes, items: list[_Item], positions: dict) -> None:
    """A thin line from each behaviour to each impact it caused ("his X → this child's Y")."""
    segments = []
    for item in items:
        for cause in getattr(item.record, "caused_by", ()) if item.lane == "children" else ():
            if cause in positions:
                bx, by, _ = positions[cause]
                ix, iy, _ = positions[item.record.id]
                segments.append([(bx, by), (ix, iy)])
    if segments:
        ax.add_collection(
            LineCollection(segments, colors="#AA4499", lw=0.6, alpha=0.3, zorder=1, gid="links")
        )


def _draw_strip(
    strip: Axes,
    case: Case,
    behaviours: list[_Item],
    options: TimelineOptions,
    x: Scale,
) -> None:
    """His behaviours per month, stacked by family, from :func:`pattern.counts_by_month`."""
    records = [i.record for i in behaviours if i.date is not None]
    full = pattern.counts_by_month(case.model_copy(update={"behaviours": records}))
    shown = [i.record for i in behaviours if i.date is not None and _shown(i, options)]
    # The scale comes from every selected behaviour, so presenting step by step keeps it still.
    now = (
        full
        if len(shown) == len(records)
        else pattern.counts_by_month(case.model_copy(update={"behaviours": shown}))
    )
    for side in ("top", "right"):
        strip.spines[side].set_visible(False)
    strip.set_ylabel(
        "His behaviours\nper month",
        fontsize=_ROW_SIZE,
        rotation=0,
        ha="right",
        va="center",
        labelpad=8,
    )
    peak = int(full.sum(axis=1).max()) if len(full) else 1
    strip.set_ylim(0, max(peak, 1) * 1.1)
    strip.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3, integer=True))
    if not len(now):
        return
    # One collection per family: hundreds of months as separate bar patches are slow to draw.
    months = [m.date() for m in now.index]
    edges = [(x(m), x(dt.date(m.year + m.month // 12, m.month % 12 + 1, 1))) for m in months]
    bottom = [0] * len(months)
    for _, colour, cats in _FAMILIES:
        cols = [c for c in now.columns if c in cats]
        if not cols:
            continue
        heights = now[cols].sum(axis=1).tolist()
        boxes = [
            [(a + gap, b), (e - gap, b), (e - gap, b + h), (a + gap, b + h)]
            for (a, e), b, h in zip(edges, bottom, heights, strict=True)
            if h
            for gap in [(e - a) * 0.08]
        ]
        strip.add_collection(PolyCollection(boxes, facecolors=colour, linewidths=0, zorder=3))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]


def _draw_title(
    fig: Figure,
    case: Case,
    options: TimelineOptions,
    layout: _Layout,
    dated: list[_Item],
    undated: list[_Item],
    span: tuple[dt.date, dt.date, bool],
    marking: str,
) -> None:
    lo, hi, warped = span
    title = (
        options.title or (case.title if not options.mask_names else "") or (f"Case {case.case_id}")
    )
    fig.set_label(title)  # to_bytes writes it into the SVG and PDF metadata
    top = 1 - 0.22 / layout.height
    fig.text(0.012, top, title, fontsize=18, fontweight="bold", va="top", parse_math=False)
    parts = [
        f"Timeline, {lo:%b %Y} to {hi:%b %Y}",
        f"{len(dated)} dated records drawn, {len(undated)} not dated (listed right)",
        f"audience: {options.audience}",
    ]
    if warped:
        parts.append("years with more records are drawn wider")
    if options.upto:
        parts.append(f"shown up to {options.upto}")
    if options.categories is not None:
        parts.append(
            "his behaviours: "
            + ", ".join(taxonomy.label("behaviour_category", c) for c in sorted(options.categories))
        )
    if marking:
        fig.text(
            0.988,
            top,
            marking,
            fontsize=11,
            fontweight="bold",
            ha="right",
            va="top",
            color="#A50026",
            parse_math=False,
        )
    fig.text(
        0.012,
        top - 0.42 / layout.height,
        " · ".join(parts),
        fontsize=10,
        va="top",
        color="#333333",
        parse_math=False,
    )


def _legend_handles(phases: set[str], dated: list[_Item]) -> Iterator[tuple[object, str]]:
    used = {i.record.category for i in dated if i.lane == "perpetrator"}  # type: ignore[attr-defined]
    for name, colour, cats in _FAMILIES:
        if used & cats:
            yield Patch(facecolor=colour, edgecolor=colour), name
    marks = dict(ls="none", ms=7, color="#444444")
    yield Line2D([], [], marker="o", **marks), "Dated to the day or month"
    yield (
        Line2D([], [], marker="o", mfc="white", mew=1.6, **marks),
        "Approximate (~) or uncertain (?): hollow,\nwhisker across the span it may fall in",
    )
    yield Line2D([], [], marker="D", **marks), "His behaviour aimed at a child"
    yield Line2D([], [], marker="^", ls="none", ms=4, color="#111111"), "Children present or heard"
    yield Patch(facecolor="#BBBBBB", edgecolor="#444444"), "A period (from / to)"
    yield Line2D([], [], marker=">", **marks), "Ongoing: runs to the right edge"
    if any(i.lane == "children" and i.record.caused_by for i in dated):  # type: ignore[attr-defined]
        yield (
            Line2D([], [], color="#AA4499", lw=1.2, alpha=0.6),
            "His behaviour → the impact it caused",
        )
    if any(i.record.confidential for i in dated):
        yield (
            Line2D([], [], marker=_PADLOCK, ls="none", ms=8, color="black"),
            "Survivor-confidential: never leaves\nthe consultation",
        )
    for phase in _PHASE_ORDER:
        if phase in phases:
            yield (
                Patch(facecolor=_PHASE_TINT[phase], edgecolor="#999999"),
                f"Phase: {taxonomy.label('phase', phase)}",
            )


def _draw_legend(fig: Figure, layout: _Layout, phases: set[str], dated: list[_Item]) -> float:
    """The key, top right; returns the figure height fraction just below it."""
    handles, labels = zip(*_legend_handles(phases, dated), strict=True)
    x = 1 - (_RIGHT_COL - 0.2) / layout.width
    top = layout.main[1] + layout.main[3] + 0.3 / layout.height
    size = 8.5
    legend = fig.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(x, top),
        fontsize=size,
        frameon=False,
        title="Key",
        alignment="left",
        title_fontproperties={"weight": "bold", "size": 10},
        handlelength=1.6,
        labelspacing=0.55,
        borderaxespad=0,
    )
    legend.set_gid("legend")
    # Estimated rather than measured: measuring needs a renderer, a second draw of the page.
    lines = sum(label.count("\n") + 1 for label in labels)
    points = 10 * 1.6 + lines * size * 1.2 + len(labels) * size * 0.55
    return top - points / 72 / layout.height


def _draw_undated(
    fig: Figure,
    layout: _Layout,
    top: float,
    undated: list[_Item],
    mask: Callable[[str], str],
    case: Case,
) -> None:
    """The records with no date, listed under the key so none is silently dropped."""
    x = 1 - (_RIGHT_COL - 0.2) / layout.width
    top -= 0.25 / layout.height
    fig.text(x, top, f"Not dated ({len(undated)})", fontsize=10, fontweight="bold", va="top")
    if not undated:
        fig.text(
            x,
            top - 0.22 / layout.height,
            "Every record has a date.",
            fontsize=8,
            va="top",
            style="italic",
            color="#555555",
        )
        return
    line = 0.16 / layout.height
    room = max(int((top - layout.strip[1]) / line) - 2, 1)
    shown = undated if len(undated) <= room else undated[: room - 1]
    for n, item in enumerate(shown):
        who = _UNDATED_WHO.get(item.lane) or _label_of(case, item.block.split(":")[-1])
        lock = " [confidential]" if item.record.confidential else ""
        text = f"{who}: {_short(mask(item.record.description), 40)}{lock}"
        fig.text(
            x,
            top - (n + 1.4) * line,
            text,
            fontsize=7.5,
            va="top",
            parse_math=False,
            gid=item.record.id,
            label=f"_undated {item.lane}",
        )
    if len(shown) < len(undated):
        fig.text(
            x,
            top - (len(shown) + 1.4) * line,
            f"+{len(undated) - len(shown)} more not dated",
            fontsize=7.5,
            va="top",
            style="italic",
            label="_undated_more",
        )


_UNDATED_WHO = {
    "perpetrator": "His",
    "efforts": "Hers",
    "intersections": "Intersection",
    "responses": "System",
}


# -- output ----------------------------------------------------------------------------------


def drawn_marks(fig: Figure) -> dict[str, int]:
    """How many records each lane draws on the time axis (undated ones are listed apart)."""
    counts: Counter[str] = Counter()
    for ax in fig.axes:
        for artist in ax.get_children():
            if isinstance(artist, PointMarks | BarMarks):
                counts[artist.lane] += len(artist.ids)
    return dict(counts)


def listed_undated(fig: Figure) -> dict[str, int]:
    """How many records with no date each lane lists in the margin."""
    counts: Counter[str] = Counter()
    for text in fig.texts:
        label = text.get_label()
        if isinstance(label, str) and label.startswith("_undated "):
            counts[label.removeprefix("_undated ")] += 1
    return dict(counts)


def to_bytes(fig: Figure, fmt: str, dpi: int = PNG_DPI) -> bytes:
    """The figure as PNG (200 dpi unless told), SVG (text kept as text) or PDF, byte-identical
    per input. Documents that embed the picture at page width ask for fewer dots per inch."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}': expected one of {', '.join(FORMATS)}")
    buf = io.BytesIO()
    metadata = dict(_METADATA[fmt])
    if fmt != "png" and fig.get_label():
        metadata["Title"] = fig.get_label()  # what a screen reader announces first
    with matplotlib.rc_context(_RC):
        # zlib level 3 instead of 6: a third less time for the same size on these pictures.
        extra = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata, **extra)
    return buf.getvalue()


class _ScreenRenderer(RendererAgg):
    """Agg for the screen: each distinct text is rasterised once and stamped at whole pixels.

    Matplotlib 3.11 rasterises text glyph by glyph in Python (about 3 ms a label: a second for
    the labels of a 1,000-record case). A workbook redraws the same labels after every change,
    so the screen keeps one renderer per canvas size, whose bitmaps and font heights (and
    matplotlib's text-extent cache, which is keyed by renderer) survive from one drawing to the
    next. Whole-pixel placement moves a label by under half a pixel: fine on screen, which is
    why exports keep matplotlib's own drawing (:func:`to_bytes`).
    """

    _MAX_STAMPS = 4096

    def __init__(self, width: int, height: int, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self._stamps: dict[tuple, tuple[np.ndarray, float, float]] = {}
        self._heights: dict[int, tuple[float, float, float] | tuple[None, None, None]] = {}

    def _get_font_height_metrics(self, prop) -> tuple:
        # Text._get_layout asks a renderer for these first; otherwise it reads the font's
        # tables for every label. The same values, computed once per font and size.
        key = hash(prop)
        if key not in self._heights:
            font = self._prepare_font(prop)
            scale = prop.get_size_in_points() * self.dpi / 72
            self._heights[key] = (None, None, None)
            for table_name, gap, ascent, descent in (
                ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent"),
            ):
                table = font.get_sfnt_table(table_name)
                if table is not None:
                    per_unit = scale / font.get_sfnt_table("head")["unitsPerEm"]
                    self._heights[key] = (
                        table[ascent] * per_unit,
                        -table[descent] * per_unit,
                        table[gap] * per_unit,
                    )
                    break
        return self._heights[key]

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None) -> None:
        if ismath or angle:
            super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
            return
        key = (s, hash(prop), gc.get_antialiased(), get_hinting_flag())
        stamp = self._stamps.get(key)
        if stamp is None:
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
            dx, dy = font.get_bitmap_offset()
            stamp = (np.array(font.get_image()), dx / 64, (dy + font.get_descent()) / 64)
            if len(self._stamps) >= self._MAX_STAMPS:
                self._stamps.clear()
            self._stamps[key] = stamp
        image, dx, dy = stamp
        if image.size:
            # As matplotlib drew text before 3.11: y is the bitmap's bottom edge, downwards.
            self._renderer.draw_text_image(image, round(x + dx), round(y + dy) + 1, 0, gc)


_SCREEN_RENDERERS: dict[tuple[int, int, float], _ScreenRenderer] = {}
# Hinted glyphs are sharper at screen resolution; each text is rasterised once anyway.
_SCREEN_RC = {**_RC, "text.hinting": "force_autohint"}


def screen_png(fig: Figure, dpi: int = SCREEN_DPI) -> bytes:
    """The figure as a PNG for the screen, quickly: not byte-stable, never for exports.

    Sets the figure's dpi (a screen figure is drawn for this once). Text is stamped from
    bitmaps kept between drawings (see ``_ScreenRenderer``); the picture is written as RGB
    with light compression (see ``_png``).
    """
    fig.set_dpi(dpi)
    width, height = fig.canvas.get_width_height(physical=True)
    key = (width, height, float(dpi))
    renderer = _SCREEN_RENDERERS.get(key)
    if renderer is None:
        if len(_SCREEN_RENDERERS) >= 4:  # a few sizes (filters change the height) at most
            _SCREEN_RENDERERS.clear()
        renderer = _SCREEN_RENDERERS[key] = _ScreenRenderer(width, height, dpi)
    renderer.clear()
    with matplotlib.rc_context(_SCREEN_RC):
        fig.draw(renderer)
    return _png(np.asarray(renderer.buffer_rgba())[:, :, :3])


def _png(rgb: np.ndarray) -> bytes:
    """An RGB picture as a PNG with no row filter and zlib level 1.

    Pillow tries every row filter at any level: 60 ms for a 1,000-record timeline on screen,
    where no filter takes 25 ms and gives a smaller file (flat colours and white space).
    """
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # filter byte 0: none
    rows[:, 1:] = rgb.reshape(height, 3 * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, truecolour
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)),
            chunk(b"IEND", b""),
        ]
    )


def format_for(path: str) -> str:
    """The output format named by a file's suffix."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if suffix not in FORMATS:
        raise ValueError(f"'{path}': the file name must end in .png, .svg or .pdf")
    return suffix
