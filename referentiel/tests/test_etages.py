"""The floors of docs/adr/0002: each app imports only the floors below it (and itself), never a
floor above nor one beside it, whether at the top of a module, inside a function, or by a
model's name given to `apps.get_model`. Tests and migrations aside."""

import ast
from pathlib import Path

from django.conf import settings

ETAGES = {
    "exploitation": 1,
    "referentiel": 1,
    "territoires": 2,
    "comptes": 3,
    "mesures": 4,
    "gouvernance": 4,
    "actualites": 4,
    "fiches": 5,
    "contrats": 6,
    "financements": 6,
    "suivi": 7,
    "evaluations": 8,
    "opendata": 8,
    "notifications": 9,
    "api": 10,
    "www": 10,
    "demo": 10,
}


def _modules(app: str):
    for chemin in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
        parties = chemin.relative_to(settings.BASE_DIR).parts
        if "tests" not in parties and "migrations" not in parties:
            yield chemin


def _cibles(chemin: Path):
    """(line, app) of every project app this module reaches."""
    for noeud in ast.walk(ast.parse(chemin.read_text(), str(chemin))):
        if isinstance(noeud, ast.Import):
            for alias in noeud.names:
                yield noeud.lineno, alias.name.split(".")[0]
        elif isinstance(noeud, ast.ImportFrom) and noeud.level == 0 and noeud.module:
            yield noeud.lineno, noeud.module.split(".")[0]
        elif (
            isinstance(noeud, ast.Call)
            and getattr(noeud.func, "attr", "") == "get_model"
            and noeud.args
            and isinstance(noeud.args[0], ast.Constant)
        ):
            yield noeud.lineno, str(noeud.args[0].value).split(".")[0]


def test_chaque_application_n_importe_que_les_etages_inferieurs():
    fautes = []
    for app, etage in ETAGES.items():
        for chemin in _modules(app):
            for ligne, cible in _cibles(chemin):
                if cible in ETAGES and cible != app and ETAGES[cible] >= etage:
                    fautes.append(f"{chemin.relative_to(settings.BASE_DIR)}:{ligne} → {cible}")
    assert fautes == []


def test_la_demonstration_ne_vit_que_dans_demo():
    """Demo content is loaded by `demo/` alone: no domain app carries a demo module."""
    domaine = [app for app, etage in ETAGES.items() if etage < ETAGES["demo"]]
    modules = [c.relative_to(settings.BASE_DIR) for app in domaine for c in _modules(app)]
    assert [str(c) for c in modules if "demo" in c.stem] == []
