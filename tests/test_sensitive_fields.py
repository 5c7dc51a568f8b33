"""Sensitive fields are declared once, on the model (domain/sensitive.py), and every place
that must hide them reads that declaration: validation messages, the collection sheet
without --full, the intake prompt, the household file, history and the public notice.

A field marked sensitive here (as a union would mark one it decides to protect) is hidden
by each of them at once; and no consumer keeps a list of its own that could drift."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Annotated, Literal

import openpyxl
import pytest
from pydantic import BaseModel

from hardship_cli.casework import intake
from hardship_cli.casework.sheets.columns import CASE_COLUMNS
from hardship_cli.casework.sheets.writing import export_rows
from hardship_cli.domain.model import (
    KINDS,
    Campaign,
    Case,
    Contribution,
    Grant,
    Visit,
    Worker,
)
from hardship_cli.domain.sensitive import (
    SENSITIVE,
    hide,
    is_sensitive_path,
    redacted,
    sensitive_keys,
    sensitive_paths,
)
from hardship_cli.edit import changes
from hardship_cli.load import store, strict
from hardship_cli.load.files import to_record
from tests.clirun import hardship
from tests.rootkit import CASE, Root
from tests.workflow_fixtures import active_case, git, make_root, ok

CASE_FILE = "cases/HS-2026-0001.yaml"

# The union's view (domain/sensitive.py's docstring says why each is there).
DECLARED = {
    "case": {
        ("worker", "id_number"),
        ("worker", "phone"),
        ("worker", "address"),
        ("worker", "diagnosis"),
        ("household", "diagnosis"),
        ("household", "id_number"),
        ("bank", "name"),
        ("bank", "account"),
        ("notes",),
        ("checks", "note"),
        ("approvals", "note"),
        ("closed", "note"),
        ("notice", "objections", "text"),
        ("notice", "objections", "resolution"),
        ("referrals", "purpose"),
        ("referrals", "note"),
        ("referrals", "answered", "note"),
    },
    "grant": {("notes",), ("approvals", "note")},
    "campaign": {("notes",)},
    "visit": {("findings",), ("notes",)},
    "budget": set(),
    "config": set(),
}


@pytest.fixture
def mark(monkeypatch: pytest.MonkeyPatch):
    """Mark a field of a model sensitive, as its declaration would: the mark in the
    field's metadata (where `Annotated[..., SENSITIVE]` puts it), nothing else."""

    def mark(model: type[BaseModel], name: str) -> None:
        info = model.model_fields[name]
        monkeypatch.setattr(info, "metadata", [*info.metadata, SENSITIVE])
        sensitive_paths.cache_clear()

    yield mark
    sensitive_paths.cache_clear()


def validate(root: Root) -> str:
    result = hardship("--root", root.path, "--no-cache", "validate", "--today", "2026-11-29")
    assert result.code == 1
    return result.out + result.err


# ---------------------------------------------------------------------------------------
# The declaration


def test_the_model_declares_which_fields_are_sensitive() -> None:
    assert {kind: set(sensitive_paths(model)) for kind, model in KINDS.items()} == DECLARED


def test_the_declaration_leaves_the_json_schema_alone() -> None:
    class Plain(BaseModel):
        phone: str | None = None

    class Marked(BaseModel):
        phone: Annotated[str | None, SENSITIVE] = None

    assert Marked.model_json_schema()["properties"] == Plain.model_json_schema()["properties"]
    assert sensitive_paths(Marked) == {("phone",)} and sensitive_paths(Plain) == set()


def test_a_path_is_sensitive_inside_a_sensitive_field_and_through_list_items() -> None:
    assert is_sensitive_path(Case, ("household", 2, "diagnosis"))
    assert is_sensitive_path(Case, ("notice", "objections", 0, "text"))
    assert not is_sensitive_path(Case, ("household", 2, "name"))
    assert not is_sensitive_path(Case, ("worker",)) and not is_sensitive_path(Case, ())


def test_hide_leaves_out_the_value_a_message_quotes() -> None:
    assert hide("not a date: '1970-13-01' (month must be in 1..12)", " 1970-13-01 ") == (
        "not a date: (hidden) (month must be in 1..12)"
    )
    assert hide("money has at most two decimals (fen): 1200.555", "1,200.555") == (
        "money has at most two decimals (fen): (hidden)"
    )
    assert hide("control character \\x1f is not allowed in text", "a\x1fb") == (
        "control character \\x1f is not allowed in text"
    )


