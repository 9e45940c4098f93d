"""Phase 2 classifies its fiches by the four national priorities, phase 1 by the four axes of
the FAQ (docs/adr/0008): one rule (mesures.enums.erreur_axe), the same refusal on the service,
the API, the page form and the spreadsheet import; lists, filters and exports show both."""

import io
import re
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from api.tests.test_fiches_api import jeton, post
from comptes.enums import TypeOrganisation
from comptes.models import Organisation
from fiches.models import FicheAction
from fiches.selectors import fiches_visibles
from fiches.tableur import COLONNES, ImportInvalide, exporter, importer
from mesures.enums import Axe, Priorite

from .fabriques import bpi, equipe_phase_2, fiche

pytestmark = pytest.mark.django_db

# The one message, whichever way the fiche comes in.
ATTIRER_EN_PHASE_2 = (
    "« Attirer » est un axe de la phase 1 : une fiche de la phase 2 se classe par priorité : "
    "compétences et recrutement, transition écologique et énergétique, innovation et foncier "
    "industriel."
)
INNOVATION_EN_PHASE_1 = (
    "« Innovation » est une priorité de la phase 2 : une fiche de la phase 1 se classe par "
    "axe : attirer, recruter, innover et simplifier."
)


def texte(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def asso() -> Organisation:
    return Organisation.objects.create(
        nom="Club des industriels", type=TypeOrganisation.ASSOCIATION
    )


@pytest.fixture
def p():
    return equipe_phase_2()


def test_une_fiche_de_la_phase_2_prend_une_priorite(p):
    f = fiche(p["chef2"], t=p["t2"], axe=Priorite.FONCIER)
    assert f.axe == "foncier" and f.get_axe_display() == "Foncier industriel"
    assert f.nom_classement == "priorité"


def test_une_fiche_de_la_phase_1_garde_les_axes(p):
    f = fiche(p["chef"], axe=Axe.ATTIRER)
    assert f.axe == "attirer" and f.nom_classement == "axe"
    with pytest.raises(ValidationError) as exc:
        fiche(p["chef"], axe=Priorite.INNOVATION)
    assert exc.value.message_dict["axe"] == [INNOVATION_EN_PHASE_1]


def test_un_axe_de_la_phase_1_refuse_sur_une_fiche_de_la_phase_2_par_le_service(p):
    avant = FicheAction.objects.count()
    with pytest.raises(ValidationError) as exc:
        fiche(p["chef2"], t=p["t2"], axe=Axe.ATTIRER)
    assert exc.value.message_dict["axe"] == [ATTIRER_EN_PHASE_2]
    assert FicheAction.objects.count() == avant


def test_l_api_refuse_l_axe_de_la_phase_1_avec_le_meme_message(client, p):
    t2 = p["t2"]
    corps = {
        "territoire": t2.code,
        "phase": 2,
        "titre": "Zone d'activités requalifiée",
        "axe": "attirer",
        "porteur": asso().pk,
    }
    auth = jeton(client, "chef.phase2@exemple.fr")
    r = post(client, "/api/v1/fiches", corps, auth)
    assert r.status_code == 422
    assert r.json()["detail"] == f"axe : {ATTIRER_EN_PHASE_2}"
    assert not FicheAction.objects.filter(territoire=t2).exists()
    r = post(client, "/api/v1/fiches", {**corps, "axe": "foncier"}, auth)
    assert r.status_code == 201, r.content
    assert r.json()["axe"] == "foncier" and r.json()["territoire"]["phase"] == 2


def test_la_page_refuse_l_axe_de_la_phase_1_avec_le_meme_message(client, p):
    client.force_login(p["chef2"])
    r = client.get("/fiches/nouvelle/", {"territoire": f"2-{p['t2'].code}"})
    base = r.url.rsplit("/", 2)[0]
    html = client.get(f"{base}/action/").content.decode()
    # The form offers the phase's priorities, not the axes.
    assert "Priorité nationale" in html and 'value="competences"' in html
    assert 'value="attirer"' not in html
    saisie = {
        "titre": "Zone d'activités requalifiée",
        "axe": "attirer",
        "porteur": asso().pk,
        "collective": "1",
        "maturite": "idee",
        "aller": "suivant",
    }
    r = client.post(f"{base}/action/", saisie)
    assert r.status_code == 200
    assert ATTIRER_EN_PHASE_2 in texte(r.content.decode())
    r = client.post(f"{base}/action/", {**saisie, "axe": "foncier"})
    assert r.status_code == 302 and r.url.endswith("/contenu/")


def _classeur(rows: list[dict]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for nom in COLONNES:
        ws = wb.create_sheet(nom)
        ws.append(COLONNES[nom])
        for row in rows if nom == "Fiches" else ():
            ws.append([row.get(c) for c in COLONNES[nom]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_l_import_refuse_l_axe_de_la_phase_1_avec_le_meme_message(p):
    t2 = p["t2"]
    porteur = asso()
    ligne = {
        "Référence": "nouvelle-1",
        "Phase": 2,
        "Territoire": t2.code,
        "Titre": "Zone d'activités requalifiée",
        "Axe": "Attirer",
        "Porteur": porteur.nom,
    }
    with pytest.raises(ImportInvalide) as exc:
        importer(_classeur([ligne]), user=p["chef2"])
    assert exc.value.erreurs == [f"Fiches, ligne 2, colonne Axe : {ATTIRER_EN_PHASE_2}"]
    assert not FicheAction.objects.filter(territoire=t2).exists()
    # The label of a priority is read like its value.
    rapport = importer(_classeur([{**ligne, "Axe": "Foncier industriel"}]), user=p["chef2"])
    assert len(rapport.crees) == 1
    assert FicheAction.objects.get(territoire=t2).axe == "foncier"


def test_listes_filtres_et_exports_montrent_les_deux_phases(client, p):
    un = fiche(p["chef"], titre="Campus des métiers", axe=Axe.INNOVER)
    deux = fiche(p["chef2"], t=p["t2"], titre="Démonstrateur hydrogène", axe="transition")
    client.force_login(p["national"])
    html = texte(client.get("/fiches/").content.decode())
    assert "Campus des métiers" in html and "Démonstrateur hydrogène" in html
    assert "Innover" in html and "Transition écologique et énergétique" in html
    html = texte(client.get("/fiches/", {"axe": "transition"}).content.decode())
    assert "Démonstrateur hydrogène" in html and "Campus des métiers" not in html
    html = texte(client.get("/fiches/", {"axe": "innover"}).content.decode())
    assert "Campus des métiers" in html and "Démonstrateur hydrogène" not in html
    auth = jeton(client, "national@exemple.fr")
    r = client.get("/api/v1/fiches", {"axe": "transition"}, **auth)
    assert [f["reference"] for f in r.json()["items"]] == [deux.reference]
    # Detail page: « Priorité » for phase 2, « Axe » for phase 1.
    assert "Priorité : Transition écologique" in texte(
        client.get(f"/fiches/{deux.uuid}/").content.decode()
    )
    assert "Axe : Innover" in texte(client.get(f"/fiches/{un.uuid}/").content.decode())
    # The export carries both, each with its value; read back, nothing changes.
    content = exporter(p["national"], fiches_visibles(p["national"]))
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(wb["Fiches"].iter_rows(values_only=True))
    lignes = [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]
    wb.close()
    assert {(li["Phase"], li["Axe"]) for li in lignes} == {(1, "innover"), (2, "transition")}
    avant = list(FicheAction.objects.order_by("pk").values())
    rapport = importer(content, user=p["national"])
    assert (len(rapport.crees), len(rapport.modifies), rapport.inchanges) == (0, 0, 2)
    assert list(FicheAction.objects.order_by("pk").values()) == avant


def test_une_fiche_de_phase_2_porte_une_demande_de_simplification(client, p):
    # No « simplifier » priority: the request is carried by a fiche of any priority.
    with pytest.raises(ValidationError) as exc:
        fiche(p["chef2"], t=p["t2"], demande_simplification=True)
    assert exc.value.message_dict["probleme"] == [
        "Une demande de simplification énonce le problème."
    ]
    f = fiche(
        p["chef2"],
        t=p["t2"],
        axe=Priorite.FONCIER,
        titre="Extension du parc d'activités",
        demande_simplification=True,
        probleme="Dix-huit mois d'instruction pour une dérogation espèces protégées.",
        orientation="certificat",
    )
    assert f.est_simplification and f.axe == "foncier"
    client.force_login(p["national"])
    html = texte(client.get("/fiches/simplification/").content.decode())
    assert "Extension du parc d'activités" in html and "Certificat de projet" in html
    # In phase 1 the « simplifier » axis says it; the flag is refused there.
    with pytest.raises(ValidationError) as exc:
        fiche(p["chef"], demande_simplification=True, probleme="Délais.")
    assert exc.value.message_dict["demande_simplification"] == [
        "En phase 1, une demande de simplification se classe sur l'axe « simplifier »."
    ]
    # Without the request, no routing on a phase-2 fiche.
    with pytest.raises(ValidationError) as exc:
        fiche(p["chef2"], t=p["t2"], orientation="rescrit")
    assert exc.value.message_dict["orientation"] == [
        "L'orientation ne concerne que les demandes de simplification."
    ]


def test_une_mesure_de_la_phase_2_ne_releve_pas_d_un_axe_de_la_phase_1(p):
    from fiches.controles import controler
    from mesures.models import Mesure

    enveloppe = Mesure.objects.get(nom="Enveloppe nationale Territoires d'industrie 2023-2027")
    fonds_vert = Mesure.objects.get(nom__startswith="Fonds vert")
    ligne = {"financeur": bpi(), "section": "investissement", "montant": Decimal("1000")}
    f1 = fiche(p["chef"], cout=Decimal("1000"), lignes=[{**ligne, "mesure": enveloppe}])
    [c] = [c for c in controler(f1) if c.code == "axe_mesure"]
    assert c.message == f"La mesure « {enveloppe.nom} » ne relève pas de l'axe de la fiche."
    f2 = fiche(
        p["chef2"],
        t=p["t2"],
        axe=Priorite.INNOVATION,
        cout=Decimal("1000"),
        lignes=[{**ligne, "mesure": fonds_vert}],
    )
    [c] = [c for c in controler(f2) if c.code == "axe_mesure"]
    assert c.message == f"La mesure « {fonds_vert.nom} » ne relève pas de la priorité de la fiche."
    f3 = fiche(
        p["chef2"],
        t=p["t2"],
        axe=Priorite.TRANSITION,
        cout=Decimal("1000"),
        lignes=[{**ligne, "mesure": enveloppe}],
    )
    assert "axe_mesure" not in [c.code for c in controler(f3)]


def test_la_page_de_phase_2_propose_la_demande_de_simplification(client, p):
    client.force_login(p["chef2"])
    r = client.get("/fiches/nouvelle/", {"territoire": f"2-{p['t2'].code}"})
    base = r.url.rsplit("/", 2)[0]
    r = client.post(
        f"{base}/action/",
        {
            "titre": "Extension du parc d'activités",
            "axe": "foncier",
            "demande_simplification": "on",
            "porteur": asso().pk,
            "collective": "1",
            "maturite": "idee",
            "aller": "suivant",
        },
    )
    assert r.status_code == 302
    r = client.post(f"{base}/contenu/", {"aller": "suivant"})
    html = texte(r.content.decode())
    assert "Une demande de simplification énonce le problème rencontré." in html
    # A project of its priority too: its financing step stays (5 steps, not 4).
    assert "Étape 2 sur 5" in html
