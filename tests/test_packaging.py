"""The wheel is a whole installation (issue 12 item 4, issue 14: `init --demo` from an
installed package): it carries the report templates (`templates/` at the top of the
repository) and the demo records root (`records/`) inside the package, and a
non-editable install renders every report and makes the demo root, away from the checkout.

Slower than most (a wheel built and installed, a few processes: ~10 s); it runs in the
default suite, offline: pip builds without build isolation and installs without an index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import GOLDEN, REPO, TODAY

pytestmark = pytest.mark.slow

# What the build reads: pyproject.toml and the folders it names (tests/ and tools/ are
# not part of the wheel, and a copy keeps the build's own files out of the checkout).
SOURCES = ("pyproject.toml", "README.md", "hardship_cli", "templates", "records")
# Where each source folder lands in the wheel.
SHIPPED_AS = {"hardship_cli": "hardship_cli", "templates": "hardship_cli/templates",
              "records": "hardship_cli/demo"}  # fmt: skip
REPORTS = {
    "monthly": ["monthly", "--month", "2026-10"],
    "annual": ["annual", "--year", "2026"],
    "case": ["case", "HS-2026-0005"],
    "notice": ["notice"],
}
BUILT = ("__pycache__", "*.pyc", "*.egg-info")


def pip(*args: str | Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", *map(str, args)],
        capture_output=True, text=True, check=False,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns(*BUILT))
        else:
            shutil.copy2(REPO / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", out, source)
    (built,) = out.glob("hardship_cli-*.whl")
    return built


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed (not editable) into a folder of its own."""
    target = tmp_path_factory.mktemp("site")
    pip("install", "--no-deps", "--no-index", "-q", "--target", target, wheel)
    return target


def python(site: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Python with the installed package first on its path, run outside the checkout so
    that the source cannot be imported instead; the test venv gives the dependencies."""
    return run([sys.executable, *map(str, args)], site, cwd)


def installed(
    site: Path, *args: str | Path, cwd: Path, script: bool = False
) -> subprocess.CompletedProcess[str]:
    """`hardship ARGS` from the installed package: its console script, or python -m."""
    if script:
        return run([str(site / "bin" / "hardship"), *map(str, args)], site, cwd)
    return python(site, "-m", "hardship_cli", *args, cwd=cwd)


def run(command: list[str], site: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, cwd=cwd, check=False,
        env={**os.environ, "PYTHONPATH": str(site)},
    )  # fmt: skip


def source_files() -> dict[str, Path]:
    """Every file of the checkout that must be in the wheel, under its name there: what
    git tracks or would track (a new module not yet added included, ignored files such
    as caches and a lock left in records/ not)."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others",
         "--exclude-standard", "--", *SHIPPED_AS],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    files = {}
    for rel in sorted(set(filter(None, listed.split("\0")))):
        folder, _, inside = rel.partition("/")
        if (REPO / rel).is_file():  # a tracked file deleted in the checkout is not
            files[f"{SHIPPED_AS[folder]}/{inside}"] = REPO / rel
    return files


