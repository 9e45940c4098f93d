"""The queue's money: the lines a funder decides, then the commitments and payments it
records on its granted lines (notifications.file). No amount is shown: the queue says what
is to be done, the fiche's page shows the figures to whoever may read them."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Max, OuterRef, Subquery, Sum

from comptes.permissions import QUI_PEUT
from fiches.enums import FINANCEES, Etat, StatutLigne
from fiches.models import LigneFinancement
from fiches.selectors import fiches_visibles
from financements.models import Ajustement, Engagement, Paiement

from .file import Element, Lecteur, Rubrique, intitule_fiche

# Who records a line's commitments and payments: its funder (financements.cycle).
DROIT_FINANCER = "financer_ligne"
# A granted line, of a fiche whose money is committed and paid (fiches.enums.FINANCEES).
LIGNES_ACCORDEES = (StatutLigne.ACCORDE,)
FICHES_FINANCEES = FINANCEES
ZERO = Decimal("0")


def _detail(ligne: LigneFinancement) -> str:
    return ligne.get_section_display() + (f" — {ligne.mesure.nom}" if ligne.mesure_id else "")


def _lignes_du_financeur(lecteur: Lecteur):
    p = lecteur.p
    return (
        LigneFinancement.objects.filter(
            fiche__territoire__phase_id=lecteur.phase.pk,
            financeur_id__in=p.organisations | p.operateurs,
            fiche__in=fiches_visibles(lecteur.user),
        )
        .select_related("fiche__territoire", "financeur", "mesure")
        .order_by("fiche_id", "pk")
    )


def lignes(lecteur: Lecteur):
    """Lines « demandé » of fiches in instruction, that this person decides for their funder
    (comptes.permissions, action « decider_ligne »)."""
    candidates = list(
        _lignes_du_financeur(lecteur).filter(
            statut=StatutLigne.DEMANDE, fiche__etat=Etat.INSTRUCTION
        )
    )
    lecteur.demander_regions(li.fiche.territoire_id for li in candidates)

    def elements() -> list[Element]:
        return [
            Element(
                Rubrique.LIGNES,
                f"Se prononcer sur la ligne de {li.financeur.nom} : accordée ou refusée",
                li.fiche,
                intitule_fiche(li.fiche),
                li.demande_le,
                QUI_PEUT["decider_ligne"],
                _detail(li),
            )
            for li in candidates
            if lecteur.peut("decider_ligne", li.contexte_acces(lecteur.contexte_fiche(li.fiche)))
        ]

    return elements


def _somme(qs, cle: str):
    return Subquery(qs.order_by().values(cle).annotate(s=Sum("montant")).values("s"))


def _dernier(qs, cle: str):
    return Subquery(qs.order_by().values(cle).annotate(d=Max("date")).values("d"))


def argent(lecteur: Lecteur):
    """Granted lines without a commitment, and commitments not fully paid yet. The bearer's
    own share is left out: it is not committed to itself by a convention."""
    engagements = Engagement.objects.filter(ligne=OuterRef("pk"))
    ajustements = Ajustement.objects.filter(engagement__ligne=OuterRef("pk"))
    paiements = Paiement.objects.filter(engagement__ligne=OuterRef("pk"))
    candidates = list(
        _lignes_du_financeur(lecteur)
        .filter(statut__in=LIGNES_ACCORDEES, fiche__etat__in=FICHES_FINANCEES)
        .exclude(financeur=F("fiche__porteur"))
        .annotate(
            engage=_somme(engagements, "ligne"),
            retire=_somme(ajustements, "engagement__ligne"),
            paye=_somme(paiements, "engagement__ligne"),
            engage_le=_dernier(engagements, "ligne"),
            paye_le_=_dernier(paiements, "engagement__ligne"),
        )
    )
    lecteur.demander_regions(li.fiche.territoire_id for li in candidates)

    def elements() -> list[Element]:
        out = []
        for li in candidates:
            ctx = li.contexte_acces(lecteur.contexte_fiche(li.fiche))
            if not lecteur.peut(DROIT_FINANCER, ctx):
                continue
            if li.engage is None:
                quoi, depuis = "Enregistrer l'engagement de la ligne accordée", li.decide_le
            elif (li.paye or ZERO) < li.engage - (li.retire or ZERO):
                quoi = "Enregistrer les paiements : l'engagement n'est pas entièrement payé"
                depuis = max(d for d in (li.engage_le, li.paye_le_) if d)
            else:
                continue
            out.append(
                Element(
                    Rubrique.ARGENT,
                    f"{quoi} ({li.financeur.nom})",
                    li.fiche,
                    intitule_fiche(li.fiche),
                    depuis,
                    QUI_PEUT[DROIT_FINANCER],
                    _detail(li),
                )
            )
        return out

    return elements
