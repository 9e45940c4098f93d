"""Phase 2: once the contract is signed, the local project committee continues as the comité de
suivi — the same body, renamed from the signature's date, its past meetings and decisions kept
under the name they were held under."""

from datetime import timedelta

import pytest

from contrats import cycle
from fiches.tests.fabriques import equipe_phase_2
from gouvernance import services as gouvernance
from gouvernance.enums import NaturePoint, ObjetDecision, TypeComite
from gouvernance.models import Comite
from gouvernance.tests.fabriques import quand, reunion_passee

from .fabriques import J, contrat_pret, equipe, signer_tout, territoire

pytestmark = pytest.mark.django_db


def _jour(d):
    return (d.year, d.month, d.day)


def test_le_comite_de_projet_devient_comite_de_suivi_a_la_signature(client):
    p = equipe_phase_2()
    t2, chef2 = p["t2"], p["chef2"]
    comite = gouvernance.comite_local(t2)
    ancien_nom = comite.nom
    assert ancien_nom == f"Comité de projet local — {t2.nom}"
    avant = reunion_passee(chef2, comite, jour=_jour(J - timedelta(days=30)))
    point = gouvernance.ajouter_point(
        user=chef2, reunion=avant, nature=NaturePoint.INFORMATION, intitule="Feuille de route"
    )
    decision = gouvernance.decider(
        user=chef2, reunion=avant, point=point, objet=ObjetDecision.AUTRE, texte="Adoptée."
    )
    c = contrat_pret(p, t=t2, chef=chef2)
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=2))
    signer_tout(p, c, date=J - timedelta(days=1), chef=chef2)
    assert c.date_signature == J - timedelta(days=1)

    comite.refresh_from_db()
    # The same body, one local committee for the territory, renamed from the signature.
    assert Comite.objects.filter(type=TypeComite.COMITE_LOCAL, territoire=t2).count() == 1
    assert comite.nom == f"Comité de suivi — {t2.nom}" and comite.libelle_type == "Comité de suivi"
    assert comite.suivi_depuis == c.date_signature and comite.nom_avant_suivi == ancien_nom
    # Its past meeting and decision stay attached, under the name they were held under.
    assert list(comite.reunions.all()) == [avant]
    assert avant.decisions.get() == decision
    assert avant.nom_comite == ancien_nom
    apres = gouvernance.planifier_reunion(user=chef2, comite=comite, debut=quand(*_jour(J)))
    assert apres.nom_comite == comite.nom
    client.force_login(chef2)
    html = client.get(f"/gouvernance/comites/{comite.pk}/").content.decode()
    assert f"Comité de suivi — {t2.nom}" in html and ancien_nom in html
    assert f"signé le {c.date_signature:%d/%m/%Y}" in html
    html = client.get(f"/gouvernance/reunions/{avant.pk}/").content.decode()
    assert f"<h1>{ancien_nom}" in html
    # A second signature date (an avenant, a replay) changes nothing: the date stays.
    gouvernance.continuer_en_comite_de_suivi(t2, J)
    comite.refresh_from_db()
    assert comite.suivi_depuis == c.date_signature and comite.nom_avant_suivi == ancien_nom


def test_en_phase_1_le_comite_de_projet_garde_son_nom():
    p = equipe()
    comite = gouvernance.comite_local(territoire("8401"))
    nom = comite.nom
    c = contrat_pret(p)
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=2))
    signer_tout(p, c, date=J)
    comite.refresh_from_db()
    assert comite.nom == nom and comite.suivi_depuis is None
    assert comite.libelle_type == "Comité de projet local"
