"""The Fonds vert axis « Territoires d'industrie en transition écologique » (2024): a private
firm is eligible only with the agreement of the territory's governance, a decision of its
local committee taken in a meeting; a firm in difficulty under the RGEC is excluded."""

from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from api.tests.test_fiches_api import jeton
from comptes.enums import TypeOrganisation
from comptes.models import Organisation, ProfilEntreprise
from comptes.services import modifier_profil_entreprise
from fiches import cycle
from fiches.controles import controler
from fiches.enums import Avis
from gouvernance import services as gouvernance
from gouvernance.enums import NaturePoint, ObjetDecision
from gouvernance.tests.fabriques import reunion_passee
from mesures.enums import Priorite
from mesures.models import Mesure

from .fabriques import entreprise_de, equipe_phase_2, fiche

pytestmark = pytest.mark.django_db

J = timezone.localdate()


def fonds_vert() -> Mesure:
    return Mesure.objects.get(nom="Fonds vert — Territoires d'industrie en transition écologique")


def fiche_fonds_vert(p, porteur):
    ademe = Organisation.objects.get(nom="Ademe")
    return fiche(
        p["chef2"],
        t=p["t2"],
        axe=Priorite.TRANSITION,
        porteur=porteur,
        cout=Decimal("2000000"),
        lignes=[
            {
                "financeur": ademe,
                "mesure": fonds_vert(),
                "section": "investissement",
                "montant": Decimal("800000"),
            },
            {"financeur": porteur, "section": "investissement", "montant": Decimal("1200000")},
        ],
    )


def codes(f) -> list[str]:
    return [c.code for c in controler(f)]


@pytest.fixture
def p():
    return equipe_phase_2()


def test_entreprise_sans_accord_de_la_gouvernance_signalee(client, p):
    firme = entreprise_de(p["t2"], en_difficulte=False)
    f = fiche_fonds_vert(p, firme)
    [c] = [c for c in controler(f) if c.code == "accord_gouvernance"]
    assert c.message == (
        f"Une entreprise n'est éligible à la mesure « {fonds_vert().nom} » qu'avec l'accord de "
        "la gouvernance du territoire : aucune décision favorable du comité de projet du "
        "territoire sur cette fiche n'est enregistrée en réunion."
    )
    r = client.get(f"/api/v1/fiches/{f.uuid}", **jeton(client, "chef.phase2@exemple.fr"))
    assert "accord_gouvernance" in [c["code"] for c in r.json()["controles"]]
    # An opinion typed on the fiche, without a meeting of the committee, is not the agreement.
    cycle.appliquer(user=p["chef2"], fiche=f, mouvement="soumettre", date_effet=J)
    cycle.appliquer(
        user=p["chef2"],
        fiche=f,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
        date_effet=J,
        decision_texte="Avis favorable.",
    )
    assert "accord_gouvernance" in codes(f)


def test_decision_favorable_du_comite_en_reunion_vaut_accord(p):
    firme = entreprise_de(p["t2"], en_difficulte=False)
    f = fiche_fonds_vert(p, firme)
    cycle.appliquer(
        user=p["chef2"], fiche=f, mouvement="soumettre", date_effet=J - timedelta(days=10)
    )
    jour = J - timedelta(days=5)
    comite = gouvernance.comite_local(p["t2"])
    r = reunion_passee(p["chef2"], comite, jour=(jour.year, jour.month, jour.day))
    point = gouvernance.ajouter_point(user=p["chef2"], reunion=r, nature=NaturePoint.FICHE, fiche=f)
    gouvernance.decider(
        user=p["chef2"],
        reunion=r,
        point=point,
        objet=ObjetDecision.FICHE,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
    )
    assert "accord_gouvernance" not in codes(f)
    assert codes(f) == []


def test_une_association_n_a_pas_besoin_de_cet_accord(p):
    asso = Organisation.objects.create(nom="École de production", type=TypeOrganisation.ASSOCIATION)
    f = fiche_fonds_vert(p, asso)
    assert codes(f) == []


