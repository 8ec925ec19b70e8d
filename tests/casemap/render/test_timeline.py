"""The visual timeline (casemap/render/timeline.py) and ``casemap timeline``.

Structure and content are checked on the Figure's artists and in the SVG text; pixels only in
one image comparison per demo case, against the PNGs in ``tests/casemap/render/baseline/``.
After an intended change to the picture (or to a demo case), look at the new images and
regenerate the baselines with::

    CASEMAP_REGEN_BASELINE=1 .venv/bin/pytest tests/casemap/render/test_timeline.py -k baseline
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.testing.compare import compare_images
from matplotlib.transforms import Bbox

from casemap import dates
from casemap.model import Case, parse_case
from casemap.render.timeline import (
    BarMarks,
    PointMarks,
    TimelineOptions,
    draw_timeline,
    drawn_marks,
    format_for,
    listed_undated,
    screen_png,
    to_bytes,
)
from tests.strategies import cases

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "casefiles" / "demo"
BASELINE = Path(__file__).parent / "baseline"
DEMOS = sorted(p.stem for p in DEMO.glob("demo-*.json"))


def load_demo(name: str) -> Case:
    return parse_case(json.loads((DEMO / f"{name}.json").read_text(encoding="utf-8")))


def small_case(**extra) -> Case:
    """A hand-made case whose every record has a description found nowhere else."""
    data = {
        "format": "casemap/1",
        "case_id": "tl-small",
        "title": "Timeline test family",
        "people": [
            {"id": "p1", "role": "perpetrator", "name": "Victor Brandt", "label": "Father",
             "aliases": ["Vic"]},
            {"id": "s1", "role": "survivor", "name": "Nora Brandt", "label": "Mother"},
            {"id": "c1", "role": "child", "name": "Ida Brandt", "label": "Child A",
             "birth_date": "2015-06-01"},
        ],
        "behaviours": [
            {"id": "b1", "perpetrator": "p1", "category": "physical_violence",
             "description": "Victor shoved Nora down the stairs", "when": "2022-03-02",
             "targets": ["s1"], "children_present": ["c1"], "phase": "together"},
            {"id": "b2", "perpetrator": "p1", "category": "threats",
             "description": "Vic threatened to burn the flat", "when": "2022-06~",
             "targets": ["s1"], "phase": "together"},
            {"id": "b3", "perpetrator": "p1", "category": "monitoring_stalking",
             "description": "Victor tracked Nora's phone for months",
             "when": "2022-09/2023-01", "targets": ["s1"], "phase": "separating"},
            {"id": "b4", "perpetrator": "p1", "category": "using_children",
             "description": "Victor quizzes Ida about Nora's visitors", "when": "2023-02/..",
             "targets": ["c1"], "phase": "post_separation"},
            {"id": "b5", "perpetrator": "p1", "category": "economic_abuse",
             "description": "Victor emptied the joint savings account", "when": "2023-04?",
             "targets": ["s1"], "phase": "post_separation"},
            {"id": "b6", "perpetrator": "p1", "category": "intimidation",
             "description": "Victor smashed the car mirror in front of Ida", "when": None,
             "targets": ["s1"], "children_present": ["c1"]},
        ],
        "efforts": [
            {"id": "e1", "by": "s1", "category": "safety_planning",
             "description": "Nora hid a spare key with the neighbour", "when": "2022-08-10",
             "children": ["c1"]},
            {"id": "e2", "by": "s1", "category": "daily_care_and_routine",
             "description": "Nora kept Ida at the same school", "when": "2022-09/2023-06",
             "children": ["c1"]},
        ],
        "impacts": [
            {"id": "i1", "child": "c1", "domain": "emotional_behavioural",
             "description": "Ida hides under her bed at shouting", "when": "2022-04",
             "caused_by": ["b1"]},
        ],
        "responses": [
            {"id": "r1", "kind": "police_callout", "description": "Police came after the stairs",
             "when": "2022-03-02"},
        ],
    }
    data.update(extra)
    return parse_case(data)


def point(fig, rid: str) -> tuple[PointMarks, float, float]:
    """The point-mark artist that draws a record, and where it puts the record."""
    found = [(a, *a.xy[a.ids.index(rid)]) for a in fig.axes[0].get_children()
             if isinstance(a, PointMarks) and rid in a.ids]
    assert len(found) == 1, f"{rid}: drawn {len(found)} times"
    return found[0]


def bar(fig, rid: str) -> Bbox:
    """Where the bar that draws an interval record sits (data coordinates)."""
    found = [a.bounds(rid) for a in fig.axes[0].get_children()
             if isinstance(a, BarMarks) and rid in a.ids]
    assert len(found) == 1, f"{rid}: drawn {len(found)} times"
    return Bbox.from_bounds(*found[0])


def svg_text(fig) -> str:
    return to_bytes(fig, "svg").decode("utf-8")


# -- which records are drawn ----------------------------------------------------------------


def _involves(section: str, r, people: set[str]) -> bool:
    ids = {
        "behaviours": lambda: {r.perpetrator, *r.targets, *r.children_present},
        "efforts": lambda: {r.by, *r.children},
        "impacts": lambda: {r.child},
        "intersections": lambda: {r.person},
    }.get(section)
    return True if ids is None else bool(ids() & people)


def expected_marks(case: Case, options: TimelineOptions) -> dict[str, int]:
    """Dated records per lane that the options select, counted straight from the case."""
    lane = {"behaviours": "perpetrator", "efforts": "efforts", "impacts": "children",
            "intersections": "intersections", "responses": "responses"}
    lo = dates.parse(options.date_from).earliest if options.date_from else dt.date.min
    hi = dates.parse(options.date_to).latest if options.date_to else dt.date.max
    upto = dates.parse(options.upto).latest if options.upto else dt.date.max
    counts: dict[str, int] = {}
    for section, r in case.records():
        if section not in lane or r.when is None:
            continue
        if options.lanes is not None and lane[section] not in options.lanes:
            continue
        if section == "behaviours" and options.categories is not None \
                and r.category not in options.categories:
            continue
        if options.people is not None and not _involves(section, r, set(options.people)):
            continue
        d = dates.parse(r.when)
        if d.earliest > hi or (d.latest or dt.date.max) < lo or d.earliest > upto:
            continue
        counts[lane[section]] = counts.get(lane[section], 0) + 1
    return counts


@pytest.mark.parametrize(
    "options",
    [
        TimelineOptions(),
        TimelineOptions(lanes=("perpetrator", "children")),
        TimelineOptions(categories=frozenset({"physical_violence", "using_children"})),
        TimelineOptions(people=frozenset({"c1"})),
        TimelineOptions(date_from="2021-06", date_to="2023~"),
        TimelineOptions(upto="2022-08-15"),
        TimelineOptions(links=False, labels=False),
    ],
    ids=["all", "lanes", "categories", "people", "range", "upto", "bare"],
)
def test_marks_per_lane_equal_the_records_the_options_select(generated_case, options):
    """Each lane draws exactly one mark per dated record that the options select."""
    fig = draw_timeline(generated_case, options)
    assert drawn_marks(fig) == expected_marks(generated_case, options)


def test_every_drawn_mark_carries_its_record_id(generated_case):
    """Each mark's gid is its record id, so the SVG names every record it draws once."""
    svg = svg_text(draw_timeline(generated_case))
    dated = [r.id for s, r in generated_case.records() if r.when is not None
             and s in ("behaviours", "efforts", "impacts", "intersections", "responses")]
    for rid in dated:
        assert svg.count(f'id="{rid}"') == 1, rid


