"""The validation path of a fiche-action (FAQ §4.6): the one module that changes its state.

    brouillon ─soumettre→ soumise ─avis_local→ copil ─avis_copil→ instruction
        ↑  « à retravailler » goes back to the bearer  │                  │ decider_ligne (each
        └──────────────────────────────────────────────┘                  │ funder, its lines)
    instruction ─retenir→ retenue ─inscrire→ inscrite ─achever→ realisee
    instruction ─ne_pas_retenir→ non_retenue ; an unfavourable opinion → non_retenue

A fiche is inscribed only by the last signature of the contract or avenant that annexes it
(contrats.cycle calls `inscrire_a_la_signature`): `appliquer`, for pages, the API and
committees, refuses « inscrire » with a French message, and it is never offered.

Each move says who may make it (comptes.permissions.autoriser), from which states, whether it
rests on a decision; it is recorded as a Transition (who, when, why, decision, date of effect)
so that every delay can be measured. An illegal move is refused with a French message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from comptes.permissions import QUI_PEUT, autoriser
from gouvernance.enums import AD_HOC
from gouvernance.models import DecisionReunion
from referentiel import saisie
from territoires.models import Decision, Instance
from territoires.selectors import regions_du_territoire

from .enums import Avis, Etat, PhaseExecution, StatutExecution, StatutLigne
from .models import FicheAction, LigneFinancement, Transition


@dataclass(frozen=True)
class Mouvement:
    libelle: str
    depuis: tuple[str, ...]
    vers: dict[str, str] | str  # by opinion for committee moves
    instance: str | None  # a decision of this body is required
    permission: str  # the action name checked by comptes.permissions.autoriser
    aide: str = ""  # what the move does, for pages and the API's documentation
    # Made only by the last signature of a contract or an avenant that annexes the fiche
    # (contrats.cycle, through `inscrire_a_la_signature`): never by itself, page or API.
    par_signature: bool = False

    @property
    def avec_avis(self) -> bool:
        return isinstance(self.vers, dict)

    def possible(self, etat: str) -> bool:
        """Whether the move leaves from this state of the fiche."""
        return etat in self.depuis

    def qui(self) -> str:
        """Who makes it, in words (comptes.permissions.QUI_PEUT)."""
        return QUI_PEUT[self.permission]


# The opinions that send the fiche back to its bearer, who must be told what to rework.
AVIS_MOTIVES = (Avis.A_RETRAVAILLER,)

MOUVEMENTS: dict[str, Mouvement] = {
    "soumettre": Mouvement(
        "Soumettre au comité de projet local",
        (Etat.BROUILLON,),
        Etat.SOUMISE,
        None,
        "soumettre_fiche",
        aide="Du brouillon au comité de projet local ; la demande de chaque ligne de "
        "financement est datée de ce jour.",
    ),
    "avis_local": Mouvement(
        "Avis du comité de projet local",
        (Etat.SOUMISE,),
        {
            Avis.FAVORABLE: Etat.COPIL,
            Avis.DEFAVORABLE: Etat.NON_RETENUE,
            Avis.A_RETRAVAILLER: Etat.BROUILLON,
        },
        Instance.COMITE_LOCAL,
        "avis_local",
        aide="Favorable : vers le comité de pilotage régional ; défavorable : non retenue ; "
        "à retravailler : retour au brouillon, avec un motif pour le porteur.",
    ),
    "avis_copil": Mouvement(
        "Avis du comité de pilotage régional",
        (Etat.COPIL,),
        {
            Avis.FAVORABLE: Etat.INSTRUCTION,
            Avis.DEFAVORABLE: Etat.NON_RETENUE,
            Avis.A_RETRAVAILLER: Etat.BROUILLON,
        },
        Instance.COPIL_REGIONAL,
        "avis_copil",
        aide="Favorable : instruction par les financeurs (ou retenue tout de suite si la "
        "fiche ne demande aucun financement) ; défavorable : non retenue ; "
        "à retravailler : retour au brouillon, avec un motif pour le porteur.",
    ),
    "retenir": Mouvement(
        "Retenir la fiche",
        (Etat.INSTRUCTION,),
        Etat.RETENUE,
        Instance.COPIL_REGIONAL,
        "arbitrer_fiche",
        aide="La fiche en instruction est retenue, une fois que chaque financeur s'est "
        "prononcé sur ses lignes.",
    ),
    "ne_pas_retenir": Mouvement(
        "Ne pas retenir la fiche",
        (Etat.INSTRUCTION,),
        Etat.NON_RETENUE,
        Instance.COPIL_REGIONAL,
        "arbitrer_fiche",
        aide="La fiche en instruction n'est pas retenue.",
    ),
    "inscrire": Mouvement(
        "Inscrire au contrat ou à un avenant",
        (Etat.RETENUE,),
        Etat.INSCRITE,
        None,
        "inscrire_fiche",
        aide="À la dernière signature du contrat ou de l'avenant qui annexe la fiche "
        "retenue ; le suivi d'exécution commence.",
        par_signature=True,
    ),
    "achever": Mouvement(
        "Déclarer la fiche réalisée",
        (Etat.INSCRITE,),
        Etat.REALISEE,
        None,
        "suivre_fiche",
        aide="La fiche inscrite est déclarée réalisée.",
    ),
}


# The moves a committee decides in a meeting: those that rest on a decision of a body.
MOUVEMENTS_DE_COMITE = {nom: m for nom, m in MOUVEMENTS.items() if m.instance}


# A funder's decisions on its line: the line's status it follows, the fiche's states it is
# taken in (accorded or refused during the instruction). Paying is no decision: the payments
# are recorded on the line's commitment (financements.cycle).
DECISIONS_LIGNE: dict[str, tuple[set[str], set[str]]] = {
    StatutLigne.ACCORDE: ({StatutLigne.DEMANDE}, {Etat.INSTRUCTION}),
    StatutLigne.REFUSE: ({StatutLigne.DEMANDE}, {Etat.INSTRUCTION}),
}
# The answer to whoever still asks for the former status « payé ».
PAIEMENT_AILLEURS = (
    "Un paiement s'enregistre sur l'engagement de la ligne (page « Argent de la ligne » ou "
    "POST /api/v1/engagements/{id}/paiements)."
)


def decisions_possibles(ligne: LigneFinancement, etat_fiche: str) -> list[StatutLigne]:
    """The statuses a funder may now give its line, for the buttons of the page."""
    return [
        StatutLigne(statut)
        for statut, (lignes, etats) in DECISIONS_LIGNE.items()
        if ligne.statut in lignes and etat_fiche in etats
    ]


def libelle_action(action: str) -> str:
    """The words of a Transition's action: a move of the table, or a funder's decision."""
    if action in MOUVEMENTS:
        return MOUVEMENTS[action].libelle
    if action == "ligne_paye":  # history of before the payments were recorded one by one
        return "Paiement d'un financeur sur sa ligne (ancien statut « payé »)"
    statut = action.removeprefix("ligne_")
    if action.startswith("ligne_") and statut in StatutLigne.values:
        return f"Décision d'un financeur sur sa ligne : {StatutLigne(statut).label.lower()}"
    return action


LIGNE_FEMININ = {
    StatutLigne.ACCORDE: "accordée",
    StatutLigne.REFUSE: "refusée",
}


def _region(fiche: FicheAction) -> str | None:
    """The région whose COPIL decides: the territory's (first, for an interregional one)."""
    regions = regions_du_territoire(fiche.territoire)
    return regions[0] if regions else None


