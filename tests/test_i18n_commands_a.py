"""The casework commands in Chinese (--lang zh): add (its help and its prompts), review
(a refused self-approval, the review list), close, history, due, init; English unchanged.

The suite runs in English (conftest sets HARDSHIP_LANG=en); each Chinese run here says
--lang zh, or sets the language in try/finally and resets it to English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hardship_cli import i18n
from hardship_cli.casework import intake
from hardship_cli.cli import prompts
from hardship_cli.cli.main import app
from tests.workflow_fixtures import active_case, cli, git, make_root, ok, propose


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """A run with --lang zh leaves the process speaking Chinese: English again after it,
    for the tests that follow in this process."""
    yield
    i18n.set_language("en")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path, with_git=False)


def zh(root: Path | None, *args: str) -> Any:
    return cli(root, "--lang", "zh", *args)


def squashed(text: str) -> str:
    """Help as shown in its boxes, without the boxes and any space (lines wrap anywhere)."""
    return re.sub(r"[\s│]", "", text)


# ---------------------------------------------------------------------------------------
# help


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that no help line wraps or is cut (squashed() compares)."""
    monkeypatch.setenv("COLUMNS", "300")


@pytest.mark.usefixtures("wide")
def test_add_grant_help_is_chinese_with_readable_metavars() -> None:
    shown = zh(None, "add", "grant", "--help")
    assert shown.code == 0
    text = squashed(shown.out)
    assert "为一份档案提出帮扶（状态为已提出），随后按政策逐级审批。" in text
    assert "示例：hardshipaddgrant--as李明" in text
    # The choices of --kind with their words, the flag marked required.
    assert "可选：living（生活救助）、medical（医疗救助）、schooling（助学）" in text
    assert "other（其他）（必填）" in text and "档案编号" in text and "金额" in text
    assert "<str>" not in shown.out and "<bool>" not in shown.out


@pytest.mark.usefixtures("wide")
def test_close_and_review_help_are_chinese() -> None:
    text = squashed(zh(None, "close", "--help").out)
    assert "为在档档案撤档（随时脱困随时撤档），并注明原因。" in text
    assert "--reason原因撤档原因（必填）" in text and "<str>" not in text
    text = squashed(zh(None, "review", "list", "--help").out)
    assert "哪些事项在等待、等待谁、等了多久" in text


@pytest.mark.usefixtures("wide")
def test_help_in_english_is_unchanged() -> None:
    text = squashed(cli(None, "--lang", "en", "add", "grant", "--help").out)
    assert "Proposehelpforacase(statusproposed);approvalsfollowbythepolicy." in text
    assert (
        squashed(
            "kind of help; one of: living, medical, schooling, holiday, emergency, employment, "
            "legal, other (required)"
        )
        in text
    )


# ---------------------------------------------------------------------------------------
# review


SELF_APPROVAL = "{by} proposed {id} and cannot approve it (nobody approves what they proposed)"


def test_a_refused_self_approval_in_chinese(root: Path) -> None:
    assert i18n.gettext_in("zh", SELF_APPROVAL) != SELF_APPROVAL
    case_id = active_case(root)
    grant = propose(root, case_id, "800", kind="living", by="王芳")
    refused = zh(root, "review", "approve", grant, "--as", "王芳", "--on", "2026-03-03",
                 "--no-commit")  # fmt: skip
    assert refused.code != 0
    assert f"王芳 提出了 {grant}，不能审批（任何人不得审批自己提出的帮扶）" in refused.err
    assert "金额为 800.00 时，按规定须经工会主席审批" in refused.err


def test_a_refused_override_in_chinese_and_english(root: Path) -> None:
    case_id = active_case(root)
    grant = propose(root, case_id, "800", kind="living")
    refused = zh(root, "review", "approve", grant, "--as", "王芳", "--reason", "急需")
    assert refused.code == 2
    assert "--reason 须与 --override 一同使用" in refused.err
    refused = cli(root, "review", "approve", grant, "--as", "王芳", "--reason", "急需")
    assert "--reason goes with --override" in refused.err


