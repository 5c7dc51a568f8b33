"""The HTML reports made for print: chart axes that fit their data, page numbers and the
report's title and period in the page margin, cells that never break an ID, a date or a
name, tables that break between rows, a CJK font stack for Windows, macOS and Linux."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from hardship_cli.report.charts import burn_chart, column_chart, nice_axis
from tests.clirun import hardship
from tests.conftest import TODAY


@pytest.mark.parametrize(
    ("peak", "top", "steps"),
    [
        ("279000", "300000", 3),  # the demo's budget: no longer an axis to 500,000
        ("47400", "50000", 5),
        ("179900", "200000", 4),
        ("123456", "125000", 5),
        ("101", "120", 6),
        ("100", "100", 4),
        ("3", "3", 3),
        ("0", "1", 4),
    ],
)
def test_axis_runs_just_above_the_data(peak, top, steps):
    got, n = nice_axis(Decimal(peak))
    assert (got, n) == (Decimal(top), steps)


@pytest.mark.parametrize("peak", ["0.7", "9", "41", "279000", "999999", "1000001", "61234.5"])
def test_axis_is_above_the_data_by_less_than_half(peak):
    top, steps = nice_axis(Decimal(peak))
    assert Decimal(peak) <= top < Decimal(peak) * Decimal("1.5")
    assert 3 <= steps <= 6


def test_budget_chart_axis_fits_the_budget():
    used = [Decimal(v) for v in (10000, 40000, 90000, 179900)] + [None] * 8
    chart = burn_chart(used, Decimal("279000"))
    assert [g.text for g in chart.grid] == ["0", "100,000", "200,000", "300,000"]
    chart = column_chart([("1", Decimal("6000")), ("2", Decimal("47400"))])
    assert chart.grid[-1].text == "50,000"


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    from tests.conftest import DEMO

    root = tmp_path_factory.mktemp("print") / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".hardship-cache", "reports"))
    out = {}
    for name, args in {
        "monthly": ["monthly", "--month", "2026-10"],
        "annual": ["annual", "--year", "2026"],
        "case": ["case", "HS-2026-0005"],
        "notice": ["notice"],
    }.items():
        for lang in ("zh", "en"):
            result = hardship(
                "--root", root, "report", *args, "--format", "html", "--lang", lang,
                "--today", str(TODAY),
            )  # fmt: skip
            assert result.code == 0, result.err
            out[f"{name}.{lang}"] = result.out
    return out


def _page_rule(html: str) -> str:
    match = re.search(r"@page \{.*?\n\}", html, re.S)
    assert match, "no @page rule"
    return match.group(0)


@pytest.mark.parametrize(
    ("name", "title", "period", "number"),
    [
        ("monthly.zh", ' 帮扶工作月报"', '"月份: 2026-10"', '"第 " counter(page) " 页 / 共 "'),
        ("annual.en", " Annual statistical report", '"Year: 2026"', '"Page " counter(page) " of "'),
        ("case.zh", ' 困难职工档案"', "HS-2026-0005", "counter(pages)"),
        ("notice.en", " Public notice", "2026-11-29", "counter(pages)"),
    ],
)
def test_page_margin_holds_title_period_and_page_number(pages, name, title, period, number):
    rule = _page_rule(pages[name])
    for box in ("@top-left", "@top-right", "@bottom-right"):
        assert box in rule
    assert title in rule and period in rule and number in rule


def test_margin_text_is_a_safe_css_string(small):
    """What the records hold reaches the stylesheet only as an escaped CSS string."""
    config = small / "hardship.yaml"
    text = config.read_text(encoding="utf-8")
    org = re.search(r"^  name: (.*)$", text, re.M)
    assert org, text[:400]
    evil = 'A "</style><script>x</script> \\ B'
    config.write_text(text.replace(org.group(0), f"  name: '{evil}'"), encoding="utf-8")
    result = hardship("--root", small, "report", "notice", "--format", "html", "--lang", "en")
    assert result.code == 0, result.err
    style = result.out.split("</style>", 1)[0]
    assert "<script" not in style and "</style" not in style.split("<style>", 1)[1]
    assert r"A \22 \3c /style\3e \3c script\3e x\3c /script\3e  \5c  B" in _page_rule(result.out)


def test_ids_dates_and_names_never_break(pages):
    css = pages["monthly.zh"].split("</style>", 1)[0]
    assert re.search(r"\.keep \{[^}]*white-space: nowrap", css)
    row = re.search(r"<tr><td[^>]*>GR-2026-0103</td>.*?</tr>", pages["monthly.zh"])
    assert row, "the help list's row"
    cells = re.findall(r'<td class="([^"]*)">([^<]*)</td>', row.group(0))
    for cls, text in cells:
        if re.fullmatch(r"[A-Z]{2}-\d{4}-\d{4}|\d{4}-\d{2}-\d{2}|汤宏伟|[\d,.]+", text):
            assert "keep" in cls.split() or "num" in cls.split(), (cls, text)
    notice = pages["notice.zh"]
    assert re.search(r'<td class="keep">[^<]*\*[^<]*</td>', notice)  # the masked name
    case = pages["case.en"]
    assert re.search(r'<td class="keep">HS-2026-0005</td>', case)


def test_tables_break_between_rows_with_headers_repeated(pages):
    css = pages["annual.zh"].split("</style>", 1)[0]
    assert "thead { display: table-header-group; }" in css
    assert re.search(r"\btr \{[^}]*break-inside: avoid", css)
    assert re.search(r"footer\.report \{[^}]*break-before: avoid", css)
    # a table of more than a few rows may go on on the next page (the annual help by month)
    assert '<table class="long" id="t-help_by_month">' in pages["annual.zh"]


def test_cjk_fonts_of_windows_macos_and_linux(pages):
    for name, html in pages.items():
        css = html.split("</style>", 1)[0]
        stack = re.search(r"html \{[^}]*font-family: ([^;]*);", css)
        assert stack, name
        for font in (
            "Microsoft YaHei",
            "SimSun",
            "PingFang SC",
            "Hiragino Sans GB",
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "WenQuanYi Micro Hei",
        ):
            assert f'"{font}"' in stack.group(1), (name, font)
        assert stack.group(1).rstrip().endswith("sans-serif")


def test_print_rules_in_a_root_template_of_its_own(small: Path):
    """A root's own template that extends the shipped base keeps the print rules."""
    (small / "templates").mkdir()
    (small / "templates/notice.html.j2").write_text(
        "{% extends '_base.html.j2' %}{% block body %}<p>own</p>{% endblock %}",
        encoding="utf-8",
    )
    result = hardship("--root", small, "report", "notice", "--format", "html", "--lang", "zh")
    assert result.code == 0, result.err
    assert "<p>own</p>" in result.out and "counter(pages)" in _page_rule(result.out)
