"""Reporting snapshots: frozen as their author sees the figures, compared level by level,
read only by the national delegation (national ones) or the Région's pilot (its own)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from comptes.secrets import MOTIF_SEUIL
from financements.models import Engagement, Paiement
from suivi import instantanes
from suivi.permissions import instantanes_visibles

from .programme import construire

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return construire()


def ligne(donnees, niveau, libelle):
    return next(r for r in donnees[niveau] if r["libelle"] == libelle)


def test_la_region_fige_ses_chiffres_a_une_date_et_compare_deux_instantanes(w):
    u = w["pilote84"]
    avant = instantanes.figer(u, libelle="COPIL de mars", region="84", date=date(2025, 3, 31))
    apres = instantanes.figer(u, libelle="COPIL de juin", region="84", date=date(2025, 6, 30))
    # At 31/03/2025, région 84: A granted (100 000), C granted (30 000); B not yet.
    assert avant.donnees["programme"][0]["accorde"] == {"valeur": "130000.00", "motif": ""}
    assert ligne(apres.donnees, "territoire", "ti-8401 Ardèche Drôme Nord")["paye"]["valeur"] == (
        "40000.00"
    )
    assert "region" not in avant.donnees  # a région's snapshot: its territories
    ecarts = instantanes.comparer(avant, apres)
    ensemble = ecarts["programme"][0].figures
    assert (ensemble["accorde"].avant, ensemble["accorde"].apres) == ("130000.00", "210000.50")
    assert ensemble["accorde"].ecart == D("80000.50")  # B, granted on 02/05/2025
    assert ensemble["paye"].ecart == D("40000.00")  # A's first payment
    bdt = next(r for r in ecarts["financeur"] if r.libelle == "Banque des territoires")
    assert (bdt.figures["accorde"].avant, bdt.figures["accorde"].ecart) == (
        "0.00",
        D("80000.50"),
    )
    # The delays by funder are frozen too.
    [bpi] = [r for r in apres.donnees["delais_financeur"] if r["libelle"] == "Bpifrance"]
    assert bpi["decision"] == {"n": 2, "mediane": 44.5, "p90": 59}


def test_un_instantane_national_garde_le_secret_et_l_ecart_d_un_chiffre_retenu_est_vide(w):
    u = w["national"]
    avant = instantanes.figer(u, libelle="CNI", date=date(2025, 3, 31))
    engagement = Engagement.objects.create(
        ligne=w["ligne_b"], date=date(2025, 5, 10), montant=D("80000.50"), par=u
    )
    Paiement.objects.create(
        engagement=engagement, date=date(2025, 6, 1), montant=D("80000.50"), par=u
    )
    apres = instantanes.figer(u, libelle="CNI", date=date(2025, 6, 30))
    assert ligne(apres.donnees, "region", "Auvergne-Rhône-Alpes")["paye"] == {
        "valeur": None,
        "motif": MOTIF_SEUIL,
    }
    regions = instantanes.comparer(avant, apres)["region"]
    ara = next(r for r in regions if r.libelle == "Auvergne-Rhône-Alpes").figures["paye"]
    assert (ara.avant, ara.apres, ara.ecart, ara.motif) == ("10000.00", None, None, MOTIF_SEUIL)
    assert "80000.5" not in str(apres.donnees)


def test_qui_fige_et_qui_lit_un_instantane(w):
    national = instantanes.figer(w["national"], libelle="CNI")
    regional = instantanes.figer(w["pilote84"], libelle="COPIL", region="84")
    for user, region in (
        (w["pilote84"], None),
        (w["pilote84"], "27"),
        (w["chef8401"], "84"),
        (w["referent_bpi"], None),
    ):
        with pytest.raises(PermissionDenied):
            instantanes.figer(user, libelle="x", region=region)
    # The pilot's snapshot holds its région's secrets: not for national staff, nor another
    # région's pilot; the national one is not for a pilot.
    assert list(instantanes_visibles(w["national"])) == [national]
    assert list(instantanes_visibles(w["pilote84"])) == [regional]
    for user, obj in (
        (w["national"], regional),
        (w["pilote27"], regional),
        (w["pilote84"], national),
        (w["chef8401"], regional),
    ):
        with pytest.raises(Http404):
            instantanes.instantane(user, obj.pk)
    assert instantanes.instantane(w["pilote84"], regional.pk) == regional
