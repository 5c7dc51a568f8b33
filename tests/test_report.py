"""hardship report: golden files on the demo root, bytes that never change, privacy,
escaping, the sandbox, Excel read back, and the cron line with --commit."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from hardship_cli.load import store
from hardship_cli.report.casefile import mask_name
from tests.clirun import hardship
from tests.conftest import TODAY

CASE = "HS-2026-0005"  # the beneficiary of a donation drive, with help of several kinds
REPORTS = {
    "monthly": ["monthly", "--month", "2026-10"],
    "annual": ["annual", "--year", "2026"],
    "case": ["case", CASE],
    "notice": ["notice"],
}


def render(root: Path, kind: str, fmt: str, lang: str, *extra: str) -> str:
    result = hardship(
        "--root",
        root,
        "report",
        *REPORTS[kind],
        "--format",
        fmt,
        "--lang",
        lang,
        "--today",
        str(TODAY),
        *extra,
    )
    assert result.code == 0, result.err
    assert result.err == ""
    return result.out


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo root outside git, so that the stamp ("not in git") is stable."""
    from tests.conftest import DEMO

    target = tmp_path_factory.mktemp("golden") / "demo"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns(".hardship-cache", "reports"))
    return target


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("kind", list(REPORTS))
def test_golden(demo, golden, kind, fmt, lang):
    first = render(demo, kind, fmt, lang)
    golden.check(f"{kind}.{lang}.{fmt}", first)
    assert render(demo, kind, fmt, lang) == first  # the same bytes every time


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_golden_annual_csv(demo, golden, lang):
    golden.check(f"annual.{lang}.csv", render(demo, "annual", "csv", lang))


@pytest.mark.parametrize(
    ("lang", "year", "month"),
    [("zh", "全年帮扶", "本月帮扶"), ("en", "Help this year", "Help this month")],
)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_annual_help_is_headed_for_the_year(demo, lang, fmt, year, month):
    """The annual report goes upward: its help section speaks of the year, not the month."""
    annual = render(demo, "annual", fmt, lang)
    assert year in annual and month not in annual
    assert month in render(demo, "monthly", fmt, lang)


