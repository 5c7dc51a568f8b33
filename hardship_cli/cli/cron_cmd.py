"""hardship cron: the crontab line for this install's monthly report.

Cron runs a command with a bare PATH (/usr/bin:/bin), where a `hardship` installed in a
virtual environment or in ~/.local/bin is not found (exit 127). The line printed here
names this very program by its absolute path (the script that runs now, else this Python
with `-m hardship_cli`) and the root by its absolute path."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from hardship_cli.cli.common import state
from hardship_cli.i18n import N_, _

REPORT = "report monthly --month previous -o reports/{month}.md --commit"

HELP = N_(
    "Print the crontab line that writes and commits last month's report into the root's "
    "reports/ on the 1st, with the absolute paths of this install and of the root (cron's "
    "PATH does not find a hardship installed in a virtual environment). Add it with "
    "`crontab -e`."
    "\n\n"
    "Example: hardship --root /srv/union-hardship cron >> my-crontab"
)


def this_program() -> list[str]:
    """The command that runs this hardship, by absolute paths: the console script that was
    started, or, when it was started as `python -m hardship_cli`, this Python with -m."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name != "__main__.py" and script.is_file():
        return [os.path.abspath(script)]
    return [os.path.abspath(sys.executable), "-m", "hardship_cli"]


def cron_line(root: Path, when: str) -> str:
    """The crontab line: at `when`, in the root, the previous month's report, committed."""
    program = " ".join(shlex.quote(part) for part in this_program())
    return f"{when}  cd {shlex.quote(os.path.abspath(root))} && {program} {REPORT}"


def cron(
    ctx: typer.Context,
    when: Annotated[
        str,
        typer.Option(
            "--when",
            metavar=N_("SCHEDULE"),
            help=N_("The crontab schedule (minute hour day month weekday)."),
        ),
    ] = "30 6 1 * *",
) -> None:
    """The crontab line of the monthly report (the help is HELP)."""
    root = state(ctx).root
    if len(when.split()) != 5:
        from hardship_cli.problems import UsageError, printable

        raise UsageError(
            _("--when {value} is not a crontab schedule").format(value=repr(printable(when))),
            _("five fields: minute hour day month weekday, e.g. '30 6 1 * *'"),
        )
    print(_("# m h dom mon dow  command"))
    print(cron_line(root, when))


def register(app: typer.Typer) -> None:
    app.command(help=HELP)(cron)
