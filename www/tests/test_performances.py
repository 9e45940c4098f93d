"""What keeps the pages fast at national scale, checked without timing anything: a bounded
number of queries per page, the same whatever the number of fiches; bounded page links; no
write to the database on a read."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from comptes.services import creer_jeton
from fiches.tests.fabriques import equipe, fiche
from www.commun.pages import paginer

pytestmark = pytest.mark.django_db

MAX_REQUETES = 15


def _pages(f) -> list[str]:
    return [
        "/fiches/",
        "/fiches/?page=2",
        "/fiches/?territoire=8401",
        f"/fiches/?financeur={f.lignes.first().financeur_id}",
        "/fiches/simplification/",
        f"/fiches/{f.uuid}/",
        "/territoires/",
        "/mesures/",
        "/api/v1/fiches",
        "/api/v1/fiches?territoire=8401",
        f"/api/v1/fiches/{f.uuid}",
        "/api/v1/territoires",
    ]


def _requetes(client, url, jeton) -> int:
    entetes = {"HTTP_AUTHORIZATION": f"Bearer {jeton}"} if url.startswith("/api/") else {}
    client.get(url, **entetes)  # once before: what a first visit sets up once is not counted
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, **entetes)
    assert r.status_code == 200, url
    return len(ctx)


def _fiches(p, n, debut=0):
    for k in range(debut, debut + n):
        code = "8401" if k % 2 else "8408"
        chef = p["chef"] if code == "8401" else p["chef8408"]
        fiche(
            chef,
            code=code,
            titre=f"Atelier partagé numéro {k}",
            axe="simplifier",
            cout=None,
            lignes=[],
            probleme="Trois services instruisent la même extension.",
        )


def test_listes_et_details_tiennent_en_quinze_requetes_quel_que_soit_le_nombre_de_fiches(
    client,
):
    p = equipe()
    f = fiche(p["chef"], titre="Ligne pilote de fabrication additive")
    _fiches(p, 2)
    client.force_login(p["national"])
    jeton = creer_jeton(p["national"])
    petit = {url: _requetes(client, url, jeton) for url in _pages(f)}
    _fiches(p, 60, debut=2)  # more than a page of fiches
    grand = {url: _requetes(client, url, jeton) for url in _pages(f)}
    assert {u: n for u, n in grand.items() if n > MAX_REQUETES} == {}
    assert grand == petit


def test_pages_d_un_chef_de_projet_en_requetes_bornees_quel_que_soit_le_nombre_de_fiches(
    client,
):
    p = equipe()
    f = fiche(p["chef"], titre="Ligne pilote de fabrication additive")
    _fiches(p, 2)
    client.force_login(p["chef"])
    jeton = creer_jeton(p["chef"])
    petit = {url: _requetes(client, url, jeton) for url in _pages(f)}
    _fiches(p, 60, debut=2)
    grand = {url: _requetes(client, url, jeton) for url in _pages(f)}
    # Their pages also show their work queue's count and log the secrets they read.
    assert {u: n for u, n in grand.items() if n > MAX_REQUETES} == {}
    assert grand == petit


def _a_froid(client, url, jeton) -> int:
    """The queries of the first visit after a write: nothing kept from before (comptes.memoire)."""
    from django.core.cache import cache

    entetes = {"HTTP_AUTHORIZATION": f"Bearer {jeton}"} if url.startswith("/api/") else {}
    client.get(url, **entetes)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, **entetes)
    assert r.status_code == 200, url
    return len(ctx)


def test_la_premiere_visite_apres_une_ecriture_reste_en_requetes_constantes(client):
    """What is kept per version of the data is computed again after each write: that visit
    too costs the same number of queries whatever the number of fiches."""
    p = equipe()
    f = fiche(p["chef"], titre="Ligne pilote de fabrication additive")
    _fiches(p, 2)
    client.force_login(p["chef"])
    jeton = creer_jeton(p["chef"])
    urls = [u for u in _pages(f) if str(f.uuid) in u or u == "/fiches/"]
    petit = {url: _a_froid(client, url, jeton) for url in urls}
    _fiches(p, 60, debut=2)
    assert {url: _a_froid(client, url, jeton) for url in urls} == petit


def _liens(html: str) -> list[str]:
    return re.findall(r'title="Page (\d+)"', html)


@pytest.mark.parametrize("page", [1, 2, 100, 200, 399, 400])
def test_les_liens_de_pages_restent_bornes_quelle_que_soit_la_longueur_de_la_liste(page):
    from django.template.loader import render_to_string

    request = RequestFactory().get("/fiches/", {"page": page, "q": "usine"})
    contexte = paginer(request, list(range(20_000)))  # 400 pages of 50
    html = render_to_string("commun/_pagination.html", contexte)
    liens = _liens(html)
    assert len(liens) <= 7
    # The first, the last and the current page are always there, with their neighbours.
    assert {"1", "400", str(page)} <= set(liens)
    assert {str(n) for n in (page - 1, page + 1) if 1 <= n <= 400} <= set(liens)
    assert f"q=usine&page={page + 1}" in html or page == 400


ECRITURE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# Each read of a firm's secret is logged by design (comptes.secrets, FAQ §7.3).
JOURNAL_DES_SECRETS = "comptes_lecturesecret"


def test_une_page_lue_n_ecrit_rien_en_base(client):
    """Signed in or not, pages and API (without a token here) read without writing."""
    p = equipe()
    f = fiche(p["chef"], titre="Ligne pilote de fabrication additive")
    _fiches(p, 3)
    for qui in (None, p["national"], p["chef"]):
        if qui is not None:
            client.force_login(qui)
        for url in _pages(f):
            if qui is None and ("fiches/" in url or url.startswith("/fiches")):
                continue  # an anonymous visitor sees only public fiches: a draft is a 404
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            ecritures = [
                q["sql"][:120]
                for q in ctx.captured_queries
                if ECRITURE.match(q["sql"]) and JOURNAL_DES_SECRETS not in q["sql"]
            ]
            assert ecritures == [], url


def test_la_phase_en_vigueur_est_lue_une_fois_par_requete_qui_lit_jamais_d_une_requete_a_l_autre():
    from territoires.lecture import phases_lues_une_fois
    from territoires.models import Phase
    from territoires.selectors import phase_courante

    with CaptureQueriesContext(connection) as ctx, phases_lues_une_fois():
        assert phase_courante() == phase_courante()
    assert len(ctx) == 1
    derniere = Phase.objects.order_by("numero").last()
    Phase.objects.filter(pk=derniere.pk).update(nom="Phase renommée")
    with phases_lues_une_fois():  # the next request reads it afresh
        assert [p.nom for p in Phase.objects.all() if p.pk == derniere.pk] == ["Phase renommée"]
        assert phase_courante().nom == Phase.objects.get(pk=phase_courante().pk).nom


def test_un_menu_de_liste_ne_compte_ses_choix_qu_une_fois(client):
    """A select of the filters reads its options in one query, not a COUNT then a read."""
    p = equipe()
    client.force_login(p["national"])
    client.get("/fiches/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/fiches/")
    comptes = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    # The paginator's counts are kept since the first read (comptes.memoire): none is left.
    assert comptes == [], comptes
