"""Every euro of a granted line, step by step: the one module that writes commitments,
payments and adjustments (docs/adr/0012-argent-d-une-ligne.md).

    ligne accordée ─engager→ engagement ─payer→ paiement, paiement…
                                  └─reduire / annuler→ ajustement (what remains unpaid)

Who: the funder of the line, by the right that decides it (comptes.permissions, action
« financer_ligne »). When: the line is granted and its fiche retained, inscribed or carried
out (fiches.enums.FINANCEES). How much: the net
commitment (commitments less adjustments) never exceeds the granted amount, what is paid on a
commitment never exceeds its net amount, a reduction never goes below what was paid. Dates:
never in the future, a commitment not before the funder's decision, a payment or an adjustment
not before its commitment.

Each write locks the fiche, then the line (the order of fiches.cycle.decider_ligne and of the
fiche's edits), then reads the sums: two entries at once cannot both pass a ceiling that only
one of them fits under. A refusal is a French ValidationError (PermissionDenied for the
right) and nothing is written.
"""

from __future__ import annotations

from datetime import date as Date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from comptes.permissions import autoriser, exiger
from fiches.enums import FINANCEES, Etat, StatutLigne
from fiches.models import FicheAction, LigneFinancement
from referentiel import formats, saisie

from .models import Ajustement, Engagement, Paiement

# A granted line: « accordé », its funder's decision (fiches.cycle); what is paid is the sum
# of its payments, not a status.
LIGNES_ACCORDEES = (StatutLigne.ACCORDE,)
ZERO = Decimal("0")
REFUS_DROIT = "Seul le financeur de cette ligne enregistre ses engagements et ses paiements."


class Doublon(ValidationError):
    """The same step is already recorded (same reference): nothing is recorded twice. The API
    answers 409; pages and the import show the message like any refusal."""


def peut_financer(user, ligne: LigneFinancement) -> bool:
    """Whether this person records the money of this line (the pages' links and forms)."""
    return autoriser(user, "financer_ligne", ligne)


def ouverte(ligne: LigneFinancement, etat_fiche: str) -> bool:
    """Whether the line takes commitments and payments now (without asking who)."""
    return ligne.statut in LIGNES_ACCORDEES and etat_fiche in FINANCEES


def _verrouiller(user, ligne_pk: int, fiche_pk: int) -> LigneFinancement:
    """Locks the fiche, then the line, checks the right and the line's state; returns the
    line as it is now."""
    fiche = FicheAction.objects.select_for_update().get(pk=fiche_pk)
    ligne = (
        LigneFinancement.objects.select_for_update()
        .select_related("fiche__territoire", "financeur")
        .filter(pk=ligne_pk, fiche=fiche)
        .first()
    )
    if ligne is None:
        raise ValidationError(
            "Cette ligne de financement n'existe plus : le plan de financement a été modifié "
            "entre-temps."
        )
    exiger(autoriser(user, "financer_ligne", ligne), REFUS_DROIT)
    if ligne.statut not in LIGNES_ACCORDEES:
        raise ValidationError(
            f"La ligne n'est pas accordée (elle est « {StatutLigne(ligne.statut).label} ») : "
            "seul l'argent d'une ligne accordée s'engage et se paie."
        )
    if fiche.etat not in FINANCEES:
        raise ValidationError(
            f"La fiche est « {Etat(fiche.etat).label} » : ses lignes s'engagent et se paient "
            "une fois la fiche retenue, inscrite au contrat ou réalisée."
        )
    return ligne


def _somme(qs) -> Decimal:
    return qs.aggregate(s=Sum("montant"))["s"] or ZERO


def engage_net(ligne: LigneFinancement) -> Decimal:
    """Commitments less their adjustments, on one line (the selectors do it for many)."""
    return _somme(Engagement.objects.filter(ligne=ligne)) - _somme(
        Ajustement.objects.filter(engagement__ligne=ligne)
    )


def _net(engagement: Engagement) -> Decimal:
    return engagement.montant - _somme(engagement.ajustements.all())


def _paye(engagement: Engagement) -> Decimal:
    return _somme(engagement.paiements.all())


def _montant(montant) -> Decimal:
    if montant is None or montant <= 0:
        raise ValidationError({"montant": "Le montant doit être supérieur à zéro."})
    return montant


def _date(date: Date | None, quoi: str) -> Date:
    date = date or timezone.localdate()
    saisie.pas_dans_le_futur(date, quoi)
    return date


def _pas_avant(date: Date, depuis: Date | None, quoi: str, etape: str) -> None:
    if depuis and date < depuis:
        raise ValidationError(
            {"date": f"{quoi} ({date:%d/%m/%Y}) précède {etape} ({depuis:%d/%m/%Y})."}
        )


