"""The network's news (FAQ §7.4): who publishes, what anyone reads, the Atom feeds."""

from html import unescape
from xml.etree import ElementTree

import pytest
from django.core.exceptions import PermissionDenied

from actualites import services
from actualites.models import Actualite
from comptes.enums import Role
from comptes.tests.fabriques import personne, territoire
from referentiel.models import Region

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def gens():
    return {
        "national": personne("national@exemple.fr", Role.NATIONAL),
        "pilote": personne("pilote84@exemple.fr", Role.PILOTE_REGION, region_id="84"),
        "chef": personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401")),
    }


def _publier(user, region=None, titre="Appel à manifestation d'intérêt"):
    return services.publier(
        user=user,
        region=region,
        titre=titre,
        chapo="Les territoires ont jusqu'au 31 mars.",
        corps="Le détail de l'appel.\n\nDeuxième paragraphe.",
    )


def test_la_delegation_publie_pour_tous_une_region_pour_ses_territoires(gens):
    ara = Region.objects.get(code="84")
    assert _publier(gens["national"]).source == "Délégation nationale"
    assert _publier(gens["pilote"], ara).source == f"Région {ara.nom}"
    with pytest.raises(PermissionDenied):
        _publier(gens["pilote"])  # not the national news
    with pytest.raises(PermissionDenied):
        _publier(gens["pilote"], Region.objects.get(code="11"))  # not another région's
    with pytest.raises(PermissionDenied):
        _publier(gens["chef"], ara)
    assert Actualite.objects.count() == 2


def test_les_actualites_se_lisent_sans_compte_et_se_filtrent_par_region(client, gens):
    _publier(gens["national"], titre="Nouvelle phase du programme")
    _publier(gens["pilote"], Region.objects.get(code="84"), titre="Réunion des chefs de projet")
    page = client.get("/actualites/").content.decode()
    assert "Nouvelle phase du programme" in page and "Réunion des chefs de projet" in page
    page = client.get("/actualites/", {"region": "84"}).content.decode()
    assert "Réunion des chefs de projet" in page and "Nouvelle phase du programme" not in page


def _flux(client, url) -> ElementTree.Element:
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(r.content)


def test_les_flux_atom_sont_valides_national_et_par_region(client, gens):
    _publier(gens["national"], titre="Nouvelle phase du programme")
    _publier(gens["pilote"], Region.objects.get(code="84"), titre="Réunion des chefs de projet")
    tout = _flux(client, "/actualites/flux.atom")
    assert tout.tag == f"{ATOM}feed"
    # What RFC 4287 requires of a feed and of each entry.
    for requis in ("id", "title", "updated"):
        assert tout.find(f"{ATOM}{requis}") is not None
    entrees = tout.findall(f"{ATOM}entry")
    assert len(entrees) == 2
    for e in entrees:
        for requis in ("id", "title", "updated", "link", "summary"):
            assert e.find(f"{ATOM}{requis}") is not None, requis
        assert e.find(f"{ATOM}author/{ATOM}name").text
    titres = lambda f: [e.find(f"{ATOM}title").text for e in f.findall(f"{ATOM}entry")]  # noqa: E731
    assert titres(_flux(client, "/actualites/nationales.atom")) == ["Nouvelle phase du programme"]
    assert titres(_flux(client, "/actualites/regions/84.atom")) == ["Réunion des chefs de projet"]
    assert client.get("/actualites/regions/99.atom").status_code == 404


def test_publier_par_la_page_et_refus_en_francais_sans_rien_creer(client, gens):
    client.force_login(gens["chef"])
    assert client.get("/actualites/nouvelle/").status_code == 404
    client.force_login(gens["pilote"])
    r = client.post(
        "/actualites/nouvelle/", {"niveau": "84", "titre": "", "chapo": "x", "corps": "y"}
    )
    assert r.status_code == 400 and "Rien n'a été enregistré" in unescape(r.content.decode())
    assert Actualite.objects.count() == 0
    r = client.post(
        "/actualites/nouvelle/",
        {"niveau": "84", "titre": "Forum régional", "chapo": "Le 12 mai.", "corps": "Programme."},
    )
    a = Actualite.objects.get()
    assert r.status_code == 302 and r.url == f"/actualites/{a.pk}/" and a.region_id == "84"


def test_une_modification_sur_une_version_depassee_n_ecrase_rien(client, gens):
    a = _publier(gens["national"])
    client.force_login(gens["national"])
    champs = {"titre": "Titre A", "chapo": "Chapo A", "corps": "Corps A", "version": a.version}
    assert client.post(f"/actualites/{a.pk}/modifier/", champs).status_code == 302
    perime = {**champs, "titre": "Titre B"}  # prepared on the version before
    r = client.post(f"/actualites/{a.pk}/modifier/", perime)
    assert r.status_code == 409
    a.refresh_from_db()
    assert a.titre == "Titre A" and a.version == 2


def test_la_demonstration_a_ses_actualites_nationales_et_regionales(client):
    from demo.actualites import charger

    charger()
    assert charger() == ["Actualités de démonstration déjà présentes."]
    page = client.get("/actualites/").content.decode()
    assert "Rencontre régionale des chefs de projet" in page and "Démonstration" in page
    assert Actualite.objects.filter(demo=True, region__isnull=True).count() == 2
