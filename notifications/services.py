"""Writes of this floor made by people: their notification preferences."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .enums import PAR_DEFAUT, Frequence, Nature
from .models import Preference


@transaction.atomic
def enregistrer_preferences(*, user, choix: dict[str, str]) -> None:
    """How often `user` wants each kind of notification; all or nothing."""
    inconnues = [n for n in choix if n not in Nature.values]
    if inconnues:
        raise ValidationError(f"Notification inconnue : « {inconnues[0]} ».")
    for nature, frequence in choix.items():
        if frequence not in Frequence.values:
            raise ValidationError(
                f"« {Nature(nature).label} » : choisissez immédiat, récapitulatif quotidien "
                "ou aucun."
            )
    for nature, frequence in choix.items():
        Preference.objects.update_or_create(
            utilisateur=user, nature=nature, defaults={"frequence": frequence}
        )


def preferences_de(user) -> dict[str, str]:
    """Each kind's frequency for `user`: their choice, or the default."""
    choix = dict(Preference.objects.filter(utilisateur=user).values_list("nature", "frequence"))
    return {n: choix.get(n, PAR_DEFAUT[n]) for n in Nature.values}
