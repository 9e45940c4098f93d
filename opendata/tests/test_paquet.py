"""The public package: valid for frictionless, free of every secret, published whole or not
at all, each file with its date."""

import csv
import json
import re

import pytest
from frictionless import validate

from comptes.secrets import MOTIF_SEUIL
from opendata import paquet
from opendata.fichiers import Fichier, champ

from . import fabriques as fx

pytestmark = pytest.mark.django_db


def montre(texte: str, nombre) -> bool:
    """Whether the number appears, however it is written (12345, 12 345, 12345.00)."""
    chiffres = str(int(nombre))
    groupes = [chiffres[max(0, i - 3) : i] for i in range(len(chiffres), 0, -3)][::-1]
    sep = r"[\s\u202f\xa0.,]?"
    return re.search(r"(?<![\d])" + sep.join(groupes) + r"(?![\d])", texte) is not None


def contenus(dossier) -> dict[str, str]:
    """Every file of the package as text; the descriptor without its sha256 (random hex)."""
    out = {}
    for chemin in sorted(dossier.iterdir()):
        texte = chemin.read_text(encoding="utf-8")
        if chemin.name == paquet.DESCRIPTEUR:
            texte = re.sub(r'"hash": "sha256:[0-9a-f]+"', "", texte)
        out[chemin.name] = texte
    return out


def lire_csv(nom: str) -> list[dict]:
    with (paquet.racine() / f"{nom}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_le_paquet_se_valide_avec_frictionless():
    fx.monde()
    rapport = paquet.construire()
    descripteur = paquet.lire_descripteur()
    assert validate(str(paquet.racine() / "datapackage.json")).valid
    assert descripteur["licenses"][0]["name"] == "etalab-2.0"
    noms = [r["name"] for r in descripteur["resources"]]
    assert {
        "territoires",
        "territoires-epci",
        "territoires-communes",
        "versions-carte",
        "contrats",
        "fiches-actions",
        "financements-territoires",
        "financements-axes",
        "financements-financeurs",
        "financements-mesures",
        "subventions-scdl",
        "projets-territoire",
    } <= set(noms)
    for r in descripteur["resources"]:
        assert r["lastModified"] and r["sources"] and r["schema"] == f"{r['name']}.schema.json"
        assert (paquet.racine() / r["schema"]).is_file()
    assert rapport.octets == sum(r["bytes"] for r in descripteur["resources"])
    # Both fiches of the contracts are there, each once, and both phases' maps.
    fiches = {f["reference"] for f in lire_csv("fiches-actions")}
    assert {"8401-01", "8401-02"} <= fiches
    assert {t["phase"] for t in lire_csv("territoires")} == {"1", "2"}


def test_aucun_secret_dans_aucun_fichier_du_paquet():
    p = fx.monde()
    paquet.construire()
    textes = contenus(paquet.racine())
    assert len(textes) >= 2 * len(paquet.fichiers()) + 1
    firme = p["firme"].porteur
    mots = [
        *[v for v in fx.PROFIL.values() if isinstance(v, str)],
        fx.DESCRIPTION_FIRME,
        fx.DESCRIPTION_PUBLIQUE_SECRETE,
        firme.nom,
    ]
    nombres = [
        *[v for v in fx.PROFIL.values() if isinstance(v, int)],
        fx.MONTANT_SECRET,
        fx.COUT_FIRME,
        fx.ENGAGE_SECRET,
        fx.PAYE_SECRET,
        fx.COUT_PUBLIC_SECRET,
    ]
    fuites = [
        (nom, quoi)
        for nom, texte in textes.items()
        for quoi in [*mots, firme.siren, *map(str, nombres)]
        if (quoi in texte if not quoi.isdigit() else montre(texte, quoi))
    ]
    assert fuites == []
    # The same fiches are there, their public fields with them.
    fiches = {f["reference"]: f for f in lire_csv("fiches-actions")}
    assert fiches[p["firme"].reference]["porteur_nom"] == "Une entreprise"
    assert fiches[p["firme"].reference]["description"] == ""
    assert fiches[p["publique"].reference]["cout_total"] == ""
    assert fiches[p["publique"].reference]["porteur_siren"] == p["publique"].porteur.siren


def test_financement_d_une_seule_entreprise_retenu_avec_son_motif():
    fx.monde()
    paquet.construire()
    (ligne,) = [r for r in lire_csv("financements-territoires") if r["territoire_code"] == "8401"]
    assert ligne["demande"] == ""
    assert ligne["demande_secret"] == MOTIF_SEUIL


def test_un_echec_de_construction_garde_le_paquet_precedent(monkeypatch):
    fx.monde()
    paquet.construire()
    avant = contenus(paquet.racine())

    def panne():
        yield {"phase": 1}
        raise RuntimeError("base indisponible")

    casse = Fichier("contrats", "t", "d", paquet.contractualise.DOCUMENTS.champs, panne)
    monkeypatch.setattr(paquet.contractualise, "DOCUMENTS", casse)
    with pytest.raises(RuntimeError):
        paquet.construire()
    assert contenus(paquet.racine()) == avant
    versions = paquet.racine().with_name(".donnees-ouvertes-versions")
    assert len([d for d in versions.iterdir() if d.is_dir()]) == 1


def test_un_paquet_invalide_n_est_pas_publie(monkeypatch):
    paquet.construire()
    avant = contenus(paquet.racine())
    faux = Fichier(
        "contrats", "t", "d", [champ("n", "integer", "N", requis=True)], lambda: [{"n": "x"}]
    )
    monkeypatch.setattr(paquet.contractualise, "DOCUMENTS", faux)
    with pytest.raises(paquet.PaquetInvalide, match="contrats"):
        paquet.construire()
    assert contenus(paquet.racine()) == avant


def test_un_fichier_inchange_garde_sa_date():
    paquet.construire()
    chemin = paquet.racine() / paquet.DESCRIPTEUR
    descripteur = json.loads(chemin.read_text())
    for r in descripteur["resources"]:
        r["lastModified"] = "2025-01-02T03:04:05+01:00"
    chemin.write_text(json.dumps(descripteur))
    fx.monde()  # new fiches and contracts: their files change, the map's do not
    paquet.construire()
    dates = {r["name"]: r["lastModified"] for r in paquet.lire_descripteur()["resources"]}
    assert dates["territoires"] == "2025-01-02T03:04:05+01:00"
    assert dates["fiches-actions"] != "2025-01-02T03:04:05+01:00"


def test_commande_construire_donnees_ouvertes():
    from io import StringIO

    from django.core.management import call_command

    sortie = StringIO()
    call_command("construire_donnees_ouvertes", stdout=sortie)
    assert "Paquet publié" in sortie.getvalue()
    assert (paquet.racine() / "datapackage.json").is_file()


def test_la_commande_de_cron_met_le_paquet_en_file_et_maintenant_le_construit(settings):
    from io import StringIO

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sortie = StringIO()
    call_command("construire_donnees_ouvertes", stdout=sortie)
    assert "mise en file" in sortie.getvalue()
    assert DBTaskResult.objects.get().task_path == "opendata.taches.construire_paquet"
    assert not (paquet.racine() / "datapackage.json").exists()  # the worker's job
    call_command("construire_donnees_ouvertes", "--maintenant", stdout=sortie)
    assert "Paquet publié" in sortie.getvalue()
    assert (paquet.racine() / "datapackage.json").is_file()
