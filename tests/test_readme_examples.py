"""Issue 14: every command example of the README runs, against a copy of the demo root.

The examples are the `hardship ...` lines of the README's ```sh blocks (a line continued
with a backslash is one command) and its `$ hardship ...` lines. They run in the README's
order in one working folder whose `records/` is `hardship init records --demo` (so a
command without --root finds it, as in the README), with its officers. Where the README
names a file or a root the reader brings (a unit's sheet, a mapping, the units'
repositories, an audit tag), the test makes it first from the demo. An `add` whose
comment says `# prints HS-2026-0001` prints the next free ID of the demo: that ID stands
for the README's in the commands after it.

An example must exit 0, unless its comment says exit 1 may come (budget, audit) or it
shows the output of a problem found (validate). The crontab line is printed by `hardship
cron` and must run where cron runs it: with cron's bare PATH."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.clirun import REPO, hardship, hardship_process

README = REPO / "README.md"
PRINTS = re.compile(r"prints ((?:HS|GR|DC|VS)-\d{4}-\d{4})")


@dataclass
class Example:
    line: int  # in README.md
    command: str  # from `hardship` on
    comment: str
    shows_output: bool = False

    def allowed(self) -> set[int]:
        if self.shows_output or "exit 1" in self.comment or "1: findings" in self.comment:
            return {0, 1}
        return {0}


def examples(text: str) -> list[Example]:
    found: list[Example] = []
    fence: str | None = None
    dollar: Example | None = None  # a `$` line: the lines under it are its output
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("```"):
            fence = raw[3:].strip() if fence is None else None
            dollar = None
            continue
        if fence is None:
            continue
        if raw.startswith("$ hardship "):
            dollar = Example(number, raw[2:].strip(), "")
            found.append(dollar)
            continue
        if dollar is not None:
            dollar.shows_output = dollar.shows_output or bool(raw.strip())
            continue
        if fence != "sh":
            continue
        if not pending:
            start = number
        pending += raw.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        command, _, comment = pending.partition("  #")
        pending = ""
        command = " ".join(command.split())
        if command.startswith("hardship "):
            found.append(Example(start, command, comment.strip()))
    return found


def test_the_readme_has_the_examples_this_test_runs():
    found = examples(README.read_text(encoding="utf-8"))
    commands = [e.command for e in found]
    assert len(found) > 30
    assert any(c.startswith("hardship add case ") for c in commands)
    assert any(c.startswith("hardship pay ") for c in commands)
    assert "hardship cron" in commands
    validate = next(e for e in found if e.command == "hardship --root records validate")
    assert validate.shows_output and validate.allowed() == {0, 1}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def what_the_reader_brings(work: Path) -> None:
    """The files and roots the README's examples name that a reader would have."""
    records = work / "records"
    sheet = work / "2027花名册.xlsx"
    assert hardship("--root", records, "export", "cases", "-o", sheet).code == 0
    shutil.copyfile(sheet, work / "big.xlsx")
    csv_sheet = work / "sheet.csv"
    assert hardship("--root", records, "export", "cases", "-o", csv_sheet).code == 0
    text = csv_sheet.read_text(encoding="utf-8-sig").replace("\n工号,", "\n员工编号,", 1)
    csv_sheet.write_text(text, encoding="utf-8")
    (work / "headings.yaml").write_text("员工编号: 工号\n", encoding="utf-8")
    for unit in ("unit-a", "unit-b"):
        assert hardship("init", work / unit, "--demo").code == 0
    git(records, "tag", "audited-2026q3")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("HARDSHIP_ROOT", raising=False)
    assert hardship("init", tmp_path / "records", "--demo").code == 0
    what_the_reader_brings(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_readme_example_runs_on_the_demo(work: Path):
    ids: dict[str, str] = {}
    ran = []
    for example in examples(README.read_text(encoding="utf-8")):
        command = example.command
        for shown, real in ids.items():
            command = command.replace(shown, real)
        args = shlex.split(command)[1:]
        result = hardship(*args)
        where = f"README.md:{example.line}: {command}\n{result.out}{result.err}"
        assert result.code in example.allowed(), where
        printed = PRINTS.search(example.comment)
        if printed:
            ids[printed.group(1)] = result.out.split()[0]
        ran.append((command, result))
    # The casework example went through: the grant it proposed was paid, and its history
    # shows each step's own date beside the commit's time.
    history = next(r for c, r in ran if c.startswith("hardship history GR-") and
                   c.split()[-1] == ids["GR-2026-0001"])
    assert "(dated 2026-11-16)" in history.out and "赵丽 (finance)" in history.out


def test_the_crontab_line_runs_with_crons_path(work: Path):
    records = work / "records"
    printed = hardship_process("--root", records, "cron", cwd=work)
    assert printed.code == 0, printed.err
    comment, line = printed.out.splitlines()
    assert comment.startswith("#")
    assert line.startswith(f"30 6 1 * *  cd {records} && /")
    command = line[len("30 6 1 * *"):].strip()
    # What cron does: /bin/sh -c with PATH=/usr/bin:/bin and HOME, nothing of ours.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "SHELL": "/bin/sh"}
    if os.environ.get("HARDSHIP_CACHE_DIR"):
        env["HARDSHIP_CACHE_DIR"] = os.environ["HARDSHIP_CACHE_DIR"]
    done = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert list((records / "reports").glob("*.md"))
    assert git(records, "log", "-1", "--format=%s").startswith("报表：monthly ")


def test_the_readme_crontab_line_is_not_a_bare_hardship():
    text = README.read_text(encoding="utf-8")
    block = text.split("```cron", 1)[1].split("```", 1)[0]
    lines = [ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines and all(" /" in ln.split("&&", 1)[1] for ln in lines)
    assert not [ln for ln in lines if re.search(r"&&\s+hardship\b", ln)]
