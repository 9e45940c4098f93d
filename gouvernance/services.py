"""Meetings and the decisions taken in them: the one module that writes them.

A decision is a territoires.Decision dated on the meeting's day, linked by a DecisionReunion
to the meeting and the agenda item, then applied where it belongs: the map through
territoires.services (via gouvernance.demandes), a designation in comptes, a fiche by the
function fiches registers here when it is loaded (fiches is a floor above, never imported:
docs/adr/0002).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date as Date
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from comptes.enums import ROLES_TERRITOIRE, Role, TypeOrganisation
from comptes.models import Designation, Organisation, Personne
from comptes.permissions import exiger
from comptes.pieces import verifier_fichier
from referentiel import saisie
from referentiel.models import Region
from territoires.models import Decision, Instance, Territoire
from territoires.selectors import regions_du_territoire

from . import dates, demandes
from .enums import (
    NaturePoint,
    ObjetDecision,
    Presence,
    TypeComite,
    instance_du_comite,
)
from .models import (
    Comite,
    DecisionReunion,
    DemandePerimetre,
    Participant,
    PieceJointe,
    PointOrdreDuJour,
    Reunion,
)
from .permissions import peut_animer

# How a decision applies to an object of a floor above (a fiche): that floor registers its
# function when it is loaded (fiches.apps), so this floor records, the other applies.
APPLICATIONS: dict[str, Callable[..., None]] = {}


def appliquer_les_decisions(objet: str, fonction: Callable[..., None]) -> None:
    APPLICATIONS[objet] = fonction


# --- Bodies -----------------------------------------------------------------------------------


def comite_local(territoire: Territoire, *, demo: bool = False) -> Comite:
    comite, _ = Comite.objects.get_or_create(
        type=TypeComite.COMITE_LOCAL,
        territoire=territoire,
        defaults={"nom": f"Comité de projet local — {territoire.nom}", "demo": demo},
    )
    return comite


# The phase from which the local project committee continues as the comité de suivi once the
# contract is signed (phase 2, 2023-2027; phase 1 kept ad hoc follow-up bodies, FAQ §3.3).
COMITE_DE_SUIVI_DES_LA_PHASE = 2


@transaction.atomic
def continuer_en_comite_de_suivi(
    territoire: Territoire, date: Date, *, demo: bool = False
) -> Comite | None:
    """The contract of `territoire` is signed on `date`: its local project committee continues
    as its comité de suivi. The same body (its meetings, agenda items and decisions stay
    attached), renamed from that date, its former name kept. Called by contrats.cycle at the
    last signature; nothing for a phase-1 territory; a second call changes nothing."""
    if territoire.phase_id < COMITE_DE_SUIVI_DES_LA_PHASE:
        return None
    comite = comite_local(territoire, demo=demo)
    comite = Comite.objects.select_for_update().get(pk=comite.pk)
    if comite.suivi_depuis is None:
        comite.nom_avant_suivi = comite.nom
        comite.nom = f"Comité de suivi — {territoire.nom}"[:200]
        comite.suivi_depuis = date
        comite.save(update_fields=["nom", "nom_avant_suivi", "suivi_depuis"])
    return comite


def copil_regional(region: Region, *, demo: bool = False) -> Comite:
    comite, _ = Comite.objects.get_or_create(
        type=TypeComite.COPIL_REGIONAL,
        region=region,
        defaults={"nom": f"Comité de pilotage régional — {region.nom}", "demo": demo},
    )
    return comite


def copil_national(*, demo: bool = False) -> Comite:
    comite = Comite.objects.filter(type=TypeComite.COPIL_NATIONAL).first()
    return comite or Comite.objects.create(
        type=TypeComite.COPIL_NATIONAL, nom="Comité de pilotage national", demo=demo
    )


def cni(*, demo: bool = False) -> Comite:
    comite = Comite.objects.filter(type=TypeComite.CNI).first()
    return comite or Comite.objects.create(
        type=TypeComite.CNI, nom="Conseil national de l'industrie", demo=demo
    )


# --- Meetings ---------------------------------------------------------------------------------


def _exiger(user, comite: Comite) -> None:
    exiger(peut_animer(user, comite), "Vous ne pouvez pas animer ce comité.")


@transaction.atomic
def planifier_reunion(
    *,
    user,
    comite: Comite,
    debut: datetime,
    fin: datetime | None = None,
    lieu: str = "",
    demo: bool = False,
) -> Reunion:
    _exiger(user, comite)
    if fin is not None and fin <= debut:
        raise ValidationError("La fin de la réunion doit suivre son début.")
    dates.reunion(comite, timezone.localtime(debut).date())
    reunion = Reunion.objects.create(
        comite=comite, debut=debut, fin=fin, lieu=lieu, cree_par=user, demo=demo
    )
    if comite.type == TypeComite.COMITE_LOCAL:
        # Every Région of an interregional territory sits on its local committee (FAQ §3.4).
        for code in comite.regions_concernees():
            org = Organisation.objects.filter(type=TypeOrganisation.REGION, region_id=code)
            for o in org.order_by("demo", "id")[:1]:
                Participant.objects.create(reunion=reunion, organisation=o)
    return reunion


def inviter(
    *,
    user,
    reunion: Reunion,
    personne: Personne | None = None,
    organisation: Organisation | None = None,
    presence: str = Presence.INVITE,
) -> Participant:
    _exiger(user, reunion.comite)
    if personne is None and organisation is None:
        raise ValidationError("Invitez une personne ou une organisation.")
    if personne is not None:
        existant = reunion.participants.filter(personne=personne).first()
        if existant:
            existant.presence = presence
            existant.organisation = organisation or existant.organisation
            existant.save(update_fields=["presence", "organisation"])
            return existant
    return Participant.objects.create(
        reunion=reunion, personne=personne, organisation=organisation, presence=presence
    )


def rediger_compte_rendu(*, user, reunion: Reunion, texte: str) -> Reunion:
    _exiger(user, reunion.comite)
    if texte.strip() and not reunion.passee:
        raise ValidationError("Le compte rendu s'écrit après la réunion.")
    reunion.compte_rendu = texte
    reunion.save(update_fields=["compte_rendu", "modifie_le"])
    return reunion


def joindre_piece(*, user, reunion: Reunion, fichier, nom: str = "") -> PieceJointe:
    _exiger(user, reunion.comite)
    verifier_fichier(fichier)  # the same limit as a fiche's attachments
    return PieceJointe.objects.create(
        reunion=reunion, fichier=fichier, nom=nom or getattr(fichier, "name", "pièce jointe")
    )


@transaction.atomic
def ajouter_point(
    *,
    user,
    reunion: Reunion,
    nature: str,
    intitule: str = "",
    fiche=None,
    demande: DemandePerimetre | None = None,
    personne: Personne | None = None,
    role: str = "",
    territoire: Territoire | None = None,
) -> PointOrdreDuJour:
    comite = reunion.comite
    _exiger(user, comite)
    if nature == NaturePoint.FICHE:
        if fiche is None:
            raise ValidationError("Choisissez la fiche-action présentée.")
        _verifier_fiche_du_comite(comite, fiche)
        intitule = intitule or f"Fiche {fiche.reference} — {fiche.titre}"
    elif nature == NaturePoint.PERIMETRE:
        if demande is None:
            raise ValidationError("Choisissez la demande de modification du périmètre.")
        demandes.verifier_examen(comite=comite, demande=demande, reunion=reunion)
        intitule = intitule or f"Demande : {demande}"
    elif nature == NaturePoint.DESIGNATION:
        if personne is None or not role:
            raise ValidationError("Précisez la personne et le rôle proposés.")
        _verifier_role_du_comite(comite, role)
        intitule = intitule or f"Désignation : {personne} — {Role(role).label}"
    elif nature == NaturePoint.CONTRAT:
        # FAQ §4.2: the regional COPIL validates the contracts of its région's territories.
        if comite.type != TypeComite.COPIL_REGIONAL:
            raise ValidationError("La validation d'un contrat revient au COPIL régional.")
        if territoire is None or comite.region_id not in regions_du_territoire(territoire):
            raise ValidationError("Choisissez un territoire de la région de ce COPIL.")
        intitule = intitule or f"Validation du contrat du territoire {territoire}"
    elif not intitule:
        raise ValidationError("Donnez un intitulé au point.")
    dernier = reunion.points.order_by("-ordre").values_list("ordre", flat=True).first() or 0
    point = PointOrdreDuJour.objects.create(
        reunion=reunion,
        ordre=dernier + 1,
        nature=nature,
        intitule=intitule[:300],
        fiche=fiche if nature == NaturePoint.FICHE else None,
        demande=demande if nature == NaturePoint.PERIMETRE else None,
        designation_personne=personne if nature == NaturePoint.DESIGNATION else None,
        designation_role=role if nature == NaturePoint.DESIGNATION else "",
        territoire=territoire if nature == NaturePoint.CONTRAT else None,
    )
    if nature == NaturePoint.PERIMETRE:
        demandes.examiner(user=user, demande=demande, reunion=reunion)
    return point


def _verifier_fiche_du_comite(comite: Comite, fiche) -> None:
    # A fiche goes to its territory's committee, then to the COPIL of its Région (FAQ §4.6).
    if comite.territoire_id and comite.territoire_id != fiche.territoire_id:
        raise ValidationError("Cette fiche n'appartient pas au territoire du comité.")
    if comite.region_id:
        regions = regions_du_territoire(fiche.territoire)
        if comite.region_id not in regions:
            raise ValidationError("Cette fiche relève d'un territoire d'une autre région.")
    if comite.national:
        raise ValidationError("Les fiches sont examinées localement puis en COPIL régional.")


def _verifier_role_du_comite(comite: Comite, role: str) -> None:
    if role == Role.NATIONAL:
        ok = comite.type == TypeComite.COPIL_NATIONAL
    elif role in (Role.PILOTE_REGION, Role.REFERENT_OPERATEUR):
        ok = comite.type == TypeComite.COPIL_REGIONAL
    elif role in ROLES_TERRITOIRE:
        ok = comite.type == TypeComite.COMITE_LOCAL
    else:
        ok = False
    if not ok:
        raise ValidationError(
            f"« {Role(role).label} » ne se désigne pas en « {comite.get_type_display()} »."
        )


# --- Decisions --------------------------------------------------------------------------------


def _creer_decision(comite: Comite, date: Date, intitule: str, texte: str, demo: bool):
    return Decision.objects.create(
        date=date,
        instance=instance_du_comite(comite.type, region=bool(comite.region_id)),
        region_id=comite.region_id,
        intitule=intitule[:300],
        texte=texte,
        demo=demo,
    )


OBJET_DU_POINT = {
    NaturePoint.FICHE: ObjetDecision.FICHE,
    NaturePoint.PERIMETRE: ObjetDecision.PERIMETRE,
    NaturePoint.DESIGNATION: ObjetDecision.DESIGNATION,
    NaturePoint.CONTRAT: ObjetDecision.CONTRAT,
    NaturePoint.INFORMATION: ObjetDecision.AUTRE,
}


@transaction.atomic
def decider(
    *,
    user,
    reunion: Reunion,
    point: PointOrdreDuJour,
    objet: str,
    texte: str = "",
    intitule: str = "",
    accepter: bool | None = None,
    mouvement: str = "",
    avis: str = "",
    motif: str = "",
) -> DecisionReunion:
    """Records the decision of `reunion` on one agenda item, dated on the meeting's day, and
    applies it (map, fiche, designation) in the same transaction: all or nothing."""
    comite = reunion.comite
    _exiger(user, comite)
    _verifier_point_a_decider(reunion, point, objet)
    decision = _creer_decision(
        comite, reunion.date, intitule or point.intitule, texte, reunion.demo
    )
    lien = DecisionReunion.objects.create(
        decision=decision,
        objet=objet,
        reunion=reunion,
        point=point,
        territoire=comite.territoire,
        par=user,
    )
    if objet == ObjetDecision.PERIMETRE:
        _decider_du_perimetre(user, lien, accepter)
    elif objet == ObjetDecision.FICHE:
        APPLICATIONS[objet](
            user=user,
            fiche=point.fiche,
            decision=decision,
            mouvement=mouvement,
            avis=avis,
            motif=motif,
        )
        lien.territoire = point.fiche.territoire
    elif objet == ObjetDecision.DESIGNATION:
        point.designation = _designer(comite, point, decision)
        point.save(update_fields=["designation"])
    elif objet == ObjetDecision.CONTRAT:
        # Recorded here; the contract applies it (contrats.cycle.valider_en_reunion), the
        # floor above that owns the contract's lifecycle.
        lien.territoire = point.territoire
    lien.save(update_fields=["territoire"])
    return lien


def _verifier_point_a_decider(reunion: Reunion, point: PointOrdreDuJour, objet: str) -> None:
    """An item of this meeting's agenda, not decided yet, in a meeting already held."""
    if point.reunion_id != reunion.pk:
        raise ValidationError("Ce point n'est pas à l'ordre du jour de cette réunion.")
    if reunion.annulee:
        raise ValidationError("Cette réunion a été annulée : rien n'y a été décidé.")
    if OBJET_DU_POINT[point.nature] != objet:
        raise ValidationError("L'objet de la décision ne correspond pas au point traité.")
    if DecisionReunion.objects.filter(point=point).exists():
        raise ValidationError("Une décision a déjà été prise sur ce point.")
    if reunion.date > timezone.localdate():
        raise ValidationError("Une décision se prend en réunion : celle-ci n'a pas encore eu lieu.")


