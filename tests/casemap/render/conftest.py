"""Fixtures for the render tests: fictional generated cases (benchmarks/gen.py) and the demos."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.gen import make_case
from casemap.model import Case, parse_case

DEMO = Path(__file__).resolve().parents[3] / "casefiles" / "demo"


@pytest.fixture(scope="session")
def generated_case() -> Case:
    """A 300-record fictional case: the density the timeline must stay readable at."""
    return make_case(300, seed=3)


def load_demo(name: str) -> Case:
    return parse_case(json.loads((DEMO / f"{name}.json").read_text(encoding="utf-8")))
