"""Builders for the governance tests: people of 8401, 8408 and région 84, a past meeting."""

from datetime import datetime

from django.utils import timezone

from comptes.enums import Role
from comptes.tests.fabriques import personne, territoire
from gouvernance import services

__all__ = ["personne", "territoire", "gens", "reunion_passee", "quand"]


def quand(annee, mois, jour, heure=10) -> datetime:
    return timezone.make_aware(datetime(annee, mois, jour, heure, 0))


def gens() -> dict:
    t1, t8 = territoire("8401"), territoire("8408")
    return {
        "chef": personne("chef8401@exemple.fr", Role.CHEF_PROJET, territoire=t1),
        "chef8408": personne("chef8408@exemple.fr", Role.CHEF_PROJET, territoire=t8),
        "etat": personne("etat8401@exemple.fr", Role.REFERENT_ETAT, territoire=t1),
        "pilote": personne("pilote84@exemple.fr", Role.PILOTE_REGION, region_id="84"),
        "pilote_autre": personne("pilote27@exemple.fr", Role.PILOTE_REGION, region_id="27"),
        "national": personne("national@exemple.fr", Role.NATIONAL),
    }


def reunion_passee(user, comite, jour=(2020, 2, 3)):
    return services.planifier_reunion(
        user=user, comite=comite, debut=quand(*jour), lieu="Salle du conseil"
    )
