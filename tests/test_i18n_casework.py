"""Casework in the union's language: choices typed as the code or its word in either
language (`--kind 医疗救助`), refusals in the terminal's language, commit subjects in the
root's (hardship.yaml's `locale`), trailers in English whatever the language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hardship_cli import i18n
from hardship_cli.casework import intake, waiting
from hardship_cli.casework.case_transitions import read_close_reason
from hardship_cli.domain.model import CloseReason
from hardship_cli.load import store
from hardship_cli.problems import UsageError
from tests.workflow_fixtures import active_case, add_case, cli, git, make_root, ok


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path, with_git=False)


def _grant(root: Path, case_id: str, *extra: str, kind: str = "医疗救助") -> list[str]:
    return [
        "add", "grant", "--as", "李明", "--case", case_id, "--kind", kind, "--amount", "2000",
        "--reason", "术后自付", "--on", "2026-03-02", *extra,
    ]  # fmt: skip


def _zh() -> None:
    i18n.set_language("zh")


# ---------------------------------------------------------------------------------------
# Chinese accepted on input


def test_add_grant_kind_in_chinese_stores_the_code(root: Path) -> None:
    case_id = active_case(root)
    grant_id = ok(root, *_grant(root, case_id, "--fund", "工会经费", "--no-commit")).out.strip()
    text = (root / "grants" / "2026" / f"{grant_id}.yaml").read_text(encoding="utf-8")
    assert "kind: medical\n" in text
    assert "fund: union\n" in text


def test_add_grant_kind_as_the_english_word_stores_the_code(root: Path) -> None:
    case_id = active_case(root)
    args = _grant(root, case_id, "--fund", "union", "--no-commit", kind="Medical Relief")
    grant_id = ok(root, *args).out.strip()
    text = (root / "grants" / "2026" / f"{grant_id}.yaml").read_text(encoding="utf-8")
    assert "kind: medical\n" in text


def test_add_case_level_cause_and_member_in_chinese_store_the_codes(root: Path) -> None:
    case_id = add_case(
        root,
        level="深度困难",
        cause="因病",
        employment="在岗",
        members=("姓名=李梅，关系=配偶，健康=慢性病,monthly_income=0",),
        extra=("--secondary", "因学", "--health", "重病"),
    )
    text = (root / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert "level: deep\n" in text
    assert "primary: serious_illness\n" in text
    assert "- schooling\n" in text
    assert "employment: on_job\n" in text
    assert "health: serious_illness\n" in text
    assert "relation: spouse\n" in text
    assert "health: chronic_illness\n" in text


def test_a_drive_named_in_chinese_is_the_campaign_fund() -> None:
    assert intake.read_fund("爱心捐款:DC-2026-01") == "campaign:DC-2026-01"
    assert intake.read_fund("campaign:DC-2026-01") == "campaign:DC-2026-01"
    assert intake.read_fund("上级工会拨款") == "higher_union"


def test_an_unknown_word_is_refused_in_chinese_with_the_choices(root: Path) -> None:
    case_id = active_case(root)
    result = cli(root, "--lang", "zh", *_grant(root, case_id, "--fund", "union", kind="医疗"))
    assert result.code == 2
    assert (
        "--kind '医疗' 不在可选范围内：living（生活救助）、medical（医疗救助）、schooling（助学）、"
        "holiday（节日慰问）、emergency（临时救助）、employment（就业帮扶）、legal（法律援助）、"
        "other（其他）"
    ) in result.err
    assert "是否想输入 medical（医疗救助）？" in result.err
    assert not (root / "grants" / "2026").exists()


def test_an_unknown_word_is_refused_in_english_as_before(root: Path) -> None:
    case_id = active_case(root)
    result = cli(root, *_grant(root, case_id, "--fund", "union", kind="medicl"))
    assert result.code == 2
    assert "--kind 'medicl' is not one of: living (living relief), medical (medical relief)" in (
        result.err
    )
    assert "did you mean medical (medical relief)?" in result.err


def test_the_reason_to_close_is_read_in_either_language() -> None:
    assert read_close_reason("已脱困") is CloseReason.out_of_hardship
    assert read_close_reason("moved away") is CloseReason.moved
    assert read_close_reason("deceased") is CloseReason.deceased
    _zh()
    try:
        with pytest.raises(UsageError) as refused:
            read_close_reason("脱贫")
    finally:
        i18n.set_language("en")
    assert refused.value.message == "--reason '脱贫' 不是撤档原因"
    assert refused.value.hint.startswith("请使用以下之一：out_of_hardship（已脱困）、moved（调离）")


def test_close_with_a_chinese_reason_stores_the_code(root: Path) -> None:
    case_id = active_case(root)
    ok(root, "close", case_id, "--as", "李明", "--reason", "已脱困", "--on", "2026-04-01",
       "--no-commit")  # fmt: skip
    text = (root / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert "reason: out_of_hardship\n" in text


# ---------------------------------------------------------------------------------------
# Refusals and notes in the terminal's language


def test_a_self_approval_is_refused_in_chinese(root: Path) -> None:
    case_id = add_case(root)
    ok(root, "review", "check", case_id, "--as", "周丽", "--on", "2026-01-05", "--no-commit")
    ok(root, "review", "notice", case_id, "--as", "周丽", "--on", "2026-01-05", "--no-commit")
    result = cli(root, "--lang", "zh", "review", "approve", case_id, "--as", "李明",
                 "--on", "2026-01-12")  # fmt: skip
    assert result.code != 0
    assert f"李明 为 {case_id} 建档，不能审批（任何人不得审批自己建立的档案）" in result.err
    assert "请由另一位工会主席或分管领导审批" in result.err


def test_a_grant_for_a_case_in_intake_is_refused_in_chinese(root: Path) -> None:
    case_id = add_case(root)
    result = cli(root, "--lang", "zh", *_grant(root, case_id, "--fund", "union"))
    assert result.code != 0
    assert f"GR-2026-0001（医疗救助）所属档案为 {case_id}，但" in result.err
    assert "帮扶只给予已审批（在档）的档案" in result.err


def test_what_waits_is_said_in_chinese(root: Path) -> None:
    add_case(root)
    records = store.load(root)
    assert records.config is not None
    _zh()
    try:
        items = waiting.waiting(records.config, records.cases, records.grants, date(2026, 1, 6))
    finally:
        i18n.set_language("en")
    assert [(i.action, i.note) for i in items] == [("review check", "入户调查和初审")]


# ---------------------------------------------------------------------------------------
# Commit subjects: the root's language, whatever the terminal speaks


def _subject(root: Path) -> str:
    return git(root, "log", "-1", "--format=%s").strip()


def _trailers(root: Path) -> str:
    return git(root, "log", "-1", "--format=%(trailers)").strip()


def test_subjects_are_chinese_on_a_zh_cn_root_whatever_the_terminal(tmp_path: Path) -> None:
    root = make_root(tmp_path, with_git=True)
    case_id = active_case(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "casework so far")
    grant_id = ok(root, "--lang", "en", *_grant(root, case_id, "--fund", "union")).out.strip()
    assert _subject(root) == (
        f"帮扶 {grant_id} 由李明（工会干事）提出：医疗救助 2,000.00，档案 {case_id}"
    )
    assert _trailers(root) == f"Record: {grant_id}\nAction: propose\nBy: 李明\nRole: officer"


def test_subjects_stay_english_on_an_en_root(tmp_path: Path) -> None:
    root = make_root(tmp_path, with_git=True)
    config = root / "hardship.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("locale: zh-CN", "locale: en"), "utf-8"
    )
    case_id = active_case(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "casework so far")
    grant_id = ok(root, "--lang", "zh", *_grant(root, case_id, "--fund", "union")).out.strip()
    assert _subject(root) == (
        f"grant {grant_id} proposed by 李明 (officer): medical relief 2,000.00 for {case_id}"
    )
    assert _trailers(root) == f"Record: {grant_id}\nAction: propose\nBy: 李明\nRole: officer"
    ok(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    assert _subject(root) == (
        f"grant {grant_id} approved by 王芳 (chair): medical relief 2,000.00 for {case_id}"
    )


def test_the_prompt_hears_a_choice_in_either_language() -> None:
    kind = next(f for f in intake.GRANT_FIELDS if f.name == "kind")
    assert kind.problem("医疗救助") is None
    assert kind.problem("medical") is None
    _zh()
    try:
        said = kind.problem("医疗")
        shown = kind.choices_shown
    finally:
        i18n.set_language("en")
    assert said is not None and said.endswith("；是否想输入 medical（医疗救助）？")
    assert shown is not None and shown.startswith("living（生活救助）、medical（医疗救助）")
    assert kind.problem("medicl") == (
        "--kind 'medicl' is not one of: "
        + intake.choice_list("kind")
        + "; did you mean medical (medical relief)?"
    )


def test_a_fund_close_to_a_word_is_suggested() -> None:
    _zh()
    try:
        with pytest.raises(UsageError) as refused:
            intake.read_fund("工会")
    finally:
        i18n.set_language("en")
    assert refused.value.message == (
        "--fund '工会' 不在可选范围内：union（工会经费）、higher_union（上级工会拨款）、"
        "employer（行政拨款）"
    )
    assert refused.value.hint == "是否想输入 union（工会经费）？"


def test_what_is_due_is_said_in_chinese_and_english(root: Path) -> None:
    from hardship_cli.casework import agenda

    case_id = active_case(root)
    records = store.load(root)
    english = agenda.due(records, date(2026, 3, 1)).never_helped
    _zh()
    try:
        chinese = agenda.due(records, date(2026, 3, 1)).never_helped
    finally:
        i18n.set_language("en")
    assert [(i.record, i.note) for i in english] == [
        (case_id, "active since 2026-01-12, no help given or proposed")
    ]
    assert [(i.record, i.note) for i in chinese] == [
        (case_id, "自 2026-01-12 起在档，尚未给予或提出任何帮扶")
    ]
