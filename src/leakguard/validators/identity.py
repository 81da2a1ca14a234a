"""Validators for personal, payment and bank identifiers: national ids, cards, IBANs, routing numbers.

Each validator answers "could an issuer have assigned this value?" from the published structure
and checksum; none decides whether the value is sensitive (the rule's level does). Numbers that
are published as examples or test data (advertising SSNs, processors' test cards) are rejected
here or by the ``test_card`` filter, so a rule reports real-looking values only.
"""

from __future__ import annotations

import datetime as _dt

from leakguard.validators.checksums import luhn_ok
from leakguard.validators.identity_tables import (
    CARD_NETWORKS,
    IBAN_LENGTHS,
    PUBLISHED_IBANS,
    PUBLISHED_SSNS,
    TEST_CARDS,
)
from leakguard.validators.registry import false_positive_filter, validator


def digits_of(value: str) -> str:
    """The digits of ``value``, dropping the separators people type (spaces, dashes, dots)."""
    return "".join(ch for ch in value if ch.isdigit())


def _compact(value: str) -> str:
    return "".join(ch for ch in value if ch not in " \t-./").upper()


def _all_same(digits: str) -> bool:
    return len(set(digits)) <= 1


# -- bank and payment -------------------------------------------------------------------------


def iban_ok(value: str) -> bool:
    """ISO 13616: country code, the country's length, then mod 97 of the rearranged number is 1."""
    compact = "".join(value.split()).upper()
    country = compact[:2]
    expected = IBAN_LENGTHS.get(country)
    if expected is None or len(compact) != expected:
        return False
    if not compact[2:4].isdigit() or not compact.isalnum() or not compact.isascii():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


@validator("iban_mod97")
def iban_mod97(value: str) -> bool:
    return iban_ok(value)


@false_positive_filter("example_iban")
def example_iban(value: str) -> bool:
    """IBANs printed in standards, bank documentation and tutorials (GB82 WEST ...)."""
    return "".join(value.split()).upper() in PUBLISHED_IBANS


@validator("aba_routing")
def aba_routing(value: str) -> bool:
    """US ABA routing transit number: a Fed district prefix and the 3-7-1 weighted checksum."""
    digits = digits_of(value)
    if len(digits) != 9 or len(value.strip()) != 9 or _all_same(digits):
        return False
    prefix = int(digits[:2])
    if not (1 <= prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80):
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def card_network(digits: str) -> str | None:
    """The card network whose issuer range and lengths admit ``digits``, or None."""
    for name, ranges, lengths in CARD_NETWORKS:
        if len(digits) not in lengths:
            continue
        for low, high in ranges:
            width = len(str(low))
            prefix = int(digits[:width])
            if low <= prefix <= high:
                return name
    return None


@validator("payment_card")
def payment_card(value: str) -> bool:
    """Luhn, plus an issuer range and a length that network issues (Visa 13/16/19, Amex 15, ...)."""
    digits = digits_of(value)
    return 12 <= len(digits) <= 19 and luhn_ok(digits) and card_network(digits) is not None


@false_positive_filter("test_card")
def test_card(value: str) -> bool:
    """Processors' published test numbers (4111 1111 1111 1111, 4242 ...) and digit runs like them.

    A number made of two or three distinct digits (4000 0000 0000 0002) is what test suites and
    documentation use; no issuer hands such a number to a cardholder often enough to matter.
    """
    digits = digits_of(value)
    return digits in TEST_CARDS or len(set(digits)) <= 3


# -- national identifiers ---------------------------------------------------------------------


@validator("us_ssn")
def us_ssn(value: str) -> bool:
    """SSA rules: area 001-899 but not 666, group 01-99, serial 0001-9999; published ones rejected."""
    digits = digits_of(value)
    if len(digits) != 9:
        return False
    area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    if area == 0 or area == 666 or area >= 900 or group == 0 or serial == 0:
        return False
    if all(_all_same(part) for part in (digits[:3], digits[3:5], digits[5:])):
        return False  # 111-22-3333 and its kin: what people type when they need a fake one
    return digits not in PUBLISHED_SSNS and not _all_same(digits)


_NINO_FIRST_BAD = set("DFIQUV")
_NINO_SECOND_BAD = set("DFIOQUV")
_NINO_PREFIX_BAD = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


