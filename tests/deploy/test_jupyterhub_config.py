"""deploy/jupyterhub/jupyterhub_config.py and its test overrides, loaded without starting a hub."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("jupyterhub", reason="needs the hub extra: pip install -e '.[hub]'")

from jupyterhub.app import JupyterHub  # noqa: E402
from jupyterhub.scopes import expand_scopes  # noqa: E402

from tests.deploy.hubharness import REPO, TEST_CONFIG  # noqa: E402

PRODUCTION = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
CASEMAP_LAYER = REPO / "deploy" / "jupyterhub" / "casemap_config.py"


@pytest.fixture
def env(monkeypatch, tmp_path):
    """The variables the fixture of the live hub sets, pointing at a temporary folder."""
    for name, value in {
        "CASEMAP_TEST_HUB_DIR": str(tmp_path),
        "CASEMAP_TEST_HUB_PASSWORD": "a-test-password",
        "CASEMAP_TEST_HUB_USERS": "alice,bob",
        "CASEMAP_TEST_HUB_API_PORT": "18081",
        "CASEMAP_TEST_PROXY_API_PORT": "18001",
        "CASEMAP_HUB_ADMINS": "maria, tom",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("CASEMAP_HUB_AUTH", "CASEMAP_HUB_SITE_CONFIG", "CASEMAP_HUB_IDLE_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def load(path: Path) -> JupyterHub:
    hub = JupyterHub()
    hub.load_config_file(str(path))
    return hub


def spawner_for(hub: JupyterHub, name: str):
    return hub.spawner_class(parent=hub, user=SimpleNamespace(name=name, url=f"/user/{name}/"))


def user_env(hub: JupyterHub, name: str) -> dict[str, str]:
    spawner = spawner_for(hub, name)
    return {k: v(spawner) if callable(v) else v for k, v in spawner.environment.items()}


@pytest.mark.parametrize(
    ("config", "authenticator", "spawner"),
    [
        (PRODUCTION, "NativeAuthenticator", "LocalProcessSpawner"),
        (TEST_CONFIG, "SharedPasswordAuthenticator", "SimpleLocalProcessSpawner"),
    ],
)
def test_config_loads(env, config, authenticator, spawner):
    """Each config file loads and names an authenticator and a spawner that import and construct."""
    hub = load(config)
    assert hub.authenticator_class.__name__ == authenticator
    assert hub.spawner_class.__name__ == spawner
    extra = {"add_new_table": False} if authenticator == "NativeAuthenticator" else {}
    hub.authenticator_class(parent=hub, **extra)
    assert spawner_for(hub, "alice").default_url == "/voila/render/consultation.ipynb"


def test_native_sign_up_needs_approval(env):
    """Out of the box consultants sign up and wait for approval; account managers need none."""
    hub = load(PRODUCTION)
    auth = hub.authenticator_class(parent=hub, add_new_table=False)
    assert auth.open_signup is False
    assert auth.allowed_users == {"maria", "tom"}
    assert auth.minimum_password_length >= 12


def test_authenticator_chosen_by_environment(env, monkeypatch):
    """CASEMAP_HUB_AUTH picks the authenticator, so an organisation can use its own sign-in."""
    monkeypatch.setenv("CASEMAP_HUB_AUTH", "shared-password")
    assert load(PRODUCTION).authenticator_class.__name__ == "SharedPasswordAuthenticator"


def test_test_config_differs_only_where_a_test_must(env):
    """The test config keeps production's workbook route, roles, services and server arguments."""
    production, test = load(PRODUCTION), load(TEST_CONFIG)
    assert test.load_roles == production.load_roles
    assert [s["name"] for s in test.services] == [s["name"] for s in production.services]
    prod_spawner, test_spawner = spawner_for(production, "alice"), spawner_for(test, "alice")
    assert test_spawner.default_url == prod_spawner.default_url
    assert test_spawner.args[: len(prod_spawner.args)] == prod_spawner.args


@pytest.mark.parametrize("config", [PRODUCTION, TEST_CONFIG])
def test_casefiles_live_in_each_users_home(env, config):
    """CASEMAP_HOME and CASEMAP_EXPORTS are per consultant, inside their home, never in the repo."""
    hub = load(config)
    alice, bob = user_env(hub, "alice"), user_env(hub, "bob")
    for user_vars in (alice, bob):
        for var in ("CASEMAP_HOME", "CASEMAP_EXPORTS"):
            assert not Path(user_vars[var]).is_relative_to(REPO)
    if config == TEST_CONFIG:
        assert alice["CASEMAP_HOME"] == str(env / "home" / "alice" / "casefiles")
        assert bob["CASEMAP_HOME"] == str(env / "home" / "bob" / "casefiles")
    else:  # "~" is expanded by casemap.store inside the consultant's own process
        assert alice["CASEMAP_HOME"] == "~/casefiles"


