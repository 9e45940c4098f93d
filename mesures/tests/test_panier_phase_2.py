"""The panier of phase 2 (2023-2027) in the catalogue: the national envelope, the Fonds vert
axis « Territoires d'industrie en transition écologique », the State's co-financing of the chef
de projet; each with its source, serving the phase-2 priorities, with no invented rate."""

from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError

from mesures import selectors
from mesures.enums import Priorite
from mesures.models import Mesure

pytestmark = pytest.mark.django_db

ENVELOPPE = "Enveloppe nationale Territoires d'industrie 2023-2027"
FONDS_VERT = "Fonds vert — Territoires d'industrie en transition écologique"
CHEF_DE_PROJET = "Cofinancement par l'État du chef de projet Territoires d'industrie"


def test_les_trois_mesures_de_la_phase_2_avec_leurs_sources():
    mesures = {
        m.nom: m for m in Mesure.objects.filter(nom__in=[ENVELOPPE, FONDS_VERT, CHEF_DE_PROJET])
    }
    assert set(mesures) == {ENVELOPPE, FONDS_VERT, CHEF_DE_PROJET}
    for m in mesures.values():
        m.full_clean()
        assert m.reference and "Source" in m.description
        assert m.axes and set(m.axes) <= set(Priorite.values)  # phase-2 priorities only
        # No source gives a rate or a ceiling: none is invented.
        assert m.taux_max is None and m.plafond is None
    enveloppe = mesures[ENVELOPPE]
    assert "100 millions d'euros par an" in enveloppe.description
    assert (enveloppe.date_debut, enveloppe.date_fin) == (date(2023, 1, 1), date(2027, 12, 31))
    fv = mesures[FONDS_VERT]
    assert fv.operateur.nom == "Ademe" and fv.date_debut == date(2024, 1, 1)
    assert fv.accord_gouvernance and fv.exclut_entreprises_en_difficulte
    assert "100 millions d'euros en 2024" in fv.description
    for volet in ("volet 1", "volet 2", "volet 3", "rebond industriel"):
        assert volet in fv.description
    assert "cahier d'accompagnement" in fv.reference
    assert (
        fv.regles()[0]
        == "Priorités : compétences et recrutement, transition écologique et énergétique"
    )
    assert fv.regles()[-2:] == [
        "Une entreprise n'est éligible qu'avec l'accord de la gouvernance du territoire",
        "Entreprises en difficulté au sens du RGEC exclues",
    ]
    assert mesures[CHEF_DE_PROJET].nature == "ingenierie"


def test_le_catalogue_filtre_par_priorite_de_la_phase_2(client):
    noms = {m.nom for m in selectors.catalogue(axe=Priorite.FONCIER)}
    assert {ENVELOPPE, CHEF_DE_PROJET} <= noms and FONDS_VERT not in noms
    # A measure tied to phase-1 axes does not serve a phase-2 priority.
    assert "Kit de diagnostic d'attractivité de Business France" not in noms
    html = unescape(client.get("/mesures/", {"axe": "transition"}).content.decode())
    assert FONDS_VERT in html and "Transition écologique et énergétique (priorité, phase 2)" in html


def test_une_mesure_sert_les_axes_ou_les_priorites_pas_les_deux():
    m = Mesure(nom="Mélange", nature="financement", axes=["attirer", "foncier"])
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert exc.value.message_dict["axes"] == [
        "Une mesure sert les axes de la phase 1 ou les priorités de la phase 2, pas les deux."
    ]
