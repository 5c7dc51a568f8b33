"""hardship advise CASE / advise --all / programs check: which programs of hardship.yaml
a household qualifies for (rules/advice.py), and the checks of the programs."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hardship_cli.cli.common import TextOrJsonOption, TodayOption, parse_today, state
from hardship_cli.i18n import N_, _, ngettext
from hardship_cli.problems import UsageError, printable

if TYPE_CHECKING:
    from hardship_cli.domain.programs import AmountRule
    from hardship_cli.rules.advice import Advice, Verdict


ADVISE_HELP = N_(
    "Which programs of help a household qualifies for: the union's own kinds of help and "
    "the programs of others written in hardship.yaml (programs:), each with its verdict: "
    "qualifies, does not (the condition that fails, with the household's figure and the "
    "threshold), received (this year, or in the window's season), or not open yet. For "
    "the union's programs, the cap left this year; for others, the `hardship add "
    "referral` line that asks for it. "
    "Nothing is changed.\n\n"
    "With --all: every active household that qualifies for help it has not received, "
    "deep hardship first, then the longest wait since its last help.\n\n"
    "Example: hardship advise HS-2025-0008 --today 2026-12-03"
)
CHECK_HELP = N_(
    "Check the programs of hardship.yaml against the records: a yearly window that closed "
    "with qualifying households not helped (P-WINDOW), two programs of the union paying "
    "the same kind within the year's cap (P-TWICE), a program's amount above its kind's "
    "cap a grant (P-CAP). Exit 1 when something is found.\n\n"
    "Example: hardship programs check --today 2026-12-03"
)


def advise_command(
    ctx: typer.Context,
    case: Annotated[
        str | None,
        typer.Argument(
            help=N_("The case (HS-...); none with --all."), metavar=N_("CASE"), show_default=False
        ),
    ] = None,
    all_cases: Annotated[
        bool,
        typer.Option(
            "--all", help=N_("Every active household that qualifies for help it has not received.")
        ),
    ] = False,
    format: TextOrJsonOption = "text",
    today: TodayOption = None,
) -> None:
    from hardship_cli.cli.reading import load_for_reading
    from hardship_cli.rules.advice import advise, advise_all

    if (case is None) == (not all_cases):
        raise UsageError(
            _("give one case, or --all"),
            _("e.g. hardship advise HS-2025-0008, or hardship advise --all"),
        )
    day = parse_today(today)
    records = load_for_reading(state(ctx))
    config = records.config
    assert config is not None
    if all_cases:
        found = advise_all(
            config, records.case_facts().values(), records.grant_facts().values(), day
        )
        if format == "json":
            _dump({"day": str(day), "households": [_advice_json(a, brief=True) for a in found]})
        else:
            _print_all(found, day)
        return
    assert case is not None
    record = records.case_facts().get(case)
    if record is None:
        from hardship_cli.load.files import no_such_case

        raise no_such_case(case)
    grants = [g for g in records.grant_facts().values() if g.case == case]
    advice = advise(config, record, grants, day)
    if format == "json":
        _dump(_advice_json(advice))
    else:
        _print_one(advice)


def check_command(
    ctx: typer.Context,
    format: TextOrJsonOption = "text",
    today: TodayOption = None,
) -> None:
    from hardship_cli.cli.reading import load_for_reading
    from hardship_cli.rules.program_checks import check_programs

    day = parse_today(today)
    records = load_for_reading(state(ctx))
    assert records.config is not None
    found = check_programs(
        records.config, records.case_facts().values(), records.grant_facts().values(), day
    )
    if format == "json":
        _dump(
            {
                "day": str(day),
                "findings": [
                    {"code": f.code, "program": f.program, "cases": list(f.cases)} for f in found
                ],
            }
        )
    else:
        for finding in found:
            print(f"{finding.code} {finding.program}: {finding.message}")
            if finding.cases:
                print("    " + " ".join(finding.cases))
        if not found:
            print(_("the programs of hardship.yaml: nothing found"))
    if found:
        raise typer.Exit(1)


# ---------------------------------------------------------------------------------------
# JSON: stable English keys and codes


def _dump(doc: Any) -> None:
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _amount_json(rule: AmountRule | None) -> dict[str, str] | None:
    if rule is None:
        return None
    found = {"fixed": rule.fixed, "up_to": rule.up_to, "share": rule.share}
    return {k: f"{v:.2f}" for k, v in found.items() if v is not None}


def _verdict_json(v: Verdict) -> dict[str, Any]:
    from hardship_cli.domain.programs import month_day_text

    p = v.program
    doc: dict[str, Any] = {
        "program": p.id,
        "name": p.name,
        "runner": p.runner.value,
        "kind": p.kind.value,
        "status": v.status,
        "amount": _amount_json(p.amount),
    }
    if p.window is not None:
        doc["window"] = {
            "from": month_day_text(p.window.from_),
            "until": month_day_text(p.window.until),
        }
    if v.failed:
        doc["failed"] = [
            {"condition": f.condition, "figure": f.figure, "threshold": f.threshold}
            for f in v.failed
        ]
    if v.received is not None:
        doc["received"] = {"what": v.received, "on": str(v.received_on)}
    if v.opens is not None:
        doc["opens"] = str(v.opens)
    if v.closes is not None:
        doc["closes"] = str(v.closes)
    if v.cap_left is not None:
        doc["cap_left"] = f"{v.cap_left:.2f}"
    if v.refer is not None:
        doc["referral_command"] = v.refer
    return doc


def _advice_json(a: Advice, brief: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "case": a.case.id,
        "day": str(a.day),
        "tier": a.case.level.value,
        "per_capita": f"{a.case.per_capita:.2f}",
        "waiting_since": str(a.waiting_since),
    }
    if brief:
        doc["qualifies"] = [v.program.id for v in a.qualifying]
    else:
        doc["programs"] = [_verdict_json(v) for v in a.verdicts]
    return doc


# ---------------------------------------------------------------------------------------
# Text


def amount_text(rule: AmountRule | None) -> str | None:
    from hardship_cli.domain.money import yuan

    if rule is None:
        return None
    if rule.fixed is not None:
        return _("{amount} a grant").format(amount=yuan(rule.fixed))
    if rule.share is not None:
        share = f"{rule.share * 100:.0f}"
        if rule.up_to is not None:
            return _("{share}% of the expense, up to {amount}").format(
                share=share, amount=yuan(rule.up_to)
            )
        return _("{share}% of the expense").format(share=share)
    assert rule.up_to is not None
    return _("up to {amount}").format(amount=yuan(rule.up_to))


def say_programs(ctx: typer.Context, case_id: str, day: Any) -> None:
    """After a household is filed or approved: the programs of hardship.yaml it qualifies
    for on `day`, on stderr, one a line (with the referral line for those others run);
    nothing when it qualifies for none or the root writes no programs."""
    from hardship_cli.rules.advice import advise

    st = state(ctx)
    records = st.load_root(st.root)
    config, case = records.config, records.case_facts().get(case_id)
    if config is None or case is None or not config.programs:
        return
    grants = [g for g in records.grant_facts().values() if g.case == case_id]
    qualifying = advise(config, case, grants, day).qualifying
    if not qualifying:
        return
    lines = [_("{case} qualifies for:").format(case=case_id)]
    for v in qualifying:
        lines.append("  " + v.program.name)
        if v.refer is not None:
            lines.append("    " + _("to ask for it: {command}").format(command=v.refer))
    lines.append(_("the whole advice: hardship advise {case}").format(case=case_id))
    print(printable("\n".join(lines), lines=True), file=sys.stderr)


def _print_one(a: Advice) -> None:
    from hardship_cli.domain.money import yuan
    from hardship_cli.domain.vocabulary import label
    from hardship_cli.rules import advice as adv

    case = a.case
    lines = [
        _("{case} {name}: {tier}, per-capita income {income} a month, on {day}").format(
            case=case.id,
            name=case.name,
            tier=label("tier", case.level),
            income=yuan(case.per_capita),
            day=a.day,
        )
    ]
    if not a.verdicts:
        lines.append(
            _("hardship.yaml names no program in force on {day} (programs:)").format(day=a.day)
        )
    for v in a.verdicts:
        p = v.program
        lines.append("")
        lines.append(
            _("{name} ({runner}, {kind})").format(
                name=p.name, runner=adv.runner_word(p.runner), kind=label("kind", p.kind)
            )
        )
        if v.status == adv.QUALIFIES:
            if v.closes is not None:
                lines.append("  " + _("qualifies; the window closes on {day}").format(day=v.closes))
            else:
                lines.append("  " + _("qualifies"))
        elif v.status == adv.NOT_OPEN:
            lines.append(
                "  " + _("qualifies, not open yet: the window opens on {day}").format(day=v.opens)
            )
        elif v.status == adv.RECEIVED:
            lines.append(
                "  "
                + _("received: {what} on {day}").format(
                    what=adv.received_text(v.received or ""), day=v.received_on
                )
            )
            if v.opens is not None:
                lines.append("  " + _("the window opens again on {day}").format(day=v.opens))
        else:
            lines.append("  " + _("does not qualify:"))
            lines.extend("  - " + f.message for f in v.failed)
        amount = amount_text(p.amount)
        if amount is not None:
            lines.append("  " + _("amount: {amount}").format(amount=amount))
        if v.cap_left is not None:
            lines.append("  " + _("cap left this year: {amount}").format(amount=yuan(v.cap_left)))
        if v.refer is not None and v.status in (adv.QUALIFIES, adv.NOT_OPEN):
            lines.append("  " + _("to ask for it: {command}").format(command=v.refer))
    print(printable("\n".join(lines), lines=True))


def _print_all(found: list[Advice], day: Any) -> None:
    """The households as plain columns (a city's list is thousands of rows: see
    cli/console.columns)."""
    from hardship_cli.cli.console import columns
    from hardship_cli.domain.vocabulary import label

    title = ngettext(
        "{count} household qualifies for help not received, on {day}",
        "{count} households qualify for help not received, on {day}",
        len(found),
    ).format(count=len(found), day=day)
    header = (_("case"), _("name"), _("tier"), _("last help"), _("days"), _("qualifies for"))
    rows = (
        (
            a.case.id,
            a.case.name,
            label("tier", a.case.level),
            str(a.waiting_since),
            str(a.waited_days),
            _(", ").join(v.program.name for v in a.qualifying),
        )
        for a in found
    )
    sys.stdout.write("\n".join([printable(title), *columns(header, rows, right=frozenset({4}))]))
    sys.stdout.write("\n")


def register(app: typer.Typer) -> None:
    app.command("advise", help=ADVISE_HELP)(advise_command)
    programs_app = typer.Typer(
        help=N_("The programs of help written in hardship.yaml (programs:)."),
        no_args_is_help=True,
    )
    programs_app.command("check", help=CHECK_HELP)(check_command)
    app.add_typer(programs_app, name="programs")
