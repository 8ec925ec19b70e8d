"""deploy/kubernetes/values.yaml says the same as the hub config it mirrors."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("jupyterhub", reason="needs the hub extra: pip install -e '.[hub]'")
yaml = pytest.importorskip("yaml")

from jupyterhub.app import JupyterHub  # noqa: E402

from tests.deploy.hubharness import REPO  # noqa: E402

VALUES = REPO / "deploy" / "kubernetes" / "values.yaml"
CASEMAP_LAYER = REPO / "deploy" / "jupyterhub" / "casemap_config.py"


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load(VALUES.read_text())


@pytest.fixture(scope="module")
def hub() -> JupyterHub:
    app = JupyterHub()
    app.load_config_file(str(CASEMAP_LAYER))
    return app


def spawner(hub: JupyterHub):
    return hub.spawner_class(parent=hub, user=SimpleNamespace(name="alice", url="/user/alice/"))


def test_lands_in_the_workbook(values, hub):
    """Consultants land on the same Voila route as on a single server."""
    assert values["singleuser"]["defaultUrl"] == spawner(hub).default_url


def test_casefiles_on_the_consultants_own_volume(values):
    """CASEMAP_HOME and CASEMAP_EXPORTS lie inside the per-user volume mounted as home."""
    storage = values["singleuser"]["storage"]
    assert storage["type"] == "dynamic"
    home = Path(storage["homeMountPath"])
    for var in ("CASEMAP_HOME", "CASEMAP_EXPORTS"):
        assert Path(values["singleuser"]["extraEnv"][var]).is_relative_to(home)


def test_account_manager_role_matches(values, hub):
    """The Kubernetes account-manager role has exactly the single-server role's scopes."""
    (role,) = [r for r in hub.load_roles if r["name"] == "account-manager"]
    assert values["hub"]["loadRoles"]["account-manager"]["scopes"] == role["scopes"]
    assert values["hub"]["config"]["Authenticator"]["admin_users"] == []


def test_kernel_settings_match_voila_json(values, hub):
    """Kernel culling and the execution timeout are voila.json's, as on a single server."""
    assert values["hub"]["config"]["KubeSpawner"]["args"] == spawner(hub).args
    settings = json.loads((REPO / "voila.json").read_text())
    assert "cull_idle_timeout" in settings["MappingKernelManager"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("cull", "enabled"), True),
        (("proxy", "https", "enabled"), True),
        (("singleuser", "networkPolicy", "enabled"), True),
    ],
)
def test_safety_switches_on(values, path, expected):
    """Idle culling, HTTPS and the network policy are on."""
    node = values
    for key in path:
        node = node[key]
    assert node == expected
