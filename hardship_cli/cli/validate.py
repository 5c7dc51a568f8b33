"""hardship validate: every problem in the records root, each with its place and a fix."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from hardship_cli.cli.common import parse_today, state
from hardship_cli.problems import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


def validate(
    ctx: typer.Context,
    format: Annotated[TextOrJson, typer.Option("--format", help="text or json.")] = TextOrJson.text,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Take this date (YYYY-MM-DD) as today.", show_default=False),
    ] = None,
) -> None:
    """Check every record: schema, references, duties, tiers, earmarks, budgets, reviews.

    Prints `path:line: CODE message` and a hint for each problem. Exit 0 when clean, 1 when
    any error, 2 when the configuration itself is broken.

    Example: hardship --root records validate --format json
    """
    from hardship_cli.load.files import CONFIG_FILE
    from hardship_cli.rules import check

    st = state(ctx)
    day = parse_today(today)
    records = st.load()
    problems = check(records, day)
    if format == TextOrJson.json:
        json.dump([p.to_json() for p in problems], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in problems:
            print(problem.format())
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    print(
        f"{records.files} records checked: {errors} error(s), {warnings} warning(s)",
        file=sys.stderr,
    )
    if records.config is None or any(p.path == CONFIG_FILE and p.is_error for p in problems):
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_PROBLEMS if errors else EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command()(validate)
