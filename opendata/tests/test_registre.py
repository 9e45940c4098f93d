"""The register of aid to firms: for the national delegation only, 404 for every other demo
persona, pages and files; each secret amount it gives is logged as a read."""

import io

import openpyxl
import pytest

from comptes.models import LectureSecret, Utilisateur
from demo.loader import load_demo
from opendata import registre

from . import fabriques as fx

pytestmark = pytest.mark.django_db

ADRESSES = [
    "/donnees-ouvertes/aides-aux-entreprises/",
    "/donnees-ouvertes/aides-aux-entreprises.csv",
    "/donnees-ouvertes/aides-aux-entreprises.xlsx",
]


def test_registre_des_aides_reserve_a_la_delegation_nationale(client):
    load_demo()
    personas = Utilisateur.objects.filter(email__endswith="@demo.ti").order_by("email")
    autres = [u for u in personas if not registre.peut_lire(u)]
    assert len(autres) >= 7 and len(autres) < personas.count()
    for u in autres:
        client.force_login(u)
        for adresse in ADRESSES:
            assert client.get(adresse).status_code == 404, (u.email, adresse)
        assert "aides-aux-entreprises" not in client.get("/donnees-ouvertes/").content.decode()
    client.force_login(Utilisateur.objects.get(email="national@demo.ti"))
    for adresse in ADRESSES:
        assert client.get(adresse).status_code == 200, adresse


def test_registre_donne_les_champs_de_transparence_et_journalise_les_secrets(client):
    p = fx.monde()
    client.force_login(p["national"])
    r = client.get("/donnees-ouvertes/aides-aux-entreprises.xlsx")
    assert r.status_code == 200
    lignes = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    entete, *aides = lignes
    assert entete[0] == "Identifiant du bénéficiaire (SIREN)"
    firme = p["firme"].porteur
    (aide,) = [a for a in aides if a[9] == fx.MONTANT_SECRET]
    assert aide[0] == firme.siren and aide[3] == "Auvergne-Rhône-Alpes"
    assert aide[6].startswith("de minimis") and aide[10] == "Bpifrance"
    assert LectureSecret.objects.filter(lecteur=p["national"], canal="registre").exists()
    assert "no-store" in r["Cache-Control"]
    csv = client.get("/donnees-ouvertes/aides-aux-entreprises.csv").content.decode()
    assert csv.splitlines()[0].startswith("id_beneficiaire,nom_beneficiaire,region_code")