def test_entreprise_en_difficulte_exclue_sur_sa_declaration_datee(p):
    firme = entreprise_de(p["t2"])
    f = fiche_fonds_vert(p, firme)
    # Not declared yet: the check cannot conclude, and says so.
    [c] = [c for c in controler(f) if c.code == "difficulte_non_declaree"]
    assert "exclut les entreprises en difficulté au sens du RGEC" in c.message
    profil = ProfilEntreprise.objects.get(organisation=firme)
    profil = modifier_profil_entreprise(
        user=p["chef2"], profil=profil, version=profil.version, donnees={"en_difficulte": True}
    )
    assert profil.en_difficulte_declare_le == J
    [c] = [c for c in controler(f) if c.code == "entreprise_en_difficulte"]
    assert c.message == (
        f"L'entreprise porteuse est exclue de la mesure « {fonds_vert().nom} » : elle s'est "
        "déclarée en difficulté au sens du RGEC (article 2.18), et aucune aide de cette mesure "
        "ne peut être accordée à une entreprise en difficulté."
    )
    assert c.chiffres == {"déclarée le": f"{J:%d/%m/%Y}"}
    modifier_profil_entreprise(
        user=p["chef2"], profil=profil, version=profil.version, donnees={"en_difficulte": False}
    )
    assert not {"entreprise_en_difficulte", "difficulte_non_declaree"} & set(codes(f))


def test_la_declaration_se_fait_par_l_api_et_se_lit_sur_la_page(client, p):
    firme = entreprise_de(p["t2"])
    auth = jeton(client, "chef.phase2@exemple.fr")
    r = client.patch(
        f"/api/v1/organisations/{firme.pk}/profil",
        {"version": 1, "en_difficulte": True},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200, r.content
    assert r.json()["en_difficulte"] is True
    assert r.json()["en_difficulte_declare_le"] == J.isoformat()
    client.force_login(p["chef2"])
    html = client.get(f"/organisations/{firme.pk}/").content.decode()
    assert f"RGEC (article 2.18, aides d'État) : oui, déclaré le {J:%d/%m/%Y}" in unescape(html)
    html = unescape(client.get(f"/organisations/{firme.pk}/modifier/").content.decode())
    assert "Entreprise en difficulté au sens du RGEC" in html and "Non déclarée" in html


def test_la_situation_d_une_entreprise_au_regard_du_rgec_reste_a_qui_doit_la_connaitre(client, p):
    """The declaration is the firm's own situation (FAQ §7.3): its team and the firm read it;
    the national delegation, an operator's referent or a visitor never do — neither on the
    firm's page, nor through the API, nor as a finding of the fiche's checks."""
    from django.contrib.auth.models import AnonymousUser

    from fiches.controles import lisibles

    firme = entreprise_de(p["t2"])
    profil = ProfilEntreprise.objects.get(organisation=firme)
    modifier_profil_entreprise(
        user=p["chef2"], profil=profil, version=profil.version, donnees={"en_difficulte": True}
    )
    f = fiche_fonds_vert(p, firme)
    tous = controler(f)
    assert "entreprise_en_difficulte" in [c.code for c in lisibles(p["chef2"], f, tous)]
    for lecteur in (p["national"], p["bpi"], AnonymousUser()):
        assert "entreprise_en_difficulte" not in [c.code for c in lisibles(lecteur, f, tous)]

    client.force_login(p["national"])
    html = unescape(client.get(f"/organisations/{firme.pk}/").content.decode())
    assert firme.nom in html and "RGEC" not in html
    r = client.get(f"/api/v1/organisations/{firme.pk}", **jeton(client, "national@exemple.fr"))
    assert r.status_code == 200, r.content
    assert r.json()["profil"]["en_difficulte"] is None
    assert "en_difficulte" in r.json()["profil"]["masques"]

    client.force_login(p["chef2"])
    html = unescape(client.get(f"/organisations/{firme.pk}/").content.decode())
    assert "RGEC (article 2.18, aides d'État) : oui" in html
    r = client.get(f"/api/v1/organisations/{firme.pk}", **jeton(client, "chef.phase2@exemple.fr"))
    assert r.json()["profil"]["en_difficulte"] is True
