"""Where people got stuck (docs/adr/0017), each kept fixed by a journey in Debian's Chromium
named after it. The map by keyboard and the menu are in test_carte.py, the running total and
the boxes to tick in test_fiches.py, axe-core in test_accessibilite.py."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import CHROMIUM_ARGS, TIMEOUT_MS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TELEPHONE = {"width": 390, "height": 844}
NOUVELLE_8401 = re.compile(r".*/fiches/nouvelle/")


@pytest.fixture
def monde(server_url):
    """8401's team; a draft, a fiche before its funders, a « simplifier » fiche past the
    COPIL, a fiche whose lines do not cover its cost; 8401's committee. Written before the
    browser starts."""
    from decimal import Decimal

    from comptes.enums import TypeOrganisation
    from comptes.models import Organisation
    from comptes.tests.fabriques import MDP, territoire
    from fiches.tests.fabriques import bpi, equipe, fiche
    from fiches.tests.test_cycle import parcours_jusqu_a_instruction
    from gouvernance.enums import TypeComite
    from gouvernance.models import Comite

    p = equipe()
    club = Organisation.objects.create(nom="Club d'entreprises", type=TypeOrganisation.ASSOCIATION)
    simplifier = fiche(
        p["chef"],
        axe="simplifier",
        porteur=club,
        cout=None,
        lignes=[],
        titre="Autorisations plus rapides",
        probleme="Trois services instruisent la même extension.",
    )
    une_ligne = {"financeur": bpi(), "section": "investissement", "montant": Decimal("60000")}
    comite = Comite.objects.create(
        type=TypeComite.COMITE_LOCAL, nom="Comité de projet 8401", territoire=territoire("8401")
    )
    return {
        "mdp": MDP,
        "brouillon": str(fiche(p["chef"], titre="Banc d'essai partagé", lignes=[une_ligne]).uuid),
        "instruite": str(parcours_jusqu_a_instruction(p, fiche(p["chef"])).uuid),
        "simplifier": str(parcours_jusqu_a_instruction(p, simplifier).uuid),
        "decouverte": str(fiche(p["chef"], titre="Halle", cout=Decimal("250000")).uuid),
        "comite": comite.pk,
    }


def capturer(page, nom: str) -> None:
    """The screenshots of docs/, taken again with E2E_CAPTURES=1."""
    if os.environ.get("E2E_CAPTURES") == "1":
        page.screenshot(
            path=str(Path(__file__).resolve().parent.parent / "docs" / nom), full_page=True
        )


def se_connecter(page, email, mdp) -> None:
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.fill("input[name=password]", mdp)
    page.click("main button[type=submit]")
    page.wait_for_url("**/compte/")


def vu(page) -> str:
    return " ".join(page.locator("main").inner_text().split())


def test_les_pages_d_erreur_sont_du_service_en_francais_et_disent_quoi_faire(page, js_errors):
    r = page.goto("/territoires/2/inconnu/")
    assert r.status == 404
    assert page.locator("h1").inner_text() == "Page introuvable"
    assert "connectez-vous si elle relève de votre territoire" in vu(page)
    expect(page.locator("main").get_by_role("link", name="Se connecter")).to_be_visible()
    assert "Not Found" not in page.content() and page.locator("header.fr-header").count() == 1
    capturer(page, "erreur-404.png")
    # A form sent after its session expired (CSRF): nothing saved, back to the form.
    page.goto("/connexion/")
    page.context.clear_cookies()
    page.get_by_label("Adresse électronique").fill("personne@exemple.fr")
    page.fill("input[name=password]", "un mot de passe")
    with page.expect_response(lambda rep: rep.request.method == "POST") as envoi:
        page.click("main button[type=submit]")
    assert envoi.value.status == 403
    assert page.locator("h1").inner_text() == "Formulaire expiré"
    assert "rien n'a été modifié" in vu(page)
    capturer(page, "erreur-formulaire-expire.png")
    page.get_by_role("link", name="Rouvrir le formulaire").click()
    page.wait_for_url("**/connexion/")
    # The 500 page as the handler writes it (without database), served as the answer.
    from www.commun.erreurs import erreur_serveur

    html = erreur_serveur(None).content.decode()
    page.route(
        "**/essai-erreur-serveur/",
        lambda route: route.fulfill(status=500, content_type="text/html; charset=utf-8", body=html),
    )
    assert page.goto("/essai-erreur-serveur/").status == 500
    assert page.locator("h1").inner_text() == "Le service rencontre une erreur"
    assert "signalez-la à votre référent" in vu(page)
    expect(page.get_by_role("link", name="Page d'accueil")).to_be_visible()
    capturer(page, "erreur-500.png")
    # The browser reports the 404, 403 and 500 answers themselves; nothing else went wrong.
    assert [e for e in js_errors if "status of" not in e] == []


def test_rediger_une_fiche_s_offre_partout_ou_on_la_cherche(monde, page, js_errors):
    se_connecter(page, "chef8401@exemple.fr", monde["mdp"])
    page.goto("/fiches/")  # the whole list, no filter
    page.get_by_role("link", name="Rédiger une fiche").first.click()
    expect(page).to_have_url(NOUVELLE_8401)
    assert "Nouvelle fiche-action pour 8401" in vu(page)
    page.goto("/territoires/1/8401/")
    page.get_by_role("link", name="Rédiger une fiche pour ce territoire").click()
    expect(page).to_have_url(NOUVELLE_8401)
    assert "Nouvelle fiche-action pour 8401" in vu(page)
    # Not offered to who may not write one.
    page.context.clear_cookies()
    se_connecter(page, "national@exemple.fr", monde["mdp"])
    for url in ("/fiches/", "/territoires/1/8401/"):
        page.goto(url)
        assert page.get_by_role("link", name=re.compile("Rédiger une fiche")).count() == 0
    assert js_errors == []


def test_les_formulaires_montrent_leurs_propres_libelles_et_aides(monde, page, js_errors):
    page.goto("/connexion/")
    expect(page.get_by_label("Adresse électronique")).to_be_visible()
    assert "Username" not in page.content()
    se_connecter(page, "chef8401@exemple.fr", monde["mdp"])
    page.goto(f"/fiches/{monde['brouillon']}/mouvement/soumettre/")
    assert "Facultatif : ce qui motive ce mouvement." in vu(page)
    assert "Obligatoire quand la fiche est à retravailler" not in vu(page)
    assert js_errors == []


def test_la_decision_d_un_financeur_n_a_pas_de_valeur_par_defaut(monde, page, js_errors):
    se_connecter(page, "bpi84@exemple.fr", monde["mdp"])
    page.goto(f"/fiches/{monde['instruite']}/")
    decision = page.get_by_label("Décision", exact=True).first
    assert decision.input_value() == ""
    assert decision.locator("option:checked").inner_text() == "Choisir"
    # Sent without a choice: the browser stops it on the empty decision, nothing is granted.
    formulaire = page.locator("form", has=decision)
    formulaire.get_by_role("button", name="Enregistrer").click()
    assert decision.evaluate("e => e.validity.valueMissing")
    assert page.url.endswith(f"/fiches/{monde['instruite']}/")
    assert js_errors == []


def test_soumettre_une_fiche_dont_les_lignes_ne_couvrent_pas_le_cout_le_dit(monde, page, js_errors):
    se_connecter(page, "chef8401@exemple.fr", monde["mdp"])
    page.goto(f"/fiches/{monde['decouverte']}/mouvement/soumettre/")
    assert "Les lignes du plan de financement ne couvrent pas le coût total de la fiche." in vu(
        page
    )
    assert "Écart : -150 000 €" in vu(page)
    assert js_errors == []


def test_la_recherche_de_territoires_trouve_les_communes_par_nom_et_code(page, js_errors):
    for q, commune in [("Tournon-sur-Rhône", "Tournon-sur-Rhône (07324)"), ("07010", "Annonay")]:
        page.goto("/territoires/")
        page.locator("main").get_by_role("searchbox", name=re.compile("^Rechercher")).fill(q)
        page.locator("main").get_by_role("button", name="Filtrer").click()
        page.wait_for_url("**/territoires/?*")
        assert "Ardèche Drôme Nord" in vu(page) and commune in vu(page)
    assert js_errors == []


def test_une_fiche_simplifier_sans_financement_n_attend_pas_les_financeurs_apres_le_copil(
    monde, page, js_errors
):
    se_connecter(page, "chef8401@exemple.fr", monde["mdp"])
    page.goto(f"/fiches/{monde['simplifier']}/")
    assert "En instruction par les financeurs" not in vu(page)
    assert "Retenue" in vu(page)
    assert js_errors == []


def test_la_page_du_territoire_mene_a_son_comite_son_contrat_et_ses_fiches(monde, page, js_errors):
    se_connecter(page, "chef8401@exemple.fr", monde["mdp"])
    page.goto("/territoires/1/8401/")
    page.get_by_role("link", name="Comité de projet 8401 : réunions et décisions").click()
    page.wait_for_url(f"**/gouvernance/comites/{monde['comite']}/")
    page.go_back()
    page.get_by_role("link", name="Protocole, contrat et avenants").click()
    page.wait_for_url("**/territoires/1/8401/contrat/")
    page.go_back()
    page.get_by_role("link", name="Fiches-actions du territoire").click()
    page.wait_for_url(re.compile(r".*/fiches/\?territoire=1-8401$"))
    # The deployment tracking, from the menu, for the national delegation who follows it.
    page.context.clear_cookies()
    se_connecter(page, "national@exemple.fr", monde["mdp"])
    page.goto("/programme/")
    menu = page.locator("#menu-principal")
    menu.get_by_role("button", name="Tableaux de bord").click()
    menu.get_by_role("link", name="Suivi du déploiement").click()
    page.wait_for_url("**/tableaux/deploiement/")
    assert js_errors == []


MOTS_COUPES = """sel => {
  const coupes = [];
  for (const el of document.querySelectorAll(sel)) {
    const texte = el.firstChild;
    if (!texte || texte.nodeType !== 3) continue;
    let debut = 0;
    for (const mot of texte.textContent.split(/(\\s+)/)) {
      if (mot.trim()) {
        const r = document.createRange();
        r.setStart(texte, debut); r.setEnd(texte, debut + mot.length);
        const lignes = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
        if (lignes.size > 1) coupes.push(mot);
      }
      debut += mot.length;
    }
  }
  return coupes;
}"""


def test_sur_un_telephone_chiffres_entiers_tableaux_au_clavier_et_carte_avant_les_filtres(
    monde, page, js_errors
):
    page.set_viewport_size(TELEPHONE)
    # The figures of the home page: no word nor number cut over two lines.
    page.goto("/")
    assert page.locator(".fr-tile__title, .fr-tile__desc").count() >= 8
    assert page.evaluate(MOTS_COUPES, ".fr-tile__title, .fr-tile__desc") == []
    # The map comes before the folded filters' content: within the first screen.
    page.goto("/carte/")
    assert page.locator("details[data-replier-mobile]").get_attribute("open") is None
    assert page.locator("#carte").bounding_box()["y"] < TELEPHONE["height"]
    # A wide table scrolls sideways and the keyboard reaches it.
    se_connecter(page, "national@exemple.fr", monde["mdp"])
    page.goto("/tableaux/deploiement/")
    defilante = page.locator(".fr-table table[tabindex='0'], .fr-table__shadow[tabindex='0']")
    assert defilante.count() >= 1
    defilante.first.focus()
    avant = defilante.first.evaluate("e => e.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=defilante.first.element_handle())
    assert defilante.first.evaluate("e => e.scrollLeft") > avant
    assert js_errors == []


def test_apres_un_formulaire_refuse_le_focus_va_au_sommaire_des_erreurs(monde, page, js_errors):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill("personne@exemple.fr")
    page.fill("input[name=password]", "faux")
    page.click("main button[type=submit]")
    expect(page.locator("#sommaire-erreurs")).to_be_focused()
    se_connecter(page, "chef8401@exemple.fr", monde["mdp"])
    page.goto("/fiches/nouvelle/?territoire=1-8401")
    page.click("main button[value=suivant] >> nth=-1")
    expect(page.locator("#sommaire-erreurs")).to_be_focused()
    # Each error of the summary leads to its field.
    lien = page.locator("#sommaire-erreurs a").first
    cible = lien.get_attribute("href")
    lien.click()
    assert page.evaluate("() => '#' + document.activeElement.id") == cible
    assert js_errors == []


MAL_ECRITS = [
    "interrégionalaux",
    "Filiere",
    "Validation : Validation",
    "désigné-e",
    # 0 and 1 take the singular, 2 and more the plural.
    re.compile(r"(?<![\d,.])[01] (binômes|pilotes|territoires|fiches|réunions)\b"),
    re.compile(r"(?<![\d,.])[2-9] (binôme|pilote|territoire|réunion)\b(?!s)"),
]


def test_les_pages_parlent_un_francais_correct_au_singulier_comme_au_pluriel(
    monde, page, js_errors
):
    se_connecter(page, "national@exemple.fr", monde["mdp"])
    trouves = []
    for url in [
        "/",
        "/territoires/?phase=1&region=84",
        "/regions/84/",
        "/territoires/1/8401/",
        "/tableaux/?phase=1",
        "/tableaux/deploiement/",
        "/fiches/",
        f"/fiches/{monde['instruite']}/",
        f"/fiches/{monde['simplifier']}/",
        "/gouvernance/",
        "/contrats/",
    ]:
        page.goto(url)
        texte = vu(page)
        for mal in MAL_ECRITS:
            if mal.search(texte) if isinstance(mal, re.Pattern) else mal in texte:
                trouves.append(f"{url} : {mal if isinstance(mal, str) else mal.pattern}")
    assert trouves == []
    assert js_errors == []


def test_les_mentions_de_la_faq_menent_au_texte_du_programme(page, js_errors):
    page.goto("/mesures/")
    mentions = page.locator("main").get_by_text(re.compile(r"FAQ §\d"))
    assert mentions.count() >= 1
    # Every mention on the page is a link into the programme's text served here.
    sans_lien = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
          .filter(e => [...e.childNodes]
            .some(n => n.nodeType === 3 && /FAQ §\\d/.test(n.textContent)))
          .filter(e => !e.closest('a')).map(e => e.textContent.trim())"""
    )
    assert sans_lien == []
    lien = page.locator("main a", has_text=re.compile(r"FAQ §\d")).first
    ancre = lien.get_attribute("href")
    assert ancre.startswith("/programme/faq/#")
    lien.click()
    page.wait_for_url("**/programme/faq/**")
    assert page.locator(ancre[len("/programme/faq/") :]).is_visible()
    assert js_errors == []


