"""Public pages, as a visitor sees them, and the production settings."""

import os
import re
import secrets
import string
import subprocess
import sys
from datetime import date
from html import unescape

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.settings.base import env_bool
from referentiel.models import EPCI
from territoires import services
from territoires.models import Perimetre
from territoires.selectors import vue_territoire, vues_territoires
from territoires.tests.fabriques import (
    decision,
    deux_territoires_en_phase_d_essai,
    epcis_libres_de_la_region,
    t,
    t2,
)

pytestmark = pytest.mark.django_db


# Reading pages


def texte(html: str) -> str:
    """Visible text: tags removed, entities decoded, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def page(client, url: str, **params) -> str:
    r = client.get(url, params)
    assert r.status_code == 200, url
    return r.content.decode()


def titre(html: str) -> str:
    [h1] = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return texte(h1)


def bloc(html: str, debut: str, fin: str) -> str:
    """The part of the page from `debut` to the next `fin`."""
    i = html.index(debut)
    return html[i : html.index(fin, i)]


def lignes_epci(html: str) -> dict[str, str]:
    """Rows of the territory's EPCI table, as text, by SIREN."""
    table = bloc(html, "<caption>Intercommunalités du territoire", "</table>")
    rows = [texte(r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)][1:]
    return {re.search(r"\b\d{9}\b", r).group(): r for r in rows}


def historique(html: str) -> list[str]:
    """Items of the territory's history, as raw HTML."""
    return re.findall(r"<li>(.*?)</li>", bloc(html, '<ol class="historique">', "</ol>"), re.S)


def badge_demo(item: str) -> bool:
    return bool(re.search(r'<span class="fr-badge[^"]*">Démonstration</span>', item))


# Data


# Pages


@pytest.mark.parametrize(
    "url, h1",
    [
        ("/", "Territoires d'industrie"),
        ("/carte/", "Carte des Territoires d'industrie"),
        ("/territoires/", "Les territoires"),
        ("/territoires/1/8401/", "Ardèche Drome (8401)"),
        ("/regions/", "Les régions"),
        ("/regions/84/", "Auvergne-Rhône-Alpes"),
        ("/api/", "API et données ouvertes"),
    ],
)
def test_chaque_page_repond_avec_son_titre_en_francais(client, url, h1):
    html = page(client, url)
    assert titre(html) == h1
    assert '<html lang="fr"' in html


