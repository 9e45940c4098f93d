"""Writing notifications, then sending them: at once for those who chose « immédiat », in
the daily digest for the others (docs/adr/0014).

Written first, sent after: a notification is marked sent only once the mail backend took
it; any failure of the backend (refused connection, timeout, SMTP error) is caught, counted
on the row with its message, and the row waits for `envoyer_recapitulatif`. Nothing here
raises to the request that caused it."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from territoires.selectors import today

from . import liens
from .enums import PAR_DEFAUT, Frequence, Nature
from .models import Notification, Preference

logger = logging.getLogger(__name__)
SUJET = "[Territoires d'industrie]"


@dataclass(frozen=True)
class Message:
    """What an event says, the same to each recipient; never an amount."""

    nature: str
    objet: object
    titre: str
    texte: str
    cle: str = ""  # once per recipient: the same event seen twice is written once


def frequences(user_ids: Iterable[int], nature: str) -> dict[int, str]:
    """Each person's choice for this kind, or the default."""
    ids = list(user_ids)
    choix = dict(
        Preference.objects.filter(utilisateur_id__in=ids, nature=nature).values_list(
            "utilisateur_id", "frequence"
        )
    )
    return {i: choix.get(i, PAR_DEFAUT[nature]) for i in ids}


def notifier(destinataires: Iterable, message: Message) -> list[Notification]:
    """Writes the notification of each recipient who wants this kind, then sends at once
    those who chose « immédiat ». Returns the rows written."""
    users = {u.pk: u for u in destinataires}
    choix = frequences(users, message.nature)
    objet = message.objet
    type_ = ContentType.objects.get_for_model(objet) if objet is not None else None
    lien = liens.chemin(objet) if objet is not None else ""
    ecrites = []
    with transaction.atomic():
        for pk, frequence in choix.items():
            if frequence == Frequence.AUCUN:
                continue
            if (
                message.cle
                and Notification.objects.filter(
                    destinataire_id=pk, nature=message.nature, cle=message.cle
                ).exists()
            ):
                continue
            ecrites.append(
                Notification.objects.create(
                    destinataire=users[pk],
                    nature=message.nature,
                    immediate=frequence == Frequence.IMMEDIAT,
                    objet_type=type_,
                    objet_id=getattr(objet, "pk", None),
                    lien=lien[:300],
                    titre=message.titre[:300],
                    texte=message.texte,
                    cle=message.cle,
                )
            )
    envoyer_immediates([n for n in ecrites if n.immediate])
    return ecrites


# --- Sending ----------------------------------------------------------------------------------


def _contexte(**extra) -> dict:
    return {
        "preferences": liens.absolu(liens.preferences()),
        "file": liens.absolu(liens.file()),
        **extra,
    }


def _courriel(sujet: str, gabarit: str, destinataire, contexte: dict) -> EmailMultiAlternatives:
    texte = render_to_string(f"notifications/{gabarit}.txt", contexte)
    html = render_to_string(f"notifications/{gabarit}.html", contexte)
    message = EmailMultiAlternatives(
        f"{SUJET} {sujet}", texte, settings.DEFAULT_FROM_EMAIL, [destinataire.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def _un(n: Notification) -> EmailMultiAlternatives:
    contexte = _contexte(notification=n, lien=liens.absolu(n.lien))
    return _courriel(n.titre, "courriel", n.destinataire, contexte)


def _recapitulatif(destinataire, notifications: list[Notification]) -> EmailMultiAlternatives:
    par_nature = defaultdict(list)
    for n in notifications:
        par_nature[n.nature].append({"n": n, "lien": liens.absolu(n.lien)})
    rubriques = [(nature.label, par_nature[nature]) for nature in Nature if par_nature[nature]]
    total = len(notifications)
    sujet = f"Votre récapitulatif du {today():%d/%m/%Y} : {total} notification" + (
        "s" if total > 1 else ""
    )
    contexte = _contexte(rubriques=rubriques, total=total, sujet=sujet)
    return _courriel(sujet, "recapitulatif", destinataire, contexte)


def _echec(ids: list[int], exc: BaseException) -> None:
    logger.warning("Envoi de notifications en échec (%s) : %s", ids, exc)
    Notification.objects.filter(pk__in=ids).update(
        tentatives=F("tentatives") + 1, erreur=f"{type(exc).__name__} : {exc}"[:1000]
    )


def _expedier(lots: list[tuple[EmailMultiAlternatives, list[int]]]) -> int:
    """Sends each message over one connection; its notifications are marked sent once the
    backend took it, and keep their failure otherwise. Returns the messages sent."""
    if not lots:
        return 0
    try:
        connexion = get_connection()
        connexion.open()
    except Exception as exc:  # any failure of the mail backend: nothing is lost
        for _message, ids in lots:
            _echec(ids, exc)
        return 0
    envoyes = 0
    try:
        for message, ids in lots:
            try:
                if not connexion.send_messages([message]):
                    raise RuntimeError("le serveur n'a pris aucun message")
            except Exception as exc:
                _echec(ids, exc)
                continue
            Notification.objects.filter(pk__in=ids).update(envoyee_le=timezone.now())
            envoyes += 1
    finally:
        try:
            connexion.close()
        except Exception as exc:
            logger.warning("Fermeture de la connexion au serveur de courriel : %s", exc)
    return envoyes


def envoyer_immediates(notifications: Iterable[Notification]) -> int:
    """One e-mail per notification."""
    return _expedier([(_un(n), [n.pk]) for n in notifications])


def a_envoyer():
    return Notification.objects.filter(
        envoyee_le__isnull=True, destinataire__is_active=True
    ).select_related("destinataire")


def relancer_immediates() -> int:
    """The immediate notifications a failing server kept: sent again, one by one."""
    return envoyer_immediates(a_envoyer().filter(immediate=True).order_by("cree_le", "pk"))


def envoyer_recapitulatifs() -> int:
    """One e-mail per person with every notification of theirs waiting for the digest,
    grouped by kind. Returns the e-mails sent."""
    par_personne = defaultdict(list)
    for n in a_envoyer().filter(immediate=False).order_by("destinataire_id", "cree_le", "pk"):
        par_personne[n.destinataire].append(n)
    return _expedier(
        [
            (_recapitulatif(destinataire, notifications), [n.pk for n in notifications])
            for destinataire, notifications in par_personne.items()
        ]
    )
