"""The office PC runs Windows: no POSIX-only call outside hardship_cli/portable.py, output
that never dies on an encoding, edits that keep a file's CRLF and BOM, and the fallbacks
a Windows run takes (no cache, templates checked by path) giving the same results."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hardship_cli import portable
from hardship_cli.load import store
from hardship_cli.report import loader
from tests.clirun import REPO, hardship

PACKAGE = REPO / "hardship_cli"
POSIX_MODULES = {"fcntl", "pwd", "grp", "termios", "resource", "posix", "tty", "pty", "msvcrt"}
POSIX_NAMES = {"O_NOFOLLOW", "O_DIRECTORY", "O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC", "getuid",
               "geteuid", "getgid", "getpwuid", "O_BINARY"}


def platform_calls(path: Path) -> list[str]:
    """Imports of a module one OS lacks, and `os.<flag or call>` one OS lacks."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names
                      if a.name.split(".")[0] in POSIX_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
                POSIX_MODULES):
            found.append(f"{node.lineno}: from {node.module} import")
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id == "os" and node.attr in POSIX_NAMES):
            found.append(f"{node.lineno}: os.{node.attr}")
    return found


def test_only_portable_names_what_one_os_lacks() -> None:
    found = {
        str(p.relative_to(REPO)): platform_calls(p)
        for p in sorted(PACKAGE.rglob("*.py")) if p.name != "portable.py"
    }
    assert {k: v for k, v in found.items() if v} == {}


def test_the_check_bites(tmp_path: Path) -> None:
    planted = tmp_path / "m.py"
    planted.write_text("import os\nimport fcntl\n\nFLAGS = os.O_RDONLY | os.O_NOFOLLOW\n")
    assert platform_calls(planted) == ["2: import fcntl", "4: os.O_NOFOLLOW"]


def test_portable_says_what_this_os_has() -> None:
    if sys.platform == "win32":
        assert portable.O_NOFOLLOW == 0 and not portable.SAFE_FOLDERS
    else:
        assert portable.O_NOFOLLOW == os.O_NOFOLLOW and portable.SAFE_FOLDERS
        assert portable.uid() == os.geteuid()


# ---------------------------------------------------------------------------------------
# Output that never dies on an encoding


@pytest.mark.parametrize("encoding", ["ascii", "gbk"])
@pytest.mark.parametrize(
    "args",
    [["summary"], ["validate"], ["budget", "--today", "2026-11-29"],
     ["review", "list", "--today", "2026-11-29"]],
    ids=["summary", "validate", "budget", "review-list"],
)
def test_a_console_that_cannot_show_a_character(
    demo_copy: Path, encoding: str, args: list[str]
) -> None:
    def run(env_encoding: str) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, "PYTHONIOENCODING": env_encoding}
        return subprocess.run(
            [sys.executable, "-m", "hardship_cli", "--lang", "zh", "--root", str(demo_copy),
             *args], capture_output=True, env=env, cwd=REPO, check=False,
        )

    usual = run("utf-8")
    odd = run(encoding)
    assert odd.returncode == usual.returncode, odd.stderr.decode(encoding, "replace")
    assert b"UnicodeEncodeError" not in odd.stderr
    text = odd.stdout.decode(encoding)  # what was written is the console's own encoding
    if encoding == "gbk":  # Chinese is shown as it is (the table's lines may be ASCII)
        chinese = {c for c in usual.stdout.decode("utf-8") if "\u4e00" <= c <= "\u9fff"}
        assert chinese <= set(text)


# ---------------------------------------------------------------------------------------
# An edit keeps the file's line endings and byte-order mark


def test_an_approved_crlf_record_keeps_crlf_on_every_line(demo_copy: Path) -> None:
    rel = "grants/2026/GR-2026-0104.yaml"
    path = demo_copy / rel
    lf = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + lf.replace(b"\n", b"\r\n"))
    subprocess.run(["git", "-C", str(demo_copy), "init", "-q"], check=True)
    done = hardship("--root", demo_copy, "review", "approve", "GR-2026-0104", "--as", "王芳",
                    "--today", "2026-11-29", "--no-commit")
    assert done.code == 0, done.err
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    lines = after[3:].split(b"\n")
    assert lines[-1] == b"" and len(lines) > len(lf.split(b"\n"))  # lines were added
    assert all(line.endswith(b"\r") for line in lines[:-1])
    # Nothing else changed: the same edit on the LF file, in CRLF.
    assert hardship("--root", demo_copy, "validate").code == 0


def test_an_lf_record_stays_lf(demo_copy: Path) -> None:
    path = demo_copy / "grants/2026/GR-2026-0104.yaml"
    done = hardship("--root", demo_copy, "review", "approve", "GR-2026-0104", "--as", "王芳",
                    "--today", "2026-11-29", "--no-commit")
    assert done.code == 0, done.err
    assert b"\r" not in path.read_bytes() and not path.read_bytes().startswith(b"\xef")


# ---------------------------------------------------------------------------------------
# What a Windows run does instead, on this machine


def test_without_safe_folders_there_is_no_cache_and_the_same_records(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.load(demo_copy)
    usual = store.load(demo_copy)  # warm: from the cache
    assert usual.loading.cached > 0
    monkeypatch.setattr(portable, "SAFE_FOLDERS", False)
    windows = store.load(demo_copy)
    assert windows.loading.cached == 0
    assert sorted(windows.cases) == sorted(usual.cases)
    assert windows.problems == usual.problems


def test_without_safe_folders_templates_are_still_confined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portable, "SAFE_FOLDERS", False)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "monthly.md.j2").write_text("ok {{ x }}", encoding="utf-8")
    assert loader.read_confined(folder, ["monthly.md.j2"], "monthly.md.j2")[0] == "ok {{ x }}"
    assert loader.read_confined(folder, ["absent.md.j2"], "absent.md.j2") is None
    outside = tmp_path / "outside.j2"
    outside.write_text("secret", encoding="utf-8")
    (folder / "link.md.j2").symlink_to(outside)
    with pytest.raises(Exception) as refused:
        loader.read_confined(folder, ["link.md.j2"], "link.md.j2")
    assert "templates/link.md.j2" in str(refused.value) or "link" in str(refused.value)
