"""The registry of record kinds is the one source of folders, prefixes and ID shapes; the
loader is handed the per-record checks and gives the same problems without them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hardship_cli.domain import enums
from hardship_cli.domain.kinds import ID_YEAR_RE, KINDS, kind_of_id
from hardship_cli.load import store
from hardship_cli.rules import check
from hardship_cli.rules.per_record import PER_RECORD_CHECKS, load_checked
from tests.clirun import REPO


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_example_id_is_of_its_kind_only(kind: str) -> None:
    example = KINDS[kind].example()
    assert kind_of_id(example) == kind
    assert ID_YEAR_RE.match(example)
    assert [name for name, other in KINDS.items() if other.id_re.match(example)] == [kind]


def test_the_model_validates_ids_with_the_registrys_patterns() -> None:
    assert enums.CASE_ID_RE.pattern == r"^HS-\d{4}-\d{4,6}$" == KINDS["case"].id_re.pattern
    assert enums.GRANT_ID_RE is not None and enums.GRANT_ID_RE.match("GR-2026-0001")
    assert enums.CAMPAIGN_ID_RE.match("DC-2026-01") and not enums.CAMPAIGN_ID_RE.match("DC-2026-1")
    assert enums.CAMPAIGN_FUND_RE.match("campaign:DC-2026-01")
    assert kind_of_id("XX-2026-0001") is None


def test_loading_without_the_per_record_checks_finds_the_same_problems() -> None:
    root = Path(REPO) / "records"
    today = date(2026, 11, 29)
    unchecked = store.load(root, cache=False)
    checked = load_checked(root, cache=False)
    assert unchecked.per_record_problems("grant") is None  # worked out by the rules instead
    assert checked.per_record_problems("grant") is not None
    assert check(unchecked, today) == check(checked, today)
    assert store.load(root, cache=False, checks=PER_RECORD_CHECKS).files == checked.files
