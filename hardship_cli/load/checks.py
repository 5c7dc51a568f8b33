"""What the loader is handed instead of importing the rules: the per-record checks.

A case's or grant's per-record checks depend on the record and hardship.yaml alone; the
rules give them (``rules.per_record``), the caller of ``store.load`` hands them in, and
loading runs them with each record it reads and keeps their problems with it in the
parse cache, under a digest of hardship.yaml and of the checks' code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

from hardship_cli.domain.model import Config
from hardship_cli.load.files import Source
from hardship_cli.problems import Problem

# A per-record check of one kind: (record, its source, hardship.yaml) -> its problems.
CheckOfKind = Callable[[Any, Source, Config], list[Problem]]
# The same with hardship.yaml given: (record, its source) -> its problems.
CheckOfRecord = Callable[[Any, Source], list[Problem]]


class ConfiguredChecks(NamedTuple):
    """The per-record checks for one load: the digest their kept problems are filed
    under (b"": none), and the check of each kind with hardship.yaml given (None: the
    records are loaded unchecked)."""

    digest: bytes
    by_kind: dict[str, CheckOfRecord] | None


NO_CHECKS = ConfiguredChecks(b"", None)


@dataclass(frozen=True)
class PerRecordChecks:
    """The per-record checks by kind (``case``, ``grant``), and `digest`: what their
    problems depend on besides the record (hardship.yaml's bytes, and the checks' code)."""

    by_kind: Mapping[str, CheckOfKind]
    digest: Callable[[bytes], bytes]

    def configured(
        self, config: Config | None, config_bytes: bytes, keyed: bool = True
    ) -> ConfiguredChecks:
        """The checks with this hardship.yaml. Without the cache (not `keyed`) nothing is
        kept, so no digest is worked out; without a valid hardship.yaml, no checks."""
        if config is None:
            return NO_CHECKS
        return ConfiguredChecks(
            self.digest(config_bytes) if keyed else b"",
            {
                kind: partial(_check_one, check=check, config=config)
                for kind, check in self.by_kind.items()
            },
        )


def _check_one(record: Any, source: Source, check: CheckOfKind, config: Config) -> list[Problem]:
    return check(record, source, config)
