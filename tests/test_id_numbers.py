"""ID numbers check themselves (GB 11643): the check digit, the birth date in digits 7-14
and the sex in digit 17, for the worker and members; each a problem with the field and
the record named, the number never echoed."""

from __future__ import annotations

import pytest

from hardship_cli.domain.idcard import birth_date_of, check_character, check_digit_ok, sex_of
from hardship_cli.load import store
from hardship_cli.rules import id_numbers
from tests.checking import TODAY
from tests.clirun import hardship
from tests.rootkit import Root

CASE = "cases/HS-2026-0001.yaml"
GOOD = "999101196804121235"  # the test root's worker: born 1968-04-12, male


def problems(root: Root) -> list[tuple[int | None, str, str, str]]:
    records = store.load(root.path)
    assert records.problems == [], records.problems
    assert records.config is not None
    return [
        (p.line, p.code, p.message, p.hint)
        for p in id_numbers.id_numbers_check_themselves(records, records.config, TODAY)
    ]


def test_the_check_digit_of_the_standard_s_example() -> None:
    # GB 11643-1999's own example: 11010519491231002X.
    assert check_character("11010519491231002") == "X"
    assert check_digit_ok("11010519491231002X")
    assert not check_digit_ok("11010519491231003X")
    assert birth_date_of("11010519491231002X").isoformat() == "1949-12-31"  # type: ignore[union-attr]
    assert sex_of("11010519491231002X") == "female"


def test_the_test_root_passes(root: Root) -> None:
    assert problems(root) == []


def test_a_mistyped_digit_fails_the_check_digit(root: Root) -> None:
    root.replace(CASE, GOOD, "999101196804211235")  # two digits swapped
    assert problems(root) == [(
        13,
        "id-check-digit",
        "HS-2026-0001: the worker's ID number fails its check digit (the 18th character)",
        "a digit was mistyped: compare the number with the ID card, digit by digit",
    )]


def _with_check(first17: str) -> str:
    return first17 + check_character(first17)


def test_a_birth_date_that_is_no_day(root: Root) -> None:
    root.replace(CASE, GOOD, _with_check("99910119680231123"))  # 31 February
    assert problems(root) == [(
        13,
        "id-birth-date",
        "HS-2026-0001: the worker's ID number holds no real birth date (digits 7 to 14)",
        "digits 7 to 14 are the birth date, YYYYMMDD: check them against the ID card",
    )]


def test_a_birth_date_other_than_the_record_s(root: Root) -> None:
    root.replace(CASE, GOOD, _with_check("99910119680413123"))
    found = problems(root)
    assert found == [(
        13,
        "id-birth-date",
        "HS-2026-0001: the birth date in the worker's ID number (digits 7 to 14) is not "
        "birth_date 1968-04-12",
        "the ID number and birth_date name different days: check both against the ID card",
    )]
    # The other way round: the record's birth_date changed, the number kept.
    root.replace(CASE, _with_check("99910119680413123"), GOOD)
    root.replace(CASE, "birth_date: 1968-04-12", "birth_date: 1968-04-21")
    assert [p[1] for p in problems(root)] == ["id-birth-date"]


def test_a_sex_digit_other_than_the_record_s(root: Root) -> None:
    root.replace(CASE, "sex: male", "sex: female")
    assert problems(root) == [(
        13,
        "id-sex",
        "HS-2026-0001: the sex digit of the worker's ID number (digit 17) says male, but "
        "sex is female",
        "digit 17 is odd for a man and even for a woman: check the number and sex",
    )]
    # The other way round: a woman's number on a man's record.
    root.replace(CASE, "sex: female", "sex: male")
    root.replace(CASE, GOOD, _with_check("99910119680412122"))
    assert [p[1] for p in problems(root)] == ["id-sex"]


def test_a_member_s_number_is_checked_too(root: Root) -> None:
    root.replace(CASE, "    relation: spouse\n",
                 "    relation: spouse\n    birth_date: 1970-01-01\n"
                 f"    id_number: \"{_with_check('99910119700102002')}\"\n")
    found = problems(root)
    assert [(code, message) for _line, code, message, _hint in found] == [(
        "id-birth-date",
        "HS-2026-0001: the birth date in member 1's (王秀英) ID number (digits 7 to 14) is not "
        "birth_date 1970-01-01",
    )]


@pytest.mark.parametrize("bad", ["999101196804211235", "999101196804131235"])
def test_validate_never_echoes_the_number(root: Root, bad: str) -> None:
    root.replace(CASE, GOOD, bad)
    result = hardship("--root", root.path, "--no-cache", "validate", "--today", "2026-11-29")
    assert result.code == 1
    assert "cases/HS-2026-0001.yaml:13: id-" in result.out
    assert bad not in result.out + result.err
    assert bad[6:14] not in result.out + result.err


def test_in_chinese(root: Root) -> None:
    root.replace(CASE, "sex: male", "sex: female")
    result = hardship("--lang", "zh", "--root", root.path, "--no-cache", "validate",
                      "--today", "2026-11-29")
    assert result.code == 1
    assert ("HS-2026-0001：职工身份证号的性别位（第17位）表示男，但性别填写为女" in result.out)


def test_import_refuses_a_row_whose_number_fails(root: Root, tmp_path) -> None:
    sheet = tmp_path / "cases.csv"
    done = hardship("--root", root.path, "export", "cases", "-o", sheet, "--full",
                    "--today", "2026-11-29")
    assert done.code == 0, done.err
    sheet.write_text(sheet.read_text(encoding="utf-8-sig").replace(GOOD, "999101196804211235"),
                     encoding="utf-8")
    result = hardship("--root", root.path, "import", "cases", sheet, "--as", "李明", "--dry-run")
    assert ("refused HS-2026-0001: 身份证号: the worker's ID number fails its check digit "
            "(the 18th character)") in result.out + result.err
    assert "999101196804211235" not in result.out + result.err
    zh = hardship("--lang", "zh", "--root", root.path, "import", "cases", sheet, "--as", "李明",
                  "--dry-run")
    assert "拒绝导入 HS-2026-0001：身份证号：职工身份证号的校验码（第18位）不符" in zh.out + zh.err
