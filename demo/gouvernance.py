"""Demo governance (only in demo mode): the local committees of 8401 and 8408, the COPIL of
région 84 and its comité des financeurs, a year of meetings (2019-2020) whose agenda items
point to the existing demo fiches, a pending perimeter request, a CNI version of the map.

The fiches are not moved: their committee decisions, already recorded by the demo fiches,
are attached to meetings held on those very days. Everything is flagged demo=True.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comptes.models import Personne, Utilisateur
from fiches.models import Transition
from gouvernance import demandes, services, versions
from gouvernance.enums import NatureDemande, NaturePoint, ObjetDecision, Presence, TypeComite
from gouvernance.models import Comite, DemandePerimetre, Reunion, VersionCarte
from referentiel.models import Region
from territoires.models import Phase, Territoire

from .carte import epci_voisine_libre

# The fiches' moves decided by a committee, and which committee of the demo decides them.
MOUVEMENTS_EN_COMITE = {
    "avis_local": "local",
    "avis_copil": "copil",
    "retenir": "financeurs",
    "ne_pas_retenir": "financeurs",
}
LIEU_REGION = "[Démo] Hôtel de Région, Lyon"


def _u(email: str) -> Utilisateur:
    return Utilisateur.objects.get(email=email)


def _quand(jour: date, heure: int = 14) -> datetime:
    return timezone.make_aware(datetime.combine(jour, time(heure, 0)))


def _lieu_local(code: str) -> str:
    return f"[Démo] Siège de l'EPCI ({code})"


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


@dataclass
class Instances:
    """The demo's bodies of région 84 and the accounts that run them."""

    pilote: Utilisateur
    chefs: dict[str, Utilisateur]
    locaux: dict[str, Comite]
    copil: Comite
    financeurs: Comite

    @classmethod
    def creer(cls, territoires: dict[str, Territoire]) -> Instances:
        ara = Region.objects.get(code="84")
        pilote = _u("region.ara@demo.ti")
        chefs = {code: _u(f"chef.{code}@demo.ti") for code in territoires}
        locaux = {code: services.comite_local(t, demo=True) for code, t in territoires.items()}
        copil = services.copil_regional(ara, demo=True)
        financeurs = Comite.objects.create(
            type=TypeComite.COMITE_FINANCEURS,
            nom="[Démo] Comité des financeurs — Auvergne-Rhône-Alpes",
            region=ara,
            demo=True,
        )
        return cls(pilote, chefs, locaux, copil, financeurs)

    def siege(self, quoi: str, code: str) -> tuple[Comite, Utilisateur, str]:
        """The committee that decides a fiche's move, who runs it, where it meets."""
        if quoi == "local":
            return self.locaux[code], self.chefs[code], _lieu_local(code)
        comite = self.copil if quoi == "copil" else self.financeurs
        return comite, self.pilote, LIEU_REGION


def decisions_de_fiches() -> list[Transition]:
    """The phase-1 demo fiches' moves decided by a committee, to attach to its meetings."""
    return list(
        Transition.objects.filter(
            fiche__demo=True,
            fiche__territoire__phase_id=1,
            fiche__territoire__code__in=["8401", "8408"],
            action__in=list(MOUVEMENTS_EN_COMITE),
            decision__isnull=False,
        ).select_related("fiche", "fiche__territoire", "decision")
    )


@transaction.atomic
def load_gouvernance() -> list[str]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    transitions = decisions_de_fiches()
    territoires = {c: Territoire.objects.get(phase_id=1, code=c) for c in ("8401", "8408")}
    epci = epci_voisine_libre(territoires["8408"])
    if Comite.objects.filter(demo=True).exists():
        return ["Gouvernance de démonstration déjà présente."]
    instances = Instances.creer(territoires)
    out = ["Démo : comités locaux de 8401 et 8408, COPIL régional 84, comité des financeurs."]
    _installations(instances)
    n = _rattacher(instances, transitions)
    out.append(f"Démo : {Reunion.objects.filter(demo=True).count()} réunions, {n} décisions.")
    out.extend(_demande(instances.chefs["8408"], territoires["8408"], epci))
    out.extend(_version_au_cni())
    return out


def _installations(instances: Instances) -> None:
    """Installation meetings of spring 2019, before those where the fiches were decided."""
    for code, comite in instances.locaux.items():
        chef = instances.chefs[code]
        r = _reunion(chef, comite, date(2019, 3, 12), _lieu_local(code))
        services.ajouter_point(
            user=chef,
            reunion=r,
            nature=NaturePoint.INFORMATION,
            intitule="Installation du comité et feuille de route 2019-2020",
        )
        services.rediger_compte_rendu(
            user=chef, reunion=r, texte="[Démo] Compte rendu fictif de la réunion."
        )
    r = _reunion(instances.pilote, instances.copil, date(2019, 4, 2), LIEU_REGION)
    services.ajouter_point(
        user=instances.pilote,
        reunion=r,
        nature=NaturePoint.INFORMATION,
        intitule="Lancement régional et calendrier de contractualisation",
    )


def _rattacher(instances: Instances, transitions: list[Transition]) -> int:
    """Each fiche decided by a committee is on the agenda of its meeting of that day, and the
    decision is attached to it when the meeting's body is the decision's instance."""
    n = 0
    for t in sorted(transitions, key=lambda t: (t.date_effet, t.pk)):
        comite, user, lieu = instances.siege(
            MOUVEMENTS_EN_COMITE[t.action], t.fiche.territoire.code
        )
        r = _reunion(user, comite, t.date_effet, lieu)
        point = services.ajouter_point(
            user=user, reunion=r, nature=NaturePoint.FICHE, fiche=t.fiche
        )
        instance = services.instance_du_comite(comite.type, region=bool(comite.region_id))
        if t.decision.instance == instance and t.decision.date == r.date:
            services.rattacher_decision(
                user=user, reunion=r, point=point, decision=t.decision, objet=ObjetDecision.FICHE
            )
            n += 1
    return n


def _demande(chef: Utilisateur, t8408: Territoire, epci) -> list[str]:
    """A pending request in région 84: adding a neighbouring EPCI to 8408."""
    if epci is None or DemandePerimetre.objects.filter(demo=True).exists():
        return []
    demandes.deposer(
        user=chef,
        nature=NatureDemande.AJOUT_EPCI,
        territoire=t8408,
        epci=epci,
        demandeur_territoire=t8408,
        justification="[Démo] L'intercommunalité voisine partage le bassin d'emploi.",
        date=date(2020, 9, 15),
        demo=True,
    )
    return [f"Démo : demande d'ajout de {epci.nom} au territoire 8408, en attente."]


def _version_au_cni() -> list[str]:
    """The national map as refreshed at the CNI (FAQ §2.3)."""
    if VersionCarte.objects.filter(demo=True).exists():
        return []
    national = _u("national@demo.ti")
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
    return ["Démo : version de la carte publiée au CNI du 05/11/2020."]
