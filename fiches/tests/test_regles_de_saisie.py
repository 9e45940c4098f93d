"""One set of input rules (referentiel.saisie) for the three channels that write fiches and
firm profiles: the API, the pages and the XLSX import refuse the same inputs with the same
French message; and whatever the API accepts, the XLSX export of the territory reads back
through the import without a change."""

from dataclasses import dataclass, field
from decimal import Decimal
from html import unescape

import pytest

from comptes.enums import Role
from comptes.models import Organisation, ProfilEntreprise
from comptes.tests.fabriques import MDP, entreprise, personne, territoire
from fiches import tableur
from fiches.models import FicheAction, Indicateur
from fiches.selectors import fiches_visibles
from referentiel import saisie

from .test_tableur import _classeur

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def monde(client):
    firme = entreprise("8401")
    chef = personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    personne("dirigeant@exemple.fr", Role.PORTEUR, organisation=firme)
    r = client.post(
        "/api/v1/auth/token", {"email": "chef@exemple.fr", "password": MDP}, content_type=JSON
    )
    return {
        "chef": chef,
        "firme": firme,
        "bpi": Organisation.objects.get(nom="Bpifrance"),
        "auth": {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"},
    }


def _texte(html: str) -> str:
    import re

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- The same refusal on every channel ----------------------------------------------------


@dataclass
class Cas:
    """One bad input, as each channel takes it, and the message all three give."""

    message: str
    api: dict  # fields of the API body
    etape: str  # step of the creation form that holds the field
    page: dict  # fields posted to that step
    fiche: dict = field(default_factory=dict)  # cells of the « Fiches » row
    financement: dict = field(default_factory=dict)  # cells of a « Financements » row
    indicateur: dict = field(default_factory=dict)  # cells of an « Indicateurs » row


CONTROLE = "Le texte contient un caractère invisible ou invalide (U+009F) : retirez-le."
CAS = {
    "titre fait d'espaces": Cas(
        saisie.VIDE, {"titre": "   "}, "action", {"titre": "   "}, fiche={"Titre": "   "}
    ),
    "caractère de contrôle": Cas(
        CONTROLE,
        {"titre": "Atelier\x9f partagé"},
        "action",
        {"titre": "Atelier\x9f partagé"},
        fiche={"Titre": "Atelier\x9f partagé"},
    ),
    "date en l'an 1": Cas(
        saisie.DATE_HORS_BORNES,
        {"date_debut": "0001-01-01"},
        "perimetre",
        {"date_debut": "0001-01-01"},
        fiche={"Début": "01/01/0001"},
    ),
    "date en 9999": Cas(
        saisie.DATE_HORS_BORNES,
        {"date_fin": "9999-12-31"},
        "perimetre",
        {"date_fin": "9999-12-31"},
        fiche={"Fin": "31/12/9999"},
    ),
    "cible négative": Cas(
        saisie.VALEUR_NEGATIVE,
        {"indicateurs": [{"libelle": "Emplois", "unite": "emplois", "cible": "-5"}]},
        "financement",
        {"indicateurs-0-cible": "-5"},
        indicateur={"Indicateur": "Emplois", "Unité": "emplois", "Cible": -5},
    ),
    "montant négatif": Cas(
        saisie.MONTANT_NEGATIF,
        {"lignes": [{"financeur": None, "section": "investissement", "montant": "-5"}]},
        "financement",
        {"lignes-0-montant": "-5"},
        financement={"Section": "investissement", "Montant (€)": -5},
    ),
}


def _par_l_api(client, w, cas: Cas) -> str:
    corps = {
        "territoire": "8401",
        "phase": 1,
        "titre": "Atelier partagé",
        "axe": "innover",
        "porteur": w["firme"].pk,
        **cas.api,
    }
    for ligne in corps.get("lignes", []):
        ligne["financeur"] = w["bpi"].pk
    r = client.post("/api/v1/fiches", corps, content_type=JSON, **w["auth"])
    assert r.status_code == 422, r.content
    return r.json()["detail"]


def _par_les_pages(client, w, cas: Cas) -> str:
    client.force_login(w["chef"])
    base = client.get("/fiches/nouvelle/", {"territoire": "1-8401"}).url.rsplit("/", 2)[0]
    etapes = {
        "action": {
            "titre": "Atelier partagé",
            "axe": "innover",
            "porteur": w["firme"].pk,
            "collective": "1",
            "maturite": "mature",
        },
        "contenu": {"contexte": "Les PME du bassin n'ont pas de banc d'essai."},
        "perimetre": {"portee": "territoire"},
        "financement": {
            "lignes-TOTAL_FORMS": "1",
            "lignes-INITIAL_FORMS": "0",
            "lignes-0-financeur": w["bpi"].pk,
            "lignes-0-section": "investissement",
            "lignes-0-montant": "1000",
            "indicateurs-TOTAL_FORMS": "1",
            "indicateurs-INITIAL_FORMS": "0",
            "indicateurs-0-libelle": "Emplois",
            "indicateurs-0-unite": "emplois",
        },
    }
    for nom, donnees in etapes.items():
        if nom == cas.etape:
            r = client.post(f"{base}/{nom}/", {**donnees, **cas.page, "aller": "suivant"})
            assert r.status_code == 200
            return _texte(r.content.decode())
        assert client.post(f"{base}/{nom}/", {**donnees, "aller": "suivant"}).status_code == 302
    raise AssertionError(cas.etape)


def _par_l_import(w, cas: Cas) -> str:
    ligne = {
        "Référence": "nouvelle-1",
        "Phase": 1,
        "Territoire": "8401",
        "Titre": "Atelier partagé",
        "Axe": "innover",
        "Porteur": w["firme"].siren,
        **cas.fiche,
    }
    financements = (
        [{"Référence": "nouvelle-1", "Financeur": "Bpifrance", **cas.financement}]
        if cas.financement
        else []
    )
    indicateurs = [{"Référence": "nouvelle-1", **cas.indicateur}] if cas.indicateur else []
    with pytest.raises(tableur.ImportInvalide) as exc:
        tableur.importer(
            _classeur(fiches=[ligne], financements=financements, indicateurs=indicateurs),
            user=w["chef"],
        )
    return " ".join(exc.value.erreurs)


@pytest.mark.parametrize("nom", list(CAS))
def test_meme_refus_et_meme_message_par_l_api_les_pages_et_l_import(client, monde, nom):
    cas = CAS[nom]
    assert cas.message in _par_l_api(client, monde, cas)
    assert cas.message in _par_les_pages(client, monde, cas)
    assert cas.message in _par_l_import(monde, cas)
    assert FicheAction.objects.count() == 0


def test_chiffre_d_affaires_negatif_refuse_par_l_api_et_la_page(client, monde):
    firme = monde["firme"]
    avant = ProfilEntreprise.objects.values().get(organisation=firme)
    client.force_login(monde["chef"])
    r = client.patch(
        f"/api/v1/organisations/{firme.pk}/profil",
        {"version": avant["version"], "chiffre_affaires": -1},
        content_type=JSON,
        **monde["auth"],
    )
    assert r.status_code == 422
    assert r.json()["detail"] == f"chiffre_affaires : {saisie.MONTANT_NEGATIF}"
    r = client.post(
        f"/organisations/{firme.pk}/modifier/",
        {
            "activite": "Mécanique",
            "chiffre_affaires": "-1",
            "contact_email": "secret@exemple.fr",
            "version": avant["version"],
        },
    )
    assert r.status_code == 200 and saisie.MONTANT_NEGATIF in _texte(r.content.decode())
    assert ProfilEntreprise.objects.values().get(organisation=firme) == avant


# --- What the API accepts, the export gives back and the import takes unchanged -----------

# Bodies at the edges: those the API accepts must round-trip; the others it must refuse.
BORDS = {
    "dates aux bornes": {"date_debut": "2000-01-01", "date_fin": "2100-12-31"},
    "montants au plus haut": {
        "cout_total": "999999999999.99",
        "lignes": [{"section": "fonctionnement", "montant": "999999999999.99"}],
    },
    "montants nuls": {"cout_total": "0", "lignes": [{"section": "investissement", "montant": "0"}]},
    "textes à lignes, tabulations et formules": {
        "titre": "=SOMME(A1:A9) « Atelier » ☂",
        "contexte": "Première ligne\r\nSeconde\tcolonne\n",
        "description": "  espaces autour  ",
    },
    "titre de 300 caractères": {"titre": "é" * 300},
    "indicateur à cible nulle": {
        "indicateurs": [{"libelle": "Emplois", "unite": "emplois", "cible": "0"}]
    },
    "date en l'an 1": {"date_debut": "0001-01-01"},
    "date en 9999": {"date_fin": "9999-12-31"},
    "titre fait d'espaces": {"titre": "   "},
    "titre avec un caractère nul": {"titre": "Atelier\x00"},
    "contexte avec un caractère de contrôle": {"contexte": "Sonnerie\x07"},
    "cible négative": {"indicateurs": [{"libelle": "Emplois", "unite": "u", "cible": "-1"}]},
}
ACCEPTES = {
    "dates aux bornes",
    "montants au plus haut",
    "montants nuls",
    "textes à lignes, tabulations et formules",
    "titre de 300 caractères",
    "indicateur à cible nulle",
}


def test_ce_que_l_api_accepte_l_export_le_rend_et_l_import_le_reprend_sans_changement(
    client, monde
):
    acceptes = set()
    for nom, champs in BORDS.items():
        corps = {
            "territoire": "8401",
            "phase": 1,
            "titre": f"Fiche {nom}",
            "axe": "innover",
            "porteur": monde["firme"].pk,
            **champs,
        }
        for ligne in corps.get("lignes", []):
            ligne["financeur"] = monde["bpi"].pk
        r = client.post("/api/v1/fiches", corps, content_type=JSON, **monde["auth"])
        assert r.status_code in (201, 422), (nom, r.status_code, r.content)
        if r.status_code == 201:
            acceptes.add(nom)
    assert acceptes == ACCEPTES

    chef = monde["chef"]
    fiches = fiches_visibles(chef).filter(territoire=territoire("8401"))
    contenu = tableur.exporter(chef, fiches)
    rapport = tableur.importer(contenu, user=chef)
    assert (rapport.crees, rapport.modifies, rapport.inchanges) == ([], [], len(ACCEPTES))
    # Nothing was rewritten on the way either.
    assert FicheAction.objects.filter(version=1).count() == len(ACCEPTES)
    assert Indicateur.objects.get().cible == Decimal("0")
