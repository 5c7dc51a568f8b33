"""The union's rules, each in both directions, through the CLI, with the exact refusal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hardship_cli.domain import policy
from hardship_cli.domain.model import Config
from hardship_cli.load import files, store
from tests.workflow_fixtures import active_case, add_case, cli, make_root, ok, propose


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path, with_git=False)


def refusal(result: object) -> str:
    """The message of a refusal (exit 1), without the `hardship: ` prefix and hints."""
    assert getattr(result, "code") == 1, getattr(result, "err")  # noqa: B009
    lines = getattr(result, "err").splitlines()  # noqa: B009
    assert lines[0].startswith("hardship: ")
    return lines[0][len("hardship: ") :]


def grant_file(root: Path, grant_id: str) -> str:
    return (root / "grants" / "2026" / f"{grant_id}.yaml").read_text(encoding="utf-8")


def config(root: Path) -> Config:
    cfg, _source, problems = files.load_config(root)
    assert cfg is not None, problems
    return cfg


# ---------------------------------------------------------------------------------------
# Notice length in working days


def test_notice_counts_working_days_skipping_weekends(root: Path) -> None:
    cfg = config(root)
    assert policy.notice_until(cfg, date(2026, 1, 5)) == date(2026, 1, 9)  # Mon..Fri
    assert policy.notice_until(cfg, date(2026, 1, 8)) == date(2026, 1, 14)  # Thu..Wed
    assert policy.notice_until(cfg, date(2026, 1, 10)) == date(2026, 1, 16)  # Sat -> Fri


def test_notice_skips_holidays_and_counts_weekend_workdays(root: Path) -> None:
    cfg = config(root)
    # Spring Festival 2026, as the official calendar has it (the fixture's hand list of
    # 16-20 Feb adds nothing to it): 15-23 Feb off; Saturday 14 Feb and 28 Feb are worked
    # (调休). From Thu 12 Feb: 12, 13, Sat 14, Tue 24, Wed 25.
    assert policy.notice_until(cfg, date(2026, 2, 12)) == date(2026, 2, 25)


# ---------------------------------------------------------------------------------------
# Separation of duties


def test_nobody_approves_a_grant_they_proposed(root: Path) -> None:
    case_id = active_case(root)
    grant_id = propose(root, case_id, "1500", by="王芳")
    result = cli(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    assert refusal(result) == (
        f"王芳 proposed {grant_id} and cannot approve it (nobody approves what they proposed)"
    )
    assert "status: proposed" in grant_file(root, grant_id)
    # The other direction: proposed by the officer, the chair approves.
    other = propose(root, case_id, "1500", by="李明")
    ok(root, "review", "approve", other, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
    assert "status: approved" in grant_file(root, other)


def test_nobody_approves_a_case_they_filed(root: Path) -> None:
    case_id = add_case(root, by="王芳")
    ok(root, "review", "check", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    ok(root, "review", "notice", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    result = cli(root, "review", "approve", case_id, "--as", "王芳", "--on", "2026-01-12")
    assert refusal(result) == (
        f"王芳 filed {case_id} and cannot approve it (nobody approves what they filed)"
    )
    ok(root, "review", "approve", case_id, "--as", "陈刚", "--on", "2026-01-12", "--no-commit")


# ---------------------------------------------------------------------------------------
# Roles by amount


def test_each_role_the_amount_requires_must_approve(root: Path) -> None:
    case_id = active_case(root)
    grant_id = propose(root, case_id, "2500")  # above 2,000: chair and leader
    result = cli(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03")
    assert refusal(result) == (
        f"{grant_id} (2,500.00) needs the approval of chair and leader; 周丽 is officer"
    )
    chair = ok(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03",
               "--no-commit")  # fmt: skip
    # The subject is in the root's language (locale: zh-CN), the note in the terminal's.
    assert chair.out.strip().endswith("尚待分管领导审批")
    assert chair.err.strip() == f"{grant_id} now waits for leader"
    assert "status: proposed" in grant_file(root, grant_id)
    again = cli(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    assert refusal(again) == f"王芳 has already approved {grant_id}"
    ok(root, "review", "approve", grant_id, "--as", "陈刚", "--on", "2026-03-04", "--no-commit")
    assert "status: approved" in grant_file(root, grant_id)


def test_a_small_grant_is_approved_by_an_officer_who_did_not_propose_it(root: Path) -> None:
    case_id = active_case(root)
    grant_id = propose(root, case_id, "400", kind="living")
    chair = cli(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03")
    assert refusal(chair) == f"{grant_id} (400.00) needs the approval of officer; 王芳 is chair"
    ok(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03", "--no-commit")
    assert "status: approved" in grant_file(root, grant_id)


def test_who_is_not_an_officer_is_refused(root: Path) -> None:
    case_id = active_case(root)
    grant_id = propose(root, case_id, "400", kind="living")
    result = cli(root, "review", "approve", grant_id, "--as", "路人", "--on", "2026-03-03")
    assert refusal(result) == "路人 is not an officer in hardship.yaml"


# ---------------------------------------------------------------------------------------
# Public notice and objections


def test_a_case_is_approved_only_after_its_notice_ends(root: Path) -> None:
    case_id = add_case(root)
    ok(root, "review", "check", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    ok(root, "review", "notice", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    early = cli(root, "review", "approve", case_id, "--as", "王芳", "--on", "2026-01-09")
    assert refusal(early) == (
        f"{case_id} is on public notice until 2026-01-09; it can be approved from 2026-01-10"
    )
    ok(root, "review", "approve", case_id, "--as", "王芳", "--on", "2026-01-10", "--no-commit")
    text = (root / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert "status: active" in text


def test_an_open_objection_blocks_approval_until_resolved(root: Path) -> None:
    case_id = add_case(root)
    ok(root, "review", "check", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    ok(root, "review", "notice", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    ok(root, "review", "object", case_id, "--as", "周丽", "--on", "2026-01-07",
       "--note", "有职工反映其家庭收入不实", "--no-commit")  # fmt: skip
    blocked = cli(root, "review", "approve", case_id, "--as", "王芳", "--on", "2026-01-12")
    assert refusal(blocked) == (
        f"{case_id} has 1 open objection(s) (the first raised on 2026-01-07); it cannot be "
        "approved while one is open"
    )
    ok(root, "review", "approve", case_id, "--as", "王芳", "--on", "2026-01-12",
       "--resolve-objection", "--note", "经核实收入属实", "--no-commit")  # fmt: skip
    text = (root / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert "status: active" in text
    assert "resolution: 经核实收入属实" in text


def test_rejecting_a_case_settles_its_objection(root: Path) -> None:
    case_id = add_case(root)
    ok(root, "review", "check", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    ok(root, "review", "notice", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    ok(root, "review", "object", case_id, "--as", "周丽", "--on", "2026-01-07",
       "--note", "有房产出租", "--no-commit")  # fmt: skip
    ok(root, "review", "reject", case_id, "--as", "王芳", "--on", "2026-01-12",
       "--note", "核实有出租收入", "--no-commit")  # fmt: skip
    assert ok(root, "validate").code == 0


# ---------------------------------------------------------------------------------------
# Budget line and caps, at the approval that completes the policy


def test_a_grant_that_would_overdraw_its_budget_line_is_refused_with_the_figures(
    root: Path,
) -> None:
    # emergency line 5,000.00; 3,000.00 already approved; a 2,500.00 grant is 500 over.
    case_id = active_case(root)
    first = propose(root, case_id, "3000", kind="emergency")
    ok(root, "review", "approve", first, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
    ok(root, "review", "approve", first, "--as", "陈刚", "--on", "2026-03-03", "--no-commit")
    second = propose(root, case_id, "2500", kind="emergency")
    ok(root, "review", "approve", second, "--as", "王芳", "--on", "2026-03-04", "--no-commit")
    before = grant_file(root, second)
    result = cli(root, "review", "approve", second, "--as", "陈刚", "--on", "2026-03-04")
    assert refusal(result) == (
        f"{second} cannot be approved: {second} would overdraw the budget line emergency relief "
        "2026: allocated 5,000.00, spent 0.00, committed 3,000.00, remaining 2,000.00, "
        "this grant 2,500.00"
    )
    assert "--override --reason" in result.err
    assert grant_file(root, second) == before
    # Within the line: 2,000.00 passes.
    third = propose(root, case_id, "2000", kind="emergency")
    ok(root, "review", "approve", third, "--as", "王芳", "--on", "2026-03-04", "--no-commit")
    assert "status: approved" in grant_file(root, third)


def test_the_highest_role_may_override_with_a_reason_and_it_is_recorded(root: Path) -> None:
    # emergency line 5,000.00 with 3,500.00 approved; a 1,800.00 grant (the chair's alone)
    # would overdraw it by 300.00.
    case_id = active_case(root)
    first = propose(root, case_id, "3500", kind="emergency")
    ok(root, "review", "approve", first, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
    ok(root, "review", "approve", first, "--as", "陈刚", "--on", "2026-03-03", "--no-commit")
    second = propose(root, case_id, "1800", kind="emergency")
    refused = cli(root, "review", "approve", second, "--as", "王芳", "--on", "2026-03-04")
    assert refusal(refused).startswith(f"{second} cannot be approved: {second} would overdraw")
    chair = cli(root, "review", "approve", second, "--as", "王芳", "--on", "2026-03-04",
                "--override", "--reason", "火灾")  # fmt: skip
    assert refusal(chair) == (
        "only an approver with role leader may override the budget guard; 王芳 is chair"
    )
    no_reason = cli(root, "review", "approve", second, "--as", "陈刚", "--override")
    assert no_reason.code == 2
    ok(root, "review", "approve", second, "--as", "陈刚", "--on", "2026-03-04",
       "--override", "--reason", "家中失火，急需救助", "--no-commit")  # fmt: skip
    text = grant_file(root, second)
    assert "status: proposed" in text  # the chair's approval is still required
    assert "override:\n  by: 陈刚\n  role: leader\n  on: 2026-03-04\n  reason: 家中失火" in text
    ok(root, "review", "approve", second, "--as", "王芳", "--on", "2026-03-04", "--no-commit")
    assert "status: approved" in grant_file(root, second)
    report = cli(root, "validate")
    assert report.code == 0  # reported as a warning, not an error
    assert f"(passed by override: {second})" in report.out


def test_an_override_needs_something_to_override(root: Path) -> None:
    case_id = active_case(root)
    grant_id = propose(root, case_id, "1800", kind="emergency")
    result = cli(root, "review", "approve", grant_id, "--as", "陈刚", "--on", "2026-03-04",
                 "--override", "--reason", "以防万一")  # fmt: skip
    assert refusal(result) == (
        f"{grant_id} is within its budget line and caps: there is nothing to override"
    )


def test_per_case_year_cap(root: Path) -> None:
    # schooling: 3,000.00 a grant, 5,000.00 a household a year.
    case_id = active_case(root)
    first = propose(root, case_id, "3000", kind="schooling")
    ok(root, "review", "approve", first, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
    ok(root, "review", "approve", first, "--as", "陈刚", "--on", "2026-03-03", "--no-commit")
    over = propose(root, case_id, "2500", kind="schooling")
    ok(root, "review", "approve", over, "--as", "王芳", "--on", "2026-03-04", "--no-commit")
    result = cli(root, "review", "approve", over, "--as", "陈刚", "--on", "2026-03-04")
    assert refusal(result) == (
        f"{over} cannot be approved: {over} would bring {case_id}'s schooling grant in 2026 to "
        "5,500.00, over the cap of 5,000.00 a household a year (received 3,000.00, remaining "
        "2,000.00, this grant 2,500.00)"
    )
    within = propose(root, case_id, "2000", kind="schooling")
    ok(root, "review", "approve", within, "--as", "王芳", "--on", "2026-03-04", "--no-commit")
    assert "status: approved" in grant_file(root, within)


def test_per_grant_cap(root: Path) -> None:
    case_id = active_case(root)
    big = propose(root, case_id, "3500", kind="holiday")
    ok(root, "review", "approve", big, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
    result = cli(root, "review", "approve", big, "--as", "陈刚", "--on", "2026-03-03")
    assert refusal(result) == (
        f"{big} cannot be approved: {big} gives 3,500.00 of holiday visit money, over the cap of "
        "3,000.00 a grant"
    )


# ---------------------------------------------------------------------------------------
# Earmarks: money raised for a colleague goes to that colleague, and no further


def _drive(root: Path, beneficiary: str, gifts: tuple[str, ...]) -> str:
    drive = ok(root, "add", "campaign", "--as", "李明", "--title", "为张伟献爱心",
               "--beneficiary", beneficiary, "--target", "5000", "--on", "2026-03-01",
               "--no-commit").out.strip()  # fmt: skip
    for n, amount in enumerate(gifts):
        ok(root, "add", "donation", drive, "--as", "李明", "--donor", f"职工{n}",
           "--amount", amount, "--on", "2026-03-02", "--no-commit")  # fmt: skip
    return drive


def test_campaign_money_goes_only_to_its_beneficiary(root: Path) -> None:
    zhang = active_case(root)
    other = active_case(root, name="刘洋", employee_id="0233")
    drive = _drive(root, zhang, ("1500", "1000", "700"))
    wrong = cli(root, "add", "grant", "--as", "李明", "--case", other, "--kind", "medical",
                "--amount", "500", "--fund", f"campaign:{drive}", "--reason", "x",
                "--on", "2026-03-03")  # fmt: skip
    assert refusal(wrong).startswith("refused: validate would then report")
    assert f"gives money raised for {zhang} ({drive}) to {other}" in wrong.err
    right = propose(root, zhang, "3200", fund=f"campaign:{drive}", on="2026-03-03")
    ok(root, "review", "approve", right, "--as", "王芳", "--on", "2026-03-04", "--no-commit")
    ok(root, "review", "approve", right, "--as", "陈刚", "--on", "2026-03-04", "--no-commit")
    assert "status: approved" in grant_file(root, right)


def test_campaign_money_never_exceeds_what_was_raised(root: Path) -> None:
    zhang = active_case(root)
    drive = _drive(root, zhang, ("1500", "1000", "700"))
    grant_id = propose(root, zhang, "3500", fund=f"campaign:{drive}", on="2026-03-03")
    ok(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-04", "--no-commit")
    result = cli(root, "review", "approve", grant_id, "--as", "陈刚", "--on", "2026-03-04",
                 "--override", "--reason", "想多给")  # fmt: skip
    assert refusal(result) == (
        f"{grant_id} cannot be approved: {grant_id} would spend more than {drive} raised: "
        "raised 3,200.00, spent 0.00, committed 0.00, remaining 3,200.00, this grant 3,500.00"
    )


# ---------------------------------------------------------------------------------------
# Payment


def test_only_finance_pays_and_only_with_a_voucher(root: Path) -> None:
    case_id = active_case(root)
    grant_id = propose(root, case_id, "1500")
    early = cli(root, "pay", grant_id, "--as", "赵敏", "--voucher", "记-031", "--on", "2026-03-05")
    assert refusal(early) == (
        f"{grant_id} is proposed (it waits for chair): only an approved grant is paid"
    )
    ok(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
    chair = cli(root, "pay", grant_id, "--as", "王芳", "--voucher", "记-031", "--on", "2026-03-05")
    assert refusal(chair) == "only a finance officer marks a grant paid; 王芳 is chair"
    no_voucher = cli(root, "pay", grant_id, "--as", "赵敏", "--on", "2026-03-05")
    assert no_voucher.code == 2
    assert no_voucher.err.splitlines()[0] == (
        f"hardship: paying {grant_id} needs the voucher reference: --voucher REF"
    )
    ok(root, "pay", grant_id, "--as", "赵敏", "--voucher", "记-031", "--on", "2026-03-05",
       "--no-commit")  # fmt: skip
    text = grant_file(root, grant_id)
    assert "status: paid" in text and "voucher: 记-031" in text


# ---------------------------------------------------------------------------------------
# Help only to filed, approved households (先建档、后帮扶)


def test_a_grant_needs_an_active_case(root: Path) -> None:
    intake = add_case(root)
    result = cli(root, "add", "grant", "--as", "李明", "--case", intake, "--kind", "living",
                 "--amount", "400", "--fund", "union", "--reason", "x", "--on", "2026-01-06")
    assert refusal(result) == (
        f"GR-2026-0001 (living relief) is for {intake}, but its file was never approved; help goes "
        "only to an approved (active) file"
    )
    assert not (root / "grants" / "2026" / "GR-2026-0001.yaml").exists()
    # Emergency relief may go to a case still in intake (policy.emergency_before_active).
    ok(root, "add", "grant", "--as", "李明", "--case", intake, "--kind", "emergency",
       "--amount", "400", "--fund", "union", "--reason", "x", "--on", "2026-01-06",
       "--no-commit")  # fmt: skip
    # An active case gets living help.
    active = active_case(root, name="刘洋", employee_id="0233")
    propose(root, active, "400", kind="living")


def test_a_closed_case_gets_no_more_help(root: Path) -> None:
    case_id = active_case(root)
    grant_id = propose(root, case_id, "400", kind="living")
    ok(root, "close", case_id, "--as", "李明", "--reason", "out_of_hardship",
       "--on", "2026-03-10", "--no-commit")  # fmt: skip
    result = cli(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-11")
    assert refusal(result) == (
        f"{grant_id} is for {case_id}, which is closed; help goes only to an open file"
    )


# ---------------------------------------------------------------------------------------
# The same facts in validate and in the workflow


def test_validate_and_the_workflow_share_the_policy(root: Path) -> None:
    """A hand-approved grant missing a role is a validate error naming the same roles the
    workflow says it still waits for."""
    case_id = active_case(root)
    grant_id = propose(root, case_id, "2500")
    ok(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
    path = root / "grants" / "2026" / f"{grant_id}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: proposed",
                                                             "status: approved"),
                    encoding="utf-8")  # fmt: skip
    records = store.load(root)
    cfg = records.config
    assert cfg is not None
    assert policy.roles_missing(cfg, records.grants[grant_id]) == ["leader"]
    report = cli(root, "validate")
    assert report.code == 1
    assert f"{grant_id} (2,500.00) is approved without the approval of: leader" in report.out


def test_validate_reports_a_cap_broken_by_hand_as_approval_would_refuse_it(root: Path) -> None:
    case_id = active_case(root)
    first = propose(root, case_id, "3000", kind="schooling")
    ok(root, "review", "approve", first, "--as", "王芳", "--on", "2026-03-03", "--no-commit")
    ok(root, "review", "approve", first, "--as", "陈刚", "--on", "2026-03-03", "--no-commit")
    second = propose(root, case_id, "2500", kind="schooling")
    path = root / "grants" / "2026" / f"{second}.yaml"
    text = path.read_text(encoding="utf-8").replace("status: proposed", "status: approved")
    text += (
        "approvals:\n"
        "  - {step: approve, by: 王芳, role: chair, on: 2026-03-04}\n"
        "  - {step: approve, by: 陈刚, role: leader, on: 2026-03-04}\n"
    )
    path.write_text(text, encoding="utf-8")
    report = cli(root, "validate")
    assert report.code == 1
    assert (
        f"cap-exceeded {case_id} received 5,500.00 of help (schooling grant) in 2026, over the "
        "cap of 5,000.00 a household a year"
    ) in report.out
