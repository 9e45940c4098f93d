"""The money and delay figures of the dashboards, laid out from suivi.chiffres and suivi.delais
(through suivi.tableaux). A total withheld under statistical secrecy goes into the figure as it
is: its cell shows the motif, never a number (figures.cellule)."""

from __future__ import annotations

from django.urls import reverse

from suivi import tableaux
from suivi.delais import ETAPES

from .figures import Figure, figure

EUROS = "euros"
MONTANTS = (
    ("demande", "Demandé"),
    ("accorde", "Accordé"),
    ("engage", "Engagé"),
    ("paye", "Payé"),
    ("reste_a_payer", "Reste à payer"),
)


def financements_montants(t: tableaux.Tableau, choix: dict) -> Figure:
    m = t.montants
    return figure(
        "financements-montants",
        "Montants des plans de financement",
        [("Montant", "texte"), ("Euros", EUROS)],
        [(label, getattr(m, cle)) for cle, label in MONTANTS],
        description=(
            "Demandé : les lignes des fiches soumises ; accordé : les décisions favorables des "
            "financeurs ; engagé : les engagements juridiques, moins les réductions et "
            "annulations ; payé : la somme des paiements."
        ),
    )


def financements_taux(t: tableaux.Tableau, choix: dict) -> Figure:
    m = t.montants
    return figure(
        "financements-taux",
        "Taux et effet de levier",
        [("Indicateur", "texte"), ("Valeur", "nombre"), ("Unité", "texte")],
        [
            ("Part des demandes accordée", tableaux.en_pourcent(m.taux_accord), "%"),
            ("Part de l'accordé payée", tableaux.part_payee(m), "%"),
            ("Effet de levier", m.effet_levier, "euros du plan de financement par euro public"),
        ],
        graphique="",
    )


def financements_repartition(t: tableaux.Tableau, choix: dict) -> Figure:
    par = tableaux.REPARTITION[t.echelle.niveau]
    lignes = t.repartition(par)
    liens = None
    if par == "region":
        liens = [reverse("tableaux:region", args=[li.cle]) for li in lignes]
    return figure(
        "financements-repartition",
        f"Montants par {tableaux.NOMS_REPARTITION[par]}",
        [
            (tableaux.NOMS_REPARTITION[par].capitalize(), "texte"),
            ("Demandé", EUROS),
            ("Accordé", EUROS),
            ("Engagé", EUROS),
            ("Payé", EUROS),
            ("Part payée de l'accordé (%)", "pourcent"),
        ],
        [
            (
                li.libelle,
                li.montants.demande,
                li.montants.accorde,
                li.montants.engage,
                li.montants.paye,
                tableaux.part_payee(li.montants),
            )
            for li in lignes
        ],
        series=(1, 2, 4),
        liens=liens,
        description=(
            "Une fiche d'un territoire interrégional compte dans chacune de ses régions."
            if par == "region"
            else ""
        ),
    )


def financements_financeurs(t: tableaux.Tableau, choix: dict) -> Figure:
    lignes = t.repartition("financeur")
    return figure(
        "financements-financeurs",
        "Montants par financeur",
        [
            ("Financeur", "texte"),
            ("Demandé", EUROS),
            ("Accordé", EUROS),
            ("Payé", EUROS),
            ("Part des demandes accordée (%)", "pourcent"),
        ],
        [
            (
                li.libelle,
                li.montants.demande,
                li.montants.accorde,
                li.montants.paye,
                tableaux.en_pourcent(li.montants.taux_accord),
            )
            for li in lignes
        ],
        series=(1, 2, 3),
        horizontal=True,
    )


