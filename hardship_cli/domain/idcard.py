"""The citizen ID number of GB 11643-1999, read for what it says about its holder.

Eighteen characters: six of the place of registration, eight of the birth date
(YYYYMMDD, digits 7 to 14), three of a sequence whose last (digit 17) is odd for a man and
even for a woman, and a check digit (ISO 7064 MOD 11-2: 0-9 or X). A number that keeps
its shape (17 digits and a digit or X, checked by the model) but fails here was mistyped,
or belongs to someone born on another day or of the other sex than the record says.

Nothing here ever puts the number (or a part of it) into a message: it is sensitive.
"""

from __future__ import annotations

from datetime import date

# The weight of each of the first 17 digits: 2**(17 - i) mod 11.
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
CHECK_CHARACTERS = "10X98765432"


def check_character(first17: str) -> str:
    """The check character of the first 17 digits."""
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def check_digit_ok(number: str) -> bool:
    return len(number) == 18 and number[:17].isdigit() and check_character(number[:17]) == (
        number[17].upper()
    )


def birth_date_of(number: str) -> date | None:
    """The birth date digits 7 to 14 name, or None when they name no real day."""
    digits = number[6:14]
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def sex_of(number: str) -> str | None:
    """`male` or `female`, as digit 17 says (odd or even); None when it is no digit."""
    digit = number[16:17]
    if not digit.isdigit():
        return None
    return "male" if int(digit) % 2 else "female"
