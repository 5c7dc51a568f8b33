"""The one way a command gets a rich console for its tables.

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
"""

from __future__ import annotations

import sys
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
