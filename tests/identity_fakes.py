"""Synthetic identifiers built at test time: right shape and checksum, random digits, never real.

Each builder is deterministic for a seed and completes the check digits with the same published
algorithm the validators use, written here independently so a test can catch a validator bug.
"""

from __future__ import annotations

import datetime as dt
import random


def _rng(kind: str, seed: object) -> random.Random:
    return random.Random(f"leakguard-identity:{kind}:{seed}")


def luhn_complete(body: str) -> str:
    """Append the digit that makes ``body`` pass Luhn."""
    for check in "0123456789":
        candidate = body + check
        total = 0
        for index, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def card(seed: object = 1, prefix: str = "4", length: int = 16) -> str:
    rng = _rng("card", seed)
    while True:
        body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
        number = luhn_complete(body)
        if len(set(number)) > 4:
            return number


def grouped(number: str, sep: str = " ") -> str:
    return sep.join(number[i:i + 4] for i in range(0, len(number), 4))


def ssn(seed: object = 1, sep: str = "-") -> str:
    rng = _rng("ssn", seed)
    area = rng.choice([n for n in range(100, 900) if n != 666])
    return f"{area:03d}{sep}{rng.randint(10, 99):02d}{sep}{rng.randint(1000, 9999):04d}"


def iban(seed: object = 1, country: str = "DE", bban_length: int = 18) -> str:
    """``country`` + check digits + a random BBAN whose bank part spells FAKE where it fits."""
    rng = _rng("iban", seed)
    digits = "".join(rng.choice("0123456789") for _ in range(bban_length))
    bban = digits if country in ("DE", "AT", "BE", "PL") else "FAKE" + digits[4:]
    rearranged = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in rearranged))
    return f"{country}{98 - number % 97:02d}{bban}"


def aba(seed: object = 1) -> str:
    rng = _rng("aba", seed)
    while True:
        prefix = f"{rng.choice(list(range(1, 13)) + list(range(21, 33)) + list(range(61, 73))):02d}"
        body = prefix + "".join(rng.choice("0123456789") for _ in range(6))
        weights = (3, 7, 1, 3, 7, 1, 3, 7)
        partial = sum(int(d) * w for d, w in zip(body, weights, strict=True))
        check = (10 - partial % 10) % 10
        return body + str(check)


def sin(seed: object = 1) -> str:
    rng = _rng("sin", seed)
    return luhn_complete(rng.choice("1234567") + "".join(rng.choice("0123456789") for _ in range(7)))


_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
      [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
      [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def aadhaar(seed: object = 1) -> str:
    rng = _rng("aadhaar", seed)
    body = rng.choice("23456789") + "".join(rng.choice("0123456789") for _ in range(10))
    check = 0
    for index, char in enumerate(reversed(body)):
        check = _D[check][_P[(index + 1) % 8][int(char)]]
    return body + str(_INV[check])


def cpf(seed: object = 1, formatted: bool = True) -> str:
    rng = _rng("cpf", seed)
    digits = [rng.randint(0, 9) for _ in range(9)]
    for weight in (10, 11):
        remainder = sum(d * (weight - i) for i, d in enumerate(digits)) % 11
        digits.append(0 if remainder < 2 else 11 - remainder)
    text = "".join(map(str, digits))
    return f"{text[:3]}.{text[3:6]}.{text[6:9]}-{text[9:]}" if formatted else text


def china_id(seed: object = 1, born: dt.date = dt.date(1984, 7, 9)) -> str:
    rng = _rng("cn", seed)
    body = f"{rng.randint(11, 65)}{rng.randint(1000, 9999)}{born:%Y%m%d}{rng.randint(100, 999)}"
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body))
    check = (12 - total % 11) % 11
    return body + ("X" if check == 10 else str(check))


def nir(seed: object = 1, department: str = "75") -> str:
    rng = _rng("nir", seed)
    body = f"{rng.choice('12')}{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}{department}" \
           f"{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    numeric = body.replace("2A", "19").replace("2B", "18")
    return f"{body}{97 - int(numeric) % 97:02d}"


def dni(seed: object = 1, nie: bool = False) -> str:
    rng = _rng("dni", seed)
    letters = "TRWAGMYFPDXBNJZSQVHLCKE"
    if nie:
        lead = rng.choice("XYZ")
        number = "XYZ".index(lead) * 10_000_000 + rng.randint(1_000_000, 9_999_999)
        return f"{lead}{number % 10_000_000:07d}{letters[number % 23]}"
    number = rng.randint(10_000_000, 99_999_999)
    return f"{number}{letters[number % 23]}"


def nino(seed: object = 1) -> str:
    rng = _rng("nino", seed)
    first = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    second = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    if first + second in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
        first, second = "A", "B"
    return f"{first}{second}{rng.randint(0, 999999):06d}{rng.choice('ABCD')}"


def phone(seed: object = 1) -> str:
    """A German mobile number in international form (+49 15x ...), random subscriber digits."""
    rng = _rng("phone", seed)
    return f"+49 15{rng.randint(1, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
