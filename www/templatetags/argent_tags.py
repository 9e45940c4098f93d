"""The money of a fiche's granted lines, for the include of the fiche's page
(financements/_fiche.html): read through financements.permissions, masked there."""

from dataclasses import dataclass

from django import template

from financements import cycle
from financements.permissions import ArgentLu, lire_lignes

register = template.Library()


@dataclass
class LigneArgent:
    ligne: object
    lu: ArgentLu
    peut: bool  # this person records its money now


@register.simple_tag(takes_context=True)
def argent_des_lignes(context, fiche, lignes) -> list[LigneArgent]:
    user = context["request"].user
    lignes = list(lignes)
    # The page has already read each line's amount through comptes.secrets: not twice.
    lisibles = {li.pk: not li.montant_champ.masque for li in lignes if hasattr(li, "montant_champ")}
    lus = lire_lignes(user, lignes, lisibles=lisibles)
    return [
        LigneArgent(
            li,
            lus[li.pk],
            user.is_authenticated
            and cycle.ouverte(li, fiche.etat)
            and cycle.peut_financer(user, li),
        )
        for li in lignes
        if li.pk in lus
    ]
