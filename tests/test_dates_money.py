"""Dates within reason, money rules without gaps, and no control character in free text
(issue 11, items 4 and 6, and item 1's input rule): each attack or slip of the issue
through the CLI, refused with the exact message, and its honest counterpart accepted.

Today is given with --today everywhere, so that nothing here depends on the clock.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.workflow_fixtures import (
    BUDGET_2026,
    active_case,
    add_case,
    cli,
    git,
    make_root,
    ok,
    propose,
)

TODAY = "2026-12-03"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path, with_git=False)


def message(result: object, code: int) -> str:
    """The first line of a refusal (exit 1) or usage error (exit 2), without `hardship: `."""
    assert getattr(result, "code") == code, getattr(result, "err")  # noqa: B009
    first = getattr(result, "err").splitlines()[0]  # noqa: B009
    assert first.startswith("hardship: ")
    return first[len("hardship: ") :]


def grant_file(root: Path, grant_id: str) -> str:
    return (root / "grants" / "2026" / f"{grant_id}.yaml").read_text(encoding="utf-8")


def case_file(root: Path, case_id: str) -> str:
    return (root / "cases" / f"{case_id}.yaml").read_text(encoding="utf-8")


def approved(root: Path, case_id: str, amount: str, on: str = "2026-03-03", **kw: str) -> str:
    """A grant proposed by 李明 on 2026-03-02 and approved by the roles its amount needs."""
    grant_id = propose(root, case_id, amount, **kw)
    # The policy: up to 500.00 an officer, up to 2,000.00 the chair, above chair and leader.
    value = float(amount)
    approvers = ["周丽"] if value <= 500 else ["王芳"] if value <= 2000 else ["王芳", "陈刚"]
    for name in approvers:
        ok(root, "review", "approve", grant_id, "--as", name, "--on", on, "--today", TODAY,
           "--no-commit")  # fmt: skip
    return grant_id


def after_today(what: str, day: str) -> str:
    return f"{what} dated {day}, after today ({TODAY}): an action is never dated in the future"


# ---------------------------------------------------------------------------------------
# 4. Dates within reason: never after today ...


def test_an_approval_dated_after_today_to_skip_the_notice_is_refused(root: Path) -> None:
    """On 2026-12-03, with a notice running to 2026-12-09, an approval dated 2026-12-10
    (the first day the notice would allow) is refused: it is after today."""
    case_id = add_case(root, on="2026-12-01")
    ok(root, "review", "check", case_id, "--as", "李明", "--on", "2026-12-02", "--today", TODAY,
       "--no-commit")  # fmt: skip
    notice = ok(root, "review", "notice", case_id, "--as", "李明", "--on", "2026-12-03",
                "--today", TODAY, "--no-commit")  # fmt: skip
    assert "until 2026-12-09" in notice.err
    before = case_file(root, case_id)
    result = cli(root, "review", "approve", case_id, "--as", "王芳", "--on", "2026-12-10",
                 "--today", TODAY)  # fmt: skip
    assert message(result, 2) == after_today(f"approve {case_id}", "2026-12-10")
    assert case_file(root, case_id) == before
    # Within the notice, it is the notice that refuses (exit 1).
    early = cli(root, "review", "approve", case_id, "--as", "王芳", "--on", "2026-12-03",
                "--today", TODAY)  # fmt: skip
    assert message(early, 1) == (
        f"{case_id} is on public notice until 2026-12-09; it can be approved from 2026-12-10"
    )
    # On the day itself (today is 2026-12-10), it passes.
    ok(root, "review", "approve", case_id, "--as", "王芳", "--on", "2026-12-10",
       "--today", "2026-12-10", "--no-commit")  # fmt: skip
    assert "status: active" in case_file(root, case_id)


def test_a_payment_dated_after_today_is_refused(root: Path) -> None:
    case_id = active_case(root)
    grant_id = approved(root, case_id, "300")
    before = grant_file(root, grant_id)
    result = cli(root, "pay", grant_id, "--as", "赵敏", "--voucher", "记-2026-031",
                 "--on", "2027-06-01", "--today", TODAY)  # fmt: skip
    assert message(result, 2) == after_today(f"pay {grant_id}", "2027-06-01")
    assert grant_file(root, grant_id) == before


@pytest.mark.parametrize("step", ["check", "notice", "close", "add", "donation"])
def test_every_action_dated_after_today_is_refused(root: Path, step: str) -> None:
    tomorrow = "2026-12-04"
    if step == "check":
        case_id = add_case(root)
        args = ["review", "check", case_id, "--as", "李明"]
        what = f"check {case_id}"
    elif step == "notice":
        case_id = add_case(root)
        ok(root, "review", "check", case_id, "--as", "李明", "--on", "2026-01-06",
           "--today", TODAY, "--no-commit")  # fmt: skip
        args = ["review", "notice", case_id, "--as", "李明"]
        what = f"notice {case_id}"
    elif step == "close":
        case_id = active_case(root)
        args = ["close", case_id, "--as", "李明", "--reason", "out_of_hardship"]
        what = f"close {case_id}"
    elif step == "add":
        case_id = active_case(root)
        args = ["add", "grant", "--as", "李明", "--case", case_id, "--kind", "medical",
                "--amount", "300", "--fund", "union", "--reason", "帮扶"]  # fmt: skip
        what = "propose (new grant)"
    else:
        ok(root, "add", "campaign", "--as", "李明", "--title", "献爱心", "--on", "2026-03-01",
           "--today", TODAY, "--no-commit")  # fmt: skip
        args = ["add", "donation", "DC-2026-01", "--as", "李明", "--donor", "赵六",
                "--amount", "200"]  # fmt: skip
        what = "donation to DC-2026-01"
    files = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    result = cli(root, *args, "--on", tomorrow, "--today", TODAY, "--no-commit")
    assert message(result, 2) == after_today(what, tomorrow)
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == files
    # Dated today, the same action passes.
    ok(root, *args, "--on", TODAY, "--today", TODAY, "--no-commit")


# ... nor before the step it follows ...


def test_a_step_dated_before_the_step_it_follows_is_refused(root: Path) -> None:
    case_id = add_case(root, on="2026-01-05")
    check = cli(root, "review", "check", case_id, "--as", "李明", "--on", "2026-01-04",
                "--today", TODAY)  # fmt: skip
    assert message(check, 2) == (
        f"the check of {case_id} on 2026-01-04 would come before its filing on 2026-01-05"
    )
    ok(root, "review", "check", case_id, "--as", "李明", "--on", "2026-01-07", "--today", TODAY,
       "--no-commit")  # fmt: skip
    notice = cli(root, "review", "notice", case_id, "--as", "李明", "--on", "2026-01-06",
                 "--today", TODAY)  # fmt: skip
    assert message(notice, 2) == (
        f"the notice of {case_id} on 2026-01-06 would come before its check on 2026-01-07"
    )
    active = active_case(root, name="刘洋", employee_id="0233")
    grant_id = propose(root, active, "300", on="2026-03-02")
    approval = cli(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-01",
                   "--today", TODAY)  # fmt: skip
    assert message(approval, 2) == (
        f"the approval of {grant_id} on 2026-03-01 would come before its proposal on 2026-03-02"
    )
    ok(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-05",
       "--today", TODAY, "--no-commit")  # fmt: skip
    payment = cli(root, "pay", grant_id, "--as", "赵敏", "--voucher", "记-1", "--on", "2026-03-04",
                  "--today", TODAY)  # fmt: skip
    assert message(payment, 2) == (
        f"the payment of {grant_id} on 2026-03-04 would come before its approval on 2026-03-05"
    )
    close = cli(root, "close", active, "--as", "李明", "--reason", "moved", "--on", "2026-01-11",
                "--today", TODAY, "--cancel-pending")  # fmt: skip
    assert message(close, 2) == (
        f"closing {active} on 2026-01-11 would come before its last step on 2026-01-12"
    )


# ... and back-dating within the window stays possible.


def test_a_paper_approval_is_recorded_later_back_dated(root: Path) -> None:
    """Approved on paper in March, recorded in December: the steps keep their own days."""
    case_id = active_case(root)
    grant_id = propose(root, case_id, "1500", on="2026-03-02")
    ok(root, "review", "approve", grant_id, "--as", "王芳", "--on", "2026-03-04",
       "--today", TODAY, "--no-commit")  # fmt: skip
    ok(root, "pay", grant_id, "--as", "赵敏", "--voucher", "记-2026-031", "--on", "2026-03-06",
       "--today", TODAY, "--no-commit")  # fmt: skip
    text = grant_file(root, grant_id)
    assert "role: chair\n    on: 2026-03-04" in text
    assert "paid:\n  by: 赵敏\n  on: 2026-03-06" in text
    assert cli(root, "validate", "--today", TODAY).code == 0


def test_validate_reports_a_step_dated_after_today(root: Path) -> None:
    case_id = active_case(root)
    grant_id = approved(root, case_id, "300")
    ok(root, "pay", grant_id, "--as", "赵敏", "--voucher", "记-1", "--on", "2026-03-05",
       "--today", TODAY, "--no-commit")  # fmt: skip
    path = root / "grants" / "2026" / f"{grant_id}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("on: 2026-03-05", "on: 2026-12-20"),
        encoding="utf-8",
    )
    line = path.read_text(encoding="utf-8").splitlines().index("  on: 2026-12-20") + 1
    report = cli(root, "validate", "--today", TODAY)
    assert report.code == 1
    assert report.out.splitlines()[0] == (
        f"grants/2026/{grant_id}.yaml:{line}: dated-ahead {grant_id}: `paid.on` is 2026-12-20, "
        f"after today ({TODAY})"
    )
    # On 2026-12-20 the same file is clean.
    assert cli(root, "validate", "--today", "2026-12-20").code == 0


# ---------------------------------------------------------------------------------------
# 6. Money: amounts given are more than zero


def test_a_zero_grant_is_refused_at_add(root: Path) -> None:
    case_id = active_case(root)
    result = cli(root, "add", "grant", "--as", "李明", "--case", case_id, "--kind", "medical",
                 "--amount", "0.00", "--fund", "union", "--reason", "帮扶", "--on", "2026-03-02",
                 "--today", TODAY)  # fmt: skip
    assert message(result, 2) == (
        "grants/2026/GR-2026-0001.yaml:4: zero-amount `amount`: an amount given must be more "
        "than 0.00, not 0.00"
    )
    assert not (root / "grants" / "2026" / "GR-2026-0001.yaml").exists()
    assert propose(root, case_id, "0.01") == "GR-2026-0001"


def test_validate_reports_a_zero_grant_with_its_line(root: Path) -> None:
    case_id = active_case(root)
    grant_id = propose(root, case_id, "300")
    path = root / "grants" / "2026" / f"{grant_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("amount: 300.00", "amount: 0.00"), encoding="utf-8")
    line = text.splitlines().index("amount: 300.00") + 1
    report = cli(root, "validate", "--today", TODAY)
    assert report.code == 1
    assert report.out.splitlines()[0] == (
        f"grants/2026/{grant_id}.yaml:{line}: zero-amount `amount`: an amount given must be "
        "more than 0.00, not 0.00"
    )


def test_a_zero_donation_is_refused(root: Path) -> None:
    ok(root, "add", "campaign", "--as", "李明", "--title", "献爱心", "--on", "2026-03-01",
       "--today", TODAY, "--no-commit")  # fmt: skip
    before = (root / "campaigns" / "DC-2026-01.yaml").read_text(encoding="utf-8")
    result = cli(root, "add", "donation", "DC-2026-01", "--as", "李明", "--donor", "赵六",
                 "--amount", "0", "--on", "2026-03-02", "--today", TODAY)  # fmt: skip
    assert message(result, 2) == (
        "campaigns/DC-2026-01.yaml: zero-amount `contributions.0.amount`: an amount given must "
        "be more than 0.00, not 0.00"
    )
    assert (root / "campaigns" / "DC-2026-01.yaml").read_text(encoding="utf-8") == before
    ok(root, "add", "donation", "DC-2026-01", "--as", "李明", "--donor", "赵六",
       "--amount", "200", "--on", "2026-03-02", "--today", TODAY, "--no-commit")  # fmt: skip


# ---------------------------------------------------------------------------------------
# 6. Money: closing a file settles its approved, unpaid help


def test_closing_with_an_approved_unpaid_grant_is_refused_listing_it(root: Path) -> None:
    case_id = active_case(root)
    grant_id = approved(root, case_id, "1500")
    before = case_file(root, case_id)
    result = cli(root, "close", case_id, "--as", "李明", "--reason", "out_of_hardship",
                 "--on", "2026-04-01", "--today", TODAY)  # fmt: skip
    assert result.code == 1
    assert result.err.splitlines()[:3] == [
        f"hardship: {case_id} has 1 approved grant(s) not yet paid:",
        f"  - {grant_id} medical relief 1,500.00 (union), approved 2026-03-03",
        "    hint: close it with --cancel-pending (they are cancelled) or --keep-payable REASON "
        "(finance may still pay them)",
    ]
    assert case_file(root, case_id) == before
    both = cli(root, "close", case_id, "--as", "李明", "--reason", "out_of_hardship",
               "--on", "2026-04-01", "--today", TODAY, "--cancel-pending",
               "--keep-payable", "月底发放")  # fmt: skip
    assert message(both, 2) == (
        "choose one: cancel the unpaid grants (--cancel-pending) or keep them payable "
        "(--keep-payable REASON)"
    )


def test_closing_with_cancel_pending_cancels_each_grant_in_its_own_commit(
    tmp_path: Path,
) -> None:
    root = make_root(tmp_path, with_git=True)
    case_id = active_case(root)
    first = approved(root, case_id, "1500")
    second = approved(root, case_id, "300")
    paid = approved(root, case_id, "400")
    ok(root, "pay", paid, "--as", "赵敏", "--voucher", "记-9", "--on", "2026-03-05",
       "--today", TODAY, "--no-commit")  # fmt: skip
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "casework so far")
    done = ok(root, "close", case_id, "--as", "陈刚", "--reason", "out_of_hardship",
              "--on", "2026-04-01", "--today", TODAY, "--cancel-pending")  # fmt: skip
    # The subjects in the root's language (locale: zh-CN).
    assert done.out.splitlines() == [
        f"帮扶 {first} 由陈刚（分管领导）取消：医疗救助 1,500.00，档案 {case_id}",
        f"帮扶 {second} 由陈刚（分管领导）取消：医疗救助 300.00，档案 {case_id}",
        f"档案 {case_id} 由陈刚（分管领导）撤档：已脱困",
    ]
    for grant_id in (first, second):
        text = grant_file(root, grant_id)
        assert "status: cancelled" in text
        ended = f"ended:\n  by: 陈刚\n  on: 2026-04-01\n  reason: 档案 {case_id} 撤档（已脱困）"
        assert ended in text
    assert "status: paid" in grant_file(root, paid)
    log = git(root, "log", "--format=%(trailers:key=Record,valueonly)%(trailers:key=Action,"
              "valueonly)", "-3")  # fmt: skip
    assert log.split() == [case_id, "close", second, "cancel", first, "cancel"]
    for sha in git(root, "log", "--format=%H", "-3").split():
        assert len(git(root, "show", "--name-only", "--format=", sha).split()) == 1
    assert git(root, "status", "--porcelain") == ""
    assert cli(root, "validate", "--today", TODAY).code == 0


def test_closing_with_cancel_pending_asks_git_about_every_file_before_writing(
    tmp_path: Path,
) -> None:
    """The second grant edited by hand: the closing is refused before the first grant's
    cancellation is written, so no grant is cancelled and the file stays open."""
    root = make_root(tmp_path, with_git=True)
    case_id = active_case(root)
    first = approved(root, case_id, "1500")
    second = approved(root, case_id, "300")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "casework so far")
    head = git(root, "rev-parse", "HEAD")
    hand = root / "grants" / "2026" / f"{second}.yaml"
    hand.write_text(hand.read_text(encoding="utf-8") + "# by hand\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    result = cli(root, "close", case_id, "--as", "陈刚", "--reason", "out_of_hardship",
                 "--on", "2026-04-01", "--today", TODAY, "--cancel-pending")  # fmt: skip
    assert result.code == 1
    assert f"grants/2026/{second}.yaml was changed and the change is not committed" in result.err
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before
    assert git(root, "rev-parse", "HEAD") == head
    assert "status: approved" in grant_file(root, first)


def test_closing_who_cannot_cancel_a_grant_is_refused_before_anything_is_written(
    root: Path,
) -> None:
    """A 5,000.00 grant is cancelled by its proposer or by chair and leader: 周丽 (officer)
    who did not propose it cannot close the file with --cancel-pending."""
    case_id = active_case(root)
    grant_id = propose(root, case_id, "5000", by="李明")
    for name in ("王芳", "陈刚"):
        ok(root, "review", "approve", grant_id, "--as", name, "--on", "2026-03-03",
           "--today", TODAY, "--no-commit")  # fmt: skip
    files = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    result = cli(root, "close", case_id, "--as", "周丽", "--reason", "moved",
                 "--on", "2026-04-01", "--today", TODAY, "--cancel-pending")  # fmt: skip
    assert message(result, 1) == (
        f"{grant_id} is cancelled by who proposed it (李明) or by chair or leader"
    )
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == files


def test_closing_with_keep_payable_records_the_choice_and_finance_pays(root: Path) -> None:
    case_id = active_case(root)
    grant_id = approved(root, case_id, "1500")
    ok(root, "close", case_id, "--as", "李明", "--reason", "deceased", "--on", "2026-04-01",
       "--today", TODAY, "--keep-payable", "丧葬补助已签批，月底发放", "--no-commit")  # fmt: skip
    text = case_file(root, case_id)
    assert (
        f"  keep_payable:\n    grants:\n      - {grant_id}\n    reason: 丧葬补助已签批，月底发放"
        in text
    )
    ok(root, "pay", grant_id, "--as", "赵敏", "--voucher", "记-2026-040", "--on", "2026-04-03",
       "--today", TODAY, "--no-commit")  # fmt: skip
    assert "status: paid" in grant_file(root, grant_id)
    assert cli(root, "validate", "--today", TODAY).code == 0


def test_paying_a_grant_of_a_closed_file_without_the_choice_is_refused(root: Path) -> None:
    """A file closed by hand (or before the rule) with an approved grant left unpaid:
    finance is refused with the closing date, and validate reports it."""
    case_id = active_case(root)
    grant_id = approved(root, case_id, "1500")
    path = root / "cases" / f"{case_id}.yaml"
    text = path.read_text(encoding="utf-8").replace("status: active", "status: closed")
    path.write_text(text + "closed:\n  on: 2026-04-01\n  reason: moved\n", encoding="utf-8")
    before = grant_file(root, grant_id)
    result = cli(root, "pay", grant_id, "--as", "赵敏", "--voucher", "记-2026-040",
                 "--on", "2026-04-03", "--today", TODAY)  # fmt: skip
    assert message(result, 1) == (
        f"{grant_id} is for {case_id}, whose file was closed on 2026-04-01 without keeping "
        "this grant payable"
    )
    assert grant_file(root, grant_id) == before
    report = cli(root, "validate", "--today", TODAY)
    assert report.code == 1
    line = before.splitlines().index("status: approved") + 1
    assert report.out.splitlines()[0] == (
        f"grants/2026/{grant_id}.yaml:{line}: unpaid-after-closing {grant_id} is approved and "
        f"unpaid, but {case_id} was closed on 2026-04-01 without keeping it payable"
    )


# ---------------------------------------------------------------------------------------
# 6. Money: a fund source is not spent beyond its plan

SOURCES = BUDGET_2026 + textwrap.dedent(
    """\
    sources:
      union: 1000.00
      employer: 59000.00
    """
)
UNION_LINE = SOURCES.splitlines().index("  union: 1000.00") + 1


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    """The union's own fund gives 1,000.00 this year, the employer the rest."""
    return make_root(tmp_path, with_git=False, budget=SOURCES)


