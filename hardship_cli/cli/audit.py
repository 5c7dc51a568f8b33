"""hardship history, audit and due: the audit trail of a record and of the root, and
what is due."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from hardship_cli.cli.choices import vocabulary_parser
from hardship_cli.cli.common import TextOrJsonOption, parse_date, parse_today, state
from hardship_cli.domain.vocabulary import label
from hardship_cli.i18n import N_, _
from hardship_cli.problems import UsageError, printable

HELP = {
    "history": N_(
        "The record's timeline from git: when, who, which action, which fields changed. "
        "Changes made outside hardship (commits without its trailers) are flagged, and so are "
        "commits whose author is not their By: officer, whose change is not what their action "
        "does, whose steps are dated after the commit, or (where hardship.yaml requires it) "
        "that are not signed with their officer's key.\n\n"
        "Example: hardship history GR-2026-0003"
    ),
    "audit": N_(
        "What an auditor runs: records that differ from the last commit, record changes "
        "committed outside hardship, action commits whose author, trailers or change disagree, "
        "steps dated after the commit that recorded them, and, where hardship.yaml requires "
        "signing, action commits not signed with their officer's key. Exit 0 when the trail is "
        "clean, 1 when anything is found.\n\n"
        "Example: hardship audit --format json"
    ),
    "due": N_(
        "Reviews due or overdue, visit follow-ups that came due, files unchanged for a year "
        "(from git), active files never helped, files whose tier no longer fits the standard in "
        "force, referrals unanswered for a month; with --occasion, the households to visit "
        "first.\n\n"
        "Example: hardship due --occasion spring_festival --on 2027-01-25"
    ),
}

# A record not there, by its kind.
NO_RECORD = {
    "case": N_("no case {id} in {root} ({path})"),
    "grant": N_("no grant {id} in {root} ({path})"),
    "campaign": N_("no campaign {id} in {root} ({path})"),
    "visit": N_("no visit {id} in {root} ({path})"),
}



def history(
    ctx: typer.Context,
    record: Annotated[
        str,
        typer.Argument(
            help=N_("A record ID: HS-, GR-, DC- or VS-..."),
            metavar=N_("RECORD"),
            show_default=False,
        ),
    ],
    format: TextOrJsonOption = "text",
) -> None:
    """history: the record's timeline from git (help: HELP)."""
    from hardship_cli.casework.actions import kind_of
    from hardship_cli.casework.intake import record_path
    from hardship_cli.edit import judging, trail
    from hardship_cli.load.files import load_config

    st = state(ctx)
    kind = kind_of(record)
    rel = record_path(kind, record)
    if not (st.root / rel).exists():
        raise UsageError(_(NO_RECORD[kind]).format(id=record, root=st.root, path=rel))
    config, _source, _problems = load_config(st.root)  # None: judged without the officers
    events = trail.history(st.root, rel, record, config)
    if format == "json":
        doc = {"record": record, "path": rel, "events": [e.to_json() for e in events]}
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if not events:
        print(
            _("{id} has no history in git yet (never committed)").format(id=record),
            file=sys.stderr,
        )
        return
    outside = flagged = 0
    for e in events:
        when = e.when[:16].replace("T", " ")
        if e.outside:
            outside += 1
            who = (
                _("{author} (outside hardship: no trailers)").format(author=e.author)
                if not e.action
                else _("{author} (outside hardship: an action on {id})").format(
                    author=e.author, id=e.record
                )
            )
            action = "edit"
        else:
            who = f"{e.by or e.author}"
            if e.role:
                who = _("{name} ({role})").format(name=who, role=label("role", e.role))
            action = e.action or ""
        flagged += bool(e.flags) and not e.outside
        # A step recorded later than it happened (a paper approval) shows its own date.
        dated = ""
        if e.dated:
            days = ", ".join(d.isoformat() for d in e.dated)
            dated = "  " + _("(dated {days})").format(days=days)
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
            _("{n} change(s) to {id} were made outside hardship; check them").format(
                n=outside, id=record
            ),
            file=sys.stderr,
        )
    if flagged:
        print(
            _("{n} commit(s) of {id} are flagged (!); hardship audit lists them all").format(
                n=flagged, id=record
            ),
            file=sys.stderr,
        )


