"""Validators for contact and biographic data: phone numbers and dates of birth.

Both are shapes that code is full of (build numbers, timestamps, version dates), so the checks are
strict: a phone number needs an assigned country code and a plausible length, and a date of birth
must be a real calendar date a living person could have been born on.
"""

from __future__ import annotations

import datetime as _dt
import itertools

from leakguard.lazyregex import lazy_compile
from leakguard.validators.identity_tables import (
    COUNTRY_CODES_1,
    COUNTRY_CODES_2,
    COUNTRY_CODES_3,
    FICTIONAL_PHONE_PREFIXES,
)
from leakguard.validators.registry import validator

#: A person alive today was born at most this many years ago.
MAX_AGE_YEARS = 120


def split_country_code(digits: str) -> tuple[str, str] | None:
    """``4420...`` -> (``44``, ``20...``) using the E.164 code table, or None if unassigned."""
    for width, codes in ((1, COUNTRY_CODES_1), (2, COUNTRY_CODES_2), (3, COUNTRY_CODES_3)):
        if digits[:width] in codes:
            return digits[:width], digits[width:]
    return None


def _nanp_ok(national: str) -> bool:
    """North American numbering: NXX-NXX-XXXX, no N11 service codes, not the 555-01xx drama range."""
    if len(national) != 10 or national[0] in "01" or national[3] in "01":
        return False
    if national[1:3] == "11":
        return False
    return not (national[3:6] == "555" and national[6:8] == "01")


def _fictional(country: str, national: str) -> bool:
    """In a reserved range; a national number without a known country is checked against all."""
    return any(country in (cc, "") and national.startswith(prefix)
               for cc, prefix in FICTIONAL_PHONE_PREFIXES)


def _boring(digits: str) -> bool:
    """All one digit, or a straight run such as 0123456789: test data, not a subscriber."""
    if len(set(digits)) <= 2:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(digits)}
    return steps == {1} or steps == {9}


def phone_parts(value: str) -> tuple[str, str] | None:
    """(country code, national significant number) for an international or national number.

    ``+CC ...`` and ``00CC ...`` are international; ten digits (or eleven starting with 1) read
    as North American; other national numbers need a trunk ``0`` and are filed under country "".
    """
    stripped = value.strip()
    digits = "".join(ch for ch in stripped if ch.isdigit())
    if stripped.startswith("+") or digits.startswith("00"):
        digits = digits[2:] if not stripped.startswith("+") else digits
        parts = split_country_code(digits)
        if parts is None or not 8 <= len(digits) <= 15:
            return None
        return parts
    if len(digits) == 11 and digits[0] == "1":
        return "1", digits[1:]
    if len(digits) == 10 and digits[0] != "0":
        return "1", digits
    if digits.startswith("0") and digits[1:2] != "0" and 9 <= len(digits) <= 12:
        return "", digits[1:]
    return None


@validator("phone_number")
def phone_number(value: str) -> bool:
    """E.164-style check: assigned country code, 8-15 digits, NANP structure, no drama ranges."""
    parts = phone_parts(value)
    if parts is None:
        return False
    country, national = parts
    if _boring(national) or len(national) < 6:
        return False
    if country == "1" and not _nanp_ok(national):
        return False
    return not _fictional(country, national)


_MONTHS = {
    name: number for number, names in enumerate((
        ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
        ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
        ("oct", "october"), ("nov", "november"), ("dec", "december")), 1)
    for name in names
}
_YMD = lazy_compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DMY = lazy_compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_D_MON_Y = lazy_compile(r"^(\d{1,2})(?:st|nd|rd|th)?\.?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$")
_MON_D_Y = lazy_compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


def birth_date(value: str, today: _dt.date | None = None) -> _dt.date | None:
    """The date ``value`` names if a living person could have been born on it, else None.

    ``03/04/1985`` is ambiguous (day-month or month-day); it is accepted when either reading
    is a real date, since both conventions appear in the same exports.
    """
    today = today or _dt.date.today()
    text = value.strip()
    candidates: list[tuple[int, int, int]] = []
    if found := _YMD.match(text):
        candidates.append((int(found[1]), int(found[2]), int(found[3])))
    elif found := _DMY.match(text):
        first, second, year = int(found[1]), int(found[2]), int(found[3])
        candidates += [(year, second, first), (year, first, second)]
    elif found := _D_MON_Y.match(text):
        month = _MONTHS.get(found[2].lower())
        if month:
            candidates.append((int(found[3]), month, int(found[1])))
    elif found := _MON_D_Y.match(text):
        month = _MONTHS.get(found[1].lower())
        if month:
            candidates.append((int(found[3]), month, int(found[2])))
    for year, month, day in candidates:
        try:
            born = _dt.date(year, month, day)
        except ValueError:
            continue
        if today.year - MAX_AGE_YEARS <= born.year and born <= today:
            return born
    return None


@validator("date_of_birth")
def date_of_birth(value: str) -> bool:
    return birth_date(value) is not None
