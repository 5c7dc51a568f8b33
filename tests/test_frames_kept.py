"""The reports' frames kept in the cache under the root's snapshot (issue 16): taken back
only while the records are exactly those the frames were made from, and never unpickled
unless this user's tool signed them."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from hardship_cli.cli.common import per_record_checks
from hardship_cli.load import cache, store
from hardship_cli.report import frames
from tests.conftest import DEMO, TODAY
from tests.test_cache_trust import Payload


def age(root: Path, seconds: int = 60) -> None:
    """Every file older than the cache's two-second window (a file that recent is never
    taken from the cache)."""
    past = time.time() - seconds
    for folder, _dirs, files in os.walk(root):
        for name in files:
            os.utime(Path(folder) / name, (past, past))


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HARDSHIP_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "demo"
    shutil.copytree(DEMO, copy, ignore=shutil.ignore_patterns(".hardship-cache"))
    age(copy)
    return copy


def load(root: Path):
    return store.load(root, checks=per_record_checks())


def assert_same(one: frames.Frames, other: frames.Frames) -> None:
    for name in ("cases", "grants", "visits", "contributions"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(other, name))
    assert one.units == other.units


def made_now(root: Path) -> frames.Frames:
    """The frames made from the records, the cache's kept frames aside."""
    records = load(root)
    records.snapshot = None
    return frames.build_frames(records, TODAY)


def test_frames_are_kept_and_taken_back_the_same(root: Path, monkeypatch):
    load(root)  # fills the shards
    records = load(root)
    assert records.snapshot is not None
    first = frames.build_frames(records, TODAY)  # made, and kept
    kept = cache.read_made(root, "frames", records.snapshot)
    assert kept is not None

    made = []
    monkeypatch.setattr(frames, "_made_frames", lambda *a: made.append(a) or first)
    again = frames.build_frames(load(root), TODAY)
    assert made == []  # taken from the cache
    assert_same(again, first)
    assert again.records is not None and again.today == TODAY


def test_an_edited_record_gives_new_frames(root: Path):
    load(root)
    frames.build_frames(load(root), TODAY)
    first_grant_to_1_23(root)
    age(root)  # even with the old time stamps' age: its size changed
    load(root)  # the shard of its folder is written anew
    records = load(root)
    assert records.snapshot is not None
    now = frames.build_frames(records, TODAY)
    assert 123 in set(now.grants["fen"])
    assert_same(now, made_now(root))


def test_a_changed_hardship_yaml_gives_new_frames(root: Path):
    load(root)
    before = load(root)
    frames.build_frames(before, TODAY)
    config = root / "hardship.yaml"
    text = config.read_text(encoding="utf-8")
    name = before.config.organisation.name
    renamed = text.replace(f"name: {name}\n", f"name: {name}（新）\n", 1)
    assert renamed != text
    config.write_text(renamed, encoding="utf-8")
    age(root)
    load(root)
    after = load(root)
    assert after.snapshot not in (None, before.snapshot)
    now = frames.build_frames(after, TODAY)
    assert set(now.grants["org"].astype(str)) == {name + "（新）"}


def test_no_snapshot_while_a_file_is_too_recent_or_the_records_were_read(root: Path):
    load(root)
    assert load(root).snapshot is not None
    records = load(root)
    records.cases  # noqa: B018 - read: whoever reads may change them
    assert frames.build_frames(records, TODAY) is not None
    fresh = sorted((root / "cases").glob("HS-*.yaml"))[0]
    os.utime(fresh)  # now: within the two seconds
    assert load(root).snapshot is None


def test_frames_kept_under_another_snapshot_are_not_taken(root: Path):
    load(root)
    records = load(root)
    cache.write_made(root, "frames", b"another" * 4, ("not", "these"))
    assert cache.read_made(root, "frames", records.snapshot) is None
    assert_same(frames.build_frames(records, TODAY), made_now(root))


def test_a_poisoned_frames_file_without_this_users_mac_never_runs(root: Path, tmp_path: Path):
    import pickle

    load(root)
    records = load(root)
    marker = tmp_path / "pwned"
    slot = Path(os.environ["HARDSHIP_CACHE_DIR"])
    target = next(slot.rglob("*.pickle")).parent / cache.made_name("frames")
    body = pickle.dumps((records.snapshot, Payload(marker)))
    head = cache.header()
    target.write_bytes(head + b"\0" * 32 + body)
    target.chmod(0o600)
    assert cache.read_made(root, "frames", records.snapshot) is None
    assert_same(frames.build_frames(records, TODAY), made_now(root))
    assert not marker.exists()


def first_grant_to_1_23(root: Path) -> Path:
    """The first grant's amount made 1.23 (its file's size changes)."""
    grant = sorted((root / "grants").rglob("GR-*.yaml"))[0]
    text = grant.read_text(encoding="utf-8")
    amount = next(line for line in text.splitlines() if line.startswith("amount:"))
    grant.write_text(text.replace(amount, "amount: 1.23"), encoding="utf-8")
    return grant


def second_unit(root: Path, tmp_path: Path) -> Path:
    """A copy of the root, both read into the cache: two units to roll up."""
    other = tmp_path / "other"
    shutil.copytree(root, other)
    age(other)
    load(root), load(other)
    return other


def rolled_up(first: Path, second: Path):
    from hardship_cli.report.rollup import Unit, merged_records

    units = [Unit("U1", "甲", first, load(first)), Unit("U2", "乙", second, load(second))]
    return merged_records(units)


def test_a_rollups_frames_are_kept_under_the_units_snapshots(root: Path, tmp_path: Path):
    other = second_unit(root, tmp_path)
    merged = rolled_up(root, other)
    assert merged.snapshot is not None
    first = frames.build_frames(merged, TODAY)
    assert set(first.grants["org"].astype(str)) == {"甲", "乙"}
    # the roll-up's slot is its own: the unit's frames do not take its place
    frames.build_frames(load(root), TODAY)
    assert cache.read_made(root, "frames-rollup", merged.snapshot) is not None
    assert_same(frames.build_frames(rolled_up(root, other), TODAY), first)
    # one unit's grant edited: another snapshot, frames made again
    grant = first_grant_to_1_23(other)
    age(other)
    load(other)
    again = rolled_up(root, other)
    assert again.snapshot not in (None, merged.snapshot)
    assert 123 in set(frames.build_frames(again, TODAY).grants["fen"])
    # a unit not read whole from the cache: no snapshot for the roll-up
    os.utime(grant)
    assert rolled_up(root, other).snapshot is None


def test_a_rollups_sources_name_each_units_file(root: Path, tmp_path: Path):
    other = second_unit(root, tmp_path)
    merged = rolled_up(root, other)
    case = next(iter(load(other).case_facts()))
    source = merged.source(f"U2/{case}")
    assert source.path == f"{other}/cases/{case}.yaml"
    assert source.line("worker", "employee_id") is not None
