"""Pages, calendars and CNI versions: scope (404 outside), ICS that parse back, map versions."""

from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from comptes.models import Personne
from gouvernance import agenda, demandes, services, versions
from gouvernance.enums import NatureDemande
from gouvernance.models import VersionCarte
from gouvernance.selectors import evolution_region
from referentiel.models import Region
from territoires import services as carte
from territoires.models import Decision, Instance, Phase

from .fabriques import gens, quand, reunion_passee, territoire

pytestmark = pytest.mark.django_db


@pytest.fixture
def g():
    return gens()


@pytest.fixture
def r8401(g):
    return reunion_passee(g["chef"], services.comite_local(territoire("8401")))


def _client(client, user):
    client.force_login(user)
    return client


def test_une_personne_de_8408_recoit_404_sur_les_reunions_de_8401(client, g, r8401):
    c = _client(client, g["chef8408"])
    for nom in ("gouvernance:reunion", "gouvernance:reunion-ics"):
        assert c.get(reverse(nom, args=[r8401.pk])).status_code == 404
    assert c.get(reverse("gouvernance:comite", args=[r8401.comite.pk])).status_code == 404
    assert c.post(reverse("gouvernance:reunion-point", args=[r8401.pk])).status_code == 404


def test_une_personne_de_8408_recoit_404_sur_les_demandes_de_8401(client, g):
    from referentiel.models import EPCI

    t = territoire("8401")
    d = demandes.deposer(
        user=g["chef"],
        nature=NatureDemande.RETRAIT_EPCI,
        territoire=t,
        epci=EPCI.objects.get(siren="200072015"),
        demandeur_territoire=t,
    )
    c = _client(client, g["chef8408"])
    assert c.get(reverse("gouvernance:demande", args=[d.pk])).status_code == 404
    assert str(d) not in c.get(reverse("gouvernance:demandes")).content.decode()
    c.force_login(g["pilote"])
    assert c.get(reverse("gouvernance:demande", args=[d.pk])).status_code == 200


def test_les_pages_de_gouvernance_exigent_une_connexion(client, r8401):
    assert client.get(reverse("gouvernance:reunion", args=[r8401.pk])).status_code == 302
    assert client.get(reverse("gouvernance:reunion-ics", args=[r8401.pk])).status_code == 302


