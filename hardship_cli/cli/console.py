"""The one way a command gets a rich console for its tables, and plain columns for its
long lists.

    from hardship_cli.cli.console import console
    console().print(table)

- Text from the records is shown as written, never acted on: control characters come
  out escaped (``\\x1b``; see problems.printable), and neither markup (``[link=...]``)
  nor emoji codes in a name are interpreted.
- Chinese is aligned by its display width (rich counts a Han character as two cells).
- On a pipe or in a file (``hardship standards impact | cat``), rich would assume 80
  columns (or $COLUMNS, often left exported by a shell) and cut names to ``na…``: the
  width is then wide enough for any table (a table is as wide as its content).
- Nothing is ever cut to ``…``: a cell too narrow for its text folds it onto the next
  line instead, on a terminal too.

A list of thousands of rows (`review list`, `advise --all` in a city) is printed as plain
columns (`columns`): rich takes a millisecond a row to lay out a table, seconds for a
city's list.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from hardship_cli.problems import printable

# The width on a pipe, where no terminal says how wide it is: no table of the records
# comes near it, and a table is drawn only as wide as its content.
PIPE_WIDTH = 1000


def console(stderr: bool = False, **options: Any) -> Any:
    """A rich console on stdout (or stderr) for what the records hold; see the module."""
    cls = _console_class()
    stream = sys.stderr if stderr else sys.stdout
    if "width" not in options and not _is_terminal(stream):
        options["width"] = PIPE_WIDTH
    if stderr:
        options.setdefault("stderr", True)
    return cls(highlight=False, markup=False, emoji=False, **options)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def no_ellipsis(renderable: Any) -> Any:
    """A table whose columns fold a text too long for them instead of cutting it to
    ``…`` (a name cut is a name lost; a Chinese sentence has no space to wrap at), also
    inside a panel (typer's help); anything else as it is."""
    columns = getattr(renderable, "columns", None)
    if isinstance(columns, list):
        for column in columns:
            if getattr(column, "overflow", None) == "ellipsis":
                column.overflow = "fold"
        for column in columns:
            for cell in getattr(column, "_cells", ()):
                no_ellipsis(cell)
    inner = getattr(renderable, "renderable", None)  # a panel, a padding
    if inner is not None and inner is not renderable:
        no_ellipsis(inner)
    for item in getattr(renderable, "renderables", None) or ():  # columns, a group
        no_ellipsis(item)
    if type(renderable).__name__ == "Text" and renderable.overflow in (None, "ellipsis"):
        renderable.overflow = "fold"  # its own overflow wins over its column's
    return renderable


_Console: Any = None


def _console_class() -> Any:
    """Made on first use: rich is imported only when a table is really printed."""
    global _Console
    if _Console is None:
        from rich.console import Console

        class SafeConsole(Console):
            def render_str(self, text: str, **kwargs: Any) -> Any:
                return super().render_str(printable(text, lines=True), **kwargs)

            def print(self, *objects: Any, **kwargs: Any) -> None:
                super().print(*(no_ellipsis(o) for o in objects), **kwargs)

        _Console = SafeConsole
    return _Console


def columns(
    header: Sequence[str], rows: Iterable[Sequence[str]], right: frozenset[int] = frozenset()
) -> list[str]:
    """Rows as lines of aligned columns, two spaces apart, the header first: each cell
    shown as written (`printable`), padded to its column's display width (a Han
    character takes two columns); the columns in `right` (indexes) flush right; the last
    column is not padded (a note of any length)."""
    table = [[printable(cell) for cell in row] for row in [header, *rows]]
    last = len(header) - 1
    widths = [max(display_width(row[n]) for row in table) for n in range(last)]
    lines = []
    for row in table:
        cells = []
        for n in range(last):
            gap = " " * (widths[n] - display_width(row[n]))
            cells.append(gap + row[n] if n in right else row[n] + gap)
        cells.append(row[last])
        lines.append("  ".join(cells).rstrip())
    return lines


def display_width(text: str) -> int:
    """How many columns a terminal gives the text: two for a wide (Han, full-width)
    character, none for a combining mark, one for the others."""
    if text.isascii():
        return len(text)
    wide, combining = unicodedata.east_asian_width, unicodedata.combining
    return sum(0 if combining(ch) else 2 if wide(ch) in "WF" else 1 for ch in text)
