"""hardship history, audit and due: the audit trail of a record and of the root, and
what is due."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from hardship_cli.cli.common import parse_date, parse_today, state
from hardship_cli.problems import UsageError, printable


def history(
    ctx: typer.Context,
    record: Annotated[str, typer.Argument(help="A record ID: HS-, GR-, DC- or VS-...")],
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """The record's timeline from git: when, who, which action, which fields changed.
    Changes made outside hardship (commits without its trailers) are flagged, and so are
    commits whose author is not their By: officer, whose change is not what their action
    does, whose steps are dated after the commit, or (where hardship.yaml requires it)
    that are not signed with their officer's key.

    Example: hardship history GR-2026-0003
    """
    from hardship_cli.casework.actions import kind_of
    from hardship_cli.casework.intake import record_path
    from hardship_cli.edit import judging, trail
    from hardship_cli.load.files import load_config

    if format not in ("text", "json"):
        raise UsageError(f"--format {format!r}: use text or json")
    st = state(ctx)
    kind = kind_of(record)
    rel = record_path(kind, record)
    if not (st.root / rel).exists():
        raise UsageError(f"no {kind} {record} in {st.root} ({rel})")
    config, _source, _problems = load_config(st.root)  # None: judged without the officers
    events = trail.history(st.root, rel, record, config)
    if format == "json":
        doc = {"record": record, "path": rel, "events": [e.to_json() for e in events]}
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if not events:
        print(f"{record} has no history in git yet (never committed)", file=sys.stderr)
        return
    outside = flagged = 0
    for e in events:
        when = e.when[:16].replace("T", " ")
        if e.outside:
            outside += 1
            who = (
                f"{e.author} (outside hardship: no trailers)"
                if not e.action
                else (f"{e.author} (outside hardship: an action on {e.record})")
            )
            action = "edit"
        else:
            who = f"{e.by or e.author}" + (f" ({e.role})" if e.role else "")
            action = e.action or ""
        flagged += bool(e.flags) and not e.outside
        # A step recorded later than it happened (a paper approval) shows its own date.
        dated = f"  (dated {', '.join(d.isoformat() for d in e.dated)})" if e.dated else ""
        print(printable(f"{when}  {e.commit[:8]}  {action:<9} {who}{dated}"))
        if e.outside:
            print(printable(f"    ! {e.subject}"))
        for flag in e.flags:
            if flag.code not in judging.OUTSIDE:
                print(printable(f"    ! {flag.message}"))
        for change in e.changes:
            print(printable(f"    {change}"))
    if outside:
        print(
            f"{outside} change(s) to {record} were made outside hardship; check them",
            file=sys.stderr,
        )
    if flagged:
        print(
            f"{flagged} commit(s) of {record} are flagged (!); hardship audit lists them all",
            file=sys.stderr,
        )


def audit(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Read only the commits after this one (a commit or tag already audited).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """What an auditor runs: records that differ from the last commit, record changes
    committed outside hardship, action commits whose author, trailers or change disagree,
    steps dated after the commit that recorded them, and, where hardship.yaml requires
    signing, action commits not signed with their officer's key. Exit 0 when the trail is
    clean, 1 when anything is found.

    Example: hardship audit --format json
    """
    from hardship_cli.casework.auditing import audit as run_audit
    from hardship_cli.load.files import load_config
    from hardship_cli.problems import EXIT_OK, EXIT_PROBLEMS, ConfigError

    if format not in ("text", "json"):
        raise UsageError(f"--format {format!r}: use text or json")
    st = state(ctx)
    config, _source, problems = load_config(st.root)
    if config is None:
        first = problems[0].format() if problems else ""
        raise ConfigError(f"hardship.yaml has problems: {first}", "run hardship validate")
    result = run_audit(st.root, config, since)
    if format == "json":
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for finding in result.findings:
            print(finding.format())
    signed = ", signatures checked" if result.signing_required else ""
    print(
        f"{result.commits} commit(s) of records read{signed}: {len(result.findings)} finding(s)",
        file=sys.stderr,
    )
    raise typer.Exit(EXIT_PROBLEMS if result.findings else EXIT_OK)


def due(
    ctx: typer.Context,
    occasion: Annotated[
        str | None,
        typer.Option(
            "--occasion",
            help="List the households to visit first at this occasion (e.g. spring_festival).",
            show_default=False,
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", help="Date of the visits (YYYY-MM-DD).", show_default=False),
    ] = None,
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    today: Annotated[
        str | None,
        typer.Option("--today", help="Take this date (YYYY-MM-DD) as today.", show_default=False),
    ] = None,
) -> None:
    """Reviews due or overdue, visit follow-ups that came due, files unchanged for a year
    (from git), active files never helped, files whose tier no longer fits the standard in
    force, referrals unanswered for a month; with --occasion, the households to visit first.

    Example: hardship due --occasion spring_festival --on 2027-01-25
    """
    from hardship_cli.casework import agenda
    from hardship_cli.domain.model import Occasion
    from hardship_cli.edit import gitrepo

    if format not in ("text", "json"):
        raise UsageError(f"--format {format!r}: use text or json")
    st = state(ctx)
    now = parse_today(today)
    when = parse_date(on, "--on")
    which = None
    if occasion is not None:
        try:
            which = Occasion(occasion)
        except ValueError:
            raise UsageError(
                f"--occasion {occasion!r} is not an occasion",
                f"use one of: {', '.join(o.value for o in Occasion)}",
            ) from None
    records = st.load()
    if records.config is None:
        from hardship_cli.problems import ConfigError

        raise ConfigError("hardship.yaml has problems", "run hardship validate")
    result = agenda.due(records, now, gitrepo.last_changed(st.root, "cases"), which, when)
    if format == "json":
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    sections = [
        ("reviews due", result.reviews),
        ("visit follow-ups due", result.follow_ups),
        ("files unchanged for a year", result.unchanged),
        ("active files never helped", result.never_helped),
        ("tier no longer fits the standard in force", result.tiers),
        ("referrals unanswered for a month", result.referrals),
    ]
    if result.holidays:
        sections.append(("holidays unknown", result.holidays))
    for title, items in sections:
        print(f"{title} ({len(items)})")
        for item in items:
            print(f"  {item.record}  {str(item.day or ''):<10}  {item.note}")
    if result.occasion is not None:
        print(
            f"households to visit first at {result.occasion.value} on {result.on} "
            f"({len(result.visit_first)})"
        )
        for item in result.visit_first:
            print(f"  {item.record}  {item.name or ''}  {item.note}")
        if result.visited:
            print(f"  already visited: {', '.join(i.record for i in result.visited)}")


def register(app: typer.Typer) -> None:
    app.command()(history)
    app.command()(audit)
    app.command()(due)
