"""The casemap layer of the hub configuration: sign-in, roles, culling, each consultant's server.

Each consultant signs in, lands in the consultation workbook and keeps casefiles in their own
home (``~/casefiles``), never in a shared folder. Idle servers are stopped. Account managers
approve accounts and stop servers but cannot open anyone's server or files through the hub.

Loaded by jupyterhub_config.py (a plain team server) and, through a symlink in
/opt/tljh/config/jupyterhub_config.d/, by The Littlest JupyterHub (deploy/README.md). It sets
nothing about ports, proxy or database, which belong to the installation. Variables:

    CASEMAP_HUB_AUTH          authenticator: "native" (default), or "generic-oauth", "azuread",
                              "ldapauthenticator" ... configured in the site file
    CASEMAP_HUB_ADMINS        comma-separated account-manager names (default: none)
    CASEMAP_HUB_IDLE_TIMEOUT  seconds without activity before a server is stopped (default 3600)
    CASEMAP_HUB_MEM_LIMIT     memory per consultant where the spawner enforces it (default 1G)
    CASEMAP_NOTEBOOKS         folder holding consultation.ipynb (default: ./notebooks)
    CASEMAP_HUB_SITE_CONFIG   optional Python config file loaded last (OAuth/LDAP, spawner)
"""

import json
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (injected by traitlets when it runs this file)

REPO = Path(__file__).resolve().parents[2]
IDLE_TIMEOUT = int(os.environ.get("CASEMAP_HUB_IDLE_TIMEOUT", "3600"))

# A shared office computer should not stay signed in for the default two weeks.
c.JupyterHub.cookie_max_age_days = 1

# --- Sign-in ---
c.JupyterHub.authenticator_class = os.environ.get("CASEMAP_HUB_AUTH", "native")
ACCOUNT_MANAGERS = sorted(
    {name.strip() for name in os.environ.get("CASEMAP_HUB_ADMINS", "").split(",") if name.strip()}
)
# NativeAuthenticator: consultants sign up, an account manager approves them at /hub/authorize.
# Approval is its allow-list, so every approved account may use the hub. Account managers are
# approved on sign-up: they must sign up before the hub's address is shared.
c.NativeAuthenticator.allow_all = True
c.NativeAuthenticator.allowed_users = set(ACCOUNT_MANAGERS)
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.minimum_password_length = 12
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 600

# --- What admins can see ---
# Nobody is a full hub admin: JupyterHub's built-in admin role cannot be narrowed, and it holds
# access:servers (open any consultant's server, so read their cases), tokens (act as anyone),
# shares (share anyone's server with oneself) and proxy (re-route anyone's address).
# Account managers get the admin page without those: they approve, add and delete accounts and
# stop servers; they see names, last activity and whether a server runs, never a case.
c.Authenticator.admin_users = set()
ACCOUNT_MANAGER_SCOPES = [
    "admin-ui",
    "admin:users",  # NativeAuthenticator's approval page requires it
    "servers",  # start and stop; not admin:servers, whose server state is not theirs to edit
    "read:hub",
    "list:services",
    "read:services",
]
c.JupyterHub.load_roles = [
    {
        "name": "account-manager",
        "description": "Manage accounts and stop servers; cannot open anyone's server or files",
        "scopes": ACCOUNT_MANAGER_SCOPES,
        "users": ACCOUNT_MANAGERS,
    },
    {
        "name": "idle-culler",
        "description": "Stop servers nobody has used for CASEMAP_HUB_IDLE_TIMEOUT seconds",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
]

# --- Idle servers are stopped: an open workbook on an unattended screen is a disclosure. ---
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={IDLE_TIMEOUT}",
            f"--cull-every={max(60, IDLE_TIMEOUT // 10)}",
        ],
    }
]


# --- Each consultant's server: the workbook, and casefiles in their own home. ---
def user_casefiles(spawner) -> str:
    """The consultant's own casefile folder, ``<their home>/casefiles``.

    Spawners that know the home folder up front (the test spawner) give it; otherwise ``~`` is
    left for casemap.store to expand inside the consultant's own process, where HOME is theirs
    (a Unix account under TLJH/SystemdSpawner, the per-user volume under KubeSpawner).
    """
    return str(Path(getattr(spawner, "home_dir", "") or "~") / "casefiles")


def user_exports(spawner) -> str:
    """Exports are case text too: they go beside the casefiles, never to the shared exports/."""
    return str(Path(getattr(spawner, "home_dir", "") or "~") / "exports")


def server_args(voila_json: Path) -> list[str]:
    """The kernel and executor settings of the repository's voila.json, as server arguments.

    Inside a single-user server Voila reads voila.json only for VoilaConfiguration; kernel
    culling and the execution timeout belong to the server, so they are passed here. Closed
    tabs do not always shut their kernels down (shared/jupyter-notes.md 1.7).
    """
    settings = json.loads(voila_json.read_text()) if voila_json.exists() else {}
    return [
        f"--{section}.{name}={value}"
        for section in ("MappingKernelManager", "VoilaExecutor")
        for name, value in settings.get(section, {}).items()
    ]


c.Spawner.environment = {
    "CASEMAP_HOME": user_casefiles,
    "CASEMAP_EXPORTS": user_exports,
    # voila.json (no tracebacks, no source, no file serving) is found on the config path.
    "JUPYTER_CONFIG_PATH": str(REPO),
}
c.Spawner.notebook_dir = os.environ.get("CASEMAP_NOTEBOOKS", str(REPO / "notebooks"))
c.Spawner.default_url = "/voila/render/consultation.ipynb"
c.Spawner.mem_limit = os.environ.get("CASEMAP_HUB_MEM_LIMIT", "1G")
c.Spawner.args = server_args(REPO / "voila.json")

# --- The organisation's own settings (OAuth/LDAP, SystemdSpawner, ...) come last. ---
_site = os.environ.get("CASEMAP_HUB_SITE_CONFIG")
if _site:
    if not Path(_site).is_file():  # load_subconfig would skip a missing file silently
        raise FileNotFoundError(f"CASEMAP_HUB_SITE_CONFIG names a missing file: {_site}")
    load_subconfig(_site)  # noqa: F821 (injected by traitlets)