def _enregistrer(obj):
    # The models' rules (text, bounds, decimals), with their French messages, then the row.
    obj.full_clean(exclude=["ligne", "engagement", "par"])
    obj.save()
    return obj


def _euros(x: Decimal) -> str:
    return formats.euros(x)


@transaction.atomic
def engager(
    *,
    user,
    ligne: LigneFinancement,
    montant: Decimal,
    convention: str,
    date: Date | None = None,
    reference: str = "",
) -> Engagement:
    """The funder's legal commitment on its granted line (a convention; optionally the number
    of the legal commitment in Chorus)."""
    ligne = _verrouiller(user, ligne.pk, ligne.fiche_id)
    montant = _montant(montant)
    date = _date(date, "La date de l'engagement")
    _pas_avant(date, ligne.decide_le, "L'engagement", "la décision du financeur")
    if reference and Engagement.objects.filter(ligne=ligne, reference=reference).exists():
        raise Doublon(f"L'engagement « {reference} » est déjà enregistré sur cette ligne.")
    deja = engage_net(ligne)
    if deja + montant > ligne.montant:
        raise ValidationError(
            {
                "montant": f"L'engagement dépasserait le montant accordé : "
                f"{_euros(ligne.montant)} accordés, {_euros(deja)} déjà engagés, "
                f"{_euros(max(ligne.montant - deja, ZERO))} au plus à engager."
            }
        )
    return _enregistrer(
        Engagement(
            ligne=ligne,
            date=date,
            montant=montant,
            convention=convention,
            reference=reference,
            par=user,
        )
    )


def _engagement(user, engagement: Engagement) -> Engagement:
    """Locks the line of the commitment (fiche, then line), then reads the commitment."""
    fiche_pk = LigneFinancement.objects.values_list("fiche_id", flat=True).get(
        pk=engagement.ligne_id
    )
    _verrouiller(user, engagement.ligne_id, fiche_pk)
    return Engagement.objects.get(pk=engagement.pk)


@transaction.atomic
def payer(
    *,
    user,
    engagement: Engagement,
    montant: Decimal,
    date: Date | None = None,
    reference: str = "",
) -> Paiement:
    """A payment on a commitment: never more than what remains of it."""
    engagement = _engagement(user, engagement)
    montant = _montant(montant)
    date = _date(date, "La date du paiement")
    _pas_avant(date, engagement.date, "Le paiement", "son engagement")
    if reference and engagement.paiements.filter(reference=reference).exists():
        raise Doublon(f"Le paiement « {reference} » est déjà enregistré sur cet engagement.")
    net, paye = _net(engagement), _paye(engagement)
    if paye + montant > net:
        reste = max(net - paye, ZERO)
        raise ValidationError(
            {
                "montant": (
                    f"Le paiement dépasserait l'engagement : {_euros(net)} engagés, "
                    f"{_euros(paye)} déjà payés, {_euros(reste)} au plus à payer."
                    if reste
                    else "Rien ne reste à payer sur cet engagement : il est soldé ou annulé."
                )
            }
        )
    return _enregistrer(
        Paiement(engagement=engagement, date=date, montant=montant, reference=reference, par=user)
    )


def _ajuster(user, engagement, nature: str, montant, date, motif: str) -> Ajustement:
    engagement = _engagement(user, engagement)
    date = _date(date, f"La date de l'{Ajustement.Nature(nature).label.lower()}")
    _pas_avant(date, engagement.date, "L'ajustement", "son engagement")
    net, paye = _net(engagement), _paye(engagement)
    if net <= paye:
        raise ValidationError("Rien ne reste à payer sur cet engagement : il est soldé ou annulé.")
    if nature == Ajustement.Nature.ANNULATION:
        montant = net - paye  # all that is not paid
    montant = _montant(montant)
    if net - montant < paye:
        raise ValidationError(
            {
                "montant": f"La réduction descendrait sous ce qui est déjà payé : "
                f"{_euros(net)} engagés, {_euros(paye)} payés, {_euros(net - paye)} au plus "
                "à retirer."
            }
        )
    return _enregistrer(
        Ajustement(
            engagement=engagement,
            nature=nature,
            date=date,
            montant=montant,
            motif=motif,
            par=user,
        )
    )


@transaction.atomic
def reduire(
    *, user, engagement: Engagement, montant: Decimal, motif: str, date: Date | None = None
) -> Ajustement:
    """Takes `montant` off what remains unpaid of a commitment, for a reason."""
    return _ajuster(user, engagement, Ajustement.Nature.REDUCTION, montant, date, motif)


@transaction.atomic
def annuler(*, user, engagement: Engagement, motif: str, date: Date | None = None) -> Ajustement:
    """Cancels what remains unpaid of a commitment, for a reason: nothing more is paid on it."""
    return _ajuster(user, engagement, Ajustement.Nature.ANNULATION, None, date, motif)
