"""The dating rules of governance acts entered after the fact, the same as a fiche's steps
(fiches.cycle): an act done is never in the future, never before what it rests on (the
territory's creation, the request's deposit, the step before it), and the steps keep their
order. A meeting may be planned ahead, but not before its body's territory existed."""

from __future__ import annotations

from datetime import date as Date

from django.core.exceptions import ValidationError
from django.utils import timezone

from referentiel import saisie
from territoires.models import Phase, Territoire


def _jour(d: Date) -> str:
    return f"{d:%d/%m/%Y}"


def acte(jour: Date | None, quoi: str, *, apres: Date | None = None, etape: str = "") -> Date:
    """The date of an act done: today when absent; never in the future; not before `apres`
    (the date of the step it follows, named by `etape`)."""
    jour = jour or timezone.localdate()
    saisie.verifier(date=(jour, [saisie.valider_date]))
    saisie.pas_dans_le_futur(jour, quoi)
    if apres is not None and jour < apres:
        raise ValidationError(f"{quoi} ({_jour(jour)}) précède {etape} ({_jour(apres)}).")
    return jour


def sur_la_carte(territoire: Territoire | None, jour: Date, quoi: str) -> None:
    """An act on a territory happens while it is on the map."""
    if territoire is None:
        return
    if jour < territoire.date_debut:
        raise ValidationError(
            f"{quoi} ({_jour(jour)}) précède la création du territoire {territoire.code} "
            f"({_jour(territoire.date_debut)})."
        )
    if territoire.date_fin and jour >= territoire.date_fin:
        raise ValidationError(
            f"Le territoire {territoire.code} a quitté la carte le {_jour(territoire.date_fin)} : "
            f"{quoi[0].lower()}{quoi[1:]} ({_jour(jour)}) ne peut pas suivre cette date."
        )


def reunion(comite, jour: Date) -> None:
    """A meeting of a territory's body happens while the territory is on the map; any body's
    meeting happens once the programme exists (its first phase)."""
    saisie.verifier(date=(jour, [saisie.valider_date]))
    if comite.territoire_id:
        sur_la_carte(comite.territoire, jour, "La réunion")
        return
    premiere = Phase.objects.order_by("date_debut").values_list("date_debut", flat=True).first()
    if premiere and jour < premiere:
        raise ValidationError(
            f"La réunion ({_jour(jour)}) précède le début du programme ({_jour(premiere)})."
        )