@pytest.mark.parametrize(
    "scope", ["access:servers", "tokens", "shares", "proxy", "admin:server_state", "shutdown"]
)
def test_account_managers_cannot_reach_cases(env, scope):
    """The account-manager role lacks every scope that would open, share or re-route a server."""
    roles = {r["name"]: r for r in load(PRODUCTION).load_roles}
    granted = expand_scopes(set(roles["account-manager"]["scopes"]))
    assert not any(s == scope or s.startswith(f"{scope}!") for s in granted)
    assert roles["account-manager"]["users"] == ["maria", "tom"]


def test_account_managers_can_approve_and_stop(env):
    """Account managers keep what their job needs: the admin page, accounts, stopping servers."""
    roles = {r["name"]: r for r in load(PRODUCTION).load_roles}
    granted = expand_scopes(set(roles["account-manager"]["scopes"]))
    assert {"admin-ui", "admin:users", "delete:servers", "read:users:activity"} <= granted


def test_nobody_is_a_full_admin(env):
    """No user gets JupyterHub's built-in admin role, which can open every consultant's server."""
    hub = load(PRODUCTION)
    assert hub.authenticator_class(parent=hub, add_new_table=False).admin_users == set()
    assert all(r["name"] != "admin" for r in hub.load_roles)


@pytest.mark.parametrize(("timeout", "flag"), [(None, "--timeout=3600"), ("900", "--timeout=900")])
def test_idle_servers_are_culled(env, monkeypatch, timeout, flag):
    """The idle culler runs as a hub service with the timeout from CASEMAP_HUB_IDLE_TIMEOUT."""
    if timeout:
        monkeypatch.setenv("CASEMAP_HUB_IDLE_TIMEOUT", timeout)
    hub = load(PRODUCTION)
    (culler,) = [s for s in hub.services if s["name"] == "idle-culler"]
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    assert flag in culler["command"]
    (role,) = [r for r in hub.load_roles if r.get("services") == ["idle-culler"]]
    assert "delete:servers" in role["scopes"]


def test_site_config_overrides(env, monkeypatch, tmp_path):
    """The organisation's own file, named by CASEMAP_HUB_SITE_CONFIG, is loaded last and wins."""
    site = tmp_path / "site_config.py"
    site.write_text('c.JupyterHub.authenticator_class = "shared-password"\n')
    monkeypatch.setenv("CASEMAP_HUB_SITE_CONFIG", str(site))
    assert load(PRODUCTION).authenticator_class.__name__ == "SharedPasswordAuthenticator"


def test_missing_site_config_is_an_error(env, monkeypatch, tmp_path):
    """A misspelt site config path stops the hub instead of silently running without it."""
    monkeypatch.setenv("CASEMAP_HUB_SITE_CONFIG", str(tmp_path / "missing.py"))
    with pytest.raises(FileNotFoundError):
        load(PRODUCTION)


def test_servers_get_the_voila_json_kernel_settings(env):
    """Kernel culling and the execution timeout of voila.json reach every consultant's server."""
    settings = json.loads((REPO / "voila.json").read_text())
    args = spawner_for(load(PRODUCTION), "alice").args
    for section in ("MappingKernelManager", "VoilaExecutor"):
        for name, value in settings[section].items():
            assert f"--{section}.{name}={value}" in args
    assert "cull_idle_timeout" in settings["MappingKernelManager"]


def test_casemap_layer_works_as_a_tljh_drop_in(env, tmp_path):
    """Symlinked into a jupyterhub_config.d folder, the casemap layer still finds the checkout
    and leaves ports, proxy and database to the installation (TLJH sets those itself)."""
    drop_in = tmp_path / "jupyterhub_config.d" / "casemap.py"
    drop_in.parent.mkdir()
    drop_in.symlink_to(CASEMAP_LAYER)
    hub = load(drop_in)
    assert spawner_for(hub, "alice").notebook_dir == str(REPO / "notebooks")
    assert spawner_for(hub, "alice").default_url == "/voila/render/consultation.ipynb"
    for key in ("bind_url", "db_url", "cookie_secret_file", "hub_bind_url", "proxy_class"):
        assert key not in hub.config.JupyterHub
    assert "ConfigurableHTTPProxy" not in hub.config


def test_voila_json_reaches_the_server_extension(env, monkeypatch, tmp_path):
    """With the JUPYTER_CONFIG_PATH the hub sets, Voila inside a consultant's server (whose
    working folder is their home, not the repository) reads the repository's voila.json."""
    environment = spawner_for(load(PRODUCTION), "alice").environment
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", environment["JUPYTER_CONFIG_PATH"])
    monkeypatch.chdir(tmp_path)
    from voila.server_extension import load_config_file

    settings = json.loads((REPO / "voila.json").read_text())["VoilaConfiguration"]
    assert load_config_file().VoilaConfiguration == settings