def test_undated_records_are_listed_in_the_margin():
    """A record with no date is listed beside the timeline, not drawn and not dropped."""
    fig = draw_timeline(small_case())
    assert listed_undated(fig) == {"perpetrator": 1}
    assert "b6" not in {a.get_gid() for ax in fig.axes for a in ax.get_children()}
    assert "Victor smashed the car mirror" in svg_text(fig)


def test_many_undated_records_end_with_a_count_of_the_rest(generated_case):
    """When the margin is full, the records not listed are counted, so the sum is exact."""
    data = json.loads(generated_case.model_dump_json(exclude_none=True))
    for r in data["behaviours"]:
        r.pop("when", None)
    case = parse_case(data)
    fig = draw_timeline(case)
    listed = sum(listed_undated(fig).values())
    more = [t.get_text() for t in fig.texts if t.get_label() == "_undated_more"]
    rest = int(re.match(r"\+(\d+) more", more[0]).group(1)) if more else 0
    undated = sum(1 for s, r in case.records() if r.when is None and s in (
        "behaviours", "efforts", "impacts", "intersections", "responses"))
    assert listed + rest == undated and more


# -- how dates are drawn --------------------------------------------------------------------


def test_dates_are_drawn_as_sure_as_they_are():
    """Exact: filled mark; ~ and ?: hollow with a whisker; interval: a bar; ongoing: to the edge."""
    fig = draw_timeline(small_case())
    ax = fig.axes[0]
    exact, approx, uncertain = point(fig, "b1"), point(fig, "b2"), point(fig, "b5")
    assert exact[0].face != "white"
    assert approx[0].face == "white" and uncertain[0].face == "white"  # "2022-06~", "2023-04?"
    interval, ongoing = bar(fig, "b3"), bar(fig, "b4")
    assert interval.width > 0
    right = ax.get_xlim()[1]
    assert ongoing.x1 == pytest.approx(right)
    assert interval.x1 < right
    # "2022-06~": a whisker through the mark, wider than June itself.
    _, ax_, ay = approx
    spans = [seg for c in ax.collections if isinstance(c, LineCollection)
             for seg in c.get_segments() if len(seg) == 2 and seg[0][1] == ay == seg[1][1]]
    june = (dt.date(2022, 6, 30) - dt.date(2022, 6, 1)).days
    assert any(s[0][0] < ax_ < s[1][0] for s in spans)
    assert all(s[1][0] - s[0][0] > june for s in spans if s[0][0] < ax_ < s[1][0])


