"""What a visitor sees of the map and the list of territories, in a real browser."""

import re

import pytest

pytestmark = [
    pytest.mark.e2e,
    # WhiteNoise warns when STATIC_ROOT has not been collected, which the test run never does;
    # the live server serves static files from the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TERRITORY_POLYGONS = "#carte path.leaflet-interactive"


def wait_for_map(page) -> int:
    """Waits until carte.js has drawn the map; returns the number of features it drew."""
    page.wait_for_selector("#carte[data-ready]", state="attached")
    ready = page.get_attribute("#carte", "data-ready")
    assert ready != "error", page.inner_text("#carte-resume")
    return int(ready)


def visible_polygon_centre(page) -> dict | None:
    """Centre of a territory polygon that is really under the pointer at that spot."""
    return page.evaluate(
        """(selector) => {
          for (const p of document.querySelectorAll(selector)) {
            const r = p.getBoundingClientRect();
            if (r.width < 15 || r.height < 15) continue;
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            if (document.elementFromPoint(x, y) === p) return {x: x, y: y};
          }
          return null;
        }""",
        TERRITORY_POLYGONS,
    )


def test_la_carte_nationale_dessine_les_183_territoires_de_la_phase_en_vigueur(page, js_errors):
    page.goto("/carte/")
    assert page.locator("h1").inner_text() == "Carte des Territoires d'industrie"
    assert "Phase 2 (2023-2027) : la phase en vigueur" in page.inner_text("main")
    features = wait_for_map(page)
    assert features > 600
    # Leaflet drew one SVG path per feature, over the département outlines.
    assert page.locator(TERRITORY_POLYGONS).count() == features
    assert page.locator("#carte svg path").count() > features + 90
    resume = page.inner_text("#carte-resume")
    assert "183 territoires" in resume
    assert f"{features} intercommunalités" in resume
    assert js_errors == []


def test_la_carte_d_une_date_de_la_phase_1_dessine_ses_148_territoires(page, js_errors):
    page.goto("/carte/?date=2020-06-01")
    assert "Phase 1 (2018-2022) : la phase en vigueur" in page.inner_text("main")
    assert wait_for_map(page) > 500
    resume = page.inner_text("#carte-resume")
    assert "148 territoires" in resume and "01/06/2020" in resume, resume
    assert js_errors == []


def test_survoler_puis_cliquer_un_territoire_ouvre_sa_page(page, js_errors):
    page.goto("/carte/")
    wait_for_map(page)
    page.locator("#carte").scroll_into_view_if_needed()
    point = visible_polygon_centre(page)
    assert point, "aucun territoire cliquable dans la partie visible de la carte"

    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator(".leaflet-tooltip strong")
    tooltip.wait_for()
    code, name = tooltip.inner_text().split(" ", 1)

    # Today's map is phase 2's: ids as the programme writes them.
    assert code.startswith("ti-"), code
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(f"**/territoires/2/{code}/")
    h1 = page.locator("h1").inner_text()
    assert h1.startswith(name), (h1, name)
    assert f"({code})" in h1
    # Its own small map shows the intercommunalities of that territory only.
    assert wait_for_map(page) >= 1
    assert js_errors == []


def test_le_selecteur_de_date_redessine_la_carte_de_cette_date(page, js_errors):
    # The day before the Conseil national de l'industrie of 22/11/2018: no territory yet.
    page.goto("/carte/?date=2018-11-21")
    assert wait_for_map(page) == 0
    assert page.locator(TERRITORY_POLYGONS).count() == 0
    assert page.input_value("input[name=date]") == "2018-11-21"
    resume = page.inner_text("#carte-resume")
    assert resume.startswith("0 territoire et 0 intercommunalité sur la carte"), resume
    assert "21/11/2018" in resume

    page.fill("input[name=date]", "2018-11-22")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"/carte/\?.*date=2018-11-22"))
    assert wait_for_map(page) > 500
    resume = page.inner_text("#carte-resume")
    assert "148 territoires" in resume and "22/11/2018" in resume, resume
    assert js_errors == []