def test_a_fund_source_overspent_is_refused_at_approval_with_the_figures(planned: Path) -> None:
    case_id = active_case(planned)
    approved(planned, case_id, "800")
    grant_id = propose(planned, case_id, "300")
    before = grant_file(planned, grant_id)
    result = cli(planned, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-04",
                 "--today", TODAY)  # fmt: skip
    assert message(result, 1) == (
        f"{grant_id} cannot be approved: {grant_id} would spend more from union budget in 2026 "
        "than the budget plans: planned 1,000.00, spent 0.00, committed 800.00, remaining "
        "200.00, this grant 300.00"
    )
    assert f"hardship review approve {grant_id} --as NAME --override --reason TEXT" in result.err
    assert grant_file(planned, grant_id) == before
    # From the employer's plan the same help passes.
    other = propose(planned, case_id, "300", fund="employer")
    ok(planned, "review", "approve", other, "--as", "周丽", "--on", "2026-03-04",
       "--today", TODAY, "--no-commit")  # fmt: skip


def test_an_overspent_fund_source_passes_with_the_override_and_is_marked(planned: Path) -> None:
    case_id = active_case(planned)
    approved(planned, case_id, "800")
    grant_id = propose(planned, case_id, "300")
    ok(planned, "review", "approve", grant_id, "--as", "陈刚", "--on", "2026-03-04",
       "--today", TODAY, "--override", "--reason", "职工重病，急需", "--no-commit")  # fmt: skip
    ok(planned, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-04",
       "--today", TODAY, "--no-commit")  # fmt: skip
    text = grant_file(planned, grant_id)
    assert "status: approved" in text
    assert "  reason: 职工重病，急需\n  rule: " in text
    budget = cli(planned, "budget", "--today", TODAY, "--format", "json")
    assert budget.code == 1
    doc = json.loads(budget.out)
    assert doc["overspent"] is True and doc["overdrawn"] is False
    union = next(f for f in doc["funds"] if f["fund"] == "union")
    assert (union["remaining"], union["overspent"]) == ("-100.00", True)
    table = cli(planned, "budget", "--today", TODAY)
    assert table.code == 1
    (row,) = [line for line in table.out.splitlines() if "│ union" in line]
    assert "-100.00" in row and "OVERSPENT" in row
    report = cli(planned, "validate", "--today", TODAY)
    assert report.code == 0  # passed by the override: a warning
    assert (
        f"budgets/2026.yaml:{UNION_LINE}: fund-overspent warning the fund source union budget in "
        "2026 is overspent: planned 1,000.00, spent 0.00, committed 1,100.00, over by 100.00 "
        f"(passed by override: {grant_id})"
    ) in report.out


