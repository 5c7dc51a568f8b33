"""Editing in place with the smallest diff; never a lost edit; never a broken file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from hardship_cli.domain.model import Case, Grant, Step
from hardship_cli.edit import atomic
from hardship_cli.load import files, strict
from hardship_cli.problems import Refused
from tests.workflow_fixtures import active_case, cli, git, make_root, ok, propose

COMMENTED_GRANT = textwrap.dedent(
    """\
    # yaml-language-server: $schema=../../.hardship/schema/grant.schema.json
    # 张伟术后自付部分，经入户核实。
    id: GR-2026-0001
    case: HS-2026-0001
    kind: medical        # 医疗救助
    amount: 1800         # 元
    fund: union
    status: proposed     # 待审批
    proposed:
      by: 李明
      on: 2026-03-02
      reason: '术后自付部分'
    # 审批意见
    approvals: []
    notes: >-
      发票已复印存档
    """
)


def _load(path: Path, model: type) -> object:
    record, problems = files.to_record(model, strict.parse(path.read_bytes(), path.name), "x")
    assert not problems, problems
    return record


def test_an_approval_diff_is_the_lines_of_the_approval(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = active_case(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "case")
    path = root / "grants" / "2026" / "GR-2026-0001.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(COMMENTED_GRANT.replace("HS-2026-0001", case_id), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a grant written by hand, with comments")
    ok(root, "review", "approve", "GR-2026-0001", "--as", "王芳", "--on", "2026-03-03",
       "--note", "同意", "--no-commit")  # fmt: skip
    diff = git(root, "diff", "-U0", "--", str(path.relative_to(root)))
    changed = [
        line for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]  # fmt: skip
    assert changed == [
        "-status: proposed     # 待审批",
        "+status: approved     # 待审批",
        "-approvals: []",
        "+approvals:",
        "+  - step: approve",
        "+    by: 王芳",
        "+    role: chair",
        "+    on: 2026-03-03",
        "+    decision: approved",
        "+    note: 同意",
    ]
    text = path.read_text(encoding="utf-8")
    assert "amount: 1800         # 元" in text  # untouched money stays as written
    assert "# 审批意见\napprovals:" in text  # the comment still heads its key


def test_appending_to_a_list_keeps_the_comment_that_heads_the_next_key(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        id: GR-2026-0001
        case: HS-2026-0001
        kind: medical
        amount: 2500.00
        fund: union
        status: proposed
        proposed:
          by: 李明
          on: 2026-03-02
        approvals:
          - step: approve
            by: 王芳   # 主席
            role: chair
            on: 2026-03-03

        # 以下为财务填写
        notes: 待付款
        """
    )
    path = tmp_path / "GR-2026-0001.yaml"
    path.write_text(source, encoding="utf-8")
    file = atomic.RecordFile(path, "grants/2026/GR-2026-0001.yaml")
    old = _load(path, Grant)
    assert isinstance(old, Grant)
    new = old.model_copy(deep=True)
    new.approvals.append(
        Step(step="approve", by="陈刚", role="leader", on=date(2026, 3, 4), decision="approved")
    )
    new.status = "approved"  # type: ignore[assignment]
    text = file.edit(old, new)
    assert text == source.replace("status: proposed", "status: approved").replace(
        "    on: 2026-03-03\n",
        "    on: 2026-03-03\n  - step: approve\n    by: 陈刚\n    role: leader\n"
        "    on: 2026-03-04\n    decision: approved\n",
    )


