"""Similar fiches (fiches.similarite): an index kept in the database, fiche by fiche."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fiches.models import FicheAction, Terme, TermeFiche
from fiches.selectors import fiches_visibles
from fiches.services import modifier_fiche
from fiches.similarite import reindexer, similaires

from .fabriques import equipe, fiche

pytestmark = pytest.mark.django_db

TITRE = "Plateforme mutualisée de formation aux métiers de la mécanique"


def _etat_de_l_index():
    return (
        sorted(TermeFiche.objects.values_list("fiche_id", "terme")),
        dict(Terme.objects.filter(nb_fiches__gt=0).values_list("mot", "nb_fiches")),
    )


def _autres(p, n, code="8408"):
    return [
        fiche(p["chef8408"], code=code, titre=f"Atelier de chaudronnerie numéro {k}")
        for k in range(n)
    ]


def test_l_index_tenu_fiche_par_fiche_est_celui_qu_on_reconstruirait():
    p = equipe()
    a = fiche(p["chef"], titre=TITRE)
    b, c = _autres(p, 2)
    modifier_fiche(
        user=p["chef"], fiche=a, version=a.version, donnees={"titre": "Fonderie de précision"}
    )
    c.delete()
    tenu = _etat_de_l_index()
    assert ("fonder", 1) in tenu[1].items() and "mecan" not in tenu[1]
    reindexer()
    assert _etat_de_l_index() == tenu
    assert {pk for pk, _ in tenu[0]} == {a.pk, b.pk}


def test_modifier_une_fiche_ne_reecrit_que_ses_propres_termes():
    p = equipe()
    a = fiche(p["chef"], titre=TITRE)
    autres = _autres(p, 6)
    avant = set(TermeFiche.objects.exclude(fiche=a).values_list("pk", "terme", "poids"))
    with CaptureQueriesContext(connection) as ctx:
        a.titre = "Fonderie de précision"
        a.save()
    ecritures = [
        q["sql"] for q in ctx.captured_queries if "fiches_terme" in q["sql"].split("WHERE")[0]
    ]
    # A handful of statements (read, delete, insert, counts), whatever the number of fiches.
    assert len(ecritures) <= 6
    assert set(TermeFiche.objects.exclude(fiche=a).values_list("pk", "terme", "poids")) == avant
    assert len(autres) == 6


def test_un_enregistrement_sans_changement_du_texte_n_ecrit_rien_dans_l_index():
    p = equipe()
    a = fiche(p["chef"], titre=TITRE)
    ids = set(TermeFiche.objects.filter(fiche=a).values_list("pk", flat=True))
    a.maturite = "mature"
    a.save()
    assert set(TermeFiche.objects.filter(fiche=a).values_list("pk", flat=True)) == ids


def test_les_fiches_similaires_ignorent_les_champs_secrets():
    p = equipe()
    a = fiche(p["chef"], titre=TITRE, contexte="")
    fiche(
        p["chef8408"],
        code="8408",
        titre="Atelier de chaudronnerie",
        contexte="",
        description=TITRE,  # secret for a firm: never indexed
    )
    assert "mecan" not in dict(TermeFiche.objects.exclude(fiche=a).values_list("terme", "poids"))
    assert similaires(a, fiches_visibles(p["national"])) == []


def test_les_fiches_similaires_se_lisent_en_requetes_constantes_sans_rien_reconstruire():
    p = equipe()
    a = fiche(p["chef"], titre=TITRE)
    fiche(p["chef8408"], code="8408", titre=TITRE + " de précision")
    visibles = fiches_visibles(p["national"])
    with CaptureQueriesContext(connection) as petit:
        trouvees = similaires(a, visibles)
    assert [f.titre for f, _ in trouvees] == [TITRE + " de précision"]
    _autres(p, 15)
    with CaptureQueriesContext(connection) as grand:
        assert [f.titre for f, _ in similaires(a, visibles)] == [TITRE + " de précision"]
    assert len(grand) == len(petit) <= 6
    # Nothing reads every fiche: no statement without a WHERE on the fiches' table.
    for q in grand.captured_queries:
        assert "WHERE" in q["sql"] or "COUNT(" in q["sql"]


def test_une_fiche_chargee_en_masse_trouve_ses_semblables_avant_d_etre_indexee():
    p = equipe()
    b = fiche(p["chef8408"], code="8408", titre=TITRE + " de précision")
    a = fiche(p["chef"], titre=TITRE)
    TermeFiche.objects.filter(fiche=a).delete()  # as after a bulk insert
    assert [f for f, _ in similaires(a, FicheAction.objects.all())] == [b]
    assert not TermeFiche.objects.filter(fiche=a).exists()  # a read writes nothing
