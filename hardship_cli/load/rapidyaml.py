"""rapidyaml, where it is installed (``import ryml``, the optional ``fast`` extra): the
module, its node-type bits as plain ints, and its error output kept off the terminal.

rapidyaml prints its parse (and emit) errors on fd 2 before raising; a bulk load with
nothing to show sends fd 2 to /dev/null once for all its files (``quiet_stderr``), a
worker process for good (``silence_stderr``), else each call is quieted on its own
(``quietly``). Used by the fast parser (``fastyaml``) only.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

try:  # optional: the `fast` extra
    import ryml
    from ryml.ryml import _ryml as ryml_c
except ImportError:  # pragma: no cover - depends on the installation
    ryml = None
    ryml_c = None

# node type bits (see ryml.NodeType); read once, used as plain ints (0 where rapidyaml is
# not installed: then nothing reads them)
MAP = SEQ = NONE = REFUSED = VAL_PLAIN = KEY_PLAIN = VAL_BLOCK = VAL_STYLED = FLOW_ML = 0
if ryml is not None:
    MAP, SEQ = ryml.MAP, ryml.SEQ
    NONE = ryml.NONE
    REFUSED = (
        ryml.DOC
        | (ryml.STREAM & ~ryml.SEQ)
        | ryml.KEYREF
        | ryml.VALREF
        | ryml.KEYANCH
        | ryml.VALANCH
        | ryml.KEYTAG
        | ryml.VALTAG
        | ryml.KEY_UNFILT
        | ryml.VAL_UNFILT
    )
    VAL_PLAIN = ryml.VAL_PLAIN
    KEY_PLAIN = ryml.KEY_PLAIN
    VAL_BLOCK = ryml.VAL_LITERAL | ryml.VAL_FOLDED
    VAL_STYLED = VAL_BLOCK | ryml.VAL_SQUO | ryml.VAL_DQUO
    FLOW_ML = ryml.FLOW_ML


_stderr_silenced = False


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """fd 2 to /dev/null for a bulk load with nothing to show (no progress bar): one
    redirection for all the files instead of one each."""
    global _stderr_silenced
    if _stderr_silenced:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    _stderr_silenced = True
    try:
        yield
    finally:
        _stderr_silenced = False
        os.dup2(saved, 2)
        os.close(saved)


def silence_stderr() -> None:
    """For a worker process that prints nothing: send fd 2 to /dev/null once, for good."""
    global _stderr_silenced
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    _stderr_silenced = True


def parse_quietly(buf: bytearray) -> Any:
    return quietly(ryml.parse_in_place, buf)  # type: ignore[union-attr]


def quietly(work: Any, buf: bytearray) -> Any:
    """rapidyaml prints its parse (and emit) errors on fd 2 before raising; keep stderr
    clean."""
    if _stderr_silenced:
        return work(buf)
    try:
        saved = os.dup(2)
    except OSError:  # pragma: no cover - no stderr at all
        return work(buf)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        return work(buf)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
