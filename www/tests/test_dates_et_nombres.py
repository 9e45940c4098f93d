"""Dates and numbers of the pages are typed and shown the French way whatever the browser's
language: text fields read on the server, never `type="date"` or `type="number"` (which follow
the browser). The API keeps ISO dates and JSON numbers."""

from datetime import date, time
from decimal import Decimal

import pytest
from django import forms

from referentiel import formats
from www.commun.formulaires import DATE, DsfrBaseForm


class Formulaire(DsfrBaseForm):
    jour = forms.DateField(label="Jour", widget=DATE)
    montant = forms.DecimalField(label="Montant (€)", max_digits=14, decimal_places=2)
    aide = forms.DateField(label="Fin", required=False, help_text="Laisser vide si inconnue.")
    heure = forms.TimeField(label="Heure", required=False)


@pytest.mark.parametrize(
    "texte, attendu",
    [
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1\u202f234\u202f567,5", "1234567.5"),
        ("125 000 €", "125000"),
        ("125000.50", "125000.50"),
        (" 12,5 ", "12.5"),
        ("-3,25", "-3.25"),
    ],
)
def test_un_nombre_ecrit_a_la_francaise_est_lu(texte, attendu):
    assert formats.lire_nombre(texte) == Decimal(attendu)


@pytest.mark.parametrize("texte", ["1,234.56", "1.234,56", "12,5,3", "douze", "1e5", "", ","])
def test_un_nombre_illisible_est_refuse_avec_un_message_en_francais(texte):
    with pytest.raises(ValueError) as exc:
        formats.lire_nombre(texte)
    assert str(exc.value) == formats.NOMBRE_ILLISIBLE


def test_dates_et_montants_saisis_a_la_francaise_sont_lus_par_le_formulaire():
    f = Formulaire({"jour": "14/07/2025", "montant": "1 234,56"})
    assert f.is_valid(), f.errors
    assert f.cleaned_data == {
        "jour": date(2025, 7, 14),
        "montant": Decimal("1234.56"),
        "aide": None,
        "heure": None,
    }
    # The ISO form too: links and bookmarks carry it.
    f = Formulaire({"jour": "2025-07-14", "montant": "1234.56"})
    assert f.is_valid() and f.cleaned_data["jour"] == date(2025, 7, 14)


@pytest.mark.parametrize("jour", ["07/14/2025", "14/07/25", "31/02/2025", "hier"])
def test_une_date_illisible_est_refusee_avec_le_format_attendu(jour):
    f = Formulaire({"jour": jour, "montant": "10"})
    assert not f.is_valid()
    assert f.errors["jour"] == [formats.DATE_ILLISIBLE]
    assert "jj/mm/aaaa" in formats.DATE_ILLISIBLE


def test_un_montant_illisible_est_refuse_et_reste_tel_que_saisi():
    f = Formulaire({"jour": "14/07/2025", "montant": "1,234.56"})
    assert not f.is_valid()
    assert f.errors["montant"] == [formats.NOMBRE_ILLISIBLE]
    assert 'value="1,234.56"' in str(f["montant"])


def test_les_champs_sont_des_textes_a_la_francaise_jamais_date_ni_number():
    f = Formulaire(initial={"jour": date(2025, 7, 14), "montant": Decimal("1234567.50")})
    jour, montant = str(f["jour"]), str(f["montant"])
    assert 'type="text"' in jour and 'placeholder="jj/mm/aaaa"' in jour
    assert 'value="14/07/2025"' in jour
    assert 'type="text"' in montant and 'inputmode="decimal"' in montant
    assert 'value="1\u202f234\u202f567,50"' in montant
    assert f["jour"].help_text == "Format attendu : jj/mm/aaaa."
    assert f["aide"].help_text == "Format attendu : jj/mm/aaaa. Laisser vide si inconnue."


def test_un_refus_remontre_le_montant_a_la_francaise():
    f = Formulaire({"jour": "hier", "montant": "125000.5"})
    assert not f.is_valid()
    assert 'value="125\u202f000,50"' in str(f["montant"])


@pytest.mark.parametrize("texte", ["14:15", "14h15", "14 h 15", "14h"])
def test_une_heure_s_ecrit_a_la_francaise(texte):
    f = Formulaire({"jour": "14/07/2025", "montant": "1", "heure": texte})
    assert f.is_valid(), f.errors
    assert f.cleaned_data["heure"] == (time(14, 15) if texte != "14h" else time(14))
    assert 'type="text"' in str(f["heure"]) and 'placeholder="hh:mm"' in str(f["heure"])


def test_une_heure_a_l_americaine_est_refusee_avec_le_format_attendu():
    f = Formulaire({"jour": "14/07/2025", "montant": "1", "heure": "2:15 PM"})
    assert f.errors["heure"] == [formats.HEURE_ILLISIBLE]
