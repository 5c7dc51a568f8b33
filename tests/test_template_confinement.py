"""A root's templates/ stays inside its folder: the attacks of issue 10, item 3.

A records root arrives from others; its templates/ overrides the shipped templates. A
template that is a symbolic link (to a private key, to the password file), a non-regular
file, or a name that climbs out of the folder is refused with exit 2, naming the template
and why, and what it points to never reaches the terminal, the -o file or git.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hardship_cli.report import loader
from tests.clirun import hardship
from tests.conftest import TODAY

SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA hardship-secret-42"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "home" / ".ssh" / "id_rsa"
    path.parent.mkdir(parents=True)
    path.write_text(SECRET + "\n")
    return path


def notice(root: Path, *extra: str | Path):
    return hardship("--root", root, "report", "notice", "--today", str(TODAY), *extra)


def refused(result, message: str) -> None:
    assert result.code == 2, (result.code, result.out, result.err)
    assert result.err.splitlines()[0] == f"hardship: {message}"
    assert "Traceback" not in result.err
    assert "hardship-secret-42" not in result.out + result.err


def git(root: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_a_template_linked_to_a_secret_is_refused(small, secret):
    (small / "templates").mkdir()
    (small / "templates/notice.md.j2").symlink_to(secret)
    refused(
        notice(small),
        "template 'notice.md.j2' refused: templates/notice.md.j2 is a symbolic link",
    )


def test_a_linked_template_is_never_written_nor_committed(small, secret):
    git(small, "init", "-q")
    git(small, "add", "-A")
    git(small, "commit", "-qm", "records")
    (small / "templates").mkdir()
    (small / "templates/monthly.md.j2").symlink_to(secret)
    before = git(small, "rev-parse", "HEAD")
    result = hardship(
        "--root", small, "report", "monthly", "--month", "previous", "--today", "2026-11-01",
        "-o", small / "reports/{month}.md", "--commit",
    )
    refused(
        result, "template 'monthly.md.j2' refused: templates/monthly.md.j2 is a symbolic link"
    )
    assert not (small / "reports/2026-10.md").exists()
    assert git(small, "rev-parse", "HEAD") == before
    assert "hardship-secret-42" not in git(small, "log", "-p", "--all")


def test_a_link_that_stays_inside_the_folder_is_refused_too(small):
    # The rule is simple to audit: no link at all, wherever it points.
    (small / "templates").mkdir()
    (small / "templates/mine.md.j2").write_text("{{ org }}\n")
    (small / "templates/notice.md.j2").symlink_to("mine.md.j2")
    refused(
        notice(small),
        "template 'notice.md.j2' refused: templates/notice.md.j2 is a symbolic link",
    )


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        (
            '{% include "../../secret" %}',
            "template '../../secret' refused: `..` in its name points outside the "
            "templates folder",
        ),
        (
            '{% extends "/etc/passwd" %}',
            "template '/etc/passwd' refused: an absolute name points outside the "
            "templates folder",
        ),
        (
            '{% import "partials/../../../secret" as x %}',
            "template 'partials/../../../secret' refused: `..` in its name points outside "
            "the templates folder",
        ),
        (
            '{% include "..\\\\secret" %}',
            "template '..\\\\secret' refused: its name holds a backslash or a NUL character",
        ),
    ],
)
def test_names_that_leave_the_folder_are_refused(small, tag, message):
    (small / "secret").write_text(SECRET + "\n")
    (small / "templates").mkdir()
    (small / "templates/notice.md.j2").write_text(tag + "\n")
    refused(notice(small), message)


def test_a_linked_templates_folder_is_refused(small, tmp_path, secret):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notice.md.j2").symlink_to(secret)  # not even reached
    (small / "templates").symlink_to(elsewhere)
    refused(
        notice(small),
        "template 'notice.md.j2' refused: the root's templates/ folder is a symbolic link",
    )


def test_a_linked_folder_inside_templates_is_refused(small):
    (small / "templates/partials").mkdir(parents=True)
    (small / "templates/partials/etc").symlink_to("/etc")
    (small / "templates/notice.md.j2").write_text('{% include "partials/etc/passwd" %}\n')
    result = notice(small)
    refused(
        result,
        "template 'partials/etc/passwd' refused: templates/partials/etc is a symbolic link",
    )
    assert "root:" not in result.out


def test_a_named_pipe_is_refused_not_waited_on(small):
    (small / "templates").mkdir()
    os.mkfifo(small / "templates/notice.md.j2")
    refused(
        notice(small), "template 'notice.md.j2' refused: templates/notice.md.j2 is a named pipe"
    )


def test_a_folder_or_a_file_in_the_way_is_refused(small):
    (small / "templates/notice.md.j2").mkdir(parents=True)
    refused(notice(small), "template 'notice.md.j2' refused: templates/notice.md.j2 is a folder")
    (small / "templates/notice.md.j2").rmdir()
    (small / "templates").rmdir()
    (small / "templates").write_text("not a folder\n")
    refused(
        notice(small),
        "template 'notice.md.j2' refused: the root's templates/ folder is a file, not a folder",
    )


def test_a_template_larger_than_the_limit_is_refused(small, monkeypatch):
    monkeypatch.setattr(loader, "MAX_TEMPLATE_BYTES", 1000)
    (small / "templates").mkdir()
    (small / "templates/notice.md.j2").write_text("{{ org }}\n" + "x" * 1000)
    refused(
        notice(small),
        "template 'notice.md.j2' refused: templates/notice.md.j2 has 1,010 bytes, "
        "more than 1,000",
    )


def test_the_default_limit_is_a_megabyte(small):
    (small / "templates").mkdir()
    (small / "templates/notice.md.j2").write_text("{{ org }}\n" + "x" * 1_000_000)
    result = notice(small)
    assert result.code == 2 and "more than 1,000,000" in result.err


def test_a_normal_override_with_partials_still_works(small):
    (small / "templates/partials").mkdir(parents=True)
    (small / "templates/partials/count.md.j2").write_text("{{ rows|length }} on notice")
    (small / "templates/notice.md.j2").write_text(
        '{% import "_macros.md.j2" as m %}{{ org }}: {% include "partials/count.md.j2" %}, today\n'
    )
    result = notice(small)
    assert result.code == 0, result.err
    assert result.out == "测试县烟草工会: 1 on notice, today\n"


def test_the_shipped_templates_work_beside_a_root_templates_folder(small):
    (small / "templates").mkdir()
    (small / "templates/other.md.j2").write_text("unused\n")
    result = hardship(
        "--root", small, "report", "case", "HS-2026-0002", "--format", "html",
        "--today", str(TODAY),
    )
    assert result.code == 0, result.err
    assert result.out.startswith("<!DOCTYPE html>")
