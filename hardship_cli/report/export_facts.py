"""The facts of grants, cases and visits as Parquet files, for engines other than this tool.

A province's analysts query every unit's files with DuckDB (or a cluster engine) without
installing `hardship`. The files are Hive-partitioned by unit and year, one folder a
table::

    DIR/grants/unit=某县总工会/year=2026/part-0.parquet
    DIR/cases/unit=.../year=.../part-0.parquet
    DIR/visits/unit=.../year=.../part-0.parquet
    DIR/hardship-facts.json          what was written: tables, columns, rows, units

`unit` is the union unit whose records root it is (its organisation's name, or what the
caller names it); `year` is a grant's budget year (that of its proposal, as in the
reports), a case's filing year and a visit's year. The partition columns are in the
folder names, not repeated inside the files (the Hive way, which engines expect).

What goes in is only what statistics need: codes, dates, counts and money; never a field
declared sensitive (domain/sensitive.py: ID numbers, phones, addresses, bank, diagnoses,
notes) and no person's name (a worker's or a member's, nor an officer's). A worker's
birth date goes in as its year. Money is exact: `decimal128(12, 2)` yuan, never a float;
dates are `date32`. Grants come from the facts the cache keeps (no grant is rebuilt).

pyarrow is an optional extra (`pip install 'hardship-cli[parquet]'`): without it the
export is refused, and nothing else needs it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from hardship_cli.domain.case import active_since
from hardship_cli.i18n import _
from hardship_cli.load.records import Records
from hardship_cli.problems import UsageError, os_error
from hardship_cli.report.frames import closed_on

MANIFEST = "hardship-facts.json"
TABLES = ("grants", "cases", "visits")
FEN = Decimal("0.01")

# Each table's columns and their types, in order (the partition columns `unit` and `year`
# are the folders'). Types: str, date, money (decimal128(12, 2)), int.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "grants": (
        ("grant", "str"),
        ("case", "str"),
        ("kind", "str"),
        ("fund", "str"),
        ("campaign", "str"),
        ("status", "str"),
        ("amount", "money"),
        ("proposed_on", "date"),
        ("paid_on", "date"),
        ("last_on", "date"),
    ),
    "cases": (
        ("case", "str"),
        ("status", "str"),
        ("tier", "str"),
        ("cause", "str"),
        ("workplace", "str"),  # the worker's unit (单位); `unit` is the union unit's
        ("sex", "str"),
        ("employment", "str"),
        ("health", "str"),
        ("birth_year", "int"),
        ("household_size", "int"),
        ("per_capita_monthly", "money"),
        ("filed_on", "date"),
        ("active_since", "date"),
        ("closed_on", "date"),
        ("close_reason", "str"),
        ("review_due", "date"),
    ),
    "visits": (
        ("visit", "str"),
        ("case", "str"),
        ("on", "date"),
        ("occasion", "str"),
        ("follow_up", "date"),
    ),
}


@dataclass
class Written:
    """What an export wrote: rows by table, files, the units (as named in the folders)."""

    folder: Path
    units: list[str]
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    files: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "units": self.units,
            "rows": self.rows,
            "files": self.files,
        }


def require_pyarrow() -> Any:
    """pyarrow and its Parquet writer, or a refusal that says how to install them."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401 - the writer, checked now rather than midway
    except ImportError:
        raise UsageError(
            _("writing Parquet files needs pyarrow, which is not installed"),
            _("install the extra: pip install 'hardship-cli[parquet]' (or: pip install pyarrow)"),
        ) from None
    return pyarrow


# ---------------------------------------------------------------------------------------
# Rows: (year, row) for each table, sorted by ID


def grant_rows(records: Records) -> list[tuple[int, dict[str, Any]]]:
    facts = records.grant_facts()
    return [
        (
            f.year,
            {
                "grant": gid,
                "case": f.case,
                "kind": f.kind.value,
                "fund": f.fund,
                "campaign": f.campaign,
                "status": f.status.value,
                "amount": f.amount.quantize(FEN),
                "proposed_on": f.proposed_on,
                "paid_on": f.paid_on,
                "last_on": f.last_on,
            },
        )
        for gid, f in sorted(facts.items())
    ]


def case_rows(records: Records) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for cid, c in sorted(records.cases.items()):
        w = c.worker
        rows.append(
            (
                c.filed.on.year,
                {
                    "case": cid,
                    "status": c.status.value,
                    "tier": c.level.value,
                    "cause": c.causes.primary.value,
                    "workplace": w.unit,
                    "sex": w.sex.value,
                    "employment": w.employment.value,
                    "health": w.health.value,
                    "birth_year": w.birth_date.year,
                    "household_size": c.household_size,
                    "per_capita_monthly": c.per_capita_monthly.quantize(FEN),
                    "filed_on": c.filed.on,
                    "active_since": active_since(c),
                    "closed_on": closed_on(c),
                    "close_reason": c.closed.reason.value if c.closed else None,
                    "review_due": c.review_due,
                },
            )
        )
    return rows