def _verifier_instance(m: Mouvement, fiche: FicheAction, decision: Decision) -> None:
    """A committee's move rests on a decision of that committee, whichever path brings it
    (page, API, meeting): of the move's instance, of the fiche's région, never of an ad hoc
    body (FAQ §3.3, §4.6)."""
    lien = (
        DecisionReunion.objects.filter(decision=decision, reunion__isnull=False)
        .select_related("reunion__comite")
        .first()
    )
    comite = lien.reunion.comite if lien else None
    if decision.instance != m.instance or (comite is not None and comite.type in AD_HOC):
        par = comite.get_type_display() if comite else Instance(decision.instance).label
        raise ValidationError(
            f"« {m.libelle} » relève du {Instance(m.instance).label.lower()}, pas du {par.lower()}."
        )
    if comite is not None and comite.territoire_id not in (None, fiche.territoire_id):
        raise ValidationError("Cette décision est celle du comité d'un autre territoire.")
    if decision.region_id and decision.region_id not in fiche.contexte_acces().regions:
        raise ValidationError(
            "Cette décision est celle du comité de pilotage régional d'une autre région."
        )


def mouvements_possibles(user, fiche: FicheAction) -> list[str]:
    """The moves this person may make now, for the buttons of the page and the API."""
    return [
        nom
        for nom, m in MOUVEMENTS.items()
        if not m.par_signature and m.possible(fiche.etat) and autoriser(user, m.permission, fiche)
    ]


