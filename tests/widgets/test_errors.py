"""The error reporter: calm message, details in the log, a value to carry on with."""

import logging

from widgets.errors import CALM_MESSAGE, ErrorReporter


def test_guard_shows_calm_message_and_logs(caplog):
    """An exception becomes a calm message and a logged traceback; ``failed`` is returned."""
    shown = []
    guard = ErrorReporter(shown.append).guard

    def boom():
        raise KeyError("secret detail")

    with caplog.at_level(logging.ERROR, logger="widgets"):
        assert guard(boom, failed="no")() == "no"
    assert shown == [CALM_MESSAGE]
    assert "secret detail" in caplog.text


def test_guard_passes_results_through():
    """A callback that works returns its value and shows nothing."""
    shown = []
    assert ErrorReporter(shown.append).guard(lambda x: x * 2)(3) == 6
    assert shown == []
