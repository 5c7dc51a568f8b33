"""Roll-ups: several units' records roots seen as one, for the city union's statistics.

Each unit keeps its own IDs, so in the roll-up every ID carries its unit's label
(`U1/HS-2026-0001`); figures are then computed by the same code as for one root, per
unit (`org`) and in total. A household filed in two units (same ID number, both files
open) is a problem the roll-up reports.
"""

from __future__ import annotations

import functools
import gc
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from hardship_cli.domain.case import CASE_FACTS
from hardship_cli.domain.grant import GRANT_FACTS
from hardship_cli.domain.model import OPEN_CASE_STATUSES, Budget, Case, Config, Grant
from hardship_cli.i18n import _
from hardship_cli.load.records import Records
from hardship_cli.problems import WARNING, ConfigError, Problem


@dataclass
class Unit:
    label: str  # U1, U2 ... in the order the roots were given
    name: str  # the organisation's name from its hardship.yaml
    root: Path
    records: Records


def load_units(roots: list[Path], load: Callable[[Path], Records]) -> list[Unit]:
    """Each root loaded as a unit, labelled U1, U2 ... in order; two units of one name
    are told apart by their folders."""
    result = []
    for index, root in enumerate(roots, start=1):
        records = load(root)
        if records.config is None:
            raise ConfigError(
                _("{root}: hardship.yaml cannot be used").format(root=root),
                _("run `hardship --root {root} validate` and correct it").format(root=root),
            )
        result.append(Unit(f"U{index}", records.config.organisation.name, root, records))
    names = [u.name for u in result]
    for unit in result:
        if names.count(unit.name) > 1:
            unit.name = f"{unit.name} ({unit.root.name})"
    return result


def duplicate_households(all_units: list[Unit]) -> list[Problem]:
    """Open files in two units for the same person (same ID number). The number itself is
    never printed."""
    seen: dict[str, tuple[Unit, str]] = {}  # ID number -> the first open file of it
    problems = []
    for unit in all_units:
        facts = unit.records.case_facts()
        for cid in sorted(facts):
            number = facts[cid].id_number
            if facts[cid].status not in OPEN_CASE_STATUSES or not number:
                continue
            if number in seen:
                first_unit, first_id = seen[number]
                if first_unit is unit:
                    continue  # within one unit: `validate` reports it
                case = unit.records.case(cid)
                assert case is not None
                src = unit.records.source(case.id)
                problems.append(
                    Problem(
                        f"{unit.root}/{src.path}",
                        src.line("worker", "id_number"),
                        "duplicate-household",
                        _(
                            "{name} is filed in {unit} ({case}) and in {other_unit} "
                            "({other_case}): same ID number, both files open"
                        ).format(
                            name=case.worker.name,
                            unit=first_unit.name,
                            case=first_id,
                            other_unit=unit.name,
                            other_case=case.id,
                        ),
                        _(
                            "one household has one file: the units agree which keeps it, the "
                            "other closes its file"
                        ),
                        WARNING,
                    )
                )
            else:
                seen[number] = (unit, cid)
    return problems


def merged_records(all_units: list[Unit]) -> Records:
    """One Records holding every unit's records, IDs prefixed with the unit's label."""
    first = all_units[0].records
    assert first.config is not None
    config = _rollup_config(first.config, all_units)
    result = Records(root=all_units[0].root, config=config)
    # The collector off while a province's facts are copied (it walked the growing heap
    # again and again), and kept off them after: they live as long as the command.
    collect = gc.isenabled()
    gc.disable()
    try:
        _merge_units(result, all_units)
    finally:
        if collect:
            gc.freeze()
            gc.enable()
    result.snapshot = _snapshot(all_units)
    return result


def _merge_units(result: Records, all_units: list[Unit]) -> None:
    for unit in all_units:
        rec, p = unit.records, f"{unit.label}/"
        _merge_cases(result, rec, p, unit.name)
        _merge_grants(result, rec, p, unit.name)
        for did, drive in rec.campaigns.items():
            beneficiary = p + drive.beneficiary if drive.beneficiary else None
            result.campaigns[p + did] = drive.model_copy(
                update={"id": p + did, "beneficiary": beneficiary}
            )
        for vid, visit in rec.visits.items():
            result.visits[p + vid] = visit.model_copy(
                update={"id": p + vid, "cases": [p + c for c in visit.cases]}
            )
        result.adopt_sources(rec, p, f"{unit.root}/")
        result.problems.extend(rec.problems)
        result.files += rec.files
    for year in sorted({y for u in all_units for y in u.records.budgets}):
        result.budgets[year] = sum_budgets(
            year, [u.records.budgets[year] for u in all_units if year in u.records.budgets]
        )