def refus_par_signature(m: Mouvement) -> str:
    return (
        f"« {m.libelle} » se fait par la signature : annexez la fiche retenue au contrat ou "
        "à un avenant, elle est inscrite à la dernière signature (FAQ §4.6)."
    )


@transaction.atomic
def appliquer(
    *,
    user,
    fiche: FicheAction,
    mouvement: str,
    date_effet: Date | None = None,
    motif: str = "",
    avis: str = "",
    decision: Decision | None = None,
    decision_texte: str = "",
) -> Transition:
    """One move asked by a person: from a page, the API or a committee's decision."""
    m = MOUVEMENTS.get(mouvement)
    if m is None:
        raise ValidationError(f"Mouvement inconnu : « {mouvement} ».")
    if m.par_signature:
        raise ValidationError(refus_par_signature(m))
    return _appliquer(
        user=user,
        fiche=fiche,
        mouvement=mouvement,
        m=m,
        date_effet=date_effet,
        motif=motif,
        avis=avis,
        decision=decision,
        decision_texte=decision_texte,
    )


def appliquer_decision_de_comite(
    *, user, fiche: FicheAction, decision: Decision, mouvement: str, avis: str, motif: str
) -> Transition:
    """A committee's decision on a fiche, recorded in its meeting by gouvernance.services
    (which calls this through the function fiches.apps registers there)."""
    m = MOUVEMENTS.get(mouvement)
    if m is not None and m.par_signature:
        # A committee does not inscribe either: the signature does (FAQ §4.6).
        raise ValidationError(refus_par_signature(m))
    if m is None or m.instance is None:
        raise ValidationError("Choisissez l'avis ou le mouvement décidé sur la fiche.")
    try:
        return appliquer(
            user=user,
            fiche=fiche,
            mouvement=mouvement,
            date_effet=decision.date,
            avis=avis,
            motif=motif,
            decision=decision,
        )
    except PermissionDenied as exc:
        # Shown on the committee's decision form, like the other refusals of the move.
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def inscrire_a_la_signature(
    *, user, fiche: FicheAction, date_effet: Date, decision: Decision | None, motif: str
) -> Transition:
    """The fiche annexed to a contract or an avenant is inscribed at its last signature, on
    its validation decision: called by contrats.cycle, the one place that signs."""
    return _appliquer(
        user=user,
        fiche=fiche,
        mouvement="inscrire",
        m=MOUVEMENTS["inscrire"],
        date_effet=date_effet,
        motif=motif,
        decision=decision,
    )


