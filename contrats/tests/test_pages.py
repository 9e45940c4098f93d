"""Pages of contracts and deployment tracking: 404 for drafts out of scope, signed is public,
forms through the services, downloads, constant queries on the tracking pages."""

from datetime import timedelta

import pytest
from django.urls import reverse

from contrats import cycle
from contrats.models import Contrat
from fiches.enums import Etat
from territoires.selectors import vue_territoire

from .fabriques import (
    MONTANT_SECRET,
    J,
    accords_de_tous,
    contrat_pret,
    equipe,
    retenue,
    signer_tout,
    territoire,
)

pytestmark = pytest.mark.django_db


def connecter(client, user):
    client.force_login(user)
    return client


def url(d, genre="contrat"):
    return reverse("contrats:document", args=[genre, d.pk])


def test_un_projet_de_contrat_repond_404_hors_du_territoire(client):
    p = equipe()
    c = contrat_pret(p)
    assert client.get(url(c)).status_code == 404  # anonymous
    connecter(client, p["chef8408"])
    assert client.get(url(c)).status_code == 404
    for fmt in ("docx", "pdf"):
        r = client.get(reverse("contrats:telecharger", args=["contrat", c.pk, fmt]))
        assert r.status_code == 404
    connecter(client, p["chef"])
    assert client.get(url(c)).status_code == 200
    connecter(client, p["pilote"])
    assert client.get(url(c)).status_code == 200


