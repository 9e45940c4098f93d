"""Calendars (RFC 5545, with the icalendar library): one file per meeting and a feed per
person, read by calendar apps without a session through a secret token."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from comptes.models import Personne

from .models import JetonAgenda, Reunion
from .permissions import comites_siege, reunions_visibles

DUREE_PAR_DEFAUT = timedelta(hours=2)
DOMAINE_UID = "territoires-industrie"
FUSEAU = "Europe/Paris"
PARIS = ZoneInfo(FUSEAU)


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
    ev = Event()
    ev.add("uid", f"{reunion.uid}@{DOMAINE_UID}")
    ev.add("dtstamp", reunion.modifie_le or timezone.now())
    # Times of Paris, with their zone (TZID, and the VTIMEZONE the calendar adds): a
    # calendar app abroad or across a change of summer time shows the right hour.
    debut = timezone.localtime(reunion.debut, PARIS)
    ev.add("dtstart", debut)
    fin = reunion.fin or reunion.debut + DUREE_PAR_DEFAUT
    ev.add("dtend", timezone.localtime(fin, PARIS))
    # Raised at each postponement or cancellation: calendar apps replace their copy.
    ev.add("sequence", reunion.sequence)
    ev.add("status", "CANCELLED" if reunion.annulee else "CONFIRMED")
    resume = reunion.nom_comite
    ev.add("summary", f"Annulée : {resume}" if reunion.annulee else resume)
    if reunion.lieu:
        ev.add("location", reunion.lieu)
    lignes = [f"Annulée : {reunion.motif_annulation}"] if reunion.annulee else []
    if reunion.reportee_du:
        avant = timezone.localtime(reunion.reportee_du)
        lignes.append(f"Reportée (initialement le {avant:%d/%m/%Y à %H:%M}).")
    points = [f"{p.ordre}. {p.intitule}" for p in reunion.points.all()]
    if points:
        lignes.append("Ordre du jour :\n" + "\n".join(points))
    if lignes:
        ev.add("description", "\n".join(lignes))
    if url:
        ev.add("url", url)
    return ev


def calendrier(reunions: Iterable[Reunion], *, nom: str, url_de=None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Territoires d'industrie//Gouvernance//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", nom)
    cal.add("x-wr-timezone", FUSEAU)
    for r in reunions:
        cal.add_component(_evenement(r, url_de(r) if url_de else ""))
    cal.add_missing_timezones()
    return cal.to_ical()
