"""A whole year of a small union, through the CLI only, as its officers would work.

李明 and 周丽 are caseworkers (officer), 王芳 chairs the union (chair), 陈刚 is the
administrative leader (leader), 赵敏 keeps the books (finance). The notice is 5 working
days; Spring Festival 2026 (16-20 Feb) is a holiday.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.workflow_fixtures import cli, git, make_root, ok


def test_a_year_of_casework(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    actions = 0

    def act(*args: str) -> str:
        nonlocal actions
        actions += 1
        return ok(root, *args).out.strip()

    def refused(*args: str) -> str:
        result = cli(root, *args)
        assert result.code == 1, result.err
        return result.err.splitlines()[0]

    def file_case(on: str, name: str, number: str, income: str, level: str, cause: str,
                  employment: str = "on_job", members: tuple[str, ...] = ()) -> str:
        args = ["add", "case", "--as", "李明", "--on", on, "--name", name,
                "--employee-id", number, "--unit", "烟叶站", "--sex", "male",
                "--birth-date", "1970-05-01", "--employment", employment,
                "--household-income", income, "--level", level, "--cause", cause]
        for member in members:
            args += ["--member", member]
        return act(*args)  # fmt: skip

    # January: four households are filed, visited and put on notice.
    zhang = file_case("2026-01-05", "张伟", "0107", "1500", "deep", "serious_illness",
                      members=("name=李梅,relation=spouse",))  # fmt: skip
    liu = file_case("2026-01-05", "刘桂兰", "0009", "1300", "relative", "unable_to_work",
                    employment="retired")  # fmt: skip
    sun = file_case("2026-01-05", "孙强", "0311", "4000", "relative", "schooling",
                    members=("name=周敏,relation=spouse", "name=孙乐,relation=child"))  # fmt: skip
    qian = file_case("2026-01-06", "钱多", "0420", "6000", "relative", "other",
                     members=("name=钱少,relation=spouse,monthly_income=3000",))  # fmt: skip
    assert [zhang, liu, sun, qian] == [f"HS-2026-000{n}" for n in range(1, 5)]
    for case_id in (zhang, liu, sun, qian):
        act("review", "check", case_id, "--as", "周丽", "--on", "2026-01-07", "--note", "入户核实")
    for case_id in (zhang, liu, sun, qian):
        act("review", "notice", case_id, "--as", "李明", "--on", "2026-01-08")
    act("review", "object", liu, "--as", "李明", "--on", "2026-01-09",
        "--note", "有职工反映其子女有赡养能力")  # fmt: skip

    # The notice runs 8-14 January; approval comes after it, objections settled first.
    assert refused("review", "approve", zhang, "--as", "王芳", "--on", "2026-01-14") == (
        f"hardship: {zhang} is on public notice until 2026-01-14; it can be approved from "
        "2026-01-15"
    )
    act("review", "approve", zhang, "--as", "王芳", "--on", "2026-01-15")
    act("review", "approve", sun, "--as", "王芳", "--on", "2026-01-15")
    assert "open objection" in refused("review", "approve", liu, "--as", "王芳",
                                       "--on", "2026-01-15")  # fmt: skip
    act("review", "approve", liu, "--as", "陈刚", "--on", "2026-01-16", "--resolve-objection",
        "--note", "子女均在外地务工，收入低，无力赡养")  # fmt: skip
    act("review", "reject", qian, "--as", "王芳", "--on", "2026-01-16",
        "--note", "家庭人均收入高于低保标准两倍")  # fmt: skip

    # February: living help, and the Spring Festival visits (送温暖).
    g1 = act("add", "grant", "--as", "李明", "--case", zhang, "--kind", "living",
             "--amount", "400", "--fund", "union", "--reason", "生活困难", "--on", "2026-02-02")
    act("review", "approve", g1, "--as", "周丽", "--on", "2026-02-03")
    act("pay", g1, "--as", "赵敏", "--voucher", "记-2026-012", "--on", "2026-02-04")
    first = json.loads(ok(root, "due", "--today", "2026-02-05", "--occasion", "spring_festival",
                          "--on", "2026-02-10", "--format", "json").out)  # fmt: skip
    to_visit = [h["record"] for h in first["visit_first"]["households"]]
    assert to_visit == [zhang, liu]
    g5 = act("add", "grant", "--as", "李明", "--case", liu, "--kind", "holiday",
             "--amount", "500", "--fund", "union", "--reason", "春节慰问", "--on", "2026-02-09")
    act("review", "approve", g5, "--as", "周丽", "--on", "2026-02-09")
    act("pay", g5, "--as", "赵敏", "--voucher", "记-2026-020", "--on", "2026-02-10")
    visit = act("add", "visit", "--as", "王芳", "--occasion", "spring_festival",
                "--visitor", "王芳", "--visitor", "陈刚", *sum((["--case", c] for c in to_visit),
                                                             []),
                "--goods", "米、面、油", "--follow-up", "2026-03-10", "--on", "2026-02-10")
    assert visit == "VS-2026-0001"

    # March: medical help within the chair's threshold.
    g2 = act("add", "grant", "--as", "李明", "--case", zhang, "--kind", "medical",
             "--amount", "1800", "--fund", "union", "--reason", "术后自付部分",
             "--on", "2026-03-02")  # fmt: skip
    assert refused("review", "approve", g2, "--as", "李明", "--on", "2026-03-03").endswith(
        "(nobody approves what they proposed)"
    )
    act("review", "approve", g2, "--as", "王芳", "--on", "2026-03-03")
    act("pay", g2, "--as", "赵敏", "--voucher", "记-2026-041", "--on", "2026-03-05")

    # April: a drive for 张伟 (送温暖、献爱心); the money raised goes to him, no further.
    drive = act("add", "campaign", "--as", "李明", "--title", "为张伟同志献爱心",
                "--beneficiary", zhang, "--target", "5000", "--on", "2026-04-01")
    act("add", "donation", drive, "--as", "李明", "--donor", "机关全体职工", "--amount", "1500",
        "--on", "2026-04-02")  # fmt: skip
    act("add", "donation", drive, "--as", "李明", "--donor", "烟叶站职工", "--amount", "1000",
        "--on", "2026-04-03")  # fmt: skip
    act("add", "donation", drive, "--as", "赵敏", "--donor", "某职工", "--amount", "700",
        "--anonymous", "--on", "2026-04-03")  # fmt: skip
    g4 = act("add", "grant", "--as", "李明", "--case", zhang, "--kind", "medical",
             "--amount", "3200", "--fund", f"campaign:{drive}", "--reason", "爱心捐款",
             "--on", "2026-04-10")  # fmt: skip
    act("review", "approve", g4, "--as", "王芳", "--on", "2026-04-13")
    act("review", "approve", g4, "--as", "陈刚", "--on", "2026-04-13")
    act("pay", g4, "--as", "赵敏", "--voucher", "记-2026-077", "--on", "2026-04-15")

    # August: a schooling grant above the chair's threshold needs the leader too.
    g3 = act("add", "grant", "--as", "周丽", "--case", sun, "--kind", "schooling",
             "--amount", "2500", "--fund", "union", "--reason", "金秋助学", "--on", "2026-08-20")
    act("review", "approve", g3, "--as", "王芳", "--on", "2026-08-21")
    waiting = json.loads(ok(root, "review", "list", "--as", "陈刚", "--today", "2026-08-22",
                            "--format", "json").out)  # fmt: skip
    assert [(i["record"], i["waiting_for"]) for i in waiting["items"]] == [(g3, ["leader"])]
    assert refused("pay", g3, "--as", "赵敏", "--voucher", "记-2026-150",
                   "--on", "2026-08-22").endswith("only an approved grant is paid")  # fmt: skip
    act("review", "approve", g3, "--as", "陈刚", "--on", "2026-08-24")
    act("pay", g3, "--as", "赵敏", "--voucher", "记-2026-151", "--on", "2026-08-26")

    # December: 孙强's child graduated and found work; the file is closed.
    act("close", sun, "--as", "李明", "--reason", "out_of_hardship", "--note", "子女毕业就业",
        "--on", "2026-12-15", "--today", "2026-12-15")  # fmt: skip

    # The records are clean ...
    report = cli(root, "validate", "--today", "2026-12-31")
    assert report.code == 0, report.out
    assert "0 error(s), 0 warning(s)" in report.err

    # ... git tells the story, one commit per action, each authored by who acted ...
    log = git(root, "log", "--reverse", "--format=%an|%s|%(trailers:key=Action,valueonly)")
    entries = [line.split("|") for line in log.splitlines() if line.strip()]
    tool = [e for e in entries if e[2].strip()]
    assert len(tool) == actions == 40
    assert len(entries) == actions + 1  # and the root's first commit
    subjects = [e[1] for e in tool]
    # The subjects are the union's register, in the root's language (locale: zh-CN).
    assert subjects[0] == f"档案 {zhang} 由李明（工会干事）建档：深度困难，因病"
    assert f"档案 {liu} 由陈刚（分管领导）审批通过" in subjects
    assert f"帮扶 {g2} 由王芳（工会主席）审批：医疗救助 1,800.00，档案 {zhang}" in subjects
    assert (
        f"帮扶 {g4} 由赵敏（财务）发放：医疗救助 3,200.00，档案 {zhang}，凭证 记-2026-077"
        in subjects
    )
    assert subjects[-1] == f"档案 {sun} 由李明（工会干事）撤档：已脱困"
    for sha in git(root, "log", "--format=%H", f"-{actions}").split():
        assert len(git(root, "show", "--name-only", "--format=", sha).split()) == 1

    # ... and the history of a grant shows every step with its author.
    history = json.loads(ok(root, "history", g3, "--format", "json").out)["events"]
    assert [(e["action"], e["author"], e["role"]) for e in history] == [
        ("propose", "周丽", "officer"),
        ("approve", "王芳", "chair"),
        ("approve", "陈刚", "leader"),
        ("pay", "赵敏", "finance"),
    ]
    assert not any(e["outside_tool"] for e in history)
    assert json.loads(ok(root, "review", "list", "--today", "2026-12-31",
                         "--format", "json").out)["items"] == []  # fmt: skip
