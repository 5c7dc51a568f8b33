"""The CLI's shared parts in the terminal's language (issue 13): click's own messages
(usage line, help hint, the error) in Chinese and English with exit 2; the help of every
command with Chinese panel titles and no typer `<type>`; the language chosen from the
root's locale when nothing else says; problems, errors and their JSON; tables that never
cut a name on a pipe."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import typer

from hardship_cli import i18n
from hardship_cli.cli.choices import choice_parser
from hardship_cli.cli.console import console
from hardship_cli.domain.vocabulary import label
from hardship_cli.problems import Problem, Refused, UsageError
from tests.clirun import Result, command_paths, hardship
from tests.test_no_english_left import english_sentences


@pytest.fixture(autouse=True)
def english_after() -> object:
    yield
    i18n.set_language("en")


def usage_error(*args: str) -> Result:
    result = hardship(*args)
    assert result.code == 2, result
    assert result.out == ""
    return result


# ---------------------------------------------------------------------------------------
# (a) Click's own messages


def test_missing_argument_in_chinese_and_english() -> None:
    assert usage_error("--lang", "zh", "close").err == (
        "用法：hardship close [选项] 档案编号\n"
        "运行 'hardship close -h' 查看帮助。\n"
        "\n"
        "错误：缺少参数 '档案编号'。\n"
    )
    assert usage_error("--lang", "en", "close").err == (
        "Usage: hardship close [OPTIONS] CASE\n"
        "Try 'hardship close -h' for help.\n"
        "\n"
        "Error: Missing argument 'CASE'.\n"
    )


def test_missing_option() -> None:
    assert usage_error("--lang", "zh", "standards", "impact").err.endswith(
        "\n错误：缺少选项 '--from'。\n"
    )
    assert usage_error("--lang", "en", "standards", "impact").err.endswith(
        "\nError: Missing option '--from'.\n"
    )


def test_no_such_option_with_what_was_meant() -> None:
    assert usage_error("--lang", "zh", "--verbos", "summary").err == (
        "用法：hardship [选项] 命令 [参数]...\n"
        "运行 'hardship -h' 查看帮助。\n"
        "\n"
        "错误：没有选项 --verbos（可能是：--verbose）\n"
    )
    assert usage_error("--lang", "en", "--verbos", "summary").err == (
        "Usage: hardship [OPTIONS] COMMAND [ARGS]...\n"
        "Try 'hardship -h' for help.\n"
        "\n"
        "Error: No such option: --verbos (Possible options: --verbose)\n"
    )


def test_no_such_command() -> None:
    assert usage_error("--lang", "zh", "frobnicate").err.endswith("错误：没有命令 'frobnicate'。\n")
    assert usage_error("--lang", "en", "frobnicate").err.endswith(
        "Error: No such command 'frobnicate'.\n"
    )


def test_unexpected_extra_arguments() -> None:
    err = usage_error("--lang", "zh", "close", "HS-2026-0001", "x", "y").err
    assert err.endswith("错误：多余的参数（x y）\n")
    assert usage_error("--lang", "en", "close", "HS-2026-0001", "x").err.endswith(
        "Error: Got unexpected extra argument (x)\n"
    )
    assert usage_error("--lang", "en", "close", "HS-2026-0001", "x", "y").err.endswith(
        "Error: Got unexpected extra arguments (x y)\n"
    )


def test_a_value_that_is_not_a_number() -> None:
    assert usage_error("--lang", "zh", "stats", "--year", "abc").err.endswith(
        "错误：'--year' 的值无效：'abc' 不是整数\n"
    )
    assert usage_error("--lang", "en", "stats", "--year", "abc").err.endswith(
        "Error: Invalid value for '--year': 'abc' is not a whole number\n"
    )


def test_a_choice_of_a_strenum_never_says_value_error() -> None:
    """typer's own enum check says "Value error, 'xlsx' is not one of ...": said again."""
    zh = usage_error("--lang", "zh", "budget", "--format", "xlsx").err
    en = usage_error("--lang", "en", "budget", "--format", "xlsx").err
    assert "Value error" not in zh + en
    assert zh.endswith("错误：'--format' 的值无效：xlsx 不在可选范围内：table, json\n")
    assert en.endswith("Error: Invalid value for '--format': xlsx is not one of: table, json\n")


def test_an_option_without_its_value() -> None:
    assert usage_error("--lang", "zh", "review", "list", "--as").err == (
        "错误：选项 --as 后面需要一个值。\n"
    )
    assert usage_error("--lang", "en", "review", "list", "--as").err == (
        "Error: Option --as requires a value.\n"
    )


def test_a_bad_date_of_a_shared_option(demo_copy: Path) -> None:
    err = usage_error("--lang", "zh", "--root", str(demo_copy), "due", "--today", "2026-13-01").err
    assert err == "hardship: --today '2026-13-01' 不是日期\n    提示：请写成 YYYY-MM-DD\n"
    assert usage_error("--lang", "en", "--root", str(demo_copy), "due", "--today", "x").err == (
        "hardship: --today 'x' is not a date\n    hint: write it as YYYY-MM-DD\n"
    )


