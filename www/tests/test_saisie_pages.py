"""Inputs the pages used to answer with a failure: integers beyond what the database holds in
an address or a filter, a NUL character in an address (PostgreSQL), a row count of the fiche
forms that is not a number, a meeting that is not one when a perimeter request is put on an
agenda. Each is now the page's own error, in French, and nothing is written."""

import re
import uuid

import pytest
from django.urls import URLResolver, get_resolver

from comptes.enums import Role
from comptes.tests.fabriques import personne, territoire
from fiches.models import FicheAction
from gouvernance import demandes, services
from gouvernance.enums import NatureDemande
from gouvernance.models import PointOrdreDuJour
from gouvernance.tests.fabriques import gens, quand
from referentiel.models import EPCI, Region
from www.fiches.forms_etapes import COMPTEURS_ILLISIBLES

from . import test_fiches_pages as pages
from .test_fiches_pages import creer, edition, etapes_1_a_3, financement, ligne, texte

monde = pages.monde  # the world of the pages' tests, as a fixture here too

pytestmark = pytest.mark.django_db

GRAND = "99999999999999999999"  # beyond 64 bits


# --- Integers in addresses and filters ----------------------------------------------------


def _routes_a_entier() -> list[str]:
    """Every page route with an integer in its path (the API has its own tests)."""

    def parcourir(motifs, prefixe=""):
        for m in motifs:
            route = prefixe + str(m.pattern)
            if isinstance(m, URLResolver):
                if not route.startswith(("admin/", "api/")):
                    yield from parcourir(m.url_patterns, route)
            elif re.search(r"<(int|entier):", route):
                yield route

    return sorted(set(parcourir(get_resolver().url_patterns)))


def _adresse(route: str) -> str:
    route = re.sub(r"<(int|entier):\w+>", GRAND, route)
    route = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), route)
    route = re.sub(r"<str:code>", "8401", route)
    return "/" + re.sub(r"<\w+:\w+>", "contrat", route)


def test_chaque_page_a_identifiant_repond_sans_erreur_a_un_entier_trop_grand(client):
    routes = _routes_a_entier()
    assert "territoires/<entier:phase>/<str:code>/" in routes
    client.force_login(personne("national@exemple.fr", Role.NATIONAL))
    for route in routes:
        url = _adresse(route)
        r = client.get(url)
        if r.status_code == 405:
            r = client.post(url, {"reunion": GRAND, "version": GRAND, "ligne": GRAND})
        assert r.status_code in (302, 400, 404), (route, r.status_code)


