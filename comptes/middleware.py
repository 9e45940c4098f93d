"""Middlewares of the accounts: pages need a signed-in person unless listed as public;
responses that carry secrets are never kept by a cache (browser history, proxy)."""

from functools import cache
from importlib import import_module

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware

from . import secrets


@cache
def _publiques() -> tuple[frozenset[str], frozenset[str]]:
    module = import_module(settings.PAGES_PUBLIQUES)
    return module.PAGES_PUBLIQUES, module.ACCES_A_PART


def est_publique(correspondance) -> bool:
    """Whether the page an address resolves to is read without signing in: listed by its
    URL name in the module that settings.PAGES_PUBLIQUES names, or served by an application
    that keeps its own access (the administration, the API)."""
    pages, a_part = _publiques()
    return correspondance.view_name in pages or bool(a_part & set(correspondance.app_names))


class ConnexionExigee(LoginRequiredMiddleware):
    """Login required by default: an anonymous visitor of any page that is not public goes to
    the sign-in page (settings.LOGIN_URL), with `?next=` to come back. A signed-in person
    without the right still gets 404 from the page itself (comptes.permissions.exiger)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated or est_publique(request.resolver_match):
            return None
        return self.handle_no_permission(request, view_func)


class SecretsNonConservesMiddleware:
    """Watches each request through comptes.secrets: when a secret field or a total of secret
    values was asked for while serving it, its response goes out `Cache-Control: private,
    no-store`, whatever the view said (no-store outranks any lifetime). One place for every
    page, API answer and export."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        marque, jeton = secrets.suivre_reponse()
        try:
            response = self.get_response(request)
        finally:
            secrets.fin_de_reponse(jeton)
        if marque.secrets:
            response["Cache-Control"] = "private, no-store"
        return response
