"""Money and delays on the dashboards (suivi.chiffres, suivi.delais): to the cent and to the
day for those who may read every amount, the motif of statistical secrecy — never a number —
for the others."""

from __future__ import annotations

from decimal import Decimal

import pytest

from comptes.secrets import MOTIF_SEUIL
from contrats.tests.fabriques import MONTANT_PUBLIC, MONTANT_SECRET, J, jour, retenue
from fiches.tests.fabriques import equipe_phase_2
from financements import cycle as argent

from .outils import lire_csv, lire_xlsx, programme, tableau_html

pytestmark = pytest.mark.django_db

NATIONAL = "/tableaux/?phase=1"
REGION = "/tableaux/regions/84/?phase=1"
T8401 = "/tableaux/territoires/1/8401/"
ACCORDE = MONTANT_SECRET + MONTANT_PUBLIC  # the two lines of the retained fiche of 8401


@pytest.fixture
def p():
    p = programme()
    publique = p["retenue"].lignes.get(montant=MONTANT_PUBLIC)
    engagement = argent.engager(
        user=p["bpi"], ligne=publique, montant=MONTANT_PUBLIC, convention="C-1", date=jour(45)
    )
    argent.payer(user=p["bpi"], engagement=engagement, montant=Decimal("10000.50"), date=jour(60))
    return p


def _figure(client, user, url, slug) -> dict[str, list[str]]:
    client.force_login(user)
    sep = "&" if "?" in url else "?"
    lignes = lire_csv(client.get(f"{url}{sep}figure={slug}&format=csv").content)
    return {ligne[0]: ligne[1:] for ligne in lignes[1:]}


def test_au_centime_pour_qui_lit_chaque_montant(client, p):
    for qui, url in (("pilote", REGION), ("chef", T8401)):
        m = _figure(client, p[qui], url, "financements-montants")
        assert Decimal(m["Demandé"][0]) == ACCORDE, qui
        assert Decimal(m["Accordé"][0]) == ACCORDE
        assert Decimal(m["Engagé"][0]) == MONTANT_PUBLIC
        assert Decimal(m["Payé"][0]) == Decimal("10000.50")
        assert Decimal(m["Reste à payer"][0]) == ACCORDE - Decimal("10000.50")
        taux = _figure(client, p[qui], url, "financements-taux")
        assert taux["Part des demandes accordée"][0] == "100.0"
        assert taux["Part de l'accordé payée"][0] == "1.0"  # 10 000,50 / 1 030 864


def test_un_montant_secret_ne_se_lit_jamais_dans_un_total_sans_besoin_d_en_connaitre(client, p):
    client.force_login(p["national"])
    page = client.get(NATIONAL).content.decode()
    _, lignes = tableau_html(page, "financements-montants")
    montants = dict(lignes)
    # One firm's secret amount in the total: withheld whole, with its motif.
    assert montants["Accordé"] == MOTIF_SEUIL and montants["Demandé"] == MOTIF_SEUIL
    for chiffre in ("987654", "987\u202f654", "1030864", "1\u202f030\u202f864", "1020863"):
        assert chiffre not in page
    # Nor in the exports, nor in the chart.
    for slug in ("financements-montants", "financements-repartition"):
        for fmt in ("csv", "xlsx"):
            contenu = client.get(f"{NATIONAL}&figure={slug}&format={fmt}").content
            lignes = lire_csv(contenu) if fmt == "csv" else lire_xlsx(contenu)
            valeurs = [str(v) for ligne in lignes for v in ligne]
            assert not any(v.startswith(("987654", "1030864")) for v in valeurs), (slug, fmt)
    assert (
        MOTIF_SEUIL
        in lire_csv(client.get(f"{NATIONAL}&figure=financements-montants&format=csv").content)[2]
    )


def test_les_delais_au_jour(client, p):
    d = _figure(client, p["pilote"], REGION, "delais-etapes")
    # Both lines requested at the submission, decided 30 days later.
    assert d["De la demande à la décision"][:2] == ["2", "30"]
    assert d["De la décision à l'engagement"][:2] == ["1", "15"]
    assert d["De l'engagement au premier paiement"][:2] == ["1", "15"]
    par_financeur = _figure(client, p["pilote"], REGION, "delais-financeurs")
    assert par_financeur["Bpifrance"][:3] == ["30", "15", "15"]


def test_qui_attend_quoi(client):
    # A phase still running: a fiche of a finished phase waits on nobody any more.
    p = equipe_phase_2()
    f = retenue(p, t=p["t2"], chef=p["chef2"])
    client.force_login(p["chef2"])
    page = client.get(f"/tableaux/territoires/2/{p['t2'].code}/").content.decode()
    _, lignes = tableau_html(page, "delais-attentes")
    (attente,) = lignes
    assert attente[0] == f"{f.reference} {f.titre}"
    # Retained, it waits as a whole on the signature of its contract, since it was retained.
    assert attente[1] == str((J - jour(40)).days)
    assert attente[2] == f"la signature du contrat ou de l'avenant (Retenue, {attente[1]} j)"


def test_la_carte_se_colore_selon_l_argent(client, p):
    client.force_login(p["pilote"])
    page = client.get(REGION + "&carte=part_payee").content.decode()
    _, lignes = tableau_html(page, "carte")
    valeurs = {ligne[0].split()[0]: ligne[1] for ligne in lignes}
    assert valeurs["8401"] == "1 %"
    assert valeurs["8408"] == "—"  # no money there
    client.force_login(p["national"])
    page = client.get(NATIONAL + "&carte=accorde").content.decode()
    _, lignes = tableau_html(page, "carte")
    assert {ligne[0].split()[0]: ligne[1] for ligne in lignes}["8401"] == MOTIF_SEUIL
