"""The money of lines at the database: per line, summed, grouped, in a constant number of
queries, to the cent (financements.selectors)."""

import pytest

from fiches.models import LigneFinancement
from financements import cycle, selectors

from .fabriques import MONTANT_PUBLIC, MONTANT_SECRET, D, accordee, jour

pytestmark = pytest.mark.django_db


def _argent_connu():
    p = accordee()
    bpi = p["bpi"]
    e1 = cycle.engager(
        user=bpi, ligne=p["secrete"], montant=D("500000"), convention="C1", date=jour(45)
    )
    e2 = cycle.engager(
        user=bpi, ligne=p["secrete"], montant=D("100000.10"), convention="C2", date=jour(50)
    )
    cycle.payer(user=bpi, engagement=e1, montant=D("200000.05"), date=jour(70))
    cycle.payer(user=bpi, engagement=e2, montant=D("50000"), date=jour(90))
    cycle.reduire(user=bpi, engagement=e1, montant=D("0.05"), date=jour(91), motif="Arrondi")
    e3 = cycle.engager(
        user=bpi, ligne=p["publique"], montant=D("43210"), convention="C3", date=jour(60)
    )
    cycle.annuler(user=bpi, engagement=e3, date=jour(61), motif="Abandon")
    return p


def test_annoter_chaque_ligne_au_centime_en_une_requete(django_assert_num_queries):
    p = _argent_connu()
    with django_assert_num_queries(1):
        lignes = {
            li.pk: li for li in selectors.annoter(LigneFinancement.objects.filter(fiche=p["fiche"]))
        }
    s, pub = lignes[p["secrete"].pk], lignes[p["publique"].pk]
    assert (s.engage, s.paye) == (D("600000.05"), D("250000.05"))
    assert (s.engage_le, s.premier_paiement, s.dernier_paiement) == (jour(45), jour(70), jour(90))
    assert (pub.engage, pub.paye) == (D("0"), D("0"))
    assert (pub.engage_le, pub.premier_paiement) == (jour(60), None)


def test_totaux_et_regroupements_sur_un_ensemble_de_lignes(django_assert_num_queries):
    p = _argent_connu()
    lignes = LigneFinancement.objects.filter(fiche__territoire=p["fiche"].territoire)
    with django_assert_num_queries(4):  # granted, commitments, adjustments, payments
        t = selectors.totaux(lignes)
    assert t.accorde == MONTANT_SECRET + MONTANT_PUBLIC
    assert (t.engage, t.paye, t.reste) == (D("600000.05"), D("250000.05"), D("350000.00"))
    assert (t.engage_le, t.premier_paiement, t.dernier_paiement) == (jour(45), jour(70), jour(90))
    with django_assert_num_queries(4):
        groupes = selectors.par(lignes, "section")
    assert groupes["investissement"].paye == D("250000.05")
    assert groupes["fonctionnement"].engage == D("0")
    assert groupes["fonctionnement"].accorde == MONTANT_PUBLIC
    par_ligne = selectors.par(lignes, "pk")
    assert par_ligne[p["secrete"].pk] == selectors.argent(p["secrete"])
    assert selectors.totaux(lignes.none()) == selectors.Argent(D("0"), D("0"), D("0"))


def test_files_d_attente_lignes_a_engager_et_a_payer():
    p = accordee()
    lignes = LigneFinancement.objects.filter(fiche=p["fiche"])
    assert set(selectors.a_engager(lignes)) == {p["secrete"], p["publique"]}
    e = cycle.engager(
        user=p["bpi"], ligne=p["publique"], montant=D("1000"), convention="C", date=jour(50)
    )
    assert set(selectors.a_engager(lignes)) == {p["secrete"]}
    assert [selectors.argent(li).reste for li in selectors.a_payer(lignes)] == [D("1000")]
    cycle.payer(user=p["bpi"], engagement=e, montant=D("1000"), date=jour(60))
    assert not selectors.a_payer(lignes).exists()
