"""Sign-in with ProConnect, the State's OpenID Connect service for public agents (docs/adr/0005).

mozilla-django-oidc runs the authorization code flow; this module only says which account an
agent lands on. Enabled by config/settings/base.py when PROCONNECT_CLIENT_ID is set.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.shortcuts import resolve_url
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class ProConnectBackend(OIDCAuthenticationBackend):
    """ProConnect's claims: email, given_name, usual_name, siret, uid (and sub).

    Its userinfo endpoint answers a signed JWT (application/jwt), not JSON: the library's
    get_userinfo already verifies it against the provider's keys, so it is not overridden.
    """

    def verify_claims(self, claims):
        # The e-mail is the login of the platform: without it there is no account to match.
        # (Overriding this also keeps the library from warning about our custom scopes.)
        return bool(claims.get("email"))

    # filter_users_by_claims is kept: it matches email__iexact, inactive accounts included, so
    # that a deactivated account is refused below rather than shadowed by a new one.

    def create_user(self, claims):
        # Our manager takes the e-mail as login (no username) and stores it in lower case;
        # without a password the account gets an unusable one: ProConnect only.
        user = self.UserModel.objects.create_user(claims["email"])
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        if not user.is_active:
            # Deactivated (e.g. erased under the RGPD): never logged in, whoever vouches for it.
            return None
        names = (claims.get("given_name") or "", claims.get("usual_name") or "")
        if names != (user.first_name, user.last_name):
            user.first_name, user.last_name = names
            user.save(update_fields=["first_name", "last_name"])
        return user

    def get_user(self, user_id):
        # As ModelBackend: an account deactivated since the login loses its open sessions too.
        return ModelBackend.get_user(self, user_id)


def url_deconnexion(request) -> str:
    """Where /oidc/logout/ sends the agent (OIDC_OP_LOGOUT_URL_METHOD): ProConnect's session/end,
    which wants the id_token kept at login, a state and the registered return address."""
    retour = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    id_token = request.session.get("oidc_id_token")
    if not id_token:  # signed in with a password: nothing to end at ProConnect
        return retour
    params = {
        "id_token_hint": id_token,
        "state": get_random_string(32),
        "post_logout_redirect_uri": retour,
    }
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(params)}"
