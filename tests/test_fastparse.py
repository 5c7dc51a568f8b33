"""The fast parser gives exactly what the reference (libyaml) gives: data, lines, problems."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardship_cli.load import fast_json, fastyaml, strict
from hardship_cli.load.files import load_file, scan

CORPUS = Path(__file__).resolve().parent / "corpus"
DEMO = Path(__file__).resolve().parents[1] / "records"

pytestmark = pytest.mark.skipif(not fastyaml.AVAILABLE, reason="rapidyaml is not installed")

# Small files that probe one corner each; the corpus folder holds whole records.
TRICKY = [
    # a block scalar cut at the end of the file (found by the mutated files)
    b"id: GR-2026-0019\nitems:\n  -\n  - b\n  - |\n    blo",
    b"a: >\n  blo",
    # rapidyaml's JSON writes these words as .inf / .nan (hypothesis found the first)
    b'"inf": []\na: inf\nb: [nan, infinity]\nc: "nan"\nd: .inf\ne: info\n',
    b"a: Inf\nb: NaN\nc: -inf\nd: +.inf\n",
    b"a: ''\nb: \"\"\nc:\nd: ~\ne: null\nf: Null\ng: NULL\nh: nULL\ni: 'null'\nj: \"~\"\n",
    b"a: 1\na: 2\nb:\n  c: 1\n  c: 2\n",
    b"a: x #c\nb: 'it''s'\nc: x#y\nd: x:y\n",
    b"a:\n- x\n- y\nb:\n  - x\n  -   y\n",
    b"a: x\n  y\n\n  z\n",
    b"a: 'x\n  y'\nb: \"x\n\n  y\"\n",
    b"a: x\r\nb: y\r\nc:\r\n  - z\r\n",
    b"a: {b: 1, b: 2}\n",
    b"a:\n  - b: 1\n    c: 2\n  -\n    d: 3\n",
    b"a: |+\n  x\n\n",
    b"a: >-\n  x\n  y\n\n  z\n\n",
    b"a: |\n x\n y\n\n\n",
    b"a:   \n  - x\n",
    b"- x\n- y\n",
    b"x\n",
    b"a: [~, null, '', x]\nb: []\nc: {}\n",
    b"a:\n  - [1, 2]\n  - - x\n    - y\n",
    b"a:\n  - {b: 1}\n  - {}\n  - []\n",
    b"a: [1,\n  2]\nb: {c: 1,\n d: 2}\n",
    b"# comment\na: 1 # trailing\n\n\n# end\n",
    b"a: 1\n...\n",
    b"---\na: 1\n",
    b"a: 1\n---\nb: 2\n",
    b"'a': 1\n\"b\": 2\nc d: 3\n",
    b"\xe7\x8e\x8b: \xe8\x8a\xb3\n\xf0\x9f\x98\x80: x\n",
    b"a: b: c\n",
    b"a:\n  b: 1\n c: 2\n",
    b"a: 'x' y\n",
    b"a: [x, y\n",
    b"a: -\nb: - x\n",
    b"a:\n  -\n  - y\n",
    b"a: &x 1\nb: *x\n",
    b"<<: {a: 1}\n",
    b"a: !!str 1\n",
    b"a: \"\\x41\\u738b\"\n",
    b"a: x\xc2\xb7y\n",
    b"",
    b"\n\n",
    b"# nothing\n",
    b"\xff\xfe",
    b"a: 1\x00",
    b"a:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 40)),
    b"a:" + b"".join(b"\n" + b"  " * i + b"k:" for i in range(1, 40)) + b" v\n",
]


def same(raw: bytes, path: str = "x.yaml") -> bool | None:
    """True: the fast path answered, identically; None: it handed the file over."""
    reference = strict.parse(raw, path)
    fast = fastyaml.parse_fast(raw, path)
    assert fastyaml.parse(raw, path).__class__ is strict.ParseResult
    full = fastyaml.parse(raw, path)
    assert (full.data, full.lines, full.problems) == (
        reference.data,
        reference.lines,
        reference.problems,
    )
    if fast is None:
        return None
    assert fast.data == reference.data, raw
    assert fast.lines == reference.lines, raw
    assert fast.problems == reference.problems, raw
    return True


@pytest.mark.parametrize("raw", TRICKY, ids=range(len(TRICKY)))
def test_tricky_inputs_give_the_same_result(raw: bytes) -> None:
    same(raw)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.yaml")), ids=lambda p: p.name)
def test_corpus_gives_the_same_result(path: Path) -> None:
    same(path.read_bytes(), path.name)


def test_the_fast_path_is_really_taken() -> None:
    """The comparisons above would prove nothing if everything fell back."""
    taken = [raw for raw in TRICKY if same(raw) is True]
    assert len(taken) >= 20
    for name in ("grant-plain.yaml", "norway.yaml", "duplicates.yaml", "scalars.yaml"):
        assert same((CORPUS / name).read_bytes(), name) is True, name


def test_files_it_cannot_reproduce_are_handed_over() -> None:
    for name in ("aliases.yaml", "tabs.yaml", "unicode-break.yaml", "nel.yaml", "control.yaml",
                 "directive.yaml", "reserved.yaml", "empty-key.yaml",
                 "two-docs.yaml", "not-mapping.yaml", "broken-indent.yaml"):
        raw = (CORPUS / name).read_bytes()
        assert fastyaml.parse_fast(raw, name) is None, name


def test_both_fast_routes_are_taken() -> None:
    """JSON for plain records (lines worked out only when asked); the walker for files with
    what JSON would lose: null-likes, booleans, duplicate keys."""
    plain = (CORPUS / "grant-plain.yaml").read_bytes()
    text = plain.decode()
    assert fast_json.json_route(plain, text) is not None
    for name in ("norway.yaml", "duplicates.yaml"):
        raw = (CORPUS / name).read_bytes()
        assert fast_json.json_route(raw, raw.decode()) is None or not fast_json.json_unsafe(
            raw.decode()
        ), name
        assert same(raw, name) is True
    duplicated = b"a: 1\nb:\n  c: 1\n  c: 2\n"
    assert fast_json.json_route(duplicated, duplicated.decode()) is None
    changed = b"a: .5\nb: 1.\n"  # rapidyaml's JSON writes 0.5 and 1.0
    assert fast_json.json_route(changed, changed.decode()) is None
    assert same(changed) is True


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    result = fastyaml.parse_fast((CORPUS / "duplicates.yaml").read_bytes(), "d.yaml")
    assert result is not None
    messages = [(p.line, p.message) for p in result.problems]
    assert (5, "key `name` appears twice (first on line 4)") in messages
    assert (13, "key `relation` appears twice (first on line 12)") in messages


def test_rapidyaml_errors_do_not_reach_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    assert fastyaml.parse_fast(b"a: b: c\n", "x.yaml") is None
    assert capfd.readouterr().err == ""


def test_demo_root_loads_identically_on_both_paths() -> None:
    entries, _ = scan(DEMO)
    assert entries
    fast_files = 0
    for entry in entries:
        raw = entry.path.read_bytes()
        reference = load_file(entry, raw)
        fast = load_file(entry, raw, fastyaml.parse)
        assert fast[0] == reference[0], entry.rel
        assert fast[1] == reference[1], entry.rel
        assert fast[2] == reference[2], entry.rel
        fast_files += fastyaml.parse_fast(raw, entry.rel) is not None
    assert fast_files > len(entries) * 0.9


# ---------------------------------------------------------------------------------------
# Generated records: text that looks like a record, written in every YAML style

TEXT = st.text(
    alphabet=st.sampled_from(
        list(string.ascii_letters + string.digits + " :#-'\",.[]{}|>?~_/\n")
        + list("王李张三四五六七八九十困难职工，。：！？“”（）")
    ),
    max_size=20,
)
SCALAR = st.one_of(
    TEXT,
    st.sampled_from(["", "~", "null", "Null", "NULL", "No", "yes", "007", "1200.00",
                     "2026-01-01", "+5", "-1", ".inf", "1e3", "0x1F", "- x", ": x", "a: b"]),
)
KEY = st.one_of(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), st.sampled_from(["id", "王", "a b"]))
VALUE = st.recursive(
    SCALAR,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(KEY, children, max_size=4),
    ),
    max_leaves=12,
)
RECORD = st.dictionaries(KEY, VALUE, min_size=1, max_size=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    record=RECORD,
    flow=st.sampled_from([False, None, True]),
    style=st.sampled_from([None, "'", '"', "|", ">"]),
    width=st.sampled_from([20, 80, 4096]),
)
def test_generated_records_give_the_same_result(
    record: dict[str, object], flow: bool | None, style: str | None, width: int
) -> None:
    text = yaml.safe_dump(
        record, allow_unicode=True, default_flow_style=flow, default_style=style, width=width
    )
    same(text.encode("utf-8"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(sorted(p.name for p in CORPUS.glob("*.yaml"))),
    cuts=st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 8), st.binary(max_size=4)),
                  max_size=3),
)
def test_mutated_files_give_the_same_result(
    base: str, cuts: list[tuple[int, int, bytes]]
) -> None:
    raw = (CORPUS / base).read_bytes()
    for at, drop, insert in cuts:
        at = min(at, len(raw))
        raw = raw[:at] + insert + raw[at + drop :]
    same(raw, base)
