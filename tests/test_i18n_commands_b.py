"""Issue 13, the reading commands (validate, summary, standards, import/export, budget,
stats, report, cron, cache): what they print and refuse is said in the terminal's language
(`--lang zh` here: the suite runs with HARDSHIP_LANG=en), codes in the vocabulary's words,
headings in the reports' words; English stays as it was; JSON keeps the codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clirun import hardship

TODAY = "2026-11-29"
GRANT = "grants/2026/GR-2026-0001.yaml"


def headings(out: str, first: str) -> list[str]:
    """The cells of the heading line of the rich table whose first heading is `first`."""
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("┃").split("┃")]
        if cells and cells[0] == first:
            return cells
    raise AssertionError(f"no heading line starting with {first!r} in:\n{out}")


def unwrapped(text: str) -> str:
    """Help text as words, whatever the width it was wrapped to (no spaces, no frame)."""
    return "".join(text.replace("│", "").split())


def rows(out: str) -> list[list[str]]:
    """The cells of every body line of the rich tables in `out`."""
    found = []
    for line in out.splitlines():
        if line.startswith("│"):
            found.append([c.strip() for c in line.strip().strip("│").split("│")])
    return found


def test_summary_in_chinese(demo_copy: Path):
    result = hardship("--lang", "zh", "--root", demo_copy, "summary", "--today", TODAY)
    assert result.code == 0, result.err
    assert "某县烟草专卖局（分公司）工会：困难职工户数" in result.out
    assert "2026 年提出的帮扶" in result.out
    assert headings(result.out, "状态") == ["状态", "深度困难", "相对困难", "意外致困", "合计"]
    assert headings(result.out.split("2026 年提出的帮扶")[1], "状态") == [
        "状态", "笔数", "金额（元）",
    ]  # fmt: skip
    firsts = [row[0] for row in rows(result.out)]
    assert firsts == [
        "已申请", "已初审", "公示中", "在档", "未通过", "已撤档",
        "已提出", "已批准", "已发放", "未批准", "已取消",
    ]  # fmt: skip


def test_summary_in_english(demo_copy: Path):
    result = hardship("--lang", "en", "--root", demo_copy, "summary", "--today", TODAY)
    assert result.code == 0, result.err
    assert "help proposed in 2026" in result.out
    assert headings(result.out, "Status")[1:] == [
        "deep hardship", "relative hardship", "hardship by accident", "Total",
    ]  # fmt: skip
    assert ["on notice", "1", "1", "1", "3"] in rows(result.out)


def test_budget_in_chinese(demo_copy: Path):
    result = hardship("--lang", "zh", "--root", demo_copy, "budget", "--today", TODAY)
    assert result.code in (0, 1), result.err
    assert "某县烟草专卖局（分公司）工会 2026 年预算（截至 2026-11-29）" in result.out
    assert headings(result.out, "帮扶类别") == [
        "帮扶类别", "预算", "已批未付", "已支出", "余额", "使用率", "按当前进度用完日期", "提示",
    ]  # fmt: skip
    assert headings(result.out, "资金来源") == [
        "资金来源", "计划", "已批未付", "已支出", "余额", "提示",
    ]  # fmt: skip
    assert headings(result.out, "募捐活动") == [
        "募捐活动", "名称", "受助对象", "募集", "已批未付", "已支付", "结余",
    ]  # fmt: skip
    assert (
        "预算总额 304,000.00；各科目合计 279,000.00；预留资金 25,000.00；未分配 0.00" in result.out
    )
    assert "按资金来源" in result.out and "爱心捐款" in result.out
    body = rows(result.out)
    assert ["生活救助", "93,000.00"] == body[0][:2]
    assert any(row[0] == "爱心捐款 DC-2026-01" for row in body)  # a drive's earmarked money
    drive = ["DC-2026-01", "2026年春节“送温暖、献爱心”募捐", "全体困难职工"]
    assert any(row[:3] == drive for row in body)


def test_budget_marks_in_chinese_and_english(demo_copy: Path):
    """A line overdrawn is marked 超支 (OVERDRAWN in English); JSON keeps the codes."""
    budget = demo_copy / "budgets/2026.yaml"
    text = budget.read_text(encoding="utf-8")
    assert "legal: 4000.00" in text
    budget.write_text(text.replace("legal: 4000.00", "legal: 1000.00"), encoding="utf-8")
    zh = hardship("--lang", "zh", "--root", demo_copy, "budget", "--today", TODAY)
    assert zh.code == 1
    (row,) = [r for r in rows(zh.out) if r[0] == "法律援助"]
    assert row[-1] == "超支"
    en = hardship("--lang", "en", "--root", demo_copy, "budget", "--today", TODAY)
    (row,) = [r for r in rows(en.out) if r[0] == "legal aid"]
    assert row[-1] == "OVERDRAWN"
    doc = json.loads(
        hardship("--lang", "zh", "--root", demo_copy, "budget", "--today", TODAY,
                 "--format", "json").out
    )  # fmt: skip
    assert doc["overdrawn"] is True and {f["fund"] for f in doc["funds"]} >= {"union", "employer"}


def test_validate_counts_in_chinese(demo_copy: Path):
    (demo_copy / GRANT).write_text(
        (demo_copy / GRANT).read_text(encoding="utf-8").replace("kind: medical", "kind: medicall"),
        encoding="utf-8",
    )
    en = hardship("--lang", "en", "--root", demo_copy, "validate", "--today", TODAY)
    assert en.code == 1
    files = int(en.err.split(" records checked: ")[0])
    assert en.err == f"{files} records checked: 1 error(s), 0 warning(s)\n"
    zh = hardship("--lang", "zh", "--root", demo_copy, "validate", "--today", TODAY)
    assert zh.code == 1
    assert zh.err == f"已检查 {files} 个记录：1 个错误，0 个警告\n"
    assert zh.out.startswith(f"{GRANT}:3: bad-value ")  # the place and the code stay


def test_a_bad_format_is_refused_in_chinese(demo_copy: Path):
    result = hardship("--lang", "zh", "--root", demo_copy, "report", "monthly", "--format", "xlsx")
    assert result.code == 2
    assert "xlsx 不在可选范围内：md, html, pdf" in result.err
    assert "Value error" not in result.err and "Traceback" not in result.err
    for args, said in (
        (["budget", "--format", "xml"], "xml 不在可选范围内：table, json"),
        (["stats", "--of", "people"], "people 不在可选范围内：grants, cases"),
        (["validate", "--format", "yaml"], "yaml 不在可选范围内：text, json"),
        (["report", "annual", "--format", "htm"], "htm 不在可选范围内：md, html, pdf, csv, xlsx"),
    ):
        refused = hardship("--lang", "zh", "--root", demo_copy, *args)
        assert refused.code == 2 and said in refused.err, (args, refused.err)
        assert "Value error" not in refused.err


def test_a_bad_format_in_english(demo_copy: Path):
    result = hardship("--lang", "en", "--root", demo_copy, "report", "monthly", "--format", "xlsx")
    assert result.code == 2
    assert "xlsx is not one of: md, html, pdf" in result.err and "Value error" not in result.err


def test_formats_are_read_without_case_and_report_lang_as_any_lang(demo_copy: Path, tmp_path):
    output = tmp_path / "n.{lang}.{format}"
    result = hardship("--root", demo_copy, "report", "notice", "--format", "HTML",
                      "--lang", "zh-CN", "--today", TODAY, "-o", output)  # fmt: skip
    assert result.code == 0, result.err
    assert (tmp_path / "n.zh.html").is_file()
    assert result.err.startswith("已写入 ")  # --lang of the report is the terminal's too


def test_help_of_report_monthly_in_chinese():
    result = hardship("--lang", "zh", "report", "monthly", "--help")
    assert result.code == 0
    out = unwrapped(result.out)
    assert "月度报告：新建档案" in out
    assert unwrapped("示例：hardship report monthly --month previous") in out
    for words in ("YYYY-MM、`previous`（上月）或 `current`（本月）。", "md|html|pdf", "zh|en",
                  "将写出的报告提交到其所在的 git 仓库。"):  # fmt: skip
        assert unwrapped(words) in out, words
    for leak in ("<str>", "<bool>", "<list[str]>", "PageFormat", "Lang"):
        assert leak not in result.out


def test_help_of_every_command_here_shows_no_type():
    for args in (
        ["validate"], ["summary"], ["budget"], ["stats"], ["standards", "impact"],
        ["import", "cases"], ["export", "cases"], ["report", "annual"], ["report", "case"],
        ["report", "notice"], ["cron"], ["cache", "clear"],
    ):  # fmt: skip
        result = hardship("--lang", "zh", *args, "--help")
        assert result.code == 0, args
        assert "<" not in result.out.replace("<<", ""), (args, result.out)
    stats = unwrapped(hardship("--lang", "zh", "stats", "--help").out)
    assert "按任意字段分组的数量和金额" in stats and "table|csv|json" in stats


def test_stats_table_in_chinese_csv_and_json_keep_codes(demo_copy: Path):
    args = ("--root", demo_copy, "stats", "--by", "tier", "--of", "cases", "--year", "2026")
    zh = hardship("--lang", "zh", *args)
    assert zh.code == 0, zh.err
    assert headings(zh.out, "困难类型") == ["困难类型", "户数", "人数"]
    assert [r[0] for r in rows(zh.out)] == ["深度困难", "相对困难", "意外致困", "合计"]
    assert zh.out.splitlines()[0].rstrip() == "家庭档案：2026 年"  # every status: no limit
    csv = hardship("--lang", "zh", *args, "--format", "csv").out
    assert csv.splitlines()[:2] == ["tier,households,people", "deep,11,37"]
    doc = json.loads(hardship("--lang", "zh", *args, "--format", "json").out)
    assert doc["rows"][0]["tier"] == "deep"


def test_standards_impact_in_chinese(demo_copy: Path):
    result = hardship("--lang", "zh", "--root", demo_copy, "standards", "impact",
                      "--from", "2027-01-01", "--monthly", "900")  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.startswith("2027-01-01 起的低保标准：每人每月 800.00 → 900.00")
    assert headings(result.out, "档案号") == [
        "档案号", "姓名", "单位", "人均月收入", "现困难类型", "按原标准", "按新标准", "变动",
    ]  # fmt: skip
    first = rows(result.out)[0]
    assert first[0] == "HS-2025-0003" and first[4:] == [
        "相对困难", "相对困难", "深度困难", "相对困难转深度困难",
    ]  # fmt: skip
    assert result.out.rstrip().endswith("7 户档案变更困难类型，20 户不变")


def test_import_and_export_say_it_in_chinese(demo_copy: Path, tmp_path: Path):
    sheet = tmp_path / "roster.csv"
    wrote = hardship("--lang", "zh", "--root", demo_copy, "export", "cases", "-o", sheet)
    assert wrote.code == 0 and wrote.err == f"已将 35 户写入 {sheet}\n"
    dry = hardship("--lang", "zh", "--root", demo_copy, "import", "cases", sheet,
                   "--as", "李明", "--dry-run")  # fmt: skip
    assert dry.code == 0, dry.err
    assert dry.out.splitlines()[0] == "roster 第 7 行：无变化 HS-2025-0001"
    assert dry.err.endswith(
        "共 35 行：新建 0，更新 0，无变化 35，拒绝 0（试运行：未写入任何内容）\n"
    )
    en = hardship("--lang", "en", "--root", demo_copy, "import", "cases", sheet,
                  "--as", "李明", "--dry-run")  # fmt: skip
    assert en.out.splitlines()[0] == "roster row 7: unchanged HS-2025-0001"
    assert en.err.endswith(
        "35 row(s): 0 new, 0 updated, 35 unchanged, 0 refused (dry run: nothing written)\n"
    )


def test_cron_and_cache_in_chinese(demo_copy: Path):
    refused = hardship("--lang", "zh", "--root", demo_copy, "cron", "--when", "1 2")
    assert refused.code == 2
    assert refused.err == (
        "hardship: --when '1 2' 不是 crontab 时间表\n"
        "    提示：请给出五个字段：分 时 日 月 星期，例如 '30 6 1 * *'\n"
    )
    printed = hardship("--lang", "zh", "--root", demo_copy, "cron")
    assert printed.out.splitlines()[0] == "# 分 时 日 月 星期  命令"
    hardship("--root", demo_copy, "cache", "clear")
    again = hardship("--lang", "zh", "--root", demo_copy, "cache", "clear")
    assert again.err == f"{demo_copy} 没有可删除的解析缓存\n"


def test_report_refusals_in_chinese(demo_copy: Path):
    result = hardship("--lang", "zh", "--root", demo_copy, "report", "notice", "--commit")
    assert result.code == 2
    assert result.err == (
        "hardship: --commit 需要 -o 文件\n    提示：例如 -o reports/{month}.md --commit\n"
    )
