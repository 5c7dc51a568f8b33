"""Odd files are problems, not hangs; the terminal shows what the records hold, never acts
on it; the machine's refusals are said in plain words (issue 10, items 6 and 7).

Written as the attacks: a named pipe, a socket or a symbolic link where a record belongs,
a folder of records linked outside the root, a record nested 65 to 100,000 levels deep,
an ID typed with an escape sequence, a read-only root and a full disk."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hardship_cli.edit import atomic
from hardship_cli.load import (
    cache,
    cache_folder,
    fastyaml,
    files,
    key_lines,
    odd_files,
    parsing,
    store,
    strict,
)
from hardship_cli.problems import ConfigError, Problem, os_error, printable
from tests.clirun import REPO, Result, hardship
from tests.test_incremental import age, load_with_workers, make_root, workers
from tests.workflow_fixtures import CONFIG, active_case, cli, git, propose
from tests.workflow_fixtures import make_root as make_casework_root

SECRET = "SECRET-4711"
GRANT = "grants/2026/GR-2026-9999.yaml"
CASE = "cases/HS-2026-0001.yaml"
LINK_HINT = (
    "put the real file or folder here in place of the link (git keeps a link as a link, "
    "so the records it points to are not in the repository)"
)
ODD_HINT = "delete it; a record is a regular YAML file"


# A regression that opens a named pipe for reading fails its test (pytest-timeout) instead
# of hanging the suite; sooner than the suite's own limit.
pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return make_root(tmp_path, "small")


def process(root: Path, *args: str, timeout: float = 120) -> Result:
    """The console script in its own process, killed (and the test failed) if it hangs."""
    done = subprocess.run(
        [sys.executable, "-m", "hardship_cli", "--root", str(root), *args],
        capture_output=True, text=True, cwd=REPO, check=False, timeout=timeout,
    )  # fmt: skip
    return Result(done.returncode, done.stdout, done.stderr)


# ---------------------------------------------------------------------------------------
# Named pipes, sockets, devices and links where a record belongs


def link_problem(rel: str, kind: str = "file") -> Problem:
    return Problem(
        rel,
        None,
        "symlink",
        f"the {kind} is a symbolic link; records are read only from real {kind}s inside the "
        "root, never through a link",
        LINK_HINT,
    )


def fifo(root: Path, tmp_path: Path) -> Problem:
    os.mkfifo(root / GRANT)
    message = "this is a named pipe (FIFO), not a record file; it was not read"
    return Problem(GRANT, None, "not-a-file", message, ODD_HINT)


_SOCKETS: list[socket.socket] = []


def unix_socket(root: Path, tmp_path: Path) -> Problem:
    here = os.getcwd()
    os.chdir(root / "grants" / "2026")  # a socket's path is short; the test's is not
    try:
        server = socket.socket(socket.AF_UNIX)
        server.bind(Path(GRANT).name)
        _SOCKETS.append(server)
    finally:
        os.chdir(here)
    return Problem(
        GRANT, None, "not-a-file", "this is a socket, not a record file; it was not read", ODD_HINT
    )


def outside_grant(tmp_path: Path) -> Path:
    """A grant file outside the root whose value a message would echo."""
    outside = tmp_path / "outside" / "GR-2026-9999.yaml"
    outside.parent.mkdir(exist_ok=True)
    outside.write_text(
        f"id: GR-2026-9999\ncase: HS-2026-0001\nkind: {SECRET}\namount: 10.00\nfund: union\n"
        "status: proposed\nproposed: {by: 工会干事, on: 2026-03-01}\n",
        encoding="utf-8",
    )
    return outside


def linked_file(root: Path, tmp_path: Path) -> Problem:
    (root / GRANT).symlink_to(outside_grant(tmp_path))
    return link_problem(GRANT)


def linked_year(root: Path, tmp_path: Path) -> Problem:
    """grants/2026 moved outside the root, a link left in its place."""
    outside = tmp_path / "outside-2026"
    shutil.move(root / "grants" / "2026", outside)
    shutil.copy(outside_grant(tmp_path), outside / "GR-2026-9999.yaml")
    (root / "grants" / "2026").symlink_to(outside)
    return link_problem("grants/2026", "folder")


def linked_grants(root: Path, tmp_path: Path) -> Problem:
    outside = tmp_path / "outside-grants"
    shutil.move(root / "grants", outside)
    shutil.copy(outside_grant(tmp_path), outside / "2026" / "GR-2026-9999.yaml")
    (root / "grants").symlink_to(outside)
    return link_problem("grants", "folder")


PLANTS: dict[str, Callable[[Path, Path], Problem]] = {
    "fifo": fifo,
    "socket": unix_socket,
    "linked file": linked_file,
    "linked year folder": linked_year,
    "linked grants folder": linked_grants,
}

# cold: no cache; first: writing it; second: the cache written with the odd file there;
# warm: a cache of the clean root, the odd file planted after; workers: cold, in worker
# processes; libyaml: the reference parser alone.
WAYS = ("cold", "first", "second", "warm", "workers", "libyaml")


def load_planted(root: Path, tmp_path: Path, way: str, plant: str) -> tuple[Any, Problem]:
    cache_folder.clear(root)
    if way == "warm":
        store.load(root, cache=True)
        assert cache.read_shard(root, "grants/2026")
    expected = PLANTS[plant](root, tmp_path)
    if way in ("cold", "warm", "first", "second"):
        records = store.load(root, cache=way != "cold")
        if way == "second":
            records = store.load(root, cache=True)
        if way == "warm" and plant in ("fifo", "socket", "linked file"):
            assert records.loading.cached == records.files - 1  # the rest from the cache
    elif way == "workers":
        records = load_with_workers(root, cache=False)
    else:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("HARDSHIP_PARSER", "libyaml")
            records = store.load(root, cache=False)
    return records, expected


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("plant", PLANTS)
def test_an_odd_file_where_a_record_belongs_is_a_problem_never_read(
    small: Path, tmp_path: Path, way: str, plant: str
) -> None:
    """A pipe is not opened (it would hang), a socket not read, a link not followed: each
    is one problem at its path, in every way of loading, and a value behind a link never
    reaches a message."""
    records, expected = load_planted(small, tmp_path, way, plant)
    odd = [p for p in records.problems if p.code in ("symlink", "not-a-file")]
    assert odd == [expected]
    assert "GR-2026-9999" not in records.grant_facts()
    assert SECRET not in repr(records.problems)
    if plant.startswith("linked") and plant != "linked file":
        # the folder's own grants are not read either: git sees them deleted
        assert not any(key.startswith("GR-2026-") for key in records.grant_facts())


def test_a_folder_named_like_a_record_is_still_left_out_quietly(small: Path) -> None:
    (small / GRANT).mkdir()
    for cached in (False, True, True):
        records = store.load(small, cache=cached)
        assert not [p for p in records.problems if p.path == GRANT]


def test_open_regular_refuses_a_device_a_pipe_and_a_link_before_reading(tmp_path: Path) -> None:
    """A device (no device node can be made here: /dev/null is one everywhere)."""
    with pytest.raises(odd_files.OddFile) as device:
        files.read_bytes("/dev/null")
    assert (device.value.code, device.value.what) == ("not-a-file", "a device")
    assert device.value.message == "/dev/null is a device; it was not read"
    with pytest.raises(odd_files.OddFile) as read:
        parsing.read_keyed("/dev/zero")  # would never end if it were read
    assert read.value.what == "a device"
    assert odd_files.odd_kind(stat.S_IFBLK | 0o600) == ("a device", "not-a-file")
    assert odd_files.odd_kind(stat.S_IFCHR | 0o600) == ("a device", "not-a-file")
    assert odd_files.odd_kind(stat.S_IFREG | 0o600) is None
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    with pytest.raises(odd_files.OddFile) as fifo_error:
        files.read_bytes(pipe)
    assert fifo_error.value.what == "a named pipe (FIFO)"
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "pipe.yaml")
    with pytest.raises(odd_files.OddFile) as link_error:
        files.read_bytes(link)
    assert link_error.value.code == "symlink"
    assert parsing.read_keyed(str(tmp_path)) == (b"", False)  # a folder: left out, as before


def planted_root(tmp_path: Path, plant: str) -> Path:
    root = make_root(tmp_path, "small")
    PLANTS[plant](root, tmp_path)
    return root


@pytest.mark.parametrize("plant", ["fifo", "linked file"])
def test_validate_budget_and_review_list_do_not_hang_on_a_pipe(tmp_path: Path, plant: str) -> None:
    """The attack as a user meets it: each command in its own process, killed after two
    minutes (a hang fails the test); cold, then with the cache it wrote."""
    root = planted_root(tmp_path, plant)
    where = f"{GRANT}: {'not-a-file' if plant == 'fifo' else 'symlink'} "
    for _run in ("cold", "warm"):
        checked = process(root, "validate")
        assert checked.code == 1, checked.err
        assert where in checked.out
        assert "unexpected" not in checked.err
        budget = process(root, "budget", "--year", "2026", "--today", "2026-11-29")
        assert "unexpected" not in budget.err and budget.code in (0, 1), budget.err
        assert f"first: {GRANT}" in budget.err
        waiting = process(root, "review", "list", "--today", "2026-11-29")
        assert waiting.code == 0, waiting.err
    assert SECRET not in checked.out + checked.err + budget.out + budget.err


def test_hardship_yaml_as_a_pipe_or_a_link_is_a_configuration_error(small: Path) -> None:
    config = small / "hardship.yaml"
    real = small.parent / "real-hardship.yaml"
    shutil.move(config, real)
    os.mkfifo(config)
    result = hardship("--root", small, "validate")
    assert (result.code, result.err) == (
        2, f"hardship: {config} is a named pipe (FIFO); it was not read\n    hint: {ODD_HINT}\n"
    )  # fmt: skip
    config.unlink()
    config.symlink_to(real)
    result = hardship("--root", small, "validate")
    assert (result.code, result.err) == (
        2, f"hardship: {config} is a symbolic link; it was not read\n    hint: {LINK_HINT}\n"
    )  # fmt: skip


# ---------------------------------------------------------------------------------------
# Casework never writes through a link


@pytest.fixture
def union(tmp_path: Path) -> Path:
    root = make_casework_root(tmp_path)
    active_case(root)
    return root


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("linked", ["grants", "grants/2026"])
def test_add_grant_refuses_a_linked_grants_folder_and_writes_nothing_outside(
    union: Path, tmp_path: Path, linked: str
) -> None:
    propose(union, "HS-2026-0001", "300")
    outside = tmp_path / "elsewhere"
    shutil.move(union / linked, outside)
    (union / linked).symlink_to(outside)
    before = files_under(outside)
    result = cli(
        union, "add", "grant", "--as", "李明", "--case", "HS-2026-0001", "--kind", "medical",
        "--amount", "200", "--fund", "union", "--reason", "帮扶", "--on", "2026-03-02",
        "--no-commit",
    )  # fmt: skip
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"hardship: {linked} is a symbolic link; nothing was written\n    hint: {LINK_HINT}\n"
    )
    assert files_under(outside) == before


def test_an_action_on_a_linked_record_is_refused_and_its_target_untouched(
    union: Path, tmp_path: Path
) -> None:
    grant_id = propose(union, "HS-2026-0001", "300")
    rel = f"grants/2026/{grant_id}.yaml"
    target = tmp_path / "target.yaml"
    shutil.move(union / rel, target)
    (union / rel).symlink_to(target)
    before = target.read_bytes()
    result = cli(union, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    assert result.code == 1
    assert result.err == (
        f"hardship: {rel}: the file is a symbolic link; records are read only from real files "
        f"inside the root, never through a link; nothing was written\n    hint: {LINK_HINT}\n"
    )
    assert target.read_bytes() == before
    assert (union / rel).is_symlink()


def test_record_file_and_atomic_create_refuse_links(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "cases").mkdir(parents=True)
    target = tmp_path / "x.yaml"
    target.write_text("id: HS-2026-0001\n", encoding="utf-8")
    (root / CASE).symlink_to(target)
    with pytest.raises(odd_files.OddFile) as opened:
        atomic.RecordFile(root / CASE, CASE)
    assert opened.value.message == f"{CASE} is a symbolic link; nothing was written"
    (root / CASE).unlink()
    (root / CASE).write_text("id: HS-2026-0001\n", encoding="utf-8")
    edited = atomic.RecordFile(root / CASE, CASE)
    (root / CASE).unlink()
    (root / CASE).symlink_to(target)  # made a link between reading and writing
    with pytest.raises(odd_files.OddFile):
        edited.save("id: HS-2026-0001\nnotes: x\n")
    assert target.read_text(encoding="utf-8") == "id: HS-2026-0001\n"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "visits").symlink_to(elsewhere)
    with pytest.raises(odd_files.OddFile) as created:
        atomic.atomic_create(root / "visits" / "VS-2026-0001.yaml", "id: VS-2026-0001\n")
    assert created.value.message == "visits is a symbolic link; nothing was written"
    assert list(elsewhere.iterdir()) == []


# ---------------------------------------------------------------------------------------
# Any nesting depth is too-deep, never a crash


def deep(shape: str, depth: int) -> tuple[str, int]:
    """A case file nested `depth` levels deep, and the line where it passes the limit."""
    head = "id: HS-2026-0001\n"
    if shape == "flow-list":
        return head + "notes: " + "[" * depth + "]" * depth + "\n", 2
    if shape == "flow-map":
        return head + "notes: " + "{a: " * depth + "x" + "}" * depth + "\n", 2
    if shape == "block-list":
        return head + "notes:\n  " + "- " * depth + "x\n", 3
    assert shape == "block-map"
    lines = "".join(" " * level + "a:\n" for level in range(depth))
    # Past libyaml's own limit (1,000 levels) the line is where libyaml stopped.
    return head + lines + " " * depth + "x\n", 2 + strict.MAX_DEPTH + 1 if depth < 1000 else 1001


SHAPES = ("flow-list", "flow-map", "block-list", "block-map")
CASES = [(shape, depth) for shape in SHAPES for depth in (65, 1000, 100_000)]
CASES.remove(("block-map", 100_000))  # 5 GB of indentation: too-large, tested below


def too_deep(path: str, line: int) -> Problem:
    return Problem(path, line, "too-deep", "nested more than 32 levels deep")


@pytest.mark.parametrize(("shape", "depth"), CASES)
def test_every_parser_reports_any_depth_as_too_deep(
    shape: str, depth: int, capfd: pytest.CaptureFixture[str]
) -> None:
    text, line = deep(shape, depth)
    raw = text.encode()
    expected = [too_deep(CASE, line)]
    assert strict.parse(raw, CASE).problems == expected
    assert fastyaml.parse(raw, CASE).problems == expected
    fast = fastyaml.parse_fast(raw, CASE)
    assert fast is None or fast.problems == expected
    assert capfd.readouterr().err == ""  # rapidyaml's own complaint kept off the terminal


def test_a_five_gigabyte_nesting_is_too_large_instead() -> None:
    text, _line = deep("block-map", 1500)
    assert strict.parse(text.encode(), CASE).problems[0].code == "too-large"


LOAD_WAYS = ("cold", "first", "warm", "workers", "workers-warm", "baseline", "libyaml-workers")


@pytest.mark.parametrize("way", LOAD_WAYS)
@pytest.mark.parametrize(
    ("shape", "depth"), [("flow-list", 65), ("flow-list", 100_000), ("flow-map", 100_000),
                         ("block-list", 100_000), ("block-map", 1000)],
)  # fmt: skip
def test_a_deep_record_is_too_deep_in_every_way_of_loading(
    small: Path, way: str, shape: str, depth: int
) -> None:
    text, line = deep(shape, depth)
    (small / CASE).write_text(text, encoding="utf-8")
    age(small)
    if way == "cold":
        records = store.load(small, cache=False)
    elif way == "workers":
        records = load_with_workers(small, cache=False)
    elif way in ("baseline", "libyaml-workers"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("HARDSHIP_PARSER", way.split("-")[0])
            records = (
                store.load(small, cache=False)
                if way == "baseline"
                else load_with_workers(small, cache=False)
            )
    else:
        cache_folder.clear(small)
        if way.startswith("workers"):
            records = load_with_workers(small, cache=True)
        else:
            records = store.load(small, cache=True)
        if way.endswith("warm"):
            with workers():
                records = store.load(small, cache=True)
            assert records.loading.cached == records.files
    assert [p for p in records.problems if p.path == CASE] == [too_deep(CASE, line)]


def test_validate_names_the_deep_file_cold_warm_and_without_the_cache(small: Path) -> None:
    """The attack: 65 levels crashed validate with `unexpected failure (ExceptionVisit)`."""
    text, _line = deep("flow-list", 65)
    (small / CASE).write_text(text, encoding="utf-8")
    line = f"{CASE}:2: too-deep nested more than 32 levels deep\n"
    for args in (["validate"], ["validate"], ["--no-cache", "validate"]):
        result = process(small, *args)
        assert result.code == 1, result.err
        assert line in result.out
        assert "unexpected" not in result.err


@pytest.mark.parametrize("depth", [65, 100_000])
def test_a_deep_hardship_yaml_is_too_deep(small: Path, depth: int) -> None:
    config = small / "hardship.yaml"
    lines = config.read_text(encoding="utf-8").count("\n")
    with config.open("a", encoding="utf-8") as handle:
        handle.write("notes: " + "[" * depth + "]" * depth + "\n")
    result = hardship("--root", small, "validate")
    assert result.code == 2  # a broken hardship.yaml is a configuration error
    assert f"hardship.yaml:{lines + 1}: too-deep nested more than 32 levels deep\n" in result.out


# ---------------------------------------------------------------------------------------
# Control characters are shown escaped


def test_printable_escapes_every_control_character_and_keeps_the_rest() -> None:
    assert printable("王小明 GR-2026-0001 ÷ é") == "王小明 GR-2026-0001 ÷ é"
    assert printable("a\x1b[31mb") == "a\\x1b[31mb"
    assert printable("\x00\x07\x08\r\x7f\x85\x9b") == "\\x00\\x07\\x08\\x0d\\x7f\\x85\\x9b"
    assert printable("a\nb\tc") == "a\\x0ab\\x09c"
    assert printable("a\nb\tc\r", lines=True) == "a\nb\tc\\x0d"
    assert printable("safe\u202egnp.exe") == "safe\\u202egnp.exe"  # right-to-left override
    assert printable("全角\u3000空格") == "全角\u3000空格"  # not printable to Python, yet harmless


def test_a_problem_shows_control_characters_escaped_and_cannot_forge_a_line() -> None:
    problem = Problem("cases/\x1b[2J.yaml", 3, "bad-value", "is \x9b31m\nhint: fake", "x\x07")
    assert problem.format() == (
        "cases/\\x1b[2J.yaml:3: bad-value is \\x9b31m\\x0ahint: fake\n    hint: x\\x07"
    )
    assert problem.to_json()["message"] == "is \x9b31m\nhint: fake"  # data stays data


def test_an_id_typed_with_an_escape_sequence_is_echoed_escaped(small: Path) -> None:
    result = hardship("--root", small, "history", "GR-\x1b[31m")
    assert result.code == 2
    assert "\x1b" not in result.err
    assert "GR-\\x1b[31m" in result.err
    typed = "GR-2026-0001\x1b]0;x\x07"
    approve = hardship("--root", small, "review", "approve", typed, "--as", "x")
    assert "\x1b" not in approve.err and "\x07" not in approve.err
    assert "GR-2026-0001\\x1b]0;x\\x07" in approve.err


def test_a_value_from_a_file_is_echoed_escaped_by_validate(small: Path) -> None:
    path = small / CASE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "id: HS-2026-0001", 'id: "HS-2026-0001\\e]0;pwned\\a"'
        ),
        encoding="utf-8",
    )
    result = hardship("--root", small, "validate")
    assert result.code == 1
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert (
        f"{CASE}:1: id-mismatch the file is named HS-2026-0001 but its id is "
        "HS-2026-0001\\x1b]0;pwned\\x07\n"
    ) in result.out
    as_json = hardship("--root", small, "validate", "--format", "json")
    messages = [p["message"] for p in json.loads(as_json.out)]  # data stays data
    assert "the file is named HS-2026-0001 but its id is HS-2026-0001\x1b]0;pwned\x07" in messages
    assert "\x1b" not in as_json.out  # json.dumps writes \u001b


def test_a_file_named_with_an_escape_sequence_is_named_escaped(small: Path) -> None:
    (small / "grants" / "2026" / "GR-2026-\x1b[2J.yaml").write_text("id: x\n", encoding="utf-8")
    checked = hardship("--root", small, "validate")
    assert checked.code == 1
    assert "\x1b" not in checked.out + checked.err
    assert "grants/2026/GR-2026-\\x1b[2J.yaml:1: id-mismatch" in checked.out
    budget = hardship("--root", small, "budget", "--year", "2026", "--today", "2026-11-29")
    assert "\x1b" not in budget.err
    assert "(first: grants/2026/GR-2026-\\x1b[2J.yaml)" in budget.err


def test_tables_show_a_value_as_written_never_as_markup(small: Path) -> None:
    path = small / CASE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "unit: 营销部", 'unit: "[link=http://x]营销部[/link]"'
        ),
        encoding="utf-8",
    )
    result = hardship("--root", small, "stats", "--by", "unit", "--year", "2026")
    assert result.code == 0, result.err
    assert "[link=http://x]营销部[/link]" in result.out


def test_a_value_with_an_escape_is_refused_and_named_escaped(small: Path) -> None:
    """Since issue 11 a record holds no control character: the planted unit is a problem
    of its file (named escaped, never sent to the terminal), and the figures leave the
    case out."""
    path = small / CASE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "unit: 营销部", 'unit: "\\e]0;pwned\\a[link=http://x]营销部[/link]"'
        ),
        encoding="utf-8",
    )
    result = hardship("--root", small, "stats", "--by", "unit", "--year", "2026")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out + result.err and "\x07" not in result.out + result.err
    assert "pwned" not in result.out
    report = hardship("--root", small, "validate")
    assert report.code == 1
    assert "\x1b" not in report.out + report.err
    assert (
        f"{CASE}:6: control-char `worker.unit`: control character \\x1b is not allowed in text"
        in report.out
    )


def test_an_officer_named_with_an_escape_is_refused_named_escaped(tmp_path: Path) -> None:
    root = make_casework_root(tmp_path, with_git=False)
    (root / "hardship.yaml").write_text(
        CONFIG.replace("name: 李明", 'name: "李\\e[2J明"'), encoding="utf-8"
    )
    result = cli(
        root, "add", "case", "--as", "李\x1b[2J明", "--on", "2026-01-05", "--name", "张伟",
        "--employee-id", "0107", "--unit", "烟叶站", "--sex", "male", "--birth-date",
        "1975-04-02", "--employment", "on_job", "--household-income", "1500", "--level", "deep",
        "--cause", "serious_illness", "--no-commit",
    )  # fmt: skip
    assert result.code == 2, result.err
    assert "\x1b" not in result.err
    assert (
        "control-char `officers.0.name`: control character \\x1b is not allowed in text"
        in result.err
    )
    assert not (root / "cases" / "HS-2026-0001.yaml").exists()


# ---------------------------------------------------------------------------------------
# A read-only root, a full disk, a missing permission: plain words, exit 2


def failing(monkeypatch: pytest.MonkeyPatch, name: str, code: int, under: Path) -> None:
    """os.`name` fails with errno `code` for paths under `under` (as a read-only or full
    disk would; the tests run as root, which no file mode stops)."""
    real = getattr(os, name)

    def fail(*args: Any, **kwargs: Any) -> Any:
        if any(str(a).startswith(str(under)) for a in args if isinstance(a, str | Path)):
            raise OSError(code, os.strerror(code), str(args[-1]))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, fail)


def test_an_approval_on_a_read_only_root_says_so(
    union: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grant_id = propose(union, "HS-2026-0001", "300")
    git(union, "add", "-A")  # an action touches only a record as last committed (issue 11)
    git(union, "commit", "-q", "-m", "case and grant")
    rel = union / "grants" / "2026" / f"{grant_id}.yaml"
    before = rel.read_bytes()
    failing(monkeypatch, "replace", errno.EROFS, union)
    result = cli(union, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
    assert result.code == 2
    assert result.err == (
        f"hardship: cannot write {rel}: the file system is read-only; nothing was written\n"
        "    hint: the records root is on a read-only disk or mount: work in a writable clone\n"
    )
    assert rel.read_bytes() == before
    assert not [p for p in rel.parent.iterdir() if p.name.endswith(".tmp")]


def test_add_grant_on_a_full_disk_says_so_and_leaves_nothing(
    union: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status = git(union, "status", "--porcelain", "--untracked-files=all")
    failing(monkeypatch, "link", errno.ENOSPC, union)
    result = cli(
        union, "add", "grant", "--as", "李明", "--case", "HS-2026-0001", "--kind", "medical",
        "--amount", "200", "--fund", "union", "--reason", "帮扶", "--on", "2026-03-02",
    )  # fmt: skip
    new = union / "grants" / "2026" / "GR-2026-0001.yaml"
    assert result.code == 2
    assert result.err == (
        f"hardship: cannot write {new}: the disk is full; nothing was written\n"
        "    hint: free some space, then run the command again\n"
    )
    assert not new.exists()
    assert git(union, "status", "--porcelain", "--untracked-files=all") == status


def test_a_lock_that_cannot_be_made_says_permission_denied(
    union: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = union / ".hardship" / "lock"
    real = os.open

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path) == str(lock):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    result = cli(
        union, "add", "grant", "--as", "李明", "--case", "HS-2026-0001", "--kind", "medical",
        "--amount", "200", "--fund", "union", "--reason", "帮扶", "--on", "2026-03-02",
    )  # fmt: skip
    assert result.code == 2
    assert result.err == (
        f"hardship: cannot create the lock file {lock}: permission denied; nothing was "
        "written\n    hint: you may not write (or read) there: check the owner and permissions "
        "with `ls -ld` (is the records root read-only for you?)\n"
    )


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "the disk is full"), (errno.EDQUOT, "your disk quota is used up"),
     (errno.EROFS, "the file system is read-only"), (errno.EACCES, "permission denied")],
)  # fmt: skip
def test_report_to_a_file_that_cannot_be_written(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    failing(monkeypatch, "replace", code, out)
    result = hardship(
        "--root", small, "report", "monthly", "--month", "2026-02", "--today", "2026-11-29",
        "-o", out / "m.md",
    )  # fmt: skip
    assert result.code == 2
    assert result.err.startswith(f"hardship: cannot write {out / 'm.md'}: {words}; nothing was")
    assert list(out.iterdir()) == []


def test_report_into_a_file_or_a_system_folder_is_said_plainly(
    small: Path, tmp_path: Path
) -> None:
    """Real refusals, no simulation: a path through a regular file, and sysfs (which
    refuses a new file even to root)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    through = hardship(
        "--root", small, "report", "monthly", "--today", "2026-11-29", "-o", blocker / "m.md"
    )
    assert (through.code, through.err) == (
        2,
        f"hardship: cannot use {blocker}: a file of that name is in the way\n"
        "    hint: a folder is needed there, or a new name: check the path\n",
    )
    system = hardship("--root", small, "report", "monthly", "--today", "2026-11-29",
                      "-o", "/sys/hardship-report.md")  # fmt: skip
    assert system.code == 2
    assert system.err.startswith(
        "hardship: cannot write /sys/hardship-report.md: permission denied; nothing was written"
    )