@validator("uk_nino")
def uk_nino(value: str) -> bool:
    """UK National Insurance number: two allocated prefix letters, six digits, suffix A-D."""
    compact = _compact(value)
    if len(compact) != 9 or not compact[:2].isalpha() or not compact[2:8].isdigit():
        return False
    first, second, suffix = compact[0], compact[1], compact[8]
    if first in _NINO_FIRST_BAD or second in _NINO_SECOND_BAD or compact[:2] in _NINO_PREFIX_BAD:
        return False
    return suffix in "ABCD"


@validator("ca_sin")
def ca_sin(value: str) -> bool:
    """Canadian Social Insurance Number: nine digits, Luhn, first digit never 0 or 8."""
    digits = digits_of(value)
    return len(digits) == 9 and digits[0] not in "08" and luhn_ok(digits) and not _all_same(digits)


_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6), (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4), (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2), (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_ok(digits: str) -> bool:
    """Verhoeff's dihedral-group checksum (catches every single error and adjacent swap)."""
    if not digits.isdigit():
        return False
    check = 0
    for index, char in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[index % 8][int(char)]]
    return check == 0


@validator("in_aadhaar")
def in_aadhaar(value: str) -> bool:
    """India Aadhaar: twelve digits, first digit 2-9, Verhoeff check digit."""
    digits = digits_of(value)
    return len(digits) == 12 and digits[0] not in "01" and verhoeff_ok(digits) \
        and not _all_same(digits[1:])


def _cpf_digit(digits: str, weight: int) -> int:
    remainder = sum(int(d) * (weight - i) for i, d in enumerate(digits)) % 11
    return 0 if remainder < 2 else 11 - remainder


@validator("br_cpf")
def br_cpf(value: str) -> bool:
    """Brazil CPF: eleven digits ending in two mod-11 check digits; repeated digits are invalid."""
    digits = digits_of(value)
    if len(digits) != 11 or _all_same(digits):
        return False
    first = _cpf_digit(digits[:9], 10)
    second = _cpf_digit(digits[:9] + str(first), 11)
    return digits[9:] == f"{first}{second}"


def _plausible_birth(year: int, month: int, day: int, today: _dt.date | None = None) -> bool:
    today = today or _dt.date.today()
    try:
        born = _dt.date(year, month, day)
    except ValueError:
        return False
    return today.year - 120 <= born.year and born <= today


@validator("cn_resident_id")
def cn_resident_id(value: str) -> bool:
    """China resident identity card (GB 11643): region, birth date, sequence, ISO 7064 MOD 11-2."""
    compact = _compact(value)
    if len(compact) != 18 or not compact[:17].isdigit() or compact[17] not in "0123456789X":
        return False
    if not "11" <= compact[:2] <= "82":
        return False
    if not _plausible_birth(int(compact[6:10]), int(compact[10:12]), int(compact[12:14])):
        return False
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(compact[:17]))
    check = (12 - total % 11) % 11
    return compact[17] == ("X" if check == 10 else str(check))


@validator("fr_nir")
def fr_nir(value: str) -> bool:
    """France NIR (numéro de sécurité sociale): 13 characters and a key of 97 - (number mod 97).

    Corsican departments 2A and 2B count as 19 and 18 in the key, as INSEE specifies.
    """
    compact = _compact(value)
    if len(compact) != 15 or compact[0] not in "12378":
        return False
    body = compact[:13].replace("2A", "19", 1) if compact[5:7] == "2A" else compact[:13]
    body = body.replace("2B", "18", 1) if compact[5:7] == "2B" else body
    if not body.isdigit() or not compact[13:].isdigit():
        return False
    month = int(compact[3:5])
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        return False
    return 97 - int(body) % 97 == int(compact[13:])


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


@validator("es_dni")
def es_dni(value: str) -> bool:
    """Spain DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter): the letter is n mod 23."""
    compact = _compact(value)
    if len(compact) != 9:
        return False
    head = compact[:8]
    if head[0] in "XYZ":
        head = str("XYZ".index(head[0])) + head[1:]
    if not head.isdigit() or _all_same(head):
        return False
    return compact[8] == _DNI_LETTERS[int(head) % 23]
