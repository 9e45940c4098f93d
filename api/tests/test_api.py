"""Public JSON API v1, as a client sees it: lists, details, GeoJSON, OpenAPI, read-only."""

import json
import re
from datetime import date

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from referentiel.models import Commune
from territoires import services
from territoires.models import Perimetre, Territoire
from territoires.selectors import vues_territoires
from territoires.tests.fabriques import (
    decision,
    deux_territoires_en_phase_d_essai,
    epcis_libres_de_la_region,
    t,
)

pytestmark = pytest.mark.django_db

GEOJSON = "application/geo+json"

CHAMPS_TERRITOIRE = {
    "code",
    "nom",
    "phase",
    "regions",
    "interregional",
    "pilote",
    "population",
    "nb_communes",
    "epcis",
}
CHAMPS_EPCI = {
    "siren",
    "nom",
    "nature",
    "part_communes",
    "part_population",
    "communes_dans",
    "communes_total",
}


def features(response) -> list[dict]:
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    return data["features"]


# Lists


def test_liste_phase_1_compte_148_territoires_avec_les_champs_documentes(client):
    r = client.get("/api/v1/territoires", {"phase": 1})
    assert r.status_code == 200
    data = r.json()
    assert set(data) == {"items", "count"}
    assert data["count"] == 148
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(schemas["TerritoireOut"]["properties"]) == CHAMPS_TERRITOIRE
    assert set(schemas["EpciPartOut"]["properties"]) == CHAMPS_EPCI
    for item in data["items"]:
        assert set(item) == CHAMPS_TERRITOIRE
        assert item["phase"] == 1
        assert item["population"] > 0 and item["nb_communes"] > 0
        assert item["epcis"]
        for e in item["epcis"]:
            assert set(e) == CHAMPS_EPCI
            assert 0 < e["part_communes"] <= 1
            assert 0 < e["communes_dans"] <= e["communes_total"]


def test_liste_des_territoires_interregionaux_de_la_phase_1(client):
    data = client.get("/api/v1/territoires", {"phase": 1, "interregional": "true"}).json()
    assert data["count"] == 11
    assert all(item["interregional"] and len(item["regions"]) > 1 for item in data["items"])


def test_filtre_region_inclut_les_territoires_interregionaux(client):
    data = client.get("/api/v1/territoires", {"phase": 1, "region": "84", "limit": 200}).json()
    assert all("84" in item["regions"] for item in data["items"])
    par_code = {item["code"]: item for item in data["items"]}
    assert par_code["7601"]["nom"] == "Aurillac - Figeac - Rodez"
    assert par_code["7601"]["regions"] == ["76", "84"]
    assert par_code["7601"]["interregional"] is True
    assert "8401" in par_code


def test_pagination_limit_offset_garde_le_total(client):
    tout = client.get("/api/v1/territoires", {"phase": 1, "limit": 200}).json()
    codes = [item["code"] for item in tout["items"]]
    assert len(codes) == 148
    page = client.get("/api/v1/territoires", {"phase": 1, "limit": 10, "offset": 20}).json()
    assert page["count"] == 148
    assert [item["code"] for item in page["items"]] == codes[20:30]
    fin = client.get("/api/v1/territoires", {"phase": 1, "limit": 10, "offset": 140}).json()
    assert fin["count"] == 148
    assert [item["code"] for item in fin["items"]] == codes[140:]


def test_carte_a_une_date_avant_et_apres_la_liste_officielle(client):
    veille = client.get("/api/v1/territoires", {"phase": 1, "date": "2018-11-21"}).json()
    assert veille == {"items": [], "count": 0}
    jour = client.get("/api/v1/territoires", {"phase": 1, "date": "2018-11-22"}).json()
    assert jour["count"] == 148


