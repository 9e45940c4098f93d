"""The one helper that runs a domain service for a page (www.commun.actions.executer): what
the service refuses comes back to the person, in French, beside the field it is about."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from comptes.services import ConflitEdition
from www.commun.actions import CONFLIT, executer, signaler


class Formulaire(forms.Form):
    titre = forms.CharField(label="Titre")
    date = forms.DateField(label="Date")


def _formulaire():
    form = Formulaire({"titre": "Usine", "date": "2024-03-01"})
    assert form.is_valid()
    return form


def _requete():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _refuse(exc):
    def service(**_):
        raise exc

    return service


def test_le_resultat_du_service_revient_quand_il_accepte():
    issue = executer(lambda *, titre: titre.upper(), titre="usine")
    assert issue and issue.resultat == "USINE" and issue.erreurs == []


def test_un_refus_par_champ_va_a_son_champ_et_le_reste_en_tete_du_formulaire():
    form = _formulaire()
    exc = ValidationError({"date": "Date dans le futur.", "axe": "Axe inconnu."})
    issue = executer(_refuse(exc), form=form)
    assert not issue
    assert issue.erreurs == ["Date dans le futur.", "Axe inconnu."]
    assert form.errors["date"] == ["Date dans le futur."]
    assert form.non_field_errors() == ["Axe inconnu."]  # no such field on this form


def test_un_refus_de_droit_sur_la_saisie_s_affiche_sans_rien_enregistrer():
    form = _formulaire()
    issue = executer(
        _refuse(PermissionDenied("Ce porteur ne peut pas porter cette fiche.")), form=form
    )
    assert form.non_field_errors() == ["Ce porteur ne peut pas porter cette fiche."]
    assert issue.erreurs == ["Ce porteur ne peut pas porter cette fiche."]


def test_une_modification_concurrente_dit_ce_qui_a_change():
    differences = [("titre", "Mon titre", "Leur titre")]
    issue = executer(_refuse(ConflitEdition(differences)), conflit_sur="cette fiche")
    assert issue.conflit.differences == differences
    assert issue.erreurs == [CONFLIT.format(objet="cette fiche")]
    assert "Quelqu'un a enregistré cette fiche pendant votre modification" in issue.erreurs[0]


def test_sans_formulaire_le_refus_est_un_message_de_la_page_suivante():
    request = _requete()
    executer(_refuse(ValidationError("La date est vide.")), request=request, prefixe="Décision : ")
    assert [str(m) for m in get_messages(request)] == ["Décision : La date est vide."]


def test_une_saisie_refusee_par_son_formulaire_est_un_message_nomme_par_son_champ():
    request = _requete()
    form = Formulaire({"titre": ""})
    assert not form.is_valid()
    signaler(request, form)
    assert [str(m) for m in get_messages(request)] == [
        "Titre : Ce champ est obligatoire.",
        "Date : Ce champ est obligatoire.",
    ]
