"""The API's error answers in French: schema errors of a request (422, a list as before, each
`msg` in French), an unreadable body (400), and the rules refused by the domain (422)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as ErreurMetier
from ninja.parser import Parser

from referentiel import saisie

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