def test_date_invalide_refusee_par_une_erreur_422_en_json(client):
    r = client.get("/api/v1/territoires", {"date": "hier"})
    assert r.status_code == 422
    assert r["Content-Type"].startswith("application/json")
    erreurs = r.json()["detail"]
    assert any(e["loc"] == ["query", "date"] for e in erreurs)


# Detail


def test_detail_d_un_territoire_avec_communes_et_historique(client):
    r = client.get("/api/v1/territoires/8401")
    assert r.status_code == 200
    data = r.json()
    assert data["code"] == "8401" and data["nom"] == "Ardèche Drome"
    assert data["date_creation"] == "2018-11-22" and data["date_retrait"] is None
    t8401 = t("8401")
    attendues = Commune.objects.filter(
        perimetres__territoire=t8401, perimetres__date_fin__isnull=True
    )
    assert {c["code"] for c in data["communes"]} == set(attendues.values_list("code", flat=True))
    assert data["nb_communes"] == len(data["communes"]) == attendues.count()
    assert data["population"] == attendues.aggregate(p=Sum("population"))["p"]
    assert data["population"] == sum(c["population"] for c in data["communes"])
    [creation] = data["historique"]
    assert creation["nature"] == "creation" and creation["date"] == "2018-11-22"
    assert creation["communes_ajoutees"] == attendues.count()
    assert creation["demo"] is False


def test_territoire_retire_donne_son_dernier_perimetre_comme_sa_page(client):
    services.retirer_territoire(territoire=t("8408"), decision=decision(date(2022, 6, 30)))
    r = client.get("/api/v1/territoires/8408", {"phase": 1})
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["date"], data["date_retrait"]) == ("2022-06-29", "2022-06-30")
    assert data["communes"] and data["epcis"]
    r = client.get("/api/v1/territoires/8408/geojson", {"phase": 1})
    assert r.status_code == 200 and features(r)


def test_territoire_inconnu_404_avec_un_message_en_francais(client):
    r = client.get("/api/v1/territoires/9999")
    assert r.status_code == 404
    assert r.json() == {"detail": "Territoire 9999 introuvable."}


# GeoJSON


def test_geojson_d_un_territoire_une_entite_par_intercommunalite(client):
    r = client.get("/api/v1/territoires/8401/geojson")
    assert r.status_code == 200
    assert r["Content-Type"] == GEOJSON
    entites = features(r)
    detail = client.get("/api/v1/territoires/8401").json()
    assert sorted(f["properties"]["siren"] for f in entites) == sorted(
        e["siren"] for e in detail["epcis"]
    )
    for f in entites:
        assert f["type"] == "Feature"
        assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        assert f["geometry"]["coordinates"]
        props = f["properties"]
        assert props["territoire"] == "8401"
        assert props["territoire_nom"] == "Ardèche Drome"
        assert 0 < props["part_communes"] <= 1
        assert props["entier"] == (props["part_communes"] == 1)


def test_carte_nationale_phase_1_couvre_les_148_territoires(client):
    r = client.get("/api/v1/carte", {"phase": 1})
    assert r.status_code == 200
    assert r["Content-Type"] == GEOJSON
    entites = features(r)
    for f in entites:
        assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        assert {"territoire", "siren", "part_communes", "entier", "interregional"} <= set(
            f["properties"]
        )
    assert len({f["properties"]["territoire"] for f in entites}) == 148
    # No EPCI of the map is dropped for want of a contour.
    vues = vues_territoires(phase=1)
    assert sorted((f["properties"]["territoire"], f["properties"]["siren"]) for f in entites) == (
        sorted((v.code, e.siren) for v in vues for e in v.epcis)
    )


