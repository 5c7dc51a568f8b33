"""Programs as dated policy in hardship.yaml (domain/programs.py) and their conditions
(rules/conditions.py): each condition of the vocabulary both ways, with its exact
message; a typo'd condition or a wrong type is a problem of hardship.yaml at its line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from hardship_cli import i18n
from hardship_cli.domain.case import Case, Referral
from hardship_cli.domain.grant import GrantFacts
from hardship_cli.domain.programs import Program, Window
from hardship_cli.load import store
from hardship_cli.load.records import Records
from hardship_cli.rules.conditions import failures, meets
from tests.clirun import hardship
from tests.conftest import DEMO

DAY = date(2026, 12, 3)
# HS-2025-0012: relative hardship, per-capita 810.00 (the standard is 800.00), primary
# cause insurance_unpaid (secondary serious_illness), a retired worker, rigid expenses
# 1,250.00 a month, one member (the spouse, 72, elderly_frail, 无业), a living grant
# GR-2026-0114 proposed on 2026-11-16.
CASE = "HS-2025-0012"


@pytest.fixture(scope="module")
def records() -> Records:
    return store.load(DEMO)


def program(runner: str = "union", **conditions: Any) -> Program:
    return Program.model_validate(
        {
            "id": "test",
            "name": "测试项目",
            "runner": runner,
            "kind": "living",
            "from": "2025-01-01",
            "conditions": conditions,
        }
    )


def grants_of(records: Records, case_id: str) -> list[GrantFacts]:
    return [g for g in records.grant_facts().values() if g.case == case_id]


def messages(records: Records, prog: Program, case: Case | None = None) -> list[str]:
    case = case or records.cases[CASE]
    assert records.config is not None
    grants = grants_of(records, case.id)
    found = failures(records.config, prog, case.facts(), grants, DAY)
    # `advise --all` asks only whether every condition holds, and stops at the first
    assert meets(records.config, prog, case.facts(), grants, DAY) == (not found)
    return [f.message for f in found]


FAILING: dict[str, tuple[dict[str, Any], str]] = {
    "tier": (
        {"tier": ["deep"]},
        "tier is relative hardship; the program asks for deep hardship",
    ),
    "primary_cause": (
        {"primary_cause": ["serious_illness"]},
        "primary cause is insurance not paid out; the program asks for serious illness",
    ),
    "any_cause": (
        {"any_cause": ["disaster", "accident"]},
        "causes are insurance not paid out, serious illness; the program asks for one of "
        "natural disaster, accident",
    ),
    "employment": (
        {"employment": ["on_job"]},
        "employment is retired; the program asks for on the job",
    ),
    "income_below": (
        {"income_below": "1"},
        "per-capita income 810.00 a month is not below 800.00 (1 x the standard 800.00)",
    ),
    "member": (
        {
            "member": {
                "relation": ["child"],
                "age_from": "17",
                "age_to": "20",
                "schooling": ["大学"],
            }
        },
        "0 of the household's 1 member matches (relation: child; aged 17 to 20; schooling: 大学)",
    ),
    "medical_expense_above": (
        {"medical_expense_above": "2000.00"},
        "medical and other rigid expenses 1,250.00 a month are not above 2,000.00",
    ),
    "not_received": (
        {"not_received": {"kind": "living", "months": "6"}},
        "received living relief on 2026-11-16 (GR-2026-0114), within the last 6 months",
    ),
}

PASSING: dict[str, dict[str, Any]] = {
    "tier": {"tier": ["deep", "relative"]},
    "primary_cause": {"primary_cause": ["insurance_unpaid"]},
    "any_cause": {"any_cause": ["serious_illness"]},  # a secondary cause counts
    "employment": {"employment": ["retired", "laid_off"]},
    "income_below": {"income_below": "1.5"},  # 810.00 < 1,200.00
    "member": {
        "member": {
            "relation": ["spouse"],
            "age_from": "70",
            "health": ["elderly_frail"],
            "schooling": ["无业"],
        }
    },
    "medical_expense_above": {"medical_expense_above": "1000.00"},
    "not_received": {"not_received": {"kind": "emergency", "months": "12"}},
}


@pytest.mark.parametrize("condition", sorted(FAILING))
def test_each_condition_fails_with_both_figures(records, condition):
    conditions, message = FAILING[condition]
    assert messages(records, program(**conditions)) == [message]


@pytest.mark.parametrize("condition", sorted(PASSING))
def test_each_condition_holds(records, condition):
    assert messages(records, program(**PASSING[condition])) == []


def test_not_received_counts_months_back(records):
    # GR-2026-0114 (2026-11-16) is within one month of 2026-12-03; GR-2026-0065 (medical,
    # 2026-07-06) is not within four months.
    assert messages(records, program(not_received={"kind": "medical", "months": "4"})) == []
    assert messages(records, program(not_received={"kind": "medical", "months": "5"})) == [
        "received medical relief on 2026-07-06 (GR-2026-0065), within the last 5 months"
    ]


def test_no_open_referral_both_ways(records):
    case = records.cases[CASE].model_copy(deep=True)
    prog = program("civil_affairs", no_open_referral=True)
    assert messages(records, prog, case) == []
    case.referrals.append(
        Referral.model_validate(
            {
                "to": "civil_affairs",
                "purpose": "申请测试项目",
                "sent": {"by": "李明", "on": "2026-11-20"},
            }
        )
    )
    assert messages(records, prog, case) == [
        "referral 1 for this program, sent 2026-11-20, is still open"
    ]
    case.referrals[0].status = case.referrals[0].status.__class__("declined")
    assert messages(records, prog, case) == []


def test_member_without_a_birth_date_does_not_match_an_age(records):
    case = records.cases[CASE].model_copy(deep=True)
    case.household[0].birth_date = None
    assert messages(records, program(member={"age_from": "60"}), case) == [
        "0 of the household's 1 member matches (aged 60 to -)"
    ]


def test_messages_in_chinese(records):
    i18n.set_language("zh")
    try:
        assert messages(records, program(income_below="1")) == [
            "家庭月人均收入810.00元，不低于800.00元（低保标准800.00元的1倍）"
        ]
        assert messages(records, program(tier=["deep"])) == [
            "困难类别为相对困难；该项目要求深度困难"
        ]
        assert messages(
            records, program(member={"relation": ["child"], "schooling": ["大学", "学院"]})
        ) == ["家庭1名成员中无人符合（关系：子女；就学：大学、学院）"]
    finally:
        i18n.set_language("en")


# ---------------------------------------------------------------------------------------
# The program itself


def test_window_across_the_new_year():
    window = Window.model_validate({"from": "12-15", "until": "02-15"})
    assert window.contains(date(2026, 12, 20)) and window.contains(date(2027, 2, 15))
    assert not window.contains(date(2026, 12, 3))
    assert window.opens_after(date(2026, 12, 3)) == date(2026, 12, 15)
    assert window.season_of(date(2026, 12, 3)) == (date(2025, 12, 15), date(2026, 2, 15))
    assert window.closes_on(date(2026, 12, 20)) == date(2027, 2, 15)


def test_window_in_the_year():
    window = Window.model_validate({"from": "07-01", "until": "09-30"})
    assert window.opens_after(date(2026, 12, 3)) == date(2027, 7, 1)
    assert window.opens_after(date(2026, 3, 1)) == date(2026, 7, 1)
    assert window.closes_on(date(2026, 8, 1)) == date(2026, 9, 30)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"conditions": {"tier_of": ["deep"]}}, "Extra inputs are not permitted"),
        ({"conditions": {"income_below": "abc"}}, "not an amount of money"),
        ({"window": {"from": "7-1", "until": "09-30"}}, "not a month-day (MM-DD, e.g. 07-01)"),
        ({"window": {"from": "02-30", "until": "09-30"}}, "no such day of the year: 02-30"),
        ({"amount": {"fixed": "100.00", "up_to": "200.00"}}, "not both"),
        ({"amount": {"share": "1.5"}}, "a share is more than 0 and at most 1"),
        ({"id": "Jin Qiu"}, "a program's id is lower-case letters"),
        ({"until": "2024-12-31"}, "a program ends after it starts"),
        ({"conditions": {"member": {}}}, "a member condition names relation"),
        ({"runner": "city"}, "Input should be"),
    ],
)
def test_program_refused(data, message):
    base = {"id": "p", "name": "项目", "runner": "union", "kind": "living", "from": "2025-01-01"}
    with pytest.raises(ValidationError) as info:
        Program.model_validate({**base, **data})
    assert message in str(info.value)


def test_unknown_condition_is_a_problem_at_its_line(demo_copy: Path):
    path = demo_copy / "hardship.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("      income_below: 1\n") == 1
    path.write_text(text.replace("      income_below: 1\n", "      income_belw: 1\n"), "utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("      income_belw: 1") + 1
    result = hardship("--root", demo_copy, "validate", "--today", "2026-11-29")
    assert result.code != 0
    assert f"hardship.yaml:{line}: unknown-key unknown key `programs.5.conditions.income_belw`" in (
        result.out + result.err
    )
    assert "did you mean `income_below`?" in result.out + result.err


def test_wrong_type_is_a_problem_at_its_line(demo_copy: Path):
    path = demo_copy / "hardship.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      income_below: 2\n", "      income_below: [2]\n"), "utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("      income_below: [2]") + 1
    result = hardship("--root", demo_copy, "validate", "--today", "2026-11-29")
    assert result.code != 0
    assert f"hardship.yaml:{line}:" in result.out + result.err
    assert "programs.6.conditions.income_below" in result.out + result.err


def test_duplicate_ids_refused(records):
    from hardship_cli.domain.config import Config

    assert records.config is not None
    data = records.config.model_dump(by_alias=True)
    data["programs"].append(data["programs"][0])
    with pytest.raises(ValidationError, match="two programs have the id living"):
        Config.model_validate(data)


def test_the_schema_covers_programs():
    from hardship_cli.cli.setup import schemas

    schema = schemas()["config"]
    assert "programs" in schema["properties"]
    conditions = schema["$defs"]["Conditions"]
    assert conditions["additionalProperties"] is False
    assert set(conditions["properties"]) == {
        "tier",
        "primary_cause",
        "any_cause",
        "employment",
        "income_below",
        "member",
        "medical_expense_above",
        "not_received",
        "no_open_referral",
    }


def test_the_demo_carries_the_programs(records):
    assert records.config is not None
    names = {p.id: p.name for p in records.config.programs}
    assert names == {
        "living": "生活救助",
        "medical": "工会医疗救助",
        "emergency": "工会临时救助",
        "songwennuan": "春节送温暖",
        "jinqiu": "金秋助学",
        "dibao": "低保",
        "linshi": "临时救助",
        "yiliao": "医疗救助",
    }
    assert (
        "demo data"
        in (DEMO / "hardship.yaml").read_text(encoding="utf-8").split("programs:")[0][-800:]
    )
    jinqiu = next(p for p in records.config.programs if p.id == "jinqiu")
    assert jinqiu.window is not None and jinqiu.window.from_ == (7, 1)
    assert jinqiu.amount is not None and jinqiu.amount.up_to == Decimal("3000.00")
