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


def test_province_units_are_valid_and_their_own(tmp_path: Path) -> None:
    from hardship_cli.report.rollup import duplicate_households, load_units

    roots = gen.province(tmp_path / "province", 3, 60)
    assert [r.name for r in roots] == ["unit-01", "unit-02", "unit-03"]
    units = load_units(roots, lambda root: store.load(root, cache=False))
    assert [u.name for u in units] == [gen.unit_name(i) for i in (1, 2, 3)]
    for unit in units:
        records = unit.records
        assert (len(records.cases), len(records.grants), len(records.visits)) == (6, 60, 6)
        assert [p.format() for p in check(records, TODAY)] == []
    # each unit its own people: no ID number or staff number in two units
    numbers = [c.worker.id_number for u in units for c in u.records.cases.values()]
    staff = [c.worker.employee_id for u in units for c in u.records.cases.values()]
    assert len(set(numbers)) == len(numbers) == 18 and len(set(staff)) == 18
    assert duplicate_households(units) == []
    # and each its own figures (its own seed)
    assert len({digest(root / "grants") for root in roots}) == 3


def test_province_from_the_command_line(tmp_path: Path) -> None:
    gen.main([str(tmp_path / "p"), "--units", "2", "--grants", "20", "--cases", "4"])
    for name in ("unit-01", "unit-02"):
        records = store.load(tmp_path / "p" / name, cache=False)
        assert (len(records.cases), len(records.grants), len(records.visits)) == (4, 20, 2)
    # the city as before: its own organisation
    gen.main([str(tmp_path / "city"), "--records", "36"])
    assert "name: 某市总工会（合成数据）" in (tmp_path / "city" / "hardship.yaml").read_text(
        encoding="utf-8"
    )
