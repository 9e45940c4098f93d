"""The lifecycle of a contract and of its avenants (FAQ §4.2, §4.3, §4.6): the one module that
validates, signs and inscribes.

    projet ─annexer (fiches « retenues » only)→ projet
    projet ─valider (COPIL régional, or the Région's and the parties' agreement without a
             meeting: a Decision that says which)→ validé
    validé ─signer (each signatory, dated)→ … → signé when every signatory has signed:
             the annexed fiches become « inscrites » through fiches.cycle, on that decision;
             in phase 2 the local project committee continues as the comité de suivi.

A protocol (FAQ §4.5) needs no validation and inscribes nothing: it is signed when all its
(free) signatories have signed.

Each validation and each signature is recorded in the document's history
(contrats.TransitionContrat: who, when, from which state to which, on which decision), here
only, in the transaction of the move.
"""

from __future__ import annotations

from datetime import date as Date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fiches import cycle as cycle_fiches
from fiches.enums import Etat
from fiches.models import FicheAction
from gouvernance import services as gouvernance
from gouvernance.enums import ObjetDecision
from gouvernance.models import DecisionReunion
from gouvernance.selectors import decisions_de_contrat
from referentiel import saisie
from referentiel.models import Region
from territoires.models import Decision, Instance
from territoires.selectors import regions_du_territoire

from . import accords as accords_
from . import services
from .enums import NATURES_ETAT, ActionDocument, NatureSignataire
from .models import Avenant, Contrat, FicheAnnexee, Protocole, Signataire, TransitionContrat
from .permissions import peut_enregistrer_signature, peut_rediger, peut_valider


def _modele(document) -> type:
    return type(document)


def _noter(document, *, user, action: str, avant: str, date_effet: Date, motif: str = ""):
    """Records the move in the document's history, in the transaction of the move itself."""
    return TransitionContrat.objects.create(
        **{type(document).__name__.lower(): document},
        action=action,
        etat_avant=avant,
        etat_apres=document.etat,
        par=user,
        date_effet=date_effet,
        motif=motif,
        decision=document.validation if action != ActionDocument.SIGNER else None,
    )


# --- Annex -----------------------------------------------------------------------------------


@transaction.atomic
def annexer(*, user, document: Contrat | Avenant, fiche: FicheAction) -> FicheAnnexee:
    """Only a fiche « retenue » by the partners enters the contract or an avenant (§4.6)."""
    document = type(document).objects.select_for_update().get(pk=document.pk)
    contrat = document if isinstance(document, Contrat) else document.contrat
    if not peut_rediger(user, contrat.territoire):
        raise PermissionDenied("Seule l'équipe du territoire prépare le plan d'actions.")
    if not document.brouillon:
        raise ValidationError(
            "Le document est validé : une nouvelle fiche entre au contrat par un avenant."
        )
    fiche = FicheAction.objects.select_for_update().get(pk=fiche.pk)
    if fiche.territoire_id != contrat.territoire_id:
        raise ValidationError("Cette fiche n'est pas une fiche du territoire.")
    if fiche.etat != Etat.RETENUE:
        raise ValidationError(
            f"Seules les fiches retenues entrent au contrat : la fiche {fiche.reference} est "
            f"« {Etat(fiche.etat).label} »."
        )
    if FicheAnnexee.objects.filter(fiche=fiche).exists():
        raise ValidationError(f"La fiche {fiche.reference} est déjà annexée au contrat.")
    return FicheAnnexee.objects.create(
        contrat=contrat,
        avenant=document if isinstance(document, Avenant) else None,
        fiche=fiche,
        par=user,
    )


def fiches_annexables(document):
    """The fiches the team may annex now, for the page's list: to a contract or an avenant,
    the retained fiches not annexed yet (FAQ §4.6); to a protocol, those presented to the local
    committee (FAQ §4.5). `annexer` and `services.annexer_au_protocole` check the same."""
    qs = FicheAction.objects.filter(territoire=document.le_territoire).order_by("numero")
    if isinstance(document, Protocole):
        return qs.exclude(etat__in=services.HORS_PROTOCOLE)
    return qs.filter(etat=Etat.RETENUE, annexe_contrat__isnull=True)


def annexes(document) -> list[FicheAnnexee]:
    qs = FicheAnnexee.objects.select_related("fiche", "fiche__porteur", "fiche__territoire")
    if isinstance(document, Avenant):
        return list(qs.filter(avenant=document))
    return list(qs.filter(contrat=document, avenant__isnull=True))


# --- Signatories the FAQ requires (§4.3) -----------------------------------------------------


