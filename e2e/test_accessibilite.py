"""Automated accessibility checks (axe-core, as Deque publishes it, run in Debian's Chromium)
on every kind of page, as a visitor, a territory's chef de projet and the national delegation,
at a desktop and a phone's width, forms included in their error state: no critical or serious
violation. A check is not an audit: the statement (/accessibilite/) says so."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

LARGEURS = {"bureau": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}
GRAVES = ("critical", "serious")

PUBLIQUES = [
    "/",
    "/carte/",
    "/territoires/",
    "/territoires/2/ti-8401/",
    "/regions/",
    "/regions/84/",
    "/fiches/",
    "/mesures/",
    "/contrats/",
    "/programme/",
    "/programme/faq/",
    "/aide/",
    "/accessibilite/",
    "/plan-du-site/",
    "/actualites/",
    "/ressources/",
    "/evenements/",
    "/donnees-ouvertes/",
    "/territoires/2/inconnu/",  # the 404 page
    "/connexion/",
]


@pytest.fixture
def monde(server_url):
    """A retained fiche of 8401 with its contract drafted, a draft in 8408, and their people;
    written before the browser starts."""
    from comptes.tests.fabriques import MDP
    from contrats.tests.fabriques import contrat_pret
    from www.tableaux.tests.outils import programme

    p = programme()
    c = contrat_pret(p, fiches=[p["retenue"]])
    return {
        "mdp": MDP,
        "fiche": str(p["retenue"].uuid),
        "brouillon": str(p["brouillon"].uuid),
        "contrat": c.pk,
    }


def se_connecter(page, email, mdp) -> None:
    page.goto("/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", mdp)
    page.click("main button[type=submit]")
    page.wait_for_url("**/compte/")


def violations(page, axe, url: str | None = None) -> list[str]:
    if url:
        page.goto(url)
    page.wait_for_load_state("networkidle")
    resultat = axe.run(page).response
    return [
        f"{page.url} : {v['id']} ({v['impact']}) sur {v['nodes'][0]['target']}"
        for v in resultat["violations"]
        if v["impact"] in GRAVES
    ]


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("largeur", LARGEURS)
def test_pages_publiques_et_formulaires_refuses_sans_violation_grave(
    monde, page, axe, largeur, js_errors
):
    page.set_viewport_size(LARGEURS[largeur])
    trouvees = []
    for url in PUBLIQUES:
        trouvees += violations(page, axe, url)
    # Forms in their error state: a failed sign-in, a malformed address for a new password.
    page.goto("/connexion/")
    page.fill("input[name=username]", "personne@exemple.fr")
    page.fill("input[name=password]", "faux")
    page.click("main button[type=submit]")
    assert page.locator("[data-sommaire-erreurs]").count() == 1
    trouvees += violations(page, axe)
    page.goto("/mot-de-passe/oublie/")
    page.fill("input[name=email]", "pas-une-adresse")
    page.click("main button[type=submit]")
    trouvees += violations(page, axe)
    assert trouvees == []


@pytest.mark.parametrize("largeur", LARGEURS)
def test_pages_du_chef_de_projet_sans_violation_grave(monde, page, axe, largeur):
    page.set_viewport_size(LARGEURS[largeur])
    se_connecter(page, "chef8401@exemple.fr", monde["mdp"])
    trouvees = []
    for url in [
        "/travail/",
        f"/fiches/{monde['fiche']}/",
        "/fiches/nouvelle/?territoire=1-8401",
        f"/contrats/contrat/{monde['contrat']}/",
        "/territoires/1/8401/contrat/",
        "/gouvernance/",
        "/gouvernance/demandes/",
        "/annuaire/",
        "/compte/",
    ]:
        trouvees += violations(page, axe, url)
    # The first step of a new fiche, sent empty: its error summary has the focus.
    page.goto("/fiches/nouvelle/?territoire=1-8401")
    page.click("main button[value=suivant] >> nth=-1")
    # The page's script gives the focus once loaded: wait for it rather than for the markup.
    expect(page.locator("#sommaire-erreurs")).to_be_focused()
    trouvees += violations(page, axe)
    assert trouvees == []


@pytest.mark.parametrize("largeur", LARGEURS)
def test_pages_de_la_delegation_nationale_sans_violation_grave(monde, page, axe, largeur):
    page.set_viewport_size(LARGEURS[largeur])
    se_connecter(page, "national@exemple.fr", monde["mdp"])
    if largeur == "bureau":
        # The whole menu on one line at 1280 px: no entry wraps.
        page.goto("/tableaux/?phase=1")
        hauteurs = page.evaluate(
            "() => [...document.querySelectorAll('#menu-principal .fr-nav__item')]"
            ".map(e => e.getBoundingClientRect().top)"
        )
        assert len(set(hauteurs)) == 1, hauteurs
        lignes = page.evaluate(
            "() => [...document.querySelectorAll('#menu-principal .fr-nav__item > a')]"
            ".map(a => Math.round(a.getBoundingClientRect().height))"
        )
        assert len(set(lignes)) == 1, lignes
    trouvees = []
    for url in [
        "/tableaux/?phase=1",
        "/tableaux/deploiement/",
        "/delais/",
        "/evaluations/",
        "/fiches/simplification/",
        f"/fiches/{monde['brouillon']}/",
        "/gouvernance/versions/",
        "/instantanes/",
    ]:
        trouvees += violations(page, axe, url)
    assert trouvees == []