def test_a_fund_source_overspent_by_hand_is_an_error_and_alerted(planned: Path) -> None:
    case_id = active_case(planned)
    approved(planned, case_id, "800")
    path = planned / "budgets" / "2026.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("union: 1000.00", "union: 700.00"),
        encoding="utf-8",
    )
    report = cli(planned, "validate", "--today", TODAY)
    assert report.code == 1
    assert report.out.splitlines()[0] == (
        f"budgets/2026.yaml:{UNION_LINE}: fund-overspent the fund source union budget in 2026 "
        "is overspent: planned 700.00, spent 0.00, committed 800.00, over by 100.00"
    )
    for lang, alert in (("en", "Fund source spent beyond its plan: union budget"),
                        ("zh", "资金来源已超出预算安排: 工会经费")):  # fmt: skip
        monthly = cli(planned, "report", "monthly", "--month", "2026-03", "--lang", lang,
                      "--today", TODAY)  # fmt: skip
        assert monthly.code == 0, monthly.err
        assert f"- {alert}" in monthly.out
    path.write_text(
        path.read_text(encoding="utf-8").replace("union: 700.00", "union: 800.00"),
        encoding="utf-8",
    )
    monthly = cli(planned, "report", "monthly", "--month", "2026-03", "--lang", "en",
                  "--today", TODAY)  # fmt: skip
    assert "Fund source spent beyond its plan" not in monthly.out
    assert cli(planned, "budget", "--today", TODAY).code == 0


