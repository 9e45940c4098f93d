"""Builders for the money tests: a retained fiche of 8401 whose two lines Bpifrance granted
(one amount secret, one public), with the people of `equipe()`."""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contrats.tests.fabriques import MONTANT_PUBLIC, MONTANT_SECRET, retenue
from fiches.tests.fabriques import equipe, personne

__all__ = ["J", "jour", "accordee", "MONTANT_PUBLIC", "MONTANT_SECRET", "personne", "D", "refuse"]

J = timezone.localdate()
D = Decimal


def jour(n: int):
    """The days of `contrats.tests.fabriques.retenue`: granted on jour(30), retained on
    jour(40), all before today."""
    return J - timedelta(days=200 - n)


def accordee() -> dict:
    """The people, the retained fiche, its secret line and its public line (both granted on
    jour(30) by Bpifrance)."""
    p = equipe()
    f = retenue(p)
    p["fiche"] = f
    p["secrete"] = f.lignes.get(montant=MONTANT_SECRET)
    p["publique"] = f.lignes.get(montant=MONTANT_PUBLIC)
    return p


@contextmanager
def refuse(texte: str, type_=ValidationError):
    """The call is refused with a message holding `texte` (messages as people read them)."""
    with pytest.raises(type_) as exc:
        yield
    messages = exc.value.messages if isinstance(exc.value, ValidationError) else [str(exc.value)]
    assert texte in " ".join(messages), messages
