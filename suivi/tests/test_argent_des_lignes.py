"""The money of a line from its dated rows (financements.selectors), both ways: a queryset
annotation and a dict for many lines; they agree."""

from datetime import date
from decimal import Decimal as D

import pytest

from fiches.models import LigneFinancement
from financements.selectors import annoter, par

from .programme import construire

pytestmark = pytest.mark.django_db


def test_engage_paye_et_dates_de_chaque_ligne():
    w = construire()
    lignes = LigneFinancement.objects.filter(fiche__in=[w["a"], w["b"], w["c"]])
    vus = {
        (li.fiche_id, li.financeur_id): (
            li.engage,
            li.paye,
            li.engage_le,
            li.premier_paiement,
            li.dernier_paiement,
        )
        for li in annoter(lignes)
    }
    a = (w["a"].pk, w["bpi"].pk)
    c = (w["c"].pk, w["bpi"].pk)
    assert vus[a] == (
        D("100000"),
        D("100000"),
        date(2025, 4, 9),
        date(2025, 5, 9),
        date(2025, 7, 8),
    )
    assert vus[c] == (D("25000"), D("10000"), date(2025, 1, 13), date(2025, 2, 2), date(2025, 2, 2))
    assert vus[(w["b"].pk, w["bdt"].pk)] == (D("0"), D("0"), None, None, None)
    argent = par(lignes, "pk")
    for li in annoter(lignes):
        if li.engage_le:
            x = argent[li.pk]
            assert (x.engage, x.paye, x.engage_le, x.premier_paiement, x.dernier_paiement) == (
                li.engage,
                li.paye,
                li.engage_le,
                li.premier_paiement,
                li.dernier_paiement,
            )
        else:
            assert li.pk not in argent or argent[li.pk].engage_le is None