def signataires_requis(document) -> list[str]:
    """What is missing among the required signatories, in words; empty when complete.

    A contract: the president of each Région of the territory (several for an
    interregional one), the State, the president of each EPCI it covers. An avenant: the
    Régions, the State and the presidents of the EPCIs it adds. A protocol: free (§4.5).
    """
    if isinstance(document, Protocole):
        return [] if document.signataires.exists() else ["au moins un signataire"]
    contrat = document if isinstance(document, Contrat) else document.contrat
    codes = regions_du_territoire(contrat.territoire)
    signataires = list(document.signataires.all())
    manque = []
    regions = {s.region_id for s in signataires if s.nature == NatureSignataire.PRESIDENT_REGION}
    noms = dict(Region.objects.filter(code__in=codes).values_list("code", "nom"))
    for code in codes:
        if code not in regions:
            manque.append(f"le président de la région {noms.get(code, code)}")
    if not any(s.nature in NATURES_ETAT for s in signataires):
        manque.append("l'État (le préfet ou, exceptionnellement, un ministre)")
    epcis = {s.epci_id for s in signataires if s.nature == NatureSignataire.PRESIDENT_EPCI}
    for e in document.epcis.order_by("nom"):
        if e.siren not in epcis:
            manque.append(f"le président de {e.nom}")
    return manque


# --- Validation (§4.2) -----------------------------------------------------------------------


def _region_du_copil(territoire) -> str | None:
    regions = regions_du_territoire(territoire)
    return regions[0] if regions else None


@transaction.atomic
def valider(
    *,
    user,
    document: Contrat | Avenant,
    date: Date | None = None,
    reunion: bool = True,
    texte: str = "",
    decision: Decision | None = None,
    accords=(),
) -> Decision:
    """The regional COPIL validates; without a meeting, the agreement of the Région and of the
    parties concerned is enough (FAQ §4.2): the Decision records which, and each party's
    agreement is recorded, who gave it and when (contrats.accords)."""
    document = _modele(document).objects.select_for_update().get(pk=document.pk)
    territoire = document.le_territoire
    if not peut_valider(user, territoire):
        raise PermissionDenied(
            "Seuls le référent de l'État et le pilote de la Région valident un contrat."
        )
    date = decision.date if decision is not None else (date or timezone.localdate())
    _verifier_validable(document, date)
    if decision is not None and decision.instance != Instance.COPIL_REGIONAL:
        raise ValidationError("La validation revient au comité de pilotage régional.")
    hors_reunion = sans_reunion(decision) if decision is not None else not reunion
    if hors_reunion:
        retenus = accords_.verifier(document, accords, date)
    elif accords:
        raise ValidationError(
            "Validé en réunion du comité de pilotage régional : les accords des parties ne "
            "s'enregistrent que pour une validation sans réunion (FAQ §4.2)."
        )
    if decision is None:
        decision = _decision_de_validation(
            user=user, document=document, date=date, reunion=reunion, texte=texte
        )
    avant = document.etat
    document.validation = decision
    document.save(update_fields=["validation", "modifie_le"])
    action = ActionDocument.VALIDER
    if hors_reunion:
        accords_.enregistrer(user=user, accords=retenus)
        action = ActionDocument.VALIDER_SANS_REUNION
    _noter(document, user=user, action=action, avant=avant, date_effet=decision.date, motif=texte)
    return decision


def _verifier_validable(document: Contrat | Avenant, date: Date) -> None:
    """A draft, with something to validate and every signatory the FAQ requires (§4.3)."""
    if not document.brouillon:
        raise ValidationError("Ce document est déjà validé.")
    saisie.pas_dans_le_futur(date, "La date de la validation")
    if isinstance(document, Contrat) and not document.annexes.exists():
        raise ValidationError("Le plan d'actions est vide : annexez au moins une fiche retenue.")
    if (
        isinstance(document, Avenant)
        and not document.annexes.exists()
        and not document.modifications.exists()
        and not document.epcis.exists()
    ):
        raise ValidationError("L'avenant n'ajoute ni ne modifie rien.")
    manque = signataires_requis(document)
    if manque:
        raise ValidationError("Signataires manquants (FAQ §4.3) : " + " ; ".join(manque) + ".")


def _decision_de_validation(*, user, document, date: Date, reunion: bool, texte: str) -> Decision:
    """The Decision of a validation recorded here, flagged when taken without a meeting."""
    territoire = document.le_territoire
    maniere = (
        "par le comité de pilotage régional"
        if reunion
        else "par l'accord de la Région et des parties concernées, sans réunion du comité "
        "de pilotage régional"
    )
    decision = Decision.objects.create(
        date=date,
        instance=Instance.COPIL_REGIONAL,
        region_id=_region_du_copil(territoire),
        intitule=f"Validation — {document.titre}"[:300],
        texte=f"Validé {maniere} (FAQ §4.2)." + (f" {texte}" if texte else ""),
        demo=document.demo,
    )
    if not reunion:
        # The governance keeps the flag that says so (gouvernance.DecisionReunion).
        gouvernance.noter_hors_reunion(
            user=user,
            decision=decision,
            territoire=territoire,
            motif=texte or "Accord de la Région et des parties concernées (FAQ §4.2).",
            objet=ObjetDecision.CONTRAT,
        )
    return decision


