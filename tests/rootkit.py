"""Build small records roots for tests: a valid one, then plant one defect at a time."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tools.policy_template import policy_yaml, template_policy

# The shipped template's policy, without the caps and the choice a small root does not
# need (tools/policy_template.py; tests/test_policy_template.py holds it to the template).
POLICY_DROPPED = (
    "caps.living",
    "caps.schooling",
    "caps.emergency",
    "policy.emergency_before_active",
)

CONFIG = (
    """\
organisation:
  name: 测试单位工会
  parent: 测试市总工会
locale: zh-CN
currency: CNY
standards:
  - from: 2025-01-01
    monthly: 700.00
  - from: 2026-01-01
    monthly: 800.00
"""
    + policy_yaml(template_policy(drop=POLICY_DROPPED), flow=True)
    + """\
officers:
  - {name: 李明, role: officer, email: liming@example.org}
  - {name: 陈静, role: officer, email: chenjing@example.org}
  - {name: 王芳, role: chair, email: wangfang@example.org}
  - {name: 张建国, role: leader, email: zhangjianguo@example.org}
  - {name: 赵丽, role: finance, email: zhaoli@example.org}
"""
)

BUDGET_2026 = """\
year: 2026
total: 100000.00
lines:
  living: 30000.00
  medical: 40000.00
  holiday: 20000.00
reserve: 10000.00
sources:
  union: 80000.00
  higher_union: 20000.00
"""

CASE = """\
id: HS-2026-0001
status: active
worker:
  name: 刘建华
  employee_id: "0371"
  unit: 物流中心
  sex: male
  birth_date: 1968-04-12
  employment: on_job
  health: serious_illness
  diagnosis: 肺癌术后化疗
  phone: "13800000001"
  id_number: "999101196804121235"
household:
  - name: 王秀英
    relation: spouse
    monthly_income: 0.00
  - name: 刘洋
    relation: child
    occupation: 学生
income:
  household_monthly: 2100.00
  rigid_expenses_monthly: 600.00
level: deep
causes:
  primary: serious_illness
  secondary: [schooling]
bank: {name: 农业银行, account: "6228480000000000001"}
filed: {by: 李明, on: 2026-01-05}
checks:
  - {step: home_visit, by: 李明, on: 2026-01-08, note: 入户核实}
notice: {from: 2026-01-12, until: 2026-01-16}
approvals:
  - {step: approve, by: 王芳, role: chair, on: 2026-01-20}
review_due: 2027-01-20
"""

GRANT = """\
id: GR-2026-0001
case: HS-2026-0001
kind: medical
amount: 1500.00
fund: union
status: paid
proposed: {by: 李明, on: 2026-02-01, reason: 化疗自付部分}
approvals:
  - {by: 王芳, role: chair, on: 2026-02-02}
paid: {by: 赵丽, on: 2026-02-05, voucher: 记-2026-0012}
"""

CAMPAIGN = """\
id: DC-2026-01
title: 为刘建华同事手术献爱心
beneficiary: HS-2026-0001
opened: 2026-03-01
contributions:
  - {donor: 办公室全体, amount: 1200.00, on: 2026-03-02}
  - {donor: 营销部, amount: 2000.00, on: 2026-03-03}
  - {donor: 匿名, amount: 100.00, on: 2026-03-03, anonymous: true}
"""

VISIT = """\
id: VS-2026-0001
on: 2026-01-25
occasion: spring_festival
visitors: [王芳, 李明]
cases: [HS-2026-0001]
goods: 米、油、慰问金
findings: 病情稳定
"""

FILES = {
    "hardship.yaml": CONFIG,
    "budgets/2026.yaml": BUDGET_2026,
    "cases/HS-2026-0001.yaml": CASE,
    "grants/2026/GR-2026-0001.yaml": GRANT,
    "campaigns/DC-2026-01.yaml": CAMPAIGN,
    "visits/2026/VS-2026-0001.yaml": VISIT,
}


class Root:
    """A records root in a temporary folder, edited file by file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        for rel, text in FILES.items():
            self.write(rel, text)

    def write(self, rel: str, text: str | bytes) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            target.write_text(textwrap.dedent(text), encoding="utf-8")
        else:
            target.write_bytes(text)
        return target

    def read(self, rel: str) -> str:
        return (self.path / rel).read_text(encoding="utf-8")

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def remove(self, rel: str) -> None:
        (self.path / rel).unlink()
