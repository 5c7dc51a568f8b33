"""hardship advise CASE / advise --all / programs check, on the demo root and its copies."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clirun import hardship
from tests.conftest import DEMO

# HS-2025-0008: deep hardship, per-capita 456.67, a child at college (某医学高等专科学校大二),
# 金秋助学 paid on 2026-08-17 (GR-2026-0074). HS-2025-0012: relative hardship,
# per-capita 810.00, no student (one member, the spouse).
DEEP = "HS-2025-0008"
RELATIVE = "HS-2025-0012"


def advise_json(root: Path, case: str, day: str) -> dict:
    result = hardship("--root", root, "advise", case, "--today", day, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def verdict(doc: dict, program: str) -> dict:
    return next(p for p in doc["programs"] if p["program"] == program)


def test_deep_household_with_a_student_gets_jinqiu_and_dibao():
    doc = advise_json(DEMO, DEEP, "2026-08-01")
    assert doc["tier"] == "deep" and doc["per_capita"] == "456.67"
    jinqiu = verdict(doc, "jinqiu")
    assert jinqiu["status"] == "qualifies"
    assert jinqiu["window"] == {"from": "07-01", "until": "09-30"}
    assert jinqiu["closes"] == "2026-09-30"
    assert jinqiu["cap_left"] == "5000.00"  # the union pays it, from the higher union's fund
    assert "referral_command" not in jinqiu
    dibao = verdict(doc, "dibao")
    assert dibao["status"] == "qualifies"
    assert dibao["referral_command"] == (
        f"hardship add referral {DEEP} --to civil_affairs --purpose 低保 --body 某县民政局"
    )
    text = hardship("--root", DEMO, "advise", DEEP, "--today", "2026-08-01").out
    assert "金秋助学 (the higher union, schooling grant)\n" in text
    assert "  qualifies; the window closes on 2026-09-30\n" in text
    assert (
        f"  to ask for it: hardship add referral {DEEP} --to civil_affairs --purpose 低保 "
        "--body 某县民政局\n" in text
    )


def test_a_child_starting_college(demo_copy: Path):
    """The demo's 金秋助学 covers children admitted to or at college; a program for the
    first year only (大一) takes the deep household once its child starts college."""
    yaml_path = demo_copy / "hardship.yaml"
    yaml_path.write_text(
        yaml_path.read_text(encoding="utf-8").replace(
            "schooling: [大学, 学院, 高等专科]", "schooling: [大一]"
        ),
        encoding="utf-8",
    )
    assert verdict(advise_json(demo_copy, DEEP, "2026-08-01"), "jinqiu")["status"] == "fails"
    case = demo_copy / "cases" / f"{DEEP}.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("大二", "大一"), encoding="utf-8")
    jinqiu = verdict(advise_json(demo_copy, DEEP, "2026-08-01"), "jinqiu")
    assert jinqiu["status"] == "qualifies" and jinqiu["closes"] == "2026-09-30"


def test_relative_household_without_a_student_is_told_why():
    text = hardship("--root", DEMO, "advise", RELATIVE, "--today", "2026-12-03").out
    assert (
        "  does not qualify:\n"
        "  - 0 of the household's 1 member matches (relation: child; schooling: 大学, 学院, "
        "高等专科)\n" in text
    )
    assert (
        "  - per-capita income 810.00 a month is not below 800.00 (1 x the standard 800.00)\n"
        in text
    )
    doc = advise_json(DEMO, RELATIVE, "2026-12-03")
    assert verdict(doc, "jinqiu")["failed"] == [
        {
            "condition": "member",
            "figure": "0",
            "threshold": "relation=child;schooling=大学,学院,高等专科",
        }
    ]
    assert verdict(doc, "dibao")["failed"] == [
        {"condition": "income_below", "figure": "810.00", "threshold": "800.00"}
    ]


def test_received_and_not_open():
    doc = advise_json(DEMO, DEEP, "2026-12-03")
    jinqiu = verdict(doc, "jinqiu")
    assert jinqiu["status"] == "received"
    assert jinqiu["received"] == {"what": "GR-2026-0074", "on": "2026-08-17"}
    assert jinqiu["opens"] == "2027-07-01"
    assert jinqiu["cap_left"] == "2000.00"  # 5,000.00 a year, 3,000.00 received
    # HS-2026-0004 (filed 2026, a child in 大一) had no 金秋助学 in the 2025 season.
    early = verdict(advise_json(DEMO, "HS-2026-0004", "2026-06-01"), "jinqiu")
    assert early["status"] == "not_open" and early["opens"] == "2026-07-01"


def test_union_programs_show_the_cap_left():
    living = verdict(advise_json(DEMO, RELATIVE, "2026-12-03"), "living")
    assert living["status"] == "received"
    assert living["received"] == {"what": "GR-2026-0114", "on": "2026-11-16"}
    assert living["cap_left"] == "7620.00"
    assert "referral_command" not in living


def test_all_orders_by_tier_then_wait():
    result = hardship(
        "--root", DEMO, "advise", "--all", "--today", "2026-12-03", "--format", "json"
    )
    assert result.code == 0, result.err
    households = json.loads(result.out)["households"]
    assert households and all(h["qualifies"] for h in households)
    order = {"deep": 0, "relative": 1, "accident": 2}
    keys = [(order[h["tier"]], h["waiting_since"], h["case"]) for h in households]
    assert keys == sorted(keys)
    assert {h["tier"] for h in households} == set(order)
    deep = next(h for h in households if h["case"] == DEEP)
    assert "dibao" in deep["qualifies"] and "jinqiu" not in deep["qualifies"]
    text = hardship("--root", DEMO, "advise", "--all", "--today", "2026-12-03").out
    assert f"{len(households)} households qualify for help not received, on 2026-12-03" in text


def test_chinese():
    text = hardship("--root", DEMO, "--lang", "zh", "advise", RELATIVE, "--today", "2026-12-03").out
    assert text.startswith(f"{RELATIVE} 谭文忠：相对困难，家庭月人均收入810.00元（2026-12-03）\n")
    assert "  - 家庭1名成员中无人符合（关系：子女；就学：大学、学院、高等专科）\n" in text
    assert "  - 家庭月人均收入810.00元，不低于800.00元（低保标准800.00元的1倍）\n" in text
    assert "临时救助（民政部门，临时救助）\n  符合条件\n" in text


def test_usage_errors():
    neither = hardship("--root", DEMO, "advise")
    assert neither.code != 0 and "give one case, or --all" in neither.err
    unknown = hardship("--root", DEMO, "advise", "HS-2026-9999")
    assert unknown.code != 0 and "no case HS-2026-9999 in this root" in unknown.err


def test_help_has_readable_metavars():
    text = hardship("advise", "--help").out
    assert "<str>" not in text and "<bool>" not in text
    assert "--all" in text and "--format" in text


def test_programs_check_clean_on_the_demo():
    result = hardship("--root", DEMO, "programs", "check", "--today", "2026-12-03")
    assert result.code == 0, result.out + result.err
    assert result.out == "the programs of hardship.yaml: nothing found\n"


def test_programs_check_findings(demo_copy: Path):
    path = demo_copy / "hardship.yaml"
    text = path.read_text(encoding="utf-8")
    # 金秋助学 widened to middle-school pupils, who were not helped in the 2026 window; a
    # union schooling program beside it, above the cap of 3,000.00 a grant.
    text = text.replace(
        "schooling: [大学, 学院, 高等专科]", "schooling: [大学, 学院, 高等专科, 镇中学]"
    )
    text += (
        "  - id: zhuxue\n"
        "    name: 工会助学\n"
        "    runner: union\n"
        "    kind: schooling\n"
        "    from: 2025-01-01\n"
        "    amount:\n"
        "      up_to: 4000.00\n"
    )
    path.write_text(text, encoding="utf-8")
    result = hardship(
        "--root", demo_copy, "programs", "check", "--today", "2026-12-03", "--format", "json"
    )
    assert result.code == 1, result.out + result.err
    found = {f["code"]: f for f in json.loads(result.out)["findings"]}
    assert set(found) == {"P-WINDOW", "P-TWICE", "P-CAP"}
    assert found["P-WINDOW"]["program"] == "jinqiu" and found["P-WINDOW"]["cases"]
    assert found["P-CAP"]["program"] == "zhuxue"
    text_out = hardship("--root", demo_copy, "programs", "check", "--today", "2026-12-03").out
    assert (
        "P-CAP zhuxue: program zhuxue gives up to 4,000.00, above the cap of schooling grant: "
        "3,000.00 a grant\n" in text_out
    )
    assert "P-TWICE jinqiu: programs jinqiu and zhuxue both pay" in text_out


def test_chinese_all_and_referral_received():
    text = hardship("--root", DEMO, "--lang", "zh", "advise", "--all", "--today", "2026-12-03").out
    assert text.startswith("26户家庭符合条件但尚未获得帮扶（2026-12-03）")
    # HS-2025-0024: 低保 granted through its first referral (helped, recurring income).
    doc = advise_json(DEMO, "HS-2025-0024", "2026-12-03")
    assert verdict(doc, "dibao")["received"] == {"what": "referral 1", "on": "2026-01-14"}
    text = hardship(
        "--root", DEMO, "--lang", "zh", "advise", "HS-2025-0024", "--today", "2026-12-03"
    ).out
    assert "低保（民政部门，生活救助）\n  已获得：第1次转介（2026-01-14）\n" in text


# ---------------------------------------------------------------------------------------
# Advice where officers already look: due, the monthly report (golden), add case, approve


def test_due_lists_who_qualifies_and_was_not_helped(demo_copy: Path) -> None:
    result = hardship("--root", demo_copy, "due", "--today", "2026-11-29", "--format", "json")
    assert result.code == 0, result.err
    items = json.loads(result.out)["qualifies_not_helped"]
    first = items[0]
    assert first["record"] == "HS-2025-0001" and first["date"] == "2026-11-16"
    assert first["reasons"] == ["dibao", "linshi", "yiliao"]
    assert first["note"] == (
        "deep hardship; qualifies for 低保、临时救助、医疗救助; last helped or filed 13 days ago"
    )
    zh = hardship("--lang", "zh", "--root", demo_copy, "due", "--today", "2026-11-29")
    assert "符合帮扶项目条件、尚未帮扶（" in zh.out
    assert ("  HS-2025-0001  2026-11-16  深度困难；符合 低保、临时救助、医疗救助 的条件；"
            "距上次帮扶或建档 13 天") in zh.out


def test_due_says_nothing_of_programs_where_there_are_none(root) -> None:
    result = hardship("--root", root.path, "due", "--today", "2026-11-29", "--format", "json")
    assert json.loads(result.out)["qualifies_not_helped"] == []


def test_add_case_ends_with_the_programs_it_qualifies_for(demo_copy: Path) -> None:
    result = hardship(
        "--lang", "zh", "--root", demo_copy, "add", "case", "--as", "李明", "--name", "张伟",
        "--employee-id", "0999", "--unit", "烟叶站", "--sex", "男", "--birth-date", "1975-04-02",
        "--employment", "on_job", "--household-income", "1200", "--level", "深度困难",
        "--cause", "因病", "--member", "name=李梅,relation=spouse", "--today", "2026-11-29",
        "--no-commit",
    )
    assert result.code == 0, result.err
    case = result.out.strip()
    assert f"{case} 符合以下帮扶项目的条件：\n  生活救助\n  低保\n" in result.err
    assert (f"    申请方式：hardship add referral {case} --to civil_affairs --purpose 低保 "
            "--body 某县民政局") in result.err
    assert f"完整建议：hardship advise {case}" in result.err


def test_an_unknown_case_is_refused_with_a_hint_that_works(demo_copy: Path) -> None:
    result = hardship("--root", demo_copy, "advise", "HS-9999-0001")
    assert result.code == 2
    assert result.err == (
        "hardship: no case HS-9999-0001 in this root\n"
        "    hint: each case is cases/ID.yaml, named after its ID (`hardship advise --all` lists "
        "the active ones): check the ID\n"
    )
    assert hardship("--root", demo_copy, "advise", "--all", "--today", "2026-11-29").code == 0
