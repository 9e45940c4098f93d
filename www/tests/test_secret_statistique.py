"""Statistical secrecy on every channel: figures planted so that a published total would be
one firm's secret, read as the national delegation and as an operator, on the pages, the API
and the XLSX export; the totals appear once three balanced firms have a value. And
Cache-Control on the responses that carry secrets."""

import io
import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.utils import timezone

from comptes.enums import TypeOrganisation
from comptes.models import Organisation, ProfilEntreprise
from comptes.tests.fabriques import MDP
from fiches.enums import StatutLigne
from fiches.tests.fabriques import bpi, entreprise, equipe, fiche

pytestmark = pytest.mark.django_db

SEUIL = "Secret statistique : moins de trois entreprises renseignées"
DOMINANCE = "Secret statistique : une entreprise représente plus de 85 % du total"

# Turnover: only firm A has one, so « the cumulated turnover » would be A's.
CA_A = 7_391_573
# Headcount: C makes 99.9 % of it, so the total would be C's give or take a few people.
EFFECTIFS = {"A": 3, "B": 4, "C": 48_613}
EFFECTIF_TOTAL = 48_620
# A fiche of firm A: Bpifrance's line, A's own line; the cost and the lines are secret.
LIGNE_BPI, LIGNE_A = Decimal("61234"), Decimal("38517")
COUT = LIGNE_BPI + LIGNE_A  # 99 751


def montre(texte: str, nombre) -> bool:
    """Whether the number appears, however it is written (12345, 12 345, 12,345, 12345.00)."""
    chiffres = str(int(nombre))
    groupes = [chiffres[max(0, i - 3) : i] for i in range(len(chiffres), 0, -3)][::-1]
    sep = r"[\s\u202f\xa0.,]?"
    motif = r"(?<![\d])" + sep.join(re.escape(g) for g in groupes) + r"(?![\d])"
    return re.search(motif, texte) is not None


def texte(r) -> str:
    assert r.status_code == 200, (r.request["PATH_INFO"], r.status_code)
    if r["Content-Type"].startswith("application/vnd.openxmlformats"):
        wb = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
        return " | ".join(
            str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v
        )
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", r.content.decode())).split())


