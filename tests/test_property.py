"""No input, however broken, gives a traceback or a changed meaning (property-based)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardship_cli.load.files import FileEntry, load_file
from hardship_cli.problems import Problem
from tests.rootkit import CASE, GRANT

ENTRY = FileEntry(Path("grants/2026/GR-2026-0001.yaml"), "grants/2026/GR-2026-0001.yaml",
                  "grant", "2026")
CASE_ENTRY = FileEntry(Path("cases/HS-2026-0001.yaml"), "cases/HS-2026-0001.yaml", "case", None)

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def check_outcome(entry: FileEntry, raw: bytes) -> None:
    record, source, problems = load_file(entry, raw)
    assert all(isinstance(p, Problem) for p in problems)
    # YAML (and editors) also break lines at a lone CR, NEL, LS and PS: count them too.
    text = raw.decode("utf-8", "replace")
    lines = max(raw.count(b"\n"), len(text.splitlines())) + 1
    for p in problems:
        assert p.line is None or 1 <= p.line <= lines, p
        assert p.message and p.code
    if record is None:
        assert problems, "a file that did not load must say why"


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(raw: bytes):
    check_outcome(ENTRY, raw)


YAML_BITS = st.sampled_from(
    ["", ":", "- ", "&a ", "*a", "<<: ", "!!", "'", '"', "{", "}", "[", "]", "#", "\t", "  ",
     "~", "null", "yes", "No", "007", "-5", "1e3", "2026-02-30", "\n", "\ufeff", "\x00", "%",
     "? ", "|", ">", "@", "`", "amount: ", "amount: 1.234", "kind: x"]
)


@st.composite
def mutated(draw, text: str) -> bytes:
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "swap", "replace"]))
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        if op == "insert":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(YAML_BITS) + line[at:]
        elif op == "delete" and line:
            at = draw(st.integers(0, len(line) - 1))
            lines[i] = line[:at] + line[at + 1:]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = draw(YAML_BITS) + "\n"
    return "".join(lines).encode("utf-8", "surrogatepass")


@SETTINGS
@given(mutated(GRANT))
def test_mutated_grant(raw: bytes):
    check_outcome(ENTRY, raw)


@SETTINGS
@given(mutated(CASE))
def test_mutated_case(raw: bytes):
    check_outcome(CASE_ENTRY, raw)


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufeff"),
    min_size=1, max_size=20,
).filter(lambda s: s.strip() == s and s.strip())
TRAPS = st.sampled_from(["No", "yes", "off", "007", "0x1F", "1e3", "1_000", "null", "~",
                         "2026-01-05", "12:30", "true", ".inf", "0o17"])


@SETTINGS
@given(
    reason=st.one_of(TEXT, TRAPS),
    voucher=st.one_of(TEXT, TRAPS),
    fen=st.integers(1, 10**9),  # a grant gives more than 0.00
)
def test_written_values_are_read_back_unchanged(reason: str, voucher: str, fen: int):
    """Any text YAML writes is read back as that text; any amount as that Decimal."""
    amount = Decimal(fen) / 100
    doc = {
        "id": "GR-2026-0001", "case": "HS-2026-0001", "kind": "living",
        "amount": f"{amount:.2f}", "fund": "union", "status": "paid",
        "proposed": {"by": "李明", "on": "2026-02-01", "reason": reason},
        "approvals": [{"by": "王芳", "role": "chair", "on": "2026-02-02"}],
        "paid": {"by": "赵丽", "on": "2026-02-05", "voucher": voucher},
    }
    raw = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")
    record, _, problems = load_file(ENTRY, raw)
    assert problems == []
    assert record is not None
    assert record.proposed.reason == reason  # type: ignore[attr-defined]
    assert record.paid.voucher == voucher  # type: ignore[attr-defined]
    assert record.amount == amount  # type: ignore[attr-defined]


@SETTINGS
@given(trap=TRAPS)
def test_plain_traps_in_text_fields_stay_text(trap: str):
    """`name: No` and `employee_id: 007` written plain keep their text, never a bool or int."""
    raw = CASE.replace("name: 刘建华", f"name: {trap}").replace(
        'employee_id: "0371"', f"employee_id: {trap}").encode()
    record, _, problems = load_file(CASE_ENTRY, raw)
    if trap in ("null", "~"):
        assert {p.code for p in problems} == {"missing"}
        assert all("quote it" in p.hint for p in problems)
        return
    assert problems == [], problems
    assert record.worker.name == trap  # type: ignore[attr-defined]
    assert record.worker.employee_id == trap  # type: ignore[attr-defined]
