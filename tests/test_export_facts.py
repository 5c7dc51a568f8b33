"""hardship export facts: Parquet files of the facts, partitioned by unit and year, that
give back exactly the records' figures and hold nothing sensitive."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from hardship_cli.domain.model import Case
from hardship_cli.domain.sensitive import sensitive_keys
from hardship_cli.load import store
from hardship_cli.report.export_facts import COLUMNS, MANIFEST
from tests.clirun import hardship
from tests.conftest import DEMO, TODAY

pa = pytest.importorskip("pyarrow")
ds = pytest.importorskip("pyarrow.dataset")

DEMO_UNIT = "某县烟草专卖局（分公司）工会"
SMALL_UNIT = "测试县烟草工会"


def export(*args: str | Path) -> None:
    result = hardship(*args)
    assert result.code == 0, result.err


def table(folder: Path, name: str) -> pa.Table:
    """A table of the export as an engine reads it: the unit and year from the folders."""
    return ds.dataset(folder / name, format="parquet", partitioning="hive").to_table()


def stats(roots: list[Path], *args: str) -> dict:
    given = [a for root in roots for a in ("--root", root)]
    result = hardship(*given, "stats", "--format", "json", "--today", str(TODAY), *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_sums_to_the_fen_by_year_and_status(tmp_path: Path) -> None:
    out = tmp_path / "facts"
    export("--root", DEMO, "export", "facts", "-o", out)
    grants = table(out, "grants")
    assert grants.schema.field("amount").type == pa.decimal128(12, 2)
    for column in ("proposed_on", "paid_on", "last_on"):
        assert grants.schema.field(column).type == pa.date32()
    rows = grants.to_pylist()
    assert {r["unit"] for r in rows} == {DEMO_UNIT}
    figures = stats([DEMO], "--by", "year,status", "--status", "all")
    for row in figures["rows"]:
        mine = [r for r in rows if r["year"] == row["year"] and r["status"] == row["status"]]
        assert len(mine) == row["grants"]
        assert sum((r["amount"] for r in mine), Decimal("0")) == Decimal(row["amount"])
    assert sum(r["amount"] for r in rows) == Decimal(figures["total"]["amount"])
    records = store.load(DEMO, cache=False)
    assert len(rows) == len(records.grants)
    one = records.grants[rows[0]["grant"]]
    assert rows[0]["amount"] == one.amount and rows[0]["proposed_on"] == one.proposed.on
    cases = table(out, "cases").to_pylist()
    assert sorted(r["case"] for r in cases) == sorted(records.cases)
    assert all(r["year"] == records.cases[r["case"]].filed.on.year for r in cases)
    visits = table(out, "visits").to_pylist()
    assert len(visits) == sum(len(set(v.cases)) for v in records.visits.values())


def test_partitioned_by_unit_and_year_in_a_rollup(tmp_path: Path, small: Path) -> None:
    out = tmp_path / "province"
    export("--root", DEMO, "--root", small, "export", "facts", "-o", out)
    for name in ("grants", "cases", "visits"):
        units = {p.name for p in (out / name).iterdir()}
        assert units <= {f"unit={DEMO_UNIT}", f"unit={SMALL_UNIT}"}
    assert {p.name for p in (out / "grants").iterdir()} == {
        f"unit={DEMO_UNIT}",
        f"unit={SMALL_UNIT}",
    }
    for path in (out / "grants").glob("*/*/*.parquet"):
        year = int(path.parent.name.removeprefix("year="))
        years = pa.parquet.read_table(path).column("proposed_on").to_pylist()
        assert {d.year for d in years} == {year}
        assert path.name == "part-0.parquet"
    rows = table(out, "grants").to_pylist()
    by_org = stats([DEMO, small], "--status", "all")
    for row in by_org["rows"]:
        mine = [r["amount"] for r in rows if r["unit"] == row["org"]]
        assert (len(mine), sum(mine)) == (row["grants"], Decimal(row["amount"]))
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["units"] == [DEMO_UNIT, SMALL_UNIT]
    assert manifest["tables"]["grants"]["rows"] == len(rows)


def test_nothing_sensitive_in_the_files(tmp_path: Path) -> None:
    out = tmp_path / "facts"
    export("--root", DEMO, "export", "facts", "-o", out)
    records = store.load(DEMO, cache=False)
    secret: set[str] = set()
    names: set[str] = set()
    for case in records.cases.values():
        w = case.worker
        secret |= {v for v in (w.id_number, w.phone, w.address, w.diagnosis) if v}
        names.add(w.name)
        for m in case.household:
            secret |= {v for v in (m.id_number, m.diagnosis) if v}
            names.add(m.name)
        if case.bank is not None:
            secret |= {case.bank.account, case.bank.name}
    ids = {c.worker.id_number for c in records.cases.values() if c.worker.id_number}
    phones = {c.worker.phone for c in records.cases.values() if c.worker.phone}
    assert len(ids) > 10 and len(phones) > 10
    files = [p for p in out.rglob("*") if p.is_file()]
    blob = b"".join(p.read_bytes() for p in files)
    for value in ids | phones:
        assert value.encode() not in blob
    # The pages are compressed: the values themselves, read back, too.
    cells = {
        str(v)
        for name in ("grants", "cases", "visits")
        for row in table(out, name).to_pylist()
        for v in row.values()
        if v is not None
    }
    assert not {c for c in cells for s in secret if s in c}
    assert not cells & names
    sensitive = sensitive_keys([Case])
    assert not {c for cols in COLUMNS.values() for c, _kind in cols} & sensitive


def test_unit_override_and_the_same_records_give_the_same_bytes(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    export("--root", DEMO, "export", "facts", "-o", one, "--unit", "某县总工会")
    export("--root", DEMO, "export", "facts", "-o", two, "--unit", "某县总工会")
    assert {p.name for p in (one / "grants").iterdir()} == {"unit=某县总工会"}
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    result = hardship(
        "--root", DEMO, "--root", DEMO, "export", "facts", "-o", tmp_path / "x", "--unit", "A"
    )
    assert result.code == 2 and "--unit" in result.err


def test_refuses_a_folder_in_use_unless_force_on_an_export(tmp_path: Path) -> None:
    out = tmp_path / "facts"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    result = hardship("--root", DEMO, "export", "facts", "-o", out)
    assert result.code == 2 and "is not empty" in result.err and "--force" in result.err
    result = hardship("--root", DEMO, "export", "facts", "-o", out, "--force")
    assert result.code == 2 and "not an export of facts" in result.err
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["facts"]  # no temporary folder left
    again = tmp_path / "again"
    export("--root", DEMO, "export", "facts", "-o", again)
    result = hardship("--root", DEMO, "export", "facts", "-o", again, "--format", "json")
    assert result.code == 2
    (again / "mine.sql").write_text("SELECT 1;", encoding="utf-8")
    export("--root", DEMO, "export", "facts", "-o", again, "--force")
    assert (again / "mine.sql").read_text(encoding="utf-8") == "SELECT 1;"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again", "facts"]
    assert (again / MANIFEST).is_file()


def test_refused_without_pyarrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    out = tmp_path / "facts"
    result = hardship("--root", DEMO, "export", "facts", "-o", out)
    assert result.code == 2
    assert "needs pyarrow" in result.err
    assert "pip install 'hardship-cli[parquet]'" in result.err
    assert not out.exists()
    result = hardship("--lang", "zh", "--root", DEMO, "export", "facts", "-o", out)
    assert result.code == 2 and "pyarrow" in result.err and "未安装" in result.err


def test_json_and_chinese(tmp_path: Path) -> None:
    result = hardship("--root", DEMO, "export", "facts", "-o", tmp_path / "a", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["units"] == [DEMO_UNIT] and doc["rows"]["grants"] > 0 and doc["files"] > 0
    result = hardship("--lang", "zh", "--root", DEMO, "export", "facts", "-o", tmp_path / "b")
    assert result.code == 0, result.err
    assert "Parquet" in result.out and "写入" in result.out
    english = hardship("--root", DEMO, "export", "facts", "-o", tmp_path / "c")
    assert english.out.startswith("wrote ")
    shown = hardship("--lang", "zh", "export", "facts", "--help").out
    assert "按单位和年度分区" in shown and "身份证号" in shown
    assert "hardship export facts -o build/facts" in shown
    assert "按单位和年度分区" not in hardship("export", "facts", "--help").out


def test_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    export("--root", DEMO, "export", "facts", "-o", ".")
    assert (here / MANIFEST).is_file()
    export("--root", DEMO, "export", "facts", "-o", ".", "--force")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here"]
    assert (here / MANIFEST).is_file() and (here / "grants").is_dir()
