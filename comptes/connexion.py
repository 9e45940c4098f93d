"""Sign-in by password: whom django-axes counts the failures of (AXES_USERNAME_CALLABLE)."""

from django.conf import settings

from .models import normaliser_email


def identifiant(request, credentials: dict | None = None) -> str | None:
    """The normalised address tried, from the credentials given to authenticate() or else from
    the posted form: « Chef@… » and « chef@… » are one account, their failures add up."""
    champ = settings.AXES_USERNAME_FORM_FIELD
    valeur = (credentials or getattr(request, "POST", {})).get(champ)
    return normaliser_email(valeur) if valeur else valeur
