"""The Content Security Policy in a real browser: the map, the DSFR, the dashboards' charts and
every kind of page work under it, and the browser reports no violation (an inline script, an
on* attribute or an outside resource would be refused and reported)."""

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

# Each violation the page sees, sent back to the test as it happens.
ECOUTE = """document.addEventListener('securitypolicyviolation', e => window.violationCSP(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""


@pytest.fixture
def programme(server_url):
    """A small programme (8401, a fiche retained) and its national delegate."""
    from comptes.tests.fabriques import MDP
    from www.tableaux.tests.outils import programme

    p = programme()
    return {"email": "national@exemple.fr", "mot_de_passe": MDP, "uuid": str(p["retenue"].uuid)}


@pytest.fixture
def violations(page) -> list[str]:
    vues: list[str] = []

    def signaler(texte: str) -> None:
        vues.append(texte)

    page.expose_function("violationCSP", signaler)
    page.add_init_script(ECOUTE)
    page.on(
        "console",
        lambda msg: vues.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return vues


def _visiter(page, adresse: str, pret: str) -> None:
    """Opens the page and waits until its script has done its work (`pret`, a selector)."""
    from playwright.sync_api import expect

    reponse = page.goto(adresse)
    assert reponse.ok, adresse
    assert "default-src 'self'" in reponse.headers["content-security-policy"]
    expect(page.locator(pret).first).to_be_attached()


def test_aucune_violation_de_la_politique_de_securite_du_contenu(
    programme, page, violations, js_errors
):
    # Signed out: home, national map drawn by Leaflet, a territory with its map, the API docs.
    _visiter(page, "/", "header .fr-header__body")
    _visiter(page, "/carte/", ".leaflet-interactive")
    _visiter(page, "/territoires/1/8401/", ".leaflet-interactive")
    _visiter(page, "/api/v1/docs", "#swagger-ui .opblock")
    page.goto("/connexion/")
    page.fill("input[name=username]", programme["email"])
    page.fill("input[name=password]", programme["mot_de_passe"])
    page.click("main button[type=submit]")
    page.wait_for_url("**/compte/")
    # The DSFR's menu opens by its script (no on* attribute).
    page.locator("#menu-principal .fr-nav__btn").first.click()
    from playwright.sync_api import expect

    expect(page.locator("#menu-principal .fr-nav__btn").first).to_have_attribute(
        "aria-expanded", "true"
    )
    _visiter(page, f"/fiches/{programme['uuid']}/", "main h1")
    _visiter(page, "/tableaux/?phase=1", "bar-chart canvas")
    _visiter(page, "/tableaux/territoires/1/8401/", "bar-chart canvas")
    _visiter(page, "/gouvernance/", "main h1")
    assert violations == []
    assert js_errors == []
