"""Results kept per version of the data, day and reader (comptes.memoire)."""

from __future__ import annotations

import pytest

from comptes import memoire, secrets
from fiches.tests.fabriques import equipe, fiche

pytestmark = pytest.mark.django_db


def _compteur():
    appels = []

    def calcul():
        appels.append(1)
        return len(appels)

    return appels, calcul


def test_un_resultat_relu_sans_ecriture_n_est_pas_recalcule():
    p = equipe()
    appels, calcul = _compteur()
    assert memoire.memoriser("essai", "/a", p["national"], calcul) == 1
    assert memoire.memoriser("essai", "/a", p["national"], calcul) == 1
    assert len(appels) == 1


def test_une_ecriture_journalisee_change_la_version_et_le_resultat_est_recalcule():
    p = equipe()
    appels, calcul = _compteur()
    avant = memoire.version()
    memoire.memoriser("essai", "/a", p["national"], calcul)
    fiche(p["chef"], titre="Banc d'essai partagé")
    assert memoire.version() > avant
    assert memoire.memoriser("essai", "/a", p["national"], calcul) == 2


def test_chaque_lecteur_a_son_propre_resultat_a_la_meme_cle():
    p = equipe()
    vus = [
        memoire.memoriser("essai", "/a", u, lambda u=u: u.email) for u in (p["national"], p["chef"])
    ]
    assert vus == [p["national"].email, p["chef"].email]


def test_un_resultat_calcule_sous_le_secret_marque_la_reponse_qui_le_relit():
    p = equipe()

    def sous_le_secret():
        secrets.marquer_reponse()
        return 42

    for _ in range(2):  # computed, then read again
        marque, jeton = secrets.suivre_reponse()
        try:
            assert memoire.memoriser("essai", "/s", p["national"], sous_le_secret) == 42
        finally:
            secrets.fin_de_reponse(jeton)
        assert marque.secrets


def test_un_resultat_sans_secret_ne_marque_pas_la_reponse():
    p = equipe()
    marque, jeton = secrets.suivre_reponse()
    try:
        memoire.memoriser("essai", "/p", p["national"], lambda: 1)
        memoire.memoriser("essai", "/p", p["national"], lambda: 1)
    finally:
        secrets.fin_de_reponse(jeton)
    assert not marque.secrets


def test_une_nouvelle_edition_du_code_ne_relit_pas_ce_que_l_ancienne_a_calcule(monkeypatch):
    p = equipe()
    appels, calcul = _compteur()
    memoire.memoriser("essai", "/a", p["national"], calcul)
    monkeypatch.setattr(memoire, "edition", lambda: "une-autre-edition")
    assert memoire.memoriser("essai", "/a", p["national"], calcul) == 2


def test_l_edition_change_quand_un_gabarit_change(settings, tmp_path):
    (tmp_path / "page.html").write_text("<p>avant</p>")
    settings.BASE_DIR = tmp_path
    memoire.edition.cache_clear()
    try:
        avant = memoire.edition()
        memoire.edition.cache_clear()
        (tmp_path / "page.html").write_text("<p>après, plus long</p>")
        assert memoire.edition() != avant
    finally:
        memoire.edition.cache_clear()


def test_un_chargement_du_referentiel_change_la_version():
    """A load of the referential is written outside the journal: it moves the version too."""
    from referentiel.models import ImportReferentiel

    equipe()
    avant = memoire.version()
    ImportReferentiel.objects.create(millesime="2099", empreinte="0" * 64)
    assert memoire.version() != avant
