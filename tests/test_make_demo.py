"""Issue 14: `make demo` ends by saying which one file to open first, and that file exists."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clirun import REPO

VENV = Path(sys.executable).parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_ends_with_the_file_to_open_first(tmp_path: Path):
    root = tmp_path / "records"
    shutil.copytree(REPO / "records", root, ignore=shutil.ignore_patterns(".hardship-cache"))
    reports = tmp_path / "reports"
    stamp = VENV / ".installed"
    done = subprocess.run(
        ["make", "-s", "-C", str(REPO), "-o", str(stamp), "demo", f"VENV={VENV}",
         f"ROOT={root}", f"DEMO_REPORTS={reports}"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    first = reports / "monthly-2026-10.zh.html"
    assert last.startswith(f"先打开 / open first: {first} "), last
    assert first.is_file()
