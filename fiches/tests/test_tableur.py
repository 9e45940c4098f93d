"""Fiches-actions in a spreadsheet (fiches.tableur): round trip, all-or-nothing import,
secrets in the export, what each person may see and write."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptes import secrets
from comptes.enums import Role, TypeOrganisation
from comptes.models import LectureSecret, Organisation
from comptes.tests.fabriques import entreprise, personne, territoire
from fiches import cycle, services
from fiches.models import FicheAction, Filiere, Indicateur, LigneFinancement
from fiches.selectors import fiches_visibles
from fiches.tableur import COLONNES, ImportInvalide, exporter, importer, lignes_csv, lots
from fiches.tableur.colonnes import LARGEURS
from fiches.tableur.lots import Export
from mesures.models import Mesure

pytestmark = pytest.mark.django_db


# --- The world: a firm of 8401 bearing a fiche with secrets, a « simplifier » fiche ---------


@pytest.fixture
def monde():
    firme = entreprise("8401")
    operateur = Organisation.objects.create(
        nom="Opérateur d'essai", type=TypeOrganisation.OPERATEUR
    )
    association = Organisation.objects.create(
        nom="Association des industriels d'essai", type=TypeOrganisation.ASSOCIATION
    )
    chef = personne("chef.8401@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    secrete = _fiche(
        chef,
        "8401",
        firme,
        titre="Ligne pilote de fabrication additive",
        description="Procédé breveté de l'entreprise",
        cout_total=Decimal("100000"),
        filiere=Filiere.objects.create(nom="Mécanique"),
        date_debut=date(2024, 1, 15),
        date_fin=date(2026, 6, 30),
        lignes=[
            {
                "financeur": operateur,
                "section": "investissement",
                "montant": Decimal("30000"),
                "de_minimis": True,
                "champs_secrets": ["montant"],
            },
            {"financeur": firme, "section": "investissement", "montant": Decimal("70000")},
        ],
        m2m={"partenaires": [association], "mesures": [_mesure("Kit de diagnostic")]},
        champs_secrets=["description", "cout_total"],
    )
    Indicateur.objects.create(fiche=secrete, libelle="Emplois créés", unite="emplois", cible=12)
    simplifier = _fiche(
        chef,
        "8401",
        association,
        titre="=Accélérer les autorisations d'extension de sites",
        axe="simplifier",
        probleme="Les délais d'instruction retardent les projets.",
        nature_simplification="groupe",
        orientation="liste_nationale",
    )
    return {
        "chef": chef,
        "firme": firme,
        "operateur": operateur,
        "association": association,
        "secrete": secrete,
        "simplifier": simplifier,
    }


def _mesure(debut: str) -> Mesure:
    return Mesure.objects.get(nom__startswith=debut, region=None)


def _fiche(user, code, porteur, *, lignes=None, m2m=None, **donnees):
    donnees = {"titre": "Fiche d'essai", "axe": "innover", "porteur": porteur, **donnees}
    return services.creer_fiche(
        user=user, territoire=territoire(code), donnees=donnees, lignes=lignes, m2m=m2m
    )


def _comptes() -> tuple[int, int, int]:
    return (
        FicheAction.objects.count(),
        LigneFinancement.objects.count(),
        Indicateur.objects.count(),
    )


def _feuilles(content: bytes) -> dict[str, list[dict]]:
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    out = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        out[ws.title] = [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]
    wb.close()
    return out


def _classeur(fiches=(), financements=(), indicateurs=(), sans=None) -> bytes:
    """A workbook made by hand: rows given as {column: value}, other cells empty."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for nom, rows in (
        ("Fiches", fiches),
        ("Financements", financements),
        ("Indicateurs", indicateurs),
    ):
        if nom == sans:
            continue
        ws = wb.create_sheet(nom)
        ws.append(COLONNES[nom])
        for row in rows:
            ws.append([row.get(c) for c in COLONNES[nom]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _changer(content: bytes, feuille: str, ligne: int, colonne: str, valeur) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb[feuille]
    entetes = [c.value for c in ws[1]]
    ws.cell(row=ligne, column=entetes.index(colonne) + 1, value=valeur)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _ajouter(content: bytes, feuille: str, row: dict) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    wb[feuille].append([row.get(c) for c in COLONNES[feuille]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _etat_stocke():
    """Everything an import could change, to compare before and after."""
    return (
        list(FicheAction.objects.order_by("pk").values()),
        list(LigneFinancement.objects.order_by("pk").values()),
        list(Indicateur.objects.order_by("pk").values()),
        sorted(
            FicheAction.partenaires.through.objects.values_list("ficheaction_id", "organisation_id")
        ),
        sorted(FicheAction.mesures.through.objects.values_list("ficheaction_id", "mesure_id")),
    )


def _nouvelle(**row) -> dict:
    base = {
        "Référence": "nouvelle-1",
        "Phase": 1,
        "Territoire": "8401",
        "Titre": "Campus des métiers de l'industrie",
        "Axe": "Recruter",
        "Porteur": "Association des industriels d'essai",
        "Périmètre": "Tout le territoire",
        "Collective": "oui",
        "Maturité": "Mature",
        "Début": "01/09/2024",
        "Fin": date(2026, 12, 31),
        "Coût total (€)": "120 000,50 €",
    }
    return {**base, **row}


# --- Round trip ----------------------------------------------------------------------------


def test_aller_retour_export_puis_import_ne_change_rien(monde):
    chef = monde["chef"]
    avant = _etat_stocke()
    content = exporter(chef, fiches_visibles(chef))
    for _ in range(2):
        rapport = importer(content, user=chef)
        assert (len(rapport.crees), len(rapport.modifies), rapport.inchanges) == (0, 0, 2)
        assert (rapport.fiches, rapport.financements, rapport.indicateurs) == (2, 2, 1)
    assert _etat_stocke() == avant


def test_formule_exportee_comme_texte(monde):
    content = exporter(monde["chef"], fiches_visibles(monde["chef"]))
    wb = openpyxl.load_workbook(io.BytesIO(content))
    titres = [c for c in wb["Fiches"]["D"] if str(c.value).startswith("=")]
    assert len(titres) == 1 and titres[0].data_type == "s"


def test_classeur_garde_en_tetes_listes_largeurs_et_formats(monde):
    """The workbook written as XML row by row keeps what openpyxl's wrote: bold headers,
    greyed ones not read back, the first row frozen, the lists of choices, the widths, the
    formats of dates and amounts."""
    wb = openpyxl.load_workbook(io.BytesIO(exporter(monde["chef"], fiches_visibles(monde["chef"]))))
    ws = wb["Fiches"]
    entetes = {c.value: c for c in ws[1]}
    assert all(c.font.b for c in ws[1])
    assert entetes["État"].fill.fgColor.rgb.endswith("DDDDDD")
    assert entetes["Titre"].fill.fill_type is None
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions[entetes["Titre"].column_letter].width == LARGEURS["Titre"]
    listes = {str(dv.sqref).split(":")[0][:-1] for dv in ws.data_validations.dataValidation}
    assert entetes["Axe"].column_letter in listes
    debut = ws.cell(2, entetes["Début"].column)
    cout = ws.cell(2, entetes["Coût total (€)"].column)
    assert debut.number_format == "DD/MM/YYYY" and debut.is_date
    assert cout.number_format == "#,##0.00" and cout.value == 100000


def test_export_dans_la_forme_du_kit(monde):
    feuilles = _feuilles(exporter(monde["chef"], fiches_visibles(monde["chef"])))
    assert list(feuilles) == ["Fiches", "Financements", "Indicateurs"]
    fiche = feuilles["Fiches"][0]
    assert fiche["Référence"] == "8401-01" and fiche["Territoire"] == "8401"
    assert fiche["Axe"] == "innover" and fiche["Porteur"] == "Entreprise 8401-1"
    assert fiche["Type de porteur"] == "Entreprise" and fiche["État"] == "Brouillon"
    assert fiche["Partenaires"] == "Association des industriels d'essai"
    assert fiche["Mesures"].startswith("Kit de diagnostic")
    assert fiche["Début"].date() == date(2024, 1, 15) and fiche["Coût total (€)"] == 100000
    assert [li["Montant (€)"] for li in feuilles["Financements"]] == [30000, 70000]
    assert feuilles["Financements"][0]["De minimis"] == "oui"
    assert feuilles["Indicateurs"] == [
        {"Référence": "8401-01", "Indicateur": "Emplois créés", "Unité": "emplois", "Cible": 12}
    ]


# --- Creation ------------------------------------------------------------------------------


def test_import_cree_les_fiches_avec_leurs_lignes_et_indicateurs(monde):
    chef = monde["chef"]
    content = _classeur(
        fiches=[
            _nouvelle(Partenaires="Entreprise 8401-1 ; Opérateur d'essai"),
            _nouvelle(
                **{"Référence": "", "Titre": "Guichet unique", "Axe": "simplifier"},
                **{"Problème": "Trop de guichets.", "Proposition": "Expérimentation"},
            ),
        ],
        financements=[
            {
                "Référence": "nouvelle-1",
                "Financeur": "Opérateur d'essai",
                "Mesure": _mesure("Crédits d'ingénierie").nom,
                "Section": "fonctionnement",
                "Montant (€)": 60000,
            },
            {
                "Référence": "Nouvelle-1",
                "Financeur": monde["firme"].siren,
                "Section": "Investissement",
                "Montant (€)": "60 000,50",
                "De minimis": "oui",
            },
        ],
        indicateurs=[
            {"Référence": "nouvelle-1", "Indicateur": "Apprentis formés", "Unité": "personnes"}
        ],
    )
    rapport = importer(content, user=chef)
    assert rapport.crees == ["8401-03", "8401-04"] and rapport.modifies == []
    campus = FicheAction.objects.get(territoire__code="8401", numero=3)
    assert (campus.axe, campus.maturite, campus.cout_total) == (
        "recruter",
        "mature",
        Decimal("120000.50"),
    )
    assert (campus.date_debut, campus.date_fin) == (date(2024, 9, 1), date(2026, 12, 31))
    assert set(campus.partenaires.all()) == {monde["firme"], monde["operateur"]}
    lignes = list(campus.lignes.order_by("id").values_list("section", "montant", "de_minimis"))
    assert lignes == [
        ("fonctionnement", Decimal("60000"), False),
        ("investissement", Decimal("60000.50"), True),
    ]
    assert list(campus.indicateurs.values_list("libelle", "cible")) == [("Apprentis formés", None)]
    assert FicheAction.objects.get(numero=4, territoire__code="8401").nature_simplification == (
        "experimentation"
    )
    # The same file again creates nothing twice: its fiches are recognised.
    rapport = importer(content, user=chef)
    assert (rapport.crees, rapport.modifies, rapport.inchanges) == ([], [], 2)
    assert FicheAction.objects.count() == 4
    # Different, it would be a modification: that takes the fiche's reference.
    with pytest.raises(ImportInvalide) as exc:
        importer(_changer(content, "Fiches", 2, "Coût total (€)", 1), user=chef)
    assert exc.value.erreurs == [
        "Fiches, ligne 2 : la fiche 8401-03 a déjà ce titre et ce porteur : pour la modifier, "
        "indiquez sa référence."
    ]


def test_import_modifie_seulement_ce_qui_differe(monde):
    chef, fiche = monde["chef"], monde["secrete"]
    mesure = Indicateur.objects.get(fiche=fiche)
    content = exporter(chef, fiches_visibles(chef))
    content = _changer(content, "Fiches", 2, "Titre", "Ligne pilote de fabrication additive (v2)")
    content = _changer(content, "Indicateurs", 2, "Cible", 15)
    rapport = importer(content, user=chef)
    assert (rapport.modifies, rapport.inchanges) == (["8401-01"], 1)
    fiche.refresh_from_db()
    assert fiche.titre.endswith("(v2)") and fiche.version == 2
    # Lines identical: not rewritten; the indicator kept (and its measured values with it).
    assert list(fiche.lignes.values_list("pk", flat=True)) == [
        li.pk for li in monde["secrete"].lignes.all()
    ]
    assert Indicateur.objects.get(pk=mesure.pk).cible == 15


# --- Refusals ------------------------------------------------------------------------------


def test_fichier_fautif_refuse_avec_lignes_numerotees_et_rien_ecrit(monde):
    avant = _comptes()
    content = _classeur(
        fiches=[
            _nouvelle(),
            _nouvelle(**{"Référence": "nouvelle-2", "Titre": "Autre", "Axe": "inover"}),
            _nouvelle(**{"Référence": "nouvelle-3", "Titre": "Autre 2", "Porteur": "Inconnue SA"}),
            _nouvelle(**{"Référence": "nouvelle-4", "Titre": "Autre 3", "Territoire": "9999"}),
            _nouvelle(**{"Référence": "nouvelle-5", "Titre": "Autre 4", "Fin": "31/02/2026"}),
        ],
        financements=[
            {
                "Référence": "nouvelle-1",
                "Financeur": "Opérateur d'essai",
                "Section": "investissement",
                "Montant (€)": "douze mille",
            },
        ],
    )
    with pytest.raises(ImportInvalide) as exc:
        importer(content, user=monde["chef"])
    assert exc.value.erreurs == [
        "Fiches, ligne 3, colonne Axe : « inover » n'est pas un axe "
        "(attirer, recruter, innover, simplifier).",
        "Fiches, ligne 4, colonne Porteur : « Inconnue SA » n'est pas une organisation connue "
        "(SIREN ou nom exact).",
        "Fiches, ligne 5, colonne Territoire : « 9999 » n'est pas un territoire de la phase 1.",
        "Fiches, ligne 6, colonne Fin : « 31/02/2026 » n'est pas une date (JJ/MM/AAAA).",
        "Financements, ligne 2, colonne Montant (€) : « douze mille » n'est pas un montant "
        "en euros.",
    ]
    assert _comptes() == avant


def test_au_plus_cinquante_erreurs(monde):
    fiches = [_nouvelle(Référence=f"nouvelle-{i}", Titre=f"T{i}", Axe="inover") for i in range(60)]
    with pytest.raises(ImportInvalide) as exc:
        importer(_classeur(fiches=fiches), user=monde["chef"])
    assert len(exc.value.erreurs) == 51
    assert exc.value.erreurs[-1] == "… arrêt après 50 erreurs."


def test_feuille_absente_refusee(monde):
    avant = _comptes()
    with pytest.raises(ImportInvalide) as exc:
        importer(_classeur(fiches=[_nouvelle()], sans="Financements"), user=monde["chef"])
    assert exc.value.erreurs == [
        "Feuille « Financements » absente : le classeur doit contenir les feuilles Fiches, "
        "Financements et Indicateurs."
    ]
    with pytest.raises(ImportInvalide, match="Fichier illisible"):
        importer(b"insee_com,lib_com\n", user=monde["chef"])
    assert _comptes() == avant


def test_modifier_une_fiche_soumise_par_import_refuse(monde):
    chef, fiche = monde["chef"], monde["secrete"]
    cycle.appliquer(user=chef, fiche=fiche, mouvement="soumettre")
    content = exporter(chef, fiches_visibles(chef))
    assert importer(content, user=chef).inchanges == 2  # unchanged: nothing to refuse
    content = _changer(content, "Fiches", 2, "Titre", "Nouveau titre")
    with pytest.raises(ImportInvalide) as exc:
        importer(content, user=chef)
    assert exc.value.erreurs[0].startswith(
        "Fiches, ligne 2 : la fiche 8401-01 est soumise (« Soumise au comité de projet local »)"
    )
    assert "Différences : Titre." in exc.value.erreurs[0]
    fiche.refresh_from_db()
    assert fiche.titre == "Ligne pilote de fabrication additive"


def test_refus_de_permission_en_ligne_d_erreur_et_rien_ecrit(monde):
    chef_8408 = personne("chef.8408@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8408"))
    avant = _comptes()
    content = _classeur(fiches=[_nouvelle(), _nouvelle(Référence="", Territoire="8408")])
    with pytest.raises(ImportInvalide) as exc:
        importer(content, user=chef_8408)
    assert exc.value.erreurs == [
        "Fiches, ligne 2 : vous ne pouvez pas créer de fiche pour le territoire 8401 avec ce "
        "porteur."
    ]
    # Nor may they name the drafts of 8401, which they do not see.
    content = exporter(monde["chef"], fiches_visibles(monde["chef"]))
    with pytest.raises(ImportInvalide) as exc:
        importer(content, user=chef_8408)
    assert exc.value.erreurs == [
        "Fiches, ligne 2, colonne Porteur : « Entreprise 8401-1 » n'est pas une organisation "
        "connue (SIREN ou nom exact).",
        "Fiches, ligne 3, colonne Référence : fiche 8401-02 introuvable.",
    ]
    assert _comptes() == avant


# --- Secrets -------------------------------------------------------------------------------


def test_cellules_confidentielles_gardent_les_secrets(monde):
    chef, fiche = monde["chef"], monde["secrete"]
    national = personne("national@exemple.fr", Role.NATIONAL)
    content = exporter(national, fiches_visibles(national))
    ligne_secrete = fiche.lignes.get(financeur=monde["operateur"])
    # Someone who may write works on that file: new title and one more line.
    content = _changer(content, "Fiches", 2, "Titre", "Titre revu")
    content = _ajouter(
        content,
        "Financements",
        {
            "Référence": "8401-01",
            "Financeur": "Opérateur d'essai",
            "Section": "fonctionnement",
            "Montant (€)": 5000,
        },
    )
    rapport = importer(content, user=chef)
    assert rapport.modifies == ["8401-01"]
    fiche.refresh_from_db()
    assert fiche.titre == "Titre revu"
    assert fiche.description == "Procédé breveté de l'entreprise"
    assert fiche.cout_total == Decimal("100000")
    gardee = fiche.lignes.get(financeur=monde["operateur"], section="investissement")
    assert (gardee.montant, gardee.champs_secrets) == (Decimal("30000"), ["montant"])
    assert gardee.pk != ligne_secrete.pk  # rewritten, its secrecy with it
    assert fiche.lignes.count() == 3


def test_sans_droit_aux_secrets_confidentiel_et_aucune_lecture_journalisee(monde):
    national = personne("national@exemple.fr", Role.NATIONAL)
    feuilles = _feuilles(exporter(national, fiches_visibles(national)))
    fiche = feuilles["Fiches"][0]
    assert fiche["Description"] == "Confidentiel" and fiche["Coût total (€)"] == "Confidentiel"
    # The firm's own line is secret by default (fiches.services), the operator's by choice.
    assert [li["Montant (€)"] for li in feuilles["Financements"]] == ["Confidentiel"] * 2
    assert not LectureSecret.objects.exists()


def test_porteur_lit_les_secrets_et_ses_lectures_sont_journalisees(monde):
    dirigeant = personne("dirigeant@exemple.fr", Role.PORTEUR, organisation=monde["firme"])
    feuilles = _feuilles(exporter(dirigeant, fiches_visibles(dirigeant)))
    fiche = feuilles["Fiches"][0]
    assert fiche["Description"] == "Procédé breveté de l'entreprise"
    assert fiche["Coût total (€)"] == 100000
    assert [li["Montant (€)"] for li in feuilles["Financements"]] == [30000, 70000]
    lectures = LectureSecret.objects.filter(lecteur=dirigeant)
    assert sorted(lectures.values_list("champ", "canal")) == [
        ("cout_total", "export"),
        ("description", "export"),
        ("montant", "export"),
        ("montant", "export"),
    ]
    assert {t.code for lu in lectures for t in lu.territoires.all()} == {"8401"}


def test_organisation_invisible_ecrite_confidentiel(monde):
    # A public (inscribed) fiche of 8401 is seen from 8408, its bearer firm is not.
    FicheAction.objects.filter(pk=monde["secrete"].pk).update(etat="inscrite")
    chef_8408 = personne("chef.8408@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8408"))
    feuilles = _feuilles(exporter(chef_8408, fiches_visibles(chef_8408)))
    assert [f["Référence"] for f in feuilles["Fiches"]] == ["8401-01"]
    assert feuilles["Fiches"][0]["Porteur"] == "Confidentiel"
    assert "Entreprise 8401-1" not in str(feuilles)


def test_contexte_de_l_export_egal_a_celui_des_modeles(monde):
    """The export computes the access context of every fiche and line at once; it must stay
    the one the models give, on which comptes.secrets decides."""
    export = Export(monde["chef"], FicheAction.objects.all())
    for fiche in FicheAction.objects.all():
        ctx = export.contexte(fiche.territoire_id, fiche.porteur_id)
        assert ctx == fiche.contexte_acces()
        for ligne in fiche.lignes.all():
            lu = export.contexte(fiche.territoire_id, fiche.porteur_id, ligne.financeur_id)
            assert lu == ligne.contexte_acces(ctx) == ligne.contexte_acces()


# --- What each person sees -----------------------------------------------------------------


def test_export_ne_contient_que_les_fiches_visibles(monde):
    chef_8408 = personne("chef.8408@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8408"))
    _fiche(chef_8408, "8408", monde["association"], titre="Fiche de 8408")
    # Even handed every fiche, the export keeps those the person may see.
    feuilles = _feuilles(exporter(chef_8408, FicheAction.objects.all()))
    assert [f["Référence"] for f in feuilles["Fiches"]] == ["8408-01"]
    assert feuilles["Financements"] == [] and feuilles["Indicateurs"] == []


def test_export_en_requetes_constantes_quel_que_soit_le_nombre_de_fiches(monde, monkeypatch):
    """One query per table read, not one per fiche nor per batch: with batches of a single
    row, the workbook costs as many queries for 7 fiches as for 2, their secrets read and
    logged (one log for the workbook), and so does the CSV for fiches without secrets."""
    monkeypatch.setattr(lots, "PAR_LOT", 1)
    chef = monde["chef"]

    def requetes():
        with CaptureQueriesContext(connection) as q:
            classeur = exporter(chef, fiches_visibles(chef))
        with CaptureQueriesContext(connection) as q_csv:
            texte = "".join(lignes_csv(chef, fiches_visibles(chef)))
        return len(q), len(q_csv), classeur, texte

    avant = requetes()
    nouvelles = []
    for i in range(5):
        _fiche(
            chef,
            "8401",
            monde["association"],
            titre=f"Fiche {i}",
            lignes=[
                {
                    "financeur": monde["operateur"],
                    "section": "investissement",
                    "montant": 1,
                    "champs_secrets": ["montant"],
                }
            ],
            m2m={"partenaires": [monde["association"]]},
        )
        nouvelles.extend(
            str(pk)
            for pk in LigneFinancement.objects.filter(fiche__titre=f"Fiche {i}").values_list(
                "pk", flat=True
            )
        )
    apres = requetes()
    assert apres[:2] == avant[:2]
    feuilles = _feuilles(apres[2])
    assert len(feuilles["Fiches"]) == 7 and apres[3].count("\r\n") == 8
    # Each line's secret amount, read by the territory's team, is in the log.
    assert len(feuilles["Financements"]) == 7
    lues = LectureSecret.objects.filter(canal="export", champ="montant", object_id__in=nouvelles)
    assert lues.count() == 5


def test_journal_d_un_long_bloc_ecrit_des_que_son_plafond_est_atteint(monde):
    """A workbook's reads are logged together, but never more than the ceiling wait in
    memory: past it, they are written at once; below it, at the end of the block."""
    chef, fiche = monde["chef"], monde["secrete"]
    du_bloc = LectureSecret.objects.filter(object_id=str(fiche.pk), canal="export")
    with secrets.journal_groupe():
        secrets.valeurs(chef, fiche, ["description"], canal="export")
        assert du_bloc.count() == 0
    assert du_bloc.count() == 1
    with secrets.journal_groupe(plafond=2):
        secrets.valeurs(chef, fiche, ["description"], canal="export")
        assert du_bloc.count() == 1
        secrets.valeurs(chef, fiche, ["cout_total"], canal="export")
        assert du_bloc.count() == 3
        secrets.valeurs(chef, fiche, ["description"], canal="export")
        assert du_bloc.count() == 3
    assert du_bloc.count() == 4


# --- Commands ------------------------------------------------------------------------------


def test_commandes_export_et_import(monde, tmp_path):
    fichier = tmp_path / "fiches.xlsx"
    out = io.StringIO()
    call_command(
        "export_fiches", fichier, email="CHEF.8401@exemple.fr", territoire="8401", stdout=out
    )
    assert "2 fiches exportées" in out.getvalue()
    fichier.write_bytes(_changer(fichier.read_bytes(), "Fiches", 2, "Titre", "Titre simulé"))
    avant = _etat_stocke()
    out = io.StringIO()
    call_command("import_fiches", fichier, "--dry-run", email="chef.8401@exemple.fr", stdout=out)
    assert "Fiches modifiées : 1 (8401-01)." in out.getvalue()
    assert "Simulation : rien n'a été enregistré." in out.getvalue()
    assert _etat_stocke() == avant
    fichier.write_bytes(_changer(fichier.read_bytes(), "Fiches", 2, "Axe", "inover"))
    with pytest.raises(CommandError, match="colonne Axe : « inover » n'est pas un axe"):
        call_command("import_fiches", fichier, email="chef.8401@exemple.fr")
    with pytest.raises(CommandError, match="Aucun compte"):
        call_command("import_fiches", fichier, email="personne@exemple.fr")


def test_fiche_de_phase_2_exportee_sous_l_identifiant_ti_puis_relue_sans_changement(monde):
    from territoires.models import Territoire

    ti8401 = Territoire.objects.get(phase_id=2, code="ti-8401")
    chef = personne("chef.ti-8401@exemple.fr", Role.CHEF_PROJET, territoire=ti8401)
    services.creer_fiche(
        user=chef,
        territoire=ti8401,
        donnees={"titre": "Fiche de phase 2", "axe": "innovation", "porteur": monde["association"]},
    )
    content = exporter(chef, fiches_visibles(chef))
    [ligne] = _feuilles(content)["Fiches"]
    assert (ligne["Référence"], ligne["Phase"], ligne["Territoire"]) == ("ti-8401-01", 2, "ti-8401")
    rapport = importer(content, user=chef)
    assert (len(rapport.crees), len(rapport.modifies), rapport.inchanges) == (0, 0, 1)


def test_statut_paye_refuse_a_l_import_les_paiements_ont_leur_fichier(monde):
    """« Payé » is no status of a line: a file still carrying it is refused whole, the line
    named, pointing to the funder's payments file; other statuses stay read-only."""
    chef = monde["chef"]
    avant = _etat_stocke()
    content = exporter(chef, fiches_visibles(chef))
    assert importer(content, user=chef).inchanges == 2  # the statuses exported: ignored
    with pytest.raises(ImportInvalide) as exc:
        importer(_changer(content, "Financements", 3, "Statut", "Payé"), user=chef)
    assert exc.value.erreurs == [
        "Financements, ligne 3 : le statut « payé » n'existe plus : les paiements s'importent "
        "par le fichier des paiements du financeur (page « Importer un fichier de paiements »)."
    ]
    assert _etat_stocke() == avant


# --- Exports at scale: CSV streamed, queries constant ---------------------------------------


def _csv(client, user, query="") -> tuple[object, list[dict]]:
    import csv

    client.force_login(user)
    r = client.get(f"/fiches/export.csv{query}")
    assert r.status_code == 200
    assert r.streaming  # sent batch by batch, never held whole by the server
    texte = b"".join(r.streaming_content).decode("utf-8")
    assert texte.startswith("\ufeff")
    lignes = list(csv.reader(io.StringIO(texte[1:]), delimiter=";"))
    assert lignes[0] == COLONNES["Fiches"]  # the columns of the workbook's sheet
    return r, [dict(zip(lignes[0], li, strict=True)) for li in lignes[1:]]


def test_export_csv_en_flux_sans_secret_pour_qui_n_a_pas_a_savoir(client, monde):
    national = personne("national@exemple.fr", Role.NATIONAL)
    r, fiches = _csv(client, national)
    assert r["Cache-Control"] == "private, no-store"
    secrete = next(f for f in fiches if f["Référence"] == "8401-01")
    assert secrete["Description"] == "Confidentiel" and secrete["Coût total (€)"] == "Confidentiel"
    assert "Procédé breveté" not in str(fiches)
    assert not LectureSecret.objects.exists()


def test_export_csv_donne_les_secrets_au_porteur_et_journalise_chaque_lecture(client, monde):
    dirigeant = personne("dirigeant@exemple.fr", Role.PORTEUR, organisation=monde["firme"])
    _r, fiches = _csv(client, dirigeant)
    assert [f["Référence"] for f in fiches] == ["8401-01"]
    fiche = fiches[0]
    assert fiche["Description"] == "Procédé breveté de l'entreprise"
    assert fiche["Coût total (€)"] == "100000,00"
    assert (fiche["Début"], fiche["Fin"]) == ("15/01/2024", "30/06/2026")
    assert fiche["Mesures"].startswith("Kit de diagnostic")
    lectures = LectureSecret.objects.filter(lecteur=dirigeant)
    assert sorted(lectures.values_list("champ", "canal")) == [
        ("cout_total", "export"),
        ("description", "export"),
    ]
    assert {t.code for lu in lectures for t in lu.territoires.all()} == {"8401"}


def test_export_csv_ecrit_une_formule_comme_texte(client, monde):
    _r, fiches = _csv(client, monde["chef"])
    titres = {f["Référence"]: f["Titre"] for f in fiches}
    assert titres["8401-02"] == "'=Accélérer les autorisations d'extension de sites"


def test_export_csv_suit_les_filtres_de_la_liste(client, monde):
    chef_8408 = personne("chef.8408@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8408"))
    _fiche(chef_8408, "8408", monde["association"], titre="Fiche de 8408")
    FicheAction.objects.update(etat="inscrite")  # public: every fiche seen by the national
    national = personne("national@exemple.fr", Role.NATIONAL)
    _r, fiches = _csv(client, national, "?territoire=8408")
    assert [f["Référence"] for f in fiches] == ["8408-01"]


