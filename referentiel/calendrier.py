"""Calendar files (RFC 5545, with the icalendar library) for every app that dates something
people attend: governance meetings, the network's events. Times are Paris times with their
zone (TZID=Europe/Paris and the VTIMEZONE it needs), so that a calendar application abroad or
across a change of summer time shows the right hour."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event

FUSEAU = "Europe/Paris"
PARIS = ZoneInfo(FUSEAU)
DOMAINE_UID = "territoires-industrie"


def evenement(
    *,
    uid: str,
    debut: datetime,
    fin: datetime,
    resume: str,
    horodatage: datetime | None = None,
    sequence: int = 0,
    annule: bool = False,
    lieu: str = "",
    description: str = "",
    url: str = "",
) -> Event:
    """One VEVENT; `sequence` raised at each change lets calendar apps replace their copy."""
    ev = Event()
    ev.add("uid", f"{uid}@{DOMAINE_UID}")
    ev.add("dtstamp", horodatage or timezone.now())
    ev.add("dtstart", timezone.localtime(debut, PARIS))
    ev.add("dtend", timezone.localtime(fin, PARIS))
    ev.add("sequence", sequence)
    ev.add("status", "CANCELLED" if annule else "CONFIRMED")
    ev.add("summary", resume)
    if lieu:
        ev.add("location", lieu)
    if description:
        ev.add("description", description)
    if url:
        ev.add("url", url)
    return ev


def calendrier(evenements: Iterable[Event], *, nom: str, domaine: str) -> bytes:
    """The file: `domaine` names the producer (« Gouvernance », « Réseau »)."""
    cal = Calendar()
    cal.add("prodid", f"-//Territoires d'industrie//{domaine}//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", nom)
    cal.add("x-wr-timezone", FUSEAU)
    for ev in evenements:
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()
