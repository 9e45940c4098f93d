"""Pages with both phases loaded: the current phase by default, phase 1 at its dates and on
demand, phase-2 ids in URLs and tables, communes shared between territories."""

import re
from datetime import date

import pytest

from territoires import services
from territoires.models import Territoire
from territoires.tests.fabriques import decision
from www.tests.test_pages import annonce, page, texte, titre

pytestmark = pytest.mark.django_db


def test_accueil_presente_la_phase_en_vigueur(client):
    html = texte(page(client, "/"))
    assert "183 territoires (phase 2 (2023-2027))" in html
    assert "18 634 communes" in html
    assert "15 territoires interrégionaux" in html


def test_liste_par_defaut_phase_2_et_phase_1_a_une_date_d_avant_le_9_novembre_2023(client):
    html = page(client, "/territoires/")
    assert annonce(183) + " (phase 2 (2023-2027)" in texte(html)
    assert 'href="/territoires/2/ti-0101/"' in html
    assert '<td class="code">ti-0101</td>' in html
    # The phase select offers the phase in force at the date, selected by default.
    assert '<option value="" selected>En vigueur à la date</option>' in html
    avant = page(client, "/territoires/", date="2020-06-01")
    assert annonce(148) + " (phase 1 (2018-2022)" in texte(avant)
    assert re.search(r'href="/territoires/1/\d{4}/\?date=2020-06-01"', avant)
    assert "/territoires/2/" not in avant
    # Phase 1 on demand, today.
    assert annonce(148) in texte(page(client, "/territoires/", phase="1"))


def test_carte_annonce_la_phase_en_vigueur(client):
    assert "Phase 2 (2023-2027) : la phase en vigueur à la date choisie." in texte(
        page(client, "/carte/")
    )
    assert "Phase 1 (2018-2022) : la phase en vigueur" in texte(
        page(client, "/carte/", date="2020-06-01")
    )


def test_regions_comptent_les_territoires_de_la_phase_en_vigueur(client):
    html = texte(page(client, "/regions/84/"))
    # 24 territories of the région, and 4 interregional ones from its neighbours.
    assert "28 territoires en phase 2 (2023-2027), dont 4 interrégionaux" in html
    assert "phase 2 (2023-2027)" in texte(page(client, "/regions/"))


def test_page_d_un_territoire_de_phase_2_a_son_identifiant_ti(client):
    html = page(client, "/territoires/2/ti-8401/")
    assert titre(html).endswith("(ti-8401)")
    # « 8401 » in phase 2 leads to ti-8401; phase-1 URLs keep working.
    r = client.get("/territoires/2/8401/", {"date": "2024-01-01"})
    assert r.status_code == 302 and r["Location"] == "/territoires/2/ti-8401/?date=2024-01-01"
    assert titre(page(client, "/territoires/1/8401/")) == "Ardèche Drome (8401)"
    assert client.get("/territoires/2/ti-9999/").status_code == 404


def test_ancien_nom_a_une_date_anterieure_au_changement_de_nom(client):
    html = page(client, "/territoires/2/ti-8412/", date="2024-09-15")
    assert titre(html) == "Pays de Gex – Genevois – Pays Bellegardien (ti-8412)"
    assert "nom actuel : Pays de Gex – Genevois – Terre Valserhône" in texte(html)
    assert "Nouveau nom" in texte(html)


def test_commune_partagee_signalee_sur_la_page_de_chaque_territoire(client):
    t1, t2 = (Territoire.objects.get(phase_id=2, code=c) for c in ("ti-8401", "ti-8402"))
    commune = t2.perimetre.select_related("commune").order_by("commune_id").first().commune
    services.ajouter_communes(
        territoire=t1,
        communes=[commune.code],
        decision=decision(date(2025, 1, 6)),
        partagees=[commune.code],
    )
    for t, autre in ((t1, t2), (t2, t1)):
        html = texte(page(client, f"/territoires/2/{t.code}/"))
        assert f"1 commune partagée avec {autre.code} {autre.nom}" in html
        assert f"{commune.nom} commune partagée avec {autre.code}" in html
    autre = texte(page(client, "/territoires/2/ti-8403/"))
    assert "partagée" not in autre


def test_territoire_de_phase_2_a_une_date_d_avant_sa_creation(client):
    # The date picker of the page, set before the announcement of 9 November 2023: the
    # territory as it was created, said so, instead of a page not found.
    html = page(client, "/territoires/2/ti-7506/", date="2022-01-01")
    assert titre(html) == "Creuse Industrie (ti-7506)"
    assert "Ce territoire n'était pas sur la carte le 01/01/2022." in texte(html)
    assert "Périmètre au 09/11/2023" in texte(html)
    assert "Communes (314)" in texte(html)
