"""The filter menus of the fiche lists: written in one pass, the funders' menu kept per
version of the data for national readers, never shared with a reader who sees less."""

from __future__ import annotations

import re
from html import unescape

import pytest

from comptes.enums import TypeOrganisation
from comptes.models import Organisation

from .test_fiches_pages import creer, ligne, monde  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def financeurs(client, **params) -> list[tuple[str, str, bool]]:
    r = client.get("/fiches/", params)
    assert r.status_code == 200
    menu = re.search(r'<select[^>]*name="financeur"[^>]*>(.*?)</select>', r.content.decode(), re.S)
    return [
        (valeur, unescape(libelle), bool(choisie))
        for valeur, choisie, libelle in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', menu.group(1)
        )
    ]


def test_menu_des_financeurs_depuis_la_memoire_puis_apres_une_nouvelle_ligne(client, monde):  # noqa: F811
    w = monde
    creer(w, lignes=[ligne(w)])
    client.force_login(w["national"])
    avant = financeurs(client)
    assert avant == [("", "Tous", True), (str(w["bpi"].pk), "Bpifrance", False)]
    assert financeurs(client) == avant
    ademe = Organisation.objects.create(nom="ADEME", type=TypeOrganisation.OPERATEUR)
    creer(w, titre="Réseau de chaleur", lignes=[ligne(w, financeur=ademe)])
    assert [libelle for _v, libelle, _c in financeurs(client)] == ["Tous", "ADEME", "Bpifrance"]


def test_menu_des_financeurs_d_un_national_n_est_pas_montre_a_qui_voit_moins(client, monde):  # noqa: F811
    # A firm funding a line is named only to those who may see the firm.
    w = monde
    creer(w, lignes=[ligne(w, financeur=w["firme"])])
    client.force_login(w["national"])
    assert w["firme"].nom in [libelle for _v, libelle, _c in financeurs(client)]
    client.force_login(w["chef8408"])
    assert w["firme"].nom not in [libelle for _v, libelle, _c in financeurs(client)]
    client.force_login(w["chef"])
    assert w["firme"].nom in [libelle for _v, libelle, _c in financeurs(client)]


def test_le_financeur_choisi_reste_selectionne_et_un_autre_est_refuse(client, monde):  # noqa: F811
    w = monde
    creer(w, lignes=[ligne(w)])
    client.force_login(w["national"])
    menu = financeurs(client, financeur=w["bpi"].pk)
    assert [(v, c) for v, _l, c in menu] == [("", False), (str(w["bpi"].pk), True)]
    # An organisation funding no line is not a choice, even typed in the address.
    autre = Organisation.objects.create(nom="Sans ligne", type=TypeOrganisation.OPERATEUR)
    r = client.get("/fiches/", {"financeur": autre.pk})
    assert "Sélectionnez un choix valide" in r.content.decode()


def test_le_nom_d_un_financeur_est_echappe_dans_le_menu(client, monde):  # noqa: F811
    w = monde
    piege = Organisation.objects.create(nom='Fonds "A&B" <script>', type=TypeOrganisation.OPERATEUR)
    creer(w, lignes=[ligne(w, financeur=piege)])
    client.force_login(w["national"])
    html = client.get("/fiches/").content.decode()
    assert "Fonds &quot;A&amp;B&quot; &lt;script&gt;</option>" in html
    assert "<script>" not in html.split('name="financeur"')[1].split("</select>")[0]
    assert 'Fonds "A&B" <script>' in [libelle for _v, libelle, _c in financeurs(client)]
