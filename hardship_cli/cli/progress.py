"""A progress bar for long loads: drawn by rich on a terminal, nothing on a pipe."""

from __future__ import annotations

import sys
from typing import Any

from hardship_cli.i18n import N_, _

# What the loader says it is doing (load/bulk.py), looked up when the bar is drawn.
LABELS = (N_("reading records"),)


class RichProgress:
    """Implements ``bulk.Progress``; rich is imported only when a bar is really drawn."""

    def __init__(self) -> None:
        self._progress: Any = None
        self._task: Any = None

    def start(self, total: int, label: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        label = _(label)
        self._progress = Progress(
            f"[bold]{label}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(label, total=total)

    def advance(self, count: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, count)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def progress_bar() -> RichProgress | None:
    """A bar when stderr is a terminal; None (nothing drawn) on a pipe or file."""
    try:
        interactive = sys.stderr.isatty()
    except (AttributeError, ValueError):
        interactive = False
    return RichProgress() if interactive else None