def test_behaviour_aimed_at_a_child_has_its_own_marker():
    """His behaviours aimed at a child (component 2) are diamonds; others are circles."""
    case = small_case()
    data = json.loads(case.model_dump_json(exclude_none=True))
    data["behaviours"][3]["when"] = "2023-02-01"  # b4, using the children, as a point
    fig = draw_timeline(parse_case(data))
    assert point(fig, "b4")[0].marker == "D"
    assert point(fig, "b1")[0].marker == "o"


@pytest.mark.parametrize("links", [True, False])
def test_links_join_a_behaviour_to_the_impact_it_caused(links):
    """With links on, one segment runs from b1's mark to i1's mark; with links off, none."""
    fig = draw_timeline(small_case(), TimelineOptions(links=links))
    ends = sorted([point(fig, "b1")[1:], point(fig, "i1")[1:]])
    found = [c for c in fig.axes[0].collections if c.get_gid() == "links"]
    if not links:
        assert not found
        return
    segments = [sorted(map(tuple, s)) for s in found[0].get_segments()]
    assert [pytest.approx(e) for e in ends] == segments[0] and len(segments) == 1


def test_links_from_a_confidential_behaviour_are_drawn_in_the_room_only():
    """In the consultation room a padlocked behaviour keeps its link to the impact it caused;
    the case-record picture has neither the behaviour nor the link."""
    case = small_case()
    secret = case.behaviours[0].model_copy(update={"confidential": True})
    case = case.model_copy(update={"behaviours": [secret, *case.behaviours[1:]]})
    room = draw_timeline(case)
    assert [c for c in room.axes[0].collections if c.get_gid() == "links"]
    record = draw_timeline(case, TimelineOptions(audience="case-record"))
    assert not [c for c in record.axes[0].collections if c.get_gid() == "links"]
    assert 'id="b1"' not in svg_text(record)