def jeton(client, user) -> dict:
    r = client.post(
        "/api/v1/auth/token",
        {"email": user.email, "password": MDP},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


@pytest.fixture
def monde():
    p = equipe()
    firmes = {
        "A": entreprise("8401", 1, effectif=EFFECTIFS["A"], chiffre_affaires=CA_A),
        "B": entreprise("8401", 2, effectif=EFFECTIFS["B"], chiffre_affaires=None),
        "C": entreprise("8401", 3, effectif=EFFECTIFS["C"], chiffre_affaires=None),
    }
    f = fiche(
        p["chef"],
        porteur=firmes["A"],
        cout=COUT,
        lignes=[
            {"financeur": bpi(), "section": "investissement", "montant": LIGNE_BPI},
            {"financeur": firmes["A"], "section": "investissement", "montant": LIGNE_A},
        ],
    )
    return {**p, **firmes, "fiche": f}


def canaux(client, w, user) -> dict[str, str]:
    """Everything the person can read about the territory, its firms and their fiche."""
    client.force_login(user)
    api = jeton(client, user)
    uuid, a = w["fiche"].uuid, w["A"].pk
    pages = {
        "page du territoire": "/territoires/1/8401/",
        "page de la région": "/regions/84/",
        "page de l'entreprise": f"/organisations/{a}/",
        "liste des fiches": "/fiches/?territoire=1-8401",
        "page de la fiche": f"/fiches/{uuid}/",
        "export XLSX": "/fiches/export.xlsx?territoire=1-8401",
        "suivi national": "/tableaux/deploiement/",
        "suivi régional": "/tableaux/deploiement/?region=84",
    }
    out = {nom: texte(client.get(url)) for nom, url in pages.items()}
    for url in (
        "/api/v1/territoires/8401",
        f"/api/v1/organisations/{a}",
        "/api/v1/fiches?territoire=8401",
        f"/api/v1/fiches/{uuid}",
    ):
        out[f"API {url}"] = texte(client.get(url, **api))
    return out


@pytest.mark.parametrize("lecteur", ["national", "bpi"])
def test_aucun_canal_ne_revele_le_chiffre_d_une_entreprise(client, monde, lecteur):
    w = monde
    vus = canaux(client, w, w[lecteur])
    interdits = {
        "chiffre d'affaires de A (seul renseigné)": CA_A,
        "effectif de C (plus de 85 %)": EFFECTIFS["C"],
        "effectif cumulé (celui de C à 7 près)": EFFECTIF_TOTAL,
        "ligne de A": LIGNE_A,
        "coût de la fiche, total des lignes": COUT,
    }
    if lecteur == "national":
        interdits["ligne de Bpifrance"] = LIGNE_BPI
    fuites = [
        (canal, quoi) for canal, t in vus.items() for quoi, n in interdits.items() if montre(t, n)
    ]
    assert fuites == []
    # The withheld totals say why, in French.
    territoire_ = vus["page du territoire"]
    assert f"Chiffre d'affaires cumulé : {SEUIL}" in territoire_
    assert f"Effectif cumulé : {DOMINANCE}" in territoire_
    assert SEUIL in vus["page de la fiche"]  # « Ensemble des financeurs »: one bearer


def test_l_operateur_voit_le_total_de_ses_propres_lignes(client, monde):
    client.force_login(monde["bpi"])
    page = texte(client.get(f"/fiches/{monde['fiche'].uuid}/"))
    [ligne_bpi] = re.findall(r"Bpifrance [^A-Z]*€", page.split("Montants demandés, accordés")[1])
    assert montre(ligne_bpi, LIGNE_BPI)
    assert re.search(r"Ensemble des financeurs " + re.escape(SEUIL), page)


def test_l_equipe_du_territoire_voit_les_totaux_exacts(client, monde):
    client.force_login(monde["chef"])
    page = texte(client.get("/territoires/1/8401/"))
    assert montre(page.split("Chiffre d'affaires cumulé")[1][:40], CA_A)
    assert montre(page.split("Effectif cumulé")[1][:40], EFFECTIF_TOTAL)
    fiche_ = texte(client.get(f"/fiches/{monde['fiche'].uuid}/"))
    assert montre(fiche_.split("Ensemble des financeurs")[1][:30], COUT)


@pytest.mark.parametrize("lecteur", ["national", "bpi"])
def test_trois_entreprises_equilibrees_le_total_parait(client, monde, lecteur):
    for nom, effectif, ca in (("A", 40, 7_391_573), ("B", 35, 6_000_000), ("C", 50, 5_500_000)):
        ProfilEntreprise.objects.filter(organisation=monde[nom]).update(
            effectif=effectif, chiffre_affaires=ca
        )
    client.force_login(monde[lecteur])
    page = texte(client.get("/territoires/1/8401/"))
    assert "Effectif cumulé : 125 (3 entreprises renseignées)" in page
    assert montre(page.split("Chiffre d'affaires cumulé : ")[1][:20], 18_891_573)
    assert "Secret statistique" not in page


def test_cumul_de_minimis_d_autres_territoires_pas_montre_sans_besoin_d_en_connaitre(client):
    """The firm's aid granted in 8408 is secret to the team of 8401: the « already granted »
    figure of the de minimis check would be exactly that amount."""
    p = equipe()
    firme = entreprise("8401")
    jumelle = Organisation.objects.create(
        nom="Même entreprise, établissement de 8408",
        type=TypeOrganisation.ENTREPRISE,
        siren=firme.siren,
        commune=entreprise("8408").commune,
    )
    ailleurs = fiche(
        p["chef8408"],
        code="8408",
        porteur=jumelle,
        lignes=[
            {
                "financeur": bpi(),
                "section": "investissement",
                "montant": Decimal("287345"),
                "de_minimis": True,
            }
        ],
    )
    ailleurs.lignes.update(
        statut=StatutLigne.ACCORDE, decide_le=timezone.localdate() - timedelta(days=30)
    )
    ici = fiche(p["chef"], porteur=firme)  # asks Bpifrance for 60,000 € de minimis
    url = f"/fiches/{ici.uuid}/"

    client.force_login(p["chef"])
    page = texte(client.get(url))
    assert "ferait dépasser à l'entreprise" in page
    assert not montre(page, 287_345)
    assert "Montants non montrés" in page and SEUIL.lower() in page
    [controle] = [
        c
        for c in client.get(f"/api/v1/fiches/{ici.uuid}", **jeton(client, p["chef"])).json()[
            "controles"
        ]
        if c["code"] == "de_minimis"
    ]
    assert controle["chiffres"] is None and controle["motif"] == SEUIL.lower()

    # The Région's pilot may read the firm's aid in both territories: the figures.
    client.force_login(p["pilote"])
    page = texte(client.get(url))
    assert montre(page, 287_345)


def test_cache_control_prive_sur_les_reponses_qui_portent_des_secrets(client, monde):
    w = monde
    client.force_login(w["chef"])
    for url in (f"/organisations/{w['A'].pk}/", f"/fiches/{w['fiche'].uuid}/"):
        r = client.get(url)
        assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
    r = client.get(f"/api/v1/fiches/{w['fiche'].uuid}", **jeton(client, w["chef"]))
    assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
    assert montre(r.content.decode(), LIGNE_A)  # it does carry the secret amount
    r = client.get(f"/api/v1/organisations/{w['A'].pk}", **jeton(client, w["chef"]))
    assert r["Cache-Control"] == "private, no-store"
    r = client.get("/fiches/export.xlsx?territoire=1-8401")
    assert montre(texte(r), LIGNE_A) and r["Cache-Control"] == "private, no-store"
    # The national delegation reads totals of secrets: private too.
    client.force_login(w["national"])
    assert client.get("/territoires/1/8401/")["Cache-Control"] == "private, no-store"


def test_pas_de_cache_control_prive_sans_secret(client, monde):
    for url in ("/", "/territoires/1/8401/", "/api/v1/territoires/8401", "/fiches/"):
        r = client.get(url)
        assert r.status_code == 200
        assert "no-store" not in r.get("Cache-Control", ""), url