def decisions_a_rattacher(territoire):
    """The decisions of the governance on this territory's contract that no contract or
    avenant rests on yet: those a document may still be validated on."""
    return (
        decisions_de_contrat(territoire)
        # (without NULLs: NOT IN over a set holding NULL would exclude every row)
        .exclude(decision__in=Contrat.objects.exclude(validation=None).values("validation"))
        .exclude(decision__in=Avenant.objects.exclude(validation=None).values("validation"))
    )


def valider_en_reunion(*, user, document: Contrat | Avenant, lien, accords=()) -> Decision:
    """Validates on the decision the regional COPIL took in a meeting, or recorded without one
    where the FAQ allows it (§4.2): the decision of the governance drives the contract."""
    if lien.objet != ObjetDecision.CONTRAT:
        raise ValidationError("Cette décision ne porte pas sur la validation d'un contrat.")
    if lien.territoire_id != document.le_territoire.pk:
        raise ValidationError("Cette décision porte sur le contrat d'un autre territoire.")
    deja = (
        Contrat.objects.filter(validation=lien.decision).exists()
        or Avenant.objects.filter(validation=lien.decision).exists()
    )
    if deja:
        raise ValidationError("Cette décision a déjà validé un document.")
    return valider(
        user=user,
        document=document,
        date=lien.decision.date,
        decision=lien.decision,
        accords=accords,
    )


def sans_reunion(decision: Decision | None) -> bool:
    """Taken without a meeting of the regional COPIL (FAQ §4.2): the decision's own flag."""
    return bool(
        decision and DecisionReunion.objects.filter(decision=decision, hors_reunion=True).exists()
    )


# --- Signatures (§4.3) -----------------------------------------------------------------------


@transaction.atomic
def signer(*, user, signataire: Signataire, date: Date) -> Signataire:
    """Records one dated signature; the last one makes the document « signé »."""
    signataire = Signataire.objects.select_for_update().get(pk=signataire.pk)
    document = signataire.document
    document = _modele(document).objects.select_for_update().get(pk=document.pk)
    territoire = document.le_territoire
    if not peut_enregistrer_signature(user, territoire):
        raise PermissionDenied(
            "Les signatures sont enregistrées par l'équipe du territoire ou l'État."
        )
    if signataire.signe_le:
        raise ValidationError(f"{signataire.nom} a déjà signé, le {signataire.signe_le:%d/%m/%Y}.")
    if date is None:
        raise ValidationError("Chaque signature est datée.")
    saisie.pas_dans_le_futur(date, "La date de signature")
    if not isinstance(document, Protocole):
        if document.validation_id is None:
            raise ValidationError(
                "Le document n'est pas encore validé par le comité de pilotage régional "
                "(ou par l'accord de la Région et des parties) : il ne se signe pas encore."
            )
        if date < document.validation.date:
            raise ValidationError(
                "La signature ne peut précéder la validation "
                f"({document.validation.date:%d/%m/%Y})."
            )
    if isinstance(document, Avenant) and date < document.contrat.date_signature:
        raise ValidationError("Un avenant ne se signe pas avant le contrat.")
    signataire.signe_le = date
    signataire.signature_par = user
    signataire.save(update_fields=["signe_le", "signature_par"])
    avant = document.etat
    dernier = not document.signataires.filter(signe_le__isnull=True).exists()
    if dernier:
        document.date_signature = max(document.signataires.values_list("signe_le", flat=True))
        document.save(update_fields=["date_signature", "modifie_le"])
    _noter(
        document,
        user=user,
        action=ActionDocument.SIGNER,
        avant=avant,
        date_effet=date,
        motif=f"{signataire.nom}, {signataire.qualite}"[:500],
    )
    if dernier:
        _signe(user=user, document=document)
    return signataire


def _signe(*, user, document) -> None:
    """Signed by all: the contract's committee continues, the annexed fiches are inscribed."""
    if isinstance(document, Protocole):
        return
    if isinstance(document, Contrat):
        # Phase 2: the local project committee continues as the comité de suivi from the day
        # the contract is signed (governance is a floor below: its service renames it).
        gouvernance.continuer_en_comite_de_suivi(
            document.territoire, document.date_signature, demo=document.demo
        )
    # Signed: each annexed fiche is inscribed, on the validation decision, at the date of the
    # last signature (the one module that moves fiches does it: fiches.cycle).
    for annexe in annexes(document):
        cycle_fiches.inscrire_a_la_signature(
            user=user,
            fiche=annexe.fiche,
            date_effet=document.date_signature,
            decision=document.validation,
            motif=f"Inscrite par la signature : {document.titre}."[:500],
        )
