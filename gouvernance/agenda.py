"""Calendars (RFC 5545, with the icalendar library): one file per meeting and a feed per
person, read by calendar apps without a session through a secret token."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from icalendar import Event

from comptes.models import Personne
from referentiel import calendrier as ics

from .models import JetonAgenda, Reunion
from .permissions import comites_siege, reunions_visibles

DUREE_PAR_DEFAUT = timedelta(hours=2)
DOMAINE_UID = ics.DOMAINE_UID


def _empreinte(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()


def nouveau_jeton(personne: Personne) -> str:
    """Returns the token once; only its hash is kept, and an older one stops working."""
    jeton = secrets.token_urlsafe(32)
    JetonAgenda.objects.update_or_create(
        personne=personne, defaults={"empreinte": _empreinte(jeton)}
    )
    return jeton


def supprimer_jeton(personne: Personne) -> bool:
    """The feed's secret address stops working, and none replaces it."""
    return JetonAgenda.objects.filter(personne=personne).delete()[0] > 0


def personne_du_jeton(jeton: str) -> Personne | None:
    j = (
        JetonAgenda.objects.filter(empreinte=_empreinte(jeton))
        .select_related("personne__compte")
        .first()
    )
    if j is None or j.personne.compte is None or not j.personne.compte.is_active:
        return None
    return j.personne


def reunions_de(personne: Personne) -> QuerySet[Reunion]:
    """Meetings of the bodies the person sits on or is invited to, within the person's
    scope: an invitation never opens a meeting the person could not see."""
    user = personne.compte
    return (
        reunions_visibles(user)
        .filter(Q(comite__in=comites_siege(user)) | Q(participants__personne=personne))
        .distinct()
        .select_related("comite")
        .order_by("debut")
    )


def _evenement(reunion: Reunion, url: str = "") -> Event:
    lignes = [f"Annulée : {reunion.motif_annulation}"] if reunion.annulee else []
    if reunion.reportee_du:
        avant = timezone.localtime(reunion.reportee_du)
        lignes.append(f"Reportée (initialement le {avant:%d/%m/%Y à %H:%M}).")
    points = [f"{p.ordre}. {p.intitule}" for p in reunion.points.all()]
    if points:
        lignes.append("Ordre du jour :\n" + "\n".join(points))
    resume = reunion.nom_comite
    return ics.evenement(
        uid=str(reunion.uid),
        debut=reunion.debut,
        fin=reunion.fin or reunion.debut + DUREE_PAR_DEFAUT,
        resume=f"Annulée : {resume}" if reunion.annulee else resume,
        horodatage=reunion.modifie_le,
        # Raised at each postponement or cancellation: calendar apps replace their copy.
        sequence=reunion.sequence,
        annule=reunion.annulee,
        lieu=reunion.lieu,
        description="\n".join(lignes),
        url=url,
    )


def calendrier(reunions: Iterable[Reunion], *, nom: str, url_de=None) -> bytes:
    evenements = (_evenement(r, url_de(r) if url_de else "") for r in reunions)
    return ics.calendrier(evenements, nom=nom, domaine="Gouvernance")