# --- Dates and numbers the French way in an English browser ----------------------------------


@pytest.fixture
def page_anglaise(server_url, chromium, js_errors):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium, args=[*CHROMIUM_ARGS, "--lang=en-US"], headless=True
        )
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-US", base_url=server_url
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.route(lambda url: not url.startswith(server_url), lambda route: route.abort())
        p = context.new_page()
        p.on("pageerror", lambda exc: js_errors.append(f"exception : {exc}"))
        try:
            yield p
        finally:
            context.close()
            browser.close()


def test_dates_et_nombres_a_la_francaise_quelle_que_soit_la_langue_du_navigateur(
    monde, page_anglaise, js_errors
):
    page = page_anglaise
    assert page.evaluate("() => navigator.language") == "en-US"
    se_connecter(page, "chef8401@exemple.fr", monde["mdp"])
    page.goto(f"/fiches/{monde['brouillon']}/modifier/")
    debut = page.locator("#id_date_debut")
    # A text field that says its format, not the browser's date picker (mm/dd/yyyy here).
    assert debut.get_attribute("type") == "text"
    assert debut.get_attribute("placeholder") == "jj/mm/aaaa"
    libelle = page.locator(f"label[for='{debut.get_attribute('id')}']")
    assert "Format attendu : jj/mm/aaaa" in libelle.inner_text()
    cout = page.locator('input[name="cout_total"]')
    assert cout.get_attribute("type") == "text" and cout.get_attribute("inputmode") == "decimal"
    debut.fill("14/07/2025")
    page.locator("#id_date_fin").fill("31/12/2026")
    cout.fill("100 000,50")
    page.fill('input[name="lignes-0-montant"]', "100 000,50")
    total = " ".join(page.locator("[data-total-plan]").inner_text().split())
    assert "Somme des lignes : 100 000,50 €" in total and "couvert exactement" in total
    page.locator("main").get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/fiches/{monde['brouillon']}/"), vu(page)[:1500]
    assert "du 14/07/2025 au 31/12/2026" in vu(page)
    assert "100 000,50 €" in vu(page)
    # Reopened: the values as they were typed, the French way.
    page.goto(f"/fiches/{monde['brouillon']}/modifier/")
    assert debut.input_value() == "14/07/2025"
    assert cout.input_value().replace("\u202f", " ") == "100 000,50"
    page.set_viewport_size(TELEPHONE)
    capturer(page, "fiche-mobile.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    # A date typed the American way is refused with a French message, nothing saved.
    debut.fill("07/14/2025")
    page.locator("main").get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#sommaire-erreurs")).to_be_focused()
    assert "Saisissez une date au format jj/mm/aaaa, par exemple 14/07/2025." in vu(page)
    page.goto(f"/fiches/{monde['brouillon']}/")
    assert "du 14/07/2025 au 31/12/2026" in vu(page)
    assert js_errors == []
