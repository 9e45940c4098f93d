"""The life of a perimeter request (FAQ §2.2, §2.3): the one module that changes its state.

    déposée ─(inscrite à l'ordre du jour d'un COPIL régional)→ examinée
    examinée ─(décision du COPIL régional)→ acceptée | refusée

An accepted request changes the map through territoires.services, on the decision's date.
Each move is recorded in the request's history (gouvernance.TransitionDemande), here only, in
the transaction of the move, with the acting user.
A new territory must be justified: the targeting principle keeps additions limited (§2.2).
A split names its territories and shares out every EPCI once (gouvernance.scission).

A request concerns one Région or several (an interregional territory, an EPCI of another
Région): it goes to the COPIL of each. The COPIL of the Région that coordinates it
(`demande.region`) decides; the others take position first, in their own COPIL or by their
pilot's recorded agreement (AccordRegion), and it is accepted only with each one's agreement.
Acts entered after the fact keep their real dates, within gouvernance.dates.
"""

from __future__ import annotations

from datetime import date as Date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from comptes.models import Organisation, Personne
from referentiel import saisie
from referentiel.models import EPCI, Commune, Region
from territoires import selectors as carte_selectors
from territoires import services as carte
from territoires.models import Decision, Phase, Territoire
from territoires.selectors import regions_du_territoire

from . import dates, scission
from .enums import ActionDemande, EtatDemande, NatureDemande, TypeComite
from .models import AccordRegion, Comite, DemandePerimetre, Reunion, TransitionDemande
from .permissions import peut_animer, peut_deposer_demande

DEPUIS = {
    "examiner": (EtatDemande.DEPOSEE, EtatDemande.EXAMINEE),
    "decider": (EtatDemande.EXAMINEE,),
}


def demandeur(user, territoire: Territoire | None) -> dict:
    """Who files a request made by this person (the arguments `deposer` takes): the person's
    intercommunality when the person works for one, else the territory concerned."""
    personne = Personne.objects.filter(compte=user).select_related("organisation").first()
    org = personne.organisation if personne else None
    if org is not None and org.epci_id:
        return {"demandeur_organisation": org, "demandeur_territoire": None}
    return {"demandeur_organisation": None, "demandeur_territoire": territoire}


@transaction.atomic
def deposer(
    *,
    user,
    nature: str,
    region: str | None = None,
    territoire: Territoire | None = None,
    epci: EPCI | None = None,
    demandeur_organisation: Organisation | None = None,
    demandeur_territoire: Territoire | None = None,
    justification: str = "",
    code_propose: str = "",
    nom_propose: str = "",
    epcis_proposes: list[str] | None = None,
    parts: list[dict] | None = None,
    date: Date | None = None,
    demo: bool = False,
) -> DemandePerimetre:
    _verifier_demandeur(nature, demandeur_organisation, demandeur_territoire)
    proposition = (code_propose, nom_propose, epcis_proposes)
    _verifier_objet(nature, territoire, epci, justification, proposition, parts)
    if nature == NatureDemande.NOUVEAU_TERRITOIRE:
        territoire = None
    region = _region_du_copil(region, territoire, epcis_proposes)
    if not peut_deposer_demande(
        user,
        territoire=demandeur_territoire or territoire,
        organisation=demandeur_organisation,
        region=region,
    ):
        raise PermissionDenied("Vous ne pouvez pas déposer cette demande.")
    # Filed after the fact at its real date: never in the future, while the territory is on
    # the map (gouvernance.dates, the rules of a fiche's steps).
    date = dates.acte(date, "La date du dépôt")
    dates.sur_la_carte(territoire, date, "Le dépôt de la demande")
    if nature == NatureDemande.SCISSION:
        parts = scission.lire_parts(territoire, parts, date)
    demande = DemandePerimetre.objects.create(
        nature=nature,
        region_id=region,
        territoire=territoire,
        epci=epci,
        demandeur_organisation=demandeur_organisation,
        demandeur_territoire=demandeur_territoire,
        justification=justification,
        code_propose=code_propose,
        nom_propose=nom_propose,
        epcis_proposes=list(epcis_proposes or []),
        parts=list(parts or []),
        deposee_le=date,
        deposee_par=user if getattr(user, "is_authenticated", False) else None,
        demo=demo,
    )
    demande.regions_concernees.set(regions_concernees(demande, date))
    _noter(demande, user=user, action=ActionDemande.DEPOSER, avant="", le=demande.deposee_le)
    return demande


