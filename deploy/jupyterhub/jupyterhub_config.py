"""JupyterHub configuration for a casemap team server on one machine.

The installation's part (where the proxy listens, where the hub keeps its state) is here; the
casemap part (sign-in, roles, culling, each consultant's server) is casemap_config.py, loaded at
the end. The loopback hub of the tests loads this file and overrides only what a test must
(tests/deploy/jupyterhub_test_config.py). Variables, besides those of casemap_config.py:

    CASEMAP_HUB_BIND_URL      public URL the proxy listens on (default http://127.0.0.1:8000,
                              behind an HTTPS reverse proxy)
    CASEMAP_HUB_STATE_DIR     hub database and cookie secret (default /srv/casemap-hub)
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (injected by traitlets when it runs this file)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
STATE_DIR = Path(os.environ.get("CASEMAP_HUB_STATE_DIR", "/srv/casemap-hub"))

# --- Network: the proxy listens on loopback; HTTPS is terminated in front of it (README). ---
c.JupyterHub.bind_url = os.environ.get("CASEMAP_HUB_BIND_URL", "http://127.0.0.1:8000")
_chp = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
if _chp.exists():  # installed by `make test` (npm ci); otherwise the one on PATH
    c.ConfigurableHTTPProxy.command = [str(_chp)]

# --- State: the hub database names every consultant; it is as confidential as the cases. ---
c.JupyterHub.db_url = f"sqlite:///{STATE_DIR / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE_DIR / "jupyterhub_cookie_secret")

# --- Everything casemap-specific, then the organisation's site file. ---
load_subconfig(str(HERE / "casemap_config.py"))  # noqa: F821 (injected by traitlets)
