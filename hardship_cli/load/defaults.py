"""What every load of a command uses when its caller does not say, set once by the CLI
(its global ``--no-cache``; the rules' per-record checks) so that casework's helpers load
as the command does. Nothing heavy is imported here: `hardship --help` sets them too."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hardship_cli.load.checks import PerRecordChecks

# Whether `load` uses the parse cache.
USE_CACHE = True


def no_checks() -> PerRecordChecks | None:
    return None


# Gives the per-record checks `load` runs with each case and grant (None: none, and the
# rules work every record's problems out afresh).
per_record_checks: Callable[[], PerRecordChecks | None] = no_checks
