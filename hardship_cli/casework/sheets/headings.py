"""A cell's text, and the header row of a sheet: which column holds which heading."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any

from hardship_cli.casework.sheets.columns import ALIASES
from hardship_cli.casework.sheets.opening import Sheet
from hardship_cli.cells import unquote
from hardship_cli.i18n import _
from hardship_cli.problems import UsageError


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unquote(str(value).strip())


def _heading(value: Any, mapping: dict[str, str]) -> str:
    text = re.sub(r"\s+", "", cell_text(value))
    text = re.sub(r"[（(].*?[)）]", "", text)  # 家庭月收入（元） -> 家庭月收入
    if text in mapping:
        return mapping[text]
    return ALIASES.get(text, text)


def headed(
    sheet: Sheet, known: set[str], mapping: dict[str, str]
) -> tuple[dict[int, str], Iterator[tuple[int, Sequence[Any]]]]:
    """The sheet's columns (by the header found in its first rows) and the rows below the
    header, still streamed."""
    head = list(itertools.islice(sheet.rows, HEAD_ROWS + 1))
    last, columns = find_header(sheet.name, head, known, mapping)
    return columns, itertools.chain(head[last + 1 :], sheet.rows)


HEAD_ROWS = 10


def find_header(
    name: str, head: list[tuple[int, Sequence[Any]]], known: set[str], mapping: dict[str, str]
) -> tuple[int, dict[int, str]]:
    """The header row is the one with most known headings among the first ten rows; a
    heading merged over two header rows (its value in the upper cell) is taken too."""
    best_index, best_count = -1, 0
    for index, (_number, cells) in enumerate(head[:HEAD_ROWS]):
        count = sum(1 for c in cells if _heading(c, mapping) in known)
        if count > best_count:
            best_index, best_count = index, count
    if best_index < 0 or best_count < 2:
        raise UsageError(
            _("sheet {sheet}: no header row with the known headings").format(sheet=name),
            _(
                "the default headings are 工号, 姓名, 单位, 性别, 家庭月收入, 困难类别, "
                "致困原因...; for other headings give a mapping file with --mapping"
            ),
        )
    columns: dict[int, str] = {}
    header_rows = [head[best_index][1]]
    if best_index > 0:
        header_rows.append(head[best_index - 1][1])
    last = best_index
    # A second header row under merged group headings (收入情况 over 家庭月收入, 月刚性支出).
    if best_index + 1 < len(head):
        below = head[best_index + 1][1]
        named = [c for c in below if cell_text(c)]
        if named and all(_heading(c, mapping) in known for c in named):
            header_rows.insert(0, below)
            last = best_index + 1
    width = max(len(r) for r in header_rows)
    for col in range(width):
        for cells in header_rows:
            name = _heading(cells[col], mapping) if col < len(cells) else ""
            if name in known:
                columns[col] = name
                break
    return last, columns