def test_redacted_empties_every_sensitive_field_and_keeps_the_rest() -> None:
    case = to_record(Case, strict.parse(CASE.encode(), CASE_FILE), CASE_FILE)[0]
    assert isinstance(case, Case)
    public = redacted(case)
    assert (public.worker.id_number, public.worker.phone, public.worker.diagnosis) == (
        None, None, None)  # fmt: skip
    assert public.bank is not None and public.bank.account is None
    assert public.checks[0].note is None and public.worker.name == case.worker.name
    assert case.worker.phone == "13800000001" and case.checks[0].note == "入户核实"
    assert redacted(public) is public  # nothing left to empty


# ---------------------------------------------------------------------------------------
# No consumer keeps its own list


def test_the_sheet_leaves_out_exactly_the_columns_the_model_declares() -> None:
    hidden = {c.path for c in CASE_COLUMNS if c.sensitive}
    assert hidden == {c.path for c in CASE_COLUMNS if is_sensitive_path(Case, c.path)}
    assert hidden == {("worker", "id_number"), ("worker", "phone"), ("worker", "address"),
                      ("bank", "name"), ("bank", "account"), ("notes",)}  # fmt: skip
    headings, _rows, _mh, _members = export_rows([], full=False)
    assert headings == [c.heading for c in CASE_COLUMNS if c.path not in hidden]


@pytest.mark.parametrize(
    ("kind", "model"),
    [("case", Case), ("grant", Grant), ("campaign", Campaign), ("visit", Visit),
     ("donation", Contribution)],  # fmt: skip
)
def test_intake_types_unseen_exactly_what_the_model_declares(kind: str, model: type) -> None:
    for field in intake.FIELDS[kind]:
        assert field.sensitive == is_sensitive_path(model, field.path), (kind, field.name)
    if kind == "case":  # the address and the bank's name were prompted in the clear
        unseen = {f.name for f in intake.FIELDS[kind] if f.sensitive}
        assert unseen == {"phone", "id_number", "address", "bank_name", "bank_account", "notes"}


def test_history_shows_the_value_of_no_key_declared_sensitive_anywhere() -> None:
    for key in sensitive_keys(KINDS.values()):
        words = changes.describe_change(f"{key}: secret-one\n".encode(),
                                      f"{key}: secret-two\n".encode())  # fmt: skip
        assert words == [f"{key} changed"], key


def test_the_household_file_shows_the_declared_fields_only_with_full(root: Root) -> None:
    root.replace(CASE_FILE, '  id_number: "999101196804121235"\n',
                 '  id_number: "999101196804121235"\n  address: 幸福路8号\n')  # fmt: skip
    case = store.load(root.path).cases["HS-2026-0001"]
    secrets = [value for path in sensitive_paths(Case) for value in values_at(case, path)]
    assert len(secrets) >= 7  # ID number, phone, diagnosis, address, bank, account, a note
    args = ("--root", root.path, "report", "case", "HS-2026-0001", "--format", "md",
            "--lang", "en", "--today", "2026-11-29")  # fmt: skip
    plain = hardship(*args).out
    assert plain and [s for s in secrets if s in plain] == []
    full = hardship(*args, "--full").out
    section = full.split("### Sensitive details")[1].split("\n", 1)[1].split("##")[0]
    labels = [line.split(":")[0] for line in section.strip().splitlines()]
    assert labels == ["- ID number", "- Phone", "- Diagnosis", "- Address", "- Bank",
                      "- Bank account"]  # fmt: skip


def values_at(record: object, path: tuple[str, ...]) -> list[str]:
    """The text values at a path of a record, through lists."""
    here: list[object] = [record]
    for key in path:
        nxt: list[object] = []
        for item in here:
            value = getattr(item, key, None)
            nxt.extend(value if isinstance(value, list) else [value])
        here = nxt
    return [v for v in here if isinstance(v, str)]


# ---------------------------------------------------------------------------------------
# A field newly marked sensitive is hidden everywhere at once


class CaseWithBloodGroup(Case):
    """A record kind with a field added and marked sensitive."""

    blood_group: Annotated[Literal["A", "B", "AB", "O"] | None, SENSITIVE] = None