def test_la_page_de_reunion_montre_ordre_du_jour_participants_et_lien_ics(client, g, r8401):
    services.ajouter_point(user=g["chef"], reunion=r8401, nature="information", intitule="Budget")
    resp = _client(client, g["chef"]).get(reverse("gouvernance:reunion", args=[r8401.pk]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Budget" in html and reverse("gouvernance:reunion-ics", args=[r8401.pk]) in html


def test_l_equipe_cree_une_reunion_par_le_formulaire(client, g):
    comite = services.comite_local(territoire("8401"))
    c = _client(client, g["chef"])
    resp = c.post(
        reverse("gouvernance:comite", args=[comite.pk]),
        {"jour": "2020-03-02", "heure": "14:00", "lieu": "Mairie"},
    )
    assert resp.status_code == 302
    assert comite.reunions.get().lieu == "Mairie"
    c.force_login(g["etat"])  # sees the committee, does not run it
    assert c.get(reverse("gouvernance:comite", args=[comite.pk])).status_code == 200
    resp = c.post(
        reverse("gouvernance:comite", args=[comite.pk]), {"jour": "2020-03-09", "heure": "14:00"}
    )
    assert resp.status_code == 404


def test_la_decision_s_enregistre_par_le_formulaire_sur_un_point(client, g, r8401):
    p = services.ajouter_point(user=g["chef"], reunion=r8401, nature="information", intitule="X")
    c = _client(client, g["chef"])
    resp = c.post(reverse("gouvernance:decision", args=[p.pk]), {"texte": "Adopté."})
    assert resp.status_code == 302
    assert p.decision_prise.decision.date == date(2020, 2, 3)
    c.force_login(g["etat"])
    assert c.get(reverse("gouvernance:decision", args=[p.pk])).status_code == 404


def test_le_fichier_ics_d_une_reunion_se_relit_avec_le_bon_debut_et_le_bon_titre(client, g, r8401):
    resp = _client(client, g["chef"]).get(reverse("gouvernance:reunion-ics", args=[r8401.pk]))
    assert resp["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(resp.content)
    (ev,) = cal.walk("VEVENT")
    assert ev.decoded("dtstart") == r8401.debut
    assert str(ev.get("summary")) == r8401.comite.nom
    assert str(ev.get("location")) == "Salle du conseil"
    assert str(ev.get("uid")).startswith(str(r8401.uid))


def test_le_flux_agenda_ne_liste_que_les_reunions_du_perimetre_de_la_personne(client, g, r8401):
    r8408 = reunion_passee(g["chef8408"], services.comite_local(territoire("8408")))
    personne8408 = Personne.objects.get(compte=g["chef8408"])
    # An invitation does not open a meeting out of the person's scope.
    services.inviter(user=g["chef"], reunion=r8401, personne=personne8408)
    jeton = agenda.nouveau_jeton(personne8408)
    resp = client.get(reverse("gouvernance:agenda-ics", args=[jeton]))
    assert resp.status_code == 200
    uids = {str(e.get("uid")) for e in Calendar.from_ical(resp.content).walk("VEVENT")}
    assert uids == {f"{r8408.uid}@{agenda.DOMAINE_UID}"}


def test_le_flux_agenda_du_pilote_regional_comprend_les_comites_locaux_de_sa_region(g, r8401):
    copil = reunion_passee(g["pilote"], services.copil_regional(Region.objects.get(code="84")))
    pilote = Personne.objects.get(compte=g["pilote"])
    assert set(agenda.reunions_de(pilote)) == {r8401, copil}
    autre = Personne.objects.get(compte=g["pilote_autre"])
    assert list(agenda.reunions_de(autre)) == []


def test_un_jeton_d_agenda_inconnu_ou_remplace_repond_404(client, g):
    personne = Personne.objects.get(compte=g["chef"])
    ancien = agenda.nouveau_jeton(personne)
    agenda.nouveau_jeton(personne)
    assert client.get(reverse("gouvernance:agenda-ics", args=[ancien])).status_code == 404
    assert client.get(reverse("gouvernance:agenda-ics", args=["inconnu"])).status_code == 404


# --- CNI versions --------------------------------------------------------------------------


def _version(g, nom, jour):
    return versions.publier_version(
        user=g["national"], nom=nom, date=jour, phase=Phase.objects.get(pk=1)
    )


def test_une_version_de_la_carte_est_figee(g):
    from django.core.exceptions import ValidationError

    v = _version(g, "CNI 2019", date(2019, 6, 1))
    assert v.nb_territoires == 148
    assert len(v.territoires()) == 148
    v.nom = "Autre"
    with pytest.raises(ValidationError, match="ne se modifie pas"):
        v.save()


def test_seule_la_delegation_nationale_publie_une_version_de_la_carte(g):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _version({"national": g["pilote"]}, "CNI", date(2019, 6, 1))


def test_la_comparaison_montre_territoires_ajoutes_scindes_et_epci_deplaces(g):
    v1 = _version(g, "CNI 2019", date(2019, 6, 1))
    d = Decision.objects.create(
        date=date(2020, 2, 10), instance=Instance.COPIL_REGIONAL, region_id="84", intitule="COPIL"
    )
    from demo.carte import epci_voisine_libre
    from territoires.selectors import vue_territoire

    t1 = territoire("8401")
    libre = epci_voisine_libre(t1)
    carte.ajouter_epci(territoire=t1, epci=libre, decision=d)
    t8 = territoire("8408")
    epcis8 = [e.siren for e in vue_territoire(t8).epcis]
    from gouvernance.demandes import _communes

    courant = carte.perimetre_courant(t8)
    parts = [
        {"code": "8408A", "nom": "A", "communes": _communes(epcis8[:1]) & courant},
        {"code": "8408B", "nom": "B", "communes": _communes(epcis8[1:]) & courant},
    ]
    carte.scinder_territoire(territoire=t8, parts=parts, decision=d)
    v2 = _version(g, "CNI 2020", date(2020, 3, 1))
    cmp = versions.comparer(v2)
    assert cmp.avant == v1
    assert cmp.solde == 1
    assert [s["code"] for s in cmp.scindes] == ["8408"]
    assert {i["code"] for i in cmp.scindes[0]["issus"]} == {"8408A", "8408B"}
    assert cmp.ajoutes == [] and cmp.retires == []
    deplaces = {e["siren"]: e for e in cmp.epcis_deplaces}
    assert deplaces[libre.siren]["vers"] == ["8401"] and deplaces[libre.siren]["de"] == []


def test_la_page_region_montre_l_evolution_du_nombre_de_territoires(client, g):
    _version(g, "CNI 2019", date(2019, 6, 1))
    region = Region.objects.get(code="84")
    # The version is one of phase 1: ask for phase 1, no longer the current phase.
    ev = evolution_region(region, Phase.objects.get(pk=1))
    assert ev["par_date"][0].libelle == "Première carte"
    assert ev["par_version"][0].nombre == ev["premier"]
    html = client.get(reverse("carte:region", args=["84"]), {"phase": 1}).content.decode()
    assert "Nombre de territoires depuis la première carte" in html and "CNI 2019" in html


def test_les_versions_de_la_carte_sont_publiques_et_comparables(client, g):
    v = _version(g, "CNI 2019", date(2019, 6, 1))
    assert client.get(reverse("gouvernance:version", args=[v.pk])).status_code == 200
    assert VersionCarte.objects.count() == 1


def test_la_reunion_future_n_accepte_pas_encore_de_decision_dans_la_page(client, g):
    r = services.planifier_reunion(
        user=g["chef"], comite=services.comite_local(territoire("8401")), debut=quand(2099, 1, 1)
    )
    html = _client(client, g["chef"]).get(reverse("gouvernance:reunion", args=[r.pk])).content
    assert "Enregistrer la décision" not in html.decode()


def test_les_pieces_jointes_ne_se_lisent_que_dans_le_perimetre(
    client, g, r8401, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.signals import request_finished
    from django.db import close_old_connections

    settings.MEDIA_ROOT = tmp_path
    c = _client(client, g["chef"])
    fichier = SimpleUploadedFile("ordre-du-jour.txt", b"Ordre du jour", "text/plain")
    resp = c.post(
        reverse("gouvernance:reunion-piece", args=[r8401.pk]), {"fichier": fichier, "nom": "ODJ"}
    )
    assert resp.status_code == 302
    piece = r8401.pieces.get()
    resp = c.get(reverse("gouvernance:piece", args=[piece.pk]))
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == b"Ordre du jour"
    # Close the file without request_finished closing the test's database connection (as the
    # test client does for its own requests): PostgreSQL would fail the next query.
    request_finished.disconnect(close_old_connections)
    try:
        resp.close()
    finally:
        request_finished.connect(close_old_connections)
    c.force_login(g["chef8408"])
    assert c.get(reverse("gouvernance:piece", args=[piece.pk])).status_code == 404


def test_une_piece_jointe_de_reunion_trop_lourde_est_refusee_sans_rien_garder(
    client, g, r8401, settings, tmp_path
):
    from html import unescape

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    dix_mo = 10 * 1024 * 1024  # the limit of a fiche's attachments
    settings.MEDIA_ROOT = tmp_path
    c = _client(client, g["chef"])
    lourd = SimpleUploadedFile("compte-rendu.pdf", b"0" * (dix_mo + 1))
    resp = c.post(
        reverse("gouvernance:reunion-piece", args=[r8401.pk]),
        {"fichier": lourd, "nom": "Compte rendu"},
        follow=True,
    )
    html = unescape(resp.content.decode())
    assert resp.status_code == 400 and not resp.redirect_chain  # refused, said on the page
    assert "Le fichier dépasse la taille maximale de 10 Mo." in html
    assert "Pièce jointe ajoutée" not in html
    assert not r8401.pieces.exists()
    assert not [f for f in tmp_path.rglob("*") if f.is_file()]
    # The service refuses it too, whoever calls it; at the limit the file goes in.
    with pytest.raises(ValidationError) as exc:
        services.joindre_piece(
            user=g["chef"], reunion=r8401, fichier=SimpleUploadedFile("a.pdf", b"0" * (dix_mo + 1))
        )
    assert exc.value.message_dict == {
        "fichier": ["Le fichier dépasse la taille maximale de 10 Mo."]
    }
    assert not r8401.pieces.exists()
    services.joindre_piece(
        user=g["chef"],
        reunion=r8401,
        fichier=SimpleUploadedFile("b.pdf", b"%PDF-" + b"0" * (dix_mo - 5)),
    )
    assert r8401.pieces.count() == 1


def test_les_pages_de_gouvernance_s_affichent(client, g, r8401):
    from fiches import cycle
    from fiches.tests.fabriques import fiche
    from referentiel.models import EPCI

    f = fiche(g["chef"])
    cycle.appliquer(user=g["chef"], fiche=f, mouvement="soumettre", date_effet=date(2020, 1, 6))
    p = services.ajouter_point(user=g["chef"], reunion=r8401, nature="fiche", fiche=f)
    t = territoire("8401")
    d = demandes.deposer(
        user=g["chef"],
        nature=NatureDemande.RETRAIT_EPCI,
        territoire=t,
        epci=EPCI.objects.get(siren="200072015"),
        demandeur_territoire=t,
    )
    services.copil_regional(Region.objects.get(code="84"))
    c = _client(client, g["chef"])
    for url in (
        reverse("gouvernance:index"),
        reverse("gouvernance:index") + "?region=84",
        reverse("gouvernance:agenda"),
        reverse("gouvernance:demandes"),
        reverse("gouvernance:demande-nouvelle"),
        reverse("gouvernance:demande", args=[d.pk]),
        reverse("gouvernance:versions"),
        reverse("gouvernance:decision", args=[p.pk]),
    ):
        assert c.get(url).status_code == 200, url
    assert "/gouvernance/agenda/" in c.post(reverse("gouvernance:agenda")).content.decode()
    c.force_login(g["pilote"])
    assert "Inscrire" in c.get(reverse("gouvernance:demande", args=[d.pk])).content.decode() or (
        "Créer une réunion du COPIL"
        in c.get(reverse("gouvernance:demande", args=[d.pk])).content.decode()
    )
    c.force_login(g["national"])
    assert "Publier la version" in c.get(reverse("gouvernance:versions")).content.decode()


def test_l_adresse_secrete_du_flux_d_agenda_se_renouvelle_ou_se_supprime_par_sa_titulaire(
    client, g, r8401
):
    import re
    from html import unescape

    c = _client(client, g["chef"])

    def lien(reponse) -> str:
        return re.search(r"http://testserver(/gouvernance/agenda/[\w-]+\.ics)", reponse).group(1)

    premier = lien(c.post(reverse("gouvernance:agenda")).content.decode())
    assert c.get(premier).status_code == 200
    page = c.get(reverse("gouvernance:agenda")).content.decode()
    # Shown once: the page does not show it again.
    assert "Renouveler le lien d'abonnement" in page and ".ics" not in page
    second = lien(c.post(reverse("gouvernance:agenda"), {"action": "renouveler"}).content.decode())
    assert second != premier
    assert c.get(premier).status_code == 404 and c.get(second).status_code == 200
    r = c.post(reverse("gouvernance:agenda"), {"action": "supprimer"}, follow=True)
    assert "Le lien d'abonnement est supprimé" in unescape(r.content.decode())
    assert c.get(second).status_code == 404
