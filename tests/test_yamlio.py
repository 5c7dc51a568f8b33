"""Strict YAML: what is written is what is read, and every trap is a located problem."""

from __future__ import annotations

import yaml

from hardship_cli.edit import atomic
from hardship_cli.load import strict


def parse(text: str | bytes):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return strict.parse(raw, "cases/X.yaml")


def codes(result) -> list[tuple[int | None, str]]:
    return [(p.line, p.code) for p in result.problems]


def test_uses_libyaml_c_loader():
    assert yaml.__with_libyaml__
    assert strict.LIBYAML_LOADER is yaml.CSafeLoader


def test_scalars_stay_the_text_written():
    result = parse("employee_id: 007\nname: No\nflag: yes\nx: 1e3\nd: 2026-01-05\nq: '~'\n")
    assert result.problems == []
    assert result.data == {
        "employee_id": "007",
        "name": "No",
        "flag": "yes",
        "x": "1e3",
        "d": "2026-01-05",
        "q": "~",
    }


def test_plain_nulls_are_none_but_quoted_ones_are_text():
    result = parse("a: ~\nb: null\nc:\nd: 'null'\n")
    assert result.data == {"a": None, "b": None, "c": None, "d": "null"}


def test_lines_of_nested_keys_and_items():
    result = parse("a: 1\nb:\n  c: 2\nlist:\n  - x: 1\n    y: 2\n")
    assert result.lines[("a",)] == 1
    assert result.lines[("b", "c")] == 3
    assert result.lines[("list", 0)] == 5
    assert result.lines[("list", 0, "y")] == 6
    assert strict.line_of(result.lines, ("list", 0, "missing")) == 5


def test_duplicate_key_is_an_error_not_last_wins():
    result = parse("amount: 100.00\nkind: living\namount: 900.00\n")
    assert codes(result) == [(3, "duplicate-key")]
    assert result.problems[0].message == "key `amount` appears twice (first on line 1)"
    assert result.data["amount"] == "100.00"


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    result = parse(bomb)
    assert {p.code for p in result.problems} == {"alias"}
    assert len(result.problems) < 100


def test_merge_key_and_tags_are_refused():
    result = parse("base: {a: 1}\nother:\n  <<: {b: 2}\n")
    assert codes(result) == [(3, "merge-key")]
    result = parse("x: !!python/object:os.system ls\n")
    assert codes(result) == [(1, "tag")]
    assert "tag:yaml.org,2002:python/object:os.system" in result.problems[0].message


def test_empty_file_and_comment_only_file():
    assert codes(parse("")) == [(1, "empty-file")]
    assert codes(parse("# nothing yet\n\n")) == [(1, "empty-file")]


def test_not_a_mapping():
    result = parse("- a\n- b\n")
    assert codes(result) == [(1, "not-mapping")]
    assert result.problems[0].message == "a record is a mapping of keys to values, not a list"
    assert codes(parse("just text\n")) == [(1, "not-mapping")]


def test_not_utf8_names_the_line():
    raw = "id: HS-2026-0001\nname: 张三\n".encode("gbk")
    result = parse(raw)
    assert codes(result) == [(2, "not-utf8")]
    assert "iconv -f GBK" in result.problems[0].hint


def test_not_yaml_names_the_line():
    result = parse("id: HS-2026-0001\nworker:\n  name: [unclosed\n  unit: x\n")
    assert [c for _, c in codes(result)] == ["not-yaml"]
    assert result.problems[0].line is not None and result.problems[0].line >= 3
    result = parse('a: "unterminated\n')
    assert [c for _, c in codes(result)] == ["not-yaml"]


def test_deep_nesting_is_refused_without_recursion_error():
    result = parse("a: " + "[" * 500 + "]" * 500 + "\n")
    assert [c for _, c in codes(result)] in (["too-deep"], ["not-yaml"])


def test_atomic_write_keeps_mode_and_replaces(tmp_path):
    target = tmp_path / "x.yaml"
    atomic.atomic_write(target, "a: 1\n")
    assert target.read_text() == "a: 1\n"
    target.chmod(0o640)
    atomic.atomic_write(target, "a: 2\n")
    assert target.read_text() == "a: 2\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]
