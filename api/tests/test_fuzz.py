"""The API under fuzzing: schemathesis reads /api/v1/openapi.json and sends, for every
operation, requests that the document says are valid and requests it says are not, anonymously
and with a demonstration persona's token, on the demonstration's data. Every answer must:
- never be a server error;
- carry a status the document declares for that operation, with a body that matches its schema;
- for a valid request, never be a refusal of its form (400, or 422 listing schema errors: a
  rule of the domain may still refuse it, 422 with its French sentence);
- for an invalid one, be a refusal (4xx).

Bounded so that it runs in CI in a few minutes: a few examples per operation and mode, found
again identically on each run (derandomised), no shrinking; the requests go through the WSGI
application in the test's transaction, so nothing outlives the test."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from comptes.models import Utilisateur
from comptes.services import creer_jeton
from demo.loader import load_demo

pytestmark = pytest.mark.django_db
EXEMPLES = 8  # per operation and per mode (valid, invalid)
# Compressed answers would reach the checks as bytes: the WSGI client does not inflate them.
EN_TETES = {"Accept-Encoding": "identity"}


def forme_acceptee(ctx, response, case):
    """A request the document says is valid is never refused for its form."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code == 400 or (
        response.status_code == 422 and isinstance(response.json().get("detail"), list)
    ):
        raise AssertionError(f"Requête valide refusée ({response.status_code}) : {response.text}")
    return None


def non_conforme_refuse(ctx, response, case):
    """A request the document says is invalid is refused. Except in a multipart form, which
    carries only texts: a `nom` generated as the boolean false is the valid text "false"."""
    if case.media_type and case.media_type.startswith("multipart/"):
        return None
    return negative_data_rejection(ctx, response, case)


VERIFICATIONS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    forme_acceptee,
    non_conforme_refuse,
]


def _fermee(application):
    """The answer read whole and closed, as a WSGI server does (a file served is closed)."""

    def wsgi(environ, start_response):
        reponse = application(environ, start_response)
        try:
            return [b"".join(reponse)]
        finally:
            reponse.close()

    return wsgi


@pytest.fixture
def application(settings, tmp_path):
    """The site's WSGI application, serving in the test's transaction: Django's own test
    client does the same, since closing the connection after a request would end it. The
    files it is sent are kept in this test's folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    load_demo()
    yield _fermee(get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _essayer(operation, mode, en_tetes, compte: Counter, echecs: dict) -> None:
    @settings(
        max_examples=EXEMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def essai(case):
        compte[mode.value] += 1
        try:
            case.call_and_validate(headers=en_tetes, checks=VERIFICATIONS)
        except (Failure, FailureGroup) as exc:
            for failure in getattr(exc, "exceptions", [exc]):
                cle = (operation.label, mode.value, failure.title)
                echecs.setdefault(cle, str(failure)[:600] + "\n" + case.as_curl_command())

    try:
        essai()
    except Unsatisfiable:
        compte[f"{mode.value} impossible"] += 1  # nothing in the document can be made invalid


def _fuzz(application, en_tetes: dict) -> tuple[Counter, dict]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    compte, echecs = Counter(), {}
    for resultat in schema.get_all_operations():
        operation = resultat.ok()
        compte["operations"] += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _essayer(operation, mode, {**EN_TETES, **en_tetes}, compte, echecs)
    return compte, echecs


def _rapport(echecs: dict) -> str:
    return "\n\n".join(
        f"{op} [{mode}] {titre}\n{texte}" for (op, mode, titre), texte in echecs.items()
    )


def test_fuzz_api_anonyme(application):
    compte, echecs = _fuzz(application, {})
    assert compte["operations"] >= 78 and compte["positive"] + compte["negative"] > 1000
    assert echecs == {}, _rapport(echecs)


def test_fuzz_api_personne(application):
    """As the demonstration's project leader of ti-8401, whose token writes in her scope."""
    jeton = creer_jeton(Utilisateur.objects.get(email="chef.8401@demo.ti"))
    compte, echecs = _fuzz(application, {"Authorization": f"Bearer {jeton}"})
    assert compte["operations"] >= 78 and compte["positive"] + compte["negative"] > 1000
    assert echecs == {}, _rapport(echecs)