def test_any_os_error_that_escapes_is_said_in_plain_words(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(*_args: Any, **_kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/records/cases")

    monkeypatch.setattr(store, "load", unreadable)
    result = hardship("--root", small, "validate")
    assert result.code == 2
    assert result.err.startswith("hardship: cannot use /srv/records/cases: permission denied\n")
    assert "unexpected" not in result.err


def test_os_error_words() -> None:
    error = os_error(OSError(errno.ENOSPC, "No space left on device"), "write", "x.yaml", True)
    assert isinstance(error, ConfigError) and error.exit_code == 2
    assert error.message == "cannot write x.yaml: the disk is full; nothing was written"
    odd = os_error(OSError(errno.EXDEV, "Invalid cross-device link", "a"))
    assert odd.message == "cannot use a: invalid cross-device link"
    assert os_error(OSError(errno.EPERM, "x")).message == "cannot use a file: permission denied"


def test_a_line_asked_of_a_file_swapped_for_a_pipe_does_not_hang(tmp_path: Path) -> None:
    """A cached problem's line is worked out by reading the file again: a file replaced
    by a named pipe since it was cached gives no line, and no hang."""

    record = tmp_path / "GR-2026-0001.yaml"
    record.write_text("id: GR-2026-0001\namount: 1.00\n", encoding="utf-8")
    assert key_lines.unpack_lines(b"F", str(record)) == {("id",): 1, ("amount",): 2}
    record.unlink()
    os.mkfifo(record)
    assert key_lines.unpack_lines(b"F", str(record)) == {}
