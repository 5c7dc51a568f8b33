"""What loading says of a defect, in the terminal's language: the message and the hint of
each validation problem in Chinese under `--lang zh` and in English under `--lang en`,
the code unchanged, and never pydantic's own wording in either."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from hardship_cli import i18n
from hardship_cli.domain.enums import Role
from hardship_cli.domain.model import Case, Config, Grant
from hardship_cli.domain.money import per_grant_breach
from hardship_cli.domain.policy import acting_as, acting_roles
from hardship_cli.domain.values import parse_money
from hardship_cli.load import files, strict
from hardship_cli.load.files import to_record
from hardship_cli.problems import ConfigError, Refused
from tests import rootkit
from tests.clirun import hardship
from tests.rootkit import Root

CASE = "cases/HS-2026-0001.yaml"
GRANT = "grants/2026/GR-2026-0001.yaml"
TODAY = "2026-11-29"
# What pydantic says in its own words: none of it may reach a person.
PYDANTIC = ("Value error", "Input should", "Field required", "should have", "String should",
            "Extra inputs", "validation error", "type=")  # fmt: skip


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """A test that speaks Chinese leaves the process speaking English again."""
    try:
        yield
    finally:
        i18n.set_language("en")


@pytest.fixture
def zh() -> Iterator[None]:
    i18n.set_language("zh")
    yield


def planted(root: Root) -> Root:
    """The small root with a defect of each common sort: money with three decimals, a
    required field missing beside an unknown key that is nearly it, a kind written as its
    Chinese word, an enum value mistyped, a list where text belongs, a date that is none."""
    root.replace(GRANT, "amount: 1500.00", "amount: 1500.005")
    root.replace(GRANT, "fund: union", "fnd: union")
    root.replace(GRANT, "kind: medical", "kind: 医疗救助")
    root.replace(CASE, "sex: male", "sex: mael")
    root.replace(CASE, "unit: 物流中心", "unit: [物流中心]")
    root.replace(CASE, "review_due: 2027-01-20", "review_due: 2027-02-30")
    return root


ZH = [
    f"{CASE}:6: wrong-type `worker.unit` 应为文本，实为列表",
    "    提示：请给该值加上引号",
    f"{CASE}:7: bad-value `worker.sex` 的值不在允许范围内：'mael'",
    "    提示：是否应为 `male`？（请使用以下之一：male（男）、female（女））",
    f"{CASE}:35: bad-date `review_due` 不是有效日期：'2027-02-30'（日历上没有这一天）",
    "    提示：请按 YYYY-MM-DD 格式填写日期，例如 2026-03-05",
    f"{GRANT}:1: missing 缺少必填字段 `fund`",
    "    提示：请添加 `fund: ...`",
    f"{GRANT}:3: bad-value `kind` 的值不在允许范围内：'医疗救助'",
    "    提示：记录中须填写代码：“医疗救助”请写作 `medical`",
    f"{GRANT}:4: bad-money `amount` 金额最多两位小数（到分）：1500.005",
    "    提示：请以元为单位填写，最多两位小数，例如 1200.00",
    f"{GRANT}:5: unknown-key 未知的键 `fnd`",
    "    提示：是否应为 `fund`？",
]
EN = [
    f"{CASE}:6: wrong-type `worker.unit`: expected text, got a list",
    "    hint: quote it",
    f"{CASE}:7: bad-value `worker.sex` is not allowed: 'mael'",
    "    hint: did you mean `male`? (use one of: male, female)",
    f"{CASE}:35: bad-date `review_due`: not a date: '2027-02-30' (the calendar has no such day)",
    "    hint: write a date as YYYY-MM-DD, e.g. 2026-03-05",
    f"{GRANT}:1: missing required field `fund` is missing",
    "    hint: add `fund: ...`",
    f"{GRANT}:3: bad-value `kind` is not allowed: '医疗救助'",
    "    hint: records hold the code: write `medical` for 医疗救助",
    f"{GRANT}:4: bad-money `amount`: money has at most two decimals (fen): 1500.005",
    "    hint: write yuan with at most two decimals, e.g. 1200.00",
    f"{GRANT}:5: unknown-key unknown key `fnd`",
    "    hint: did you mean `fund`?",
]


def validate(root: Root, *lang: str) -> list[str]:
    result = hardship(*lang, "--root", root.path, "validate", "--today", TODAY)
    assert result.code == 1, result.err
    return result.out.splitlines()


def test_planted_defects_are_said_in_chinese_with_chinese_hints(root: Root) -> None:
    out = validate(planted(root), "--lang", "zh")
    assert out == ZH
    assert not any(phrase in line for line in out for phrase in PYDANTIC)


def test_the_same_defects_in_english_with_the_codes_unchanged(root: Root) -> None:
    out = validate(planted(root), "--lang", "en")
    assert out == EN
    assert not any(phrase in line for line in out for phrase in PYDANTIC)
    codes = [line.split(" ")[1] for line in out if not line.startswith(" ")]
    assert codes == [line.split(" ")[1] for line in ZH if not line.startswith(" ")]


def test_the_root_locale_speaks_when_no_flag_does(root: Root, monkeypatch) -> None:
    """The small root says `locale: zh-CN`: with no --lang and no $HARDSHIP_LANG, Chinese."""
    monkeypatch.delenv("HARDSHIP_LANG", raising=False)
    assert validate(planted(root)) == ZH


def test_json_keeps_its_codes_and_says_the_message_in_the_language(root: Root) -> None:
    result = hardship("--lang", "zh", "--root", planted(root).path, "validate",
                      "--format", "json", "--today", TODAY)  # fmt: skip
    found = {(p["path"], p["code"]): p for p in json.loads(result.out)}
    money = found[(GRANT, "bad-money")]
    assert money["message"] == "`amount` 金额最多两位小数（到分）：1500.005"
    assert money["hint"] == "请以元为单位填写，最多两位小数，例如 1200.00"
    assert set(money) == {"path", "line", "code", "message", "hint", "severity"}


def test_the_cache_never_shows_one_language_s_problems_in_the_other(root: Root) -> None:
    """Problems worked out at load time are kept in the parse cache; a run in the other
    language reads none of them (the cache's fingerprint holds the language)."""
    planted(root)
    assert validate(root, "--lang", "zh") == ZH
    assert validate(root, "--lang", "zh") == ZH  # warm
    assert validate(root, "--lang", "en") == EN
    assert validate(root, "--lang", "zh") == ZH


# ---------------------------------------------------------------------------------------
# Every kind of pydantic error, in our words


def explained(model: type, text: str) -> list[tuple[str, str, str]]:
    parsed = strict.parse(text.encode(), "x.yaml")
    assert parsed.problems == []
    record, problems = to_record(model, parsed, "x.yaml")
    assert record is None
    return [(p.code, p.message, p.hint) for p in problems]


def grant_doc(**changes: str) -> str:
    lines = {
        "id": "GR-2026-0001",
        "case": "HS-2026-0001",
        "kind": "medical",
        "amount": "1500.00",
        "fund": "union",
        "status": "paid",
        "proposed": "{by: 李明, on: 2026-02-01}",
    }
    lines.update(changes)
    return "".join(f"{k}: {v}\n" for k, v in lines.items() if v != "-")


ODD_GRANTS = [
    {"amount": "0"},
    {"amount": "-5"},
    {"amount": "一千"},
    {"case": "HS-26-1"},
    {"status": "done"},
    {"fund": "campaign:xx"},
    {"approvals": "{by: 王芳}"},
    {"proposed": "[李明]"},
    {"proposed": "{by: '', on: 2026-02-01}"},
    {"proposed": "{by: 李明, on: 2026-02-01, reason: \"a\\tb\"}"},
    {"notes": "[1, 2]"},
    {"kind": "-"},
    {"extra": "1"},
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("change", ODD_GRANTS, ids=lambda c: next(iter(c)))
def test_no_pydantic_wording_for_any_error(change: dict[str, str], lang: str) -> None:
    i18n.set_language(lang)
    said = explained(Grant, grant_doc(**change))
    assert said
    for code, message, hint in said:
        assert code and message
        assert not any(phrase in message + hint for phrase in PYDANTIC), (message, hint)
        if lang == "zh":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


def test_list_sizes_and_bounds_in_our_words(zh: None) -> None:
    text = rootkit.CASE.replace("secondary: [schooling]",
                        "secondary: [schooling, laid_off, disaster, accident]")  # fmt: skip
    assert explained(Case, text) == [("bad-value", "`causes.secondary` 最多 3 项，现有 4 项", "")]
    assert explained(Grant, grant_doc(proposed="{by: '', on: 2026-02-01}")) == [
        ("bad-value", "`proposed.by` 为空", "请填写值")
    ]
    config = rootkit.CONFIG + "imports: {max_rows: 0}\ngit: {sign: maybe}\n"
    assert explained(Config, config) == [
        ("bad-value", "`imports.max_rows` 不得小于 1", ""),
        ("bad-value", "`git.sign` 的值不在允许范围内：'maybe'", "请使用以下之一：off、required"),
    ]
    i18n.set_language("en")
    assert explained(Case, text) == [
        ("bad-value", "`causes.secondary` holds at most 3 items, not 4", "")
    ]
    assert explained(Config, config) == [
        ("bad-value", "`imports.max_rows` must be at least 1", ""),
        ("bad-value", "`git.sign` is not allowed: 'maybe'", "use one of: off, required"),
    ]


def test_an_enum_hint_lists_the_codes_with_their_words(zh: None) -> None:
    assert explained(Grant, grant_doc(status="done")) == [
        ("bad-value", "`status` 的值不在允许范围内：'done'",
         "请使用以下之一：proposed（已提出）、approved（已批准）、paid（已发放）、rejected（未批准）、"
         "cancelled（已取消）"),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------
# The parser, the files, the domain's refusals


def test_yaml_defects_in_chinese(zh: None) -> None:
    dup = strict.parse(b"id: a\nid: b\n", "x.yaml").problems
    assert [(p.line, p.code, p.message, p.hint) for p in dup] == [
        (2, "duplicate-key", "键 `id` 出现两次（第一次在第 1 行）",
         "请只保留一个；YAML 会不加提示地只保留最后一个"),
    ]  # fmt: skip
    bad = strict.parse(b"a: b: c\n", "x.yaml").problems
    assert [(p.code, p.message) for p in bad] == [
        ("not-yaml", "不是有效的 YAML：此处不能写 `键: 值`")
    ]
    assert bad[0].hint == "请检查本行及上一行的缩进和引号"
    gbk = strict.parse("id: 刘".encode("gbk"), "x.yaml").problems
    assert gbk[0].message == "文件不是 UTF-8 编码（偏移 4 处的字节 0xc1）"


def test_yaml_defects_in_english_unchanged() -> None:
    bad = strict.parse(b"a: b: c\n", "x.yaml").problems
    assert bad[0].message == "not valid YAML: a `key: value` is not allowed here"
    assert strict.parse(b"", "x.yaml").problems[0].message == "file is empty"


def test_a_link_in_place_of_a_record_in_chinese(root: Root, zh: None) -> None:
    target = root.path / GRANT
    target.rename(root.path / "elsewhere.yaml")
    os.symlink(root.path / "elsewhere.yaml", target)
    result = hardship("--lang", "zh", "--root", root.path, "validate", "--today", TODAY)
    assert (
        f"{GRANT}: symlink 该文件是符号链接；记录只从档案根目录内的真实文件读取，不经链接读取"
    ) in result.out


def test_no_root_found_in_chinese(tmp_path: Path, zh: None, monkeypatch) -> None:
    monkeypatch.delenv("HARDSHIP_ROOT", raising=False)
    with pytest.raises(ConfigError) as refused:
        files.find_root(tmp_path / "none")
    assert refused.value.message == f"{tmp_path / 'none'}：此处没有 hardship.yaml，不是档案根目录"
    assert refused.value.hint == (
        f"请用 `hardship init {tmp_path / 'none'}` 创建，或用 --root 指定正确的目录"
    )


def test_domain_refusals_in_chinese(root: Root, zh: None) -> None:
    parsed = strict.parse((root.path / "hardship.yaml").read_bytes(), "hardship.yaml")
    config, _problems = to_record(Config, parsed, "hardship.yaml")
    assert isinstance(config, Config)
    with pytest.raises(Refused) as refused:
        acting_roles(config, "路人")
    assert refused.value.message == "路人 不是 hardship.yaml 中登记的工会干事"
    assert refused.value.hint == (
        "已登记的工会干事：张建国、李明、王芳、赵丽、陈静；"
        "如需添加，请写入 hardship.yaml 的 `officers`"
    )
    with pytest.raises(Refused) as refused:
        acting_as(config, "李明", (Role.chair, Role.leader), "审批 HS-2026-0001")
    assert refused.value.message == (
        "审批 HS-2026-0001须由工会主席或分管领导办理；李明 的职务是工会干事"
    )
    with pytest.raises(ValueError, match="金额最多两位小数（到分）：1.005"):
        parse_money("1.005")


def test_a_breach_names_the_kind_by_its_word(root: Root, zh: None) -> None:
    parsed = strict.parse((root.path / "hardship.yaml").read_bytes(), "hardship.yaml")
    config, _problems = to_record(Config, parsed, "hardship.yaml")
    assert isinstance(config, Config)
    grant_parsed = strict.parse(grant_doc(amount="99000.00").encode(), GRANT)
    grant, _problems = to_record(Grant, grant_parsed, GRANT)
    assert isinstance(grant, Grant) and grant.amount == Decimal("99000.00")
    breach = per_grant_breach(config, grant)
    assert breach is not None
    assert breach.message.startswith("GR-2026-0001 发放医疗救助 99,000.00，超过单笔上限 ")
