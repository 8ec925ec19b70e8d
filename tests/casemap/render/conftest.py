"""Fixtures for the render tests: fictional generated cases from benchmarks/gen.py."""

from __future__ import annotations

import pytest

from benchmarks.gen import make_case
from casemap.model import Case


@pytest.fixture(scope="session")
def generated_case() -> Case:
    """A 300-record fictional case: the density the timeline must stay readable at."""
    return make_case(300, seed=3)
