"""Lists sorted by territory then number, cut into pages by territory (PaginateurParGroupe):
every page holds exactly the rows a plain cut of the sorted list gives, and reads only the
territories it spans."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fiches.models import FicheAction
from fiches.tests.fabriques import entreprise, entreprise_de, equipe_phase_2, fiche
from territoires.tests.fabriques import t
from www.commun.pages import PaginateurParGroupe

pytestmark = pytest.mark.django_db


@pytest.fixture
def equipe():
    return equipe_phase_2()


@pytest.fixture
def fiches_de_trois_territoires(equipe):
    p = equipe
    for user, terr, porteur, n in (
        (p["chef"], t("8401"), entreprise("8401"), 7),
        (p["chef8408"], t("8408"), entreprise("8408"), 5),
        (p["chef2"], p["t2"], entreprise_de(p["t2"]), 4),
    ):
        for k in range(n):
            fiche(user, t=terr, porteur=porteur, cout=None, lignes=[], titre=f"Action {k}")
    return FicheAction.objects.select_related("territoire")


def _rangs(page) -> list[int]:
    return [f.pk for f in page.object_list]


@pytest.mark.parametrize("par_page", [1, 3, 4, 5, 7, 16, 50])
@pytest.mark.parametrize(
    "cle",
    # By code (one group per key), and by phase: several territories under one key, their
    # fiches interleaved by number.
    ["territoire__code", "territoire__phase_id"],
)
def test_chaque_page_par_territoire_est_celle_de_la_liste_triee(
    fiches_de_trois_territoires, par_page, cle
):
    liste = fiches_de_trois_territoires.order_by(cle, "numero", "pk")
    attendu = Paginator(liste, par_page)
    pages = PaginateurParGroupe(liste, par_page, groupe="territoire_id", cle=cle)
    assert pages.count == attendu.count == 16
    assert pages.num_pages == attendu.num_pages
    for n in attendu.page_range:
        page = pages.page(n)
        assert _rangs(page) == _rangs(attendu.page(n)), n
        assert (page.start_index(), page.end_index(), page.has_next()) == (
            attendu.page(n).start_index(),
            attendu.page(n).end_index(),
            attendu.page(n).has_next(),
        )


def test_une_liste_vide_a_une_page_vide():
    pages = PaginateurParGroupe(
        FicheAction.objects.order_by("territoire__code", "numero"),
        50,
        groupe="territoire_id",
        cle="territoire__code",
    )
    assert pages.count == 0 and list(pages.get_page(3).object_list) == []


def test_une_page_ne_lit_que_les_territoires_qu_elle_couvre(fiches_de_trois_territoires):
    liste = fiches_de_trois_territoires.order_by("territoire__code", "numero")
    pages = PaginateurParGroupe(liste, 3, groupe="territoire_id", cle="territoire__code")
    with CaptureQueriesContext(connection) as requetes:
        page = pages.page(3)  # rows 7 to 9: the end of 8401, the start of 8408
    assert {f.territoire.code for f in page.object_list} == {"8401", "8408"}
    lecture = requetes.captured_queries[-1]["sql"]
    ids = sorted({f.territoire_id for f in page.object_list})
    assert f'"territoire_id" IN ({", ".join(map(str, ids))})' in lecture
    assert len(requetes) == 2  # the rows per territory, then the page's rows


def test_les_nombres_par_territoire_sont_gardes_jusqu_a_la_prochaine_ecriture(
    client, equipe, fiches_de_trois_territoires
):
    p = equipe
    client.force_login(p["chef"])
    premiere = client.get("/fiches/")
    total = premiere.context["total"]
    assert total >= 7
    with CaptureQueriesContext(connection) as relue:
        assert client.get("/fiches/").context["total"] == total
    assert not any("COUNT(" in q["sql"] for q in relue.captured_queries)  # kept
    fiche(p["chef"], t=t("8401"), porteur=entreprise("8401"), cout=None, lignes=[])
    assert client.get("/fiches/").context["total"] == total + 1  # a write: counted again


def test_une_recherche_compte_toujours_ses_fiches(client, equipe, fiches_de_trois_territoires):
    """A description made public is not in the journal of writes: a search is never kept."""
    p = equipe
    f = FicheAction.objects.filter(territoire=t("8401")).order_by("pk").first()
    f.champs_secrets = []
    f.save()
    client.force_login(p["chef"])
    assert client.get("/fiches/?q=laminoir").context["total"] == 0
    f.description = "Un laminoir neuf"
    f.save()
    assert client.get("/fiches/?q=laminoir").context["total"] == 1
