"""Plain columns for long lists (`review list`, `advise --all`): aligned by display width,
text from the records shown as written, never acted on."""

from __future__ import annotations

from hardship_cli.cli.console import columns, display_width


def test_han_characters_take_two_columns_and_the_last_column_is_not_padded():
    lines = columns(
        ("档案", "姓名", "天数", "备注"),
        [("HS-1", "王芳", "7", "长备注"), ("HS-22", "Li", "123", "")],
        right=frozenset({2}),
    )
    assert lines == [
        "档案   姓名  天数  备注",
        "HS-1   王芳     7  长备注",
        "HS-22  Li     123",
    ]


def test_widths():
    assert display_width("abc") == 3
    assert display_width("王芳") == 4
    assert display_width("ＡＢ") == 4  # full-width letters
    assert display_width("e\u0301") == 1  # a combining accent takes no column


def test_a_control_character_in_a_cell_is_written_out_not_sent():
    lines = columns(("a", "b"), [("\x1b[2J", "x\x07")])
    assert "\x1b" not in "".join(lines) and "\x07" not in "".join(lines)
    assert lines[1] == "\\x1b[2J  x\\x07"


def test_due_writes_out_a_control_character_in_what_it_lists(monkeypatch):
    """A record with a control character is refused when loaded; should one reach `due`
    all the same (a name, a note), it is written out, never sent to the terminal."""
    from datetime import date

    from hardship_cli.casework import agenda
    from hardship_cli.domain.model import Occasion
    from tests.clirun import hardship
    from tests.conftest import DEMO

    odd = agenda.Item("HS-2026-0001", None, "note\x1b]0;title\x07", name="胡树林\x1b[2J")
    found = agenda.Due(
        date(2026, 11, 29),
        reviews=[odd],
        follow_ups=[],
        unchanged=[],
        never_helped=[],
        occasion=Occasion.spring_festival,
        on=date(2026, 11, 29),
        visit_first=[odd],
        visited=[agenda.Item("HS\x1b[31m", None, "")],
    )
    monkeypatch.setattr(agenda, "due", lambda *args, **kwargs: found)
    result = hardship("--root", DEMO, "due", "--occasion", "spring_festival")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "胡树林\\x1b[2J" in result.out and "note\\x1b]0;title\\x07" in result.out
    assert "HS\\x1b[31m" in result.out
