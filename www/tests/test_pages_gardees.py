"""What a page keeps from one visit to the next (comptes.memoire: per version of the data, day
and reader) is never stale: the first write that changes it shows on the next visit, and what
one reader may see never reaches another."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptes.enums import Role
from comptes.memoire import version, version_lue_une_fois
from comptes.models import Designation, LectureSecret
from comptes.permissions import portee
from comptes.services import creer_jeton
from comptes.tests.fabriques import personne
from fiches import services
from fiches.tests.fabriques import bdt, bpi, equipe, fiche
from notifications.tests.fabriques import fiche_de, monde
from territoires.tests.fabriques import t2

pytestmark = pytest.mark.django_db


def _nombre_du_menu(html: str) -> int:
    trouve = re.search(r"Ma file de travail <span[^>]*>(\d+)<", html)
    return int(trouve.group(1)) if trouve else 0


def test_le_nombre_du_menu_suit_la_premiere_ecriture_qui_le_change(client):
    w = monde()
    client.force_login(w["chef"])
    assert _nombre_du_menu(client.get("/fiches/").content.decode()) == 0
    fiche_de(w)  # a draft: the team submits it
    assert _nombre_du_menu(client.get("/fiches/").content.decode()) == 1
    assert _nombre_du_menu(client.get("/territoires/").content.decode()) == 1
    fiche_de(w, titre="Second atelier")
    assert _nombre_du_menu(client.get("/fiches/").content.decode()) == 2
    # Another person's count is their own, not the one kept for the team.
    client.force_login(w["chef_autre"])
    assert _nombre_du_menu(client.get("/fiches/").content.decode()) == 0


def test_la_page_d_une_fiche_montre_ce_qui_vient_d_y_etre_ecrit(client):
    p = equipe()
    f = fiche(p["chef"], titre="Ligne pilote de fabrication additive")
    client.force_login(p["chef"])
    assert "Un mot du comité" not in client.get(f"/fiches/{f.uuid}/").content.decode()
    services.commenter(user=p["chef"], fiche=f, texte="Un mot du comité")
    assert "Un mot du comité" in client.get(f"/fiches/{f.uuid}/").content.decode()
    client.force_login(p["national"])
    jeton = {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(p['national'])}"}
    pages = {f"/fiches/{f.uuid}/": {}, f"/api/v1/fiches/{f.uuid}": jeton}
    for url, entetes in pages.items():
        assert "Banque des territoires" not in client.get(url, **entetes).content.decode(), url
    f.refresh_from_db()
    services.modifier_fiche(
        user=p["chef"], fiche=f, version=f.version, donnees={}, m2m={"partenaires": [bdt()]}
    )
    for url, entetes in pages.items():
        assert "Banque des territoires" in client.get(url, **entetes).content.decode(), url


def test_les_fiches_semblables_gardees_restent_celles_que_chacun_peut_voir(client):
    p = equipe()
    vue = fiche(p["chef8408"], code="8408", titre="Ligne pilote de fabrication additive")
    # A draft of 8401, seen by the national delegation, not by the chef de projet of 8408.
    brouillon = fiche(p["chef"], titre="Ligne pilote de fabrication additive bis")
    client.force_login(p["national"])
    assert brouillon.reference in client.get(f"/fiches/{vue.uuid}/").content.decode()
    client.force_login(p["chef8408"])
    assert brouillon.reference not in client.get(f"/fiches/{vue.uuid}/").content.decode()


def test_les_secrets_lus_par_une_page_sont_journalises_ensemble_a_chaque_visite(client):
    p = equipe()
    f = fiche(p["chef"], champs_secrets=["cout_total"])
    client.force_login(p["chef"])
    for visite in (1, 2):
        avant = LectureSecret.objects.count()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/fiches/{f.uuid}/").status_code == 200
        lus = LectureSecret.objects.filter(lecteur=p["chef"]).order_by("-pk")
        champs = sorted(
            lus.values_list("champ", flat=True)[: LectureSecret.objects.count() - avant]
        )
        assert "cout_total" in champs, visite  # logged at every visit, kept page or not
        inserts = [q for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
        assert len(inserts) == 2, visite  # the reads, then their territories


def test_la_portee_d_une_personne_se_lit_en_une_requete():
    t = t2("ti-8401")
    user = personne("referent@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bpi())
    d = Designation.objects.get(personne__compte=user)
    d.territoires.add(t)
    Designation.objects.create(
        personne=d.personne, role=Role.REFERENT_ETAT, territoire=t, date_debut=date(2019, 1, 1)
    )
    Designation.objects.create(  # ended: no right left
        personne=d.personne,
        role=Role.CHEF_PROJET,
        territoire=t2("ti-8408"),
        date_debut=date(2019, 1, 1),
        date_fin=date(2020, 1, 1),
    )
    with CaptureQueriesContext(connection) as ctx:
        p = portee(user)
    assert len(ctx) == 1
    assert p.operateurs == {bpi().pk} and p.territoires_operateur == {t.pk}
    assert p.territoires_etat == p.territoires_role == {t.pk}
    assert not p.national and p.territoires_equipe == set()
    sans_personne = type(user).objects.create_user("seul@exemple.fr", "x")
    assert portee(sans_personne).authentifie and not portee(sans_personne).territoires_role


def test_la_version_des_donnees_est_lue_une_fois_par_requete_qui_lit_puis_relue():
    p = equipe()
    with CaptureQueriesContext(connection) as ctx, version_lue_une_fois():
        assert version() == version()
    assert len(ctx) == 1
    avant = version()
    fiche(p["chef"])  # a journaled write
    with version_lue_une_fois():  # the next request reads it afresh
        assert version() > avant
