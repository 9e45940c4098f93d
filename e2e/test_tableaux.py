"""The national dashboard in a real browser: DSFR Chart's web components are defined and draw
their charts, the map is coloured, the data tables open, nothing fails and nothing is fetched
from outside the platform."""

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

EMAIL = "national@exemple.fr"


@pytest.fixture
def national(server_url):
    """A small programme and its national delegate, written before the browser starts."""
    from comptes.tests.fabriques import MDP
    from www.tableaux.tests.outils import programme

    programme()
    return {"email": EMAIL, "mot_de_passe": MDP}


def se_connecter(page, compte) -> None:
    page.goto("/connexion/")
    page.fill("input[name=username]", compte["email"])
    page.fill("input[name=password]", compte["mot_de_passe"])
    page.click("main button[type=submit]")
    page.wait_for_url("**/compte/")


def test_le_tableau_national_dessine_ses_graphiques_et_sa_carte(national, page, js_errors):
    se_connecter(page, national)
    page.goto("/tableaux/?phase=1")
    assert page.locator("h1").inner_text() == "Tableau de bord national — phase 1"
    page.wait_for_function("() => customElements.get('bar-chart') !== undefined")
    graphiques = page.locator("bar-chart")
    assert graphiques.count() >= 4
    page.wait_for_function(
        "n => document.querySelectorAll('bar-chart canvas').length === n", arg=graphiques.count()
    )
    # Each chart painted its canvas (Chart.js draws axes and bars there, no SVG by hand).
    peints = page.evaluate(
        """() => [...document.querySelectorAll('bar-chart canvas')].map(c => {
            if (!c.width || !c.height) return 0;
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
            return n;
        })"""
    )
    assert all(n > 500 for n in peints), peints
    # The data table of a chart opens from its accordion.
    bouton = page.locator("#figure-fiches-etapes .fr-accordion__btn")
    bouton.click()
    table = page.locator("#table-fiches-etapes")
    table.wait_for(state="visible")
    assert "Brouillon" in table.inner_text()
    # The map, coloured by the figure of the list beside it.
    page.wait_for_selector("#carte-tableau[data-ready]", state="attached")
    assert int(page.get_attribute("#carte-tableau", "data-ready")) > 300
    assert "148 territoires sur la carte" in page.inner_text("#carte-tableau-resume")
    assert page.locator("#carte-tableau-legende li").count() == 6
    assert js_errors == []