def _decider_du_perimetre(user, lien: DecisionReunion, accepter: bool | None) -> None:
    """FAQ §2.3: the regional steering committee accepts or refuses a perimeter request."""
    if accepter is None:
        raise ValidationError("Dites si la demande est acceptée ou refusée.")
    if lien.reunion.comite.type != TypeComite.COPIL_REGIONAL:
        raise ValidationError("Seul le comité de pilotage régional décide du périmètre.")
    demande = lien.point.demande
    demandes.decider(
        user=user,
        demande=demande,
        decision=lien.decision,
        accepter=accepter,
        reunion=lien.reunion,
    )
    lien.territoire = demande.territoire


def _designer(comite: Comite, point: PointOrdreDuJour, decision: Decision) -> Designation:
    role = point.designation_role
    personne = point.designation_personne
    scope: dict = {}
    if role in ROLES_TERRITOIRE:
        scope["territoire"] = comite.territoire
    elif role == Role.PILOTE_REGION:
        scope["region_id"] = comite.region_id
    elif role == Role.REFERENT_OPERATEUR:
        scope["region_id"] = comite.region_id
        scope["organisation"] = personne.organisation
    d = Designation(
        personne=personne, role=role, date_debut=decision.date, decision=decision, **scope
    )
    d.full_clean(exclude=["territoires"])
    d.save()
    return d


