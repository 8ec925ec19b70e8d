"""The consultation workbook: time to interactive, add-a-behaviour round trip, kernel memory.

1. Time to interactive in headless Chromium: the workbook against a bare one-button notebook,
   both served by one Voila with the repository's voila.json, loaded alternately, median of
   five each. Target ratio <= 1.3.
2. Add-a-behaviour round trip on generated cases (benchmarks/gen.py), from the Add click to the
   redrawn timeline, with the timeline in view (the costliest moment: save, missing-information
   check and timeline all redraw). Measured in the kernel process, median of five, against a
   baseline of saving the same case through casemap.store alone. Target: under 300 ms at 1,000
   records.
3. Memory (RSS) of the kernel behind an open workbook against the kernel behind the bare
   notebook, and after the timeline has been drawn.

Run: .venv/bin/python benchmarks/bench_workbook.py [round-trip] [browser]
(the browser part needs /usr/bin/chromium)
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO))  # the browser conftest imports tests.support

BARE = """{
 "cells": [{"cell_type": "code", "execution_count": null, "id": "a1", "metadata": {},
            "outputs": [],
            "source": ["import ipywidgets as ipw\\n", "ipw.Button(description='Go')"]}],
 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
 "nbformat": 4, "nbformat_minor": 5
}"""
RUNS = 5


def time_to_interactive(page, url: str, ready: str) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.locator(ready).first.wait_for(state="visible", timeout=120_000)
    return time.perf_counter() - start


def kernels(voila_pid: int) -> dict[int, float]:
    """Kernel processes of the Voila server: pid -> RSS in MB."""
    import psutil

    kids = psutil.Process(voila_pid).children(recursive=True)
    return {
        k.pid: k.memory_info().rss / 2**20 for k in kids if "ipykernel" in " ".join(k.cmdline())
    }


def new_kernel_rss(voila_pid: int, before: set[int]) -> float:
    fresh = {pid: rss for pid, rss in kernels(voila_pid).items() if pid not in before}
    assert len(fresh) == 1, f"expected one new kernel, found {len(fresh)}"
    return next(iter(fresh.values()))


def offline(page) -> None:
    """Only the loopback server: the template's CDN links would add network noise."""
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort()
        ),
    )


# In the page: click Add, wait for the form to say "Added" and the save state to move on, then
# open the timeline step and wait for the picture of that revision (its caption) to be decoded.
# Timed with performance.now(), so Playwright's own polling adds nothing.
ADD_THEN_LOOK = """async ([pause]) => {
  const changed = (test) => new Promise((resolve) => {
    if (test()) { resolve(); return; }
    const seen = new MutationObserver(() => { if (test()) { seen.disconnect(); resolve(); } });
    seen.observe(document.body, {subtree: true, childList: true, characterData: true});
  });
  const status = document.querySelector(".cm-behaviour-editor .cm-form-status");
  const revision = () => {
    const found = document.querySelector(".cm-save-state").textContent.match(/revision (\\d+)/);
    return found ? Number(found[1]) : -1;
  };
  const before = revision();
  const t0 = performance.now();
  document.querySelector(".cm-behaviour-editor .cm-add").click();
  await changed(() => status.textContent.includes("Added") && revision() > before);
  const t1 = performance.now();
  const saved = revision();
  await new Promise((resolve) => setTimeout(resolve, pause));
  const t2 = performance.now();
  document.querySelector(".cm-step-timeline").click();
  const caption = () => document.querySelector(".cm-timeline-caption");
  await changed(() => caption() && caption().textContent.includes(`revision ${saved} `));
  await document.querySelector(".cm-timeline-image").decode();
  return [t1 - t0, performance.now() - t2];
}"""