def _verifier_demandeur(nature: str, organisation, territoire) -> None:
    if nature not in NatureDemande.values:
        raise ValidationError("Nature de demande inconnue.")
    if organisation is None and territoire is None:
        raise ValidationError("Une demande émane d'une intercommunalité ou d'un territoire.")
    if organisation is not None and organisation.epci_id is None:
        raise ValidationError("L'organisation demandeuse doit être une intercommunalité (EPCI).")


def _verifier_objet(nature, territoire, epci, justification, proposition, parts) -> None:
    """What the request changes: a justified new territory, or a territory it names."""
    if nature == NatureDemande.NOUVEAU_TERRITOIRE:
        if not justification.strip():
            raise ValidationError(
                "Un nouveau territoire doit être justifié : l'ajout de territoires reste limité "
                "(principe de ciblage, FAQ §2.2)."
            )
        if not all(proposition):
            raise ValidationError(
                "Proposez un code, un nom et les intercommunalités du territoire."
            )
    elif territoire is None:
        raise ValidationError("Précisez le territoire concerné.")
    if nature in (NatureDemande.AJOUT_EPCI, NatureDemande.RETRAIT_EPCI) and epci is None:
        raise ValidationError("Précisez l'intercommunalité à ajouter ou à retirer.")
    if nature == NatureDemande.SCISSION and len(parts or []) < 2:
        raise ValidationError("Une scission donne au moins deux territoires.")


def _region_du_copil(region: str | None, territoire, epcis_proposes) -> str:
    """The request goes to the regional COPIL of a Région concerned (FAQ §2.3)."""
    if territoire is not None:
        concernees = regions_du_territoire(territoire)
        region = region or (concernees[0] if concernees else None)
        if region not in concernees:
            raise ValidationError("Cette région n'est pas concernée par le territoire.")
    elif region is None:
        regions = sorted(
            set(
                EPCI.objects.filter(siren__in=epcis_proposes or [])
                .values_list("communes__region_id", flat=True)
                .distinct()
            )
            - {None}
        )
        region = regions[0] if regions else None
    if region is None:
        raise ValidationError("Précisez la région dont le COPIL décide.")
    return region


def _noter(demande, *, user, action: str, avant: str, le: Date, **kw) -> TransitionDemande:
    """Records the move in the request's history, in the transaction of the move itself."""
    return TransitionDemande.objects.create(
        demande=demande,
        action=action,
        etat_avant=avant,
        etat_apres=demande.etat,
        par=user,
        date_effet=le,
        **kw,
    )


def regions_concernees(demande: DemandePerimetre, jour: Date) -> set[str]:
    """The Régions a request touches (FAQ §2.3): its territory's on `jour`, an added EPCI's,
    a new territory's EPCI's, and the Région of the COPIL that coordinates it."""
    regions = {demande.region_id}
    if demande.territoire_id:
        regions |= set(regions_du_territoire(demande.territoire, jour))
    sirens = list(demande.epcis_proposes or [])
    if demande.nature == NatureDemande.AJOUT_EPCI and demande.epci_id:
        sirens.append(demande.epci.siren)
    codes: set[str] = set()
    for epci in EPCI.objects.filter(siren__in=sirens):
        codes |= carte.communes_de_groupement(epci)
    regions |= set(Commune.objects.filter(code__in=codes).values_list("region_id", flat=True))
    return regions - {None}


def regions_de(demande: DemandePerimetre) -> set[str]:
    return set(demande.regions_concernees.values_list("code", flat=True)) | {demande.region_id}


def _noms(regions) -> str:
    noms = Region.objects.filter(code__in=regions).order_by("nom").values_list("nom", flat=True)
    return ", ".join(noms)