def test_liste_filtree_par_region_et_caractere_interregional(page, js_errors):
    page.goto("/territoires/")
    # Phase 2 by default; the visitor asks for phase 1.
    assert page.input_value("select[name=phase]") == ""
    page.select_option("select[name=phase]", "1")
    page.select_option("select[name=region]", "84")
    page.select_option("select[name=interregional]", "true")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"phase=1.*region=84.*interregional=true"))

    rows = page.locator("tbody tr")
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert "interrégional" in text.lower() and "Auvergne-Rhône-Alpes" in text, text
    row = rows.filter(has_text="7601")
    assert row.count() == 1
    link = row.get_by_role("link", name="Aurillac - Figeac - Rodez")
    assert link.count() == 1
    # The other région of this territory is shown too.
    assert "Occitanie" in row.inner_text()

    link.click()
    page.wait_for_url("**/territoires/1/7601/")
    assert page.locator("h1").inner_text().startswith("Aurillac - Figeac - Rodez")
    assert js_errors == []


def test_les_codes_de_la_liste_tiennent_sur_une_ligne(page, js_errors):
    # « ti-0202 » used to break after its hyphen in the narrow first column.
    page.goto("/territoires/")
    lignes = page.evaluate(
        """() => Array.from(document.querySelectorAll("tbody tr td:first-child"), td => {
          const range = document.createRange();
          range.selectNodeContents(td);
          const hauteurs = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
          return [td.innerText.trim(), hauteurs.size];
        })"""
    )
    assert len(lignes) == 50 and all(code.startswith("ti-") for code, _ in lignes)
    assert [code for code, n in lignes if n != 1] == []
    assert js_errors == []


# The map, the list and a territory's page are checked by the journeys above.
PAGES = [
    "/",
    "/regions/",
    "/regions/84/",
    "/territoires/1/8401/?date=2018-11-22",
    "/territoires/2/ti-8401/",
    "/api/",
]


def test_aucune_erreur_javascript_sur_les_pages(page, js_errors):
    # One browser for all pages: each launch costs a second or two.
    errors = {}
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        # Maps fetch their GeoJSON after the load event: wait until they are drawn.
        if page.locator("#carte").count():
            wait_for_map(page)
        if js_errors:
            errors[path] = list(js_errors)
            js_errors.clear()
    assert errors == {}


def test_la_carte_au_clavier_un_arret_par_territoire_et_entree_ouvre_sa_page(page, js_errors):
    page.goto("/carte/")
    wait_for_map(page)
    # No EPCI shape is a tab stop: the keyboard goes through the list beside the map.
    assert page.locator("#carte path.leaflet-interactive:not([tabindex='-1'])").count() == 0
    liens = page.locator("#carte-liste a[data-territoire]")
    assert liens.count() == 183
    assert page.locator("#carte-liste-titre").inner_text() == "183 territoires sur la carte"
    # Tab from the map: the next stops are the territories, one each, in the list's order.
    page.focus("#carte")
    for _ in range(30):
        page.keyboard.press("Tab")
        focus = page.evaluate("() => document.activeElement.dataset.territoire || ''")
        if focus:
            break
    assert focus == liens.first.get_attribute("data-territoire")
    # Focus is visible (the design system's outline) and lights the territory on the map.
    contour = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert contour != "none"
    assert page.evaluate("() => document.activeElement.dataset.eclaire") == "1"
    page.keyboard.press("Tab")
    second = liens.nth(1).get_attribute("data-territoire")
    assert page.evaluate("() => document.activeElement.dataset.territoire") == second
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/territoires/2/{second}/")
    assert second in page.locator("h1").inner_text()
    # The territory's map is a region, not an image holding buttons.
    assert page.locator("#carte[role=img]").count() == 0
    assert js_errors == []


def test_le_menu_au_clavier_ouvre_carte_et_territoires_puis_la_liste(page, js_errors):
    page.goto("/programme/")
    bouton = page.locator("#menu-principal button[aria-controls=menu-carte]")
    page.focus("#menu-principal a >> nth=0")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-controls')") == (
        "menu-carte"
    )
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[aria-controls=menu-carte]').ariaExpanded === 'true'"
    )
    assert bouton.get_attribute("aria-expanded") == "true"
    # The design system opens the submenu with a transition: its links are reachable once shown.
    page.locator("#menu-carte a", has_text="Territoires").wait_for(state="visible")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Territoires"
    assert js_errors == []
    page.keyboard.press("Enter")
    page.wait_for_url("**/territoires/")
    assert page.locator("h1").inner_text() == "Les territoires"
    # Leaving a page while the design system's submenu script still runs may report an error
    # of the page left behind; the page reached must load cleanly on its own.
    js_errors.clear()
    page.reload()
    page.wait_for_load_state("networkidle")
    # On the list's pages, the menu says where one is.
    assert (
        page.locator("#menu-principal [aria-controls=menu-carte]").get_attribute("aria-current")
        == "true"
    )
    assert js_errors == []
