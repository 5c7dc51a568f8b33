"""The cold read's split between processes (issue 16): every process, this one included,
takes the next chunk of files when it is free, so the split follows what the machine
gives each; the result is the same however the chunks fell, and a worker that fails is an
error, never a wait for ever."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hardship_cli.load import parsing, store
from tests.conftest import DEMO
from tests.test_incremental import load_checked, workers


def summary(records) -> tuple:
    return (
        sorted(records.case_facts().items()),
        sorted(records.grant_facts().items()),
        sorted(records.visits),
        sorted((p.path, p.line, p.code) for p in records.problems),
    )


def test_the_split_is_reported_and_changes_nothing():
    alone = load_checked(DEMO, cache=False)
    with workers():
        split = load_checked(DEMO, cache=False)
    stats = split.loading
    assert stats.processes == 3
    files = stats.fast + stats.reference
    assert stats.chunks == -(-files // 3)  # chunks of three files
    assert 0 <= stats.chunks_here <= stats.chunks
    assert summary(split) == summary(alone)
    assert f"of {stats.chunks} chunks" in stats.describe()


def test_this_process_parses_when_no_worker_takes_a_chunk(monkeypatch):
    """With workers that never take a task (a machine that gives them no CPU), this
    process parses every chunk itself: the load finishes, and says so."""
    monkeypatch.setattr(parsing, "steal", lambda claimed, results: None)
    with workers():
        records = load_checked(DEMO, cache=False)
    assert records.loading.chunks_here == records.loading.chunks > 0
    assert summary(records) == summary(load_checked(DEMO, cache=False))


def test_a_failing_worker_is_an_error_not_a_hang(monkeypatch, tmp_path: Path):
    parent = os.getpid()
    real = parsing.parse_chunk

    def failing(task):
        if os.getpid() != parent:
            raise ValueError("planted")
        return real(task)

    monkeypatch.setattr(parsing, "parse_chunk", failing)
    with workers(), pytest.raises(RuntimeError, match="a worker failed on chunk .*planted"):
        store.load(DEMO, cache=False)
