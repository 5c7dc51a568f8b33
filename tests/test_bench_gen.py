"""The benchmark's synthetic city union is valid, Chinese, and the same for the same seed."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from hardship_cli.load import store
from hardship_cli.rules import check
from tests.conftest import TODAY

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import gen  # noqa: E402


def digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        h.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def test_generated_root_is_valid(tmp_path: Path) -> None:
    root = gen.generate(tmp_path / "city", *gen.split(240))
    records = store.load(root, cache=False)
    assert (len(records.cases), len(records.grants), len(records.visits)) == (20, 200, 20)
    assert len(records.budgets) == 10 and len(records.campaigns) == 10
    assert [p.format() for p in check(records, TODAY)] == []
    case = next(iter(records.cases.values()))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in case.worker.name)
    paid = [g for g in records.grants.values() if g.status.value == "paid"]
    assert paid and all(g.paid is not None for g in paid)


def test_same_seed_same_files(tmp_path: Path) -> None:
    one = gen.generate(tmp_path / "one", 12, 100, 12, seed=7)
    two = gen.generate(tmp_path / "two", 12, 100, 12, seed=7)
    other = gen.generate(tmp_path / "other", 12, 100, 12, seed=8)
    assert digest(one) == digest(two) != digest(other)


def test_split_is_one_ten_one() -> None:
    assert gen.split(12_000) == (1000, 10_000, 1000)
    assert sum(gen.split(1000)) == 1000
