"""Login required by default (comptes.middleware.ConnexionExigee, www/publiques.py): every page
not listed as public sends an anonymous visitor to the sign-in page and back; each public page
opens without signing in; a signed-in person without the right still gets 404."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter
from django.utils import timezone

from actualites.models import Actualite, Evenement, Ressource
from comptes.enums import Role
from comptes.models import Personne
from comptes.tests.fabriques import entreprise, personne, territoire
from contrats import cycle
from contrats.tests.fabriques import J, contrat_pret, equipe, signer_tout
from fiches.enums import Etat
from fiches.tests.fabriques import bpi
from gouvernance import agenda, versions
from mesures.models import Mesure
from opendata import paquet
from territoires.models import Phase
from www.publiques import PAGES_PUBLIQUES

pytestmark = pytest.mark.django_db

CONNEXION = "/connexion/"


def _pages(resolver=None, espace="", prefixe=""):
    """(URL name, route pattern) of every page of the site, through every include."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{espace}{p.namespace}:" if p.namespace else espace
            yield from _pages(p, ns, prefixe + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield f"{espace}{p.name}", p.pattern


def _exemple(pattern) -> dict:
    """Arguments that fill the route: its shape is all the sign-in check reads."""
    valeurs = {}
    for nom, conv in pattern.converters.items():
        if isinstance(conv, UUIDConverter):
            valeurs[nom] = uuid.uuid4()
        elif isinstance(conv, IntConverter):
            valeurs[nom] = 1
        elif isinstance(conv, SlugConverter):
            valeurs[nom] = "contrat" if nom == "genre" else "pdf" if nom == "format" else "x"
        else:
            valeurs[nom] = "x"
    return valeurs


PAGES = dict(_pages())
PAGES_DU_SITE = {n: p for n, p in PAGES.items() if not n.startswith(("admin:", "api-v1:"))}
PRIVEES = sorted(set(PAGES_DU_SITE) - PAGES_PUBLIQUES)


def _vers_la_connexion(r, chemin: str) -> None:
    assert r.status_code == 302, (chemin, r.status_code)
    debut, _, suite = r["Location"].partition("?next=")
    assert debut == CONNEXION and unquote(suite) == chemin


def test_chaque_page_publique_existe_et_les_autres_sont_nombreuses():
    assert set(PAGES_DU_SITE) >= PAGES_PUBLIQUES
    # Accounts, governance, writes, tracking: most pages are for signed-in people.
    assert len(PRIVEES) > 40
    assert {"suivi:national", "gouvernance:index", "comptes:compte", "fiches:nouvelle"} <= set(
        PRIVEES
    )


@pytest.mark.parametrize("nom", PRIVEES)
def test_un_anonyme_est_envoye_a_la_connexion_puis_ramene(client, nom):
    chemin = reverse(nom, kwargs=_exemple(PAGES_DU_SITE[nom]))
    _vers_la_connexion(client.get(chemin), chemin)
    _vers_la_connexion(client.post(chemin), chemin)


def test_la_page_demandee_est_gardee_avec_ses_parametres_et_rouvre_apres_connexion(client):
    _vers_la_connexion(client.get("/suivi/", {"phase": "1"}), "/suivi/?phase=1")
    user = personne("sans.role@exemple.fr")
    r = client.post(
        CONNEXION + "?next=/suivi/%3Fphase%3D1",
        {"username": "sans.role@exemple.fr", "password": "Un-mot-de-passe-solide-2026"},
    )
    assert r.status_code == 302 and r["Location"] == "/suivi/?phase=1"
    assert client.get("/suivi/").wsgi_request.user == user


@pytest.fixture
def public(settings, tmp_path):
    """One public object of each kind: a signed contract (its fiche inscribed by it), a
    public body, a measure, a CNI version, a calendar token, the open-data package."""
    p = equipe()
    c = contrat_pret(p)
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=3))
    signer_tout(p, c, date=J)
    fiche = c.annexes.get().fiche
    fiche.refresh_from_db()
    assert c.etat == "signe" and fiche.etat == Etat.INSCRITE
    version = versions.publier_version(
        user=p["national"], nom="CNI", date=date(2019, 6, 1), phase=Phase.objects.get(pk=1)
    )
    jeton = agenda.nouveau_jeton(Personne.objects.get(compte=p["chef"]))
    actualite = Actualite.objects.create(
        titre="Forum", chapo="Le 12 mai.", corps="Programme.", publiee_le=timezone.now()
    )
    settings.MEDIA_ROOT = tmp_path
    ressource = Ressource(
        titre="Guide", resume="Le guide.", categorie="guide", date=J, publiee=True
    )
    ressource.fichier.save("ressources/guide.txt", ContentFile(b"Le guide."), save=False)
    ressource.type_fichier = "txt"
    ressource.save()
    evenement = Evenement.objects.create(
        titre="Forum",
        description="Le forum.",
        debut=timezone.now(),
        fin=timezone.now() + timedelta(hours=2),
        lieu="Lyon",
        organisateur="La délégation",
    )
    settings.OPENDATA_ROOT = tmp_path / "donnees-ouvertes"
    paquet.construire(valider=False)
    return {
        "carte:accueil": [],
        "carte:carte": [],
        "carte:territoires": [],
        "carte:territoire": [1, "8401"],
        "carte:regions": [],
        "carte:region": ["84"],
        "carte:api": [],
        "comptes:connexion": [],
        "comptes:organisation": [bpi().pk],
        "mesures:liste": [],
        "mesures:detail": [Mesure.objects.order_by("pk").first().pk],
        "fiches:liste": [],
        "fiches:detail": [fiche.uuid],
        "fiches:export": [],
        "fiches:export-csv": [],
        "fiches:simplification": [],
        "contrats:liste": [],
        "contrats:territoire": [1, "8401"],
        "contrats:document": ["contrat", c.pk],
        "contrats:telecharger": ["contrat", c.pk, "pdf"],
        "gouvernance:version": [version.pk],
        "gouvernance:agenda-ics": [jeton],
        "comptes:mot-de-passe-oublie": [],
        "comptes:mot-de-passe-envoye": [],
        "comptes:mot-de-passe-nouveau": ["MQ", "lien-perime"],
        "comptes:mot-de-passe-change": [],
        "programme:presentation": [],
        "programme:faq": [],
        "programme:aide": [],
        "programme:mentions-legales": [],
        "programme:donnees-personnelles": [],
        "programme:accessibilite": [],
        "programme:plan-du-site": [],
        "programme:robots": [],
        "programme:sitemap": [],
        "actualites:liste": [],
        "actualites:detail": [actualite.pk],
        "actualites:flux": [],
        "actualites:flux-national": [],
        "actualites:flux-region": ["84"],
        "actualites:ressources": [],
        "actualites:ressource": [ressource.pk],
        "actualites:ressource-fichier": [ressource.pk],
        "actualites:evenements": [],
        "actualites:evenement": [evenement.pk],
        "actualites:evenement-ics": [evenement.pk],
        "actualites:flux-evenements": [],
        "opendata:index": [],
        "opendata:fichier": ["territoires.csv"],
        "recherche:index": [],
    }


