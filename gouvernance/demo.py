"""Demo governance (only in demo mode): the local committees of 8401 and 8408, the COPIL of
région 84 and its comité des financeurs, a year of meetings (2019-2020) whose agenda items
point to the existing demo fiches, a pending perimeter request, a CNI version of the map.

The fiches are not moved: their committee decisions, already recorded by the demo fiches,
are attached to meetings held on those very days. Everything is flagged demo=True.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comptes.models import Personne, Utilisateur
from referentiel.models import Region
from territoires.models import Phase, Territoire

from . import demandes, services, versions
from .enums import NatureDemande, NaturePoint, ObjetDecision, Presence, TypeComite
from .models import Comite, DemandePerimetre, Reunion, VersionCarte

MOUVEMENTS_EN_COMITE = {
    "avis_local": "local",
    "avis_copil": "copil",
    "retenir": "financeurs",
    "ne_pas_retenir": "financeurs",
}


def _u(email: str) -> Utilisateur:
    return Utilisateur.objects.get(email=email)


def _quand(jour: date, heure: int = 14) -> datetime:
    return timezone.make_aware(datetime.combine(jour, time(heure, 0)))


def _reunion(user, comite: Comite, jour: date, lieu: str) -> Reunion:
    existante = comite.reunions.filter(debut__date=jour).first()
    if existante:
        return existante
    r = services.planifier_reunion(
        user=user, comite=comite, debut=_quand(jour), lieu=lieu, demo=True
    )
    for p in Personne.objects.filter(demo=True, compte__in=[user]):
        services.inviter(user=user, reunion=r, personne=p, presence=Presence.PRESENT)
    return r


@transaction.atomic
def load_gouvernance(decisions_de_fiches=(), epci_voisine=None) -> list[str]:
    """`decisions_de_fiches`: the fiches' moves decided by a committee (each with its `fiche`,
    `action`, `date_effet`, `decision`), given by the demo loader, since fiches is a floor
    above; `epci_voisine`: the EPCI a pending request would add to 8408."""
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    if Comite.objects.filter(demo=True).exists():
        return ["Gouvernance de démonstration déjà présente."]
    t8401 = Territoire.objects.get(phase_id=1, code="8401")
    t8408 = Territoire.objects.get(phase_id=1, code="8408")
    ara = Region.objects.get(code="84")
    pilote, national = _u("region.ara@demo.ti"), _u("national@demo.ti")
    chefs = {"8401": _u("chef.8401@demo.ti"), "8408": _u("chef.8408@demo.ti")}
    locaux = {
        "8401": services.comite_local(t8401, demo=True),
        "8408": services.comite_local(t8408, demo=True),
    }
    copil = services.copil_regional(ara, demo=True)
    financeurs = Comite.objects.create(
        type=TypeComite.COMITE_FINANCEURS,
        nom="[Démo] Comité des financeurs — Auvergne-Rhône-Alpes",
        region=ara,
        demo=True,
    )
    out = ["Démo : comités locaux de 8401 et 8408, COPIL régional 84, comité des financeurs."]

    # Installation meetings of spring 2019, then the meetings where the fiches were decided.
    for code, comite in locaux.items():
        r = _reunion(chefs[code], comite, date(2019, 3, 12), f"[Démo] Siège de l'EPCI ({code})")
        services.ajouter_point(
            user=chefs[code],
            reunion=r,
            nature=NaturePoint.INFORMATION,
            intitule="Installation du comité et feuille de route 2019-2020",
        )
        services.rediger_compte_rendu(
            user=chefs[code], reunion=r, texte="[Démo] Compte rendu fictif de la réunion."
        )
    r = _reunion(pilote, copil, date(2019, 4, 2), "[Démo] Hôtel de Région, Lyon")
    services.ajouter_point(
        user=pilote,
        reunion=r,
        nature=NaturePoint.INFORMATION,
        intitule="Lancement régional et calendrier de contractualisation",
    )

    n = 0
    for t in sorted(decisions_de_fiches, key=lambda t: (t.date_effet, t.pk)):
        if t.action not in MOUVEMENTS_EN_COMITE or t.decision is None:
            continue
        code = t.fiche.territoire.code
        quoi = MOUVEMENTS_EN_COMITE[t.action]
        if quoi == "local":
            comite, user, lieu = locaux[code], chefs[code], f"[Démo] Siège de l'EPCI ({code})"
        elif quoi == "copil":
            comite, user, lieu = copil, pilote, "[Démo] Hôtel de Région, Lyon"
        else:
            comite, user, lieu = financeurs, pilote, "[Démo] Hôtel de Région, Lyon"
        r = _reunion(user, comite, t.date_effet, lieu)
        point = services.ajouter_point(
            user=user, reunion=r, nature=NaturePoint.FICHE, fiche=t.fiche
        )
        if (
            t.decision.instance
            == services.instance_du_comite(comite.type, region=bool(comite.region_id))
            and t.decision.date == r.date
        ):
            services.rattacher_decision(
                user=user, reunion=r, point=point, decision=t.decision, objet=ObjetDecision.FICHE
            )
            n += 1
    out.append(f"Démo : {Reunion.objects.filter(demo=True).count()} réunions, {n} décisions.")

    # A pending request in région 84: adding a neighbouring EPCI to 8408.
    epci = epci_voisine
    if epci is not None and not DemandePerimetre.objects.filter(demo=True).exists():
        demandes.deposer(
            user=chefs["8408"],
            nature=NatureDemande.AJOUT_EPCI,
            territoire=t8408,
            epci=epci,
            demandeur_territoire=t8408,
            justification="[Démo] L'intercommunalité voisine partage le bassin d'emploi.",
            date=date(2020, 9, 15),
            demo=True,
        )
        out.append(f"Démo : demande d'ajout de {epci.nom} au territoire 8408, en attente.")

    # The national map as refreshed at the CNI (FAQ §2.3).
    if not VersionCarte.objects.filter(demo=True).exists():
        cni = services.cni(demo=True)
        reunion_cni = _reunion(national, cni, date(2020, 11, 5), "[Démo] Paris")
        versions.publier_version(
            user=national,
            nom="[Démo] Carte actualisée au CNI du 05/11/2020",
            date=date(2020, 11, 5),
            phase=Phase.objects.get(pk=1),
            reunion=reunion_cni,
            demo=True,
        )
        out.append("Démo : version de la carte publiée au CNI du 05/11/2020.")
    return out
