"""nbval setup for the notebooks: run them on a temporary copy of the demo cases.

The kernel nbval starts inherits this environment, so ``CASEMAP_HOME`` points it at the copy and
nothing the notebooks do touches the repository's casefiles. Stored outputs come from the demo
cases only.
"""

import os
import shutil
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    home = Path(tempfile.mkdtemp(prefix="casemap-nbval-"))
    shutil.copytree(REPO / "casefiles" / "demo", home / "casefiles" / "demo")
    os.environ["CASEMAP_HOME"] = str(home / "casefiles")
    os.environ["CASEMAP_EXPORTS"] = str(home / "exports")
    os.environ.pop("QUERY_STRING", None)
    if not getattr(config.option, "nbval_sanitize_with", None):
        config.option.nbval_sanitize_with = str(REPO / "tests" / "notebooks" / "sanitize.cfg")
    config.option.nbval_current_env = True


def pytest_collectstart(collector):
    # Warnings on stderr (deprecations in Jupyter libraries) are not the notebook's output.
    if hasattr(collector, "skip_compare"):
        collector.skip_compare = (*collector.skip_compare, "stderr")
