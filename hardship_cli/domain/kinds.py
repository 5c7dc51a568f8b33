"""The kinds of record a root holds, each declared once: its folder, the prefix of its
IDs, whether its files sit in a year sub-folder, and the width of an ID's number.

Every consumer derives from here: the loader's scan and its wrong-folder checks, the ID
patterns the model validates, the next free ID of intake and import, the audit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordKind:
    """One kind of record: IDs look like ``{prefix}-{year}-{number}``, the number written
    with `width` digits when made and accepted with up to `max_width`."""

    name: str  # case | grant | campaign | visit
    folder: str  # under the root
    prefix: str
    by_year: bool  # files sit in ``{folder}/{year}/``
    width: int
    max_width: int

    @property
    def id_pattern(self) -> str:
        """The regular expression of a whole ID of this kind (no anchors)."""
        return rf"{self.prefix}-\d{{4}}-\d{{{self.width},{self.max_width}}}"

    @property
    def id_re(self) -> re.Pattern[str]:
        return re.compile(rf"^{self.id_pattern}$")

    def example(self, year: int = 2026) -> str:
        return f"{self.prefix}-{year}-{1:0{self.width}d}"


CASE = RecordKind("case", "cases", "HS", False, 4, 6)
GRANT = RecordKind("grant", "grants", "GR", True, 4, 6)
CAMPAIGN = RecordKind("campaign", "campaigns", "DC", False, 2, 4)
VISIT = RecordKind("visit", "visits", "VS", True, 4, 6)

# In the order the loader scans them.
KINDS: dict[str, RecordKind] = {kind.name: kind for kind in (CASE, GRANT, CAMPAIGN, VISIT)}
PREFIX_TO_KIND: dict[str, str] = {kind.prefix: kind.name for kind in KINDS.values()}

# Any record ID, with its prefix and year as groups (how wide the number is, the model
# checks: this only tells which kind and year an ID claims).
ID_YEAR_RE = re.compile(rf"^({'|'.join(PREFIX_TO_KIND)})-(\d{{4}})-\d+$")


def kind_of_id(record_id: str) -> str | None:
    """The kind an ID's prefix names (None: no kind has that prefix)."""
    return PREFIX_TO_KIND.get(record_id.split("-", 1)[0])
