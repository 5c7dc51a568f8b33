"""What the reading commands (budget, stats, report) share: load the root, or say why not."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from hardship_cli.cli.console import console
from hardship_cli.i18n import _, ngettext
from hardship_cli.problems import ConfigError, printable

if TYPE_CHECKING:
    from hardship_cli.cli.common import State
    from hardship_cli.load.records import Records
    from hardship_cli.report.rollup import Unit


def load_rollup(st: State) -> tuple[Records, list[Unit]]:
    """The records of every root given with --root (several: a roll-up, IDs prefixed with
    the unit's label; one: that root as it is), and the units. A household filed in two
    units is reported on stderr."""
    from hardship_cli.report.rollup import duplicate_households, merged_records

    if len(st.root_options) <= 1:
        return load_for_reading(st), []
    all_units = load_each_unit(st)
    for problem in duplicate_households(all_units):
        print(problem.format(), file=sys.stderr)
    return merged_records(all_units), all_units


def load_each_unit(st: State) -> list[Unit]:
    """Every root given with --root, each loaded as a unit of its own (not merged); the
    files that do not load said on stderr."""
    from hardship_cli.report.rollup import load_units

    all_units = load_units(st.roots, st.load_root)
    for unit in all_units:
        _warn_broken(unit.records, f"{unit.label} {unit.name}: ")
    return all_units


def load_for_reading(st: State) -> Records:
    """Every record that loads; a broken hardship.yaml is a configuration error (exit 2).

    Files that do not load are left out of the figures, and stderr says so: a report must
    not look complete when it is not.
    """
    records = st.load()
    if records.config is None:
        first = next((p for p in records.problems if p.is_error), None)
        if first is None:
            message = _("hardship.yaml cannot be used")
        else:
            message = _("hardship.yaml cannot be used: {problem}").format(problem=first.format())
        raise ConfigError(message, _("run `hardship validate` and correct it"))
    _warn_broken(records)
    return records


def _warn_broken(records: Records, where: str = "") -> None:
    broken = sorted({p.path for p in records.problems if p.is_error})
    if broken:
        said = ngettext(
            "warning: {where}{n} file has errors (first: {first}); records that do not load "
            "are left out of the figures; run `hardship validate`",
            "warning: {where}{n} files have errors (first: {first}); records that do not load "
            "are left out of the figures; run `hardship validate`",
            len(broken),
        )
        print(printable(said.format(where=where, n=len(broken), first=broken[0])), file=sys.stderr)


def wide_console() -> Any:
    """A rich console for tables (see cli/console.py: never cuts a name on a pipe)."""
    return console()


def safe_console(**options: Any) -> Any:
    """A rich console for tables of what the records hold (see cli/console.py: text is
    shown as written, never acted on, and never cut to ``…`` on a pipe)."""
    return console(**options)