def test_written_money_dates_and_ambiguous_text(tmp_path: Path) -> None:
    path = tmp_path / "HS-2026-0001.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            id: HS-2026-0001
            status: applied
            worker: {name: 张伟, employee_id: '007', unit: 烟叶站, sex: male,
              birth_date: 1975-04-02, employment: on_job}
            income:
              household_monthly: 1500
            level: deep
            causes:
              primary: serious_illness
            filed:
              by: 李明
              on: 2026-01-05
            """
        ),
        encoding="utf-8",
    )
    file = atomic.RecordFile(path, "cases/HS-2026-0001.yaml")
    old = _load(path, Case)
    assert isinstance(old, Case)
    new = old.model_copy(deep=True)
    new.income.rigid_expenses_monthly = Decimal("300.5")
    new.review_due = date(2027, 1, 12)
    new.notes = "No"  # text that YAML 1.1 readers would take for false
    text = file.edit(old, new)
    assert "  rigid_expenses_monthly: 300.50\n" in text
    assert "review_due: 2027-01-12\n" in text
    assert "notes: 'No'\n" in text
    assert "employee_id: '007'" in text
    back = files.to_record(Case, strict.parse(text.encode(), "x"), "x")[0]
    assert back == new


def test_a_new_record_names_its_schema_for_editors(tmp_path: Path) -> None:
    root = make_root(tmp_path, with_git=False)
    case_id = active_case(root)
    grant_id = propose(root, case_id, "400", kind="living")
    case_text = (root / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8")
    grant_text = (root / "grants" / "2026" / f"{grant_id}.yaml").read_text(encoding="utf-8")
    assert case_text.startswith(
        "# yaml-language-server: $schema=../.hardship/schema/case.schema.json\n"
    )
    assert grant_text.startswith(
        "# yaml-language-server: $schema=../../.hardship/schema/grant.schema.json\n"
    )
    assert (root / ".hardship" / "schema" / "grant.schema.json").exists()
    assert "amount: 400.00\n" in grant_text
    assert "employee_id: '0107'" in case_text


# ---------------------------------------------------------------------------------------
# Never a lost edit


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "GR-2026-0001.yaml"
    path.write_text(COMMENTED_GRANT, encoding="utf-8")
    file = atomic.RecordFile(path, "grants/2026/GR-2026-0001.yaml")
    old = _load(path, Grant)
    assert isinstance(old, Grant)
    new = old.model_copy(update={"notes": "改"})
    text = file.edit(old, new)
    path.write_text(COMMENTED_GRANT + "# someone else's line\n", encoding="utf-8")
    with pytest.raises(Refused, match="changed on disk since it was read"):
        file.save(text)
    assert path.read_text(encoding="utf-8").endswith("# someone else's line\n")
    # Unchanged bytes (only touched) are not a lost edit: the write goes through.
    path.write_text(COMMENTED_GRANT, encoding="utf-8")
    file = atomic.RecordFile(path, "grants/2026/GR-2026-0001.yaml")
    path.write_text(COMMENTED_GRANT, encoding="utf-8")
    file.save(text)
    assert path.read_text(encoding="utf-8").endswith("notes: >-\n  改\n")  # style kept


def test_an_approval_racing_another_writer_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process (an editor, a sync) changes the grant while the approval decides."""
    from hardship_cli.casework import grant_transitions

    root = make_root(tmp_path, with_git=False)
    case_id = active_case(root)
    grant_id = propose(root, case_id, "1500")
    path = root / "grants" / "2026" / f"{grant_id}.yaml"
    real = grant_transitions.approve_grant

    def racing(*args: object, **kwargs: object) -> object:
        with path.open("a", encoding="utf-8") as handle:
            handle.write("notes: 另一个人同时改了这个文件\n")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(grant_transitions, "approve_grant", racing)
    result = cli(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"hardship: grants/2026/{grant_id}.yaml changed on disk since it was read; it was "
        "not overwritten"
    )
    text = path.read_text(encoding="utf-8")
    assert "status: proposed" in text and "另一个人同时改了这个文件" in text


def test_the_text_written_must_read_back_as_meant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root(tmp_path, with_git=False)
    case_id = active_case(root)
    grant_id = propose(root, case_id, "1500")
    path = root / "grants" / "2026" / f"{grant_id}.yaml"
    before = path.read_bytes()
    real = atomic.RecordFile.edit

    def lossy(self: atomic.RecordFile, old: object, new: object) -> str:
        return real(self, old, new).replace("by: 王芳", "by: 王方")

    monkeypatch.setattr(atomic.RecordFile, "edit", lossy)
    result = cli(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    assert result.code == 3
    assert "does not read back as the record meant; nothing was written" in result.err
    assert path.read_bytes() == before


# ---------------------------------------------------------------------------------------
# Never a broken file: killed in the middle of a write


KILLABLE = textwrap.dedent(
    """\
    import os, sys, time
    from hardship_cli.cli.main import run
    block_at = int(sys.argv[1])
    calls = [0]
    real = os.fsync
    def fsync(fd):
        calls[0] += 1
        if calls[0] == block_at:
            print("blocked", flush=True)
            time.sleep(600)
        return real(fd)
    os.fsync = fsync
    run(sys.argv[2:])
    """
)


@pytest.mark.parametrize(
    ("block_at", "expect"),
    [
        (1, "old"),  # killed after the temp file is written, before the rename
        (2, "new"),  # killed after the rename, before the folder is synced
    ],
)
def test_killed_in_the_middle_of_a_write_leaves_the_old_file_or_the_new(
    tmp_path: Path, block_at: int, expect: str
) -> None:
    root = make_root(tmp_path, with_git=False)
    case_id = active_case(root)
    grant_id = propose(root, case_id, "1500")
    path = root / "grants" / "2026" / f"{grant_id}.yaml"
    old = path.read_text(encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLABLE, str(block_at), "--root", str(root), "review",
         "approve", grant_id, "--as", "王芳", "--on", "2026-03-03", "--no-commit"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "blocked"
    finally:
        proc.kill()
        proc.wait()
    text = path.read_text(encoding="utf-8")
    if expect == "old":
        assert text == old
    else:
        assert "status: approved" in text and text.startswith(old.split("status:")[0])
    grant = _load(path, Grant)
    assert isinstance(grant, Grant)
    # A temp file may be left behind; it is not a record and validate passes.
    result = cli(root, "validate")
    assert result.code == 0, result.out


def test_untouched_nulls_are_written_back_as_they_were(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        id: GR-2026-0001
        case: HS-2026-0001
        kind: medical
        amount: 1800
        fund: union
        status: proposed
        proposed:
          by: 李明
          on: 2026-03-02
          reason: ~
        paid: null
        notes:
        """
    )
    path = tmp_path / "GR-2026-0001.yaml"
    path.write_text(source, encoding="utf-8")
    file = atomic.RecordFile(path, "grants/2026/GR-2026-0001.yaml")
    old = _load(path, Grant)
    assert isinstance(old, Grant)
    new = old.model_copy(update={"notes": "~"})  # text that reads as null is quoted
    text = file.edit(old, new)
    assert text == source.replace("notes:\n", "notes: '~'\n")