def test_liste_des_fiches_offre_l_export_csv_a_cote_du_xlsx(client, monde):
    client.force_login(monde["chef"])
    html = client.get("/fiches/?territoire=8401").content.decode()
    assert "/fiches/export.xlsx?territoire=8401" in html
    assert "/fiches/export.csv?territoire=8401" in html


def test_export_xlsx_en_requetes_constantes(monde):
    """Secrets read and logged included: the workbook's reads are logged together."""
    chef = monde["chef"]

    def requetes():
        with CaptureQueriesContext(connection) as q:
            exporter(chef, fiches_visibles(chef))
        return len(q)

    avant = requetes()
    for i in range(5):
        _fiche(
            chef,
            "8401",
            monde["firme"],
            titre=f"Fiche secrète {i}",
            description="Procédé de l'entreprise",
            cout_total=Decimal("1000"),
            champs_secrets=["description", "cout_total"],
            lignes=[{"financeur": monde["operateur"], "section": "investissement", "montant": 1}],
            m2m={"partenaires": [monde["association"]], "mesures": [_mesure("Kit")]},
        )
    lus = LectureSecret.objects.count()
    assert requetes() == avant
    assert LectureSecret.objects.count() - lus > 10  # every read still logged, one by one


def test_export_csv_en_requetes_constantes(client, monde):
    chef = monde["chef"]
    client.force_login(chef)

    def requetes():
        with CaptureQueriesContext(connection) as q:
            b"".join(client.get("/fiches/export.csv").streaming_content)
        return len(q)

    avant = requetes()
    for i in range(5):
        _fiche(chef, "8401", monde["firme"], titre=f"Fiche {i}", champs_secrets=["description"])
    assert requetes() == avant