# ---------------------------------------------------------------------------------------
# 1. No control character in free text, at input and in the files


def test_a_voucher_forging_history_separators_is_refused(tmp_path: Path) -> None:
    root = make_root(tmp_path, with_git=True)
    case_id = active_case(root)
    grant_id = approved(root, case_id, "300")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "casework so far")
    head = git(root, "rev-parse", "HEAD")
    result = cli(root, "pay", grant_id, "--as", "赵敏", "--on", "2026-03-05", "--today", TODAY,
                 "--voucher", "记-1\x1fGR-2026-0107\x1fapprove\x1f张建国\x1fleader")  # fmt: skip
    assert message(result, 2) == "`voucher`: control character \\x1f is not allowed in text"
    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("args", "field", "char"),
    [
        (("--name", "张\x1b[31m伟"), "worker.name", "\\x1b"),
        (("--unit", "烟叶站\x7f"), "worker.unit", "\\x7f"),
        (("--address", "人民路\x85"), "worker.address", "\\x85"),
        (("--notes", "住院\x1e出院"), "notes", "\\x1e"),
    ],
)
def test_control_characters_are_refused_in_a_new_case(
    root: Path, args: tuple[str, str], field: str, char: str
) -> None:
    result = cli(root, "add", "case", "--as", "李明", "--on", "2026-01-05", "--today", TODAY,
                 "--employee-id", "0107", "--sex", "male", "--birth-date", "1975-04-02",
                 "--employment", "on_job", "--household-income", "1500", "--level", "deep",
                 "--cause", "serious_illness",
                 *(("--name", "张伟") if args[0] != "--name" else ()),
                 *(("--unit", "烟叶站") if args[0] != "--unit" else ()), *args)  # fmt: skip
    assert result.code == 2, result.err
    first = message(result, 2)
    assert first.startswith("cases/HS-2026-0001.yaml:")
    prose = " (only tabs and line breaks are)" if field == "notes" else ""
    assert first.endswith(f"`{field}`: control character {char} is not allowed in text{prose}")
    assert not (root / "cases" / "HS-2026-0001.yaml").exists()


