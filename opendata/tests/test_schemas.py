"""The shared registries' exports validate against their schemas: SCDL « subventions » and
« projets-territoire » (v0.1.0 fields, in their published order, with their values)."""

import json

import pytest
from frictionless import Resource, Schema, validate

from fiches.enums import PhaseExecution, StatutExecution
from opendata import paquet, projets, scdl

from . import fabriques as fx
from .test_paquet import lire_csv

pytestmark = pytest.mark.django_db

SCDL_PUBLIE = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
]
PROJETS_PUBLIE = [
    "id",
    "createdAt",
    "updatedAt",
    "nom",
    "description",
    "budgetPrevisionnel",
    "dateDebutPrevisionnelle",
    "phase",
    "phaseStatut",
    "programme",
    "porteurCodeSiret",
    "porteurReferentEmail",
    "porteurReferentTelephone",
    "porteurReferentPrenom",
    "porteurReferentNom",
    "porteurReferentFonction",
    "competences",
    "leviers",
    "mecId",
    "tetId",
    "recocoId",
    "collectiviteIds",
]


def _valide(nom: str) -> None:
    """The file against its own Table Schema, read from the package."""
    racine = paquet.racine()
    schema = Schema.from_descriptor(json.loads((racine / f"{nom}.schema.json").read_text()))
    rapport = validate(Resource(path=f"{nom}.csv", basepath=str(racine), schema=schema))
    assert rapport.valid, rapport.flatten(["rowNumber", "fieldName", "type", "note"])


def test_subventions_entre_personnes_publiques_au_format_scdl():
    p = fx.monde()
    paquet.construire()
    assert [c["name"] for c in scdl.SUBVENTIONS.champs] == SCDL_PUBLIE
    _valide("subventions-scdl")
    (ligne,) = lire_csv("subventions-scdl")  # the firm's grants are not there
    assert ligne["idAttribuant"] == fx.SIRET_REGION
    assert ligne["idBeneficiaire"] == fx.SIRET_EPCI
    assert ligne["montant"] == "250000.00"
    assert ligne["conditionsVersement"] == "échelonné"
    assert ligne["referenceDecision"] == "EJ-2024-17"
    assert ligne["notificationUE"] == "non"
    assert p["publique"].reference in ligne["objet"]


def test_subvention_sans_siret_comptee_a_part():
    p = fx.monde()
    p["publique"].porteur.__class__.objects.filter(pk=p["publique"].porteur_id).update(siret="")
    assert list(scdl.SUBVENTIONS.lignes()) == []
    assert scdl.sans_siret() == 1


def test_fiches_inscrites_au_format_projets_territoire():
    p = fx.monde()
    paquet.construire()
    noms = [c["name"] for c in projets.PROJETS.champs]
    assert noms == [*PROJETS_PUBLIE, "territoireIndustrieId"]
    champs = {c["name"]: c for c in projets.PROJETS.champs}
    assert champs["phase"]["constraints"]["enum"] == ["Idée", "Étude", "Opération"]
    assert champs["phaseStatut"]["constraints"]["enum"] == [
        "En cours",
        "En retard",
        "En pause",
        "Bloqué",
        "Abandonné",
        "Terminé",
    ]
    assert list(PhaseExecution.values) == ["Idée", "Étude", "Opération"]
    assert len(StatutExecution.values) == 6
    _valide("projets-territoire")
    lignes = {r["id"]: r for r in lire_csv("projets-territoire")}
    firme, publique = lignes[str(p["firme"].uuid)], lignes[str(p["publique"].uuid)]
    assert firme["programme"] == "Territoires d'industrie"
    assert firme["territoireIndustrieId"] == "8401"
    assert firme["budgetPrevisionnel"] == "" and firme["description"] == ""
    assert publique["porteurCodeSiret"] == fx.SIRET_EPCI
    assert publique["budgetPrevisionnel"] == ""  # secret cost


def test_projets_territoire_valides_contre_les_seuls_champs_publies(tmp_path):
    """Without the programme's added column, the file is a file of the published schema."""
    import csv

    fx.monde()
    paquet.construire()
    lignes = lire_csv("projets-territoire")
    chemin = tmp_path / "publie.csv"
    with chemin.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, PROJETS_PUBLIE, extrasaction="ignore")
        w.writeheader()
        w.writerows(lignes)
    schema = projets.PROJETS.schema()
    schema["fields"] = schema["fields"][: len(PROJETS_PUBLIE)]
    rapport = validate(
        Resource(path=chemin.name, basepath=str(tmp_path), schema=Schema.from_descriptor(schema))
    )
    assert rapport.valid, rapport.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(lignes) == 2