def financements_annonces(t: tableaux.Tableau, choix: dict) -> Figure:
    lignes = t.annonces
    return figure(
        "financements-annonces",
        "Engagements annoncés des opérateurs face à leurs chiffres",
        [
            ("Opérateur", "texte"),
            ("Phase", "entier"),
            ("Annoncé", EUROS),
            ("Accordé", EUROS),
            ("Engagé", EUROS),
            ("Payé", EUROS),
            ("Part engagée de l'annoncé (%)", "pourcent"),
            ("Annonce du", "date"),
            ("Source", "texte"),
        ],
        [
            (
                a.operateur.nom,
                a.phase,
                a.annonce,
                a.montants.accorde,
                a.montants.engage,
                a.montants.paye,
                tableaux.en_pourcent(a.part_engagee),
                a.date,
                a.source,
            )
            for a in lignes
        ],
        series=(2, 4),
        description=(
            "Pour chaque opérateur et chaque phase, l'annonce la plus récente saisie par la "
            "délégation nationale, face à ce qu'il a accordé, engagé et payé dans la phase."
        ),
    )


# --- Delays ---------------------------------------------------------------------------------


def delais_etapes(t: tableaux.Tableau, choix: dict) -> Figure:
    d = t.delais
    lignes = []
    for cle, (_, _, _, label) in ETAPES.items():
        s = d.etapes.get(cle) if d else None
        lignes.append(
            (
                label,
                s.n if s else 0,
                s.mediane if s else None,
                s.p90 if s else None,
                s.hors_cible if s else 0,
            )
        )
    return figure(
        "delais-etapes",
        "Délais d'instruction, étape par étape",
        [
            ("Étape", "texte"),
            ("Lignes", "entier"),
            ("Médiane (jours)", "nombre"),
            ("Dixième le plus lent, à partir de (jours)", "nombre"),
            ("Au-delà de la cible", "entier"),
        ],
        lignes,
        series=(2, 3),
        horizontal=True,
        description=(
            "Sur les lignes de financement dont l'étape est franchie : la médiane, et le délai "
            "à partir duquel se trouvent les 10 % les plus lents."
        ),
    )


def delais_financeurs(t: tableaux.Tableau, choix: dict) -> Figure:
    lignes = t.delais_par_financeur
    etapes = [(cle, label) for cle, (_, _, _, label) in ETAPES.items()]
    return figure(
        "delais-financeurs",
        "Délai médian par financeur (jours)",
        [("Financeur", "texte"), *[(label, "nombre") for _, label in etapes]],
        [(li.libelle, *[li.etapes[cle].mediane for cle, _ in etapes]) for li in lignes],
        series=(1, 2, 3),
        horizontal=True,
    )


def delais_en_retard(t: tableaux.Tableau, choix: dict) -> Figure:
    retards = t.en_retard
    return figure(
        "delais-en-retard",
        f"Lignes au-delà de leur délai cible ({len(retards)})",
        [
            ("Fiche-action", "texte"),
            ("Financeur", "texte"),
            ("Étape attendue", "texte"),
            ("Depuis le", "date"),
            ("Jours d'attente", "entier"),
            ("Jours de retard", "entier"),
            ("Attend", "texte"),
        ],
        [
            (a.fiche_libelle, a.financeur, a.libelle_etape, a.depuis, a.jours, a.retard, a.attend)
            for a in retards[: tableaux.ATTENTES_MONTREES * 2]
        ],
        graphique="",
        liens=[
            reverse("fiches:detail", args=[a.fiche_uuid])
            for a in retards[: tableaux.ATTENTES_MONTREES * 2]
        ],
        description="Les plus en retard d'abord.",
    )


def delais_attentes(t: tableaux.Tableau, choix: dict) -> Figure:
    attentes = t.plus_longues_attentes
    return figure(
        "delais-attentes",
        "Les fiches qui attendent depuis le plus longtemps",
        [("Fiche-action", "texte"), ("Attend depuis (jours)", "entier"), ("Qui", "texte")],
        [
            (
                f"{a.fiche.reference} {a.fiche.titre}",
                a.jours,
                " ; ".join(f"{qui} ({quoi}, {jours} j)" for quoi, qui, _, jours in a.attentes),
            )
            for a in attentes
        ],
        graphique="",
        liens=[reverse("fiches:detail", args=[a.fiche.uuid]) for a in attentes],
    )