def verifier_examen(
    *, comite: Comite, demande: DemandePerimetre, reunion: Reunion | None = None
) -> None:
    """A request goes on the agenda of the COPIL of each Région it concerns (FAQ §2.3), after
    its deposit, once per Région that has not yet taken position."""
    if comite.type != TypeComite.COPIL_REGIONAL or comite.region_id not in regions_de(demande):
        raise ValidationError(
            "Une demande de modification du périmètre s'examine au comité de pilotage régional "
            "d'une région qu'elle concerne (FAQ §2.3)."
        )
    if demande.etat not in DEPUIS["examiner"]:
        raise ValidationError(f"Cette demande est déjà {demande.get_etat_display().lower()}.")
    position = demande.accords_regions.filter(region_id=comite.region_id).first()
    if position:
        raise ValidationError(
            f"La région {_noms([position.region_id])} a déjà pris position sur cette demande "
            f"le {position.date:%d/%m/%Y}."
        )
    if reunion is not None and reunion.date < demande.deposee_le:
        raise ValidationError(
            f"La réunion du {reunion.date:%d/%m/%Y} précède le dépôt de la demande "
            f"({demande.deposee_le:%d/%m/%Y})."
        )


def examiner(*, user, demande: DemandePerimetre, reunion: Reunion) -> DemandePerimetre:
    """Put on the agenda of a meeting of a regional COPIL (called by
    gouvernance.services.ajouter_point): examined at that meeting, dated on its day."""
    avant = demande.etat
    if demande.etat == EtatDemande.DEPOSEE:
        demande.etat = EtatDemande.EXAMINEE
        demande.save(update_fields=["etat"])
    _noter(
        demande,
        user=user,
        action=ActionDemande.INSCRIRE,
        avant=avant,
        le=reunion.date,
        reunion=reunion,
    )
    return demande


@transaction.atomic
def decider(
    *,
    user,
    demande: DemandePerimetre,
    decision: Decision,
    accepter: bool,
    reunion: Reunion | None = None,
) -> DemandePerimetre:
    """Called by gouvernance.services.decider with the COPIL's Decision, taken in `reunion`.
    The COPIL of another Région concerned records that Région's position; the coordinating
    Région's COPIL accepts only once each other Région has agreed (FAQ §2.3)."""
    demande = DemandePerimetre.objects.select_for_update().get(pk=demande.pk)
    if demande.etat not in DEPUIS["decider"]:
        raise ValidationError(
            "Seule une demande examinée en COPIL régional peut être acceptée ou refusée."
        )
    if decision.date < demande.deposee_le:
        raise ValidationError("La décision ne peut pas précéder le dépôt de la demande.")
    region = reunion.comite.region_id if reunion is not None else demande.region_id
    if region != demande.region_id:
        _prendre_position(
            demande, user, region, accepter, decision.date, decision=decision, reunion=reunion
        )
        return demande
    if accepter:
        _verifier_accords(demande, decision.date)
    avant = demande.etat
    demande.etat = EtatDemande.ACCEPTEE if accepter else EtatDemande.REFUSEE
    demande.decision = decision
    demande.save(update_fields=["etat", "decision"])
    _noter(
        demande,
        user=user,
        action=ActionDemande.ACCEPTER if accepter else ActionDemande.REFUSER,
        avant=avant,
        le=decision.date,
        reunion=reunion,
        decision=decision,
    )
    if accepter:
        appliquer(demande=demande, decision=decision)
    return demande


def _verifier_accords(demande: DemandePerimetre, jour: Date) -> None:
    """Each other Région concerned has agreed, before the coordinating COPIL's decision."""
    autres = regions_de(demande) - {demande.region_id}
    positions = {a.region_id: a for a in demande.accords_regions.all()}
    refus = sorted(r for r in autres if r in positions and not positions[r].favorable)
    if refus:
        raise ValidationError(
            f"La région {_noms(refus)} a refusé cette demande : elle ne peut pas être acceptée."
        )
    manquent = sorted(autres - set(positions))
    if manquent:
        objet = "Cette demande concerne aussi"
        if demande.nature == NatureDemande.AJOUT_EPCI and demande.epci_id:
            objet = f"L'intercommunalité {demande.epci.nom} concerne aussi"
        raise ValidationError(
            f"{objet} la région {_noms(manquent)} : le comité de pilotage régional de la "
            f"région {_noms([demande.region_id])} ne peut pas l'accepter seul. Il faut d'abord "
            "la décision du comité de pilotage régional de chaque autre région concernée, ou "
            "son accord enregistré par son pilote (FAQ §2.3)."
        )
    tardifs = sorted(a.date for a in positions.values() if a.date > jour)
    if tardifs:
        raise ValidationError(
            f"La décision du {jour:%d/%m/%Y} précède l'accord d'une autre région concernée "
            f"({tardifs[0]:%d/%m/%Y})."
        )


