"""A fiche's financing plan in a real browser: the running total follows what is typed."""

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def brouillon(server_url):
    """A draft of 8401 (cost 100,000 €: lines of 60,000 and 40,000) and its chef de projet,
    written before the browser starts."""
    from comptes.enums import TypeOrganisation
    from comptes.models import Organisation
    from comptes.tests.fabriques import MDP
    from fiches.tests.fabriques import equipe, fiche

    p = equipe()
    f = fiche(p["chef"])
    # Enough public bodies for the partners' list to be long (and filtered).
    for n in range(10):
        Organisation.objects.create(nom=f"PETR du bassin n° {n}", type=TypeOrganisation.PAYS_PETR)
    return {"email": "chef8401@exemple.fr", "mot_de_passe": MDP, "uuid": str(f.uuid)}


def se_connecter(page, compte) -> None:
    page.goto("/connexion/")
    page.fill("input[name=username]", compte["email"])
    page.fill("input[name=password]", compte["mot_de_passe"])
    page.click("main button[type=submit]")
    page.wait_for_url("**/compte/")


def test_le_plan_de_financement_montre_son_total_en_cours_de_saisie(brouillon, page, js_errors):
    se_connecter(page, brouillon)
    page.goto(f"/fiches/{brouillon['uuid']}/modifier/")
    total = page.locator("[data-total-plan]")
    assert total.get_attribute("aria-live") == "polite"
    assert " ".join(total.inner_text().split()) == (
        "Somme des lignes : 100 000,00 € · Coût total : 100 000,00 € · "
        "Le coût est couvert exactement."
    )
    page.fill('input[name="lignes-0-montant"]', "45000.50")
    assert " ".join(total.inner_text().split()) == (
        "Somme des lignes : 85 000,50 € · Coût total : 100 000,00 € · "
        "Reste à couvrir : 14 999,50 €."
    )
    page.fill('input[name="cout_total"]', "80000")
    assert "Dépassement du coût : 5 000,50 €." in " ".join(total.inner_text().split())
    assert js_errors == []


def test_les_partenaires_se_cochent_et_se_filtrent_sans_ctrl_ni_cmd(brouillon, page, js_errors):
    se_connecter(page, brouillon)
    page.goto(f"/fiches/{brouillon['uuid']}/modifier/")
    groupe = page.locator("fieldset", has=page.locator("input[name=partenaires]"))
    # Boxes to tick, never a multiple select.
    assert page.locator("select[name=partenaires]").count() == 0
    total = groupe.locator("input[name=partenaires]").count()
    assert total >= 8
    filtre = groupe.get_by_label("Filtrer la liste")
    filtre.fill("banque des terr")
    visibles = groupe.locator(".fr-fieldset__element:not([hidden]) input[name=partenaires]")
    assert visibles.count() == 1
    assert f"1 sur {total} affichés, 0 coché." in groupe.inner_text()
    # By keyboard: from the filter, Tab reaches the only box shown, Space ticks it.
    filtre.press("Tab")
    page.keyboard.press("Space")
    assert visibles.first.is_checked()
    # Enter in the filter does not send the form; a ticked box stays in view.
    filtre.fill("zzz")
    filtre.press("Enter")
    assert "/modifier/" in page.url
    assert visibles.count() == 1 and f"1 sur {total} affichés, 1 coché." in groupe.inner_text()
    assert js_errors == []
