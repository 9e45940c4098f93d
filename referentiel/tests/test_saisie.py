"""The input rules shared by pages, API and import (referentiel.saisie), on their own."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from comptes.models import ProfilEntreprise
from fiches.models import FicheAction
from referentiel import saisie


@pytest.mark.parametrize(
    "valeur, attendu",
    [
        ("42", 42),
        (" 0042 ", 42),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),
        ("9" * 5000, None),  # not even read: Python refuses to convert such a string
        ("-1", None),
        ("abc", None),
        ("٤٢", None),  # digits, but not the ones of an address
        ("", None),
    ],
)
def test_entier_lu_dans_une_adresse(valeur, attendu):
    assert saisie.entier(valeur) == attendu


def test_texte_lignes_et_tabulations_admises_controles_refuses():
    saisie.valider_texte("Ligne 1\r\nLigne 2\tcolonne — « é » ☂")
    for texte, code in (("a\x00", "U+0000"), ("\x1b[0m", "U+001B"), ("\x85", "U+0085")):
        with pytest.raises(ValidationError) as exc:
            saisie.valider_texte(texte)
        assert code in exc.value.messages[0]


def test_dates_aux_bornes_du_programme():
    saisie.valider_date(date(2000, 1, 1))
    saisie.valider_date(date(2100, 12, 31))
    for jour in (date(1999, 12, 31), date(2101, 1, 1)):
        with pytest.raises(ValidationError, match="entre le 01/01/2000 et le 31/12/2100"):
            saisie.valider_date(jour)


def test_null_refuse_sur_les_seuls_champs_jamais_nuls():
    saisie.refuser_nuls(FicheAction, {"cout_total": None, "date_fin": None, "inconnu": None})
    with pytest.raises(ValidationError) as exc:
        saisie.refuser_nuls(FicheAction, {"titre": None, "contexte": None, "porteur": None})
    assert exc.value.message_dict == {
        "titre": [saisie.NUL],
        "contexte": [saisie.NUL_TEXTE],
        "porteur": [saisie.NUL],
    }
    with pytest.raises(ValidationError):
        saisie.refuser_nuls(ProfilEntreprise, {"champs_secrets": None})
