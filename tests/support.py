"""What every browser-driving test shares: Debian's Chromium, its flags, a free loopback port."""

from __future__ import annotations

import shutil
import socket

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless as root on a machine with no network beyond the package registries: without the
# background-networking flags Chromium keeps trying hosts it cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
