"""Responses that carry secrets are never kept by a cache (browser history, proxy)."""

from . import secrets


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
