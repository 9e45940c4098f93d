"""Reads of the money of financing lines: what is committed and paid, as sums of the dated rows
(financements.models), never as a status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
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


@dataclass(frozen=True)
class Argent:
    """The money of one line, from its dated rows."""

    engage: Decimal = Decimal("0")
    paye: Decimal = Decimal("0")
    engage_le: Date | None = None
    premier_paiement: Date | None = None
    dernier_paiement: Date | None = None


def par_ligne(lignes: QuerySet) -> dict[int, Argent]:
    """The money of many lines in three GROUP BY queries (no subquery per line): for lists
    and statistics over thousands of lines. Lines without any commitment are absent."""
    ids = lignes.order_by().values("pk")
    engagements = {
        r["ligne_id"]: r
        for r in Engagement.objects.filter(ligne__in=ids)
        .order_by()
        .values("ligne_id")
        .annotate(s=Sum("montant"), le=Min("date"))
    }
    ajustements = dict(
        Ajustement.objects.filter(engagement__ligne__in=ids)
        .order_by()
        .values("engagement__ligne_id")
        .annotate(s=Sum("montant"))
        .values_list("engagement__ligne_id", "s")
    )
    paiements = {
        r["engagement__ligne_id"]: r
        for r in Paiement.objects.filter(engagement__ligne__in=ids)
        .order_by()
        .values("engagement__ligne_id")
        .annotate(s=Sum("montant"), premier=Min("date"), dernier=Max("date"))
    }
    out = {}
    for ligne, e in engagements.items():
        p = paiements.get(ligne, {})
        out[ligne] = Argent(
            engage=e["s"] - (ajustements.get(ligne) or 0),
            paye=p.get("s") or Decimal("0"),
            engage_le=e["le"],
            premier_paiement=p.get("premier"),
            dernier_paiement=p.get("dernier"),
        )
    return out
