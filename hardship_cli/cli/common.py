"""What every command shares: the state of one run (the roots, the cache), the options
used across commands (`--today`, `--as`, `--on`, `--no-commit`, `--note`) and the small
helpers of the casework commands (who acts, on which day, what to print)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hardship_cli.cli.choices import choice_parser
from hardship_cli.i18n import N_, _
from hardship_cli.problems import UsageError, printable

if TYPE_CHECKING:
    from hardship_cli.casework.actions import Done
    from hardship_cli.load.checks import PerRecordChecks
    from hardship_cli.load.records import Records


@dataclass
class State:
    root_options: list[str] = field(default_factory=list)
    use_cache: bool = True
    verbose: bool = False
    _root: Path | None = field(default=None, repr=False)

    @property
    def root(self) -> Path:
        """The one records root of a command that works on one."""
        if self._root is None:
            from hardship_cli.load.files import find_root

            if len(self.root_options) > 1:
                raise UsageError(
                    _(
                        "this command works on one records root; --root was given {n} times"
                    ).format(n=len(self.root_options)),
                    _(
                        "several roots are for roll-ups: stats, budget, report annual and "
                        "export facts"
                    ),
                )
            self._root = find_root(self.root_options[0] if self.root_options else None)
        return self._root

    @property
    def roots(self) -> list[Path]:
        """Every root given (a roll-up of several units), or the one found."""
        from hardship_cli.load.files import find_root

        if len(self.root_options) > 1:
            return [find_root(option) for option in self.root_options]
        return [self.root]

    def load(self) -> Records:
        """Every record of the root, with the problems found while loading."""
        return self.load_root(self.root)

    def load_root(self, root: Path) -> Records:
        """Every record of one root (one of several, in a roll-up)."""
        from hardship_cli.cli.progress import progress_bar
        from hardship_cli.load.store import load

        records = load(
            root, cache=self.use_cache, progress=progress_bar(), checks=per_record_checks()
        )
        if self.verbose and records.loading is not None:
            from hardship_cli.load.fastyaml import describe

            self.say(_("{root}: parser: {parser}").format(root=root, parser=describe()))
            self.say(f"{root}: {records.loading.describe()}")
        return records

    def say(self, message: str) -> None:
        """A progress or diagnostic line on stderr, shown with --verbose."""
        if self.verbose:
            print(printable(message), file=sys.stderr)


def per_record_checks() -> PerRecordChecks:
    """The rules' per-record checks, for the loader to run with each case and grant (the
    loader imports no rule: its caller hands them in)."""
    from hardship_cli.rules.per_record import PER_RECORD_CHECKS

    return PER_RECORD_CHECKS


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


def parse_today(value: str | None) -> date:
    """--today DATE fixes "now" so that output is reproducible."""
    if value is None:
        return date.today()
    return _date_of(value, "--today")


NOT_A_DATE = N_("{flag} {value} is not a date")
WRITE_A_DATE = N_("write it as YYYY-MM-DD")


def _date_of(value: str, flag: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            _(NOT_A_DATE).format(flag=flag, value=printable(repr(value))), _(WRITE_A_DATE)
        ) from None


# ---------------------------------------------------------------------------------------
# Options shared by several commands

CaseArgument = Annotated[
    str, typer.Argument(help=N_("The case (HS-...)."), metavar=N_("CASE"), show_default=False)
]
GrantArgument = Annotated[
    str, typer.Argument(help=N_("The grant (GR-...)."), metavar=N_("GRANT"), show_default=False)
]
TEXT_OR_JSON = ("text", "json")
TextOrJsonOption = Annotated[
    str,
    typer.Option(
        "--format",
        parser=choice_parser(TEXT_OR_JSON),
        metavar="text|json",
        help=N_("text or json."),
    ),
]
TABLE_OR_JSON = ("table", "json")
TableOrJsonOption = Annotated[
    str,
    typer.Option(
        "--format",
        parser=choice_parser(TABLE_OR_JSON),
        metavar="table|json",
        help=N_("table or json."),
    ),
]
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        help=N_("Take this date (YYYY-MM-DD) as today."),
        metavar=N_("DATE"),
        show_default=False,
    ),
]
AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help=N_("Who acts: an officer named in hardship.yaml."),
        metavar=N_("NAME"),
        show_default=False,
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        help=N_(
            "Date of the action (YYYY-MM-DD): today or earlier, not before the step it "
            "follows; default: today."
        ),
        metavar=N_("DATE"),
        show_default=False,
    ),
]
NoCommitOption = Annotated[
    bool, typer.Option("--no-commit", help=N_("Write the change but do not commit it to git."))
]
NoteOption = Annotated[
    str | None,
    typer.Option(
        "--note",
        help=N_("A note for the record (the reason, the finding)."),
        metavar=N_("TEXT"),
        show_default=False,
    ),
]


# ---------------------------------------------------------------------------------------
# Helpers of the casework commands


def interactive() -> bool:
    """Prompts only on a terminal: cron and scripts get a usage error instead."""
    return sys.stdin.isatty()


def parse_date(value: str | None, flag: str) -> date | None:
    """The date given with `flag`, or None when it was not given."""
    if value is None:
        return None
    return _date_of(value, flag)


def action_days(on: str | None, today: str | None) -> tuple[date, date]:
    """(the day of the action, today): --on, else --today, else the calendar."""
    now = parse_today(today)
    return (parse_date(on, "--on") or now), now


def who_acts(as_name: str | None) -> str:
    """The officer given with --as (on a terminal, asked for), without the spaces around
    it: names are trimmed on input (`--as "王芳 "` is 王芳), as --name is."""
    from hardship_cli.casework.intake import SPACES

    if as_name and as_name.strip(SPACES):
        return as_name.strip(SPACES)
    if interactive():
        return str(typer.prompt(_("who acts (--as, an officer in hardship.yaml)"))).strip(SPACES)
    raise UsageError(_("missing --as NAME: who acts"), _("name an officer from hardship.yaml"))


def say_done(done: Done, stdout_line: str | None = None) -> None:
    """What an action did: its subject on stdout, its notes and commit on stderr."""
    print(printable(stdout_line or done.outcome.subject))
    say_notes(done)


def say_notes(done: Done) -> None:
    """What an action adds on stderr; names and values in it shown escaped."""
    for note in done.notes:
        print(printable(note, lines=True), file=sys.stderr)
    if done.commit:
        print(_("committed {commit}").format(commit=done.commit), file=sys.stderr)


Decide = Callable[[Any, Any, str, date], Any]


def act(
    ctx: typer.Context,
    record_id: str,
    as_name: str | None,
    on: str | None,
    today: str | None,
    no_commit: bool,
    decide_case: Decide | None,
    decide_grant: Decide | None,
) -> None:
    """One step on a case or a grant (check, approve, pay...): `decide_case` or
    `decide_grant` (None: the step is not for that kind) makes the change, committed."""
    from hardship_cli.casework import actions

    st = state(ctx)
    by = who_acts(as_name)
    day, now = action_days(on, today)
    kind = actions.kind_of(record_id)
    if kind == "case" and decide_case is not None:
        step = decide_case
    elif kind == "grant" and decide_grant is not None:
        step = decide_grant
    else:
        if decide_grant is None:
            wrong = _("{id} is not a case; this step is for a case (HS-...)")
        elif decide_case is None:
            wrong = _("{id} is not a grant; this step is for a grant (GR-...)")
        else:
            wrong = _("{id} is neither a case nor a grant; this step is for a case or a grant")
        raise UsageError(wrong.format(id=printable(record_id)))

    def decide(records: Any, record: Any) -> Any:
        return step(records, record, by, day)

    done = actions.change(st.root, record_id, decide, now, commit=not no_commit)
    say_done(done)
