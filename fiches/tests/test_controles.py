"""Checks of the financing plan (FAQ §4.1, §5): each names its figures."""

from datetime import date
from decimal import Decimal

import pytest

from comptes.enums import TypeOrganisation
from comptes.models import Organisation
from fiches.controles import controler
from fiches.enums import StatutLigne
from mesures.models import Mesure

from .fabriques import bdt, bpi, entreprise, equipe, fiche

pytestmark = pytest.mark.django_db


def codes(f, today=None):
    return [c.code for c in controler(f, today)]


def ingenierie_bdt():
    return Mesure.objects.get(nom__startswith="Crédits d'ingénierie de la Banque")


def test_taux_de_cofinancement_de_la_mesure_depasse():
    p = equipe()
    epci = Organisation.objects.create(nom="Agglo", type=TypeOrganisation.ASSOCIATION)
    f = fiche(
        p["chef"],
        porteur=epci,
        cout=Decimal("100000"),
        lignes=[
            {
                "financeur": bdt(),
                "mesure": ingenierie_bdt(),
                "section": "fonctionnement",
                "montant": Decimal("60000"),
            },
            {"financeur": epci, "section": "fonctionnement", "montant": Decimal("40000")},
        ],
    )
    [c] = [c for c in controler(f) if c.code == "taux_mesure"]
    assert "au plus 50 %" in c.message
    assert c.chiffres["taux"] == "60 %" and c.chiffres["taux maximal"] == "50 %"


def test_taux_respecte_sans_alerte():
    p = equipe()
    epci = Organisation.objects.create(nom="Agglo", type=TypeOrganisation.ASSOCIATION)
    f = fiche(
        p["chef"],
        porteur=epci,
        lignes=[
            {
                "financeur": bdt(),
                "mesure": ingenierie_bdt(),
                "section": "fonctionnement",
                "montant": Decimal("50000"),
            },
            {"financeur": epci, "section": "fonctionnement", "montant": Decimal("50000")},
        ],
    )
    assert codes(f) == []


def test_porteur_non_eligible_a_la_mesure():
    p = equipe()
    detr = Mesure.objects.get(nom__contains="(DETR)")
    firme = entreprise("8401")
    f = fiche(
        p["chef"],
        porteur=firme,
        lignes=[
            {
                "financeur": firme,
                "mesure": detr,
                "section": "investissement",
                "montant": Decimal("100000"),
            },
        ],
    )
    [c] = [c for c in controler(f) if c.code == "porteur_eligible"]
    assert "« Entreprise » n'est pas éligible" in c.message
    assert "Commune" in c.chiffres["porteurs éligibles"]


def test_lignes_qui_ne_couvrent_pas_le_cout_total():
    p = equipe()
    f = fiche(p["chef"], cout=Decimal("150000"))
    [c] = [c for c in controler(f) if c.code == "somme_lignes"]
    assert "ne couvrent pas" in c.message
    assert c.chiffres["écart"].startswith("-50")


def test_plafond_de_la_mesure_depasse():
    p = equipe()
    m = ingenierie_bdt()
    m.plafond = Decimal("10000")
    m.save()
    epci = Organisation.objects.create(nom="Agglo", type=TypeOrganisation.ASSOCIATION)
    f = fiche(
        p["chef"],
        porteur=epci,
        cout=Decimal("100000"),
        lignes=[
            {
                "financeur": bdt(),
                "mesure": m,
                "section": "fonctionnement",
                "montant": Decimal("20000"),
            },
            {"financeur": epci, "section": "fonctionnement", "montant": Decimal("80000")},
        ],
    )
    assert "plafond_mesure" in codes(f)


def _aide(f, montant, quand):
    ligne = f.lignes.get(financeur=bpi())
    ligne.montant, ligne.statut, ligne.decide_le = Decimal(montant), StatutLigne.ACCORDE, quand
    ligne.save()


def test_de_minimis_300000_euros_sur_trois_ans_glissants_depuis_2024():
    p = equipe()
    firme = entreprise("8401")
    a = fiche(p["chef"], porteur=firme, titre="Première aide")
    b = fiche(p["chef"], porteur=firme, titre="Deuxième aide")
    _aide(a, 180000, date(2024, 3, 1))
    _aide(b, 110000, date(2025, 6, 1))
    assert "de_minimis" not in codes(b, date(2025, 7, 1))  # 290,000 ≤ 300,000
    _aide(b, 130000, date(2025, 6, 1))
    [c] = [c for c in controler(b, date(2025, 7, 1)) if c.code == "de_minimis"]
    assert c.chiffres["plafond"].replace("\u202f", " ") == "300 000 €"
    assert c.chiffres["cumul sur 3 ans"].replace("\u202f", " ") == "310 000 €"


def test_de_minimis_200000_euros_pour_les_aides_accordees_avant_2024():
    p = equipe()
    firme = entreprise("8401")
    a = fiche(p["chef"], porteur=firme)
    b = fiche(p["chef"], porteur=firme)
    _aide(a, 120000, date(2022, 1, 10))
    _aide(b, 90000, date(2023, 5, 1))
    [c] = [c for c in controler(b) if c.code == "de_minimis"]
    assert c.chiffres["plafond"].replace("\u202f", " ") == "200 000 €"
    assert "01/05/2023" in c.message


def test_de_minimis_cumule_par_siren_sur_toutes_les_fiches_meme_d_autres_territoires():
    p = equipe()
    firme = entreprise("8401")
    jumelle = Organisation.objects.create(
        nom="Même entreprise, autre établissement",
        type=TypeOrganisation.ENTREPRISE,
        siren=firme.siren,
    )
    a = fiche(p["chef"], porteur=firme)
    b = fiche(p["chef"], porteur=jumelle)
    _aide(a, 250000, date(2025, 1, 1))
    # b's request is pending: granting it would exceed the ceiling.
    [c] = [c for c in controler(b, date(2025, 6, 1)) if c.code == "de_minimis"]
    assert "ferait dépasser" in c.message
    assert c.chiffres["déjà accordé sur 3 ans"].replace("\u202f", " ") == "250 000 €"


def test_de_minimis_hors_fenetre_de_trois_ans_ne_compte_plus():
    p = equipe()
    firme = entreprise("8401")
    a = fiche(p["chef"], porteur=firme)
    b = fiche(p["chef"], porteur=firme)
    _aide(a, 150000, date(2021, 1, 1))
    _aide(b, 200000, date(2025, 1, 1))
    # 350,000 over 2021-2025, but the 2021 aid left the three-year window.
    assert "de_minimis" not in codes(b, date(2025, 2, 1))


def test_de_minimis_ne_concerne_que_les_entreprises():
    p = equipe()
    asso = Organisation.objects.create(nom="Association", type=TypeOrganisation.ASSOCIATION)
    f = fiche(p["chef"], porteur=asso)
    _aide(f, 900000, date(2025, 1, 1))
    assert "de_minimis" not in codes(f)
