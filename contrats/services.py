"""Writes of the drafts: protocol, contract, avenant, their signatories, the protocol's annex.

Keyword-only functions that check rights (contrats.permissions) and refuse with a French
message. Validation, signatures and the inscription of fiches are contrats.cycle's.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from comptes.permissions import exiger
from fiches.enums import Etat
from fiches.models import FicheAction
from referentiel.models import EPCI
from territoires.selectors import vue_territoire

from .enums import NatureSignataire
from .models import AnnexeProtocole, Avenant, Contrat, ModificationFiche, Protocole, Signataire
from .permissions import peut_rediger

CHAMPS_PROTOCOLE = Protocole.CANEVAS
CHAMPS_CONTRAT = ("annee_debut", "annee_fin", *Contrat.CANEVAS)
CHAMPS_AVENANT = Avenant.CANEVAS

SANS_MONTANT = (
    "Un protocole d'accord n'engage pas financièrement (FAQ §4.5) : les fiches annexées ne "
    "portent aucune mention financière."
)
# A protocol's annex shows the fiches presented to the local project committee (FAQ §4.5).
HORS_PROTOCOLE = (Etat.BROUILLON, Etat.NON_RETENUE)
# « 150 000 € », « 2 M€ », « 40 k€ », « 30000 euros », « 12 EUR »: a financial mention.
MONTANT = re.compile(r"€|\d[\d\s\u202f.,]*\s*(k|M|Md)?\s*(euros?|EUR)\b", re.IGNORECASE)


def montants_de_la_fiche(fiche: FicheAction) -> list[str]:
    """What in the fiche's financing plan is an amount, in words; empty when it has none.
    A protocol annexes only fiches without any (FAQ §4.5): its annex says nothing of money."""
    out = []
    if fiche.cout_total:
        out.append("un coût total")
    n = fiche.lignes.filter(montant__gt=0).count()
    if n:
        out.append(f"{n} ligne{'s' if n > 1 else ''} de financement chiffrée{'s' if n > 1 else ''}")
    return out


def refus_montants(fiche: FicheAction) -> str | None:
    """The refusal of annexing this fiche to a protocol, or None: the one message pages and
    API show."""
    montants = montants_de_la_fiche(fiche)
    if not montants:
        return None
    return (
        f"{SANS_MONTANT} La fiche {fiche.reference} a un plan de financement chiffré "
        f"({' et '.join(montants)}) : elle ne peut pas être annexée au protocole ; elle "
        "entrera au contrat, une fois retenue."
    )


def _rediger(user, territoire) -> None:
    exiger(
        peut_rediger(user, territoire),
        "Seule l'équipe du territoire rédige ses projets de documents.",
    )


def _en_projet(document) -> None:
    """A validated (or signed) document is no longer edited: an avenant changes it."""
    if document.brouillon:
        return
    if isinstance(document, Protocole):
        raise ValidationError("Le protocole est signé : il ne se modifie plus.")
    else:
        raise ValidationError(
            f"{document.titre} est {document.get_etat_display().lower()} : il ne se modifie "
            "plus ; un avenant peut le compléter."
        )


def _epcis_du_territoire(territoire) -> dict[str, EPCI]:
    vue = vue_territoire(territoire)
    sirens = {e.siren for e in vue.epcis} if vue else set()
    return {e.siren: e for e in EPCI.objects.filter(siren__in=sirens)}


def epcis_couverts(contrat: Contrat) -> set[str]:
    """EPCIs covered: by the contract and by its signed avenants (FAQ §4.2, §6.3)."""
    couverts = set(contrat.epcis.values_list("siren", flat=True))
    couverts |= set(
        Avenant.epcis.through.objects.filter(
            avenant__contrat=contrat, avenant__date_signature__isnull=False
        ).values_list("epci_id", flat=True)
    )
    return couverts


# --- Protocol --------------------------------------------------------------------------------


@transaction.atomic
def creer_protocole(*, user, territoire, donnees: dict, demo: bool = False) -> Protocole:
    _rediger(user, territoire)
    if Protocole.objects.filter(territoire=territoire).exists():
        raise ValidationError("Ce territoire a déjà un protocole d'accord.")
    return Protocole.objects.create(
        territoire=territoire, demo=demo, **{k: donnees.get(k, "") for k in CHAMPS_PROTOCOLE}
    )


@transaction.atomic
def annexer_au_protocole(
    *, user, protocole: Protocole, fiche: FicheAction, resume: str = "", lignes=None
) -> AnnexeProtocole:
    """A first fiche in annex of the protocol: never with money (FAQ §4.5)."""
    protocole = Protocole.objects.select_for_update().get(pk=protocole.pk)
    _rediger(user, protocole.territoire)
    _en_projet(protocole)
    if lignes:
        raise ValidationError(f"{SANS_MONTANT} Retirez les lignes de financement.")
    if MONTANT.search(resume or ""):
        raise ValidationError(f"{SANS_MONTANT} Retirez le montant du résumé.")
    fiche = FicheAction.objects.select_related("territoire").get(pk=fiche.pk)
    if fiche.territoire_id != protocole.territoire_id:
        raise ValidationError("Cette fiche n'est pas une fiche du territoire.")
    if refus := refus_montants(fiche):
        raise ValidationError(refus)
    if fiche.etat in HORS_PROTOCOLE:
        raise ValidationError(
            f"La fiche {fiche.reference} est « {Etat(fiche.etat).label} » : seules les fiches "
            "présentées au comité de projet local figurent en annexe du protocole."
        )
    annexe, _ = AnnexeProtocole.objects.update_or_create(
        protocole=protocole, fiche=fiche, defaults={"resume": resume}
    )
    return annexe


# --- Contract and avenants -------------------------------------------------------------------


def _verifier_epcis(territoire, epcis, *, deja: set[str] = frozenset()) -> list[EPCI]:
    possibles = _epcis_du_territoire(territoire)
    out = []
    for e in epcis:
        siren = getattr(e, "siren", e)
        if siren not in possibles:
            raise ValidationError(f"L'intercommunalité {siren} ne fait pas partie du territoire.")
        if siren in deja:
            raise ValidationError(f"{possibles[siren].nom} est déjà couverte par le contrat.")
        out.append(possibles[siren])
    return out


@transaction.atomic
def creer_contrat(*, user, territoire, donnees: dict, epcis, demo: bool = False) -> Contrat:
    """Contracting may start with some EPCIs only (FAQ §4.2, §6.3): at least one."""
    _rediger(user, territoire)
    if Contrat.objects.filter(territoire=territoire).exists():
        raise ValidationError("Ce territoire a déjà un contrat : complétez-le par avenant.")
    epcis = _verifier_epcis(territoire, epcis)
    if not epcis:
        raise ValidationError("Le contrat couvre au moins une intercommunalité du territoire.")
    contrat = Contrat(territoire=territoire, demo=demo)
    for k in CHAMPS_CONTRAT:
        if k in donnees:
            setattr(contrat, k, donnees[k])
    _periode(contrat)
    contrat.save()
    contrat.epcis.set(epcis)
    return contrat


def _periode(contrat: Contrat) -> None:
    if contrat.annee_fin < contrat.annee_debut:
        raise ValidationError("La période du contrat finit avant de commencer.")


@transaction.atomic
def modifier(*, user, document, donnees: dict, epcis=None):
    """Edits the canvas of a draft (protocol, contract, avenant)."""
    document = type(document).objects.select_for_update().get(pk=document.pk)
    _rediger(user, document.le_territoire)
    _en_projet(document)
    champs = {Protocole: CHAMPS_PROTOCOLE, Contrat: CHAMPS_CONTRAT, Avenant: CHAMPS_AVENANT}[
        type(document)
    ]
    for k in champs:
        if k in donnees:
            setattr(document, k, donnees[k])
    if isinstance(document, Contrat):
        _periode(document)
    document.save()
    if epcis is not None and isinstance(document, Contrat):
        epcis = _verifier_epcis(document.territoire, epcis)
        if not epcis:
            raise ValidationError("Le contrat couvre au moins une intercommunalité du territoire.")
        document.epcis.set(epcis)
    if epcis is not None and isinstance(document, Avenant):
        document.epcis.set(
            _verifier_epcis(
                document.contrat.territoire, epcis, deja=epcis_couverts(document.contrat)
            )
        )
    return document


@transaction.atomic
def creer_avenant(
    *, user, contrat: Contrat, objet: str = "", epcis=(), demo: bool = False
) -> Avenant:
    """An avenant completes a signed contract: new fiches, new EPCIs (FAQ §4.2, §4.6)."""
    _rediger(user, contrat.territoire)
    contrat = Contrat.objects.select_for_update().get(pk=contrat.pk)
    if not contrat.date_signature:
        raise ValidationError("Un avenant complète un contrat signé : signez d'abord le contrat.")
    if contrat.avenants.filter(date_signature__isnull=True).exists():
        raise ValidationError("Un avenant est déjà en préparation : terminez-le d'abord.")
    epcis = _verifier_epcis(contrat.territoire, epcis, deja=epcis_couverts(contrat))
    numero = (contrat.avenants.order_by("-numero").values_list("numero", flat=True).first()) or 0
    avenant = Avenant.objects.create(contrat=contrat, numero=numero + 1, objet=objet, demo=demo)
    avenant.epcis.set(epcis)
    return avenant


@transaction.atomic
def modifier_fiche_par_avenant(
    *, user, avenant: Avenant, fiche: FicheAction, objet: str
) -> ModificationFiche:
    avenant = Avenant.objects.select_for_update().get(pk=avenant.pk)
    _rediger(user, avenant.contrat.territoire)
    _en_projet(avenant)
    fiche = FicheAction.objects.get(pk=fiche.pk)
    deja_inscrite = avenant.contrat.annexes.filter(fiche=fiche).exclude(avenant=avenant)
    if not deja_inscrite.exists() or not fiche.inscrite:
        raise ValidationError("Un avenant ne modifie qu'une fiche déjà inscrite au contrat.")
    if not objet.strip():
        raise ValidationError("Dites ce que l'avenant modifie dans la fiche.")
    m, _ = ModificationFiche.objects.update_or_create(
        avenant=avenant, fiche=fiche, defaults={"objet": objet}
    )
    return m


# --- Signatories -----------------------------------------------------------------------------


@transaction.atomic
def ajouter_signataire(
    *,
    user,
    document,
    nature: str,
    nom: str,
    qualite: str,
    organisation=None,
    region=None,
    epci=None,
    motif_ministre: str = "",
) -> Signataire:
    """A signatory of a draft; for the State, the préfet, or exceptionally a minister with
    the reason why (FAQ §4.3)."""
    document = type(document).objects.select_for_update().get(pk=document.pk)
    _rediger(user, document.le_territoire)
    _en_projet(document)
    s = Signataire(
        nature=nature,
        nom=nom,
        qualite=qualite,
        organisation=organisation,
        region=region,
        epci=epci,
        motif_ministre=(motif_ministre or "").strip()
        if nature == NatureSignataire.MINISTRE
        else "",
        **{type(document).__name__.lower(): document},
    )
    if nature not in NatureSignataire.values:
        raise ValidationError("Nature de signataire inconnue.")
    if not nom.strip() or not qualite.strip():
        raise ValidationError("Le nom et la qualité du signataire sont obligatoires.")
    s.clean()
    s.save()
    return s
