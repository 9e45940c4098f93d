"""The API's one set of error answers, in French: every error body is built here.

- `{"detail": "…"}` (schema `Erreur`) for every status: 400 an unreadable body, 401 no or a
  bad token, 403 an action that is not the caller's, 404 what the caller may not see, 422 a
  rule of the domain refusing the request (django's ValidationError, one French sentence);
- 422 for a body that does not match its schema: `detail` is the list of errors as
  django-ninja gives them (type, place, context), each `msg` in French;
- 409 (schema `Conflit`): an optimistic lock found a newer version, with the differences.

Endpoints raise (Http404, PermissionDenied, ValidationError, HttpError, `EnConflit`) and the
handlers below, registered by api.api, answer; no endpoint writes an error body itself.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ErreurMetier
from django.http import Http404
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as ErreurSchema
from ninja.parser import Parser

from comptes.services import ConflitEdition
from referentiel import saisie


class Erreur(Schema):
    """Every error answer of the API, whatever its status."""

    detail: str | list[dict] = Field(
        description="Message en français ; pour un corps qui ne respecte pas le schéma (422), "
        "la liste de ses erreurs (`loc`, `msg` en français, `type`)."
    )


class Difference(Schema):
    champ: str
    votre_valeur: str | None
    valeur_actuelle: str | None


class Conflit(Schema):
    """409: the version sent is outdated; nothing was overwritten."""

    detail: str
    differences: list[Difference]


# The error answers of a write, for the `response` of its endpoint (the OpenAPI document).
ERREURS_ECRITURE = {401: Erreur, 403: Erreur, 404: Erreur, 422: Erreur}

CORPS_ILLISIBLE = (
    "Corps de la requête illisible : envoyez un objet JSON avec l'en-tête "
    "« Content-Type: application/json »."
)

# Messages of the validation library, by error type; {…} come from the error's context.
MESSAGES = {
    "missing": "Champ obligatoire.",
    "int_type": "Un nombre entier est attendu.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_parsing_size": "Nombre entier trop grand.",
    "int_from_float": "Un nombre entier est attendu, sans décimale.",
    "float_type": "Un nombre est attendu.",
    "float_parsing": "Un nombre est attendu.",
    "decimal_type": "Un nombre est attendu.",
    "decimal_parsing": "Un nombre est attendu.",
    "decimal_max_digits": "Au plus {max_digits} chiffres.",
    "decimal_max_places": "Au plus {decimal_places} décimales.",
    "decimal_whole_digits": "Au plus {whole_digits} chiffres avant la virgule.",
    "finite_number": "Un nombre fini est attendu.",
    "greater_than": "La valeur doit être supérieure à {gt}.",
    "greater_than_equal": "La valeur doit être supérieure ou égale à {ge}.",
    "less_than": "La valeur doit être inférieure à {lt}.",
    "less_than_equal": "La valeur doit être inférieure ou égale à {le}.",
    "string_type": "Un texte est attendu (null n'est pas admis).",
    "string_too_short": "Au moins {min_length} caractère(s).",
    "string_too_long": "Au plus {max_length} caractères.",
    "string_unicode": "Un texte Unicode valide est attendu.",
    "bool_type": "true ou false est attendu.",
    "bool_parsing": "true ou false est attendu.",
    "date_type": "Une date est attendue (AAAA-MM-JJ).",
    "date_parsing": "Une date est attendue (AAAA-MM-JJ).",
    "date_from_datetime_parsing": "Une date est attendue (AAAA-MM-JJ).",
    "date_from_datetime_inexact": "Une date sans heure est attendue (AAAA-MM-JJ).",
    "datetime_type": "Une date et une heure sont attendues.",
    "datetime_parsing": "Une date et une heure sont attendues.",
    "uuid_type": "Un identifiant UUID est attendu.",
    "uuid_parsing": "Un identifiant UUID est attendu.",
    "list_type": "Une liste est attendue.",
    "dict_type": "Un objet JSON est attendu.",
    "model_type": "Un objet JSON est attendu.",
    "model_attributes_type": "Un objet JSON est attendu.",
    "json_invalid": "JSON invalide.",
    "json_type": "JSON invalide.",
    "enum": "Valeur non admise : {expected}.",
    "literal_error": "Valeur non admise : {expected}.",
    "extra_forbidden": "Champ inconnu.",
    "too_short": "Au moins {min_length} élément(s).",
    "too_long": "Au plus {max_length} éléments.",
}


def en_francais(erreur: dict) -> dict:
    """One schema error, its `msg` in French (the type, place and context are kept)."""
    type_, ctx = erreur.get("type", ""), erreur.get("ctx") or {}
    if type_ == "value_error" and "error" in ctx:
        msg = str(ctx["error"])  # a rule of ours: already French
    else:
        try:
            msg = MESSAGES[type_].format(**ctx)
        except (KeyError, IndexError):
            msg = "Valeur invalide."
    return {**erreur, "msg": msg}


def message(exc: ErreurMetier) -> str:
    """A refusal of the domain as one French sentence, each field named (referentiel.saisie)."""
    return " ".join(saisie.messages(exc, champs=True))


class EnConflit(Exception):
    """A write under an optimistic lock found a newer version: 409, nothing written."""

    def __init__(self, detail: str, differences: list[tuple[str, object, object]]):
        super().__init__(detail)
        self.detail, self.differences = detail, differences


@contextmanager
def sans_ecraser(detail: str):
    """Around a write under an optimistic lock: the domain's ConflitEdition answers 409 with
    `detail` (what was modified) and the differences it lists."""
    try:
        yield
    except ConflitEdition as exc:
        raise EnConflit(detail, exc.differences) from exc


def _texte(valeur) -> str | None:
    return None if valeur is None else str(valeur)


# --- Handlers (registered by api.api; `api` is the NinjaAPI that answers) -----------------


def _reponse(api, request, status: int, detail):
    return api.create_response(request, {"detail": detail}, status=status)


def non_authentifie(request, exc, *, api):
    response = _reponse(api, request, 401, "Jeton absent, invalide ou expiré.")
    response["WWW-Authenticate"] = "Bearer"
    return response


def refus(request, exc, *, api):
    # The object is visible but the action is not the caller's: 403 with the French message.
    return _reponse(api, request, 403, str(exc) or "Action non autorisée.")


def introuvable(request, exc, *, api):
    return _reponse(api, request, 404, str(exc) or "Introuvable.")


def schema_invalide(request, exc, *, api):
    # The list of schema errors as before (type, place, context), each message in French.
    return _reponse(api, request, 422, [en_francais(e) for e in exc.errors])


def regle_refusee(request, exc, *, api):
    # A rule of the domain said no; the write's transaction has been rolled back by then.
    return _reponse(api, request, 422, message(exc))


def erreur_http(request, exc, *, api):
    detail = str(exc)
    if detail.startswith("Cannot parse request body"):  # django-ninja's own words
        detail = CORPS_ILLISIBLE
    return _reponse(api, request, exc.status_code, detail)


def conflit(request, exc, *, api):
    differences = [
        {"champ": nom, "votre_valeur": _texte(mien), "valeur_actuelle": _texte(actuel)}
        for nom, mien, actuel in exc.differences
    ]
    return api.create_response(
        request, {"detail": exc.detail, "differences": differences}, status=409
    )


GESTIONNAIRES = {
    AuthenticationError: non_authentifie,
    PermissionDenied: refus,
    Http404: introuvable,
    ErreurSchema: schema_invalide,
    ErreurMetier: regle_refusee,
    HttpError: erreur_http,
    EnConflit: conflit,
}


class ParserJson(Parser):
    """The API reads JSON objects only. A multipart body is refused before the view runs:
    Django could not parse one without its boundary, and nothing here expects a file. Any
    other JSON value is refused too: the schemas read the attributes of whatever they get,
    so a list or a number would pass for an empty object (a move with no field would run)."""

    def parse_body(self, request):
        if request.content_type.startswith("multipart/"):
            raise ValueError(CORPS_ILLISIBLE)
        corps = super().parse_body(request)
        if not isinstance(corps, dict):
            raise ValueError(CORPS_ILLISIBLE)
        return corps