# Pages that answer with a redirection of their own, not a page: signing out, ProConnect.
REDIRECTIONS = {
    "comptes:deconnexion",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "oidc_logout",
}


def test_chaque_page_publique_s_ouvre_sans_connexion(client, public):
    assert set(public) | REDIRECTIONS == PAGES_PUBLIQUES
    for nom, args in public.items():
        r = client.get(reverse(nom, args=args))
        assert r.status_code == 200, (nom, r.status_code)
        if r.streaming:
            b"".join(r.streaming_content)  # read to the end, a served file is released
    assert "Se connecter" in client.get(reverse("carte:accueil")).content.decode()
    for nom in REDIRECTIONS:
        r = (
            client.post(reverse(nom))
            if nom.endswith("logout") or "deconnexion" in nom
            else client.get(reverse(nom))
        )
        # Their own answer (the provider, the home page), never the sign-in page with `next`.
        assert r.status_code == 302 and "?next=" not in r["Location"], nom


def test_l_administration_et_l_api_gardent_leur_propre_acces(client):
    r = client.get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/admin/login/")
    assert client.get("/api/v1/territoires", {"limit": 1}).status_code == 200
    assert client.get("/api/v1/moi").status_code == 401


def test_les_fichiers_statiques_restent_servis_sans_connexion(client, settings):
    # Served by WhiteNoise before any page (here from the apps' folders, as in development).
    settings.WHITENOISE_USE_FINDERS = True
    r = client.get("/static/www/site.css")
    contenu = b"".join(r.streaming_content)
    r.close()
    assert r.status_code == 200 and r["Content-Type"].startswith("text/css") and contenu


def test_connecte_sans_le_droit_reste_a_404(client):
    t = territoire("8401")
    firme = entreprise("8401")
    chef8408 = personne("chef8408@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8408"))
    client.force_login(chef8408)
    for chemin in (
        "/fiches/nouvelle/?territoire=1-8401",
        f"/organisations/{firme.pk}/",
        f"/organisations/{firme.pk}/modifier/",
        f"/territoires/1/{t.code}/secrets/",
        f"/territoires/1/{t.code}/contrat/nouveau/contrat/",
        "/mesures/nouvelle/",
    ):
        assert client.get(chemin).status_code == 404, chemin
    # The same person reaches the pages of the signed-in.
    assert client.get("/tableaux/deploiement/").status_code == 200
    assert client.get("/gouvernance/").status_code == 200