@pytest.mark.parametrize("url", ["/carte/", "/territoires/1/8401/"])
def test_scripts_et_styles_servis_par_le_site(client, url):
    """No CDN (docs/adr/0004): the DSFR, Leaflet and the site's own files come from /static/."""
    html = page(client, url)
    assets = re.findall(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("leaflet.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset


def interregionaux_de_la_region(region: str) -> set[str]:
    """Codes of the phase-1 territories with communes in the région and in another one,
    computed from the perimeter rows, apart from the selectors."""
    regions: dict[str, set[str]] = {}
    for code, r in Perimetre.objects.filter(
        territoire__phase_id=1, date_fin__isnull=True
    ).values_list("territoire__code", "commune__region_id"):
        regions.setdefault(code, set()).add(r)
    return {code for code, rs in regions.items() if region in rs and len(rs) > 1}


def annonce(n: int) -> str:
    return f"{n} territoire{'s' if n > 1 else ''} correspond{'ent' if n > 1 else ''} aux filtres"


def test_liste_filtree_par_region_et_interregional(client):
    attendus = interregionaux_de_la_region("84")
    assert "7601" in attendus
    html = page(client, "/territoires/", phase="1", region="84", interregional="true")
    assert annonce(len(attendus)) in texte(html)
    assert set(re.findall(r'href="/territoires/1/(\w+)/"', html)) == attendus


def test_recherche_insensible_aux_accents(client):
    html = page(client, "/territoires/", phase="1", q="ardeche")
    assert "Ardèche Drome" in texte(html)
    assert 'href="/territoires/1/8401/"' in html
    assert "Aurillac" not in html


def test_filtre_invalide_donne_une_erreur_en_francais(client):
    html = page(client, "/territoires/", date="pas-une-date")
    erreurs = re.findall(r'<p class="fr-error-text"[^>]*>(.*?)</p>', html)
    assert erreurs == ["Saisissez une date au format jj/mm/aaaa, par exemple 14/07/2025."]
    assert 'value="pas-une-date"' in html


def test_filtre_invalide_n_annule_pas_les_autres_filtres(client):
    html = page(
        client, "/territoires/", phase="1", region="84", interregional="true", date="pas-une-date"
    )
    assert "Saisissez une date au format jj/mm/aaaa, par exemple 14/07/2025." in html
    attendus = interregionaux_de_la_region("84")
    assert annonce(len(attendus)) in texte(html)
    assert set(re.findall(r'href="/territoires/1/(\w+)/"', html)) == attendus


def test_page_territoire_signale_les_intercommunalites_en_partie(client):
    code, partiel, entier = next(
        (v.code, p, e)
        for v in vues_territoires(phase=1)
        for p in v.epcis
        if not p.entier
        for e in v.epcis
        if e.entier
    )
    lignes = lignes_epci(page(client, f"/territoires/1/{code}/"))
    assert "En partie" in lignes[partiel.siren]
    assert f"{partiel.communes_dans} / {partiel.communes_total}" in lignes[partiel.siren]
    assert "En partie" not in lignes[entier.siren]


def test_page_territoire_a_une_date_anterieure_a_un_retrait(client):
    t8408 = t("8408")
    epci = next(e for e in vue_territoire(t8408).epcis if e.entier)
    services.retirer_epci(
        territoire=t8408, epci=EPCI.objects.get(pk=epci.siren), decision=decision(date(2021, 1, 15))
    )
    veille = page(client, "/territoires/1/8408/", date="2021-01-14")
    assert epci.siren in lignes_epci(veille)
    assert "Périmètre au 14/01/2021" in texte(veille)
    aujourd_hui = page(client, "/territoires/1/8408/")
    assert epci.siren not in lignes_epci(aujourd_hui)
    # The history tells both changes, whatever the date shown.
    for html in (veille, aujourd_hui):
        items = [texte(i) for i in historique(html)]
        assert len(items) == 2
        assert items[0].startswith("22/11/2018 — Nouveau territoire")
        assert items[1].startswith("15/01/2021 — Retrait d'EPCI ou de communes")
        assert epci.nom in items[1]


def test_territoire_retire_garde_sa_page(client):
    services.retirer_territoire(territoire=t("8408"), decision=decision(date(2022, 6, 30)))
    html = page(client, "/territoires/1/8408/")
    assert "Retiré de la carte le 30/06/2022" in texte(html)
    assert "Périmètre au 29/06/2022" in texte(html)
    assert lignes_epci(html)
    assert "Retrait du territoire" in texte(historique(html)[-1])
    liste = page(client, "/territoires/", phase="1")
    assert "147 territoires correspondent" in texte(liste)
    assert 'href="/territoires/1/8408/"' not in liste


def test_decision_de_demonstration_signalee_par_un_badge(client):
    services.ajouter_epci(
        territoire=t2("ti-8401"),
        epci=epcis_libres_de_la_region(phase=2)[0],
        decision=decision(date(2025, 3, 10), demo=True),
    )
    creation, ajout = historique(page(client, "/territoires/2/ti-8401/"))
    assert "Nouveau territoire" in texte(creation) and not badge_demo(creation)
    assert "Ajout d'EPCI" in texte(ajout) and badge_demo(ajout)
    accueil = page(client, "/")
    derniers = re.findall(
        r"<li>(.*?)</li>", bloc(accueil, "Derniers changements de la carte", "</ul>"), re.S
    )
    assert "ti-8401" in texte(derniers[0]) and badge_demo(derniers[0])
    assert not any(badge_demo(item) for item in derniers[1:])


@pytest.mark.parametrize("url", ["/territoires/1/9999/", "/regions/99/"])
def test_page_inconnue_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/territoires/", "/regions/84/"])
def test_pages_en_nombre_constant_de_requetes(client, url):
    essai = deux_territoires_en_phase_d_essai().pk

    def requetes(phase: int, nb: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            html = page(client, url, phase=str(phase))
        assert len(set(re.findall(rf'href="/territoires/{phase}/(\w+)/"', html))) >= nb
        return len(ctx)

    assert requetes(1, 20) == requetes(essai, 2)


# Production settings


@pytest.mark.parametrize(
    "valeur, attendu",
    [
        ("False", False),
        ("false", False),
        ("0", False),
        ("no", False),
        ("non", False),
        ("", False),
        ("True", True),
        ("1", True),
        ("oui", True),
    ],
)
def test_variable_d_environnement_booleenne(monkeypatch, valeur, attendu):
    monkeypatch.setenv("DEBUG", valeur)
    assert env_bool("DEBUG") is attendu


def test_debug_absent_vaut_faux(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    assert env_bool("DEBUG") is False


def _environnement_de_production(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DEBUG", None)
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="example.org",
        SECURE_SSL_REDIRECT="1",
        **extra,
    )
    return env


def _reglage_de_production(nom: str, **extra: str) -> str:
    """A setting as production reads it, printed by a fresh interpreter."""
    code = f"from django.conf import settings; print(getattr(settings, {nom!r}, None))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=_environnement_de_production(**extra),
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


@pytest.mark.parametrize("debug", [None, "False", "0", ""])
def test_debug_desactive_par_defaut_en_production(debug):
    extra = {} if debug is None else {"DEBUG": debug}
    assert _reglage_de_production("DEBUG", **extra) == "False"


def test_check_deploy_sans_aucun_avertissement_en_production():
    env = _environnement_de_production(DEBUG="False")
    env.pop("SECURE_SSL_REDIRECT")  # the production defaults alone, HSTS included
    r = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    sortie = r.stdout + r.stderr
    assert re.findall(r"\(([\w.]+\.[EW]\d+)\)", sortie) == [], sortie
    assert "no issues" in sortie
