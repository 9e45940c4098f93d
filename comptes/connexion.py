"""Sign-in by password, counted by django-axes: whom its failures count against (an account
from one address, one address across accounts, one account from anywhere), the client's
address behind the reverse proxy, and when a locked sign-in may try again."""

from __future__ import annotations

from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db import IntegrityError
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import formats, timezone

from .models import normaliser_email


def identifiant(request, credentials: dict | None = None) -> str | None:
    """The normalised address tried, from the credentials given to authenticate() or else from
    the posted form: « Chef@… » and « chef@… » are one account, their failures add up."""
    champ = settings.AXES_USERNAME_FORM_FIELD
    valeur = (credentials or getattr(request, "POST", {})).get(champ)
    return normaliser_email(valeur) if valeur else valeur


def adresse_du_client(request) -> str | None:
    """The address of whoever connects (AXES_CLIENT_IP_CALLABLE). Behind PROXYS_DE_CONFIANCE
    reverse proxies, each appends the address it received the request from to
    X-Forwarded-For: the client is the one the first trusted proxy saw, counted from the right;
    what the client itself wrote to the left of it is ignored (it could be anything)."""
    distante = request.META.get("REMOTE_ADDR")
    proxys = settings.PROXYS_DE_CONFIANCE
    if not proxys:
        return distante
    transmises = [
        a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
    ]
    chaine = [*transmises, distante]
    # Fewer addresses than proxies: the request did not come through all of them.
    return chaine[-(proxys + 1)] if len(chaine) > proxys else distante


def _limites() -> list[int]:
    """The failures each lockout parameter allows, in the order of AXES_LOCKOUT_PARAMETERS."""
    return [limite for _, limite in settings.CONNEXION_LIMITES]


class GestionnaireEchecs(AxesDatabaseHandler):
    """django-axes' database handler, with a limit per lockout parameter and made safe for
    failures that arrive at once.

    django-axes compares one count to one limit (AXES_FAILURE_LIMIT, the first parameter's):
    each parameter's count is scaled to it, so that an address is locked at its own limit.

    Its get_or_create of the attempt row races on PostgreSQL: two failures of one account both
    insert and one hits the unique key, or a success deletes the row between the loser's insert
    and its re-read; the request then answered 500. The loser starts over: the row is there
    (or gone) by then, and the failure is counted once."""

    ESSAIS = 3

    def _echecs(self, request, credentials) -> list[int]:
        return [
            qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for qs in self.get_user_attempts(request, credentials)
        ]

    def get_failures(self, request, credentials: dict | None = None) -> int:
        reference = settings.AXES_FAILURE_LIMIT
        echecs = self._echecs(request, credentials)
        return max(n * reference // limite for n, limite in zip(echecs, _limites(), strict=True))

    def fin_du_verrou(self, request, credentials: dict | None = None) -> datetime | None:
        """When the lock ends: the latest failure that counts towards a reached limit, plus the
        cool-off. None if nothing is locked."""
        fins = []
        attempts = self.get_user_attempts(request, credentials)
        echecs = self._echecs(request, credentials)
        for qs, n, limite in zip(attempts, echecs, _limites(), strict=True):
            if n >= limite:
                fins.append(qs.aggregate(d=Max("attempt_time"))["d"])
        fins = [d for d in fins if d]
        return max(fins) + get_cool_off(request) if fins else None

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        # A success clears the failures of this account from this address only: signing in to
        # one's own account must not wipe out what the address tried on the others.
        return self.filter_user_attempts(request, credentials)[0].delete()[0]

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        for essai in range(self.ESSAIS):
            try:
                return super().user_login_failed(sender, credentials, request, **kwargs)
            except IntegrityError:
                if essai == self.ESSAIS - 1:
                    raise


def message_verrou(request, credentials: dict | None = None) -> str:
    """The French sentence a locked sign-in gets, with the time it may try again."""
    credentials = credentials or getattr(request, "axes_credentials", None)
    fin = AxesProxyHandler.get_implementation().fin_du_verrou(request, credentials)
    fin = timezone.localtime(fin or timezone.now() + get_cool_off(request))
    quand = formats.date_format(fin, "j F Y à H:i")
    return (
        "Trop de tentatives de connexion ont échoué, pour ce compte ou depuis votre adresse. "
        f"Réessayez à partir du {quand} (heure de Paris)."
    )


def reponse_verrou(request, original_response=None, credentials=None):
    """What a locked sign-in gets (AXES_LOCKOUT_CALLABLE): the API's own 429 in JSON as it
    wrote it, the page « Connexion suspendue » elsewhere; both say when to try again."""
    if original_response is not None and request.path.startswith("/api/"):
        return original_response
    return render(
        request,
        "comptes/verrouille.html",
        {"message": message_verrou(request, credentials)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
