"""The forms of the pages show the labels and help texts their own code gives them, whatever
it sets after the form is built (the design system's base form used to freeze them)."""

import importlib
import pkgutil
import re

import pytest
from dsfr.forms import DsfrBaseForm as DsfrDeLaBibliotheque

import www
from www.commun.formulaires import DsfrBaseForm

from .test_fiches_pages import creer, monde  # noqa: F401  (the fixture)
from .test_pages import texte

pytestmark = pytest.mark.django_db


def _labels(html: str) -> list[str]:
    return [texte(x) for x in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)]


def test_le_champ_de_connexion_dit_adresse_electronique(client):
    labels = _labels(client.get("/connexion/").content.decode())
    assert any(x.startswith("Adresse électronique") for x in labels), labels
    assert not any("Username" in x or "Nom d’utilisateur" in x for x in labels)


def test_la_page_soumettre_montre_l_aide_de_son_propre_formulaire(client, monde):  # noqa: F811
    fiche = creer(monde)
    client.force_login(monde["chef"])
    vu = texte(client.get(f"/fiches/{fiche.uuid}/mouvement/soumettre/").content.decode())
    # Without an opinion, the reason is optional: the help text set after the form was built.
    assert "Facultatif : ce qui motive ce mouvement." in vu
    assert "Obligatoire quand la fiche est à retravailler" not in vu


def test_chaque_formulaire_des_pages_derive_de_la_base_du_site():
    for mod in pkgutil.walk_packages(www.__path__, "www."):
        if ".tests" not in mod.name:
            importlib.import_module(mod.name)

    def sous_classes(cls):
        for c in cls.__subclasses__():
            yield c
            yield from sous_classes(c)

    directes = [
        c.__module__ + "." + c.__qualname__
        for c in sous_classes(DsfrDeLaBibliotheque)
        if c.__module__.startswith("www.") and not issubclass(c, DsfrBaseForm)
    ]
    assert directes == []