def _prendre_position(
    demande, user, region, favorable, jour, motif: str = "", **lien
) -> AccordRegion:
    if demande.accords_regions.filter(region_id=region).exists():
        raise ValidationError(f"La région {_noms([region])} a déjà pris position.")
    accord = AccordRegion.objects.create(
        demande=demande,
        region_id=region,
        favorable=favorable,
        date=jour,
        par=user,
        motif=motif,
        **lien,
    )
    _noter(
        demande,
        user=user,
        action=ActionDemande.ACCORD_REGION if favorable else ActionDemande.REFUS_REGION,
        avant=demande.etat,
        le=jour,
        motif=f"Région {_noms([region])}" + (f" : {motif}" if motif else ""),
        **lien,
    )
    return accord


@transaction.atomic
def donner_accord(
    *,
    user,
    demande: DemandePerimetre,
    region: str,
    favorable: bool = True,
    date: Date | None = None,
    motif: str = "",
) -> AccordRegion:
    """The position of another Région concerned, recorded by its pilot without a meeting of
    its COPIL (FAQ §2.3): the coordinating Région's COPIL then decides with it."""
    demande = DemandePerimetre.objects.select_for_update().get(pk=demande.pk)
    if region == demande.region_id:
        raise ValidationError(
            "La région qui coordonne la demande décide en son comité de pilotage régional."
        )
    if region not in regions_de(demande):
        raise ValidationError("Cette demande ne concerne pas cette région.")
    if not peut_animer(user, Comite(type=TypeComite.COPIL_REGIONAL, region_id=region)):
        raise PermissionDenied(
            f"Seul le pilote de la région {_noms([region])} enregistre sa position."
        )
    if demande.etat not in DEPUIS["examiner"]:
        raise ValidationError(f"Cette demande est déjà {demande.get_etat_display().lower()}.")
    if not motif.strip():
        raise ValidationError(
            "Dites sur quoi repose la position de la Région (courrier, délibération…)."
        )
    saisie.verifier(motif=(motif, [saisie.valider_texte]))
    jour = dates.acte(
        date, "La date de la position", apres=demande.deposee_le, etape="le dépôt de la demande"
    )
    return _prendre_position(demande, user, region, favorable, jour, motif.strip())


def _phase(date: Date) -> Phase:
    return carte_selectors.phase_courante(date)


def _communes(sirens: list[str]) -> set[str]:
    codes: set[str] = set()
    for epci in EPCI.objects.filter(siren__in=sirens):
        codes |= carte.communes_de_groupement(epci)
    return codes


def appliquer(*, demande: DemandePerimetre, decision: Decision) -> None:
    """The map changes on the decision's date, through territoires.services only."""
    t = demande.territoire
    if demande.nature == NatureDemande.AJOUT_EPCI:
        carte.ajouter_epci(territoire=t, epci=demande.epci, decision=decision)
    elif demande.nature == NatureDemande.RETRAIT_EPCI:
        carte.retirer_epci(territoire=t, epci=demande.epci, decision=decision)
    elif demande.nature == NatureDemande.SCISSION:
        courant = carte.perimetre_courant(t)
        parts = [
            {"code": p["code"], "nom": p["nom"], "communes": _communes(p["epcis"]) & courant}
            for p in demande.parts
        ]
        carte.scinder_territoire(territoire=t, parts=parts, decision=decision)
    elif demande.nature == NatureDemande.NOUVEAU_TERRITOIRE:
        nouveau = carte.creer_territoire(
            phase=_phase(decision.date),
            code=demande.code_propose,
            nom=demande.nom_propose,
            communes=_communes(demande.epcis_proposes),
            decision=decision,
            description=f"Nouveau territoire : {demande.justification[:200]}",
        )
        demande.territoire = nouveau
        demande.save(update_fields=["territoire"])
