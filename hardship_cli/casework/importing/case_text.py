"""A new case's text, fast: what `roundtrip.new_record_text` writes, made without ruamel's
emitter when every value is one it writes plainly or in single quotes."""

from __future__ import annotations

import re
from typing import Any

from hardship_cli.domain.model import Case
from hardship_cli.edit import roundtrip

# Text ruamel writes plainly for sure: no indicator first, no character it escapes or
# breaks lines at, no flow indicator or comment sign (it may quote those; ruamel is used
# then).
_ODD = "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufeff\\ufffe\\uffff\\U0010ffff"
_PLAIN_SAFE = re.compile(rf"[^\s{_ODD}\-?:,\[\]{{}}#&*!|>'\"%@`.][^{_ODD},\[\]{{}}#]*")


def new_case_text(record: Case, schema_ref: str) -> str:
    """The text `roundtrip.new_record_text` writes for a new case, made without ruamel's
    emitter (5 ms a record, a minute for a large sheet) when every value is one it writes
    plainly or in single quotes; otherwise ruamel's. tests/test_import_limits.py holds the
    two to the same text."""
    lines = [f"# yaml-language-server: $schema={schema_ref}"]
    if not _emit(roundtrip.record_tree(record, only_set=True), 0, lines):
        return roundtrip.new_record_text(record, schema_ref)
    return "\n".join(lines) + "\n"


def _emit(tree: dict[str, Any], indent: int, lines: list[str], first: str = "") -> bool:
    pad = " " * indent
    lead = first
    for key, value in tree.items():
        if value is None or (isinstance(value, (list, dict)) and not value):
            continue
        prefix = (lead or pad) + key + ":"
        lead = ""
        if isinstance(value, dict):
            lines.append(prefix)
            if not _emit(value, indent + 2, lines):
                return False
        elif isinstance(value, list):
            lines.append(prefix)
            for item in value:
                if isinstance(item, dict):
                    if not item or not _emit(item, indent + 4, lines, " " * (indent + 2) + "- "):
                        return False
                elif isinstance(item, list):
                    return False
                else:
                    scalar = _scalar(item)
                    if scalar is None:
                        return False
                    lines.append(" " * (indent + 2) + "- " + scalar)
        else:
            scalar = _scalar(value)
            if scalar is None:
                return False
            lines.append(f"{prefix} {scalar}")
    return True


def _scalar(value: str) -> str | None:
    """The value as ruamel writes it, or None where its choice is not this simple."""
    if isinstance(value, roundtrip.Plain):
        return str(value)
    if len(value) > 1000 or not _PLAIN_SAFE.fullmatch(value) or value != value.strip():
        return None
    if roundtrip.TYPED_LOOKING_RE.match(value):
        return "'" + value.replace("'", "''") + "'"
    if ": " in value or value.endswith(":"):
        return None
    return value