def test_tabs_and_line_breaks_only_where_the_field_is_multi_line(root: Path) -> None:
    case_id = active_case(root)
    one_line = cli(root, "add", "grant", "--as", "李明", "--case", case_id, "--kind", "medical",
                   "--amount", "300", "--fund", "union", "--reason", "化疗\n自付部分",
                   "--on", "2026-03-02", "--today", TODAY)  # fmt: skip
    assert message(one_line, 2).endswith(
        "control-char `proposed.reason`: control character \\x0a (a line break) is not "
        "allowed: this field is one line of text"
    )
    ok(root, "add", "grant", "--as", "李明", "--case", case_id, "--kind", "medical",
       "--amount", "300", "--fund", "union", "--reason", "化疗自付部分",
       "--notes", "第一次化疗\n\t第二次化疗", "--on", "2026-03-02", "--today", TODAY,
       "--no-commit")  # fmt: skip
    assert "第一次化疗" in grant_file(root, "GR-2026-0001")


def test_control_characters_are_refused_in_steps_and_referrals(root: Path) -> None:
    case_id = active_case(root)
    grant_id = propose(root, case_id, "300")
    note = cli(root, "review", "approve", grant_id, "--as", "周丽", "--on", "2026-03-03",
               "--today", TODAY, "--note", "同意\x1b]8;;http://x\x07")  # fmt: skip
    assert message(note, 2) == (
        "`note`: control character \\x1b is not allowed in text (only tabs and line breaks are)"
    )
    body = cli(root, "add", "referral", case_id, "--as", "李明", "--to", "civil_affairs",
               "--purpose", "申请低保", "--body", "某县民政局\x1fclose\x1f王芳",
               "--on", "2026-03-03", "--today", TODAY)  # fmt: skip
    assert message(body, 2) == "`body`: control character \\x1f is not allowed in text"
    reason = cli(root, "review", "reject", grant_id, "--as", "周丽", "--on", "2026-03-03",
                 "--today", TODAY, "--note", "不符合\x1e条件")  # fmt: skip
    assert message(reason, 2).endswith("control character \\x1e is not allowed in text "
                                       "(only tabs and line breaks are)")  # fmt: skip
    assert "status: proposed" in grant_file(root, grant_id)


