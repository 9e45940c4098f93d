"""The former tracking pages under /suivi/ redirect for good to /tableaux/deploiement/ with the
same filters; the tracking table there keeps what they showed: the phase in force by default,
the others on demand, a constant number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptes import memoire
from contrats.tests.fabriques import J, equipe
from www.tests.test_connexion_exigee import CONNEXION

pytestmark = pytest.mark.django_db
DEPLOIEMENT = "/tableaux/deploiement/"


@pytest.mark.parametrize(
    "ancienne, nouvelle",
    [
        ("/suivi/", DEPLOIEMENT),
        ("/suivi/?phase=1", f"{DEPLOIEMENT}?phase=1"),
        ("/suivi/regions/84/", f"{DEPLOIEMENT}?region=84"),
        ("/suivi/regions/84/?phase=toutes", f"{DEPLOIEMENT}?phase=toutes&region=84"),
    ],
)
def test_l_ancien_suivi_redirige_pour_de_bon_vers_le_deploiement_avec_ses_filtres(
    client, ancienne, nouvelle
):
    client.force_login(equipe()["national"])
    r = client.get(ancienne)
    assert r.status_code == 301
    assert r["Location"] == nouvelle
    assert client.get(nouvelle).status_code == 200


def test_l_ancien_suivi_regional_montre_les_territoires_de_la_region(client):
    client.force_login(equipe()["national"])
    html = client.get("/suivi/regions/84/", follow=True).content.decode()
    assert "ti-8401" in html and "ti-2704" not in html


def test_le_suivi_est_reserve_au_reseau(client):
    r = client.get(DEPLOIEMENT)
    assert r.status_code == 302 and r["Location"].startswith(CONNEXION)


def test_le_menu_signale_le_deploiement_sous_les_tableaux_ou_les_contrats(client):
    p = equipe()

    def courant(user) -> list[str]:
        client.force_login(user)
        html = client.get(DEPLOIEMENT).content.decode()
        return re.findall(r'aria-current="page"[^>]*>([^<]+)</a>', html)

    # Its own entry under « Tableaux de bord », which says it holds the current page.
    vus = courant(p["national"])
    assert "Suivi du déploiement" in vus and "Tableaux de bord" not in vus
    html = client.get(DEPLOIEMENT).content.decode()
    assert re.search(r'aria-controls="menu-tableaux" aria-current="true">Tableaux de bord<', html)
    from comptes.tests.fabriques import personne

    assert "Contrats" in courant(personne("sans.tableau@exemple.fr"))


def test_le_suivi_du_deploiement_en_nombre_de_requetes_constant(client):
    from territoires.models import Perimetre, Territoire

    client.force_login(equipe()["national"])
    pages = (DEPLOIEMENT, f"{DEPLOIEMENT}?region=84")
    with CaptureQueriesContext(connection) as beaucoup:
        for page in pages:
            assert client.get(page).status_code == 200
    # Few territories: the same pages once all but three are withdrawn from the map.
    garder = list(Territoire.objects.filter(code__in=["ti-8401", "ti-8408", "ti-8402"]))
    Perimetre.objects.exclude(territoire__in=garder).update(date_fin=J - timedelta(days=1))
    memoire.oublier()  # written here outside the journal, which the services go through
    with CaptureQueriesContext(connection) as peu:
        for page in pages:
            assert client.get(page).status_code == 200
    assert len(peu) == len(beaucoup)


def test_le_suivi_montre_par_defaut_la_phase_en_vigueur_et_les_autres_sur_demande(client):
    client.force_login(equipe()["national"])
    liens = {
        phase: set(re.findall(r'href="/territoires/(\d)/[^/"]+/contrat/"', html))
        for phase, html in (
            (None, client.get(DEPLOIEMENT).content.decode()),
            ("1", client.get(DEPLOIEMENT, {"phase": 1}).content.decode()),
            ("toutes", client.get(DEPLOIEMENT, {"phase": "toutes"}).content.decode()),
            ("region", client.get(DEPLOIEMENT, {"region": "84"}).content.decode()),
        )
    }
    assert liens == {None: {"2"}, "1": {"1"}, "toutes": {"1", "2"}, "region": {"2"}}
