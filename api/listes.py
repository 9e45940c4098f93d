"""Public lists of the API kept as written JSON until the data changes (comptes.memoire).

A list that every caller reads the same way (public data, nothing that depends on the
reader) is validated and written once per version of the data and per query; the next
callers get the same bytes. Validating each object against its schema again on every
request was most of the time of such a list (`/territoires`: about 180 territories and their
intercommunalities, the perimeter aggregates themselves already kept per version of the map).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from pydantic import BaseModel, TypeAdapter

from comptes import memoire

JSON = "application/json; charset=utf-8"


def _cle(kwargs: dict) -> str:
    """The query as the operation read it (filters and page): equal queries, one key."""
    lu = {
        k: v.model_dump(mode="json") if isinstance(v, BaseModel) else v for k, v in kwargs.items()
    }
    return json.dumps(lu, sort_keys=True, default=str)


def publique(espace: str, schema, version: Callable[[], str] = lambda: "") -> Callable:
    """Decorates a view paginated by ninja (`@paginate` below this decorator) whose answer
    does not depend on who asks. `version()`: what else the answer depends on outside the
    journal of writes (a load of the referential, say), read on every request."""
    return _gardee(espace, schema, version, None)


def par_lecteur(espace: str, schema, lecteur: Callable) -> Callable:
    """The same for a list that depends on who asks (their scope), kept for each reader:
    `lecteur(request)` authenticates first (a bad token never reaches what is kept). Only for
    a list that carries no secret value: a kept answer skips the journal of secret reads."""
    return _gardee(espace, schema, lambda: "", lecteur)


def _gardee(espace: str, schema, version: Callable[[], str], lecteur) -> Callable:
    items = TypeAdapter(list[schema])

    def decorer(vue):
        @wraps(vue)
        def enveloppe(request, **kwargs):
            def ecrire() -> bytes:
                page = vue(request, **kwargs)
                page = {**page, "items": items.dump_python(items.validate_python(page["items"]))}
                return json.dumps(page, cls=DjangoJSONEncoder).encode()

            qui = lecteur(request) if lecteur else None
            cle = f"{version()}|{_cle(kwargs)}"
            return HttpResponse(memoire.memoriser(espace, cle, qui, ecrire), content_type=JSON)

        return enveloppe

    return decorer
