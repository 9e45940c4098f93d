"""The network's events (FAQ §7.4): who announces them, upcoming and past, network-only events
unseen without signing in, the calendar file in Paris time, edits under an optimistic lock."""

from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actualites import evenements
from actualites.models import Evenement
from comptes.enums import Role
from comptes.tests.fabriques import personne, territoire
from referentiel.models import Region

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def gens():
    return {
        "national": personne("national@exemple.fr", Role.NATIONAL),
        "pilote": personne("pilote84@exemple.fr", Role.PILOTE_REGION, region_id="84"),
        "chef": personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401")),
    }


def _organiser(user, region=None, *, dans_jours=10, public=True, titre="Forum national"):
    debut = timezone.now() + timedelta(days=dans_jours)
    return evenements.organiser(
        user=user,
        region=region,
        titre=titre,
        description="Rencontre des chefs de projet.",
        debut=debut,
        fin=debut + timedelta(hours=3),
        lieu="Lyon",
        organisateur="Délégation nationale",
        public=public,
    )


def test_la_delegation_annonce_pour_tous_une_region_pour_la_sienne(gens):
    ara = Region.objects.get(code="84")
    _organiser(gens["national"])
    _organiser(gens["pilote"], ara)
    for user, region in ((gens["pilote"], None), (gens["chef"], ara)):
        with pytest.raises(PermissionDenied):
            _organiser(user, region)
    assert Evenement.objects.count() == 2


def test_la_fin_doit_suivre_le_debut_et_un_lieu_ou_un_lien_est_donne(gens):
    debut = timezone.now()
    commun = {"user": gens["national"], "titre": "T", "description": "D", "organisateur": "O"}
    with pytest.raises(ValidationError) as exc:
        evenements.organiser(**commun, debut=debut, fin=debut, lieu="Paris")
    assert exc.value.message_dict == {"fin": ["La fin de l'événement doit suivre son début."]}
    with pytest.raises(ValidationError) as exc:
        evenements.organiser(**commun, debut=debut, fin=debut + timedelta(hours=1))
    assert "Donnez le lieu de l'événement ou son lien de connexion." in exc.value.messages
    with pytest.raises(ValidationError):
        evenements.organiser(
            **commun, debut=debut, fin=debut + timedelta(hours=1), lien="javascript:x"
        )
    assert not Evenement.objects.exists()


def test_evenements_a_venir_et_passes(client, gens):
    _organiser(gens["national"], dans_jours=5, titre="Forum à venir")
    _organiser(gens["national"], dans_jours=-30, titre="Forum passé")
    page = client.get("/evenements/").content.decode()
    assert page.index("À venir") < page.index("Forum à venir") < page.index("Passés")
    assert page.index("Passés") < page.index("Forum passé")


def test_un_evenement_reseau_est_404_sans_connexion(client, gens):
    e = _organiser(gens["national"], public=False, titre="Séminaire du réseau")
    for url in (f"/evenements/{e.pk}/", f"/evenements/{e.pk}/evenement.ics"):
        assert client.get(url).status_code == 404
    assert "Séminaire du réseau" not in client.get("/evenements/").content.decode()
    client.force_login(gens["chef"])
    assert "Séminaire du réseau" in client.get(f"/evenements/{e.pk}/").content.decode()
    assert client.get(f"/evenements/{e.pk}/evenement.ics").status_code == 200


def test_le_fichier_ics_porte_le_fuseau_europe_paris(client, gens):
    # 15 June 2030 at 9:30 in Paris is 7:30 UTC (summer time): the file says 09:30 Paris.
    debut = datetime(2030, 6, 15, 9, 30, tzinfo=PARIS)
    e = evenements.organiser(
        user=gens["national"],
        titre="Webinaire",
        description="En ligne.",
        debut=debut,
        fin=debut + timedelta(hours=1),
        lien="https://webinaire.exemple.fr/ti",
        organisateur="Délégation nationale",
        public=True,
    )
    r = client.get(f"/evenements/{e.pk}/evenement.ics")
    ics = r.content.decode().replace("\r\n ", "")
    assert r["Content-Type"].startswith("text/calendar")
    assert r["Content-Disposition"] == f'attachment; filename="evenement-{e.pk}.ics"'
    assert "DTSTART;TZID=Europe/Paris:20300615T093000" in ics
    assert "DTEND;TZID=Europe/Paris:20300615T103000" in ics
    assert "BEGIN:VTIMEZONE" in ics and "TZID:Europe/Paris" in ics
    assert "SUMMARY:Webinaire" in ics and "https://webinaire.exemple.fr/ti" in ics


