from __future__ import annotations

import os
import shutil
import tempfile
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


# ---------------------------------------------------------------------------------------
# Golden files: what people read is compared byte for byte with tests/golden/.
# Refresh them on purpose with `pytest --update-golden`, then read the diff before
# committing it.

GOLDEN = REPO / "tests" / "golden"
SMALL = REPO / "tests" / "roots" / "small"


# ---------------------------------------------------------------------------------------
# The parse cache of every test (and of every `hardship` process a test starts) lives in
# one temporary folder of the session, never in the user's ~/.cache.

_CACHE_HOME: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _CACHE_HOME
    _CACHE_HOME = tempfile.mkdtemp(prefix="hardship-test-cache-")
    os.environ["HARDSHIP_CACHE_DIR"] = _CACHE_HOME
    # The terminal speaks English in tests unless a test asks for another language
    # (--lang, or HARDSHIP_LANG removed to see the root's locale decide): the demo root
    # says `locale: zh-CN`, and most tests read the English messages.
    os.environ["HARDSHIP_LANG"] = "en"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE_HOME is not None:
        shutil.rmtree(_CACHE_HOME, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from what the code produces now.",
    )


class Golden:
    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, name: str, produced: bytes | str) -> None:
        data = produced.encode("utf-8") if isinstance(produced, str) else produced
        path = GOLDEN / name
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        assert path.exists(), f"no golden file {name}: run pytest --update-golden"
        expected = path.read_bytes()
        if data != expected:
            import difflib

            diff = "".join(
                list(
                    difflib.unified_diff(
                        expected.decode("utf-8", "replace").splitlines(True),
                        data.decode("utf-8", "replace").splitlines(True),
                        f"golden/{name}",
                        "produced",
                    )
                )[:60]
            )
            raise AssertionError(f"{name} differs from its golden file:\n{diff}")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--update-golden")))


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A private copy of the small hand-counted root (tests/roots/small), not in git."""
    target = tmp_path / "small"
    shutil.copytree(SMALL, target)
    return target