@transaction.atomic
def decider_hors_reunion(
    *,
    user,
    territoire: Territoire,
    date: Date,
    intitule: str,
    accords: list[Organisation],
    motif: str,
    texte: str = "",
    objet: str = ObjetDecision.CONTRAT,
) -> DecisionReunion:
    """Without a meeting of the regional COPIL, the agreement of the Région and of the parties
    concerned is enough to sign a contract (FAQ §4.2). Nothing else is decided without one."""
    if objet != ObjetDecision.CONTRAT:
        raise ValidationError(
            "Hors réunion, seule la validation d'un contrat est possible (accord de la Région "
            "et des parties, FAQ §4.2) ; le reste se décide en comité."
        )
    if not motif.strip():
        raise ValidationError("Dites pourquoi la décision est prise hors réunion.")
    saisie.pas_dans_le_futur(date, "La date de la décision")
    regions = regions_du_territoire(territoire)
    if not any(
        peut_animer(user, Comite(type=TypeComite.COPIL_REGIONAL, region_id=r)) for r in regions
    ):
        raise PermissionDenied("Seul le pilote d'une Région concernée enregistre cet accord.")
    accords_regions = {o.region_id for o in accords if o.type == TypeOrganisation.REGION}
    manquantes = sorted(set(regions) - accords_regions)
    if manquantes:
        raise ValidationError(
            "L'accord de chaque Région concernée est requis (FAQ §4.2) : manque "
            + ", ".join(manquantes)
            + "."
        )
    if not [o for o in accords if o.type != TypeOrganisation.REGION]:
        raise ValidationError(
            "L'accord des parties concernées est requis, pas seulement de la Région."
        )
    decision = Decision.objects.create(
        date=date,
        instance=Instance.COPIL_REGIONAL,
        region_id=regions[0] if regions else None,
        intitule=intitule[:300],
        texte=texte,
    )
    lien = noter_hors_reunion(
        user=user, decision=decision, territoire=territoire, motif=motif, objet=objet
    )
    lien.accords.set(accords)
    return lien