def test_carte_a_une_date_suit_un_changement_malgre_le_cache(client):
    e = epcis_libres_de_la_region()[0]

    def sirens_de_8401(jour: str) -> set[str]:
        r = client.get("/api/v1/carte", {"date": jour})
        assert r.status_code == 200
        return {
            f["properties"]["siren"] for f in features(r) if f["properties"]["territoire"] == "8401"
        }

    assert e.siren not in sirens_de_8401("2020-03-09")
    assert e.siren not in sirens_de_8401("2020-03-11")
    # The map is cached: asking again costs fewer queries.
    with CaptureQueriesContext(connection) as premiere:
        client.get("/api/v1/carte", {"date": "2020-03-12"})
    with CaptureQueriesContext(connection) as seconde:
        client.get("/api/v1/carte", {"date": "2020-03-12"})
    assert len(seconde) < len(premiere)

    services.ajouter_epci(territoire=t("8401"), epci=e, decision=decision(date(2020, 3, 10)))

    assert e.siren not in sirens_de_8401("2020-03-09")
    assert e.siren in sirens_de_8401("2020-03-11")
    assert e.siren in sirens_de_8401("2020-03-12")


# EPCI


def test_epci_d_un_territoire_donne_le_territoire_et_sa_part(client):
    vues = vues_territoires(phase=1)
    v8401 = next(v for v in vues if v.code == "8401")
    entier = v8401.epcis[0]
    data = client.get(f"/api/v1/epcis/{entier.siren}", {"phase": 1}).json()
    assert data["siren"] == entier.siren and data["nom"] == entier.nom
    assert data["territoires"] == [
        {
            "code": "8401",
            "nom": "Ardèche Drome",
            "phase": 1,
            "part_communes": 1.0,
            "part_population": 1.0,
            "communes_dans": entier.communes_total,
            "communes_total": entier.communes_total,
        }
    ]
    assert len(data["communes"]) == entier.communes_total


def test_epci_partage_entre_deux_territoires_liste_la_part_de_chacun(client):
    vues = vues_territoires(phase=1)
    parts: dict[str, dict[str, float]] = {}
    for v in vues:
        for e in v.epcis:
            parts.setdefault(e.siren, {})[v.code] = e.part_communes
    siren, attendu = next((s, p) for s, p in sorted(parts.items()) if len(p) > 1)
    data = client.get(f"/api/v1/epcis/{siren}", {"phase": 1}).json()
    assert {a["code"]: a["part_communes"] for a in data["territoires"]} == attendu
    assert all(0 < part < 1 for part in attendu.values())
    assert sum(attendu.values()) <= 1


def test_epci_inconnu_404(client):
    r = client.get("/api/v1/epcis/000000000")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["detail"]


def test_epci_inconnu_404_avec_un_message_en_francais(client):
    detail = client.get("/api/v1/epcis/000000000").json()["detail"]
    assert "introuvable" in detail.lower()


# OpenAPI and documentation


