"""One error reporter wrapping every callback: a calm message in the page, details in the log.

Voila hides tracebacks only while the notebook first runs; an exception raised later in a
widget callback would be printed into the page (voila#203, #604). Every callback therefore runs
inside :meth:`ErrorReporter.guard`, and the workbook keeps working after an error.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("widgets")

CALM_MESSAGE = (
    "Something went wrong with that step, and it was not applied. Your saved work is safe. "
    "The details are in the server log; please try again or tell your administrator."
)


class ErrorReporter:
    """Calls ``show(text)`` with a calm message when a guarded callback raises."""

    def __init__(self, show: Callable[[str], None]):
        self.show = show

    def guard(self, fn: Callable[..., Any], failed: Any = None) -> Callable[..., Any]:
        """``fn`` wrapped so that an exception is logged and shown calmly, never raised.

        The wrapper returns ``failed`` after an exception (e.g. a message, so that an editor
        keeps the form filled in instead of treating the change as saved).
        """

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception:
                log.exception("callback %s failed", getattr(fn, "__qualname__", fn))
                try:
                    self.show(CALM_MESSAGE)
                except Exception:  # the reporter itself must never take the page down
                    log.exception("could not show the error message")
                return failed

        return wrapper


def log_to_server() -> None:
    """Send the workbook's log to the kernel's stderr, which Voila writes to the server log."""
    logger = logging.getLogger("widgets")
    if not any(getattr(h, "_casemap", False) for h in logger.handlers):
        import sys

        handler = logging.StreamHandler(sys.__stderr__)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._casemap = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