def test_entier_trop_grand_dans_les_filtres_des_pages(client):
    assert client.get(f"/territoires/{GRAND}/8401/").status_code == 404
    assert client.get("/regions/84/", {"phase": GRAND}).status_code == 200
    client.force_login(personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401")))
    for trop_grand in (GRAND, "9" * 5000):
        assert client.get("/gouvernance/", {"territoire": trop_grand}).status_code == 200
    r = client.get("/fiches/", {"territoire": f"{GRAND}-8401"})
    assert r.status_code == 200
    assert f"Aucun territoire n'a le code « {GRAND}-8401 »" in texte(r.content.decode())


@pytest.mark.parametrize(
    "url", ["/regions/%00/", "/territoires/1/%00/", "/gouvernance/?region=%00"]
)
def test_caractere_nul_dans_l_adresse_d_une_page_400_en_francais(client, url):
    client.force_login(personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401")))
    r = client.get(url)
    assert r.status_code == 400
    assert r.content.decode() == (
        "Adresse invalide : elle contient un caractère invisible ou invalide (U+0000)."
    )


# --- Multiple choices (partners, measures) ----------------------------------------------------


@pytest.mark.parametrize("valeur", [GRAND, "-" + GRAND, "-1"])
def test_partenaire_ou_mesure_hors_des_entiers_refuse_en_francais_sans_rien_perdre(
    client, monde, valeur
):
    w = monde
    client.force_login(w["chef"])
    r = client.get("/fiches/nouvelle/", {"territoire": "1-8401"})
    base = r.url.rsplit("/", 2)[0]
    action = {
        "titre": "Banc mutualisé",
        "axe": "innover",
        "porteur": w["firme"].pk,
        "collective": "1",
        "maturite": "mature",
        "aller": "suivant",
    }
    r = client.post(f"{base}/action/", {**action, "partenaires": [w["bpi"].pk, valeur]})
    assert r.status_code == 200  # the step again, with the reason
    html = texte(r.content.decode())
    assert f"Partenaires : Sélectionnez un choix valide. {valeur} n’en fait pas partie." in html
    assert 'value="Banc mutualisé"' in r.content.decode()  # nothing typed is lost
    r = client.post(f"{base}/action/", {**action, "partenaires": [w["bpi"].pk]})
    assert r.status_code == 302 and r.url == f"{base}/contenu/"
    r = client.post(f"{base}/contenu/", {"contexte": "Bancs d'essai.", "mesures": [valeur]})
    assert r.status_code == 200
    assert f"Sélectionnez un choix valide. {valeur} n’en fait pas partie." in texte(
        r.content.decode()
    )
    assert FicheAction.objects.count() == 0


def test_partenaire_hors_des_entiers_a_la_modification_rien_ne_change(client, monde):
    w = monde
    fiche = creer(w)
    client.force_login(w["chef"])
    data = edition(w, fiche, titre="Nouveau titre", partenaires=[GRAND], mesures=[GRAND])
    r = client.post(f"/fiches/{fiche.uuid}/modifier/", data)
    assert r.status_code == 200  # the form again, with the reason
    assert f"Sélectionnez un choix valide. {GRAND} n’en fait pas partie." in texte(
        r.content.decode()
    )
    fiche.refresh_from_db()
    assert (fiche.titre, fiche.version) == ("Atelier partagé de prototypage", 1)


# --- Row counts of the fiche forms ----------------------------------------------------------


@pytest.mark.parametrize("aller", ["suivant", "ajouter_ligne", "precedent"])
def test_nombre_de_lignes_illisible_a_la_creation_erreur_claire_sans_rien_perdre(
    client, monde, aller
):
    w = monde
    client.force_login(w["chef"])
    url4 = etapes_1_a_3(client, w)
    r = client.post(url4, financement(w, "70000", **{"lignes-TOTAL_FORMS": "abc", "aller": aller}))
    assert r.status_code == 400
    html = r.content.decode()
    assert COMPTEURS_ILLISIBLES in texte(html)
    assert 'name="lignes-TOTAL_FORMS" value="1"' in html  # recounted from the rows sent
    assert 'value="70\u202f000"' in html and "Entreprises utilisatrices" in html
    assert FicheAction.objects.count() == 0
    # The input stays in the draft: the step reads back, and goes on once sent again.
    assert 'value="70\u202f000"' in client.get(url4).content.decode()
    r = client.post(url4, financement(w, "70000"))
    assert r.status_code == 302 and r.url.endswith("/verification/")


def test_nombre_de_lignes_illisible_a_la_modification_erreur_claire_rien_ne_change(client, monde):
    w = monde
    fiche = creer(w, lignes=[ligne(w, "5000")])
    client.force_login(w["chef"])
    data = edition(
        w,
        fiche,
        titre="Nouveau titre",
        **{
            "lignes-TOTAL_FORMS": "abc",
            "lignes-INITIAL_FORMS": "1",
            "lignes-0-financeur": w["bpi"].pk,
            "lignes-0-section": "investissement",
            "lignes-0-montant": "7500",
        },
    )
    for aller in ("enregistrer", "ajouter_ligne"):
        r = client.post(f"/fiches/{fiche.uuid}/modifier/", {**data, "aller": aller})
        assert r.status_code == 400
        html = r.content.decode()
        assert COMPTEURS_ILLISIBLES in texte(html)
        assert 'value="Nouveau titre"' in html and 'value="7\u202f500"' in html
    fiche.refresh_from_db()
    assert (fiche.titre, fiche.version) == ("Atelier partagé de prototypage", 1)
    assert [li.montant for li in fiche.lignes.all()] == [5000]


# --- A perimeter request put on the agenda of a meeting ------------------------------------


@pytest.mark.parametrize("reunion", ["zzz", GRAND, "", "-1"])
def test_inscrire_une_demande_a_une_reunion_illisible_400_en_francais(client, reunion):
    g = gens()
    t = territoire("8401")
    d = demandes.deposer(
        user=g["chef"],
        nature=NatureDemande.RETRAIT_EPCI,
        territoire=t,
        epci=EPCI.objects.get(siren="200072015"),
        demandeur_territoire=t,
    )
    copil = services.copil_regional(Region.objects.get(code="84"))
    services.planifier_reunion(user=g["pilote"], comite=copil, debut=quand(2020, 2, 3))
    client.force_login(g["pilote"])
    r = client.post(f"/gouvernance/demandes/{d.pk}/inscrire/", {"reunion": reunion})
    assert r.status_code == 400
    html = texte(r.content.decode())
    assert "Rien n'a été enregistré" in html
    message = (
        "Choisissez la réunion du COPIL régional."
        if reunion == ""
        else "Choisissez une réunion du COPIL régional dans la liste."
    )
    assert f"Réunion du COPIL régional : {message}" in html
    assert PointOrdreDuJour.objects.count() == 0
    d.refresh_from_db()
    assert d.etat == "deposee"
