"""Public lists kept as written JSON per version of the data (api.listes): the same answer
from memory as computed, a new one after any change of what it shows."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from referentiel.models import Commune, ImportReferentiel
from territoires import services
from territoires.tests.fabriques import decision, t

pytestmark = pytest.mark.django_db

URL = "/api/v1/territoires"


def _lire(client, **params):
    with CaptureQueriesContext(connection) as q:
        r = client.get(URL, {"phase": 1, "limit": 200, **params})
    assert r.status_code == 200
    return r, [x["sql"] for x in q.captured_queries]


def _de(r, code: str) -> dict:
    return next(x for x in r.json()["items"] if x["code"] == code)


def test_api_territoires_meme_reponse_depuis_la_memoire(client):
    premiere, calcul = _lire(client)
    seconde, relue = _lire(client)
    assert seconde.content == premiere.content
    assert seconde["Content-Type"] == premiere["Content-Type"]
    # Read from memory: the perimeters are not read again.
    assert any("territoires_perimetre" in sql for sql in calcul)
    assert not any("territoires_perimetre" in sql for sql in relue)
    assert len(relue) <= 5


def test_api_territoires_filtres_et_pages_ont_chacun_leur_reponse(client):
    tout, _ = _lire(client)
    page, _ = _lire(client, limit=10, offset=20)
    region, _ = _lire(client, region="84")
    assert page.json()["items"] == tout.json()["items"][20:30]
    assert page.json()["count"] == tout.json()["count"] == 148
    assert {x["code"] for x in region.json()["items"]} < {x["code"] for x in tout.json()["items"]}


def test_api_territoires_change_apres_un_changement_de_perimetre(client):
    avant, _ = _lire(client)
    t8408 = t("8408")
    commune = t8408.perimetre.filter(date_fin__isnull=True).order_by("commune_id")[0].commune_id
    services.retirer_communes(
        territoire=t8408, communes=[commune], decision=decision(date(2021, 1, 1))
    )
    apres, _ = _lire(client)
    assert _de(apres, "8408")["nb_communes"] == _de(avant, "8408")["nb_communes"] - 1


def test_api_territoires_change_apres_un_chargement_du_referentiel(client):
    # A load of the referential writes populations outside the journal of writes.
    avant, _ = _lire(client)
    commune = t("8408").perimetre.filter(date_fin__isnull=True).order_by("commune_id")[0]
    Commune.objects.filter(code=commune.commune_id).update(population=F("population") + 1000)
    ImportReferentiel.objects.create(millesime="2099", empreinte="0" * 64)
    apres, _ = _lire(client)
    assert _de(apres, "8408")["population"] == _de(avant, "8408")["population"] + 1000


def test_api_territoires_la_meme_pour_un_jeton_et_sans(client, django_user_model):
    from comptes.services import creer_jeton

    compte = django_user_model.objects.create_user(email="lecteur@exemple.fr", password="x")
    sans, _ = _lire(client)
    r = client.get(
        URL, {"phase": 1, "limit": 200}, HTTP_AUTHORIZATION=f"Bearer {creer_jeton(compte)}"
    )
    assert r.content == sans.content


# --- The fiches' list, kept per reader ----------------------------------------------------


def _fiches(client, jeton=None, **params):
    entetes = {"HTTP_AUTHORIZATION": f"Bearer {jeton}"} if jeton else {}
    r = client.get("/api/v1/fiches", params, **entetes)
    return r.status_code, (r.json() if r.status_code == 200 else None)


def test_api_fiches_gardee_pour_chaque_lecteur_et_a_jour_apres_une_ecriture(client):
    from comptes.services import creer_jeton
    from fiches.tests.fabriques import equipe, fiche

    p = equipe()
    fiche(p["chef"], titre="Banc de test partagé")
    chef, autre = creer_jeton(p["chef"]), creer_jeton(p["chef8408"])
    _, vue_chef = _fiches(client, chef)
    assert [f["titre"] for f in vue_chef["items"]] == ["Banc de test partagé"]
    # Same address, another reader: their own scope, not the first reader's kept answer.
    assert _fiches(client, autre)[1]["count"] == 0
    assert _fiches(client)[1]["count"] == 0  # anonymous: contracted fiches only
    assert _fiches(client, chef)[1] == vue_chef
    fiche(p["chef"], titre="Ligne de peinture")
    assert _fiches(client, chef)[1]["count"] == 2
    # A bad token is refused even where an answer is kept.
    assert _fiches(client, chef + "x")[0] == 401