def browser_round_trip(browser, server, case_id: str, pause: float) -> list[tuple[float, float]]:
    """Seconds from the Add click to "Added" (saved), and from opening the timeline step
    (``pause`` seconds after "Added") to its new picture on screen, in the page, for RUNS
    behaviours added one after another."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    offline(page)
    time_to_interactive(
        page, f"{server.url}/voila/render/consultation.ipynb?case={case_id}", ".cm-step-pattern"
    )
    page.locator(".cm-step-timeline").click()  # built and drawn once, as a consultant would
    page.locator(".cm-timeline-image[src]").wait_for(timeout=120_000)
    out = []
    for i in range(RUNS + 1):
        page.locator(".cm-step-pattern").click()
        page.locator(".cm-step-view-pattern").wait_for(state="visible")
        editor = page.locator(".cm-behaviour-editor")
        editor.locator(".cm-new").click()
        editor.locator(".cm-field-category select").select_option(index=2)
        editor.locator(".cm-field-description textarea").fill(f"He sent {i + 20} messages.")
        editor.locator(".cm-field-when input").fill("2024-03~")
        page.wait_for_timeout(1500)  # the language lens and date check settle first
        add, look = page.evaluate(ADD_THEN_LOOK, [pause * 1000])
        if i:  # the first is a warm-up
            out.append((add / 1000, look / 1000))
    page.close(run_before_unload=True)
    return out


def browser_part(tmp: Path) -> None:
    from conftest import CHROMIUM, CHROMIUM_ARGS, start_voila, stop_voila
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print("Chromium not found: time to interactive and memory skipped.\n")
        return
    from gen import make_case

    from casemap import store

    pages = tmp / "pages"
    pages.mkdir()
    shutil.copy(REPO / "notebooks" / "consultation.ipynb", pages / "consultation.ipynb")
    (pages / "bare.ipynb").write_text(BARE)
    server = start_voila(tmp, notebooks=pages)
    big = "bench-1000"
    store.save(
        make_case(1000, seed=1).model_copy(update={"case_id": big}),
        server.home / "bench" / f"{big}.json",
    )
    workbook_url = f"{server.url}/voila/render/consultation.ipynb?case=demo-01"
    bare_url = f"{server.url}/voila/render/bare.ipynb"
    results: dict[str, list[float]] = {"bare": [], "workbook": []}
    memory: dict[str, float] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _label, url, ready in [
                ("bare", bare_url, "button.widget-button"),
                ("workbook", workbook_url, ".cm-step-pattern"),
            ]:
                page = browser.new_page()  # warm-up: first imports fill the disk cache
                offline(page)
                time_to_interactive(page, url, ready)
                page.close(run_before_unload=True)
            for _ in range(RUNS):
                for label, url, ready in [
                    ("bare", bare_url, "button.widget-button"),
                    ("workbook", workbook_url, ".cm-step-pattern"),
                ]:
                    page = browser.new_page()
                    offline(page)
                    results[label].append(time_to_interactive(page, url, ready))
                    page.close(run_before_unload=True)
                    time.sleep(1.0)  # let the kernel shut down before the next load
            round_trips = {
                pause: browser_round_trip(browser, server, big, pause) for pause in (0.0, 1.5)
            }
            for label, url, ready in [
                ("bare", bare_url, "button.widget-button"),
                ("workbook", workbook_url, ".cm-step-pattern"),
            ]:
                time.sleep(2.0)  # earlier pages' kernels shut down
                before = set(kernels(server.process.pid))
                page = browser.new_page()
                offline(page)
                time_to_interactive(page, url, ready)
                time.sleep(1.0)
                memory[label] = new_kernel_rss(server.process.pid, before)
                if label == "workbook":
                    page.locator(".cm-step-timeline").click()
                    page.locator(".cm-timeline-image[src]").wait_for(timeout=120_000)
                    time.sleep(0.5)
                    memory["workbook, timeline drawn"] = new_kernel_rss(server.process.pid, before)
                page.close(run_before_unload=True)
                time.sleep(1.5)
            browser.close()
    finally:
        stop_voila(server)
    bare, work = statistics.median(results["bare"]), statistics.median(results["workbook"])
    print("Time to interactive in headless Chromium (median of 5, same Voila, same run)\n")
    print("| page | median s | runs s | bare notebook s | ratio | target |")
    print("|---|---:|---|---:|---:|---:|")
    runs = ", ".join(f"{t:.2f}" for t in results["workbook"])
    print(
        f"| consultation workbook | {work:.2f} | {runs} | {bare:.2f} | {work / bare:.2f} | <= 1.3 |"
    )
    print()
    print(
        "Add a behaviour in the browser, 1,000 records (median of 5): the Add click until the "
        "form says Added (saved, checks rerun), then the timeline step opened at once or after "
        "a pause, until the picture of the new revision is on screen\n"
    )
    print("| part | median ms | runs ms |")
    print("|---|---:|---|")
    now, paused = round_trips[0.0], round_trips[1.5]
    for label, values in [
        ("Add click to 'Added'", [a for a, _ in now + paused]),
        ("timeline step opened at once: to the new picture", [b for _, b in now]),
        ("the two together", [a + b for a, b in now]),
        ("timeline step opened 1.5 s later (drawn ahead): to the picture", [b for _, b in paused]),
    ]:
        runs = ", ".join(f"{v * 1e3:.0f}" for v in values)
        print(f"| {label} | {statistics.median(values) * 1e3:.0f} | {runs} |")
    print()
    print("Kernel memory (RSS) behind an open page\n")
    print("| kernel | RSS MB | bare kernel MB | ratio |")
    print("|---|---:|---:|---:|")
    for label in ("workbook", "workbook, timeline drawn"):
        if label in memory:
            print(
                f"| {label} | {memory[label]:.0f} | {memory['bare']:.0f} | "
                f"{memory[label] / memory['bare']:.2f} |"
            )
    print()


class Parts:
    """Seconds spent inside named functions during one click, found by wrapping them.

    The wrappers are installed on the module attributes the workbook calls through, so the
    workbook runs its ordinary code; garbage collection is timed through ``gc.callbacks``.
    """

    def __init__(self, runs: list[dict[str, float]]) -> None:
        self.runs = runs  # one {part: seconds} per click
        self.spent: dict[str, float] = {}
        self.pictures: list[float] = []  # when each new picture reached the Image widget
        self.cpu_pictures: list[float] = []  # the same in this process's CPU time
        self._gc_start = 0.0
        self._undo: list[tuple[object, str, object]] = []

    def picture_arrived(self, change: dict) -> None:
        self.pictures.append(time.perf_counter())
        self.cpu_pictures.append(time.process_time())

    def wrap(self, owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[label] = self.spent.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, timed)
        self._undo.append((owner, name, original))

    def _gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        else:
            took = time.perf_counter() - self._gc_start
            self.spent[GC] = self.spent.get(GC, 0.0) + took

    def __enter__(self) -> Parts:
        gc.callbacks.append(self._gc)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self._gc)
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)


PARTS = ("with_record (validate the new case)", "store.save", "draw_timeline", "screen_png")
GC = "garbage collection"
PICTURE = "click to new picture in the Image widget"
CPU = "the same, CPU time of the kernel process (less sensitive to a shared machine's load)"


def add_times(app, editor, runs: int, parts: Parts | None = None) -> list[float]:
    """Seconds from the Add click until the click's handler has finished (saved, redrawn)."""
    out = []
    for i in range(runs):
        editor.fields["description"].value = f"He sent {i + 20} messages in one night."
        editor.fields["when"].text.value = "2024-03~"
        if parts is not None:
            parts.spent = {}
        start, cpu = time.perf_counter(), time.process_time()
        editor.add_button.click()
        out.append(time.perf_counter() - start)
        if parts is not None:
            parts.spent["click to redrawn timeline (all)"] = out[-1]
            parts.spent[PICTURE] = parts.pictures[-1] - start
            parts.spent[CPU] = parts.cpu_pictures[-1] - cpu
            parts.runs.append(parts.spent)
        assert "Added" in editor.status.value, editor.status.value
    return out


