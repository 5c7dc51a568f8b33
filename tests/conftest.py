from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.rootkit import Root

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "records"
TODAY = date(2026, 11, 29)


@pytest.fixture
def root(tmp_path: Path) -> Root:
    """A small valid records root of its own for each test."""
    return Root(tmp_path / "root")


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A private copy of the demo root, safe to change."""
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns(".hardship-cache"))
    return target
