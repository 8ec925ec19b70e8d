"""voila.json: the settings for confidential data, read by the Voila that ``make run`` starts."""

import json
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CONFIG = json.loads((Path(__file__).resolve().parents[2] / "voila.json").read_text())


@pytest.mark.parametrize(
    ("section", "key", "expected"),
    [
        ("Voila", "ip", "127.0.0.1"),
        ("Voila", "port_retries", 0),
        ("VoilaConfiguration", "strip_sources", True),
        ("VoilaConfiguration", "show_tracebacks", False),
        ("VoilaConfiguration", "allow_template_override", "NO"),
        ("VoilaConfiguration", "allow_theme_override", "NO"),
        ("VoilaConfiguration", "file_allowlist", []),
        ("VoilaConfiguration", "preheat_kernel", False),
        ("MappingKernelManager", "cull_connected", True),
    ],
)
def test_confidential_settings(section, key, expected):
    """Each setting that keeps case data on this machine and out of the page is in place."""
    assert CONFIG[section][key] == expected


def test_idle_kernels_are_culled():
    """Idle kernels (which hold an open case) are shut down within the hour."""
    kernels = CONFIG["MappingKernelManager"]
    assert 0 < kernels["cull_idle_timeout"] <= 3600
    assert 0 < kernels["cull_interval"] <= kernels["cull_idle_timeout"]


def outward_address() -> str | None:
    """This machine's address on its network (no packet is sent), or None without one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.mark.browser
def test_server_answers_on_loopback_only(voila):
    """The server started with voila.json is not reachable on the machine's network address."""
    address = outward_address()
    if address is None:
        pytest.skip("no network address besides loopback")
    port = voila.url.rsplit(":", 1)[1]
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        urllib.request.urlopen(f"http://{address}:{port}/voila/api/contents", timeout=5)


@pytest.mark.browser
@pytest.mark.parametrize(
    "notebook", ["consultation.ipynb?case=demo-01", "present.ipynb?case=demo-03"]
)
def test_pages_make_no_request_beyond_this_machine(page, voila, notebook):
    """No page asks a CDN or any other host for anything: no leak of use, and it works offline."""
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        ("http://127.0.0.1", "data:", "blob:")) else None)
    page.goto(f"{voila.url}/voila/render/{notebook}")
    page.wait_for_selector(".cm-app")
    page.wait_for_timeout(1500)
    assert outside == []
