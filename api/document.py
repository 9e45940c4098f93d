"""The OpenAPI document says every answer an operation may give.

Errors are answered by api.erreurs for every operation alike, whatever its router declares:
400 (an address with a control character, an unreadable body), 401 (a bad token, or none on a
write), 403, 404 and 422. They are added here, once, to each operation that does not declare
them; 409 stays with the operations under an optimistic lock, 429 with the token endpoint.

What the API reads, the document also says as it is checked: a text never holds a control
character (referentiel.saisie, for addresses and bodies alike), a decimal written as text is
digits, a file sent is not empty.
"""

from __future__ import annotations

from ninja import NinjaAPI

ERREURS_DE_TOUTE_OPERATION = {
    "400": "Adresse ou corps de requête illisible (caractère de contrôle, JSON invalide).",
    "401": "Jeton absent, invalide ou expiré.",
    "403": "Action qui ne vous revient pas sur un objet que vous voyez.",
    "404": "Introuvable, ou hors de votre portée.",
    "422": "Entrée refusée : par le schéma (liste des erreurs) ou par une règle du domaine.",
}


# Any character but the control characters refused by referentiel.saisie.caracteres_interdits.
TEXTE = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]*$"
DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"


def _decimal(nombre: dict) -> str:
    """A decimal written as text, within what its number form declares: fewer whole digits
    than its maximum has, as many decimals as its step allows."""
    if "maximum" not in nombre:
        return DECIMAL
    entiers = max(len(str(int(nombre["maximum"]))) - 1, 1)
    pas = str(nombre.get("multipleOf", ""))
    decimales = len(pas.split(".")[1]) if "." in pas else 0
    fraction = rf"(\.[0-9]{{1,{decimales}}})?" if decimales else ""
    signe = "" if nombre.get("minimum", -1) >= 0 else "-?"
    return rf"^{signe}[0-9]{{1,{entiers}}}{fraction}$"


def _erreur(description: str) -> dict:
    schema = {"$ref": "#/components/schemas/Erreur"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _preciser(schema, composants: dict, vus: set) -> None:
    """The texts, decimals and files of a schema read by the API, as they are checked."""
    if isinstance(schema, list):
        for element in schema:
            _preciser(element, composants, vus)
        return
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        nom = schema["$ref"].rsplit("/", 1)[-1]
        if nom not in vus:
            vus.add(nom)
            _preciser(composants[nom], composants, vus)
        return
    # An optional bounded integer: django-ninja leaves pydantic's names, unknown to JSON Schema.
    for pydantic_, json_schema in (
        ("ge", "minimum"),
        ("le", "maximum"),
        ("gt", "exclusiveMinimum"),
        ("lt", "exclusiveMaximum"),
    ):
        if pydantic_ in schema:
            schema[json_schema] = schema.pop(pydantic_)
    variantes = schema.get("anyOf", [])
    nombres = [v for v in variantes if v.get("type") == "number"]
    if nombres and {"type": "string"} in variantes:
        variantes[variantes.index({"type": "string"})] = {
            "type": "string",
            "pattern": _decimal(nombres[0]),
        }
    if schema.get("type") == "string" and schema.get("format") == "binary":
        schema.setdefault("minLength", 1)
    elif schema.get("type") == "string" and not {"enum", "format", "pattern", "const"} & set(
        schema
    ):
        schema["pattern"] = TEXTE
    for cle in ("properties", "additionalProperties", "items", "anyOf", "oneOf", "allOf"):
        valeur = schema.get(cle)
        if cle == "properties" and valeur:
            valeur = list(valeur.values())
        _preciser(valeur, composants, vus)


def completer(document: dict) -> dict:
    """Each operation of `document` with the error answers it may give, declared once, and
    what it reads as it is checked."""
    composants, vus = document.get("components", {}).get("schemas", {}), set()
    for operations in document["paths"].values():
        for operation in operations.values():
            reponses = operation["responses"]
            for statut, description in ERREURS_DE_TOUTE_OPERATION.items():
                # Keys are integers as django-ninja writes them; strings once serialised.
                if statut not in reponses and int(statut) not in reponses:
                    reponses[statut] = _erreur(description)
            for parametre in operation.get("parameters", []):
                _preciser(parametre.get("schema"), composants, vus)
            for contenu in operation.get("requestBody", {}).get("content", {}).values():
                _preciser(contenu.get("schema"), composants, vus)
    return document


class ApiDocumentee(NinjaAPI):
    """The API whose OpenAPI document lists every error answer of each operation."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return completer(document)