def test_stamp_names_the_commit_of_the_records(tmp_path, small):
    out = render(small, "notice", "md", "en")
    assert "Records at: not in git" in out
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(small)]
    subprocess.run(["git", "init", "-q", str(small)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "records"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    out = render(small, "notice", "md", "en")
    assert f"git {head[:12]} ·" in out
    (small / "cases/HS-2025-0001.yaml").write_text(
        (small / "cases/HS-2025-0001.yaml").read_text().replace("0012", "0013")
    )
    assert "(with uncommitted changes)" in render(small, "notice", "md", "en")


def test_cron_line_writes_and_commits(small):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(small)]
    subprocess.run(["git", "init", "-q", str(small)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "records"], check=True)
    args = [
        "--root",
        small,
        "report",
        "monthly",
        "--month",
        "previous",
        "-o",
        small / "reports/{month}.md",
        "--commit",
        "--today",
        "2026-11-01",
    ]
    result = hardship(*args)
    assert result.code == 0, result.err
    written = small / "reports/2026-10.md"
    assert written.is_file() and "2026-10" in written.read_text()
    log = subprocess.run(
        [*git, "log", "-1", "--format=%s%n%b"], capture_output=True, text=True
    ).stdout
    assert log.startswith("报表：monthly 2026-10（zh，md）") and "Action: report" in log
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""
    again = hardship(*args)  # same records, same day: the same bytes, nothing to commit
    assert again.code == 0 and "nothing to commit" in again.err


def test_commit_needs_an_output_and_a_repository(small, tmp_path):
    result = hardship("--root", small, "report", "notice", "--commit")
    assert result.code == 2 and "--commit needs -o FILE" in result.err
    result = hardship("--root", small, "report", "notice", "-o", tmp_path / "n.md", "--commit")
    assert result.code == 2 and "not inside a git repository" in result.err


def test_format_from_the_output_suffix(small, tmp_path):
    result = hardship(
        "--root",
        small,
        "report",
        "case",
        "HS-2025-0001",
        "-o",
        tmp_path / "{id}-{lang}.html",
        "--today",
        str(TODAY),
    )
    assert result.code == 0, result.err
    assert (tmp_path / "HS-2025-0001-zh.html").read_text().startswith("<!DOCTYPE html>")


def test_usage_errors(small):
    for args, message in (
        (["case", "HS-2026-9999"], "no case HS-2026-9999"),
        (["monthly", "--month", "2026-1"], "not a month"),
        # --format lists only the notice's own formats (issue 14); a suffix is refused later
        (["notice", "--format", "xlsx"], "xlsx is not one of: md, html, pdf"),
        (["notice", "-o", "notice.xlsx"], "--format xlsx is for the annual report"),
        (["monthly", "--today", "yesterday"], "--today 'yesterday' is not a date"),
    ):
        result = hardship("--root", small, "report", *args)
        assert result.code == 2, args
        assert message in result.err and "Traceback" not in result.err


# ---------------------------------------------------------------------------------------
# Excel and CSV


def test_xlsx_reads_back_with_numbers(small, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "annual.xlsx"
    args = [
        "--root",
        small,
        "report",
        "annual",
        "--year",
        "2026",
        "--lang",
        "en",
        "--today",
        str(TODAY),
        "-o",
        out,
    ]
    assert hardship(*args).code == 0
    first = out.read_bytes()
    assert hardship(*args).code == 0
    assert out.read_bytes() == first  # reproducible, zip times included
    import zipfile

    core = zipfile.ZipFile(out).read("docProps/core.xml").decode()
    # openpyxl stamps the save time; the report's day replaces it (not the clock's second)
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-29T00:00:00Z<' in core
    wb = load_workbook(out)
    assert "By tier" in wb.sheetnames and "By kind of help" in wb.sheetnames
    ws = wb["By kind of help"]
    assert [c.value for c in ws[1]] == ["Kind of help", "Households", "Grants", "Amount (yuan)"]
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "Total"
    assert last[1:3] == [3, 6]
    assert Decimal(str(last[3])) == Decimal("13200.75")
    for row in ws.iter_rows(min_row=2):
        assert all(c.data_type == "n" for c in row[1:]), [c.value for c in row]
    budget = wb["Budget use"]
    percent = [c for c in budget[2] if c.number_format == "0.0%"]
    assert percent and isinstance(percent[0].value, (int, float))


def test_csv_file_has_a_byte_order_mark_for_excel(small, tmp_path):
    out = tmp_path / "a.csv"
    assert hardship("--root", small, "report", "annual", "--year", "2026", "-o", out).code == 0
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["填报单位", "测试县烟草工会"]  # whose and when first (issue 14)
    assert rows[3:7] == [["生成日期", str(date.today())], [], ["按困难类型"],
                         ["困难类型", "户数", "人数"]]
    assert ["合计", "3", "8"] in rows


# ---------------------------------------------------------------------------------------
# Privacy and escaping

SENSITIVE = {
    "id_number": ["110101197005010013", "110101196512010021"],
    "phone": ["13812345678", "13900001111"],
    "diagnosis": ["肺腺癌晚期", "糖尿病并发症"],
    "account": ["6228480000000000011"],
    "address": ["幸福路8号"],
    "notes": ["化疗费用高"],
    "findings": ["精神尚可", "无收入来源"],
}


def every_report(root: Path) -> dict[str, str]:
    out = {}
    for lang in ("zh", "en"):
        for fmt in ("md", "html"):
            out[f"monthly-03.{lang}.{fmt}"] = hardship(
                "--root",
                root,
                "report",
                "monthly",
                "--month",
                "2026-03",
                "--format",
                fmt,
                "--lang",
                lang,
                "--today",
                str(TODAY),
            ).out
            out[f"monthly-11.{lang}.{fmt}"] = hardship(
                "--root",
                root,
                "report",
                "monthly",
                "--month",
                "2026-11",
                "--format",
                fmt,
                "--lang",
                lang,
                "--today",
                str(TODAY),
            ).out
            out[f"annual.{lang}.{fmt}"] = render(root, "annual", fmt, lang)
            out[f"notice.{lang}.{fmt}"] = render(root, "notice", fmt, lang)
            for case in ("HS-2025-0001", "HS-2026-0002"):
                out[f"{case}.{lang}.{fmt}"] = hardship(
                    "--root",
                    root,
                    "report",
                    "case",
                    case,
                    "--format",
                    fmt,
                    "--lang",
                    lang,
                    "--today",
                    str(TODAY),
                ).out
        out[f"annual.{lang}.csv"] = render(root, "annual", "csv", lang)
    return out


def test_no_sensitive_field_in_any_report_but_the_full_case(small):
    reports = every_report(small)
    assert all(reports.values())
    for name, text in reports.items():
        for field, values in SENSITIVE.items():
            for value in values:
                assert value not in text, f"{field} {value} in {name}"
    full = hardship(
        "--root",
        small,
        "report",
        "case",
        "HS-2025-0001",
        "--full",
        "--format",
        "html",
        "--today",
        str(TODAY),
    ).out
    for value in (
        "110101197005010013",
        "13812345678",
        "肺腺癌晚期",
        "6228480000000000011",
        "化疗费用高",
        "精神尚可",
    ):
        assert value in full


def test_no_sensitive_field_in_the_demo_notice_and_annual(demo):
    records = store.load(demo)
    secrets = set()
    for c in records.cases.values():
        secrets |= {v for v in (c.worker.id_number, c.worker.phone, c.worker.diagnosis) if v}
        secrets |= {m.diagnosis for m in c.household if m.diagnosis}
        if c.bank:
            secrets.add(c.bank.account)
    assert secrets
    for kind in ("notice", "annual", "monthly"):
        for fmt in ("md", "html"):
            text = render(demo, kind, fmt, "zh")
            assert not [s for s in secrets if s in text], kind
    case = render(demo, "case", "html", "zh")
    assert not [s for s in secrets if s in case]


def test_notice_masks_names(small):
    text = render(small, "notice", "html", "zh")
    assert "赵*" in text and "赵六" not in text
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("欧阳小明") == "欧*明"
    assert mask_name("李四") == "李*"
    assert mask_name("Wu") == "W*"


NASTY = "<script>alert(1)</script>{{ 7*7 }}{% raw %}|**x**"


def plant_nasty_name(root: Path) -> None:
    path = root / "cases/HS-2026-0002.yaml"
    path.write_text(path.read_text().replace("name: 赵六", f"name: '赵{NASTY}'"))
    path.write_text(path.read_text().replace("unit: 烟叶站", f"unit: '烟叶站{NASTY}'"))
    path = root / "cases/HS-2025-0001.yaml"
    path.write_text(path.read_text().replace("unit: 营销部", f"unit: '营销部{NASTY}'"))


def test_html_and_template_syntax_in_a_record_come_out_as_text(small):
    plant_nasty_name(small)
    for kind, args in (
        ("case", ["case", "HS-2026-0002"]),
        ("monthly", ["monthly", "--month", "2026-11"]),
        ("annual", ["annual", "--year", "2026"]),
        ("notice", ["notice"]),
    ):
        html = hardship(
            "--root", small, "report", *args, "--format", "html", "--today", str(TODAY)
        ).out
        assert "<script>" not in html, kind
        assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}{% raw %}" in html, kind
        md = hardship("--root", small, "report", *args, "--format", "md", "--today", str(TODAY)).out
        assert r"\<script\>alert(1)\</script\>{{ 7\*7 }}{% raw %}\|\*\*x\*\*" in md, kind
    case = hardship("--root", small, "report", "case", "HS-2026-0002", "--format", "md").out
    assert "{{ 7\\*7 }}" in case and "\n49" not in case


def test_root_templates_override_and_run_in_the_sandbox(small):
    (small / "templates").mkdir()
    (small / "templates/notice.md.j2").write_text("{{ org }} has {{ rows|length }} on notice\n")
    result = hardship("--root", small, "report", "notice", "--today", str(TODAY))
    assert result.out == "测试县烟草工会 has 1 on notice\n"
    (small / "templates/notice.md.j2").write_text(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}\n"
    )
    result = hardship("--root", small, "report", "notice", "--today", str(TODAY))
    assert result.code == 2
    assert "template" in result.err and "Traceback" not in result.err
    (small / "templates/notice.md.j2").write_text("{{ no_such_thing }}\n")
    result = hardship("--root", small, "report", "notice")
    assert result.code == 2 and "notice.md.j2" in result.err and "no_such_thing" in result.err


def test_help_does_not_import_pandas_or_jinja():
    code = (
        "import sys; from hardship_cli.cli import main; "
        "print('pandas' in sys.modules, 'jinja2' in sys.modules)"
    )
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False False"
