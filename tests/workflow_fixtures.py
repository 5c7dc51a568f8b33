"""Small records roots for the casework tests: built in a temporary folder with
`hardship init --no-git`, a configuration and budget of our own, and git when asked.

`cli(root, ...)` runs the real entry point in-process (the one error handler included)
and returns the exit code and what went to stdout and stderr.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from hardship_cli.cli.main import run
from tools.policy_template import policy_yaml, template_policy

OFFICERS = {
    "李明": "officer",
    "周丽": "officer",
    "王芳": "chair",
    "陈刚": "leader",
    "赵敏": "finance",
}

# The shipped template's policy, without the emergency cap and the emergency relief in
# intake (tools/policy_template.py; tests/test_policy_template.py holds it to the template).
POLICY_DROPPED = ("caps.emergency", "policy.emergency_before_active")

CONFIG = (
    textwrap.dedent(
        """\
    # yaml-language-server: $schema=.hardship/schema/config.schema.json
    organisation:
      name: 某县烟草专卖局工会
      parent: 某市烟草系统工会
    locale: zh-CN
    currency: CNY
    standards:
      - from: 2025-01-01
        monthly: 800.00
    """
    )
    + policy_yaml(template_policy(drop=POLICY_DROPPED))
    + textwrap.dedent(
        """\
    officers:
      - name: 李明
        role: officer
        email: liming@union.example
      - name: 周丽
        role: officer
        email: zhouli@union.example
      - name: 王芳
        role: chair
        email: wangfang@union.example
      - name: 陈刚
        role: leader
        email: chengang@union.example
      - name: 赵敏
        role: finance
        email: zhaomin@union.example
    holidays: [2026-02-16, 2026-02-17, 2026-02-18, 2026-02-19, 2026-02-20]
    workdays: [2026-02-14, 2026-02-28]
    """
    )
)

BUDGET_2026 = textwrap.dedent(
    """\
    year: 2026
    total: 60000.00
    lines:
      living: 12000.00
      medical: 15000.00
      schooling: 8000.00
      holiday: 10000.00
      emergency: 5000.00
    reserve: 10000.00
    """
)

GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli(root: Path | None, *args: str) -> Result:
    """Run `hardship [--root ROOT] ARGS...` in this process, as the console script would."""
    argv = (["--root", str(root)] if root is not None else []) + list(args)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            run(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Result(code, out.getvalue(), err.getvalue())


def ok(root: Path, *args: str) -> Result:
    """Run a command that must succeed; fail the test with its stderr otherwise."""
    result = cli(root, *args)
    assert result.code == 0, f"hardship {' '.join(args)} -> {result.code}\n{result.err}"
    return result


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def make_root(base: Path, with_git: bool = True, budget: str | None = BUDGET_2026) -> Path:
    """Without git, the root says so in hardship.yaml, as `hardship init --no-git` does."""
    root = base / "union"
    result = cli(None, "init", str(root), "--no-git")
    assert result.code == 0, result.err
    no_git = "" if with_git else "git:\n  commit: false\n"
    (root / "hardship.yaml").write_text(CONFIG + no_git, encoding="utf-8")
    if budget is not None:
        (root / "budgets" / "2026.yaml").write_text(budget, encoding="utf-8")
    if with_git:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "records root")
    return root


def add_case(
    root: Path,
    by: str = "李明",
    on: str = "2026-01-05",
    name: str = "张伟",
    employee_id: str = "0107",
    income: str = "1500",
    level: str = "deep",
    members: tuple[str, ...] = ("name=李梅,relation=spouse,monthly_income=0",),
    employment: str = "on_job",
    cause: str = "serious_illness",
    extra: tuple[str, ...] = (),
) -> str:
    args = [
        "add", "case", "--as", by, "--on", on, "--name", name, "--employee-id", employee_id,
        "--unit", "烟叶站", "--sex", "male", "--birth-date", "1975-04-02",
        "--employment", employment, "--household-income", income, "--level", level,
        "--cause", cause, "--no-commit", *extra,
    ]  # fmt: skip
    for member in members:
        args += ["--member", member]
    return ok(root, *args).out.strip()


def active_case(root: Path, **kwargs: object) -> str:
    """A case filed, checked, on notice from Monday 2026-01-05 to Friday 01-09, approved
    on 2026-01-12 by the chair."""
    case_id = add_case(root, **kwargs)  # type: ignore[arg-type]
    ok(root, "review", "check", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    ok(root, "review", "notice", case_id, "--as", "李明", "--on", "2026-01-05", "--no-commit")
    ok(root, "review", "approve", case_id, "--as", "王芳", "--on", "2026-01-12", "--no-commit")
    return case_id


def propose(
    root: Path,
    case_id: str,
    amount: str,
    kind: str = "medical",
    fund: str = "union",
    by: str = "李明",
    on: str = "2026-03-02",
) -> str:
    return ok(
        root, "add", "grant", "--as", by, "--case", case_id, "--kind", kind, "--amount", amount,
        "--fund", fund, "--reason", "帮扶", "--on", on, "--no-commit",
    ).out.strip()  # fmt: skip


def python() -> str:
    return sys.executable