def _snapshot(all_units: list[Unit]) -> bytes | None:
    """The roll-up's records exactly, when each unit's are (see Records.snapshot): each
    unit's snapshot, with the label and name its IDs and organisation take here."""
    found = hashlib.sha256(b"roll-up\0")
    for unit in all_units:
        if unit.records.snapshot is None:
            return None
        found.update(f"{unit.label}\0{unit.name}\0".encode() + unit.records.snapshot)
    return found.digest()


def _merge_cases(result: Records, rec: Records, p: str, org: str) -> None:
    """A unit's cases, IDs prefixed with `p`: their facts now, each case copied from the
    unit's when first asked for (a report counts the facts, and rebuilds no case)."""
    facts = rec.case_facts()
    for cid in list(rec.case_ids()):
        fact = facts[cid]
        kept = tuple(p + g for g in fact.kept_payable)
        result.add_derived(
            "case",
            p + cid,
            functools.partial(_copied_case, rec, cid, p),
            _changed(fact, {CASE_ID: p + cid, CASE_KEPT: kept}),
        )
        result.orgs[p + cid] = org


CASE_ID, CASE_KEPT = CASE_FACTS.index("id"), CASE_FACTS.index("kept_payable")
GRANT_ID, GRANT_CASE, GRANT_FUND, GRANT_DRIVE = (
    GRANT_FACTS.index(name) for name in ("id", "case", "fund", "campaign")
)


def _changed(fact: Any, changes: dict[int, Any]) -> Any:
    """The named tuple `fact` with the fields at these places changed (what _replace
    does, in a fifth of the time: a province's 100,000 grants)."""
    values = list(fact)
    for place, value in changes.items():
        values[place] = value
    return tuple.__new__(type(fact), values)


def _copied_case(rec: Records, cid: str, p: str) -> Case:
    case = rec.case(cid)
    assert case is not None
    return case.model_copy(update={"id": p + cid})


def _merge_grants(result: Records, rec: Records, p: str, org: str) -> None:
    """A unit's grants, IDs (and their household's, and a drive's) prefixed with `p`: their
    facts now, each grant copied from the unit's when first asked for."""
    for gid, fact in rec.grant_facts().items():
        campaign = p + fact.campaign if fact.campaign else None
        fund = f"campaign:{campaign}" if campaign else fact.fund
        result.add_derived(
            "grant",
            p + gid,
            functools.partial(_copied_grant, rec, gid, p, fund),
            _changed(
                fact,
                {
                    GRANT_ID: p + gid,
                    GRANT_CASE: p + fact.case,
                    GRANT_FUND: fund,
                    GRANT_DRIVE: campaign,
                },
            ),
        )
        result.orgs[p + gid] = org


def _copied_grant(rec: Records, gid: str, p: str, fund: str) -> Grant:
    grant = rec.grants[gid]
    return grant.model_copy(update={"id": p + gid, "case": p + grant.case, "fund": fund})


def _rollup_config(config: Config, all_units: list[Unit]) -> Config:
    parent = config.organisation.parent
    name = parent or " + ".join(u.name for u in all_units)
    organisation = config.organisation.model_copy(update={"name": name, "parent": None})
    return config.model_copy(update={"organisation": organisation})


def sum_budgets(year: int, budgets: list[Budget]) -> Budget:
    zero = Decimal("0")
    lines: dict[Any, Decimal] = {}
    sources: dict[str, Decimal] = {}
    for budget in budgets:
        for kind, amount in budget.lines.items():
            lines[kind] = lines.get(kind, zero) + amount
        for fund, amount in budget.sources.items():
            sources[fund] = sources.get(fund, zero) + amount
    return Budget(
        year=year,
        total=sum((b.total for b in budgets), zero),
        lines=lines,
        reserve=sum((b.reserve for b in budgets), zero),
        sources=sources,
    )


def rollup_stamp(
    all_units: list[Unit], stamp_of: Callable[[Path], dict[str, Any]]
) -> dict[str, Any]:
    """The git commit of each root, for the report's stamp line."""
    parts = []
    dirty = False
    for unit in all_units:
        one = stamp_of(unit.root)
        dirty = dirty or bool(one.get("dirty"))
        missing = "git not installed" if one.get("git_missing") else "not in git"
        parts.append(f"{unit.label} {unit.name} {one.get('commit') or missing}")
    return {"commit": "; ".join(parts), "dirty": dirty, "units": parts}