def test_a_new_sensitive_field_is_hidden_in_validation_messages() -> None:
    text = CASE + "blood_group: Rh-null-unusual\n"
    record, problems = to_record(
        CaseWithBloodGroup, strict.parse(text.encode(), CASE_FILE), CASE_FILE
    )
    assert record is None and len(problems) == 1
    assert problems[0].message == "`blood_group` is not allowed"
    assert "Rh-null" not in f"{problems[0].message} {problems[0].hint}"
    assert sensitive_paths(CaseWithBloodGroup) == sensitive_paths(Case) | {("blood_group",)}


def test_a_field_marked_sensitive_is_hidden_in_validation_messages(root: Root, mark) -> None:
    root.replace(CASE_FILE, "level: deep", "level: deeep")
    root.replace(CASE_FILE, "review_due: 2027-01-20", "review_due: 2027-13-20")
    before = validate(root)
    assert "`level` is not allowed: 'deeep'" in before and "2027-13-20" in before
    mark(Case, "level")
    mark(Case, "review_due")
    after = validate(root)
    assert "`level` is not allowed" in after and "`review_due`: not a date" in after
    assert "deeep" not in after and "2027-13-20" not in after
    assert "did you mean" not in after  # a close choice would say what was typed


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_a_field_marked_sensitive_is_left_out_of_the_sheet(
    root: Root, tmp_path: Path, mark, suffix: str
) -> None:
    mark(Worker, "unit")
    out = tmp_path / f"sheet.{suffix}"
    assert hardship("--root", root.path, "export", "cases", "-o", out).code == 0
    assert "物流中心" not in sheet_cells(out) and "单位" not in sheet_cells(out)
    full = tmp_path / f"full.{suffix}"
    assert hardship("--root", root.path, "export", "cases", "-o", full, "--full").code == 0
    assert "物流中心" in sheet_cells(full)


def sheet_cells(path: Path) -> list[str]:
    if path.suffix == ".csv":
        return [cell for line in path.read_text("utf-8-sig").splitlines()
                for cell in line.split(",")]  # fmt: skip
    book = openpyxl.load_workbook(path)
    return [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]


def test_a_field_marked_sensitive_is_named_not_shown_in_history(tmp_path: Path, mark) -> None:
    root = make_root(tmp_path)
    case_id = active_case(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "case")
    path = root / "cases" / f"{case_id}.yaml"
    path.write_text(path.read_text("utf-8").replace("level: deep", "level: relative"), "utf-8")
    git(root, "commit", "-q", "-am", "tier")
    assert "level: deep -> relative" in ok(root, "history", case_id).out
    mark(Case, "level")
    out = ok(root, "history", case_id).out
    assert "level changed" in out and "deep" not in out and "relative" not in out


def test_a_field_marked_sensitive_is_not_in_the_notice(root: Root, mark) -> None:
    on_notice = textwrap.dedent("""\
        status: on_notice
        notice: {from: 2026-11-27, until: 2026-12-03}
        """)  # fmt: skip
    text = root.read(CASE_FILE).replace("status: active\n", "")
    text = text.split("notice:")[0] + on_notice
    root.write(CASE_FILE, text)
    args = ("--root", root.path, "report", "notice", "--format", "md", "--today", "2026-11-29")
    before = hardship(*args)
    assert before.code == 0 and "刘\\*华" in before.out and "物流中心" in before.out
    mark(Worker, "unit")
    after = hardship(*args)
    assert after.code == 0 and "刘\\*华" in after.out and "物流中心" not in after.out


def test_a_field_marked_sensitive_is_only_in_the_full_household_file(root: Root, mark) -> None:
    root.replace(CASE_FILE, "  employment: on_job\n",
                 "  employment: on_job\n  disability: 肢体三级\n")  # fmt: skip
    args = ("--root", root.path, "report", "case", "HS-2026-0001", "--format", "md",
            "--lang", "en", "--today", "2026-11-29")  # fmt: skip
    assert "肢体三级" in hardship(*args).out
    mark(Worker, "disability")
    assert "肢体三级" not in hardship(*args).out
    full = hardship(*args, "--full").out
    assert "肢体三级" in full.split("### Sensitive details")[1]


def test_a_field_marked_sensitive_is_typed_unseen(mark) -> None:
    employee_id = next(f for f in intake.FIELDS["case"] if f.name == "employee_id")
    assert employee_id.required and not employee_id.sensitive
    mark(Worker, "employee_id")
    assert employee_id.sensitive