def round_trip_part(tmp: Path) -> None:
    from gen import make_case

    from casemap import store

    home = tmp / "rt-casefiles"
    os.environ["CASEMAP_HOME"] = str(home)
    os.environ["CASEMAP_EXPORTS"] = str(tmp / "rt-exports")
    import widgets.apps
    from casemap.render import timeline as render_timeline
    from widgets.apps import ConsultationApp

    print("Add-a-behaviour round trip in the kernel (median of 5): click to saved and redrawn\n")
    print(
        "| records | timeline out of view ms | timeline in view ms | store.save alone ms | "
        "ratio (in view / save) | target |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    breakdown: list[dict[str, float]] = []
    for n in (100, 300, 1000):
        path = store.path_for(f"bench-{n}", home)
        store.save(make_case(n, seed=1).model_copy(update={"case_id": f"bench-{n}"}), path)
        # Opened as the notebook opens it (?case=ID), so start-up settles the same way.
        app = ConsultationApp.open_from_url(f"case=bench-{n}")
        editor = app.editor("pattern")
        app.show_step("timeline")
        app.show_step("pattern")
        hidden = add_times(app, editor, RUNS)
        # The timeline in view while adding (as if the two were side by side): every add also
        # redraws it, so this is click to redrawn timeline.
        timeline = app.editors["timeline"]
        timeline.show()
        draws = timeline.draws
        with Parts(breakdown if n == 1000 else []) as parts:
            parts.wrap(widgets.apps, "with_record", PARTS[0])
            parts.wrap(store, "save", PARTS[1])
            parts.wrap(render_timeline, "draw_timeline", PARTS[2])
            parts.wrap(render_timeline, "screen_png", PARTS[3])
            timeline.image.observe(parts.picture_arrived, names="value")
            shown = add_times(app, editor, RUNS, parts)
            timeline.image.unobserve(parts.picture_arrived, names="value")
        assert timeline.draws == draws + RUNS, "the timeline was not redrawn on every add"
        saves = []
        for _ in range(RUNS):
            t = time.perf_counter()
            store.save(app.session.case, path)
            saves.append(time.perf_counter() - t)
            app.session.reload()
        out, into, save = (statistics.median(x) * 1e3 for x in (hidden, shown, saves))
        target = "< 300" if n == 1000 else ""
        print(f"| {n:,} | {out:.0f} | {into:.0f} | {save:.0f} | {into / save:.1f} | {target} |")
    print()
    print("Where the time goes at 1,000 records, timeline in view (median of 5 clicks, ms)\n")
    print("| part | median ms | runs ms |")
    print("|---|---:|---|")
    rest = [
        run["click to redrawn timeline (all)"] - sum(run.get(p, 0.0) for p in PARTS)
        for run in breakdown
    ]
    for label, values in [
        *((p, [run.get(p, 0.0) for run in breakdown]) for p in PARTS),
        ("everything else (findings, editors, widgets)", rest),
        (f"of all the above: {GC}", [run.get(GC, 0.0) for run in breakdown]),
        (PICTURE, [run[PICTURE] for run in breakdown]),
        (CPU, [run[CPU] for run in breakdown]),
        (
            "click to redrawn timeline (all)",
            [r["click to redrawn timeline (all)"] for r in breakdown],
        ),
    ]:
        runs = ", ".join(f"{v * 1e3:.0f}" for v in values)
        print(f"| {label} | {statistics.median(values) * 1e3:.0f} | {runs} |")
    print(f"\n({GC} happens inside the parts above and is counted in them too.)\n")


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="casemap-bench-workbook-"))
    parts = set(sys.argv[1:]) or {"round-trip", "browser"}
    try:
        if "round-trip" in parts:
            round_trip_part(tmp)
        if "browser" in parts:
            browser_part(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
