"""Issue 13: the rules' problems and the editing layer's refusals speak the terminal's
language. `hardship --lang zh` on a test root says each planted defect in Chinese (roles,
tiers and kinds in the vocabulary's words), with its hint; `--lang en` says the same in
English; the codes stay what programs read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hardship_cli import i18n
from hardship_cli.edit import changes, gitrepo, judging, trail
from hardship_cli.edit.commit_log import Commit
from tests.clirun import hardship
from tests.rootkit import Root
from tests.workflow_fixtures import add_case, cli, git, make_root, ok

CASE = "cases/HS-2026-0001.yaml"
GRANT = "grants/2026/GR-2026-0001.yaml"
TODAY = "2026-11-29"


def problems(root: Root, lang: str) -> dict[str, tuple[str, str, str]]:
    """validate --format json in `lang`: code -> (severity, message, hint)."""
    result = hardship("--root", root.path, "--lang", lang, "validate", "--today", TODAY,
                      "--format", "json")  # fmt: skip
    assert result.code == 1, result.err
    return {p["code"]: (p["severity"], p["message"], p["hint"]) for p in json.loads(result.out)}


@pytest.fixture
def defects(root: Root) -> Root:
    """A case approved by who filed it, at the wrong tier; a budget line overdrawn; a
    grant signed in a role its officer does not hold."""
    root.replace(CASE, "filed: {by: 李明", "filed: {by: 王芳")
    root.replace(CASE, "household_monthly: 2100.00", "household_monthly: 3600.00")
    root.replace("budgets/2026.yaml", "medical: 40000.00", "medical: 1000.00")
    root.replace(GRANT, "by: 王芳, role: chair", "by: 王芳, role: leader")
    return root


ZH = {
    "self-approval": (
        "error",
        "王芳审批了自己建档的HS-2026-0001",
        "须由具有相应角色的其他人员审批",
    ),
    "tier-mismatch": (
        "warning",
        "HS-2026-0001定为深度困难，但其人均收入1,000.00按标准800.00（自2026-01-01起）"
        "应为相对困难",
        "低于800.00为深度困难，低于1,600.00为相对困难；请更正困难类别或收入",
    ),
    "budget-overdrawn": (
        "error",
        "2026年医疗救助预算科目超支：预算1,000.00，已支出1,500.00，已批未付0.00，超出500.00",
        "请（从预备费中）追加该科目预算，或取消已批准的帮扶",
    ),
    "wrong-role": (
        "error",
        "王芳以分管领导身份签署，但在 hardship.yaml 中的角色是工会主席",
        "请使用王芳实际担任的角色，或在 hardship.yaml 的 `officers` 中为其添加该角色",
    ),
    "missing-approval": (
        "error",
        "GR-2026-0001（1,500.00）状态为已发放，但缺少以下审批：工会主席",
        "按 hardship.yaml 的审批规定，此金额须经工会主席审批",
    ),
}

EN = {
    "self-approval": (
        "error",
        "王芳 approved HS-2026-0001, which they filed",
        "another officer of the required role must approve it",
    ),
    "tier-mismatch": (
        "warning",
        "HS-2026-0001 is deep hardship, but its per-capita income 1,000.00 against the "
        "standard 800.00 (from 2026-01-01) makes it relative hardship",
        "deep hardship below 800.00, relative hardship below 1,600.00; correct the level or "
        "the income",
    ),
    "budget-overdrawn": (
        "error",
        "the budget line for medical relief in 2026 is overdrawn: allocated 1,000.00, spent "
        "1,500.00, committed 0.00, over by 500.00",
        "raise the line (from the reserve) or cancel approved help",
    ),
    "wrong-role": (
        "error",
        "王芳 signed as leader, but is chair in hardship.yaml",
        "use the role 王芳 holds, or add the role to `officers` in hardship.yaml",
    ),
    "missing-approval": (
        "error",
        "GR-2026-0001 (1,500.00) is paid without the approval of: chair",
        "the policy in hardship.yaml requires chair at this amount",
    ),
}


def test_validation_problems_in_chinese_with_their_hints(defects: Root) -> None:
    assert problems(defects, "zh") == ZH


def test_validation_problems_in_english_unchanged(defects: Root) -> None:
    assert problems(defects, "en") == EN


def test_the_language_of_kept_problems_follows_the_run(defects: Root) -> None:
    """Per-record problems are kept in the parse cache: a run in another language says
    them in its own, never in the one that filled the cache."""
    assert problems(defects, "zh") == ZH
    assert problems(defects, "en") == EN
    assert problems(defects, "zh") == ZH


def test_text_output_in_chinese(defects: Root) -> None:
    result = hardship("--root", defects.path, "--lang", "zh", "validate", "--today", TODAY)
    assert result.code == 1
    assert f"{CASE}:34: self-approval 王芳审批了自己建档的HS-2026-0001\n" in result.out
    assert "须由具有相应角色的其他人员审批" in result.out


def test_a_grant_over_the_yearly_cap_and_a_review_overdue_in_chinese(root: Root) -> None:
    root.replace("hardship.yaml", "per_case_year: 20000.00", "per_case_year: 1000.00")
    root.replace(CASE, "review_due: 2027-01-20", "review_due: 2026-11-28")
    said = problems(root, "zh")
    assert said["cap-exceeded"] == (
        "error",
        "HS-2026-0001在2026年已获帮扶1,500.00（医疗救助），超过每户每年1,000.00的上限",
        "请降低或取消本笔帮扶；上限见 hardship.yaml 的 caps",
    )
    assert said["review-overdue"] == (
        "warning",
        "HS-2026-0001应于2026-11-28复核（已逾期1天）",
        "请对该户进行复核并设置新的 review_due，或予以撤档",
    )
    assert problems(root, "en")["review-overdue"][1] == (
        "HS-2026-0001 was due for review on 2026-11-28 (1 day ago)"
    )


# ---------------------------------------------------------------------------------------
# The editing layer: refusals before writing, the trail read back


def test_a_hand_edit_refuses_the_action_in_chinese(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = add_case(root)  # written, never committed
    rel = f"cases/{case_id}.yaml"
    result = cli(root, "--lang", "zh", "review", "check", case_id, "--as", "李明",
                 "--on", "2026-01-05")  # fmt: skip
    assert result.code == 1
    assert (
        f"{rel} 是从未提交过的新文件：每项操作只提交自身的改动，因此被拒绝；未写入任何内容"
        in result.err
    )
    assert f"请提交（git add {rel} && git commit），或将其移出档案根目录" in result.err
    english = cli(root, "--lang", "en", "review", "check", case_id, "--as", "李明",
                  "--on", "2026-01-05")  # fmt: skip
    assert (
        f"{rel} is a new file that was never committed: an action commits only its own "
        "change, so it was refused; nothing was written" in english.err
    )


def test_a_hand_commit_is_flagged_in_the_history_in_chinese(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    case_id = add_case(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "by hand")
    try:
        i18n.set_language("zh")
        [event] = trail.history(root, f"cases/{case_id}.yaml", case_id)
    finally:
        i18n.set_language("en")
    assert event.changes == ["新建"]
    assert [(f.code, f.message) for f in event.flags] == [
        ("no-trailers", "没有 trailer：在 hardship 之外修改（手工编辑）")
    ]
    doc = json.loads(ok(root, "--lang", "en", "history", case_id, "--format", "json").out)
    assert doc["events"][0]["flags"] == [
        {"code": "no-trailers", "message": "no trailers: changed outside hardship (a hand edit)"}
    ]


def _commit(**fields: object) -> Commit:
    base: dict[str, object] = {
        "sha": "0" * 40, "parents": ["1" * 40], "author": "李明", "email": "liming@example.org",
        "authored": "2026-03-02T10:00:00+08:00", "committed": "2026-03-02T10:00:00+08:00",
        "subject": "s", "records": ["GR-2026-0001"], "action": "pay", "by": ["李明"],
        "role": "officer",
    }  # fmt: skip
    base.update(fields)
    return Commit(**base)  # type: ignore[arg-type]


def test_judged_commits_and_changes_in_chinese() -> None:
    change = changes.compare(b"status: approved\nnote: a\n", b"status: paid\nnote: b\n")
    commit = _commit(records=["GR-2026-0002"])
    try:
        i18n.set_language("zh")
        words = changes.compare(b"status: approved\nnote: a\n", b"status: paid\n").words
        flags = judging.judge(commit, "GR-2026-0001", change, None, None)
        state = gitrepo.describe_status(" M")
    finally:
        i18n.set_language("en")
    assert words == ["status: approved -> paid", "删除 note"]
    assert [(f.code, f.message) for f in flags] == [
        ("other-record", "针对 GR-2026-0002 的操作同时修改了 GR-2026-0001"),
        ("action-change", "pay 操作未修改 paid"),
        ("action-change", "pay 操作还修改了 note（pay 操作不应修改这些）"),
    ]
    assert state == "已被修改，且改动尚未提交"
    english = judging.judge(commit, "GR-2026-0001", change, None, None)
    assert [f.message for f in english] == [
        "an action on GR-2026-0002 that also changed GR-2026-0001",
        "pay that did not change paid",
        "pay that also changed note (no pay does)",
    ]
