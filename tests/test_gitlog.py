"""Git as the audit trail: one commit per action, authored by the officer, with trailers;
and a record's history read back, hand edits flagged."""

from __future__ import annotations

import json
from pathlib import Path

from hardship_cli.edit import gitrepo
from tests.workflow_fixtures import CONFIG, active_case, cli, git, make_root, ok, propose


def test_an_action_is_one_commit_by_the_officer_with_trailers(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = active_case(root)  # --no-commit: the files stay uncommitted
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "case filed before")
    grant_id = ok(root, "add", "grant", "--as", "李明", "--case", case_id, "--kind", "medical",
                  "--amount", "2000", "--fund", "union", "--reason", "术后自付",
                  "--on", "2026-03-02").out.strip()  # fmt: skip
    ok(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    log = git(root, "log", "-1", "--format=%an <%ae>%n%s%n%n%b")
    assert log == (
        "王芳 <wangfang@union.example>\n"
        f"帮扶 {grant_id} 由王芳（工会主席）审批：医疗救助 2,000.00，档案 {case_id}\n\n"
        f"Record: {grant_id}\nAction: approve\nBy: 王芳\nRole: chair\n\n"
    )
    files = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert files == [f"grants/2026/{grant_id}.yaml"]
    trailers = git(root, "log", "-1", "--format=%(trailers:key=Action,valueonly)").strip()
    assert trailers == "approve"


def test_only_the_files_of_the_action_are_committed(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = active_case(root)
    grant_id = propose(root, case_id, "400", kind="living")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "case and grant")
    (root / "notes.txt").write_text("work in progress\n", encoding="utf-8")
    git(root, "add", "notes.txt")  # staged by someone, not part of the action
    ok(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
    files = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert files == [f"grants/2026/{grant_id}.yaml"]
    assert "A  notes.txt" in git(root, "status", "--short")


def test_no_commit_leaves_the_change_uncommitted(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    head = git(root, "rev-parse", "HEAD")
    case_id = ok(root, "add", "case", "--as", "李明", "--on", "2026-01-05", "--name", "张伟",
                 "--employee-id", "0107", "--unit", "烟叶站", "--sex", "male",
                 "--birth-date", "1975-04-02", "--employment", "on_job",
                 "--household-income", "700", "--level", "deep", "--cause", "serious_illness",
                 "--no-commit").out.strip()  # fmt: skip
    assert git(root, "rev-parse", "HEAD") == head
    assert f"?? cases/{case_id}.yaml" in git(root, "status", "--short")


ADD_CASE = ("add", "case", "--as", "李明", "--on", "2026-01-05", "--name", "张伟",
            "--employee-id", "0107", "--unit", "烟叶站", "--sex", "male",
            "--birth-date", "1975-04-02", "--employment", "on_job",
            "--household-income", "700", "--level", "deep",
            "--cause", "serious_illness")  # fmt: skip


def test_outside_a_repository_the_action_is_refused_before_writing(tmp_path: Path) -> None:
    # Changed behaviour (issue 11): this used to write, exit 0 and warn.
    root = make_root(tmp_path, with_git=False)
    (root / "hardship.yaml").write_text(CONFIG, encoding="utf-8")  # no `git: commit: false`
    result = cli(root, *ADD_CASE)
    assert result.code == 2
    assert f"hardship: {root} is not inside a git repository" in result.err
    assert "nothing was written" in result.err
    assert "git: {commit: false}" in result.err
    assert not (root / "cases" / "HS-2026-0001.yaml").exists()


def test_a_root_that_runs_without_git_says_so_in_hardship_yaml(tmp_path: Path) -> None:
    root = make_root(tmp_path, with_git=False)
    assert (root / "hardship.yaml").read_text(encoding="utf-8").endswith("git:\n  commit: false\n")
    result = cli(root, *ADD_CASE)
    assert result.code == 0, result.err
    assert "git" not in result.err
    assert (root / "cases" / "HS-2026-0001.yaml").exists()


def test_history_shows_each_step_and_flags_a_hand_edit(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = active_case(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "case")
    grant_id = ok(root, "add", "grant", "--as", "李明", "--case", case_id, "--kind", "medical",
                  "--amount", "2500", "--fund", "union", "--reason", "术后自付",
                  "--on", "2026-03-02").out.strip()  # fmt: skip
    ok(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    path = root / "grants" / "2026" / f"{grant_id}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2500.00", "2600.00"), "utf-8")
    git(root, "commit", "-q", "-am", "typo")  # a hand edit: no trailers
    ok(root, "review", "approve", grant_id, "--as", "陈刚", "--on", "2026-03-04")
    ok(root, "pay", grant_id, "--as", "赵敏", "--voucher", "记-2026-031", "--on", "2026-03-05")

    doc = json.loads(ok(root, "history", grant_id, "--format", "json").out)
    steps = [(e["action"], e["by"], e["role"], e["author"], e["outside_tool"])
             for e in doc["events"]]  # fmt: skip
    assert steps == [
        ("propose", "李明", "officer", "李明", False),
        ("approve", "王芳", "chair", "王芳", False),
        (None, None, None, "test", True),
        ("approve", "陈刚", "leader", "陈刚", False),
        ("pay", "赵敏", "finance", "赵敏", False),
    ]
    changes = [e["changes"] for e in doc["events"]]
    assert changes == [
        ["created"],
        ["approvals: +1"],
        ["amount: 2500.00 -> 2600.00"],
        ["status: proposed -> approved", "approvals: +1"],
        ["status: approved -> paid", "paid added"],
    ]
    text = ok(root, "history", grant_id)
    assert "outside hardship: no trailers" in text.out
    assert "1 change(s) to" in text.err


def test_history_never_shows_sensitive_values(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = active_case(root, extra=("--phone", "13800001111"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "case")
    path = root / "cases" / f"{case_id}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("13800001111", "13900002222"), "utf-8"
    )
    git(root, "commit", "-q", "-am", "phone")
    out = ok(root, "history", case_id).out
    assert "worker.phone changed" in out
    assert "1380000" not in out and "1390000" not in out


def test_last_changed_reads_commit_dates(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = active_case(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "case")
    seen = gitrepo.last_changed(root, "cases")
    assert f"cases/{case_id}.yaml" in seen