def test_escalation_strip_counts_every_dated_behaviour_drawn(generated_case):
    """The monthly bars of the strip add up to the dated behaviours the options select."""
    options = TimelineOptions(categories=frozenset({"threats", "using_children"}))
    fig = draw_timeline(generated_case, options)
    strip = fig.axes[1]
    total = sum(
        path.vertices[:, 1].max() - path.vertices[:, 1].min()
        for c in strip.collections for path in c.get_paths()
    )
    assert round(total) == expected_marks(generated_case, options)["perpetrator"]


def test_phases_are_labelled_bands():
    """Together, separating and post-separation are shaded and named above the lanes."""
    fig = draw_timeline(small_case())
    names = {t.get_text() for t in fig.axes[0].texts}
    assert {"Together", "Separating", "Post-separation"} <= names


def test_presenting_step_by_step_keeps_the_axes_still():
    """With upto, fewer marks are drawn on exactly the same axes as the whole timeline."""
    whole = draw_timeline(small_case())
    early = draw_timeline(small_case(), TimelineOptions(upto="2022-07"))
    assert early.axes[0].get_xlim() == whole.axes[0].get_xlim()
    assert early.axes[1].get_ylim() == whole.axes[1].get_ylim()
    assert sum(drawn_marks(early).values()) < sum(drawn_marks(whole).values())


# -- labels ---------------------------------------------------------------------------------


def test_labels_show_the_start_of_each_description():
    """Each dated record's label is the start of its description, as searchable SVG text."""
    svg = svg_text(draw_timeline(small_case()))
    for start in ("Victor shoved Nora down the", "Nora hid a spare key", "Ida hides under her bed",
                  "Police came after the stairs"):
        assert start in svg


def test_no_labels_when_labels_are_off():
    """labels=False draws marks without any description text."""
    svg = svg_text(draw_timeline(small_case(), TimelineOptions(labels=False)))
    assert "Victor shoved" not in svg and 'id="b1"' in svg


def test_labels_never_overlap_and_count_what_they_hide(generated_case):
    """At 300 records, labels in a row do not overlap, and labels plus their "+N" counts cover
    every mark of the row."""
    fig = draw_timeline(generated_case)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if (t.get_gid() or "").endswith("-label")]
    # Every mark belongs to the row whose middle is nearest (bars may sit in tracks).
    middles = [t.get_position()[1] for t in ax.texts if (t.get_gid() or "").startswith("row-")]

    def row(y: float) -> float:
        return min(middles, key=lambda m: abs(m - y))

    marks = {}
    for a in ax.get_children():
        if isinstance(a, BarMarks):
            marks |= {rid: row(y + h / 2) for rid, (_, y, _, h) in zip(a.ids, a.boxes, strict=True)}
        if isinstance(a, PointMarks):
            marks |= {rid: row(y) for rid, (_, y) in zip(a.ids, a.xy, strict=True)}
    assert len(marks) > 250
    rows: dict[float, list] = {}
    for t in labels:
        rows.setdefault(marks[t.get_gid().removesuffix("-label")], []).append(t)
    for y, texts in rows.items():
        boxes = sorted((t.get_window_extent(renderer) for t in texts), key=lambda b: b.x0)
        for left, right in zip(boxes, boxes[1:], strict=False):
            assert left.x1 <= right.x0 + 1, f"labels overlap in row {y}"
        counted = sum(1 + int(m.group(1)) if (m := re.search(r" \+(\d+)$", t.get_text()))
                      else 1 for t in texts)
        assert counted == sum(1 for row in marks.values() if row == y)


def test_mask_names_replaces_names_with_labels():
    """mask_names puts role labels in place of names and aliases in every drawn text."""
    svg = svg_text(draw_timeline(small_case(), TimelineOptions(mask_names=True)))
    for name in ("Victor", "Vic ", "Nora", "Ida", "Brandt", "Timeline test family"):
        assert name not in svg
    assert "Father shoved Mother down the" in svg and "Father threatened" in svg


def test_children_lanes_are_named_with_label_and_age():
    """Each child's lane is headed with the child's label and age at the end of the record."""
    svg = svg_text(draw_timeline(small_case()))
    assert "Child A (8)" in svg  # born 1 June 2015; the last recorded day is 30 June 2023