def noter_hors_reunion(
    *, user, decision: Decision, territoire: Territoire, motif: str, objet: str
) -> DecisionReunion:
    """Says that `decision` was taken without a meeting, where the FAQ allows it (§4.2): the
    decision's own flag, which readers ask (contrats.cycle.sans_reunion), not its words."""
    return DecisionReunion.objects.create(
        decision=decision,
        objet=objet,
        hors_reunion=True,
        motif_hors_reunion=motif,
        territoire=territoire,
        par=user,
    )


@transaction.atomic
def rattacher_decision(
    *, user, reunion: Reunion, point: PointOrdreDuJour, decision: Decision, objet: str
) -> DecisionReunion:
    """Links a decision already recorded elsewhere (a fiche move decided before meetings were
    kept here) to the meeting where it was taken: same body, same day. Nothing is re-applied."""
    comite = reunion.comite
    _exiger(user, comite)
    if point.reunion_id != reunion.pk:
        raise ValidationError("Ce point n'est pas à l'ordre du jour de cette réunion.")
    if decision.date != reunion.date:
        raise ValidationError("La décision n'a pas été prise le jour de cette réunion.")
    if decision.instance != instance_du_comite(comite.type, region=bool(comite.region_id)):
        raise ValidationError("Cette décision relève d'une autre instance.")
    if DecisionReunion.objects.filter(decision=decision).exists():
        raise ValidationError("Cette décision est déjà rattachée à une réunion.")
    return DecisionReunion.objects.create(
        decision=decision,
        objet=objet,
        reunion=reunion,
        point=point,
        territoire=comite.territoire,
        par=user,
    )