def test_review_list_in_chinese(root: Path) -> None:
    case_id = active_case(root)
    propose(root, case_id, "800", kind="living")
    shown = zh(root, "review", "list", "--today", "2026-03-05")
    assert shown.code == 0, shown.err
    header, row = shown.out.splitlines()[:2]
    assert header.split() == ["记录", "状态", "等待", "起始日期", "天数", "下一步"]
    assert row.split()[:3] == ["GR-2026-0001", "已提出", "工会主席"]
    assert "review approve" in row  # the command stays a command
    nobody = zh(root, "review", "list", "--as", "路人")
    assert "路人 不是 hardship.yaml 中登记的工会干事" in nobody.err
    english = cli(root, "review", "list", "--today", "2026-03-05")
    assert english.out.splitlines()[0].split() == [
        "record", "status", "waits", "for", "since", "days", "next"
    ]  # fmt: skip
    assert english.out.splitlines()[1].split()[:3] == ["GR-2026-0001", "proposed", "chair"]


def test_a_case_waits_for_any_one_of_its_roles(root: Path) -> None:
    from tests.workflow_fixtures import add_case

    case_id = add_case(root)
    ok(root, "review", "check", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    ok(root, "review", "notice", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    row = zh(root, "review", "list", "--today", "2026-01-20").out.splitlines()[1]
    assert "公示中" in row and "工会主席或分管领导" in row
    row = cli(root, "review", "list", "--today", "2026-01-20").out.splitlines()[1]
    assert "on_notice" not in row and "chair or leader" in row


# ---------------------------------------------------------------------------------------
# add, on a terminal


def test_add_case_asks_in_chinese_and_takes_the_word(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    flags = ["add", "case", "--as", "李明", "--on", "2026-01-05", "--name", "张伟",
             "--employee-id", "0107", "--unit", "烟叶站", "--birth-date", "1975-04-02",
             "--household-income", "1500", "--level", "deep", "--cause", "serious_illness",
             "--no-commit"]  # fmt: skip
    i18n.set_language("zh")
    try:
        # sex: a typo first (asked again), then the word; employment: the Chinese word.
        result = CliRunner().invoke(app, ["--root", str(root), *flags], input="nv\n女\n在岗\n")
    finally:
        i18n.set_language("en")
    assert result.exit_code == 0, result.output
    assert "[男|女]" in result.output
    assert "[在岗|下岗|失业|退休|病休|农民工]" in result.output
    assert "“nv”不在可选范围内：男、女" in result.output
    text = (root / "cases" / "HS-2026-0001.yaml").read_text(encoding="utf-8")
    assert "sex: female" in text and "employment: on_job" in text


def field(name: str) -> intake.Field:
    return next(f for f in intake.GRANT_FIELDS + intake.VISIT_FIELDS if f.name == name)


def test_a_wrong_choice_in_chinese_says_did_you_mean(monkeypatch, capsys) -> None:
    answers = iter(["医疗救主", "医疗救助"])
    monkeypatch.setattr(prompts.typer, "prompt", lambda text, **_kw: next(answers))
    values: dict[str, Any] = {}
    i18n.set_language("zh")
    try:
        prompts.ask(field("kind"), values)
        said = prompts.not_a_choice(field("kind"), "medcal")
    finally:
        i18n.set_language("en")
    assert values == {"kind": "medical"}  # the word, stored as its code
    assert (
        "“医疗救主”不在可选范围内：生活救助、医疗救助、助学、节日慰问、临时救助、就业帮扶、"
        "法律援助、其他；是否要输入 医疗救助？" in capsys.readouterr().err
    )
    assert said is not None and said.endswith("是否要输入 医疗救助？")


def test_add_flags_take_the_word_of_a_choice(root: Path) -> None:
    case_id = active_case(root)
    grant = ok(root, "add", "grant", "--as", "李明", "--case", case_id, "--kind", "医疗救助",
               "--amount", "800", "--fund", "union", "--reason", "x", "--on", "2026-03-02",
               "--no-commit")  # fmt: skip
    text = (root / "grants" / "2026" / f"{grant.out.strip()}.yaml").read_text(encoding="utf-8")
    assert "kind: medical" in text


# ---------------------------------------------------------------------------------------
# close, history, due, init


def test_close_reason_in_chinese_is_stored_as_its_code(root: Path) -> None:
    case_id = active_case(root)
    done = zh(root, "close", case_id, "--as", "李明", "--reason", "已脱困", "--on", "2026-02-01",
              "--no-commit")  # fmt: skip
    assert done.code == 0, done.err
    text = (root / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert "reason: out_of_hardship" in text


def test_close_refuses_a_reason_that_names_nothing(root: Path) -> None:
    case_id = active_case(root)
    refused = zh(root, "close", case_id, "--as", "李明", "--reason", "搬家")
    assert refused.code == 2
    assert "搬家 不在可选范围内：out_of_hardship (已脱困)" in refused.err
    missing = zh(root, "close", case_id, "--as", "李明")
    assert missing.code == 2
    assert "缺少 --reason：out_of_hardship（已脱困）、moved（调离）" in missing.err
    assert "请给出代码或其名称" in missing.err
    english = cli(root, "close", case_id, "--as", "李明")
    assert "missing --reason: out_of_hardship (out of hardship), moved (moved away)" in english.err


def test_history_in_chinese(tmp_path: Path) -> None:
    root = make_root(tmp_path, with_git=True)
    case_id = ok(root, "add", "case", "--as", "李明", "--on", "2026-01-05", "--name", "张伟",
                 "--employee-id", "0107", "--unit", "烟叶站", "--sex", "male",
                 "--birth-date", "1975-04-02", "--employment", "on_job",
                 "--household-income", "1500", "--level", "deep",
                 "--cause", "serious_illness").out.strip()  # fmt: skip
    path = root / "cases" / f"{case_id}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "notes: 手工改动\n", encoding="utf-8")
    git(root, "commit", "-qam", "by hand")
    shown = zh(root, "history", case_id)
    assert shown.code == 0, shown.err
    assert "李明（工会干事）" in shown.out
    assert "test（在 hardship 之外：提交无尾注）" in shown.out
    assert f"{case_id} 有 1 处改动是在 hardship 之外作出的，请核查" in shown.err
    english = cli(root, "history", case_id)
    assert "李明 (officer)" in english.out
    assert f"1 change(s) to {case_id} were made outside hardship; check them" in english.err
    missing = zh(root, "history", "HS-2026-0099")
    assert f"{root} 中没有档案 HS-2026-0099（cases/HS-2026-0099.yaml）" in missing.err


def test_due_takes_the_occasion_in_chinese(root: Path) -> None:
    active_case(root)
    shown = zh(root, "due", "--occasion", "春节慰问", "--on", "2027-01-25", "--today", "2027-01-20")
    assert shown.code == 0, shown.err
    assert "到期复核（" in shown.out
    assert "2027-01-25 春节慰问应优先走访的家庭（1）" in shown.out


def test_init_speaks_chinese(tmp_path: Path) -> None:
    made = zh(None, "init", str(tmp_path / "新根"), "--no-git")
    assert made.code == 0
    assert made.err == f"已新建档案根目录 {tmp_path / '新根'}\n"
    again = zh(None, "init", str(tmp_path / "新根"), "--no-git")
    assert again.code == 2
    assert "已是一个档案根目录（有 hardship.yaml）" in again.err
    assert "请选择一个空文件夹；未作任何改动" in again.err


def test_the_roles_an_item_waits_for_in_words() -> None:
    from hardship_cli.cli.review import roles_in_words

    i18n.set_language("zh")
    try:
        every = roles_in_words(["officer", "chair", "leader"], True)
        assert every == "工会干事、工会主席或分管领导"
        assert roles_in_words(["chair", "leader"], False) == "工会主席、分管领导"
    finally:
        i18n.set_language("en")
    assert roles_in_words(["officer", "chair", "leader"], True) == "officer or chair or leader"
    assert roles_in_words(["chair", "leader"], False) == "chair, leader"
    assert roles_in_words([], True) == "-"
