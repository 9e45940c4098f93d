"""The history of a protocol, a contract or an avenant: each validation and each signature
recorded by contrats.cycle with who, when, from which state to which and on which decision,
and shown on the document's page."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contrats import cycle, services
from contrats.enums import ActionDocument, EtatDocument, NatureSignataire
from gouvernance import services as gouvernance
from gouvernance.enums import NaturePoint, ObjetDecision
from referentiel.models import Region

from .fabriques import J, accords_de_tous, contrat_pret, equipe, signer_tout, territoire

pytestmark = pytest.mark.django_db


def lisible(r) -> str:
    assert r.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", r.content.decode())).split())


def _mouvements(document) -> list[tuple[str, str, str]]:
    return [(t.action, t.etat_avant, t.etat_apres) for t in document.transitions.historique()]


def test_la_validation_et_chaque_signature_du_contrat_sont_dans_son_historique(client):
    p = equipe()
    c = contrat_pret(p)
    signataires = list(c.signataires.order_by("pk"))
    decision = cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=3))
    cycle.signer(user=p["chef"], signataire=signataires[0], date=J - timedelta(days=2))
    signer_tout(p, c, date=J)
    n = len(signataires)
    assert _mouvements(c) == (
        [("valider", EtatDocument.BROUILLON, EtatDocument.VALIDE)]
        + [("signer", EtatDocument.VALIDE, EtatDocument.VALIDE)] * (n - 1)
        + [("signer", EtatDocument.VALIDE, EtatDocument.SIGNE)]
    )
    validation, premiere, *_, derniere = c.transitions.historique()
    assert (validation.par, validation.date_effet, validation.decision) == (
        p["pilote"],
        J - timedelta(days=3),
        decision,
    )
    assert (premiere.par, premiere.date_effet, premiere.decision) == (
        p["chef"],
        J - timedelta(days=2),
        None,
    )
    assert signataires[0].nom in premiere.motif
    assert derniere.date_effet == J == c.date_signature

    # The page shows it, with the names to people who are signed in only.
    page = lisible(client.get(reverse("contrats:document", args=["contrat", c.pk])))
    assert "Historique" in page and "Validé par le comité de pilotage régional" in page
    assert "(Validé, en signature → Signé)" in page
    assert "Signataire : " + signataires[0].nom in page
    assert "Enregistré par un membre du réseau" in page and "pilote84" not in page
    client.force_login(p["etat"])
    page = lisible(client.get(reverse("contrats:document", args=["contrat", c.pk])))
    assert "Enregistré par Prénom pilote84" in page and "Enregistré par Prénom chef8401" in page


def test_un_mouvement_refuse_ne_laisse_rien_dans_l_historique():
    p = equipe()
    c = contrat_pret(p)
    with pytest.raises(ValidationError, match="ne peut pas être dans le futur"):
        cycle.valider(user=p["pilote"], document=c, date=J + timedelta(days=1))
    s = c.signataires.first()
    with pytest.raises(ValidationError, match="pas encore validé"):
        cycle.signer(user=p["chef"], signataire=s, date=J)
    assert not c.transitions.exists()


def test_la_validation_sans_reunion_et_celle_d_une_reunion_du_copil_se_distinguent():
    p = equipe()
    sans = contrat_pret(p)
    cycle.valider(
        user=p["etat"],
        document=sans,
        reunion=False,
        texte="Accord écrit du 2 mai.",
        accords=accords_de_tous(sans),
    )
    [t] = sans.transitions.all()
    assert t.action == ActionDocument.VALIDER_SANS_REUNION and t.par == p["etat"]
    assert t.motif == "Accord écrit du 2 mai." and cycle.sans_reunion(t.decision)

    # The contract of 8408, validated by a decision of the regional COPIL in its meeting.
    from gouvernance.tests.fabriques import reunion_passee

    from .fabriques import retenue

    t8408 = territoire("8408")
    en_reunion = contrat_pret(p, t=t8408, chef=p["chef8408"], fiches=[retenue(p, code="8408")])
    copil = gouvernance.copil_regional(Region.objects.get(code="84"))
    r = reunion_passee(p["pilote"], copil, jour=(J - timedelta(days=1)).timetuple()[:3])
    point = gouvernance.ajouter_point(
        user=p["pilote"], reunion=r, nature=NaturePoint.CONTRAT, territoire=t8408
    )
    lien = gouvernance.decider(
        user=p["pilote"], reunion=r, point=point, objet=ObjetDecision.CONTRAT
    )
    cycle.valider_en_reunion(user=p["pilote"], document=en_reunion, lien=lien)
    [t] = en_reunion.transitions.all()
    assert (t.action, t.decision, t.date_effet) == (ActionDocument.VALIDER, lien.decision, r.date)


def test_le_protocole_est_signe_a_sa_derniere_signature_sans_validation():
    p = equipe()
    protocole = services.creer_protocole(
        user=p["chef"], territoire=territoire("8401"), donnees={"ambitions": "Ambitions."}
    )
    for nom in ("Président de l'EPCI", "Préfète"):
        services.ajouter_signataire(
            user=p["chef"],
            document=protocole,
            nature=NatureSignataire.AUTRE,
            nom=nom,
            qualite="Signataire",
        )
    signer_tout(p, protocole, date=J)
    assert _mouvements(protocole) == [
        ("signer", EtatDocument.BROUILLON, EtatDocument.BROUILLON),
        ("signer", EtatDocument.BROUILLON, EtatDocument.SIGNE),
    ]
    assert all(t.decision is None for t in protocole.transitions.all())