def test_annoncer_par_la_page_en_heure_de_paris_et_refus_en_francais(client, gens):
    client.force_login(gens["chef"])
    assert client.get("/evenements/nouveau/").status_code == 404
    client.force_login(gens["pilote"])
    champs = {
        "niveau": "84",
        "titre": "Rencontre régionale",
        "description": "Les chefs de projet.",
        "jour": "2030-01-20",
        "heure": "14:00",
        "heure_fin": "13:00",
        "lieu": "Clermont-Ferrand",
        "organisateur": "Région Auvergne-Rhône-Alpes",
    }
    r = client.post("/evenements/nouveau/", champs)
    assert r.status_code == 400
    assert "La fin de l'événement doit suivre son début." in unescape(r.content.decode())
    assert not Evenement.objects.exists()
    r = client.post("/evenements/nouveau/", {**champs, "heure_fin": "17:00"})
    e = Evenement.objects.get()
    assert r.status_code == 302 and r.url == f"/evenements/{e.pk}/"
    assert e.debut == datetime(2030, 1, 20, 14, 0, tzinfo=PARIS) and e.region_id == "84"
    assert not e.public
    assert "de 14:00 à 17:00" in client.get(r.url).content.decode()


def test_une_modification_sur_une_version_depassee_n_ecrase_rien(client, gens):
    e = _organiser(gens["national"])
    client.force_login(gens["national"])
    champs = {
        "titre": "Titre A",
        "description": "D",
        "jour": "2030-03-01",
        "heure": "09:00",
        "heure_fin": "12:00",
        "lieu": "Paris",
        "organisateur": "Délégation nationale",
        "public": "on",
        "version": e.version,
    }
    assert client.post(f"/evenements/{e.pk}/modifier/", champs).status_code == 302
    r = client.post(f"/evenements/{e.pk}/modifier/", {**champs, "titre": "Titre B"})
    assert r.status_code == 409
    e.refresh_from_db()
    assert e.titre == "Titre A" and e.version == 2
    client.force_login(gens["pilote"])
    assert client.get(f"/evenements/{e.pk}/modifier/").status_code == 404


def test_la_demonstration_a_ses_ressources_et_ses_evenements(client, settings, tmp_path):
    from demo.ressources import charger

    settings.MEDIA_ROOT = tmp_path
    charger()
    assert charger() == [
        "Ressources de démonstration déjà présentes.",
        "Événements de démonstration déjà présents.",
    ]
    page = client.get("/ressources/").content.decode()
    assert "Guide méthodologique de la phase 2" in page and "(brouillon)" not in page
    from actualites.models import Ressource

    types = dict(Ressource.objects.filter(publiee=True).values_list("titre", "type_fichier"))
    assert types["Guide méthodologique de la phase 2"] == "pdf"
    assert types["Kit de contractualisation"] == "docx"
    guide = Ressource.objects.get(type_fichier="pdf")
    f = client.get(f"/ressources/{guide.pk}/fichier/")
    assert b"".join(f.streaming_content).startswith(b"%PDF-")
    page = client.get("/evenements/").content.decode()
    assert "Webinaire" in page and "Forum national" in page
    assert "Rencontre régionale des chefs de projet" not in page  # network-only


def test_le_flux_atom_des_evenements_est_valide_sans_evenement_reserve(client, gens):
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    _organiser(gens["national"], dans_jours=4, titre="Forum public")
    _organiser(gens["national"], dans_jours=5, public=False, titre="Séminaire réservé")
    _organiser(gens["national"], dans_jours=-20, titre="Forum passé")
    r = client.get("/evenements/flux.atom")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/atom+xml")
    flux = ElementTree.fromstring(r.content)
    for requis in ("id", "title", "updated"):
        assert flux.find(f"{atom}{requis}") is not None
    (entree,) = flux.findall(f"{atom}entry")
    for requis in ("id", "title", "updated", "link", "summary"):
        assert entree.find(f"{atom}{requis}") is not None, requis
    assert entree.find(f"{atom}title").text == "Forum public"
    assert entree.find(f"{atom}author/{atom}name").text == "Délégation nationale"
