"""Sign-in by password: whom django-axes counts the failures of (AXES_USERNAME_CALLABLE)."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db import IntegrityError

from .models import normaliser_email


def identifiant(request, credentials: dict | None = None) -> str | None:
    """The normalised address tried, from the credentials given to authenticate() or else from
    the posted form: « Chef@… » and « chef@… » are one account, their failures add up."""
    champ = settings.AXES_USERNAME_FORM_FIELD
    valeur = (credentials or getattr(request, "POST", {})).get(champ)
    return normaliser_email(valeur) if valeur else valeur


class GestionnaireEchecs(AxesDatabaseHandler):
    """django-axes' database handler, made safe for failures that arrive at once.

    Its get_or_create of the attempt row races on PostgreSQL: two failures of one account both
    insert and one hits the unique key, or a success deletes the row between the loser's insert
    and its re-read; the request then answered 500. The loser starts over: the row is there
    (or gone) by then, and the failure is counted once."""

    ESSAIS = 3

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        for essai in range(self.ESSAIS):
            try:
                return super().user_login_failed(sender, credentials, request, **kwargs)
            except IntegrityError:
                if essai == self.ESSAIS - 1:
                    raise
