"""The cache's key is computed from the source, never listed by hand: an upgrade that
changes any module (an enumeration in enums.py, which the hand-kept list missed) makes
every cached record and kept check a miss, so a warm run answers what a cold one does."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import hardship_cli
from hardship_cli import rules
from hardship_cli.load import cache
from tests.rootkit import Root

PACKAGE = Path(hardship_cli.__file__).resolve().parent
REPO = PACKAGE.parent


def copy_package(target: Path) -> Path:
    """A copy of the installed package's source, as an upgrade would lay it down."""
    folder = target / "hardship_cli"
    shutil.copytree(PACKAGE, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_package_digest_covers_every_module_and_only_the_source(tmp_path: Path) -> None:
    folder = copy_package(tmp_path / "v1")
    before = cache.package_digest(folder)
    assert cache.package_digest(folder) == before  # the same bytes, the same key

    edit(folder / "domain" / "enums.py", '    migrant = "migrant"\n',
         '    migrant = "migrant"\n    gig = "gig"\n')
    after_enum = cache.package_digest(folder)
    assert after_enum != before

    (folder / "rules" / "newrule.py").write_text("RULE = 1\n", encoding="utf-8")
    after_new = cache.package_digest(folder)
    assert after_new != after_enum  # a module added in a subpackage counts

    (folder / "rules" / "newrule.py").rename(folder / "rules" / "other.py")
    assert cache.package_digest(folder) != after_new  # so does its name

    (folder / "__pycache__").mkdir(exist_ok=True)
    (folder / "__pycache__" / "enums.cpython-311.pyc").write_bytes(b"compiled")
    (folder / "notes.txt").write_text("not code", encoding="utf-8")
    assert cache.package_digest(folder) == cache.package_digest(folder)
    renamed_back = cache.package_digest(folder)
    (folder / "notes.txt").write_text("other text", encoding="utf-8")
    assert cache.package_digest(folder) == renamed_back  # compiled files, other files: not


def test_the_running_package_is_what_the_key_is_made_of() -> None:
    assert cache.source_digest() == cache.package_digest(PACKAGE)


def test_a_package_whose_source_cannot_be_read_is_never_trusted(tmp_path: Path) -> None:
    """No source found (a zipped install) or a module that cannot be read: a key no run
    shares, so the cache is a miss every time, never a stale hit."""
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cache.package_digest(empty) != cache.package_digest(empty)
    folder = copy_package(tmp_path / "v1")
    (folder / "domain" / "enums.py").unlink()
    (folder / "domain" / "enums.py").mkdir()  # there, but not readable as a file
    assert cache.package_digest(folder) != cache.package_digest(folder)


def test_both_keys_change_with_enums_py(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shards' fingerprint and the kept checks' digest both follow an enums.py edit
    (the parse cache's hand-kept list left enums.py out)."""
    fingerprint = cache.fingerprint()
    checks = rules.per_record.digest(b"a: 1\n")
    real = Path.read_bytes

    def upgraded(path: Path) -> bytes:
        return real(path) + (b"\n# a value added\n" if path.name == "enums.py" else b"")

    monkeypatch.setattr(Path, "read_bytes", upgraded)
    # worked out again (uncached) while the test lasts
    monkeypatch.setattr(cache, "source_digest", cache.source_digest.__wrapped__)
    monkeypatch.setattr(cache, "fingerprint", cache.fingerprint.__wrapped__)
    assert cache.fingerprint() != fingerprint
    assert rules.per_record.digest(b"a: 1\n") != checks


# ---------------------------------------------------------------------------------------
# End to end: a package upgraded in place (its enums.py gains a value), the same root,
# the same cache folder.


def run_from(package_parent: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [sys.executable, "-m", "hardship_cli", *map(str, args)],
        capture_output=True, text=True, cwd=package_parent, env=env, check=False,
    )


def validate(package_parent: Path, root: Path, *flags: str) -> tuple[int, list[dict], str]:
    """(exit code, problems, how many of the files came from the cache: all, none, some)."""
    done = run_from(
        package_parent, "--root", root, "-v", *flags, "validate", "--today", "2026-11-29",
        "--format", "json",
    )
    assert done.returncode in (0, 1), done.stderr
    counts = re.search(r"read (\d+) files, (\d+|cache not used)", done.stderr)
    assert counts, done.stderr
    read, cached = int(counts[1]), int(counts[2]) if counts[2].isdigit() else 0
    share = "none" if cached == 0 else "all" if cached == read else "some"
    return done.returncode, json.loads(done.stdout), share


def bad_values(problems: list[dict]) -> list[dict]:
    return [p for p in problems if p["code"] == "bad-value"]


def test_an_enum_value_added_by_an_upgrade_is_seen_by_a_warm_validate(tmp_path: Path) -> None:
    """The package is upgraded in place: its enums.py gains the value a record already
    uses. The warm run must not repeat the old `bad-value` the cold run no longer finds."""
    root = Root(tmp_path / "root")
    root.replace("cases/HS-2026-0001.yaml", "employment: on_job", "employment: gig")
    past = time.time() - 60  # old enough to be cached
    for folder, _dirs, files in os.walk(root.path):
        for name in files:
            os.utime(Path(folder) / name, (past, past))
    installed = tmp_path / "site"
    package = copy_package(installed)
    probe = subprocess.run(
        [sys.executable, "-c", "import hardship_cli; print(hardship_cli.__file__)"],
        capture_output=True, text=True, cwd=installed,
        env={**os.environ, "PYTHONPATH": str(installed)}, check=True,
    )
    assert Path(probe.stdout.strip()).parent == package  # the copy runs, not the checkout

    code, cold, _ = validate(installed, root.path, "--no-cache")
    assert code == 1 and [p["path"] for p in bad_values(cold)] == ["cases/HS-2026-0001.yaml"]
    validate(installed, root.path)  # fills the cache
    assert validate(installed, root.path) == (code, cold, "all")  # warm

    edit(package / "domain" / "enums.py", '    migrant = "migrant"\n',
         '    migrant = "migrant"\n    gig = "gig"\n')
    code, upgraded_cold, _ = validate(installed, root.path, "--no-cache")
    assert bad_values(upgraded_cold) == []
    assert validate(installed, root.path) == (code, upgraded_cold, "none")  # old cache: a miss
    assert validate(installed, root.path) == (code, upgraded_cold, "all")  # the new one


# ---------------------------------------------------------------------------------------
# Start-up: the key is worked out only when the cache is used.

PROBE = """
import sys
from hardship_cli.cli.main import run
try:
    run(sys.argv[1:])
except SystemExit:
    pass
cache = sys.modules.get("hardship_cli.load.cache")
print("computed" if cache is not None and cache.source_digest.cache_info().currsize else "not",
      file=sys.stderr)
"""


def digest_computed(*args: str | Path) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *map(str, args)],
        capture_output=True, text=True, cwd=REPO, check=False,
    )
    return done.stderr.strip().splitlines()[-1] == "computed"


def test_help_and_no_cache_do_not_hash_the_source(tmp_path: Path) -> None:
    root = Root(tmp_path / "root")
    assert not digest_computed("--help")
    assert not digest_computed("validate", "--help")
    assert not digest_computed("--root", root.path, "--no-cache", "validate")
    assert digest_computed("--root", root.path, "validate")  # the cache used: the key made