def audit(
    ctx: typer.Context,
    format: TextOrJsonOption = "text",
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help=N_("Read only the commits after this one (a commit or tag already audited)."),
            metavar=N_("COMMIT"),
            show_default=False,
        ),
    ] = None,
) -> None:
    """audit: the whole trail checked (help: HELP)."""
    from hardship_cli.casework.auditing import audit as run_audit
    from hardship_cli.load.files import load_config
    from hardship_cli.problems import EXIT_OK, EXIT_PROBLEMS, ConfigError

    st = state(ctx)
    config, _source, problems = load_config(st.root)
    if config is None:
        first = problems[0].format() if problems else ""
        raise ConfigError(
            _("hardship.yaml has problems: {first}").format(first=first),
            _("run hardship validate"),
        )
    result = run_audit(st.root, config, since)
    if format == "json":
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for finding in result.findings:
            print(finding.format())
    if result.signing_required:
        summary = _("{n} commit(s) of records read, signatures checked: {found} finding(s)")
    else:
        summary = _("{n} commit(s) of records read: {found} finding(s)")
    print(summary.format(n=result.commits, found=len(result.findings)), file=sys.stderr)
    raise typer.Exit(EXIT_PROBLEMS if result.findings else EXIT_OK)


def due(
    ctx: typer.Context,
    occasion: Annotated[
        str | None,
        typer.Option(
            "--occasion",
            parser=vocabulary_parser("occasion"),
            metavar=N_("OCCASION"),
            help=N_(
                "List the households to visit first at this occasion "
                "(e.g. spring_festival, 春节慰问)."
            ),
            show_default=False,
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help=N_("Date of the visits (YYYY-MM-DD)."),
            metavar=N_("DATE"),
            show_default=False,
        ),
    ] = None,
    format: TextOrJsonOption = "text",
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help=N_("Take this date (YYYY-MM-DD) as today."),
            metavar=N_("DATE"),
            show_default=False,
        ),
    ] = None,
) -> None:
    """due: what is due, and whom to visit first (help: HELP)."""
    from hardship_cli.casework import agenda
    from hardship_cli.domain.model import Occasion
    from hardship_cli.edit import gitrepo

    st = state(ctx)
    now = parse_today(today)
    when = parse_date(on, "--on")
    which = Occasion(occasion) if occasion is not None else None  # a code: its parser's
    records = st.load()
    if records.config is None:
        from hardship_cli.problems import ConfigError

        raise ConfigError(_("hardship.yaml has problems"), _("run hardship validate"))
    result = agenda.due(records, now, gitrepo.last_changed(st.root, "cases"), which, when)
    if format == "json":
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    sections = [
        (_("reviews due ({n})"), result.reviews),
        (_("visit follow-ups due ({n})"), result.follow_ups),
        (_("files unchanged for a year ({n})"), result.unchanged),
        (_("active files never helped ({n})"), result.never_helped),
        (_("tier no longer fits the standard in force ({n})"), result.tiers),
        (_("referrals unanswered for a month ({n})"), result.referrals),
    ]
    if result.holidays:
        sections.append((_("holidays unknown ({n})"), result.holidays))
    if result.qualifies:
        sections.append((_("qualifies for a program, not helped ({n})"), result.qualifies))
    for title, items in sections:
        print(title.format(n=len(items)))
        for item in items:
            print(printable(f"  {item.record}  {str(item.day or ''):<10}  {item.note}"))
    if result.occasion is not None:
        print(
            _("households to visit first at {occasion} on {day} ({n})").format(
                occasion=label("occasion", result.occasion.value),
                day=result.on,
                n=len(result.visit_first),
            )
        )
        for item in result.visit_first:
            print(printable(f"  {item.record}  {item.name or ''}  {item.note}"))
        if result.visited:
            print(
                "  "
                + printable(
                    _("already visited: {ids}").format(
                        ids=", ".join(i.record for i in result.visited)
                    )
                )
            )


def register(app: typer.Typer) -> None:
    app.command(help=HELP["history"])(history)
    app.command(help=HELP["audit"])(audit)
    app.command(help=HELP["due"])(due)
