"""The figures of the dashboards, laid out from what suivi.tableaux computes: titles, columns,
rows. Each builder takes the dashboard's `Tableau` (and the page's choices) and returns one
figure; a dashboard is a list of sections of builders (views.py)."""

from __future__ import annotations

from django.urls import reverse

from contrats import suivi as deploiement
from suivi import tableaux

from .figures import Figure, figure

EN_POURCENT = "Part des territoires (%)"


def _part(n: int, total: int):
    return round(100 * n / total, 1) if total else None


# --- Deployment ------------------------------------------------------------------------------


def deploiement_etapes(t: tableaux.Tableau, choix: dict) -> Figure:
    return figure(
        "deploiement-etapes",
        "Étapes du déploiement franchies",
        [("Étape", "texte"), ("Territoires", "entier"), (EN_POURCENT, "pourcent")],
        [(label, n, _part(n, total)) for label, n, total in t.etapes_deploiement],
        series=(2,),
        horizontal=True,
        description=(
            f"Sur {t.synthese.get('territoires', 0)} territoires, ceux qui ont franchi chaque "
            "étape attendue du déploiement."
        ),
    )


def deploiement_regions(t: tableaux.Tableau, choix: dict) -> Figure:
    regions = t.regions
    return figure(
        "deploiement-regions",
        "Déploiement par région",
        [
            ("Région", "texte"),
            ("Territoires", "entier"),
            ("Contrats signés", "entier"),
            ("Territoires en retard", "entier"),
        ],
        [(r.nom, len(r.territoires), r.contrats_signes, len(r.en_retard)) for r in regions],
        series=(1, 2),
        liens=[reverse("tableaux:region", args=[r.code]) + _phase_query(choix) for r in regions],
        description="Un territoire interrégional compte dans chacune de ses régions.",
    )


def deploiement_territoires(t: tableaux.Tableau, choix: dict) -> Figure:
    lignes = sorted(t.deploiement, key=lambda d: (d.phase, d.code))
    return figure(
        "deploiement-territoires",
        "Déploiement par territoire",
        [
            ("Territoire", "texte"),
            ("Contrat", "texte"),
            ("Fiches retenues ou inscrites", "entier"),
            ("Manque", "texte"),
        ],
        [
            (
                f"{d.code} {d.nom}",
                deploiement.libelle_document(d.contrat),
                sum(d.fiches.get(e, 0) for e in tableaux.RETENUES),
                ", ".join(d.manques) or "—",
            )
            for d in lignes
        ],
        graphique="",
        liens=[reverse("tableaux:territoire", args=[d.phase, d.code]) for d in lignes],
    )


def deploiement_territoire(t: tableaux.Tableau, choix: dict) -> Figure:
    d = t.deploiement[0] if t.deploiement else None
    lignes = []
    if d is not None:
        lignes = [
            ("Binôme élu-industriel", "identifié" if d.binome else "à identifier"),
            ("Référent de l'État", "désigné" if d.referent_etat else "à désigner"),
            ("Référent d'un opérateur", "désigné" if d.referent_operateur else "à désigner"),
            ("Référent de la Région", "désigné" if d.referent_region else "à désigner"),
            ("Chef de projet", deploiement.libelle_chef_projet(d)),
            ("Comité de projet local", "réuni" if d.comite_local else "pas encore réuni"),
            ("Protocole d'accord", deploiement.libelle_document(d.protocole)),
            ("Contrat", deploiement.libelle_document(d.contrat)),
            ("Contrat signé le", d.contrat_signe_le),
            ("Avenants signés", d.avenants_signes),
        ]
    return figure(
        "deploiement-territoire",
        "Étapes du déploiement",
        [("Étape", "texte"), ("État", "texte")],
        lignes,
        graphique="",
        description=("Manque : " + ", ".join(d.manques) + ".") if d and d.manques else "",
    )


# --- Fiches ----------------------------------------------------------------------------------


def fiches_etapes(t: tableaux.Tableau, choix: dict) -> Figure:
    return figure(
        "fiches-etapes",
        "Fiches-actions par étape",
        [("Étape", "texte"), ("Fiches-actions", "entier")],
        t.fiches_par_etape,
        horizontal=True,
        description="Chaque fiche à l'étape où elle se trouve aujourd'hui dans son parcours.",
    )


def fiches_classement(t: tableaux.Tableau, choix: dict) -> Figure:
    nom = {1: "axe", 2: "priorité"}.get(t.echelle.phase, "axe ou priorité")
    return figure(
        "fiches-classement",
        f"Fiches-actions par {nom}",
        [(nom.capitalize(), "texte"), *[(label, "entier") for _, label, _ in tableaux.ISSUES]],
        [(label, *n) for label, n in t.fiches_par_classement],
        series=tuple(range(1, len(tableaux.ISSUES) + 1)),
        empile=True,
    )


# --- Indicators ------------------------------------------------------------------------------


def indicateurs(t: tableaux.Tableau, choix: dict) -> Figure:
    liste = t.indicateurs
    return figure(
        "indicateurs",
        "Indicateurs des fiches-actions",
        [
            ("Indicateur", "texte"),
            ("Unité", "texte"),
            ("Territoires", "entier"),
            ("Fiches-actions", "entier"),
            ("Cible", "nombre"),
            ("Dernière mesure", "nombre"),
            ("Atteinte de la cible (%)", "pourcent"),
        ],
        [
            (i.libelle, i.unite, len(i.territoires), len(i.fiches), i.cible, i.mesure, i.atteinte)
            for i in liste
        ],
        series=(6,),
        horizontal=True,
        description=(
            "Cibles et dernières mesures additionnées (moyennées pour un taux) ; l'atteinte "
            "compare les indicateurs qui ont une cible et une mesure."
        ),
    )


def indicateur_comparaison(t: tableaux.Tableau, choix: dict) -> Figure:
    ind = t.indicateur_compare(choix.get("indicateur"))
    titre = "Comparaison entre territoires"
    lignes = []
    if ind is not None:
        titre = f"{ind.libelle} ({ind.unite}) : comparaison entre territoires"
        for x in ind.par_territoire:
            lignes.append(
                (f"{x.code} {x.nom}", len(x.fiches), x.cible, x.mesure, x.mesure_le, x.atteinte)
            )
    return figure(
        "indicateur-comparaison",
        titre,
        [
            ("Territoire", "texte"),
            ("Fiches-actions", "entier"),
            ("Cible", "nombre"),
            ("Dernière mesure", "nombre"),
            ("Mesurée le", "date"),
            ("Atteinte de la cible (%)", "pourcent"),
        ],
        lignes,
        series=(2, 3),
        description="Les territoires dont des fiches suivent le même indicateur.",
    )


# --- Map -------------------------------------------------------------------------------------


def carte(t: tableaux.Tableau, choix: dict) -> Figure:
    cle = choix.get("carte") or tableaux.FIGURE_CARTE_DEFAUT
    cle = cle if cle in tableaux.FIGURES_CARTE else tableaux.FIGURE_CARTE_DEFAUT
    label, fmt = tableaux.FIGURES_CARTE[cle]
    points = t.carte(cle)
    return figure(
        "carte",
        f"Carte : {label.lower()} par territoire",
        [("Territoire", "texte"), (label, fmt)],
        [(f"{p.code} {p.nom}", p.valeur) for p in points],
        graphique="",
        cles=[p.code for p in points],
        liens=[reverse("tableaux:territoire", args=[p.phase, p.code]) for p in points],
    )


def _phase_query(choix: dict) -> str:
    return f"?phase={choix['phase']}" if choix.get("phase") else ""
