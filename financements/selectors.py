"""Reads of the money of financing lines: what is committed and paid, as sums of the dated rows
(financements.models), never as a status."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, Max, Min, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import Ajustement, Engagement, Paiement

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _par_ligne(qs, chemin: str, expression):
    """One value per line, as a correlated subquery (`chemin`: the path to the line)."""
    return Subquery(
        qs.filter(**{chemin: OuterRef("pk")})
        .order_by()
        .values(chemin)
        .annotate(v=expression)
        .values("v")[:1]
    )


def annoter(lignes: QuerySet) -> QuerySet:
    """Financing lines with their money: `engage` (commitments less their reductions and
    cancellations), `paye` (sum of the payments), `engage_le` (first commitment's date),
    `premier_paiement` and `dernier_paiement` (dates), None where there is none."""
    somme = DecimalField(max_digits=14, decimal_places=2)
    engagements = _par_ligne(Engagement.objects, "ligne", Sum("montant"))
    ajustements = _par_ligne(Ajustement.objects, "engagement__ligne", Sum("montant"))
    paiements = Paiement.objects
    return lignes.annotate(
        engage=Coalesce(engagements, ZERO, output_field=somme)
        - Coalesce(ajustements, ZERO, output_field=somme),
        paye=Coalesce(
            _par_ligne(paiements, "engagement__ligne", Sum("montant")), ZERO, output_field=somme
        ),
        engage_le=_par_ligne(Engagement.objects, "ligne", Min("date")),
        premier_paiement=_par_ligne(paiements, "engagement__ligne", Min("date")),
        dernier_paiement=_par_ligne(paiements, "engagement__ligne", Max("date")),
    )
