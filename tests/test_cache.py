"""The parse cache: same answers warm and cold, changes seen, bad caches ignored."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

from hardship_cli.load import bulk, cache, cache_folder, defaults, key_lines, parsing, store
from hardship_cli.load.files import Source
from hardship_cli.load.records import Records
from hardship_cli.rules import check
from hardship_cli.rules.per_record import load_checked
from tests.clirun import hardship
from tests.conftest import TODAY

DEMO = Path(__file__).resolve().parents[1] / "records"


def age(root: Path, seconds: float = 60) -> None:
    """Date every file back, as if written a while ago (fresh files are not cached)."""
    past = time.time() - seconds
    for folder, _dirs, files in os.walk(root):
        for name in files:
            os.utime(Path(folder) / name, (past, past))


def age_file(path: Path, seconds: float = 30) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns(".hardship-cache"))
    age(target)
    return target


def snapshot(records: Records) -> tuple[object, ...]:
    return (
        records.cases,
        records.grants,
        records.campaigns,
        records.visits,
        records.budgets,
        {key: (s.path, dict(s.lines)) for key, s in records.sources.items()},
        sorted(records.problems, key=lambda p: p.sort_key()),
        records.unloaded,
        records.files,
        check(records, TODAY),
    )


def test_warm_run_gives_what_a_cold_run_gives(demo: Path) -> None:
    cold = load_checked(demo, cache=False)
    first = load_checked(demo)
    assert first.loading.cached == 0
    assert list(cache_folder.cache_dir(demo).glob("*.pickle"))
    warm = load_checked(demo)
    assert warm.loading.cached == warm.files == cold.files
    assert snapshot(warm) == snapshot(cold) == snapshot(first)


def test_per_file_problems_are_cached_with_their_lines(demo: Path) -> None:
    bad = demo / "grants" / "2026" / "GR-2026-0001.yaml"
    bad.write_text(bad.read_text(encoding="utf-8") + "amount: 1\n", "utf-8")
    odd = demo / "grants" / "2026" / "GR-2026-0002.yaml"
    odd.write_text(odd.read_text(encoding="utf-8") + "surprise: 1\n", "utf-8")
    age_file(bad)
    age_file(odd)
    cold = load_checked(demo, cache=False)
    load_checked(demo)
    warm = load_checked(demo)
    assert warm.loading.cached == warm.files
    codes = {p.code for p in warm.problems if p.path.startswith("grants/2026/GR-2026-000")}
    assert {"duplicate-key", "unknown-key"} <= codes
    assert check(warm, TODAY) == check(cold, TODAY)


def test_a_changed_file_is_read_again(demo: Path) -> None:
    load_checked(demo)
    path = demo / "grants" / "2026" / "GR-2026-0001.yaml"
    text = path.read_text(encoding="utf-8")
    amount = next(line for line in text.splitlines() if line.startswith("amount:"))
    path.write_text(text.replace(amount, "amount: 15.005"), encoding="utf-8")
    age_file(path)
    warm = load_checked(demo)
    assert warm.loading.cached == warm.files - 1
    assert any(p.code == "bad-money" and p.path.endswith("GR-2026-0001.yaml")
               for p in warm.problems)
    assert snapshot(warm) == snapshot(load_checked(demo, cache=False))


def test_same_size_and_new_time_stamp_is_a_change(demo: Path) -> None:
    load_checked(demo)
    path = demo / "cases" / "HS-2025-0001.yaml"
    text = path.read_text(encoding="utf-8")
    swapped = text.replace("status: active", "status: actove") if "status: active" in text \
        else text.replace("level: deep", "level: deeq")
    assert len(swapped.encode()) == len(text.encode()) and swapped != text
    path.write_text(swapped, encoding="utf-8")
    age_file(path)
    warm = load_checked(demo)
    assert warm.loading.cached == warm.files - 1
    assert snapshot(warm) == snapshot(load_checked(demo, cache=False))


def test_a_file_written_just_now_is_not_cached(demo: Path) -> None:
    path = demo / "visits" / "2026" / "VS-2026-0001.yaml"
    path.write_bytes(path.read_bytes())
    soon = time.time() + 1  # fresh, however slow this machine is today
    os.utime(path, (soon, soon))
    load_checked(demo)
    again = load_checked(demo)
    assert again.loading.cached == again.files - 1


def test_added_and_deleted_files_are_seen(demo: Path) -> None:
    load_checked(demo)
    grants = sorted((demo / "grants" / "2026").glob("*.yaml"))
    grants[-1].unlink()
    warm = load_checked(demo)
    assert snapshot(warm) == snapshot(load_checked(demo, cache=False))
    assert grants[-1].stem not in warm.grants


@pytest.mark.parametrize(
    "damage",
    ["truncate", "garbage", "foreign", "empty", "not-a-dict", "group-writable", "directory"],
)
def test_a_bad_cache_is_a_miss_never_an_error(demo: Path, damage: str) -> None:
    load_checked(demo)
    expected = snapshot(load_checked(demo, cache=False))
    shard = cache_folder.shard_path(demo, "grants/2026")
    blob = shard.read_bytes()
    if damage == "truncate":
        shard.write_bytes(blob[: len(blob) // 2])
    elif damage == "garbage":
        shard.write_bytes(blob[:200] + os.urandom(500) + blob[700:])
    elif damage == "foreign":
        shard.write_bytes(blob.replace(cache.fingerprint(), b"0" * len(cache.fingerprint())))
    elif damage == "empty":
        shard.write_bytes(b"")
    elif damage == "not-a-dict":
        body = pickle.dumps(["not", "a", "shard"])
        key = (Path(os.environ["HARDSHIP_CACHE_DIR"]) / cache_folder.KEY_FILE).read_bytes()
        shard.write_bytes(cache.header() + cache.mac(key, cache.header(), body) + body)
    elif damage == "group-writable":
        shard.chmod(0o666)
    elif damage == "directory":
        shard.unlink()
        shard.mkdir()
    warm = load_checked(demo)
    assert warm.loading.cached < warm.files
    assert snapshot(warm) == expected
    if damage != "directory":
        again = load_checked(demo)  # the shard was written anew
        assert again.loading.cached == again.files


def test_entries_with_another_size_or_time_are_ignored(demo: Path) -> None:
    """A shard that lies about a file (another record under its name) is not believed
    unless size and time stamp both match the file on disk."""
    expected = load_checked(demo, cache=False)
    load_checked(demo)
    shard_path = cache_folder.shard_path(demo, "grants/2026")
    shard = cache.read_shard(demo, "grants/2026")
    first = shard["names"][0]
    for column in ("records", "lines", "problems", "facts", "own", "ids"):
        shard[column][0] = shard[column][1]
    size, mtime = shard["keys"][0]
    shard["keys"][0] = (size + 1, mtime)
    cache.write_shard(demo, "grants/2026", shard)
    assert shard_path.exists()
    warm = load_checked(demo)
    first_id = Path(first).stem
    assert warm.grants[first_id] == expected.grants[first_id]
    assert warm.loading.cached == warm.files - 1
    assert check(load_checked(demo), TODAY) == check(expected, TODAY)


def test_no_cache_neither_reads_nor_writes(demo: Path) -> None:
    records = load_checked(demo, cache=False)
    assert records.loading.cached == 0
    assert not cache_folder.cache_dir(demo).exists()


def test_cli_no_cache_and_cache_clear(demo: Path) -> None:
    result = hardship("--root", demo, "--no-cache", "validate", "--today", "2026-11-29")
    assert result.code in (0, 1)
    assert not cache_folder.cache_dir(demo).exists()
    warm_first = hardship("--root", demo, "validate", "--today", "2026-11-29")
    assert cache_folder.cache_dir(demo).is_dir()
    warm = hardship("--root", demo, "-v", "validate", "--today", "2026-11-29")
    assert warm.out == warm_first.out == result.out
    assert "from the cache" in warm.err and "parser:" in warm.err
    cleared = hardship("--root", demo, "cache", "clear")
    assert cleared.code == 0
    assert not cache_folder.cache_dir(demo).exists()
    assert "removed" in cleared.err


def test_a_changed_tool_does_not_trust_an_old_cache(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_checked(demo)
    monkeypatch.setattr(cache, "fingerprint", lambda lang="en": b"another-version")
    records = load_checked(demo)
    assert records.loading.cached == 0


def test_unwritable_cache_folder_is_no_error(demo: Path) -> None:
    cache_folder.cache_dir(demo).parent.mkdir(parents=True, exist_ok=True)
    cache_folder.cache_dir(demo).write_text("a file where the folder should be")
    records = load_checked(demo)
    assert records.files > 0 and records.loading.cached == 0


def test_lazy_lines_behave_like_a_dict() -> None:
    lines = {("id",): 1, ("approvals", 0): 7, ("approvals", 0, "by"): 8}
    lazy = key_lines.LazyLines(key_lines.pack_lines(lines))
    assert ("id",) in lazy and lazy[("approvals", 0, "by")] == 8
    assert key_lines.LazyLines(key_lines.pack_lines(lines)) == lines
    assert dict(key_lines.LazyLines(key_lines.pack_lines(lines))) == lines
    assert Source("x", key_lines.LazyLines(key_lines.pack_lines(lines))).line("approvals", 0,
                                                                             "on") == 7
    assert not key_lines.LazyLines(key_lines.pack_lines({}))
    assert pickle.loads(pickle.dumps(key_lines.LazyLines(key_lines.pack_lines(lines)))) == lines


def test_records_survive_the_fast_pickle_unchanged() -> None:
    records = load_checked(DEMO, cache=False)
    everything = [*records.cases.values(), *records.grants.values(),
                  *records.campaigns.values(), *records.visits.values(),
                  *records.budgets.values()]
    back = pickle.loads(cache.dumps(everything))
    assert back == everything
    assert [type(r) for r in back] == [type(r) for r in everything]
    assert all(b.model_fields_set == r.model_fields_set for b, r in zip(back, everything,
                                                                        strict=True))


def test_parallel_and_single_process_loads_agree(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parsing, "PARALLEL_MIN", 10)
    monkeypatch.setattr(parsing, "CHUNK", 50)
    monkeypatch.setenv("HARDSHIP_JOBS", "2")
    parallel = load_checked(demo, cache=False)
    assert parallel.loading.processes == 2
    monkeypatch.setenv("HARDSHIP_PARSER", "baseline")
    baseline = load_checked(demo, cache=False)
    assert baseline.loading.processes == 1 and baseline.loading.fast == 0
    assert snapshot(parallel) == snapshot(baseline)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def start(self, total: int, label: str) -> None:
        self.calls.append(("start", total))

    def advance(self, count: int) -> None:
        self.calls.append(("advance", count))

    def stop(self) -> None:
        self.calls.append(("stop", 0))


def test_progress_is_reported_for_long_loads_only(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = Recorder()
    load_checked(demo, cache=False, progress=quiet)
    assert quiet.calls == []  # a few hundred files: no bar
    monkeypatch.setattr(bulk, "PROGRESS_MIN", 10)
    loud = Recorder()
    records = load_checked(demo, cache=False, progress=loud)
    assert loud.calls[0] == ("start", records.files)
    assert loud.calls[-1] == ("stop", 0)
    assert sum(n for what, n in loud.calls if what == "advance") == records.files


def test_no_cache_reaches_every_load_of_the_command(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []
    real_load = store.load

    def spy(root: Path, *args: object, **kwargs: object) -> Records:
        seen.append(defaults.USE_CACHE)
        return real_load(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "load", spy)
    hardship("--root", demo, "--no-cache", "validate", "--today", "2026-11-29")
    assert seen == [False]  # what casework's helpers see when they call load_checked(root)
    assert not cache_folder.cache_dir(demo).exists()
    assert defaults.USE_CACHE is True  # and nothing is left behind for the next command


def test_each_language_keeps_its_own_warm_cache(demo: Path) -> None:
    """A Chinese run and an English one, in turn, each read from the cache: the shards
    are kept per language (their problems are in that language's words)."""
    from hardship_cli import i18n

    try:
        for lang in ("zh", "en", "zh", "en"):
            i18n.set_language(lang)
            store.load(demo)
        for lang in ("zh", "en"):
            i18n.set_language(lang)
            assert store.load(demo).loading.cached == store.load(demo).files, lang
        names = {p.name for p in cache_folder.cache_dir(demo).glob("*.pickle")}
        assert any(n.endswith(".zh.pickle") for n in names)
        assert any(n.endswith(".en.pickle") for n in names)
    finally:
        i18n.set_language("en")
