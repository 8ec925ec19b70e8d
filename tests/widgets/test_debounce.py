"""The debouncer runs only the last call, after a pause, on the running event loop."""

import asyncio
import threading

from widgets.debounce import Debouncer


def test_flush_runs_last_call_once():
    """Without a loop, calls wait for flush, and only the last one runs."""
    seen = []
    d = Debouncer(seen.append, 0.4)
    d(1)
    d(2)
    assert seen == [] and d.pending
    d.flush()
    d.flush()
    assert seen == [2]


def test_runs_on_event_loop_after_pause():
    """Inside a running loop the call happens by itself once the delay has passed."""
    seen = []

    async def main():
        d = Debouncer(seen.append, 0.05)
        d("a")
        d("b")
        await asyncio.sleep(0.2)

    # A thread of its own: Playwright's sync API (browser tests in the same session) leaves
    # its loop marked as running in the main thread, where asyncio.run would refuse to start.
    worker = threading.Thread(target=asyncio.run, args=(main(),))
    worker.start()
    worker.join(timeout=10)
    assert seen == ["b"]


def test_cancel_drops_the_pending_call():
    """A cancelled call never runs, not even on flush."""
    seen = []
    d = Debouncer(seen.append, 0.4)
    d(1)
    d.cancel()
    d.flush()
    assert seen == [] and not d.pending


def test_zero_delay_runs_at_once():
    """With no delay the call runs immediately."""
    seen = []
    Debouncer(seen.append, 0)(5)
    assert seen == [5]
