"""The suite itself never passes or fails by chance: a hang is a failure with a stack, not
a stuck run; browser tests skipped only where no browser was meant to be."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.browser import REQUIRE

REPO = Path(__file__).resolve().parents[1]


def pytest_run(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", *map(str, args)],
        capture_output=True, text=True, cwd=REPO, env=env, check=False,
    )
    return done.returncode, done.stdout + done.stderr


def test_the_suite_has_a_timeout(pytestconfig: pytest.Config) -> None:
    assert float(pytestconfig.getini("timeout")) == 300
    assert pytestconfig.getini("timeout_method") == "signal"


def test_a_hanging_test_fails_with_its_stack_and_the_run_goes_on(tmp_path: Path) -> None:
    """Under the project's own configuration (only the limit shortened to 2 s): a test that
    waits forever on a pipe fails, and the test after it still runs."""
    test = tmp_path / "test_hang.py"
    test.write_text(textwrap.dedent(
        """\
        import os

        def test_waits_forever():
            read, _write = os.pipe()
            os.read(read, 1)

        def test_after():
            assert os.getpid() > 0  # any passing test: it shows the run went on
        """
    ), encoding="utf-8")  # fmt: skip
    code, out = pytest_run(
        "-c", REPO / "pyproject.toml", "--rootdir", tmp_path, "-o", "timeout=2", test
    )
    assert code == 1, out
    assert "Timeout" in out and "test_waits_forever" in out
    assert "1 failed, 1 passed" in out


def without_browser(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment with no browser on PATH (an empty folder)."""
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != REQUIRE}
    return {**env, "PATH": str(empty), **extra}


def test_browser_tests_skip_where_no_browser_was_installed(tmp_path: Path) -> None:
    code, out = pytest_run("tests/test_report_browser.py", env=without_browser(tmp_path))
    assert code == 0, out
    assert "8 skipped" in out


def test_browser_tests_fail_where_the_browser_was_meant_to_be_installed(tmp_path: Path) -> None:
    """.ci/run sets HARDSHIP_REQUIRE_BROWSER=1 once chromium is installed: from then on a
    browser that cannot be found fails the tests, never skips them."""
    code, out = pytest_run(
        "tests/test_report_browser.py", env=without_browser(tmp_path, **{REQUIRE: "1"})
    )
    assert code == 1, out
    assert "skipped" not in out
    assert (
        "HARDSHIP_REQUIRE_BROWSER=1 says a headless browser was installed, but none of "
        "chromium, chromium-browser, google-chrome, chrome is on PATH"
    ) in out


def test_ci_requires_the_browser_it_installed() -> None:
    """The rule is explicit in .ci/run: the variable is set only where chromium is there."""
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    rule = "if command -v chromium >/dev/null 2>&1; then\n  export HARDSHIP_REQUIRE_BROWSER=1\nfi"
    assert rule in script
    assert script.index("HARDSHIP_REQUIRE_BROWSER=1") < script.index("make test")
