"""A funder's payments file: all or nothing, each error with its line, only its own lines,
a preview that writes nothing, a second import that pays nothing twice."""

import io

import pytest
from openpyxl import Workbook

from comptes.enums import Role
from fiches.tests.fabriques import bdt
from financements import cycle, selectors
from financements.models import Paiement
from financements.tableur import ImportInvalide, importer, modele

from .fabriques import D, accordee, jour, personne

pytestmark = pytest.mark.django_db

ENTETE = ["Fiche", "Ligne", "Engagement", "Date du paiement", "Montant", "Référence"]


def classeur(*rangs, entete=ENTETE) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(entete)
    for r in rangs:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def p():
    p = accordee()
    p["e_pub"] = cycle.engager(
        user=p["bpi"],
        ligne=p["publique"],
        montant=D("40000"),
        convention="C1",
        reference="EJ-PUB",
        date=jour(50),
    )
    p["e_sec"] = cycle.engager(
        user=p["bpi"], ligne=p["secrete"], montant=D("500000"), convention="C2", date=jour(50)
    )
    return p


def _ref(p):
    return p["fiche"].reference


def test_import_enregistre_chaque_paiement_puis_ne_paie_rien_deux_fois(p):
    fichier = classeur(
        (_ref(p), p["publique"].pk, "EJ-PUB", jour(60).strftime("%d/%m/%Y"), "12 000,50 €", "M-1"),
        (_ref(p), p["secrete"].pk, "", jour(61), 250000, "M-2"),
        (_ref(p), p["publique"].pk, jour(50).strftime("%d/%m/%Y"), jour(70), 7999.5, ""),
    )
    apercu = importer(fichier, user=p["bpi"], dry_run=True)
    assert len(apercu.enregistres) == 3 and not Paiement.objects.exists()
    assert "Simulation : rien n'a été enregistré." in apercu.lignes_texte()
    rapport = importer(fichier, user=p["bpi"])
    assert [x.ligne for x in rapport.enregistres] == [2, 3, 4]
    assert selectors.argent(p["publique"]).paye == D("20000.00")
    assert selectors.argent(p["secrete"]).paye == D("250000.00")
    assert Paiement.objects.get(reference="M-1").par == p["bpi"]
    again = importer(fichier, user=p["bpi"])
    assert (len(again.enregistres), len(again.deja)) == (0, 3)
    assert Paiement.objects.count() == 3


def test_tout_ou_rien_chaque_erreur_avec_son_numero_de_ligne(p):
    fichier = classeur(
        (_ref(p), p["publique"].pk, "", jour(60), 1000, ""),  # fine alone
        (_ref(p), p["publique"].pk, "", "31/02/2025", "mille", ""),
        ("8401-99", "", "", jour(60), 10, ""),
        (_ref(p), 999999, "", jour(60), 10, ""),
        (_ref(p), "", "", jour(60), 10, ""),
    )
    with pytest.raises(ImportInvalide) as exc:
        importer(fichier, user=p["bpi"])
    e = exc.value.erreurs
    assert e[0].startswith("Ligne 3 : colonne Date du paiement, « 31/02/2025 » n'est pas une date")
    assert "colonne Montant, « mille » n'est pas un montant en euros" in e[0]
    assert e[1] == "Ligne 4 : colonne Fiche, fiche 8401-99 introuvable."
    assert e[2] == f"Ligne 5 : la fiche {_ref(p)} n'a pas de ligne 999999."
    assert e[3].startswith("Ligne 6 : plusieurs de vos lignes sur cette fiche")
    assert not Paiement.objects.exists()


def test_les_regles_du_cycle_refusent_tout_le_fichier_a_la_ligne_fautive(p):
    fichier = classeur(
        (_ref(p), p["publique"].pk, "", jour(60), 30000, "A"),
        (_ref(p), p["publique"].pk, "", jour(61), 10000.01, "B"),  # 40 000 € committed
    )
    with pytest.raises(ImportInvalide) as exc:
        importer(fichier, user=p["bpi"])
    assert exc.value.erreurs[0].startswith("Ligne 3 : Le paiement dépasserait l'engagement")
    assert not Paiement.objects.exists()  # the first row is not kept either


def test_un_financeur_n_importe_que_ses_propres_lignes(p):
    dirigeant = personne("dirigeant@exemple.fr", Role.PORTEUR, organisation=p["fiche"].porteur)
    autre = personne(
        "bdt84@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bdt(), region_id="84"
    )
    fichier = classeur((_ref(p), p["publique"].pk, "", jour(60), 10, ""))
    with pytest.raises(ImportInvalide) as exc:
        importer(fichier, user=dirigeant)  # sees the fiche, is not Bpifrance
    assert exc.value.erreurs == [
        f"Ligne 2 : la ligne {p['publique'].pk} (Bpifrance) n'est pas la vôtre : seul son "
        "financeur enregistre ses paiements."
    ]
    with pytest.raises(ImportInvalide) as exc:
        importer(fichier, user=autre)  # does not even see the fiche
    assert exc.value.erreurs == [f"Ligne 2 : colonne Fiche, fiche {_ref(p)} introuvable."]
    assert not Paiement.objects.exists()


def test_fichier_illisible_colonnes_absentes_et_doublons_du_fichier(p):
    with pytest.raises(ImportInvalide, match="ce n'est pas un classeur XLSX"):
        importer(b"pas un classeur", user=p["bpi"])
    with pytest.raises(ImportInvalide) as exc:
        importer(classeur(("x",), entete=["Fiche", "Montant"]), user=p["bpi"])
    assert exc.value.erreurs == ["Ligne 1 : colonne absente : « Date du paiement »."]
    rang = (_ref(p), p["publique"].pk, "", jour(60), 10, "")
    with pytest.raises(ImportInvalide) as exc:
        importer(classeur(rang, rang), user=p["bpi"])
    assert exc.value.erreurs[0].startswith("Ligne 3 : même paiement que la ligne 2")
    # The model the page offers has the columns the import reads.
    rapport = importer(modele(), user=p["bpi"])
    assert rapport.lues == 0
