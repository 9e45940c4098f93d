"""The dashboards as each reader meets them: who sees which one (404 for the others), what
they count, the charts and their data tables, the exports that are exactly those tables."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from comptes import memoire
from contrats import suivi
from fiches.tests.fabriques import fiche

from .outils import lire_csv, lire_xlsx, nombre_francais, programme, tableau_html

pytestmark = pytest.mark.django_db

NATIONAL = "/tableaux/?phase=1"
REGION = "/tableaux/regions/84/?phase=1"
T8401 = "/tableaux/territoires/1/8401/"
T8408 = "/tableaux/territoires/1/8408/"
HORS_REGION = "/tableaux/territoires/1/0101/"  # Guadeloupe


@pytest.fixture
def p():
    return programme()


def _statut(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    r = client.get(url)
    return r.status_code, r.get("Location", "")


@pytest.mark.parametrize(
    ("qui", "url", "attendu"),
    [
        ("national", NATIONAL, 200),
        ("national", REGION, 200),
        ("national", HORS_REGION, 200),
        ("pilote", REGION, 200),
        ("pilote", T8401, 200),
        ("pilote", T8408, 200),
        ("pilote", "/tableaux/regions/11/", 404),
        ("pilote", HORS_REGION, 404),
        ("chef", T8401, 200),
        ("chef", T8408, 404),
        ("chef", REGION, 404),
        ("etat", T8401, 200),
        ("etat", REGION, 404),
        ("bpi", "/tableaux/", 404),
        ("bpi", REGION, 404),
        ("bpi", T8401, 404),
        ("sans_role", "/tableaux/", 404),
        ("sans_role", REGION, 404),
        ("sans_role", T8401, 404),
        ("national", "/tableaux/regions/99/", 404),
        ("national", "/tableaux/territoires/1/inconnu/", 404),
        # An export is the page's own figure: refused alike.
        ("chef", T8408 + "?figure=fiches-etapes&format=csv", 404),
        ("sans_role", NATIONAL + "&figure=fiches-etapes&format=xlsx", 404),
    ],
)
def test_chacun_ne_voit_que_les_tableaux_de_son_perimetre(client, p, qui, url, attendu):
    assert _statut(client, p[qui], url)[0] == attendu


def test_l_anonyme_est_invite_a_se_connecter(client, p):
    for url in (NATIONAL, REGION, T8401, "/tableaux/deploiement/"):
        statut, lieu = _statut(client, None, url)
        assert statut == 302 and lieu.startswith("/connexion/"), url


def test_tableaux_de_bord_mene_chacun_au_sien(client, p):
    assert _statut(client, p["pilote"], "/tableaux/") == (302, "/tableaux/regions/84/")
    assert _statut(client, p["chef"], "/tableaux/") == (302, "/tableaux/territoires/1/8401/")
    client.force_login(p["national"])
    assert "Tableau de bord national" in client.get("/tableaux/").content.decode()


def test_le_menu_propose_les_tableaux_de_bord_a_qui_en_a_un(client, p):
    for qui, voit in (("national", True), ("pilote", True), ("chef", True), ("sans_role", False)):
        client.logout()
        client.force_login(p[qui])
        page = client.get("/territoires/").content.decode()
        assert ('href="/tableaux/"' in page) is voit, qui
    client.logout()
    assert 'href="/tableaux/"' not in client.get("/territoires/").content.decode()


def _fiches_par_etape(client, user, url) -> dict[str, int]:
    client.force_login(user)
    sep = "&" if "?" in url else "?"
    lignes = lire_csv(client.get(f"{url}{sep}figure=fiches-etapes&format=csv").content)
    return {etape: int(n) for etape, n in lignes[1:]}


def test_les_fiches_se_comptent_dans_le_perimetre_du_lecteur(client, p):
    national = _fiches_par_etape(client, p["national"], NATIONAL)
    assert national["Brouillon"] == 1 and national["Retenue"] == 1
    assert sum(national.values()) == 2
    # The chef de projet of 8401 counts his territory's fiches, not the draft of 8408.
    chef = _fiches_par_etape(client, p["chef"], T8401)
    assert chef["Retenue"] == 1 and chef["Brouillon"] == 0
    assert _fiches_par_etape(client, p["pilote"], T8408)["Brouillon"] == 1
    # Phase 2 holds none of them.
    assert sum(_fiches_par_etape(client, p["national"], "/tableaux/?phase=2").values()) == 0


def test_les_fiches_par_axe_et_par_issue(client, p):
    fiche(p["chef"], axe="recruter", titre="Campus des métiers")
    client.force_login(p["national"])
    page = client.get(NATIONAL).content.decode()
    entetes, lignes = tableau_html(page, "fiches-classement")
    assert entetes[0] == "Axe" and "Retenues, inscrites ou réalisées" in entetes
    par_axe = {ligne[0]: ligne[1:] for ligne in lignes}
    assert list(par_axe) == ["Attirer", "Recruter", "Innover", "Simplifier"]
    retenues = entetes.index("Retenues, inscrites ou réalisées") - 1
    assert par_axe["Innover"][retenues] == "1"
    assert par_axe["Recruter"][0] == "1"  # the new draft, « en préparation »


def test_le_deploiement_par_region_mene_au_tableau_de_chaque_region(client, p):
    client.force_login(p["national"])
    page = client.get(NATIONAL).content.decode()
    entetes, lignes = tableau_html(page, "deploiement-regions")
    assert entetes == ["Région", "Territoires", "Contrats signés", "Territoires en retard"]
    ara = next(ligne for ligne in lignes if ligne[0] == "Auvergne-Rhône-Alpes")
    territoires = [d for d in suivi.deploiement(phase=1) if "84" in d.regions]
    assert int(ara[1]) == len(territoires) == 20
    assert int(ara[3]) == sum(d.en_retard for d in territoires)
    assert 'href="/tableaux/regions/84/?phase=1"' in page


def test_les_indicateurs_se_comparent_entre_territoires(client, p):
    client.force_login(p["pilote"])
    page = client.get(REGION).content.decode()
    _, lignes = tableau_html(page, "indicateurs")
    # « Emplois créés » (emplois) and « emplois crees » (Emplois): one indicator.
    assert lignes == [["Emplois créés", "emplois", "2", "2", "30", "11", "36,7 %"]]
    entetes, lignes = tableau_html(page, "indicateur-comparaison")
    assert entetes[-2:] == ["Mesurée le", "Atteinte de la cible (%)"]
    par_code = {ligne[0].split()[0]: ligne for ligne in lignes}
    assert par_code["8401"][1:] == ["1", "10", "6", "01/01/2022", "60 %"]
    assert par_code["8408"][1:] == ["1", "20", "5", "01/06/2021", "25 %"]
    # The chef of 8401 compares with the territories whose fiches he sees: not 8408's draft.
    client.force_login(p["chef"])
    _, lignes = tableau_html(client.get(T8401).content.decode(), "indicateur-comparaison")
    assert [ligne[0].split()[0] for ligne in lignes] == ["8401"]


def test_chaque_graphique_dessine_les_valeurs_de_son_tableau(client, p):
    client.force_login(p["national"])
    page = client.get(NATIONAL).content.decode()
    doc = lxml_html.fromstring(page)
    graphiques = doc.xpath("//bar-chart|//pie-chart|//line-chart")
    assert len(graphiques) >= 4
    for g in graphiques:
        section = g.xpath("ancestor::section[contains(@class, 'tableau-figure')]")[0]
        slug = section.get("id").removeprefix("figure-")
        _, lignes = tableau_html(page, slug)
        assert json.loads(g.get("x")) == [[ligne[0] for ligne in lignes]], slug
        # Its accessible name, and where its values are written.
        cadre = g.getparent()
        assert cadre.get("role") == "img" and cadre.get("aria-label").endswith(
            section.xpath(".//h3")[0].text_content()
        )
        assert doc.get_element_by_id(cadre.get("aria-describedby")) is not None
    # DSFR Chart comes from the platform itself, as a module, and no script is written inline.
    scripts = doc.xpath("//script")
    assert all(s.get("src") for s in scripts)
    assert any(
        s.get("src") == "/static/vendor/dsfr-chart/DSFRChart.js" and s.get("type") == "module"
        for s in scripts
    )


def test_exports_csv_et_xlsx_egaux_au_tableau(client, p):
    client.force_login(p["national"])
    page = client.get(NATIONAL).content.decode()
    sections = lxml_html.fromstring(page).xpath("//section[contains(@class,'tableau-figure')]")
    slugs = [s.get("id").removeprefix("figure-") for s in sections]
    assert {"deploiement-etapes", "fiches-etapes", "indicateurs", "carte"} <= set(slugs)
    for slug, section in zip(slugs, sections, strict=True):
        entetes, lignes = tableau_html(page, slug)
        if not entetes:
            continue  # an empty figure says so, and offers no file
        # The page's own links, its filters kept.
        liens = {
            a.text_content().split()[-1]: a.get("href") for a in section.xpath(".//a[@download]")
        }
        r_csv = client.get("/tableaux/" + liens["CSV"])
        r_xlsx = client.get("/tableaux/" + liens["XLSX"])
        assert r_csv["Content-Type"].startswith("text/csv")
        assert r_xlsx["Content-Disposition"].endswith('.xlsx"')
        csv_, xlsx = lire_csv(r_csv.content), lire_xlsx(r_xlsx.content)
        assert csv_[0] == entetes and xlsx[0] == entetes, slug
        assert len(csv_) == len(xlsx) == len(lignes) + 1, slug
        for ligne, en_csv, en_xlsx in zip(lignes, csv_[1:], xlsx[1:], strict=True):
            for texte, c, x in zip(ligne, en_csv, en_xlsx, strict=True):
                _meme_valeur(texte, c, x, slug)


def _meme_valeur(texte: str, en_csv: str, en_xlsx, slug: str) -> None:
    """A cell of the page, of the CSV and of the XLSX say the same thing."""
    if texte == "—":
        assert en_csv in ("", "—") and en_xlsx in (None, "—"), slug
    elif isinstance(en_xlsx, int | float):  # a number stays a number in the workbook
        assert nombre_francais(texte) == Decimal(en_csv), (slug, texte, en_csv)
        assert Decimal(str(en_xlsx)) == Decimal(en_csv), (slug, en_xlsx, en_csv)
    elif hasattr(en_xlsx, "year"):
        assert texte == en_xlsx.strftime("%d/%m/%Y") and en_csv == en_xlsx.date().isoformat()
    else:
        assert texte == en_csv == en_xlsx, slug


def test_la_carte_se_colore_selon_la_figure_choisie(client, p):
    client.force_login(p["pilote"])
    page = client.get(REGION + "&carte=retenues#carte").content.decode()
    doc = lxml_html.fromstring(page)
    lignes = doc.xpath("//table[@id='table-carte']/tbody/tr")
    valeurs = {tr.get("data-cle"): tr.xpath("./td")[0].get("data-valeur") for tr in lignes}
    assert valeurs["8401"] == "1" and valeurs["8408"] == "0"
    assert "0101" not in valeurs  # another région's territory
    carte = doc.get_element_by_id("carte-tableau")
    assert carte.get("data-table") == "table-carte"
    assert "region=84" in carte.get("data-api") and "phase=1" in carte.get("data-api")
    choisie = doc.xpath("//select[@name='carte']/option[@selected]")[0]
    assert choisie.text_content() == "Fiches retenues, inscrites ou réalisées"


def test_un_tableau_de_bord_se_calcule_en_un_nombre_fixe_de_requetes(client, p):
    client.force_login(p["national"])
    client.get(NATIONAL)  # warm caches (content types…)
    memoire.oublier()  # computed again, as after any write (comptes.memoire)
    with CaptureQueriesContext(connection) as avant:
        client.get(NATIONAL)
    for i in range(3):
        fiche(p["chef8408"], code="8408", titre=f"Autre fiche {i}")
    with CaptureQueriesContext(connection) as apres:
        assert client.get(NATIONAL).status_code == 200
    assert len(apres) == len(avant)


def test_un_tableau_de_territoire_montre_ses_etapes(client, p):
    client.force_login(p["chef"])
    page = client.get(T8401).content.decode()
    _, lignes = tableau_html(page, "deploiement-territoire")
    etapes = dict(lignes)
    assert etapes["Chef de projet"] == "désigné"
    assert etapes["Contrat"] == "—"
    assert "Manque :" in page and "contrat signé" in page
    assert 'id="carte-tableau"' not in page  # no map for one territory
