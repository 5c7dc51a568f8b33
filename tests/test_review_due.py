"""When a file is due for review (动态管理) is one fact: validate, the agenda (`hardship
due`) and the household file (`hardship report case`) give the same date for a case."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from hardship_cli.domain.policy import review_due_on
from hardship_cli.load import store
from tests.workflow_fixtures import active_case, make_root, ok

TODAY = "2026-12-20"


def set_cycle(root: Path, days: int) -> None:
    config = root / "hardship.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("review_cycle_days: 365", f"review_cycle_days: {days}"))


def review_dates(root: Path, case_id: str) -> dict[str, str]:
    """The review date of `case_id` as validate, the agenda and the household file say it."""
    result = ok(root, "validate", "--today", TODAY, "--format", "json")
    overdue = [p for p in json.loads(result.out) if p["code"] == "review-overdue"]
    said = re.fullmatch(rf"{case_id} was due for review on (\S+) \(\d+ days ago\)",
                        overdue[0]["message"])  # fmt: skip
    assert len(overdue) == 1 and said is not None, overdue
    agenda = json.loads(ok(root, "due", "--today", TODAY, "--format", "json").out)
    [item] = [i for i in agenda["reviews_due"] if i["record"] == case_id]
    household = ok(root, "report", "case", case_id, "--format", "md", "--today", TODAY).out
    [line] = [x for x in household.splitlines() if x.startswith("- 下次复核: ")]
    return {
        "validate": said.group(1),
        "due": item["date"],
        "report case": line.removeprefix("- 下次复核: "),
    }


def test_a_review_date_the_file_records_is_the_one_every_command_gives(tmp_path: Path) -> None:
    root = make_root(tmp_path, with_git=False)
    set_cycle(root, 180)
    case_id = active_case(root)  # approved 2026-01-12
    ok(root, "review", "check", case_id, "--as", "周丽", "--on", "2026-06-01", "--no-commit")
    assert "review_due: 2026-11-28\n" in (root / "cases" / f"{case_id}.yaml").read_text("utf-8")
    assert set(review_dates(root, case_id).values()) == {"2026-11-28"}


def test_without_a_recorded_date_every_command_counts_a_cycle_from_the_approval(
    tmp_path: Path,
) -> None:
    root = make_root(tmp_path, with_git=False)
    case_id = active_case(root)  # approved 2026-01-12, review_due 2027-01-12 (365 days)
    path = root / "cases" / f"{case_id}.yaml"
    path.write_text(re.sub(r"review_due: .*\n", "", path.read_text("utf-8")), "utf-8")
    set_cycle(root, 180)
    assert set(review_dates(root, case_id).values()) == {"2026-07-11"}  # 2026-01-12 + 180
    records = store.load(root)
    case = records.cases[case_id]
    assert review_due_on(case, 180) == review_due_on(case.facts(), 180) == date(2026, 7, 11)