# -- audiences ------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["case-record", "survivor", "perpetrator", "training"])
def test_confidential_records_are_absent_outside_the_consultation(audience):
    """No survivor-confidential record reaches another audience's SVG, by id or by text."""
    svg = svg_text(draw_timeline(small_case(), TimelineOptions(audience=audience)))
    assert 'id="e1"' not in svg  # safety planning: confidential by default
    assert "spare key" not in svg


def test_confidential_records_are_padlocked_in_the_consultation():
    """The consultation sees confidential records, each with a padlock, and a key entry."""
    fig = draw_timeline(small_case())
    svg = svg_text(fig)
    assert 'id="e1"' in svg and "Nora hid a spare key" in svg
    assert "never leaves" in svg
    locks = [a for a in fig.axes[0].get_children()
             if isinstance(a, Line2D) and a.get_gid() == "padlocks"]
    assert len(locks) == 1 and len(locks[0].get_xdata()) == 1


def test_perpetrator_audience_has_no_protective_efforts_lane():
    """The perpetrator's picture leaves out her protective efforts (audience part 'efforts')."""
    fig = draw_timeline(small_case(), TimelineOptions(audience="perpetrator"))
    assert "efforts" not in drawn_marks(fig)
    assert "protective efforts" not in svg_text(fig)


def test_a_documents_view_is_drawn_as_given_without_its_appendix():
    """Given an AudienceView, only its body is drawn, under that audience's own marking."""
    from casemap.render.audience import apply_audience

    consultation = svg_text(draw_timeline(apply_audience(small_case(), "consultation")))
    assert 'id="e1"' not in consultation and "spare key" not in consultation
    perpetrator = svg_text(draw_timeline(apply_audience(small_case(), "perpetrator")))
    assert "Consultation" not in perpetrator and "protective efforts" not in perpetrator


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_records=6))
def test_no_confidential_record_id_reaches_a_case_record_svg(case):
    """For any valid case, the case-record SVG holds no id of a confidential record."""
    svg = svg_text(draw_timeline(case, TimelineOptions(audience="case-record")))
    for _, r in case.records():
        if r.confidential:
            assert f'id="{r.id}"' not in svg


# -- options and output ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, message",
    [
        (TimelineOptions(lanes=("perpetrator", "plans")), "unknown lane"),
        (TimelineOptions(categories=frozenset({"anger"})), "unknown behaviour categories"),
        (TimelineOptions(audience="press"), "unknown audience"),
    ],
)
def test_bad_options_are_refused_with_a_message(options, message):
    """An unknown lane, category or audience raises ValueError naming it."""
    with pytest.raises(ValueError, match=message):
        draw_timeline(small_case(), options)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_same_input_gives_byte_identical_output(fmt):
    """Two renders of the same case are byte for byte the same (no dates or random ids)."""
    first = to_bytes(draw_timeline(small_case()), fmt)
    assert first == to_bytes(draw_timeline(small_case()), fmt)


def test_svg_keeps_text_as_text():
    """The SVG holds the title and labels as <text>, not as glyph outlines."""
    svg = svg_text(draw_timeline(small_case()))
    assert re.search(r"<text[^>]*>[^<]*Timeline test family", svg)
    assert "<dc:title>Timeline test family</dc:title>" in svg


@pytest.mark.parametrize("name", DEMOS)
def test_svg_ids_are_unique(name):
    """No two elements of a demo timeline's SVG share an id (records, rows, clip paths)."""
    ids = re.findall(r' id="([^"]+)"', svg_text(draw_timeline(load_demo(name))))
    assert len(ids) == len(set(ids))


def test_png_is_200_dpi():
    """PNG output is written at 200 dpi, A3 landscape wide."""
    from PIL import Image

    image = Image.open(io.BytesIO(to_bytes(draw_timeline(small_case()), "png")))
    assert image.size[0] == round(16.54 * 200)
    assert round(image.info["dpi"][0]) == 200


def _grey(png: bytes):
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)


