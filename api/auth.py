"""API authentication: `Authorization: Bearer <token>` from POST /api/v1/auth/token.

Reads accept anonymous requests (public data only, through the same scoped querysets as the
pages); a request that sends a token gets exactly its account's scope; any write requires one.
"""

from contextlib import contextmanager

from auditlog.context import set_actor
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from comptes.services import compte_du_jeton

# A read never writes: the token's last use is recorded on writes only (comptes.services).
LECTURES = {"GET", "HEAD", "OPTIONS"}


class Jeton(HttpBearer):
    """Required token: missing or invalid answers 401."""

    def authenticate(self, request, token):
        user = compte_du_jeton(token, ecriture=request.method not in LECTURES)
        if user is not None:
            request.user = user
        return user


def utilisateur(request):
    """The account behind a read: the token's if one is sent (401 if it is bad), else
    anonymous — the session is not used by the API, so a browser's cookies grant nothing."""
    if hasattr(request, "_compte_api"):  # read once per request (api.listes asks first)
        return request._compte_api
    header = request.headers.get("Authorization", "")
    if not header:
        return AnonymousUser()
    scheme, _, token = header.partition(" ")
    ecrit = request.method not in LECTURES
    user = compte_du_jeton(token.strip(), ecriture=ecrit) if scheme.lower() == "bearer" else None
    if user is None:
        raise AuthenticationError()
    request._compte_api = user
    return user


@contextmanager
def ecriture(user):
    """A write of the API: one transaction, recorded in the audit log as the token's account.
    A refusal raised inside rolls everything back before api.erreurs answers it."""
    with transaction.atomic(), set_actor(user):
        yield
