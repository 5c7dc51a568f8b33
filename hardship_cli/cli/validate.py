"""hardship validate: every problem in the records root, each with its place and a fix."""

from __future__ import annotations

import json
import sys

import typer

from hardship_cli.cli.common import TextOrJsonOption, TodayOption, parse_today, state
from hardship_cli.i18n import N_, _
from hardship_cli.problems import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

HELP = N_(
    "Check every record: schema, references, duties, tiers, earmarks, budgets, reviews."
    "\n\n"
    "Prints `path:line: CODE message` and a hint for each problem. Exit 0 when clean, 1 when "
    "any error, 2 when the configuration itself is broken."
    "\n\n"
    "Example: hardship --root records validate --format json"
)


def validate(
    ctx: typer.Context,
    format: TextOrJsonOption = "text",
    today: TodayOption = None,
) -> None:
    """Check every record (the help is HELP)."""
    from hardship_cli.load.files import CONFIG_FILE
    from hardship_cli.rules import check

    st = state(ctx)
    day = parse_today(today)
    records = st.load()
    problems = check(records, day)
    if format == "json":
        json.dump([p.to_json() for p in problems], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in problems:
            print(problem.format())
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    print(
        _("{files} records checked: {errors} error(s), {warnings} warning(s)").format(
            files=records.files, errors=errors, warnings=warnings
        ),
        file=sys.stderr,
    )
    if records.config is None or any(p.path == CONFIG_FILE and p.is_error for p in problems):
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_PROBLEMS if errors else EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command(help=HELP)(validate)