def test_validate_reports_a_control_character_in_a_file_with_its_line(root: Path) -> None:
    case_id = active_case(root)
    grant_id = approved(root, case_id, "300")
    ok(root, "pay", grant_id, "--as", "赵敏", "--voucher", "记-1", "--on", "2026-03-05",
       "--today", TODAY, "--no-commit")  # fmt: skip
    path = root / "grants" / "2026" / f"{grant_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("voucher: 记-1", 'voucher: "记-1\\x1fGR-2026-0107\\x1fapprove"'),
        encoding="utf-8",
    )
    line = text.splitlines().index("  voucher: 记-1") + 1
    report = cli(root, "validate", "--today", TODAY)
    assert report.code == 1
    assert report.out.splitlines()[:2] == [
        f"grants/2026/{grant_id}.yaml:{line}: control-char `paid.voucher`: control character "
        "\\x1f is not allowed in text",
        "    hint: remove it: a record holds no control characters",
    ]


def test_a_value_the_model_refuses_is_said_in_our_words_in_either_language(root: Path) -> None:
    """A value refused by the record's model as typed (before YAML: \\x85 would pass YAML
    as a space) is said by load/errors.explain, never in pydantic's words."""
    args = ("add", "case", "--as", "李明", "--on", "2026-01-05", "--today", TODAY,
            "--employee-id", "0107", "--sex", "male", "--birth-date", "1975-04-02",
            "--employment", "on_job", "--household-income", "1500", "--level", "deep",
            "--cause", "serious_illness", "--name", "张伟", "--unit", "烟叶站",
            "--address", "人民路\x85")  # fmt: skip
    english = cli(root, *args)
    assert message(english, 2) == (
        "cases/HS-2026-0001.yaml: `worker.address`: control character \\x85 is not allowed in "
        "text"
    )
    chinese = cli(root, "--lang", "zh", *args)
    assert message(chinese, 2) == (
        "cases/HS-2026-0001.yaml: `worker.address` 文本中不允许控制字符 \\x85"
    )
    for said in (english.err, chinese.err):
        assert "Value error" not in said and "Input should" not in said