def test_the_language_itself_refused() -> None:
    err = usage_error("--lang", "fr", "summary").err
    assert err.endswith("Error: Invalid value for --lang: fr is not a language: give zh or en\n")


def test_a_choice_parser_takes_a_strenum() -> None:
    from enum import StrEnum

    class Format(StrEnum):
        md = "md"
        html = "html"

    parse = choice_parser(Format)
    assert parse("HTML") is Format.html
    assert parse(Format.md) is Format.md
    with pytest.raises(typer.BadParameter) as refused:
        parse("htm")
    assert refused.value.message == "htm is not one of: md, html (did you mean html?)"


# ---------------------------------------------------------------------------------------
# (b) The help of every command




def test_the_help_has_chinese_panel_titles() -> None:
    result = hardship("--lang", "zh", "--help")
    assert result.code == 0
    assert "─ 选项 ─" in result.out and "─ 命令 ─" in result.out
    assert "用法：hardship [选项] 命令 [参数]..." in result.out
    assert "Options" not in result.out and "Usage:" not in result.out


TYPER_TYPES = re.compile(r"<(?:bool|str|int|float|path|decimal|date|list\[[^\]]*\]|[a-z_]+)>")


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "hardship")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_typer_type_in_any_help(path: list[str], lang: str) -> None:
    result = hardship("--lang", lang, *path, "--help")
    assert result.code == 0, result.err
    assert not TYPER_TYPES.findall(result.out), result.out
    assert "{" not in result.out.splitlines()[1], "an argument shown as {name}"
    if lang == "zh":
        assert "─ 选项 ─" in result.out
        assert english_sentences(result.out) == [], "help not in Chinese"


# ---------------------------------------------------------------------------------------
# (d) The root's locale speaks when nothing else does


def test_the_roots_locale_chooses_chinese(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HARDSHIP_LANG", raising=False)
    result = hardship("--root", demo_copy, "summary")
    assert result.code == 0, result.err
    assert label("case_status", "active", "zh") in result.out
    assert i18n.language() == "en"  # the run's language was its own: the process is back
    assert "缺少参数" in hardship("--root", demo_copy, "close").err

    result = hardship("--lang", "en", "--root", demo_copy, "summary")
    assert result.code == 0, result.err
    assert i18n.language() == "en"
    assert "active" in result.out and label("case_status", "active", "zh") not in result.out
    assert "Missing argument" in hardship("--lang", "en", "--root", demo_copy, "close").err


# ---------------------------------------------------------------------------------------
# Problems and errors: their words translated, their codes kept; JSON a contract


def test_a_problem_in_chinese_keeps_its_code() -> None:
    problem = Problem("cases/HS-2026-0001.yaml", 3, "E-MONEY", "金额有误", "请改正", "warning")
    assert problem.format() == (
        "cases/HS-2026-0001.yaml:3: E-MONEY warning 金额有误\n    hint: 请改正"
    )
    i18n.set_language("zh")
    assert problem.format() == "cases/HS-2026-0001.yaml:3: E-MONEY 警告：金额有误\n    提示：请改正"
    assert problem.to_json() == {
        "path": "cases/HS-2026-0001.yaml",
        "line": 3,
        "code": "E-MONEY",
        "message": "金额有误",
        "hint": "请改正",
        "severity": "warning",
    }
    error = Problem("hardship.yaml", None, "bad-date", "日期有误")
    assert error.format() == "hardship.yaml: bad-date 日期有误"


def test_errors_carry_a_stable_code_in_json() -> None:
    assert UsageError("缺少 --as", "请指定").to_json() == {
        "code": "usage",
        "message": "缺少 --as",
        "hint": "请指定",
        "exit_code": 2,
    }
    refused = Refused("不能审批", problems=[Problem("a.yaml", 1, "E-X", "m")])
    doc = refused.to_json()
    assert doc["code"] == "refused" and doc["exit_code"] == 1
    assert doc["problems"][0]["code"] == "E-X"


# ---------------------------------------------------------------------------------------
# Tables that fit


def test_a_table_on_a_pipe_never_cuts_a_name() -> None:
    from rich.table import Table

    table = Table("case", "name", "unit")
    table.add_row("HS-2025-0012", "谭文忠", "离退休人员（原城关烟叶站）")
    out = io.StringIO()
    console(file=out).print(table)
    text = out.getvalue()
    assert "…" not in text
    assert "谭文忠" in text and "离退休人员（原城关烟叶站）" in text
    # Chinese is aligned by display width: every line of the table is as wide.
    from rich.cells import cell_len

    assert len({cell_len(line) for line in text.splitlines()}) == 1


def test_a_narrow_table_folds_instead_of_cutting() -> None:
    from rich.table import Table

    table = Table("name")
    table.add_row("离退休人员（原城关烟叶站）")
    out = io.StringIO()
    console(file=out, width=12).print(table)
    assert "…" not in out.getvalue()
