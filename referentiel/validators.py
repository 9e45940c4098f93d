"""Checks of official identifiers, shared by the snapshot builder and the importers.

No Django import here: the snapshot builder runs without settings.
"""

import re

_SIREN = re.compile(r"\d{9}")
_INSEE_COMMUNE = re.compile(r"\d{5}|2[AB]\d{3}")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def is_valid_siren(value: object) -> bool:
    """9 digits passing the Luhn checksum."""
    return isinstance(value, str) and bool(_SIREN.fullmatch(value)) and luhn_ok(value)


def is_valid_insee_commune(value: object) -> bool:
    """5 digits, or 2A/2B and 3 digits for Corsica."""
    return isinstance(value, str) and _INSEE_COMMUNE.fullmatch(value) is not None
