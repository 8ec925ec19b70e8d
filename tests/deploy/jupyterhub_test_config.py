"""The production hub configuration with test overrides, for a throwaway hub on loopback.

Loads deploy/jupyterhub/jupyterhub_config.py unchanged, then swaps in what a test needs: a shared
test password instead of real accounts, the local-process spawner with homes under a temporary
folder, an in-memory database and free loopback ports. Everything else (default URL, per-user
CASEMAP_HOME, account-manager role, idle culler) is the production setting under test.

Set by the fixture (tests/deploy/hubharness.py):
    CASEMAP_TEST_HUB_DIR       temporary folder: user homes, cookie secret
    CASEMAP_TEST_HUB_PASSWORD  the shared sign-in password
    CASEMAP_TEST_HUB_USERS     comma-separated user names allowed to sign in
    CASEMAP_TEST_HUB_AUTH      "native" to keep production's sign-up (default: shared password)
    CASEMAP_TEST_HUB_API_PORT, CASEMAP_TEST_PROXY_API_PORT   free loopback ports
and, for the production file, CASEMAP_HUB_BIND_URL and CASEMAP_NOTEBOOKS.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (injected by traitlets when it runs this file)

PRODUCTION = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub" / "jupyterhub_config.py"
if not PRODUCTION.is_file():  # load_subconfig would skip a missing file silently
    raise FileNotFoundError(PRODUCTION)
load_subconfig(str(PRODUCTION))  # noqa: F821 (injected by traitlets)

HUB_DIR = Path(os.environ["CASEMAP_TEST_HUB_DIR"])

# A shared password for the named test users, unless the test is of production sign-up itself.
if os.environ.get("CASEMAP_TEST_HUB_AUTH", "shared-password") == "shared-password":
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["CASEMAP_TEST_HUB_PASSWORD"]
    c.SharedPasswordAuthenticator.allowed_users = set(
        os.environ["CASEMAP_TEST_HUB_USERS"].split(",")
    )

# All test users share this machine's Unix user: isolation here comes from per-user homes
# (CASEMAP_HOME under each) and the hub's routing, which is what the test checks.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(HUB_DIR / "home" / "{username}")
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.env_keep = ["PATH", "LANG", "PYTHONPATH", "VIRTUAL_ENV"]
if os.geteuid() == 0:  # jupyter_server refuses to run as root without it
    c.Spawner.args = [*c.Spawner.args, "--allow-root"]
# Two cores shared by several people: a first spawn can be slow.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

c.JupyterHub.db_url = "sqlite:///:memory:"
c.JupyterHub.cookie_secret_file = str(HUB_DIR / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HUB_DIR / "jupyterhub.pid")
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ['CASEMAP_TEST_HUB_API_PORT']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['CASEMAP_TEST_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.pid_file = str(HUB_DIR / "jupyterhub-proxy.pid")