def _appliquer(
    *,
    user,
    fiche: FicheAction,
    mouvement: str,
    m: Mouvement,
    date_effet: Date | None = None,
    motif: str = "",
    avis: str = "",
    decision: Decision | None = None,
    decision_texte: str = "",
) -> Transition:
    fiche = FicheAction.objects.select_for_update().select_related("territoire").get(pk=fiche.pk)
    _verifier_mouvement(user, fiche, m, decision)
    date_effet = _date_du_mouvement(fiche, date_effet, motif, decision_texte)
    vers, avis = _destination(m, avis, motif)
    if vers == Etat.INSTRUCTION and not fiche.lignes.exists():
        # Nothing for funders to instruct (a « simplifier » request without financing): the
        # COPIL's favourable opinion retains the fiche.
        vers = Etat.RETENUE
    if m.instance and decision is None:
        decision = _decision_du_mouvement(fiche, m, date_effet, decision_texte)
    if mouvement == "retenir" and fiche.lignes.filter(statut=StatutLigne.DEMANDE).exists():
        raise ValidationError(
            "Chaque financeur doit d'abord s'être prononcé sur ses lignes (lignes encore "
            "« demandées »)."
        )
    t = Transition.objects.create(
        fiche=fiche,
        action=mouvement,
        etat_avant=fiche.etat,
        etat_apres=vers,
        avis=avis,
        par=user,
        date_effet=date_effet,
        motif=motif,
        decision=decision,
    )
    _deplacer(fiche, mouvement, vers, date_effet)
    return t


def _verifier_mouvement(user, fiche: FicheAction, m: Mouvement, decision) -> None:
    if m.instance and decision is not None:
        # The body first: a decision of another body is refused whoever brings it.
        _verifier_instance(m, fiche, decision)
    # Rights next: someone without them learns nothing of the fiche's state.
    if not autoriser(user, m.permission, fiche):
        raise PermissionDenied(f"Vous ne pouvez pas faire « {m.libelle} » sur cette fiche.")
    if not m.possible(fiche.etat):
        raise ValidationError(
            f"« {m.libelle} » est impossible : la fiche est à l'état « {Etat(fiche.etat).label} »."
        )


def _date_du_mouvement(fiche: FicheAction, date_effet, motif: str, decision_texte: str) -> Date:
    """Today by default; never in the future, never before the fiche's last move."""
    date_effet = date_effet or timezone.localdate()
    saisie.pas_dans_le_futur(date_effet, "La date de la décision")
    saisie.verifier(
        date_effet=(date_effet, [saisie.valider_date]),
        motif=(motif, [saisie.valider_texte]),
        decision_texte=(decision_texte, [saisie.valider_texte]),
    )
    derniere = fiche.transitions.order_by("-date_effet").values_list("date_effet", flat=True)
    if derniere and date_effet < derniere[0]:
        raise ValidationError(
            f"La date ({date_effet:%d/%m/%Y}) précède le dernier mouvement de la fiche "
            f"({derniere[0]:%d/%m/%Y})."
        )
    return date_effet


def _destination(m: Mouvement, avis: str, motif: str) -> tuple[str, str]:
    """The state the move leads to, and the opinion it carries (committee moves only)."""
    if not isinstance(m.vers, dict):
        return m.vers, ""
    if avis not in m.vers:
        raise ValidationError("Précisez l'avis : favorable, défavorable ou à retravailler.")
    if avis in AVIS_MOTIVES and not motif:
        raise ValidationError("Dites au porteur ce qu'il faut retravailler.")
    return m.vers[avis], avis


def _decision_du_mouvement(fiche: FicheAction, m: Mouvement, date_effet, texte: str) -> Decision:
    """A move that rests on a body's decision without one brought: its summary is recorded."""
    if not texte:
        raise ValidationError(
            f"Ce mouvement repose sur une décision ({Instance(m.instance).label}) : "
            "joignez-la ou résumez-la."
        )
    return Decision.objects.create(
        date=date_effet,
        instance=m.instance,
        intitule=f"{m.libelle} — {fiche.reference}",
        texte=texte,
        region_id=_region(fiche) if m.instance == Instance.COPIL_REGIONAL else None,
    )