def test_the_wheel_carries_the_package_the_templates_and_the_demo(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = {n for n in archive.namelist() if not n.endswith("/")}
        expected = source_files()
        assert sorted(set(expected) - names) == []  # e.g. a subpackage left out of pyproject
        packaged = {n for n in names if not n.startswith("hardship_cli-")}  # not dist-info
        assert sorted(packaged - set(expected)) == []
        for name, path in expected.items():
            assert archive.read(name) == path.read_bytes(), name
    templates = [n for n in expected if n.startswith("hardship_cli/templates/")]
    assert {f"hardship_cli/templates/{k}.{f}.j2" for k in REPORTS for f in ("md", "html")} <= set(
        templates
    )
    demo = [n for n in expected if n.startswith("hardship_cli/demo/")]
    assert "hardship_cli/demo/hardship.yaml" in demo and len(demo) > 300


def test_an_installed_package_makes_the_demo_and_renders_every_report(
    site: Path, tmp_path: Path
) -> None:
    where = python(site, "-c", "import hardship_cli, hardship_cli.shipped as s; "
                   "print(hardship_cli.__file__); print(s.folder('templates')); "
                   "print(s.folder('demo'))", cwd=tmp_path)  # fmt: skip
    assert where.stdout.splitlines() == [
        str(site / "hardship_cli" / "__init__.py"),
        str(site / "hardship_cli" / "templates"),
        str(site / "hardship_cli" / "demo"),
    ]
    shipped_demo = site / "hardship_cli" / "demo"
    for path in [shipped_demo, *shipped_demo.rglob("*")]:  # a read-only install (Nix, a distro)
        path.chmod(0o555 if path.is_dir() else 0o444)
    made = installed(site, "init", "demo", "--demo", "--no-git", cwd=tmp_path, script=True)
    assert made.returncode == 0, made.stderr
    assert made.stderr == "created records root demo\n"
    copied = [tmp_path / "demo", *(tmp_path / "demo").rglob("*")]
    assert len(copied) > 300
    assert [p for p in copied if not p.stat().st_mode & 0o200] == []  # the officers' own
    checked = installed(site, "--root", "demo", "validate", "--today", TODAY, cwd=tmp_path)
    assert (checked.returncode, checked.stdout) == (0, ""), checked.stderr
    # Every report in md and html, in one process (the console script's own entry point),
    # each the same bytes as the golden file the checkout's tests compare with.
    runs = [
        ["--root", "demo", "report", *args, "--today", str(TODAY), "--lang", lang,
         "-o", f"out/{kind}.{lang}.{fmt}"]
        for kind, args in REPORTS.items() for lang in ("zh", "en") for fmt in ("md", "html")
    ]  # fmt: skip
    driver = (
        "import sys\nfrom hardship_cli.cli.main import run\ncodes = []\n"
        f"for args in {runs!r}:\n"
        "    try:\n        run(args)\n    except SystemExit as exc:\n"
        "        codes.append(exc.code)\nprint(codes)\n"
    )
    (tmp_path / "out").mkdir()
    reported = python(site, "-c", driver, cwd=tmp_path)
    assert reported.stdout == f"{[0] * len(runs)}\n", reported.stderr
    for path in sorted((tmp_path / "out").iterdir()):
        assert path.read_bytes() == (GOLDEN / path.name).read_bytes(), path.name
    assert len(list((tmp_path / "out").iterdir())) == 16
    monthly = installed(site, "--root", "demo", "report", "monthly", "--month", "2026-10",
                        "--today", TODAY, cwd=tmp_path, script=True)  # fmt: skip
    assert monthly.returncode == 0, monthly.stderr
    assert monthly.stdout.encode() == (GOLDEN / "monthly.zh.md").read_bytes()


def test_an_installation_without_its_demo_says_so_and_leaves_no_folder(
    site: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "site"
    shutil.copytree(site, broken, ignore=shutil.ignore_patterns("demo", "templates"))
    (tmp_path / "was-here").mkdir()
    for target in ("new", "was-here"):
        made = installed(broken, "init", target, "--demo", cwd=tmp_path)
        assert made.returncode == 2
        assert made.stderr == (
            "hardship: the demo records are missing from this installation (no hardship.yaml "
            f"in {broken}/hardship_cli/demo or {broken}/records)\n"
            "    hint: reinstall hardship: `pip install --force-reinstall` of its wheel or "
            "checkout (`make venv` in a checkout)\n"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "was-here"]
    assert list((tmp_path / "was-here").iterdir()) == []  # was there: stays, as it was
    shutil.copytree(REPO / "records", tmp_path / "demo")
    drawn = installed(broken, "--root", "demo", "report", "notice", cwd=tmp_path)
    assert drawn.returncode == 2
    assert drawn.stderr.startswith(
        "hardship: the shipped report templates are missing from this installation (no "
        f"monthly.md.j2 in {broken}/hardship_cli/templates or {broken}/templates)\n"
    )
