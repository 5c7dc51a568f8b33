"""The house keeps its layers: the import-linter contracts in pyproject.toml hold for the
package, and each contract bites when an import that breaks it is planted (at the top of
a module or inside a function). No module reaches into another's private names."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "hardship_cli"
LINT = Path(sys.executable).with_name("lint-imports")


def lint(where: Path, *, copy: bool = True) -> tuple[int, str]:
    """lint-imports under the project's contracts, run in `where`; with `copy`, on the
    package copied to `where`/src (found before the installed one)."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if copy:
        env["PYTHONPATH"] = str(where / "src")
    done = subprocess.run([str(LINT), "--no-cache", str(REPO / "pyproject.toml")],
                          capture_output=True, text=True, cwd=where, env=env, check=False)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture
def house(tmp_path: Path) -> Path:
    """A copy of the package's modules, to plant imports in."""
    shutil.copytree(PACKAGE, tmp_path / "src" / "hardship_cli",
                    ignore=lambda _, names: [n for n in names
                                             if not (n.endswith(".py") or "." not in n)
                                             or n == "__pycache__"])
    return tmp_path


def plant(house: Path, module: str, source: str) -> None:
    path = house / "src" / (module.replace(".", "/") + ".py")
    path.write_text(textwrap.dedent(source), encoding="utf-8")


def test_the_package_keeps_every_contract(tmp_path: Path) -> None:
    code, out = lint(tmp_path, copy=False)  # the package as installed: this checkout
    assert code == 0, out
    assert "Contracts: 3 kept, 0 broken." in out


def test_the_copy_keeps_them_too(house: Path) -> None:
    """The copy the other tests plant in is linted, not the checkout."""
    code, out = lint(house)
    assert code == 0, out
    plant(house, "hardship_cli.domain.planted", "from hardship_cli.cli import main\n")
    code, out = lint(house)
    assert code == 1
    assert "hardship_cli.domain.planted -> hardship_cli.cli.main (l.1)" in out


def test_an_upward_import_inside_a_function_breaks_the_layers(house: Path) -> None:
    plant(house, "hardship_cli.load.planted", """\
        def checks():
            from hardship_cli.rules import per_record
            return per_record
        """)
    code, out = lint(house)
    assert code == 1
    assert "Layers: the CLI on top" in out and "BROKEN" in out
    assert "hardship_cli.load is not allowed to import hardship_cli.rules" in out
    assert "hardship_cli.load.planted -> hardship_cli.rules.per_record (l.2)" in out


def test_siblings_may_not_import_each_other(house: Path) -> None:
    plant(house, "hardship_cli.report.planted", "from hardship_cli.casework import agenda\n")
    code, out = lint(house)
    assert code == 1
    assert "hardship_cli.report is not allowed to import hardship_cli.casework" in out


def test_a_cycle_inside_a_package_breaks_the_acyclic_contract(house: Path) -> None:
    plant(house, "hardship_cli.domain.planted_a", "from hardship_cli.domain import planted_b\n")
    plant(house, "hardship_cli.domain.planted_b", """\
        def back():
            from hardship_cli.domain import planted_a
            return planted_a
        """)
    code, out = lint(house)
    assert code == 1
    assert "No cycles are allowed in hardship_cli.domain." in out


def test_the_core_may_not_import_a_terminal_library(house: Path) -> None:
    plant(house, "hardship_cli.report.planted", """\
        def pretty():
            import rich
            return rich
        """)
    code, out = lint(house)
    assert code == 1
    assert "The core never imports typer, rich or click" in out
    assert "hardship_cli.report.planted -> rich (l.2)" in out


# No module reaches into another's private names: what is shared is public.

def private_reaches(path: Path) -> list[str]:
    """`from hardship_cli.x import _name`, and `module._name` on a module of the package
    bound by an import, anywhere in the file (inside functions too). `_` is gettext's
    name for "translate", public by convention (hardship_cli.i18n)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    found = []
    for node in ast.walk(tree):
        ours = isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").startswith("hardship_cli"))
        if isinstance(node, ast.ImportFrom) and ours:
            for alias in node.names:
                if alias.name.startswith("_") and alias.name != "_" and (
                        not alias.name.startswith("__")):
                    found.append(f"{path.name}:{node.lineno} imports {alias.name}")
                else:
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names
                           if a.name.startswith("hardship_cli"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in modules and node.attr.startswith("_")
                and node.attr != "_" and not node.attr.startswith("__")):
            found.append(f"{path.name}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names() -> None:
    reaches = {str(p.relative_to(REPO)): private_reaches(p) for p in sorted(PACKAGE.rglob("*.py"))}
    assert {k: v for k, v in reaches.items() if v} == {}


def test_no_test_uses_a_private_name_of_the_package() -> None:
    """Tests go through public names and behaviour, so a module's insides can change."""
    tests = Path(__file__).resolve().parent
    reaches = {p.name: private_reaches(p) for p in sorted(tests.glob("*.py"))}
    assert {k: v for k, v in reaches.items() if v} == {}


def test_the_private_name_check_bites(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(textwrap.dedent("""\
        from hardship_cli.report.tables import header

        def f():
            from hardship_cli.load import yamlio
            from .tables import _charts
            return yamlio._fsync_dir, _charts
        """), encoding="utf-8")
    assert private_reaches(planted) == [
        "planted.py:5 imports _charts",
        "planted.py:6 uses yamlio._fsync_dir",
    ]
