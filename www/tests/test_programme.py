"""The programme's public pages and the site's duties: FAQ, legal pages, site map, robots,
sitemap, and the password reset by e-mail."""

import re
from xml.etree import ElementTree

import pytest
from django.core import mail

from comptes.models import Utilisateur
from comptes.tests.fabriques import MDP, personne
from www.programme import faq
from www.programme.liens import liens_faq

from .test_pages import texte

pytestmark = pytest.mark.django_db

PAGES = {
    "/programme/": "Le programme Territoires d'industrie et sa plateforme",
    "/programme/faq/": "Territoires d'industrie : foire aux questions",
    "/aide/": "Aide à l'utilisation",
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles et cookies",
    "/accessibilite/": "Déclaration d'accessibilité",
    "/plan-du-site/": "Plan du site",
}


@pytest.mark.parametrize("url,titre", PAGES.items())
def test_les_pages_du_site_se_lisent_sans_compte(client, url, titre):
    r = client.get(url)
    assert r.status_code == 200
    h1 = re.search(r"<h1>(.*?)</h1>", r.content.decode(), re.S)[1]
    assert texte(h1) == titre


def test_le_pied_de_page_mene_aux_pages_legales(client):
    html = client.get("/").content.decode()
    for url in (
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/accessibilite/",
        "/plan-du-site/",
    ):
        assert f'href="{url}"' in html
    assert "Accessibilité : non conforme" in texte(html)


def test_la_declaration_d_accessibilite_dit_son_etat_reel(client):
    vu = texte(client.get("/accessibilite/").content.decode())
    assert "est non conforme" in vu and "aucun audit de conformité n'a encore été réalisé" in vu
    assert "Défenseur des droits" in vu


def test_la_faq_est_servie_en_entier_avec_une_ancre_par_question(client):
    assert [c.titre for c in faq.chapitres()] == [
        "Objectifs",
        "Périmètres",
        "Gouvernance",
        "Contractualisation",
        "Engagements",
        "Mise en œuvre",
        "Animation",
    ]
    assert sum(len(c.questions) for c in faq.chapitres()) == 33
    html = client.get("/programme/faq/").content.decode()
    assert 'id="faq-4-5"' in html and 'href="#faq-4"' in html
    vu = texte(html)
    assert "4.5 Qu'est-ce qu'un protocole d'accord ?" in vu
    # A paragraph cut by a page break of the source reads as one.
    assert "à l'ambition affichée de participer au développement de l'industrie" in vu


def test_une_mention_de_la_faq_devient_un_lien():
    html = liens_faq("Décidé en COPIL (FAQ §2.3, §3.4) <b>gras</b>")
    assert html.count('href="/programme/faq/#faq-') == 2
    assert 'href="/programme/faq/#faq-2-3"' in html and 'href="/programme/faq/#faq-3-4"' in html
    assert "&lt;b&gt;gras&lt;/b&gt;" in html  # the text itself stays escaped
    assert liens_faq("FAQ §9.9") == "FAQ §9.9"  # no such question: no link


def test_robots_et_sitemap(client):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /api/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    r = client.get("/sitemap.xml")
    assert r.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [e.text for e in ElementTree.fromstring(r.content).findall("s:url/s:loc", ns)]
    assert "http://testserver/programme/faq/" in urls
    assert "http://testserver/territoires/2/ti-8401/" in urls
    assert not [u for u in urls if "/compte" in u or "/gouvernance/" in u]


def test_le_plan_du_site_montre_son_espace_a_qui_est_connecte(client):
    assert "Votre espace" not in texte(client.get("/plan-du-site/").content.decode())
    client.force_login(personne("chef@exemple.fr"))
    assert "Votre espace" in texte(client.get("/plan-du-site/").content.decode())


# --- Password reset ------------------------------------------------------------------------


def _lien(message) -> str:
    return re.search(r"http://testserver(/mot-de-passe/nouveau/\S+/)", message.body)[1]


def test_mot_de_passe_oublie_par_courriel_de_bout_en_bout(client):
    personne("oublieux@exemple.fr")
    r = client.post("/mot-de-passe/oublie/", {"email": "oublieux@exemple.fr"})
    assert r.status_code == 302 and r.url == "/mot-de-passe/envoye/"
    [message] = mail.outbox
    assert message.to == ["oublieux@exemple.fr"]
    assert message.subject == "Territoires d'industrie : choisir un nouveau mot de passe"
    page = client.get(_lien(message), follow=True)
    assert "Choisir un nouveau mot de passe" in texte(page.content.decode())
    nouveau = "Un-tout-nouveau-mot-de-passe-2026"
    r = client.post(
        page.redirect_chain[-1][0], {"new_password1": nouveau, "new_password2": nouveau}
    )
    assert r.status_code == 302 and r.url == "/mot-de-passe/change/"
    assert Utilisateur.objects.get(email="oublieux@exemple.fr").check_password(nouveau)
    # The link served once.
    deja = client.get(_lien(message), follow=True)
    assert "Ce lien n'est plus valable" in texte(deja.content.decode())


def test_mot_de_passe_oublie_ne_dit_pas_si_l_adresse_a_un_compte(client):
    r = client.post("/mot-de-passe/oublie/", {"email": "personne@exemple.fr"})
    assert r.status_code == 302 and r.url == "/mot-de-passe/envoye/"
    assert mail.outbox == []


def test_mot_de_passe_oublie_rien_pour_un_compte_proconnect(client):
    u = personne("agent@exemple.fr")
    u.set_unusable_password()
    u.save()
    client.post("/mot-de-passe/oublie/", {"email": "agent@exemple.fr"})
    assert mail.outbox == []


def test_mot_de_passe_oublie_adresse_mal_formee_refusee_en_francais(client):
    r = client.post("/mot-de-passe/oublie/", {"email": "pas-une-adresse"})
    assert r.status_code == 200
    assert "Saisissez une adresse électronique valide" in texte(r.content.decode())
    assert mail.outbox == []


def test_nouveau_mot_de_passe_trop_faible_refuse_sans_rien_changer(client):
    personne("faible@exemple.fr")
    client.post("/mot-de-passe/oublie/", {"email": "faible@exemple.fr"})
    page = client.get(_lien(mail.outbox[0]), follow=True)
    r = client.post(
        page.redirect_chain[-1][0], {"new_password1": "court", "new_password2": "court"}
    )
    assert r.status_code == 200
    assert "Mot de passe non changé." in texte(r.content.decode())
    assert Utilisateur.objects.get(email="faible@exemple.fr").check_password(MDP)


def test_les_mentions_de_la_faq_des_pages_menent_a_son_texte(client):
    client.force_login(personne("chef@exemple.fr"))
    html = client.get("/gouvernance/demandes/").content.decode()
    assert '<a href="/programme/faq/#faq-2-3" title="FAQ §2.3 : Quelle est la procédure' in html
    assert 'href="/programme/faq/#faq-2-2"' in html
