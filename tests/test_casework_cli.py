"""The casework commands as an officer meets them: add, review list, due; concurrency; and
a lean start (no pandas, no jinja2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hardship_cli.cli import prompts
from hardship_cli.cli.main import app
from tests.workflow_fixtures import GIT_ENV, active_case, add_case, cli, git, make_root, ok, propose


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path, with_git=False)


CASE_FLAGS = (
    "add", "case", "--as", "李明", "--on", "2026-01-05", "--name", "张伟",
    "--employee-id", "0107", "--unit", "烟叶站", "--sex", "male",
    "--birth-date", "1975-04-02", "--employment", "on_job", "--household-income", "1500",
    "--level", "deep", "--cause", "serious_illness", "--no-commit",
)  # fmt: skip


# ---------------------------------------------------------------------------------------
# add


def test_add_case_by_flags_writes_a_valid_applied_case(root: Path) -> None:
    result = ok(root, *CASE_FLAGS, "--member", "name=李梅,relation=spouse,monthly_income=0",
                "--secondary", "schooling", "--phone", "13800001111")  # fmt: skip
    assert result.out == "HS-2026-0001\n"
    assert "13800001111" not in result.err + result.out
    text = (root / "cases" / "HS-2026-0001.yaml").read_text(encoding="utf-8")
    assert "status: applied" in text
    assert "filed:\n  by: 李明\n  on: 2026-01-05" in text
    assert "secondary:\n    - schooling" in text
    assert "health:" not in text  # not given, not written
    assert ok(root, "validate").code == 0
    assert ok(root, *CASE_FLAGS, "--employee-id", "0108").out == "HS-2026-0002\n"


def test_add_off_a_terminal_names_every_missing_required_flag(root: Path) -> None:
    result = cli(root, "add", "grant", "--as", "李明", "--case", "HS-2026-0001", "--no-commit")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "hardship: missing --kind (kind of help), --amount (amount (yuan)), --fund (fund: "
        "union, higher_union, employer or campaign:DC-YYYY-NN), --reason (why this help)"
    )
    assert not (root / "grants" / "2026").exists()
    no_one = cli(root, "add", "case", "--name", "x")
    assert no_one.code == 2
    assert "missing --as NAME" in no_one.err


def test_add_refuses_a_bad_value_with_validates_message(root: Path) -> None:
    case_id = active_case(root)
    # (A kind that names nothing is refused before: tests/test_i18n_casework.py.)
    result = cli(root, "add", "grant", "--as", "李明", "--case", case_id, "--kind", "medical",
                 "--amount", "12.345", "--fund", "union", "--reason", "x",
                 "--on", "2026-03-02")  # fmt: skip
    assert result.code == 2
    assert not (root / "grants" / "2026").exists()
    # The same record written by hand gives validate's messages, line for line.
    path = root / "grants" / "2026" / "GR-2026-0001.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        textwrap.dedent(
            f"""\
            id: GR-2026-0001
            case: {case_id}
            kind: medical
            amount: '12.345'
            fund: union
            status: proposed
            proposed:
              reason: x
              by: 李明
              on: 2026-03-02
            """
        ),
        encoding="utf-8",
    )
    report = cli(root, "validate")
    for line in report.out.splitlines():
        assert line in result.err
    assert "money has at most two decimals (fen): 12.345" in result.err


def test_add_never_echoes_a_bad_id_number(root: Path) -> None:
    result = cli(root, *CASE_FLAGS, "--id-number", "12345")
    assert result.code == 2
    assert "an ID number has 18 characters" in result.err
    assert "12345" not in result.err


def test_add_prompts_on_a_terminal_with_choices_and_defaults(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = active_case(root)
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    answers = "medical\n1800\n\n术后自付\n"  # kind, amount, fund (default union), reason
    result = CliRunner().invoke(
        app,
        ["--root", str(root), "add", "grant", "--as", "李明", "--case", case_id,
         "--on", "2026-03-02", "--no-commit"],
        input=answers,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "kind of help [living|medical|schooling|holiday|emergency|employment|legal|other]" in (
        result.output
    )
    assert "[union]" in result.output
    text = (root / "grants" / "2026" / "GR-2026-0001.yaml").read_text(encoding="utf-8")
    assert "kind: medical\namount: 1800.00\nfund: union\nstatus: proposed" in text


def test_add_case_prompt_suggests_the_level_from_income(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    flags = [a for a in CASE_FLAGS if a not in ("--level", "deep")]
    result = CliRunner().invoke(app, ["--root", str(root), *flags], input="\n")
    assert result.exit_code == 0, result.output
    assert "level of hardship [deep|relative|accident] [relative]" in result.output
    text = (root / "cases" / "HS-2026-0001.yaml").read_text(encoding="utf-8")
    assert "level: relative" in text  # 1,500.00 a month for one person: below 2 x 800.00


def test_add_visit_and_donation(root: Path) -> None:
    case_id = active_case(root)
    visit = ok(root, "add", "visit", "--as", "王芳", "--occasion", "spring_festival",
               "--visitor", "王芳", "--visitor", "陈刚", "--case", case_id, "--goods", "米面油",
               "--on", "2026-02-10", "--no-commit").out.strip()  # fmt: skip
    assert visit == "VS-2026-0001"
    drive = ok(root, "add", "campaign", "--as", "李明", "--title", "为张伟献爱心",
               "--beneficiary", case_id, "--on", "2026-03-01", "--no-commit").out.strip()
    assert drive == "DC-2026-01"
    ok(root, "add", "donation", drive, "--as", "赵敏", "--donor", "全体职工", "--amount", "3000",
       "--on", "2026-03-02", "--no-commit")  # fmt: skip
    ok(root, "add", "donation", drive, "--as", "李明", "--donor", "某职工", "--amount", "200.5",
       "--anonymous", "--on", "2026-03-03", "--no-commit")  # fmt: skip
    text = (root / "campaigns" / f"{drive}.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "contributions:\n"
        "  - donor: 全体职工\n    amount: 3000.00\n    on: 2026-03-02\n"
        "  - donor: 某职工\n    amount: 200.50\n    on: 2026-03-03\n    anonymous: true\n"
    )
    bad = cli(root, "add", "donation", drive, "--as", "李明", "--donor", "x", "--amount", "-5")
    assert bad.code == 2
    assert "money must not be negative" in bad.err
    assert ok(root, "validate").code == 0


# ---------------------------------------------------------------------------------------
# Two adds at the same moment


# Each racer runs the real command, with two handshakes with the test on a pipe of its own
# (no polled file, no sleep): at the lock, it waits until the test has seen both racers
# there (a barrier); and the first to take the lock holds it until the other has been
# refused it once. So the two always overlap: each has read the root before either holds
# the lock, and the second really waits for the first.
RACER = textwrap.dedent(
    """\
    import contextlib, fcntl, os, sys
    from hardship_cli.edit import atomic
    from hardship_cli.cli.main import run

    to_test, from_test = int(sys.argv[1]), int(sys.argv[2])

    def say(word):
        os.write(to_test, word.encode() + b"\\n")

    def wait():
        assert os.read(from_test, 3) == b"go\\n"

    real_locked, real_flock = atomic.locked, fcntl.flock
    refused = False

    @contextlib.contextmanager
    def locked(*args, **kwargs):
        say("at-lock")
        wait()
        with real_locked(*args, **kwargs):
            yield

    def flock(fd, how):
        global refused
        try:
            real_flock(fd, how)
        except BlockingIOError:
            if not refused:
                refused = True
                say("refused")
            raise
        if not how & fcntl.LOCK_UN and not refused:
            say("holding")
            wait()

    atomic.locked, fcntl.flock = locked, flock
    run(sys.argv[3:])
    """
)


class Racer:
    """One `hardship add grant` in its own process, and its two ends of the handshake."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        from_racer, to_test = os.pipe()
        from_test, to_racer = os.pipe()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", RACER, str(to_test), str(from_test), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            pass_fds=(to_test, from_test),
        )
        os.close(to_test)
        os.close(from_test)
        self.said = os.fdopen(from_racer, "rb")
        self.told = to_racer

    def hear(self) -> str:
        word = self.said.readline().decode().strip()
        if not word:  # the racer ended before the handshake: show why
            out, err = self.proc.communicate()
            raise AssertionError(f"the racer ended early ({self.proc.returncode}): {out}{err}")
        return word

    def go(self) -> None:
        os.write(self.told, b"go\n")

    def close(self) -> None:
        """End the handshake; a racer still running (the test failed first) is stopped."""
        self.said.close()
        os.close(self.told)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def test_two_adds_started_together_get_different_ids(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = active_case(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "case")
    env = {**os.environ, **GIT_ENV}
    racers = [
        Racer(["--root", str(root), "add", "grant",
               "--as", "李明", "--case", case_id, "--kind", "living", "--amount", str(300 + n),
               "--fund", "union", "--reason", f"第{n}次", "--on", "2026-03-02"], env)
        for n in range(2)
    ]  # fmt: skip
    try:
        assert [racer.hear() for racer in racers] == ["at-lock", "at-lock"]
        for racer in racers:
            racer.go()  # the barrier: neither has asked for the lock before both are at it
        heard = [racer.hear() for racer in racers]
        assert sorted(heard) == ["holding", "refused"]  # one holds it, the other waits
        racers[heard.index("holding")].go()
        procs = [racer.proc for racer in racers]
        outs = [proc.communicate() for proc in procs]
    finally:
        for racer in racers:
            racer.close()
    assert [p.returncode for p in procs] == [0, 0], outs
    ids = sorted(out.strip() for out, _err in outs)
    assert ids == ["GR-2026-0001", "GR-2026-0002"]
    amounts = sorted(
        (root / "grants" / "2026" / f"{i}.yaml").read_text(encoding="utf-8").split("amount: ")[1]
        .split("\n")[0]
        for i in ids
    )  # fmt: skip
    assert amounts == ["300.00", "301.00"]
    subjects = git(root, "log", "--format=%s", "-2").splitlines()
    assert sorted(s.split()[1] for s in subjects) == ids  # both committed, one each


# ---------------------------------------------------------------------------------------
# review list


def test_review_list_shows_what_waits_for_whom(root: Path) -> None:
    case_id = active_case(root)
    pending = add_case(root, name="刘洋", employee_id="0233")
    ok(root, "review", "check", pending, "--as", "李明", "--on", "2026-03-02", "--no-commit")
    ok(root, "review", "notice", pending, "--as", "李明", "--on", "2026-03-02", "--no-commit")
    ok(root, "review", "object", pending, "--as", "周丽", "--on", "2026-03-03", "--note", "有异议",
       "--no-commit")  # fmt: skip
    big = propose(root, case_id, "2500")
    ok(root, "review", "approve", big, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
    small = propose(root, case_id, "300", kind="living")
    doc = json.loads(ok(root, "review", "list", "--today", "2026-03-05", "--format", "json").out)
    items = {i["record"]: i for i in doc["items"]}
    assert items[big]["waiting_for"] == ["leader"]
    assert items[big]["days"] == 2
    assert items[small]["waiting_for"] == ["officer"]
    assert items[pending]["note"] == (
        "notice until 2026-03-06 (ends in 1 day); 1 objection(s) open"
    )
    assert items[pending]["blocked"] == "notice runs until 2026-03-06; objection open"
    as_leader = json.loads(ok(root, "review", "list", "--as", "陈刚", "--today", "2026-03-05",
                              "--format", "json").out)  # fmt: skip
    assert [i["record"] for i in as_leader["items"]] == [big]
    as_proposer = json.loads(ok(root, "review", "list", "--as", "李明", "--today", "2026-03-05",
                                "--format", "json").out)  # fmt: skip
    assert small not in [i["record"] for i in as_proposer["items"]]  # not their own
    as_zhou = json.loads(ok(root, "review", "list", "--as", "周丽", "--today", "2026-03-05",
                            "--format", "json").out)  # fmt: skip
    assert small in [i["record"] for i in as_zhou["items"]]
    text = ok(root, "review", "list", "--today", "2026-03-05").out
    assert big in text and "leader" in text


# ---------------------------------------------------------------------------------------
# due


def test_due_lists_reviews_follow_ups_never_helped_and_who_to_visit_first(root: Path) -> None:
    deep = active_case(root)  # deep, serious illness, approved 2026-01-12
    alone = active_case(root, name="刘桂兰", employee_id="0009", income="1300", level="relative",
                        employment="retired", members=(), cause="unable_to_work")  # fmt: skip
    helped = active_case(root, name="孙强", employee_id="0311", income="4000", level="relative",
                         members=("name=周敏,relation=spouse", "name=孙乐,relation=child"),
                         cause="schooling")  # fmt: skip
    grant_id = propose(root, helped, "300", kind="living", on="2026-03-02")
    ok(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03", "--no-commit")
    ok(root, "add", "visit", "--as", "李明", "--occasion", "home_check", "--visitor", "李明",
       "--case", deep, "--follow-up", "2026-06-01", "--on", "2026-05-01",
       "--no-commit")  # fmt: skip
    doc = json.loads(
        ok(root, "due", "--today", "2026-12-20", "--occasion", "spring_festival",
           "--on", "2027-02-01", "--format", "json").out
    )  # fmt: skip
    assert [i["record"] for i in doc["reviews_due"]] == [deep, alone, helped]
    # counted from the occasion's day (--on 2027-02-01), not today (issue 14): due 2027-01-12
    assert doc["reviews_due"][0]["note"] == "overdue by 20 days"
    assert [i["record"] for i in doc["follow_ups_due"]] == [deep]
    assert [i["record"] for i in doc["never_helped"]] == [deep, alone]
    first = doc["visit_first"]["households"]
    assert [h["record"] for h in first] == [deep, alone]
    assert first[0]["reasons"] == ["deep hardship", "serious illness in the household"]
    assert first[1]["reasons"] == ["retired and living alone"]
    assert first[1]["name"] == "刘桂兰"
    text = ok(root, "due", "--today", "2026-12-20").out
    assert "reviews due (3)" in text and "active files never helped (2)" in text


def test_due_lists_files_unchanged_for_a_year_from_git(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = active_case(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "case")
    changed = json.loads(ok(root, "due", "--format", "json").out)["unchanged_for_a_year"]
    assert changed == []
    later = json.loads(ok(root, "due", "--today", "2099-01-01", "--format", "json").out)
    assert [i["record"] for i in later["unchanged_for_a_year"]] == [case_id]


# ---------------------------------------------------------------------------------------
# A lean start


IMPORTS = textwrap.dedent(
    """\
    import sys
    from hardship_cli.cli.main import run
    try:
        run(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
    heavy = sorted(m for m in ("pandas", "jinja2", "numpy") if m in sys.modules)
    print(f"HEAVY exit={code} modules={heavy}", file=sys.stderr)
    """
)


@pytest.mark.parametrize("command", ["help", "add", "review", "due"])
def test_casework_commands_do_not_import_pandas_or_jinja2(root: Path, command: str) -> None:
    case_id = active_case(root)
    grant_id = propose(root, case_id, "300", kind="living")
    args = {
        "help": ["--help"],
        "add": ["--root", str(root), "add", "grant", "--as", "李明", "--case", case_id,
                "--kind", "living", "--amount", "200", "--fund", "union", "--reason", "x",
                "--on", "2026-03-02", "--no-commit"],
        "review": ["--root", str(root), "review", "approve", grant_id, "--as", "周丽",
                   "--on", "2026-03-03", "--no-commit"],
        "due": ["--root", str(root), "due", "--today", "2026-03-03"],
    }[command]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS, *args], capture_output=True, text=True, check=False
    )
    last = done.stderr.strip().splitlines()[-1]
    assert last == "HEAVY exit=0 modules=[]", done.stderr


def test_every_command_has_help_with_an_example() -> None:
    import typer.main

    group = typer.main.get_command(app)
    names = {
        "add": ["case", "grant", "campaign", "donation", "visit"],
        "review": ["list", "check", "notice", "approve", "reject", "object", "cancel"],
    }
    for name in ("pay", "close", "history", "due"):
        assert "Example: hardship" in (group.commands[name].help or ""), name  # type: ignore[attr-defined]
    for parent, subs in names.items():
        sub_group = group.commands[parent]  # type: ignore[attr-defined]
        for sub in subs:
            assert "Example: hardship" in (sub_group.commands[sub].help or ""), sub