def test_document_openapi_3_decrit_les_routes_publiques(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert re.fullmatch(r"3\.\d+\.\d+", doc["openapi"])
    assert doc["info"]["title"] and doc["info"]["version"]
    for path in (
        "/api/v1/territoires",
        "/api/v1/territoires/{code}",
        "/api/v1/epcis/{siren}",
        "/api/v1/carte",
    ):
        assert "get" in doc["paths"][path], path
    # The map is read-only; the only writes are the token and a firm's profile, which
    # declares its bearer-token security.
    ecritures = (
        "organisations",
        "auth",
        "moi",
        "fiches",
        "lignes",
        "engagements",
        "gouvernance",
        "contrats",
        "mesures",
    )
    carte = {p: ops for p, ops in doc["paths"].items() if not any(e in p for e in ecritures)}
    assert {m for ops in carte.values() for m in ops} == {"get"}
    assert "post" in doc["paths"]["/api/v1/auth/token"]
    patch = doc["paths"]["/api/v1/organisations/{pk}/profil"]["patch"]
    assert patch["security"] == [{"Jeton": []}]
    # Every write of governance, contracts and measures requires a token; no read does.
    for path, ops in doc["paths"].items():
        if any(domaine in path for domaine in ("gouvernance", "contrats", "mesures")):
            for methode, op in ops.items():
                assert (op.get("security") == [{"Jeton": []}]) == (methode != "get"), path


# The operation ids as first published: clients generated from the OpenAPI document call
# the endpoints by these names, wherever the code of an endpoint lives.
OPERATIONS = {
    ("get", "/api/v1/territoires"): "api_api_liste_territoires",
    ("get", "/api/v1/territoires/{code}"): "api_api_detail_territoire",
    ("get", "/api/v1/territoires/{code}/geojson"): "api_api_geojson_territoire",
    ("get", "/api/v1/carte"): "api_api_carte",
    ("get", "/api/v1/contours/{niveau}"): "api_api_contours",
    ("get", "/api/v1/epcis/{siren}"): "api_api_detail_epci",
    ("get", "/api/v1/regions"): "api_api_regions",
    ("get", "/api/v1/recherche"): "api_recherche_recherche",
    ("post", "/api/v1/auth/token"): "api_comptes_jeton",
    ("get", "/api/v1/auth/jetons"): "api_comptes_jetons",
    ("delete", "/api/v1/auth/jetons/{pk}"): "api_comptes_revoquer_jeton",
    ("get", "/api/v1/moi"): "api_comptes_moi",
    ("get", "/api/v1/organisations/{pk}"): "api_comptes_organisation",
    ("patch", "/api/v1/organisations/{pk}/profil"): "api_comptes_modifier_profil",
    ("get", "/api/v1/fiches"): "api_fiches_liste_fiches",
    ("post", "/api/v1/fiches"): "api_fiches_creer_fiche",
    ("get", "/api/v1/fiches/{uuid}"): "api_fiches_detail_fiche",
    ("patch", "/api/v1/fiches/{uuid}"): "api_fiches_modifier_fiche",
    ("post", "/api/v1/fiches/{uuid}/lignes/{ligne_id}/decision"): "api_fiches_decider_ligne",
    ("post", "/api/v1/fiches/{uuid}/soumettre"): "fiche_soumettre",
    ("post", "/api/v1/fiches/{uuid}/avis-local"): "fiche_avis_local",
    ("post", "/api/v1/fiches/{uuid}/avis-copil"): "fiche_avis_copil",
    ("post", "/api/v1/fiches/{uuid}/retenir"): "fiche_retenir",
    ("post", "/api/v1/fiches/{uuid}/ne-pas-retenir"): "fiche_ne_pas_retenir",
    ("post", "/api/v1/fiches/{uuid}/inscrire"): "fiche_inscrire",
    ("post", "/api/v1/fiches/{uuid}/achever"): "fiche_achever",
    ("get", "/api/v1/lignes/{ligne_id}/argent"): "api_financements_argent_ligne",
    ("post", "/api/v1/lignes/{ligne_id}/engagements"): "api_financements_engager",
    ("post", "/api/v1/engagements/{engagement_id}/paiements"): "api_financements_payer",
    ("post", "/api/v1/engagements/{engagement_id}/reduction"): "api_financements_reduire",
    ("post", "/api/v1/engagements/{engagement_id}/annulation"): "api_financements_annuler",
    ("get", "/api/v1/suivi/chiffres"): "api_suivi_chiffres",
    ("get", "/api/v1/suivi/delais"): "api_suivi_delais",
    ("get", "/api/v1/suivi/instantanes"): "api_suivi_liste_instantanes",
    ("get", "/api/v1/suivi/instantanes/{pk}"): "api_suivi_detail_instantane",
    ("get", "/api/v1/suivi/engagements-annonces"): "api_suivi_liste_engagements_annonces",
    ("post", "/api/v1/suivi/engagements-annonces"): "api_suivi_annoncer_engagement",
    ("get", "/api/v1/gouvernance/comites"): "api_gouvernance_liste_comites",
    ("get", "/api/v1/gouvernance/comites/{comite_id}"): "api_gouvernance_detail_comite",
    ("get", "/api/v1/gouvernance/reunions"): "api_gouvernance_liste_reunions",
    ("get", "/api/v1/gouvernance/reunions/{reunion_id}"): "api_gouvernance_detail_reunion",
    ("get", "/api/v1/gouvernance/decisions"): "api_gouvernance_liste_decisions",
    ("get", "/api/v1/gouvernance/demandes"): "api_gouvernance_liste_demandes",
    ("get", "/api/v1/gouvernance/demandes/{demande_id}"): "api_gouvernance_detail_demande",
    ("get", "/api/v1/gouvernance/versions"): "api_gouvernance_liste_versions",
    ("get", "/api/v1/gouvernance/versions/{version_id}"): "api_gouvernance_detail_version",
    ("get", "/api/v1/contrats"): "api_contrats_liste_documents",
    ("get", "/api/v1/contrats/territoires/{code}"): "api_contrats_documents_territoire",
    ("get", "/api/v1/contrats/{genre}/{document_id}/document.{format}"): "api_contrats_telecharger",
    ("get", "/api/v1/contrats/{genre}/{document_id}"): "api_contrats_document",
    ("post", "/api/v1/contrats/signataires/{signataire_id}/signature"): "api_contrats_signer",
    ("post", "/api/v1/gouvernance/demandes"): "api_gouvernance_saisie_deposer_demande",
    (
        "post",
        "/api/v1/gouvernance/comites/{comite_id}/reunions",
    ): "api_gouvernance_saisie_creer_reunion",
    (
        "post",
        "/api/v1/gouvernance/reunions/{reunion_id}/points",
    ): "api_gouvernance_saisie_ajouter_point",
    ("post", "/api/v1/gouvernance/points/{point_id}/decision"): "api_gouvernance_saisie_decider",
    (
        "post",
        "/api/v1/gouvernance/territoires/{code}/scission",
    ): "api_gouvernance_saisie_demander_scission",
    (
        "post",
        "/api/v1/gouvernance/demandes/{demande_id}/accords",
    ): "api_gouvernance_saisie_donner_accord",
    (
        "post",
        "/api/v1/gouvernance/reunions/{reunion_id}/report",
    ): "api_gouvernance_saisie_reporter_reunion",
    (
        "post",
        "/api/v1/gouvernance/reunions/{reunion_id}/annulation",
    ): "api_gouvernance_saisie_annuler_reunion",
    **{
        (methode, f"/api/v1/gouvernance{chemin}"): f"api_gouvernance_reunions_{nom}"
        for methode, chemin, nom in (
            ("get", "/reunions/{reunion_id}/participants", "participants"),
            ("post", "/reunions/{reunion_id}/participants", "inviter"),
            ("delete", "/reunions/{reunion_id}/participants/{participant_id}", "retirer"),
            ("get", "/reunions/{reunion_id}/compte-rendu", "compte_rendu"),
            ("put", "/reunions/{reunion_id}/compte-rendu", "rediger"),
            ("get", "/reunions/{reunion_id}/pieces", "pieces"),
            ("post", "/reunions/{reunion_id}/pieces", "joindre"),
            ("get", "/pieces/{piece_id}", "telecharger"),
            ("delete", "/pieces/{piece_id}", "supprimer"),
        )
    },
    **{
        (methode, f"/api/v1/contrats{chemin}"): f"api_contrats_saisie_{nom}"
        for methode, chemin, nom in (
            ("post", "/territoires/{code}/{genre}", "creer"),
            ("post", "/contrat/{document_id}/avenants", "creer_avenant"),
            ("get", "/{genre}/{document_id}/canevas", "canevas"),
            ("patch", "/{genre}/{document_id}/canevas", "modifier"),
            ("post", "/{genre}/{document_id}/fiches", "annexer"),
            ("delete", "/{genre}/{document_id}/fiches/{reference}", "retirer_fiche"),
            ("post", "/{genre}/{document_id}/signataires", "ajouter_signataire"),
            ("delete", "/{genre}/{document_id}/signataires/{signataire_id}", "retirer_signataire"),
            ("post", "/{genre}/{document_id}/validation", "valider"),
        )
    },
    ("get", "/api/v1/actualites"): "api_actualites_liste_actualites",
    ("get", "/api/v1/actualites/{actualite_id}"): "api_actualites_detail_actualite",
    ("get", "/api/v1/ressources"): "api_actualites_liste_ressources",
    ("get", "/api/v1/ressources/{ressource_id}"): "api_actualites_detail_ressource",
    ("get", "/api/v1/ressources/{ressource_id}/fichier"): "api_actualites_fichier_ressource",
    ("get", "/api/v1/evenements"): "api_actualites_liste_evenements",
    ("get", "/api/v1/evenements/{evenement_id}"): "api_actualites_detail_evenement",
    ("get", "/api/v1/evenements/{evenement_id}/ics"): "api_actualites_ics_evenement",
    ("get", "/api/v1/evaluations"): "api_evaluations_liste_evaluations",
    ("get", "/api/v1/evaluations/{evaluation_id}"): "api_evaluations_detail_evaluation",
    ("get", "/api/v1/mesures"): "api_mesures_liste_mesures",
    ("post", "/api/v1/mesures"): "api_mesures_creer_mesure",
    ("get", "/api/v1/mesures/{mesure_id}"): "api_mesures_detail_mesure",
    ("patch", "/api/v1/mesures/{mesure_id}"): "api_mesures_modifier_mesure",
    ("get", "/api/v1/organisations"): "api_organisations_liste_organisations",
    ("get", "/api/v1/organisations/siren/{siren}"): "api_organisations_organisation_par_siren",
}


def test_chaque_operation_garde_son_chemin_et_son_identifiant(client):
    doc = client.get("/api/v1/openapi.json").json()
    operations = {
        (methode, chemin): op["operationId"]
        for chemin, ops in doc["paths"].items()
        for methode, op in ops.items()
    }
    assert operations == OPERATIONS


def test_une_seule_forme_d_erreur_dans_tout_le_document_openapi(client):
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert {n for n in schemas if n.startswith(("Erreur", "Conflit"))} == {"Erreur", "Conflit"}
    assert schemas["Erreur"]["properties"]["detail"]["anyOf"]
    for chemin, ops in doc["paths"].items():
        for methode, op in ops.items():
            for statut, reponse in op["responses"].items():
                if statut.startswith("4"):
                    ref = reponse["content"]["application/json"]["schema"]["$ref"]
                    attendu = "Conflit" if statut == "409" else "Erreur"
                    assert ref == f"#/components/schemas/{attendu}", (chemin, methode, statut)


def test_documentation_interactive_sans_cdn(client):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    page = r.content.decode()
    assert not re.search(r"https?://|=\s*[\"']//", page)
    assert "cdn" not in page.lower()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset


# Read-only


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/territoires",
        "/api/v1/territoires/8401",
        "/api/v1/territoires/8401/geojson",
        "/api/v1/epcis/200054781",
        "/api/v1/carte",
    ],
)
def test_ecriture_anonyme_refusee_405(client, method, url):
    avant = (Territoire.objects.count(), Perimetre.objects.count())
    r = getattr(client, method)(url, data={}, content_type="application/json")
    assert r.status_code == 405
    assert (Territoire.objects.count(), Perimetre.objects.count()) == avant


# Performance


def test_liste_en_nombre_constant_de_requetes(client):
    essai = deux_territoires_en_phase_d_essai().pk

    def requetes(phase: int, attendus: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get("/api/v1/territoires", {"phase": phase, "limit": 200})
        assert r.json()["count"] == attendus
        return len(ctx)

    assert requetes(1, 148) == requetes(essai, 2)
