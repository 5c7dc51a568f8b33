"""What the reading commands (budget, stats, report) share: load the root, or say why not."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from ..problems import ConfigError

if TYPE_CHECKING:
    from ..store import Records
    from .main import State


def load_for_reading(st: State) -> Records:
    """Every record that loads; a broken hardship.yaml is a configuration error (exit 2).

    Files that do not load are left out of the figures, and stderr says so: a report must
    not look complete when it is not.
    """
    records = st.load()
    if records.config is None:
        first = next((p for p in records.problems if p.is_error), None)
        detail = f": {first.format()}" if first else ""
        raise ConfigError(
            f"hardship.yaml cannot be used{detail}",
            "run `hardship validate` and correct it",
        )
    broken = sorted({p.path for p in records.problems if p.is_error})
    if broken:
        print(
            f"warning: {len(broken)} file(s) have errors (first: {broken[0]}); records that "
            "do not load are left out of the figures; run `hardship validate`",
            file=sys.stderr,
        )
    return records


def wide_console() -> Any:
    """A rich console; when the output is not a terminal, wide enough not to cut figures."""
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=140)
    return console
