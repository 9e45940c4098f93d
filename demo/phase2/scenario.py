"""The demo's users and bodies in phase 2, and its events of 2024-2026 played in date order:
meetings of the local committees and of the regional COPIL, and the fiches decided there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from django.utils import timezone

from comptes.models import Designation, Personne, Utilisateur
from gouvernance import services as gouvernance
from gouvernance.enums import NaturePoint, ObjetDecision, Presence
from gouvernance.models import Comite, Reunion
from referentiel.models import Region
from territoires.models import Territoire

from .donnees import LIEU_COPIL, LIEUX, RANGS, T8401, T8413


def compte(email: str) -> Utilisateur:
    """A demo account by its address."""
    return Utilisateur.objects.get(email=email)


class Scenario:
    """The demo's users and bodies, and the events of 2024-2026 played in date order."""

    def __init__(self, territoires: dict[str, Territoire]):
        self.t = territoires
        self.pilote = compte("region.ara@demo.ti")
        self.chefs = {T8401: compte("chef.8401@demo.ti"), T8413: compte("chef.8408@demo.ti")}
        self.locaux = {c: gouvernance.comite_local(territoires[c], demo=True) for c in self.chefs}
        self.copil = gouvernance.copil_regional(Region.objects.get(code="84"), demo=True)
        self.evenements: list[tuple[date, int, int, Callable[[], object]]] = []
        self.decisions = 0

    def le(self, jour: date, rang: str, action: Callable[[], object]) -> None:
        self.evenements.append((jour, RANGS.index(rang), len(self.evenements), action))

    def jouer(self) -> None:
        for *_quand, action in sorted(self.evenements, key=lambda e: e[:3]):
            action()

    def animateur(self, comite: Comite) -> Utilisateur:
        return self.pilote if comite == self.copil else self.chefs[comite.territoire.code]

    def reunion(self, comite: Comite, jour: date, info: str = "") -> Reunion:
        existante = comite.reunions.filter(debut__date=jour).first()
        if existante:
            return existante
        user = self.animateur(comite)
        r = gouvernance.planifier_reunion(
            user=user,
            comite=comite,
            debut=timezone.make_aware(datetime.combine(jour, time(14, 0))),
            fin=timezone.make_aware(datetime.combine(jour, time(17, 0))),
            lieu=LIEU_COPIL if comite == self.copil else LIEUX[comite.territoire.code],
            demo=True,
        )
        for personne in self._presents(comite):
            gouvernance.inviter(user=user, reunion=r, personne=personne, presence=Presence.PRESENT)
        if info:
            gouvernance.ajouter_point(
                user=user, reunion=r, nature=NaturePoint.INFORMATION, intitule=info
            )
        gouvernance.rediger_compte_rendu(
            user=user, reunion=r, texte="[Démo] Compte rendu fictif de la réunion."
        )
        return r

    def _presents(self, comite: Comite) -> list[Personne]:
        if comite == self.copil:
            emails = {
                "region.ara@demo.ti",
                "etat.8401@demo.ti",
                "bpifrance.ara@demo.ti",
                "bdt.ara@demo.ti",
                "chef.8401@demo.ti",
                "chef.8408@demo.ti",
            }
            return list(Personne.objects.filter(email__in=emails, demo=True).order_by("nom"))
        return list(
            Personne.objects.filter(
                designations__in=Designation.objects.actives().filter(
                    territoire=comite.territoire, demo=True
                )
            )
            .distinct()
            .order_by("nom")
        )

    def en_comite(self, comite: Comite, jour: date, rang: str, fiche, mouvement: str, **kw):
        """On that day, the body decides on the fiche in its meeting."""
        self.le(jour, rang, lambda: self.decider_fiche(comite, jour, fiche, mouvement, **kw))

    def decider_fiche(self, comite: Comite, jour: date, fiche, mouvement: str, **kw) -> None:
        """The body decides on the fiche in its meeting of that day: the move follows."""
        r = self.reunion(comite, jour)
        user = self.animateur(comite)
        point = gouvernance.ajouter_point(
            user=user, reunion=r, nature=NaturePoint.FICHE, fiche=fiche
        )
        gouvernance.decider(
            user=user,
            reunion=r,
            point=point,
            objet=ObjetDecision.FICHE,
            mouvement=mouvement,
            texte="[Démo] Décision fictive.",
            **kw,
        )
        self.decisions += 1