def test_screen_png_puts_text_where_matplotlib_does():
    """The screen picture is matplotlib's own at 80 dpi, every text in the same place."""
    import matplotlib

    from casemap.render import timeline

    fig = draw_timeline(small_case())
    buffer = io.BytesIO()
    with matplotlib.rc_context(timeline._SCREEN_RC):
        fig.savefig(buffer, format="png", dpi=80)
    reference = _grey(buffer.getvalue())
    screen = _grey(screen_png(draw_timeline(small_case())))
    assert screen.shape == reference.shape
    height, width = screen.shape
    assert width == round(16.54 * 80)
    # Title and row names (the top and the left margin): of the screen picture's crops moved by
    # up to two pixels, the one not moved at all is the closest to matplotlib's.
    for top, bottom, left, right in [(0.0, 0.06, 0.0, 0.5), (0.06, 0.6, 0.0, 0.17)]:
        y0, y1, x0, x1 = (
            int(top * height) + 2,
            int(bottom * height),
            int(left * width) + 2,
            int(right * width),
        )
        crop = reference[y0:y1, x0:x1]
        moves = {
            (dx, dy): abs(crop - screen[y0 + dy : y1 + dy, x0 + dx : x1 + dx]).mean()
            for dx in range(-2, 3)
            for dy in range(-2, 3)
        }
        assert min(moves, key=moves.get) == (0, 0)


def test_screen_png_forgets_the_previous_picture():
    """Drawing case B between two drawings of A leaves A's picture unchanged, and B's differs."""
    a = screen_png(draw_timeline(small_case()))
    b = screen_png(draw_timeline(small_case(title="Another family altogether")))
    assert screen_png(draw_timeline(small_case())) == a != b


@pytest.mark.parametrize(
    "path, fmt", [("a.png", "png"), ("b.SVG", "svg"), ("c.pdf", "pdf"), ("d.jpg", None)]
)
def test_format_comes_from_the_suffix(path, fmt):
    """The output format is the file's suffix; anything but png, svg or pdf is refused."""
    if fmt is None:
        with pytest.raises(ValueError, match="must end in"):
            format_for(path)
    else:
        assert format_for(path) == fmt


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "casemap.cli", "timeline", *args],
                          capture_output=True, text=True, cwd=REPO)


def test_cli_writes_the_timeline_for_an_audience(tmp_path):
    """`casemap timeline PATH -o FILE --audience A --from --to` writes that audience's SVG."""
    out = tmp_path / "wall.svg"
    demo = DEMO / f"{DEMOS[0]}.json"
    done = run_cli(str(demo), "-o", str(out), "--audience", "case-record", "--from", "2020")
    assert done.returncode == 0, done.stderr
    svg = out.read_text(encoding="utf-8")
    assert "audience: case-record" in svg
    for _, r in load_demo(DEMOS[0]).records():
        if r.confidential:
            assert f'id="{r.id}"' not in svg


@pytest.mark.parametrize("args, message", [
    (["-o", "x.gif"], "must end in .png, .svg or .pdf"),
    (["-o", "x.png", "--to", "2024-13"], "month 13"),
])
def test_cli_reports_bad_arguments_without_a_traceback(tmp_path, args, message):
    """A bad suffix or date exits 2 with one plain line."""
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    done = run_cli(str(DEMO / f"{DEMOS[0]}.json"), *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


# -- pictures -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DEMOS)
def test_demo_timeline_matches_its_baseline(name, tmp_path):
    """Each demo case draws as its stored baseline image, within a small tolerance."""
    fig = draw_timeline(load_demo(name))
    actual = tmp_path / f"timeline-{name}.png"
    fig.savefig(actual, dpi=50, metadata={"Software": None})
    expected = BASELINE / f"timeline-{name}.png"
    if os.environ.get("CASEMAP_REGEN_BASELINE") or not expected.exists():
        expected.write_bytes(actual.read_bytes())
        if not os.environ.get("CASEMAP_REGEN_BASELINE"):
            pytest.fail(f"no baseline for {name}: wrote {expected}; look at it and commit it")
    assert compare_images(str(expected), str(actual), tol=3) is None
