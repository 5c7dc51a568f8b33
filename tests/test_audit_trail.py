"""The audit trail cannot lie (issue 11), tried as an auditor and as a careless or
dishonest officer would: a record's history is its own commits only; free text cannot
forge an event; a hand edit is never swept into an officer's commit; an action that
cannot be committed is not written; `hardship audit` finds what is wrong; and where the
root requires it, approvals are signed with their officer's key."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from hardship_cli.edit import commits, judging
from tests.workflow_fixtures import CONFIG, GIT_ENV, cli, git, make_root, ok

GRANT_ARGS = ("--kind", "living", "--amount", "300", "--fund", "union", "--reason", "生活困难")


def committed_case(root: Path) -> str:
    """An active case whose every step was committed by the tool."""
    case_id = ok(root, "add", "case", "--as", "李明", "--on", "2026-01-05", "--name", "张伟",
                 "--employee-id", "0107", "--unit", "烟叶站", "--sex", "male",
                 "--birth-date", "1975-04-02", "--employment", "on_job",
                 "--household-income", "1500", "--level", "deep",
                 "--member", "name=李梅,relation=spouse,monthly_income=0",
                 "--cause", "serious_illness").out.strip()  # fmt: skip
    ok(root, "review", "check", case_id, "--as", "李明", "--on", "2026-01-05")
    ok(root, "review", "notice", case_id, "--as", "李明", "--on", "2026-01-05")
    ok(root, "review", "approve", case_id, "--as", "王芳", "--on", "2026-01-12")
    return case_id


def propose(root: Path, case_id: str, amount: str = "300") -> str:
    args = list(GRANT_ARGS)
    args[3] = amount
    return ok(root, "add", "grant", "--as", "李明", "--case", case_id, *args,
              "--on", "2026-03-02").out.strip()  # fmt: skip


def grant_file(root: Path, grant_id: str) -> Path:
    return root / "grants" / "2026" / f"{grant_id}.yaml"


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def hand_commit(root: Path, message: str, author: str, email: str) -> None:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email}
    subprocess.run(["git", "commit", "-q", "-a", "-m", message], cwd=root, env=env, check=True)


def audit(root: Path) -> tuple[int, dict[str, object]]:
    result = cli(root, "audit", "--format", "json")
    return result.code, json.loads(result.out)


def codes(doc: dict[str, object]) -> list[tuple[str, str | None]]:
    findings = doc["findings"]
    assert isinstance(findings, list)
    return [(f["code"], f["record"]) for f in findings]


# ---------------------------------------------------------------------------------------
# History of exactly one record


def test_five_similar_grants_each_show_only_their_own_history(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = committed_case(root)
    grants = [propose(root, case_id) for _ in range(5)]
    # git's --follow takes a new grant for a copy of an almost identical older one:
    follow = git(root, "log", "--follow", "--format=%s", "--", f"grants/2026/{grants[-1]}.yaml")
    assert grants[0] in follow  # the trap the history must not fall into
    doc = json.loads(ok(root, "history", grants[-1], "--format", "json").out)
    events = [(e["action"], e["record"], e["changes"], e["flags"]) for e in doc["events"]]
    assert events == [("propose", grants[-1], ["created"], [])]
    text = ok(root, "history", grants[-1])
    assert "outside hardship" not in text.out + text.err


def test_a_back_dated_step_shows_its_own_date_beside_the_commits(tmp_path: Path) -> None:
    """A paper approval of 2026-03-03 recorded later: history shows both days."""
    root = make_root(tmp_path)
    grant_id = propose(root, committed_case(root))
    ok(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
    committed = git(root, "log", "-1", "--format=%cs").strip()
    assert committed != "2026-03-03"
    doc = json.loads(ok(root, "history", grant_id, "--format", "json").out)
    assert [(e["action"], e["dated"], e["when"][:10]) for e in doc["events"]] == [
        ("propose", ["2026-03-02"], committed),
        ("approve", ["2026-03-03"], committed),
    ]
    lines = ok(root, "history", grant_id).out.splitlines()
    approve = next(line for line in lines if " approve " in line)
    assert approve.startswith(committed)
    assert approve.endswith("周丽 (officer)  (dated 2026-03-03)")


def test_a_hand_made_commit_claiming_another_officer_is_flagged(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = committed_case(root)
    grant_id = propose(root, case_id, "1500")  # the chair must approve
    path = grant_file(root, grant_id)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("status: proposed", "status: approved")
        + "approvals:\n- by: 王芳\n  role: chair\n  on: 2026-03-03\n",
        encoding="utf-8",
    )
    hand_commit(
        root,
        f"grant {grant_id} approved by 王芳 (chair)\n\n"
        f"Record: {grant_id}\nAction: approve\nBy: 王芳\nRole: chair\n",
        "李明",
        "liming@union.example",
    )
    doc = json.loads(ok(root, "history", grant_id, "--format", "json").out)
    last = doc["events"][-1]
    assert (last["action"], last["by"], last["author"]) == ("approve", "王芳", "李明")
    assert last["flags"] == [
        {
            "code": "author",
            "message": "authored by 李明 <liming@union.example>, not by 王芳 "
            "<wangfang@union.example> whom its By: trailer names",
        }
    ]
    out = ok(root, "history", grant_id).out
    assert "! authored by 李明" in out
    code, report = audit(root)
    assert code == 1
    assert codes(report) == [("author", grant_id)]


def test_a_subject_with_separators_cannot_forge_an_event(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = committed_case(root)
    grant_id = propose(root, case_id)
    path = grant_file(root, grant_id)
    path.write_text(path.read_text(encoding="utf-8").replace("生活困难", "生活困难。"), "utf-8")
    forged = (
        "记-1\x1fGR-2026-0107\x1fapprove\x1f张建国\x1fleader\x1e"
        + "0" * 40
        + "\x1f张建国\x1f2026-03-04T10:00:00+08:00\x1fclose by 王芳\x1fHS-2026-0001\x1fclose"
        "\x1f王芳\x1fchair"
    )
    env = {**os.environ, **GIT_ENV}
    subprocess.run(
        ["git", "commit", "-q", "-a", "-F", "-"],
        cwd=root,
        env=env,
        input=forged.encode("utf-8"),
        check=True,
    )
    doc = json.loads(ok(root, "history", grant_id, "--format", "json").out)
    assert [(e["action"], e["by"], e["outside_tool"]) for e in doc["events"]] == [
        ("propose", "李明", False),
        (None, None, True),
    ]
    text = ok(root, "history", grant_id).out
    assert "张建国" in text  # shown as the hand edit's subject, with its separators visible
    assert "\\x1f" in text and "\x1f" not in text and "\x1e" not in text
    actions = [ln.split()[3] for ln in text.splitlines() if re.match(r"\d{4}-\d\d-\d\d ", ln)]
    assert actions == ["propose", "edit"]


def test_free_text_reaches_a_commit_message_on_one_line() -> None:
    message = commits.Message(
        subject="grant GR-2026-0001 paid: voucher 记-1\x1fGR-2026-0107\x1e\nRecord: GR-2026-0107",
        record="GR-2026-0001",
        action="pay",
        by="赵敏\nAction: approve",
        role="finance",
    )
    assert message.text() == (
        "grant GR-2026-0001 paid: voucher 记-1\\x1fGR-2026-0107\\x1e Record: GR-2026-0107\n\n"
        "Record: GR-2026-0001\nAction: pay\nBy: 赵敏 Action: approve\nRole: finance\n"
    )


# ---------------------------------------------------------------------------------------
# Only the tool's change in the tool's commit


def test_a_hand_edit_blocks_the_approval_that_would_sweep_it(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = committed_case(root)
    grant_id = propose(root, case_id, "100")
    path = grant_file(root, grant_id)
    path.write_text(path.read_text(encoding="utf-8").replace("100.00", "1000.00"), "utf-8")
    edited = path.read_bytes()
    before = head(root)
    result = cli(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    assert result.code == 1
    rel = f"grants/2026/{grant_id}.yaml"
    assert result.err == (
        f"hardship: {rel} was changed and the change is not committed: an action commits "
        "only its own change, so it was refused; nothing was written\n"
        f"    hint: look at it (git diff HEAD -- {rel}); commit it (git commit {rel}) or "
        f"restore it (git checkout HEAD -- {rel})\n"
    )
    assert head(root) == before
    assert path.read_bytes() == edited
    git(root, "add", rel)  # staged is no better than changed
    staged = cli(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    assert staged.code == 1
    assert f"{rel} has changes staged in git but not committed" in staged.err
    assert head(root) == before


def test_a_deleted_record_is_not_recreated_under_an_officers_name(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = committed_case(root)
    grant_id = propose(root, case_id)
    grant_file(root, grant_id).unlink()  # deleted by hand, not committed
    before = head(root)
    result = cli(root, "add", "grant", "--as", "李明", "--case", case_id, *GRANT_ARGS,
                 "--on", "2026-03-02")  # fmt: skip
    assert result.code == 1
    assert f"{grant_id}.yaml is deleted, and the deletion is not committed" in result.err
    assert head(root) == before and not grant_file(root, grant_id).exists()


def test_a_staged_unrelated_file_stays_staged_and_out_of_the_commit(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = committed_case(root)
    grant_id = propose(root, case_id)
    (root / "notes.txt").write_text("work in progress\n", encoding="utf-8")
    git(root, "add", "notes.txt")
    ok(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == [
        f"grants/2026/{grant_id}.yaml"
    ]
    assert git(root, "status", "--short") == "A  notes.txt\n"


# ---------------------------------------------------------------------------------------
# No write without its commit


def refused_before_writing(root: Path, grant_id: str) -> tuple[str, str]:
    """Approve; the action must be refused with the file and HEAD as they were."""
    path = grant_file(root, grant_id)
    raw, before = path.read_bytes(), head(root)
    result = cli(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
    assert result.code in (1, 2), result
    assert path.read_bytes() == raw
    assert head(root) == before
    return str(result.code), result.err


def test_a_planted_index_lock_refuses_before_writing(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    grant_id = propose(root, committed_case(root))
    lock = root / ".git" / "index.lock"
    lock.write_text("", encoding="utf-8")
    code, err = refused_before_writing(root, grant_id)
    assert code == "1"
    assert f"git's index is locked ({lock} exists)" in err
    assert f"hint: wait for it to finish; if no git command is running, delete {lock}" in err
    lock.unlink()
    assert git(root, "status", "--porcelain") == ""


def test_a_merge_in_progress_refuses_before_writing(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    grant_id = propose(root, committed_case(root))
    main = git(root, "branch", "--show-current").strip()
    (root / "README.txt").write_text("one\n", encoding="utf-8")
    git(root, "add", "README.txt")
    git(root, "commit", "-q", "-m", "readme")
    git(root, "checkout", "-q", "-b", "other")
    (root / "README.txt").write_text("two\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "two")
    git(root, "checkout", "-q", main)
    (root / "README.txt").write_text("three\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "three")
    merging = subprocess.run(["git", "merge", "-q", "other"], cwd=root, capture_output=True)
    assert merging.returncode != 0  # a conflict: the merge is under way
    code, err = refused_before_writing(root, grant_id)
    assert code == "1"
    assert f"a merge is in progress in {root}" in err
    assert "git commit to finish it, or git merge --abort" in err
    assert git(root, "status", "--porcelain", "--", "grants", "cases") == ""


def test_git_missing_from_path_refuses_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root(tmp_path)
    grant_id = propose(root, committed_case(root))
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    path = grant_file(root, grant_id)
    raw = path.read_bytes()
    result = cli(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
    assert result.code == 2
    assert result.err.startswith(
        "hardship: git is not installed (no git on PATH): this root keeps its audit trail in "
        "git; nothing was written\n"
    )
    assert path.read_bytes() == raw
    monkeypatch.undo()
    assert git(root, "status", "--porcelain") == ""


def test_no_identity_for_the_officer_refuses_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root(tmp_path)
    grant_id = propose(root, committed_case(root))
    config = root / "hardship.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("    email: zhouli@union.example\n", ""),
        encoding="utf-8",
    )
    git(root, "commit", "-q", "-am", "周丽 has no email")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    code, err = refused_before_writing(root, grant_id)
    assert (code, err.splitlines()[0]) == (
        "2", "hardship: git has no identity for 周丽: hardship.yaml gives them no email and "
        "git has no user.email; nothing was written",
    )  # fmt: skip
    assert git(root, "status", "--porcelain") == ""


def test_a_report_says_when_git_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root(tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = ok(root, "report", "monthly", "--month", "2026-03", "--lang", "en").out
    assert "git is not installed: commit unknown" in out
    assert "not in git" not in out


def test_a_failing_commit_puts_the_file_back(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    grant_id = propose(root, committed_case(root))
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'disk quota exceeded' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    path = grant_file(root, grant_id)
    raw, before = path.read_bytes(), head(root)
    result = cli(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
    assert result.code == 1
    assert result.err == (
        "hardship: git commit failed, so the action was not recorded: disk quota exceeded\n"
        f"grants/2026/{grant_id}.yaml is back as before; nothing changed\n"
        "    hint: correct what git says, then run the command again\n"
    )
    assert path.read_bytes() == raw and head(root) == before
    assert git(root, "status", "--porcelain") == ""


def test_a_failing_commit_of_a_new_record_removes_it(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = committed_case(root)
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    result = cli(root, "add", "grant", "--as", "李明", "--case", case_id, *GRANT_ARGS,
                 "--on", "2026-03-02")  # fmt: skip
    assert result.code == 1
    assert "git commit failed, so the action was not recorded: exit status 1" in result.err
    assert list((root / "grants").rglob("GR-*.yaml")) == []
    assert git(root, "status", "--porcelain") == ""


def test_a_kill_between_the_write_and_its_commit_puts_the_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root(tmp_path)
    grant_id = propose(root, committed_case(root))
    path = grant_file(root, grant_id)
    raw, before = path.read_bytes(), head(root)

    def interrupted(self: commits.Pending, message: commits.Message) -> str:
        git(root, "add", "--", *self.rels)  # halfway: staged, not committed
        raise KeyboardInterrupt

    monkeypatch.setattr(commits.Pending, "commit", interrupted)
    result = cli(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
    assert result.code == 130
    assert path.read_bytes() == raw and head(root) == before
    assert git(root, "status", "--porcelain") == ""


def test_init_no_git_makes_a_root_that_runs_without_git_on_purpose(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    assert cli(None, "init", str(root), "--no-git").code == 0
    assert "git:\n  commit: false\n" in (root / "hardship.yaml").read_text(encoding="utf-8")
    assert ok(root, "validate").code == 0
    done = ok(root, "add", "case", "--as", "工会干事", "--on", "2026-01-05", "--name", "张伟",
              "--employee-id", "0107", "--unit", "烟叶站", "--sex", "male",
              "--birth-date", "1975-04-02", "--employment", "on_job",
              "--household-income", "700", "--level", "deep",
              "--cause", "serious_illness")  # fmt: skip
    assert done.out.strip() == "HS-2026-0001"
    assert "warning" not in done.err
    assert cli(root, "audit").code == 2  # no trail to audit, and it says so


# ---------------------------------------------------------------------------------------
# hardship audit


def test_audit_of_a_fresh_demo_root_is_clean_and_finds_a_dirty_record(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert cli(None, "init", str(root), "--demo").code == 0  # git init and the first commit
    code, doc = audit(root)
    assert (code, doc["findings"]) == (0, [])
    assert doc["commits"] == 1
    case = sorted((root / "cases").glob("HS-*.yaml"))[0]
    case.write_text(case.read_text(encoding="utf-8") + "# a hand note\n", encoding="utf-8")
    result = cli(root, "audit")
    assert result.code == 1
    rel = f"cases/{case.name}"
    assert result.out == (
        f"{rel}: uncommitted was changed and the change is not committed (differs from the "
        f"last commit)\n    hint: see what changed (git diff HEAD -- {rel}); record it "
        f"through hardship, or restore it (git checkout HEAD -- {rel})\n"
    )


def test_every_kind_of_action_is_as_its_commit_says(tmp_path: Path) -> None:
    """Each action's change matches what judging.ACTION_FIELDS says it changes: an action
    that comes to change another field shows here before it shows as a false flag."""
    root = make_root(tmp_path)
    case_id = committed_case(root)
    ok(root, "review", "check", case_id, "--as", "李明", "--on", "2026-02-01")  # review
    intake = ok(root, "add", "case", "--as", "李明", "--on", "2026-01-05", "--name", "王强",
                "--employee-id", "0108", "--unit", "烟叶站", "--sex", "male",
                "--birth-date", "1970-04-02", "--employment", "on_job",
                "--household-income", "1000", "--level", "deep",
                "--cause", "serious_illness").out.strip()  # fmt: skip
    ok(root, "review", "check", intake, "--as", "李明", "--on", "2026-01-05")
    ok(root, "review", "notice", intake, "--as", "李明", "--on", "2026-01-05")
    ok(root, "review", "object", intake, "--as", "周丽", "--on", "2026-01-06", "--note", "收入不实")
    ok(root, "review", "reject", intake, "--as", "王芳", "--on", "2026-01-20", "--note", "核实不符")
    for step in (("pay", "--voucher", "记-1"), ("review", "cancel", "--note", "不再需要"),
                 ("review", "reject", "--note", "不符合")):  # fmt: skip
        grant_id = propose(root, case_id)
        if step[0] == "pay":
            ok(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
        who = {"pay": "赵敏", "cancel": "李明", "reject": "周丽"}[step[-3]]
        ok(root, *step[:-2], grant_id, "--as", who, *step[-2:], "--on", "2026-03-04")
    drive = ok(root, "add", "campaign", "--as", "李明", "--title", "献爱心",
               "--beneficiary", case_id, "--on", "2026-04-01").out.strip()  # fmt: skip
    ok(root, "add", "donation", drive, "--as", "李明", "--donor", "机关", "--amount", "500",
       "--on", "2026-04-02")  # fmt: skip
    ok(root, "add", "visit", "--as", "王芳", "--occasion", "routine", "--visitor", "王芳",
       "--case", case_id, "--on", "2026-04-03")  # fmt: skip
    ok(root, "add", "referral", case_id, "--as", "李明", "--to", "civil_affairs",
       "--purpose", "低保", "--on", "2026-04-04")  # fmt: skip
    ok(root, "review", "referral", case_id, "1", "--as", "李明", "--status", "answered",
       "--on", "2026-04-10")  # fmt: skip
    ok(root, "close", case_id, "--as", "李明", "--reason", "moved", "--on", "2026-05-01")
    actions = git(root, "log", "--format=%(trailers:key=Action,valueonly)").split()
    assert set(actions) >= set(judging.ACTION_FIELDS) | {"file", "propose", "open", "visit"}
    code, doc = audit(root)
    assert (code, doc["findings"]) == (0, [])


def test_audit_finds_hand_commits_swept_edits_and_steps_dated_after_their_commit(
    tmp_path: Path,
) -> None:
    root = make_root(tmp_path)
    case_id = committed_case(root)
    grant_id = propose(root, case_id, "100")
    assert audit(root) == (0, {"root": str(root), "commits": 5, "signing_required": False,
                                "findings": []})  # fmt: skip
    path = grant_file(root, grant_id)
    path.write_text(path.read_text(encoding="utf-8").replace("100.00", "1000.00"), "utf-8")
    hand_commit(root, "typo", "test", "test@example.org")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("1000.00", "2000.00").replace("status: proposed", "status: approved")
        + "approvals:\n- by: 王芳\n  role: chair\n  on: 2099-01-01\n",
        encoding="utf-8",
    )
    hand_commit(
        root,
        f"grant {grant_id} approved\n\nRecord: {grant_id}\nAction: approve\nBy: 王芳\n",
        "王芳",
        "wangfang@union.example",
    )
    code, doc = audit(root)
    assert code == 1
    assert codes(doc) == [
        ("no-trailers", grant_id),
        ("action-change", grant_id),
        ("dated-after-commit", grant_id),
    ]
    messages = [f["message"].split(": ", 1)[1] for f in doc["findings"]]  # type: ignore[union-attr]
    assert messages[1] == "approve that also changed amount (no approve does)"
    assert messages[2].startswith("a step dated 2099-01-01 was committed on ")
    # A record made by hand under the trailer of `hardship init` is no root creation.
    grant_file(root, "GR-2026-0099").write_text(path.read_text(encoding="utf-8"), "utf-8")
    git(root, "add", "grants")
    hand_commit(root, "records root created\n\nAction: init\n", "hardship", "hardship@localhost")
    assert codes(audit(root)[1])[-1] == ("action-change", "GR-2026-0099")
    # An auditor who accepted the history up to a point reads only what came after it.
    assert cli(root, "audit", "--since", "HEAD~1").code == 1
    assert cli(root, "audit", "--since", "HEAD").code == 0
    nope = cli(root, "audit", "--since", "nope")
    assert (nope.code, nope.err.splitlines()[0]) == (
        2, "hardship: --since 'nope' is not a commit of this repository"
    )  # fmt: skip


def test_a_root_in_a_folder_of_its_repository(tmp_path: Path) -> None:
    root = make_root(tmp_path, with_git=False)
    (root / "hardship.yaml").write_text(CONFIG, encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "union records")
    grant_id = propose(root, committed_case(root))
    assert audit(root)[0] == 0
    path = grant_file(root, grant_id)
    path.write_text(path.read_text(encoding="utf-8").replace("300.00", "3000.00"), "utf-8")
    code, doc = audit(root)
    assert (code, [f["path"] for f in doc["findings"]]) == (1, [f"grants/2026/{grant_id}.yaml"])
    refused = cli(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
    assert f"grants/2026/{grant_id}.yaml was changed" in refused.err
    git(tmp_path, "checkout", "--", ".")
    ok(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
    events = json.loads(ok(root, "history", grant_id, "--format", "json").out)["events"]
    assert [(e["action"], e["flags"]) for e in events] == [("propose", []), ("approve", [])]


# ---------------------------------------------------------------------------------------
# Signed approvals


def keygen(folder: Path, name: str) -> Path:
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
                   check=True)  # fmt: skip
    return key


def require_signing(root: Path, keys: dict[str, Path]) -> None:
    config = root / "hardship.yaml"
    text = config.read_text(encoding="utf-8")
    for name, key in keys.items():
        public = key.with_suffix(".pub").read_text(encoding="utf-8").strip()
        text = text.replace(
            f"  - name: {name}\n", f"  - name: {name}\n    signing_key: {public}\n", 1
        )
    config.write_text(text + "git:\n  sign: required\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "signing required")


def test_signed_approvals_verify_and_an_unsigned_one_is_flagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root(tmp_path)
    keys = {name: keygen(tmp_path, name) for name in ("li", "wang")}
    case_id = committed_case(root)
    require_signing(root, {"李明": keys["li"], "王芳": keys["wang"]})
    monkeypatch.delenv("HARDSHIP_SIGNING_KEY", raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))  # no signingkey
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # No key on this machine: refused before writing.
    no_key = cli(root, "add", "grant", "--as", "李明", "--case", case_id, *GRANT_ARGS,
                 "--on", "2026-03-02")  # fmt: skip
    assert no_key.code == 2
    assert "no signing key for 李明 is set on this machine; nothing was written" in no_key.err
    monkeypatch.setenv("HARDSHIP_SIGNING_KEY", str(keys["li"]))
    grant_id = propose(root, case_id, "1500")
    # 李明's key cannot sign 王芳's approval.
    wrong = cli(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    assert wrong.code == 1
    assert "is not the one hardship.yaml lists for 王芳" in wrong.err
    monkeypatch.setenv("HARDSHIP_SIGNING_KEY", str(keys["wang"]))
    ok(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    code, doc = audit(root)
    # The case's steps were committed before signing was required: unsigned, and flagged.
    assert code == 1 and doc["signing_required"] is True
    assert {(c, r) for c, r in codes(doc)} == {("signature", case_id)}
    history = json.loads(ok(root, "history", grant_id, "--format", "json").out)
    assert [(e["action"], e["flags"]) for e in history["events"]] == [
        ("propose", []),
        ("approve", []),
    ]
    # An approval committed without the officer's key (by hand, with the tool's trailers).
    grant2 = propose_signed(root, case_id, keys["li"], monkeypatch)
    ok(root, "review", "approve", grant2, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
    hand_commit(
        root,
        f"grant {grant2} approved\n\nRecord: {grant2}\nAction: approve\nBy: 王芳\nRole: chair\n",
        "王芳",
        "wangfang@union.example",
    )
    history = json.loads(ok(root, "history", grant2, "--format", "json").out)
    assert history["events"][-1]["flags"] == [{"code": "signature", "message": "not signed"}]
    code, doc = audit(root)
    assert ("signature", grant2) in codes(doc)
    # Signed, but with 李明's key, by hand: flagged as 李明's.
    grant3 = propose_signed(root, case_id, keys["li"], monkeypatch)
    ok(root, "review", "approve", grant3, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_NAME": "王芳",
           "GIT_AUTHOR_EMAIL": "wangfang@union.example"}  # fmt: skip
    subprocess.run(
        ["git", "-c", "gpg.format=ssh", "-c", f"user.signingkey={keys['li']}", "commit", "-S",
         "-q", "-a", "-m", f"approve\n\nRecord: {grant3}\nAction: approve\nBy: 王芳\n"],
        cwd=root, env=env, check=True,
    )  # fmt: skip
    history = json.loads(ok(root, "history", grant3, "--format", "json").out)
    assert history["events"][-1]["flags"] == [
        {"code": "signature", "message": "signed with 李明's key, not 王芳's"}
    ]


def propose_signed(root: Path, case_id: str, key: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HARDSHIP_SIGNING_KEY", str(key))
    grant_id = propose(root, case_id, "1500")
    monkeypatch.delenv("HARDSHIP_SIGNING_KEY")
    return grant_id


def gpg_key(home: Path, who: str) -> str:
    """A throwaway OpenPGP signing key in a keyring of its own; its fingerprint."""
    subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", who, "ed25519",
                    "sign", "never"], env={**os.environ, "GNUPGHOME": str(home)},
                   capture_output=True, check=True)  # fmt: skip
    listed = subprocess.run(["gpg", "--with-colons", "--list-secret-keys", who],
                            env={**os.environ, "GNUPGHOME": str(home)},
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    return next(ln.split(":")[9] for ln in listed.splitlines() if ln.startswith("fpr"))


def test_openpgp_signed_approvals_verify_by_the_fingerprint_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    try:
        wang = gpg_key(home, "王芳 <wangfang@union.example>")
        li = gpg_key(home, "李明 <liming@union.example>")
        root = make_root(tmp_path)
        case_id = committed_case(root)
        config = root / "hardship.yaml"
        text = config.read_text(encoding="utf-8")
        for name, fingerprint in (("王芳", wang), ("李明", li)):
            spaced = " ".join(fingerprint[i : i + 4] for i in range(0, 40, 4))
            listed = f"  - name: {name}\n    signing_key: {spaced}\n"
            text = text.replace(f"  - name: {name}\n", listed)
        config.write_text(text + "git:\n  sign: required\n", encoding="utf-8")
        git(root, "commit", "-q", "-am", "signing required")
        monkeypatch.setenv("GNUPGHOME", str(home))
        grant_id = propose(root, case_id, "1500")
        ok(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
        assert git(root, "log", "-1", "--format=%G?:%GP") == f"G:{wang}\n"
        history = json.loads(ok(root, "history", grant_id, "--format", "json").out)
        assert [(e["action"], e["flags"]) for e in history["events"]] == [
            ("propose", []),
            ("approve", []),
        ]
        # 李明 signs an approval claimed for 王芳, by hand: flagged as his.
        grant2 = propose(root, case_id, "1500")
        ok(root, "review", "approve", grant2, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
        env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_NAME": "王芳",
               "GIT_AUTHOR_EMAIL": "wangfang@union.example"}  # fmt: skip
        subprocess.run(
            ["git", "-c", f"user.signingkey={li}", "commit", "-S", "-q", "-a", "-m",
             f"approve\n\nRecord: {grant2}\nAction: approve\nBy: 王芳\n"],
            cwd=root, env=env, check=True, capture_output=True,
        )  # fmt: skip
        history = json.loads(ok(root, "history", grant2, "--format", "json").out)
        assert history["events"][-1]["flags"] == [
            {"code": "signature", "message": "signed with 李明's key, not 王芳's"}
        ]
        # Without 王芳's secret key on this machine, her approval is refused before writing.
        grant3 = propose(root, case_id, "1500")
        elsewhere = tmp_path / "other-gnupg"
        elsewhere.mkdir(mode=0o700)
        monkeypatch.setenv("GNUPGHOME", str(elsewhere))
        refused = cli(root, "review", "approve", grant3, "--as", "王芳", "--on", "2026-03-03")
        assert refused.code == 2
        assert refused.err.startswith(
            f"hardship: the OpenPGP key hardship.yaml lists for 王芳 ({wang}) has no secret key "
            "in this machine's GnuPG keyring: only its owner signs with it; nothing was written"
        )
        assert git(root, "status", "--porcelain") == ""
    finally:
        for keyring in (home, tmp_path / "other-gnupg"):
            subprocess.run(["gpgconf", "--kill", "gpg-agent"], capture_output=True, check=False,
                           env={**os.environ, "GNUPGHOME": str(keyring)})  # fmt: skip


def test_a_signing_key_that_is_not_a_public_key_is_a_configuration_error(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    config = root / "hardship.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - name: 王芳\n", "  - name: 王芳\n    signing_key: /home/wang/.ssh/id\n"),
        encoding="utf-8",
    )
    result = cli(root, "validate")
    assert result.code == 2
    assert result.out.startswith(
        "hardship.yaml:42: bad-value `officers.2.signing_key`: not an SSH public key: write it "
        "as in the officer's .pub file (ssh-ed25519 AAAA... name), or an OpenPGP key's "
        "40-digit fingerprint\n"
    )


def test_without_the_setting_nothing_is_signed_or_checked(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    grant_id = propose(root, committed_case(root))
    assert git(root, "log", "-1", "--format=%G?") == "N\n"
    history = json.loads(ok(root, "history", grant_id, "--format", "json").out)
    assert history["events"][-1]["flags"] == []
    assert audit(root)[0] == 0
