"""Issue 14, the small ones a newcomer stumbles on, each against the behaviour it replaces:
`due --on` counts from the occasion's day, `review list` says "chair or leader" where one
is enough, names are trimmed on input, `--format` lists what each report accepts, and
`init --demo` wires hardship.yaml to its schema as plain `init` does."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import yaml

from tests.clirun import hardship

TODAY = "2026-11-29"


def test_due_on_counts_the_reviews_from_the_occasion_s_day(demo_copy: Path):
    result = hardship("--root", demo_copy, "due", "--occasion", "spring_festival", "--on",
                      "2027-01-25", "--today", TODAY, "--format", "json")
    assert result.code == 0, result.err
    reviews = json.loads(result.out)["reviews_due"]
    assert reviews
    on = date(2027, 1, 25)
    for item in reviews:
        late = (on - date.fromisoformat(item["date"])).days
        want = (f"overdue by {late} day{'s' if late != 1 else ''}" if late > 0
                else "due today" if late == 0 else f"due in {-late} days")
        assert item["note"] == want, item
    # Due by the occasion, though not yet by today: listed.
    assert any(date.fromisoformat(i["date"]) > date(2026, 12, 29) for i in reviews)


def test_review_list_says_or_where_one_role_is_enough(demo_copy: Path):
    result = hardship("--root", demo_copy, "review", "list", "--today", TODAY)
    assert result.code == 0, result.err
    case = next(line for line in result.out.splitlines() if line.startswith("HS-2026-0009"))
    assert "chair or leader" in case and "chair, leader" not in case
    doc = json.loads(hardship("--root", demo_copy, "review", "list", "--today", TODAY,
                              "--format", "json").out)
    item = next(i for i in doc["items"] if i["record"] == "HS-2026-0009")
    assert item["waiting_for"] == ["chair", "leader"] and item["any_one"] is True
    grant = next(i for i in doc["items"] if i["kind"] == "grant")
    assert grant["any_one"] is False  # a grant waits for each role its approvals need


def test_names_are_trimmed_on_input(demo_copy: Path):
    result = hardship("--root", demo_copy, "add", "case", "--as", " 李明 ", "--name", "\u3000张三 ",
                      "--employee-id", "0999", "--unit", " 烟叶站", "--sex", "male",
                      "--birth-date", "1975-04-02", "--employment", "on_job",
                      "--household-income", "1500", "--level", "deep", "--cause",
                      "serious_illness", "--member", "name= 李梅 ,relation=spouse",
                      "--on", TODAY, "--today", TODAY, "--no-commit")
    assert result.code == 0, result.err
    case_id = result.out.split()[0]
    data = yaml.safe_load((demo_copy / "cases" / f"{case_id}.yaml").read_text("utf-8"))
    assert data["worker"]["name"] == "张三" and data["worker"]["unit"] == "烟叶站"
    assert data["filed"]["by"] == "李明"
    assert data["household"][0]["name"] == "李梅"
    # A name of spaces only is no name.
    blank = hardship("--root", demo_copy, "add", "case", "--as", "李明", "--name", "  ",
                     "--employee-id", "0998", "--unit", "烟叶站", "--sex", "male",
                     "--birth-date", "1975-04-02", "--employment", "on_job",
                     "--household-income", "1500", "--level", "deep", "--cause",
                     "serious_illness", "--on", TODAY, "--today", TODAY, "--no-commit")
    assert blank.code == 2 and "--name" in blank.err


def test_review_list_as_a_name_with_spaces(demo_copy: Path):
    result = hardship("--root", demo_copy, "review", "list", "--as", "王芳 ", "--today", TODAY)
    assert result.code == 0, result.err


def test_format_lists_only_what_the_report_accepts(demo_copy: Path):
    for kind in ("monthly", "notice"):
        result = hardship("--root", demo_copy, "report", kind, "--format", "htm")
        assert result.code == 2
        assert "md, html, pdf" in result.err and "csv" not in result.err, result.err
    case = hardship("--root", demo_copy, "report", "case", "HS-2026-0005", "--format", "csv")
    assert case.code == 2 and "xlsx" not in case.err
    annual = hardship("--root", demo_copy, "report", "annual", "--format", "htm")
    assert annual.code == 2 and "md, html, pdf, csv, xlsx" in annual.err


def test_init_demo_writes_the_schema_line_as_plain_init_does(tmp_path: Path):
    assert hardship("init", tmp_path / "plain").code == 0
    assert hardship("init", tmp_path / "demo", "--demo").code == 0
    plain = (tmp_path / "plain" / "hardship.yaml").read_text("utf-8").splitlines()[0]
    demo = (tmp_path / "demo" / "hardship.yaml").read_text("utf-8").splitlines()
    assert plain.startswith("# yaml-language-server: $schema=")
    assert demo[0] == plain
    assert (tmp_path / "demo" / plain.split("=", 1)[1]).is_file()
    assert demo[1].startswith("# hardship.yaml: ")  # the demo's own comments follow
    assert hardship("--root", tmp_path / "demo", "audit").code == 0  # committed by init
