"""Memory per active consultant on the team hub, measured on this project's workbook.

Starts the loopback test hub (tests/deploy/hubharness.py: the production config with a test
password and the local-process spawner), signs consultants in with Chromium, opens a demo case
in the consultation workbook, visits every step, then reads each consultant's single-user server
and kernel with psutil. Prints a table; nothing is asserted.

    .venv/bin/python deploy/measure_memory.py [--consultants 2]

RSS counts pages shared with other processes (Python, libraries) in full; USS is what the
processes hold alone, i.e. what one more consultant adds. Size a server by RSS per consultant.
"""

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.deploy.hubharness import LocalHub, launch_chromium, sign_in  # noqa: E402

MB = 1024 * 1024
SETTLE_SECONDS = 3  # let the kernel finish drawing after the last click before reading memory


def memory(processes) -> tuple[float, float]:
    """(RSS, USS) in MB summed over the processes still running."""
    rss = uss = 0
    for p in processes:
        try:
            info = p.memory_full_info()
        except Exception:  # gone, or not readable: leave it out of the sum
            continue
        rss += info.rss
        uss += info.uss
    return rss / MB, uss / MB


def visit_workbook(hub: LocalHub, browser, name: str):
    """Sign in, land in the workbook on the first demo case, open every step."""
    context = browser.new_context()
    page = sign_in(context, hub, name)
    expect(page.locator(".cm-case-heading")).to_be_visible(timeout=120_000)
    steps = page.locator(".cm-step-button").all()
    for button in steps:
        button.click()
        page.wait_for_timeout(500)
    time.sleep(SETTLE_SECONDS)
    heading = page.locator(".cm-case-heading").inner_text()
    print(f"{name}: opened {heading!r}, visited {len(steps)} steps")
    return context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consultants", type=int, default=2)
    args = parser.parse_args()
    names = [f"consultant{i + 1}" for i in range(args.consultants)]
    root = Path(tempfile.mkdtemp(prefix="casemap-hub-memory-"))
    hub = LocalHub(root, REPO / "notebooks", names)
    for name in names:  # fictional demo cases: the workbook opens the first one
        shutil.copytree(REPO / "casefiles" / "demo", hub.casefiles(name) / "demo")
    rows = []
    try:
        hub.start()
        fixed = memory(hub.remember_processes())
        rows.append(("hub + proxy + idle culler (once per hub)", *fixed))
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            contexts = [visit_workbook(hub, browser, name) for name in names]
            for name in names:
                procs = hub.server_processes(name)
                server, kernels = procs[:1], procs[1:]
                rows.append((f"{name}: single-user server", *memory(server)))
                rows.append((f"{name}: kernel(s) x{len(kernels)}", *memory(kernels)))
                rows.append((f"{name}: total", *memory(procs)))
            for context in contexts:
                context.close()
            browser.close()
    finally:
        survivors = hub.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(f"{'process':<46} {'RSS MB':>8} {'USS MB':>8}")
    for label, rss, uss in rows:
        print(f"{label:<46} {rss:>8.0f} {uss:>8.0f}")
    totals = [r for r in rows if r[0].endswith(": total")]
    print(
        f"{'mean per active consultant':<46} "
        f"{sum(r[1] for r in totals) / len(totals):>8.0f} "
        f"{sum(r[2] for r in totals) / len(totals):>8.0f}"
    )
    if survivors:
        print(f"warning: processes still running after stop: {survivors}", file=sys.stderr)


if __name__ == "__main__":
    main()