def _deplacer(fiche: FicheAction, mouvement: str, vers: str, date_effet: Date) -> None:
    fiche.etat = vers
    # A move changes the version too: an edit prepared before it must not go through after.
    fiche.version += 1
    fields = ["etat", "version", "modifie_le"]
    if mouvement == "soumettre":
        # The request date of each line starts the clock of its instruction.
        fiche.lignes.filter(demande_le__isnull=True).update(demande_le=date_effet)
    if mouvement == "inscrire":
        fiche.phase_execution = fiche.phase_execution or PhaseExecution.IDEE
        fiche.statut_execution = StatutExecution.EN_COURS
        fields += ["phase_execution", "statut_execution"]
    if mouvement == "achever":
        fiche.statut_execution = StatutExecution.TERMINE
        fields.append("statut_execution")
    fiche.save(update_fields=fields)


def _verifier_decision(fiche: FicheAction, ligne: LigneFinancement, statut: str, date_effet):
    """A decision this line may take now (its status, the fiche's state), dated no earlier
    than its request nor the fiche's last step."""
    if statut == "paye":
        raise ValidationError(
            f"« Payé » n'est plus une décision sur une ligne. {PAIEMENT_AILLEURS}"
        )
    if statut not in DECISIONS_LIGNE:
        raise ValidationError("Statut de ligne inconnu.")
    lignes_ok, etats_ok = DECISIONS_LIGNE[statut]
    if ligne.statut not in lignes_ok or fiche.etat not in etats_ok:
        raise ValidationError(
            f"Impossible de passer la ligne de « {StatutLigne(ligne.statut).label} » à "
            f"« {StatutLigne(statut).label} » quand la fiche est « {Etat(fiche.etat).label} »."
        )
    etape = (
        fiche.transitions.exclude(etat_avant=models.F("etat_apres"))
        .order_by("-date_effet")
        .values_list("date_effet", flat=True)
        .first()
    )
    depuis = max((d for d in (ligne.demande_le, etape) if d), default=None)
    if depuis and date_effet < depuis:
        raise ValidationError(f"La date précède celle de l'étape précédente ({depuis:%d/%m/%Y}).")


@transaction.atomic
def decider_ligne(
    *,
    user,
    ligne: LigneFinancement,
    statut: str,
    date_effet: Date | None = None,
    motif: str = "",
) -> Transition:
    """A funder records its decision on its own line: accordé or refusé (its payments are
    recorded on its commitment, financements.cycle)."""
    # The fiche first, so that no move or edit of the fiche runs in between; then the line.
    # Every writer locks in this order (an edit locks the fiche, then replaces its lines):
    # in the other, two writers could each hold what the other waits for (a deadlock).
    fiche = FicheAction.objects.select_for_update().get(pk=ligne.fiche_id)
    ligne = (
        LigneFinancement.objects.select_for_update()
        .select_related("fiche", "fiche__territoire", "financeur")
        .filter(pk=ligne.pk, fiche=fiche)
        .first()
    )
    if ligne is None:
        raise ValidationError(
            "Cette ligne de financement n'existe plus : le plan de financement a été modifié "
            "entre-temps."
        )
    if not autoriser(user, "decider_ligne", ligne):
        raise PermissionDenied("Seul le financeur de cette ligne peut se prononcer dessus.")
    date_effet = date_effet or timezone.localdate()
    saisie.pas_dans_le_futur(date_effet, "La date de la décision")
    saisie.verifier(
        date_effet=(date_effet, [saisie.valider_date]), motif=(motif, [saisie.valider_texte])
    )
    _verifier_decision(fiche, ligne, statut, date_effet)
    ligne.statut = statut
    ligne.decide_le = date_effet
    ligne.save(update_fields=["statut", "decide_le"])
    return Transition.objects.create(
        fiche=fiche,
        action=f"ligne_{statut}",
        etat_avant=fiche.etat,
        etat_apres=fiche.etat,
        par=user,
        date_effet=date_effet,
        motif=(
            f"{ligne.financeur} : ligne {LIGNE_FEMININ[statut]}" + (f" — {motif}" if motif else "")
        ),
    )
