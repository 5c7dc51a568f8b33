"""`hardship validate`, `init` and `schema` from the command line: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clirun import hardship, hardship_process
from tests.rootkit import Root

GRANT = "grants/2026/GR-2026-0001.yaml"


def test_clean_root_exits_0(root: Root):
    result = hardship("--root", root.path, "validate", "--today", "2026-11-29")
    assert (result.code, result.out) == (0, "")
    assert result.err == "5 records checked: 0 error(s), 0 warning(s)\n"


def test_problems_exit_1_with_place_and_hint(root: Root):
    root.replace(GRANT, "kind: medical", "kind: medicall")
    result = hardship("--root", root.path, "validate", "--today", "2026-11-29")
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{GRANT}:3: bad-value `kind` is not allowed: 'medicall'",
        "    hint: did you mean `medical`? (use one of: living (living relief), medical (medical "
        "relief), schooling (schooling grant), holiday (holiday visit money), emergency "
        "(emergency relief), employment (job and training help), legal (legal aid), other)",
    ]


def test_warnings_alone_exit_0(root: Root):
    result = hardship("--root", root.path, "validate", "--today", "2027-03-01")
    assert result.code == 0
    assert "review-overdue warning HS-2026-0001 was due for review" in result.out


def test_json_is_one_document_on_stdout(root: Root):
    root.replace(GRANT, "amount: 1500.00", "amount: 15.005")
    result = hardship("--root", root.path, "validate", "--format", "json", "--today", "2026-11-29")
    assert result.code == 1
    assert json.loads(result.out) == [
        {
            "path": GRANT,
            "line": 4,
            "code": "bad-money",
            "severity": "error",
            "message": "`amount`: money has at most two decimals (fen): 15.005",
            "hint": "write yuan with at most two decimals, e.g. 1200.00",
        }
    ]


def test_broken_configuration_exits_2(root: Root):
    root.replace("hardship.yaml", "  notice_days: 5", "  notice_days: five")
    result = hardship("--root", root.path, "validate")
    assert result.code == 2
    assert "hardship.yaml:20: bad-value `policy.notice_days`: not a whole number: 'five'" in (
        result.out
    )


def test_no_root_exits_2(tmp_path: Path):
    result = hardship("--root", tmp_path, "validate")
    assert result.code == 2
    assert result.err.startswith(f"hardship: {tmp_path}: no hardship.yaml here")


def test_bad_option_exits_2(root: Root):
    result = hardship("--root", root.path, "validate", "--format", "xml")
    assert result.code == 2
    assert "xml" in result.err
    result = hardship("--root", root.path, "validate", "--today", "yesterday")
    assert result.code == 2
    assert "--today 'yesterday' is not a date" in result.err


def test_every_defect_planted_at_once_is_reported(root: Root):
    """One run names every problem, each with its file and line (issue 2's list)."""
    root.write("campaigns/GR-2026-0009.yaml", root.read(GRANT).replace("0001", "0009", 1))
    root.replace(GRANT, "kind: medical", "kind: medical\nkind: living")  # duplicate key
    root.write("cases/HS-2026-0002.yaml", "id: HS-2026-0002\nstatus: [")  # not YAML
    root.write("cases/HS-2026-0003.yaml", "")  # empty
    root.write("cases/HS-2026-0004.yaml", "- a list\n")  # not a mapping
    root.write("cases/HS-2026-0005.yaml", "id: HS-2026-0005\nname: 张三\n".encode("gbk"))
    root.write("cases/HS-2026-0006.yaml", "a: &a [x]\nb: [*a, *a]\n")  # alias
    root.write("visits/2026/VS-2026-0002.yaml", root.read("visits/2026/VS-2026-0001.yaml")
               .replace("VS-2026-0001", "VS-2026-0003"))  # name is not its id
    root.replace("campaigns/DC-2026-01.yaml", "amount: 1200.00", "amount: -1200.00")
    root.replace("visits/2026/VS-2026-0001.yaml", "on: 2026-01-25", "on: 2026-13-25")
    root.replace("cases/HS-2026-0001.yaml", "level: deep", "levle: deep")
    result = hardship("--root", root.path, "validate", "--format", "json")
    assert result.code == 1
    got = {(p["path"], p["line"], p["code"]) for p in json.loads(result.out)}
    assert got >= {
        (GRANT, 4, "duplicate-key"),
        ("cases/HS-2026-0002.yaml", 2, "not-yaml"),
        ("cases/HS-2026-0003.yaml", 1, "empty-file"),
        ("cases/HS-2026-0004.yaml", 1, "not-mapping"),
        ("cases/HS-2026-0005.yaml", 2, "not-utf8"),
        ("cases/HS-2026-0006.yaml", 2, "alias"),
        ("visits/2026/VS-2026-0002.yaml", 1, "id-mismatch"),
        ("campaigns/GR-2026-0009.yaml", 1, "wrong-folder"),
        ("campaigns/DC-2026-01.yaml", 6, "bad-money"),
        ("visits/2026/VS-2026-0001.yaml", 2, "bad-date"),
        ("cases/HS-2026-0001.yaml", 24, "unknown-key"),
    }
    for problem in json.loads(result.out):
        assert problem["hint"] or problem["code"] in ("missing",), problem


def test_real_process_never_shows_a_traceback(root: Root):
    root.write("cases/HS-2026-0002.yaml", b"\xff\xfe\x00garbage")
    result = hardship_process("--root", root.path, "validate")
    assert result.code == 1
    assert "Traceback" not in result.err + result.out


def test_init_makes_a_valid_root_with_schemas(tmp_path: Path):
    target = tmp_path / "new"
    result = hardship("init", target, "--no-git")
    assert result.code == 0, result.err
    for folder in ("cases", "grants", "campaigns", "visits", "budgets"):
        assert (target / folder).is_dir()
    settings = json.loads((target / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"]["./.hardship/schema/case.schema.json"] == ["cases/*.yaml"]
    assert (target / ".hardship/schema/grant.schema.json").is_file()
    assert (target / "hardship.yaml").read_text().startswith(
        "# yaml-language-server: $schema=.hardship/schema/config.schema.json"
    )
    assert hardship("--root", target, "validate").code == 0
    again = hardship("init", target, "--no-git")
    assert again.code == 2
    assert "already holds a records root" in again.err


def test_init_makes_a_git_repository(tmp_path: Path):
    target = tmp_path / "new"
    assert hardship("init", target).code == 0
    assert (target / ".git").is_dir()


def test_schema_describes_every_kind(tmp_path: Path):
    result = hardship("schema")
    schemas = json.loads(result.out)
    assert set(schemas) == {"case", "grant", "campaign", "visit", "budget", "config"}
    grant = schemas["grant"]
    assert set(grant["required"]) >= {"id", "case", "kind", "amount", "fund", "status"}
    assert grant["additionalProperties"] is False
    out = tmp_path / "schemas"
    assert hardship("schema", "-o", out).code == 0
    assert sorted(p.name for p in out.iterdir())[0] == "budget.schema.json"


def test_schema_accepts_what_the_loader_accepts():
    """The editor's schema and the loader agree on a valid grant (checked with jsonschema
    semantics by hand: required keys and enum values)."""
    schemas = json.loads(hardship("schema").out)
    kinds = schemas["grant"]["$defs"]["GrantKind"]["enum"]
    assert kinds == ["living", "medical", "schooling", "holiday", "emergency", "employment",
                     "legal", "other"]


def test_init_demo_copies_a_clean_demo(tmp_path: Path):
    target = tmp_path / "demo"
    assert hardship("init", target, "--demo", "--no-git").code == 0
    assert (target / "cases").is_dir() and any((target / "cases").iterdir())
    result = hardship("--root", target, "validate", "--today", "2026-11-29")
    assert result.code == 0, result.out


def test_ctrl_c_exits_130_with_a_message(root: Root, monkeypatch):
    from hardship_cli import rules

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(rules, "check", interrupted)
    result = hardship("--root", root.path, "validate")
    assert result.code == 130
    assert result.err == "hardship: interrupted; nothing half-written (writes are atomic)\n"


def test_a_reader_that_goes_away_is_not_a_failure() -> None:
    """`hardship schema | head -1`: the pipe closes early; the exit code must not say
    "problems found" (1), and nothing is printed about it."""
    import fcntl
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "hardship_cli", "schema"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    # A pipe of one page: the 45 KB of schemas cannot all be written before it closes.
    fcntl.fcntl(process.stdout.fileno(), 1031, 4096)  # F_SETPIPE_SZ (Linux)
    process.stdout.read(10)
    process.stdout.close()  # the reader goes away with most of the output unread
    err = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert err == b""
