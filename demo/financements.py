"""Demo money: the commitments and payments of the demo's granted lines (phases 1 and 2), on
fixed dates, each entered by the persona who speaks for the line's funder, through
financements.cycle like any entry.

Some lines are paid in full as their fiche's story unfolds (`solder`, called by the phase 1
and phase 2 scenarios: a first half, then the balance on the day the story pays it). The other
granted lines, in turn: left waiting for their commitment; committed,
waiting for a payment; committed and partly paid; committed and paid in two instalments (on a
realised fiche, what remains is then cancelled). The work queues thus have something waiting:
commitments to record, payments to record.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from comptes.models import Utilisateur
from fiches.enums import Etat
from fiches.models import LigneFinancement
from financements import cycle
from financements.models import Engagement

# No demo step after the demo's last day (its meetings and decisions stop in November 2026).
DERNIER_JOUR = date(2026, 11, 30)
CENTIME = Decimal("0.01")
# The commitments of the lines the scenarios pay in full (`solder`), told apart from those
# `charger` records.
SOLDE = "EJ-DEMO-SOLDE-"


def solder(ligne: LigneFinancement, qui, le: date) -> int:
    """A granted line committed and paid in full, its balance paid on `le` (a scenario's
    step); returns the number of payments recorded."""
    ref = f"{ligne.fiche.reference}-{ligne.pk}"
    debut = min(ligne.decide_le + timedelta(days=30), le)
    e = _engager(ligne, qui, debut, ref, prefixe=SOLDE)
    if e is None:
        return 0
    moitie = (ligne.montant / 2).quantize(CENTIME)
    n = _payer(e, qui, moitie, debut + (le - debut) / 2, f"{ref}-P1")
    return n + _payer(e, qui, ligne.montant - moitie, le, f"{ref}-P2")


def charger() -> list[str]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    deja = Engagement.objects.filter(ligne__fiche__demo=True).exclude(reference__startswith=SOLDE)
    if deja.exists():
        return ["Engagements et paiements de démonstration déjà présents."]
    personas = list(Utilisateur.objects.filter(email__endswith="@demo.ti").order_by("email"))
    lignes = (
        LigneFinancement.objects.filter(fiche__demo=True, statut__in=cycle.LIGNES_ACCORDEES)
        .select_related("fiche__territoire", "financeur")
        .order_by("fiche__territoire__phase_id", "fiche__territoire__code", "fiche__numero", "pk")
    )
    soldees = set(
        Engagement.objects.filter(reference__startswith=SOLDE).values_list("ligne", flat=True)
    )
    engagements = paiements = 0
    rang: dict[int, int] = {}
    for ligne in lignes:
        if not cycle.ouverte(ligne, ligne.fiche.etat):
            continue
        if ligne.pk in soldees:  # paid in full by its scenario
            rang[ligne.fiche_id] = rang.get(ligne.fiche_id, -1) + 1
            continue
        qui = next((u for u in personas if cycle.peut_financer(u, ligne)), None)
        if qui is None:
            continue  # no demo account speaks for this funder
        i = rang[ligne.fiche_id] = rang.get(ligne.fiche_id, -1) + 1
        e, n = _argent(ligne, qui, (ligne.fiche.numero + i) % 4, i)
        engagements += e
        paiements += n
    return [f"Démo : {engagements} engagements et {paiements} paiements des lignes accordées."]


def _argent(ligne: LigneFinancement, qui, cas: int, i: int) -> tuple[int, int]:
    """One line's money; returns the numbers of commitments and payments recorded."""
    ref = f"{ligne.fiche.reference}-{i + 1}"
    if cas == 0:
        return 0, 0  # waiting for its commitment
    e = _engager(ligne, qui, ligne.decide_le + timedelta(days=45), ref)
    if e is None or cas == 1:
        return int(e is not None), 0  # waiting for a payment
    part = Decimal("0.3") if cas == 2 else Decimal("0.4")
    premier = (ligne.montant * part).quantize(CENTIME)
    n = _payer(e, qui, premier, e.date + timedelta(days=60), f"{ref}-P1")
    if cas == 3 and n:
        n += _payer(e, qui, premier, e.date + timedelta(days=240), f"{ref}-P2")
        if ligne.fiche.etat == Etat.REALISEE and e.date + timedelta(days=300) <= DERNIER_JOUR:
            cycle.annuler(
                user=qui,
                engagement=e,
                date=e.date + timedelta(days=300),
                motif="[Démo] Dépenses réalisées inférieures au budget prévisionnel.",
            )
    return 1, n


def _engager(ligne, qui, jour: date, ref: str, *, prefixe="EJ-DEMO-") -> Engagement | None:
    if jour > DERNIER_JOUR:
        return None
    return cycle.engager(
        user=qui,
        ligne=ligne,
        montant=ligne.montant,
        convention=f"[Démo] Convention de financement {ref}",
        reference=f"{prefixe}{ref}",
        date=jour,
    )


def _payer(e: Engagement, qui, montant: Decimal, jour: date, ref: str) -> int:
    if jour > DERNIER_JOUR:
        return 0
    cycle.payer(user=qui, engagement=e, montant=montant, date=jour, reference=ref)
    return 1
