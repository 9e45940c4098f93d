"""Checks of official identifiers, shared by the snapshot builder and the importers."""

import re

INSEE_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def is_valid_siren(value: str) -> bool:
    """A SIREN is 9 digits with a Luhn checksum."""
    if not (isinstance(value, str) and len(value) == 9 and value.isdigit()):
        return False
    total = 0
    for i, ch in enumerate(reversed(value)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def is_valid_insee_commune(value: str) -> bool:
    return isinstance(value, str) and bool(INSEE_COMMUNE.match(value))
