"""Run a function once typing has paused, on the kernel's own event loop.

A timer thread would touch widgets from another thread; ``loop.call_later`` runs the call on
the loop that handles the widget messages, between them. Outside a running loop (tests, nbval)
the call waits until :meth:`Debouncer.flush`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


class Debouncer:
    """``debouncer(...)`` schedules ``fn(...)`` after ``delay`` seconds, cancelling the last one."""

    def __init__(self, fn: Callable[..., Any], delay: float):
        self.fn = fn
        self.delay = delay
        self._handle: asyncio.TimerHandle | None = None
        self._pending: tuple[tuple[Any, ...], dict[str, Any]] | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self._stop_timer()
        self._pending = (args, kwargs)
        if self.delay <= 0:
            self.flush()
            return
        loop = _running_loop()
        if loop is not None:
            self._handle = loop.call_later(self.delay, self.flush)

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def cancel(self) -> None:
        """Drop the pending call."""
        self._stop_timer()
        self._pending = None

    def _stop_timer(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def flush(self) -> None:
        """Run the pending call now (if any)."""
        self._stop_timer()
        if self._pending is None:
            return
        args, kwargs = self._pending
        self._pending = None
        self.fn(*args, **kwargs)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    try:
        # ipykernel: widget callbacks run on the kernel's IO loop, which may not count as
        # "running" from inside a synchronous handler in every version.
        from tornado.ioloop import IOLoop

        loop = IOLoop.current(instance=False)
        return loop.asyncio_loop if loop is not None else None  # type: ignore[attr-defined]
    except Exception:
        return None
