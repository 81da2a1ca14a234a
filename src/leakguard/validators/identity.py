"""Validators for personal, payment and bank identifiers (national ids, IBAN, routing numbers)."""

from __future__ import annotations

from leakguard.validators.registry import validator


@validator("iban_mod97")
def iban_mod97(value: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    compact = "".join(value.split()).upper()
    if len(compact) < 15 or len(compact) > 34 or not compact[:2].isalpha():
        return False
    rearranged = compact[4:] + compact[:4]
    if not rearranged.isalnum():
        return False
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1