def visit_rows(records: Records) -> list[tuple[int, dict[str, Any]]]:
    """A row per household of each visit (as the reports count them)."""
    return [
        (
            v.on.year,
            {
                "visit": vid,
                "case": cid,
                "on": v.on,
                "occasion": v.occasion.value,
                "follow_up": v.follow_up,
            },
        )
        for vid, v in sorted(records.visits.items())
        for cid in sorted(set(v.cases))
    ]


ROWS = {"grants": grant_rows, "cases": case_rows, "visits": visit_rows}


# ---------------------------------------------------------------------------------------
# Writing


def folder_name(unit: str) -> str:
    """A unit's name as a folder: as it is (Chinese included), characters a file system or
    a Hive path reserves (/ \\ : * ? " < > | % = and control characters) as `_`."""
    name = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|%=]', "_", unit).strip().strip(".")
    return name or "_"


def export_facts(units: list[tuple[str, Records]], out: Path, force: bool = False) -> Written:
    """Write every unit's facts under `out`: into a folder beside it, moved into place
    when complete (see _swap). A non-empty `out` is refused, unless `force` and it holds
    an earlier export (its manifest): a folder of anything else is never touched."""
    pa = require_pyarrow()
    names = [folder_name(name) for name, _records in units]
    if len(set(names)) < len(names):
        raise UsageError(
            _("two units would be written under one name: {names}").format(
                names=", ".join(sorted({n for n in names if names.count(n) > 1}))
            ),
            _("name each unit with --unit, once for each --root"),
        )
    written = Written(out, names)
    out = Path(os.path.abspath(out))  # `-o .`: its temporary folder beside it, not in it
    _check_target(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        for name, (_unit, records) in zip(names, units, strict=True):
            for table in TABLES:
                by_year: dict[int, list[dict[str, Any]]] = {}
                for year, row in ROWS[table](records):
                    by_year.setdefault(year, []).append(row)
                for year, rows in sorted(by_year.items()):
                    folder = temp / table / f"unit={name}" / f"year={year}"
                    folder.mkdir(parents=True)
                    _write_table(pa, table, rows, folder / "part-0.parquet")
                    written.rows[table] += len(rows)
                    written.files += 1
        (temp / MANIFEST).write_text(_manifest(written), encoding="utf-8")
        _swap(temp, out)
    except OSError as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise os_error(exc, "write", out, nothing_written=True) from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return written


def _check_target(out: Path, force: bool) -> None:
    if not out.name:  # the top of the file system
        raise UsageError(
            _("{path} exists and is not a folder").format(path=out),
            _("give a folder to write the Parquet files into"),
        )
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir() or out.is_symlink():
        raise UsageError(
            _("{path} exists and is not a folder").format(path=out),
            _("give a folder to write the Parquet files into"),
        )
    if not any(out.iterdir()):
        return
    if not force:
        raise UsageError(
            _("{path} is not empty").format(path=out),
            _("give an empty or new folder, or --force to replace an earlier export"),
        )
    if not (out / MANIFEST).is_file():
        raise UsageError(
            _("{path} holds files that are not an export of facts; --force replaces only an "
              "earlier export").format(path=out),
            _("give an empty or new folder"),
        )


def _swap(temp: Path, out: Path) -> None:
    """The new export in the place of `out`. A new folder is the temporary one renamed. A
    folder that exists keeps its place (a shell may stand in it): an earlier export's
    tables and manifest are moved aside, the new ones moved in (the manifest last), the
    old removed; anything else in it is left as it was."""
    if not out.exists():
        os.replace(temp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    ours = [*TABLES, MANIFEST]
    moved: list[str] = []
    try:
        for name in ours:
            if (out / name).exists():
                os.replace(out / name, old / name)
                moved.append(name)
        for name in ours:
            if (temp / name).exists():
                os.replace(temp / name, out / name)
    except BaseException:
        for name in moved:
            with contextlib.suppress(OSError):
                if (out / name).is_dir():
                    shutil.rmtree(out / name)
                os.replace(old / name, out / name)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
    os.rmdir(temp)


def _types(pa: Any) -> dict[str, Any]:
    return {
        "str": pa.string(),
        "date": pa.date32(),
        "money": pa.decimal128(12, 2),
        "int": pa.int32(),
    }


def _write_table(pa: Any, table: str, rows: list[dict[str, Any]], path: Path) -> None:
    import pyarrow.parquet as pq

    types = _types(pa)
    columns = COLUMNS[table]
    schema = pa.schema([(name, types[kind]) for name, kind in columns])
    arrays = [pa.array([r[name] for r in rows], type=types[kind]) for name, kind in columns]
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), path)


PARQUET_TYPES = {"str": "string", "date": "date32", "money": "decimal128(12, 2)", "int": "int32"}


def _manifest(written: Written) -> str:
    """What the folder holds, the same for the same records (no date, no path)."""
    doc = {
        "format": "hardship facts",
        "version": 1,
        "partitioning": "hive: unit, year",
        "units": written.units,
        "tables": {
            table: {
                "rows": written.rows[table],
                "columns": {name: PARQUET_TYPES[kind] for name, kind in COLUMNS[table]},
            }
            for table in TABLES
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