def test_un_contrat_signe_est_public_sans_secret(client):
    p = equipe()
    c = contrat_pret(p)
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=3))
    signer_tout(p, c, date=J)
    r = client.get(url(c))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Principaux enjeux" in html and "Ligne pilote de fabrication additive" in html
    assert "Procédé breveté" not in html
    r = client.get(reverse("contrats:telecharger", args=["contrat", c.pk, "docx"]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    r = client.get(reverse("contrats:telecharger", args=["contrat", c.pk, "pdf"]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert str(int(MONTANT_SECRET)).encode() not in r.content
    # Public, but read-only: no form to change it.
    assert client.get(reverse("contrats:modifier", args=["contrat", c.pk])).status_code == 302
    connecter(client, p["chef8408"])
    assert client.get(reverse("contrats:modifier", args=["contrat", c.pk])).status_code == 404


def test_l_equipe_prepare_le_contrat_par_les_formulaires(client):
    p = equipe()
    t = territoire("8401")
    f = retenue(p)
    epci = vue_territoire(t).epcis[0]
    connecter(client, p["etat"])
    nouveau = reverse("contrats:nouveau", args=[1, "8401", "contrat"])
    assert client.get(nouveau).status_code == 404  # the State validates, the team writes
    connecter(client, p["chef"])
    r = client.post(
        nouveau,
        {"annee_debut": 2019, "annee_fin": 2022, "epcis": [epci.siren], "enjeux": "Emploi"},
    )
    c = Contrat.objects.get(territoire=t)
    assert r.status_code == 302 and r["Location"] == url(c)
    assert c.enjeux == "Emploi" and list(c.epcis.values_list("siren", flat=True)) == [epci.siren]
    r = client.post(reverse("contrats:annexer", args=["contrat", c.pk]), {"fiche": f.pk})
    assert r.status_code == 302 and c.annexes.get().fiche == f
    r = client.post(
        reverse("contrats:signataire", args=["contrat", c.pk]),
        {"nature": "president_region", "nom": "M. le Président", "qualite": "Président"},
    )
    assert "Précisez la région" in r.content.decode()
    for donnees in (
        {"nature": "president_region", "region": "84", "nom": "Président", "qualite": "P"},
        {"nature": "prefet", "nom": "Préfète", "qualite": "Préfète de l'Ardèche"},
        {"nature": "president_epci", "epci": epci.siren, "nom": "Président", "qualite": "P"},
    ):
        r = client.post(reverse("contrats:signataire", args=["contrat", c.pk]), donnees)
        assert r.status_code == 302, r.content.decode()
    page = client.get(url(c)).content.decode()
    assert "Signataires manquants" not in page
    # The Région's pilot validates without a meeting, on the agreement of every party (FAQ
    # §4.2): alone, refused on the form, nothing written; then with each one's agreement.
    connecter(client, p["pilote"])
    sans_accord = {"date": J.isoformat(), "reunion": "0", "texte": "Accord écrit."}
    r = client.post(reverse("contrats:valider", args=["contrat", c.pk]), sans_accord)
    assert r.status_code == 200 and "une personne seule ne le valide pas" in r.content.decode()
    c.refresh_from_db()
    assert c.validation is None
    accords = {f"accord_par_{s.pk}": f"{s.nom}, par courriel" for s in c.signataires.all()}
    accords |= {f"accord_le_{s.pk}": J.isoformat() for s in c.signataires.all()}
    r = client.post(reverse("contrats:valider", args=["contrat", c.pk]), sans_accord | accords)
    assert r.status_code == 302
    assert "sans réunion du comité de pilotage régional" in client.get(url(c)).content.decode()
    connecter(client, p["chef"])
    for s in c.signataires.all():
        r = client.post(reverse("contrats:signer", args=[s.pk]), {"signe_le": J.isoformat()})
        assert r.status_code == 302
    c.refresh_from_db()
    f.refresh_from_db()
    assert c.etat == "signe" and f.etat == Etat.INSCRITE
    r = client.post(reverse("contrats:avenant-nouveau", args=[c.pk]), {"objet": "Nouvelles fiches"})
    assert r.status_code == 302 and c.avenants.get().numero == 1


def test_le_formulaire_refuse_une_fiche_non_retenue(client):
    from fiches.tests.fabriques import fiche

    p = equipe()
    c = contrat_pret(p)
    brouillon = fiche(p["chef"], titre="Brouillon")
    connecter(client, p["chef"])
    r = client.post(reverse("contrats:annexer", args=["contrat", c.pk]), {"fiche": brouillon.pk})
    assert r.status_code == 200 and not c.annexes.filter(fiche=brouillon).exists()


def test_la_section_du_territoire_montre_son_deploiement(client):
    p = equipe()
    connecter(client, p["chef"])
    r = client.get(reverse("contrats:territoire", args=[1, "8401"]))
    html = r.content.decode()
    assert r.status_code == 200 and "Déploiement du territoire" in html
    assert "Préparer le contrat" in html


def test_la_page_de_validation_propose_la_decision_du_copil_en_reunion(client):
    from contrats.enums import EtatDocument
    from contrats.tests.fabriques import contrat_pret, equipe, territoire
    from gouvernance import services as gouvernance
    from gouvernance.enums import NaturePoint, ObjetDecision
    from gouvernance.tests.fabriques import reunion_passee
    from referentiel.models import Region

    p = equipe()
    c = contrat_pret(p)
    copil = gouvernance.copil_regional(Region.objects.get(code="84"))
    reunion = reunion_passee(p["pilote"], copil, jour=(2020, 5, 4))
    point = gouvernance.ajouter_point(
        user=p["pilote"], reunion=reunion, nature=NaturePoint.CONTRAT, territoire=territoire("8401")
    )
    lien = gouvernance.decider(
        user=p["pilote"], reunion=reunion, point=point, objet=ObjetDecision.CONTRAT
    )
    client.force_login(p["pilote"])
    url = f"/contrats/contrat/{c.pk}/valider/"
    assert "04/05/2020" in client.get(url).content.decode()
    r = client.post(url, {"date": "2026-01-01", "reunion": "1", "lien": lien.pk})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.etat == EtatDocument.VALIDE and c.validation_id == lien.decision_id


def test_un_contrat_valide_par_un_accord_pris_hors_reunion_est_dit_sans_reunion(client):
    from comptes.enums import TypeOrganisation
    from comptes.models import Organisation
    from gouvernance import services as gouvernance

    p = equipe()
    c = contrat_pret(p)
    region = Organisation.objects.create(
        nom="Région Auvergne-Rhône-Alpes", type=TypeOrganisation.REGION, region_id="84"
    )
    etat = Organisation.objects.create(nom="Préfecture de l'Ardèche", type=TypeOrganisation.ETAT)
    # The decision's own words do not say how it was taken: its flag does (FAQ §4.2).
    lien = gouvernance.decider_hors_reunion(
        user=p["pilote"],
        territoire=territoire("8401"),
        date=J,
        intitule="Validation du contrat de 8401",
        accords=[region, etat],
        motif="Pas de COPIL avant l'été.",
        texte="Accord écrit des parties, reçu le même jour.",
    )
    d = cycle.valider_en_reunion(
        user=p["pilote"], document=c, lien=lien, accords=accords_de_tous(c)
    )
    assert cycle.sans_reunion(d)
    connecter(client, p["chef"])
    assert "sans réunion du comité de pilotage régional" in client.get(url(c)).content.decode()


def test_chaque_ecriture_des_contrats_et_de_la_gouvernance_est_au_journal_avec_son_auteur(
    client,
):
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from gouvernance import services as gouvernance
    from gouvernance.models import Reunion

    p = equipe()
    c = contrat_pret(p)
    cycle.valider(user=p["etat"], document=c, date=J)
    s = c.signataires.first()
    connecter(client, p["chef"])
    r = client.post(reverse("contrats:signer", args=[s.pk]), {"signe_le": J.isoformat()})
    assert r.status_code == 302
    s.refresh_from_db()
    # Who recorded the signature is kept with it, and in the audit trail.
    assert s.signe_le == J and s.signature_par == p["chef"]
    entree = LogEntry.objects.get_for_object(s).order_by("-id").first()
    assert entree.actor == p["chef"] and entree.action == LogEntry.Action.UPDATE
    assert LogEntry.objects.get_for_object(c).exists()
    # A meeting planned on its page, as any write of the governance.
    comite = gouvernance.comite_local(territoire("8401"))
    r = client.post(
        reverse("gouvernance:comite", args=[comite.pk]),
        {"jour": "2020-02-03", "heure": "10:00", "lieu": "Mairie"},
    )
    assert r.status_code == 302
    reunion = Reunion.objects.get(comite=comite)
    assert LogEntry.objects.get_for_object(reunion).get().actor == p["chef"]
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(comite)).exists()
