"""Benchmark of the fiches-actions spreadsheet (fiches.tableur): import, re-import, export.

    python bench/bench_fiches.py

Prints figures and asserts nothing. Runs on a throwaway SQLite database of its own, created in
a temporary directory and deleted at the end (db.sqlite3 is never touched), with the
development settings, like bench/bench.py: migrations, referential, official phase-1 map
(148 territories). Then one account, chef de projet of every territory, and the organisations
of a realistic file: for each territory its first intercommunality and two firms, the Régions
and the national operators as funders. The generated workbook holds 5,000 new fiches spread
over the 148 territories, 1 to 3 financing lines and 0 to 2 indicators each. It is imported
(through fiches.services, as a person would), imported again (nothing changes), everything is
exported (the firms' fiches are secret: each read is logged) and the export imported back.
DEBUG is turned off, as in production. Times vary with the machine.
"""

from __future__ import annotations

import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PHASE_1_FILE = BASE_DIR / "data" / "territoires" / "territoires-industrie-2019-communes.csv"
PHASE_1_DATE = date(2018, 11, 22)
N_FICHES = 5000
EMAIL = "chef.partout@bench.ti"
GRAINE = 2019  # the same file at each run
# The whole run stays under three minutes: the last step (the export imported back, a bonus)
# is skipped when it would not fit.
LIMITE = 170

TITRES = {
    "attirer": [
        "Offre foncière industrielle clés en main",
        "Diagnostic d'attractivité du territoire",
        "Marque territoriale et accueil des salariés",
    ],
    "recruter": [
        "Campus des métiers de l'industrie",
        "Plateforme mutualisée de recrutement",
        "Mobilité des salariés vers les zones d'activité",
    ],
    "innover": [
        "Ligne pilote de fabrication additive",
        "Centre d'essais mutualisé pour les PME",
        "Décarbonation des procédés de chauffe",
    ],
    "simplifier": [
        "Accélérer les autorisations d'extension de sites",
        "Guichet unique pour les porteurs de projets",
    ],
}


def fr(value: float, decimals: int = 0) -> str:
    """French number: space between thousands, comma before decimals."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


# --- The platform underneath ----------------------------------------------------------------


def preparer_base() -> float:
    from django.core.management import call_command

    from referentiel.importer import importer as import_referential
    from territoires.importer import importer as import_territories
    from territoires.models import Instance, Phase

    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    import_referential()
    import_territories(
        PHASE_1_FILE, phase=Phase.objects.get(pk=1), date=PHASE_1_DATE, instance=Instance.CNI
    )
    return time.perf_counter() - start


def creer_chef_partout():
    """One account, chef de projet of every territory: it may create fiches anywhere."""
    from comptes.enums import Role
    from comptes.models import Designation, Personne, Utilisateur
    from territoires.models import Territoire

    user = Utilisateur.objects.create_user(EMAIL, "Un-mot-de-passe-solide-2026")
    p = Personne.objects.create(prenom="Cheffe", nom="Partout", email=EMAIL, compte=user)
    Designation.objects.bulk_create(
        Designation(personne=p, role=Role.CHEF_PROJET, territoire=t, date_debut=date(2019, 1, 1))
        for t in Territoire.objects.filter(phase_id=1)
    )
    return Utilisateur.objects.get(pk=user.pk)


def siren(base: str) -> str:
    from referentiel.validators import luhn_ok

    return next(base + str(k) for k in range(10) if luhn_ok(base + str(k)))


def creer_organisations() -> dict:
    """Per territory: its first intercommunality, two firms, its Région; national operators."""
    from comptes.enums import TypeOrganisation as T
    from comptes.models import Organisation
    from referentiel.models import Region
    from territoires.models import Territoire

    regions = {
        r.code: Organisation(nom=f"Région {r.nom}", type=T.REGION, region=r)
        for r in Region.objects.all()
    }
    Organisation.objects.bulk_create(regions.values())
    premieres = _premieres_communes()
    epcis, firmes, par_territoire = {}, [], {}
    for t in Territoire.objects.filter(phase_id=1).order_by("code"):
        commune, epci, nom, region = premieres[t.pk]
        if epci not in epcis:
            # Names are how the file designates bearers: keep them unique.
            nom = nom if all(o.nom != nom for o in epcis.values()) else f"{nom} ({epci})"
            epcis[epci] = Organisation(nom=nom, type=T.EPCI, epci_id=epci, siren=epci)
        locales = [
            Organisation(
                nom=f"Entreprise {t.code}-{n}",
                type=T.ENTREPRISE,
                siren=siren(f"7{t.code}{n:03d}"),
                commune_id=commune,
            )
            for n in (1, 2)
        ]
        firmes += locales
        par_territoire[t.code] = {"epci": epcis[epci], "firmes": locales, "region": regions[region]}
    Organisation.objects.bulk_create([*epcis.values(), *firmes])
    operateurs = list(Organisation.objects.filter(type=T.OPERATEUR).order_by("nom"))
    return {"territoires": par_territoire, "operateurs": operateurs}


def _premieres_communes() -> dict[int, tuple]:
    """For each territory, its first commune that belongs to an intercommunality."""
    from territoires.models import Perimetre

    premieres: dict[int, tuple] = {}
    rows = (
        Perimetre.objects.filter(
            date_fin__isnull=True, territoire__phase_id=1, commune__epci__isnull=False
        )
        .order_by("territoire_id", "commune_id")
        .values_list(
            "territoire_id",
            "commune_id",
            "commune__epci_id",
            "commune__epci__nom",
            "commune__region_id",
        )
    )
    for t, commune, epci, nom, region in rows:
        premieres.setdefault(t, (commune, epci, nom, region))
    return premieres


# --- The file -------------------------------------------------------------------------------


def generer_classeur(orgs: dict) -> tuple[bytes, int, int]:
    """5,000 new fiches over the 148 territories; returns (workbook, lines, indicators)."""
    from openpyxl import Workbook

    from fiches.tableur import COLONNES
    from mesures.models import Mesure

    rng = random.Random(GRAINE)
    mesures = list(Mesure.objects.values_list("nom", flat=True))
    codes = sorted(orgs["territoires"])
    wb = Workbook(write_only=True)
    feuilles = {nom: wb.create_sheet(nom) for nom in COLONNES}
    for nom, ws in feuilles.items():
        ws.append(COLONNES[nom])
    n_lignes = n_indicateurs = 0
    for i in range(1, N_FICHES + 1):
        code = codes[i % len(codes)]
        local = orgs["territoires"][code]
        fiche, lignes, indicateurs = _fiche(rng, i, code, local, orgs["operateurs"], mesures)
        feuilles["Fiches"].append([fiche.get(c) for c in COLONNES["Fiches"]])
        for row in lignes:
            feuilles["Financements"].append([row.get(c) for c in COLONNES["Financements"]])
        for row in indicateurs:
            feuilles["Indicateurs"].append([row.get(c) for c in COLONNES["Indicateurs"]])
        n_lignes += len(lignes)
        n_indicateurs += len(indicateurs)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), n_lignes, n_indicateurs


def _fiche(rng, i, code, local, operateurs, mesures):
    """One fiche of the file, with its lines and indicators (rows of the three sheets)."""
    axe = rng.choice(list(TITRES))
    # Most fiches are borne by the intercommunality, one in four by a firm of the territory.
    porteur = rng.choice([*[local["epci"]] * 6, *local["firmes"]])
    ref = f"nouvelle-{i}"
    debut = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 1500))
    montants = [rng.randrange(10, 500) * 1000 for _ in range(rng.randint(1, 3))]
    fiche = {
        "Référence": ref,
        "Phase": 1,
        "Territoire": code,
        "Titre": f"{rng.choice(TITRES[axe])} n° {i}",
        "Axe": axe,
        "Contexte et objectifs": "Renforcer l'industrie du territoire et ses emplois.",
        "Description": f"Action {i} portée par {porteur.nom}.",
        "Porteur": porteur.nom,
        "Partenaires": " ; ".join(
            o.nom for o in rng.sample([local["region"], *local["firmes"]], 2)
        ),
        "Périmètre": "Tout le territoire",
        "Collective": "oui" if porteur is local["epci"] else "non",
        "Maturité": rng.choice(["Idée", "En émergence", "Mature", "Prêt à démarrer"]),
        "Début": debut,
        "Fin": debut + timedelta(days=rng.randrange(180, 1500)),
        "Coût total (€)": sum(montants),
        "Mesures": rng.choice(mesures) if rng.random() < 0.4 else "",
    }
    if axe == "simplifier":
        fiche.update(
            Problème="Les délais d'instruction retardent les projets.",
            Proposition="Groupe de travail",
        )
    financeurs = [local["region"], rng.choice(operateurs), porteur]
    firme = porteur in local["firmes"]
    return fiche, _lignes(rng, ref, financeurs, montants, mesures, firme), _indicateurs(rng, ref)


def _lignes(rng, ref, financeurs, montants, mesures, firme) -> list[dict]:
    """The Région, an operator, the bearer itself: as many lines as amounts."""
    return [
        {
            "Référence": ref,
            "Financeur": financeurs[k].nom,
            "Section": rng.choice(["fonctionnement", "investissement"]),
            "Mesure": rng.choice(mesures) if k == 1 and rng.random() < 0.3 else "",
            "Montant (€)": montant,
            "De minimis": "oui" if firme and k == 1 else "non",
        }
        for k, montant in enumerate(montants)
    ]


def _indicateurs(rng, ref) -> list[dict]:
    choix = [("Emplois créés ou maintenus", "emplois"), ("Personnes formées", "personnes")]
    return [
        {"Référence": ref, "Indicateur": nom, "Unité": unite, "Cible": rng.randrange(5, 200)}
        for nom, unite in choix[: rng.randint(0, 2)]
    ]


# --- Runs -----------------------------------------------------------------------------------


def fiches_secretes() -> int:
    """Fiches with secret fields: the firms' (fiches.services makes them secret by default)."""
    from fiches.models import FicheAction

    return FicheAction.objects.exclude(champs_secrets=[]).count()


def resultat(rapport) -> str:
    comptes = [
        (len(rapport.crees), "créées"),
        (len(rapport.modifies), "modifiées"),
        (rapport.inchanges, "inchangées"),
    ]
    return ", ".join(f"{fr(n)} {mot}" for n, mot in comptes if n) or "rien"


def ligne_import(titre: str, rapport) -> list[str]:
    s = rapport.secondes
    return [
        titre,
        f"{fr(s, 1)} s",
        fr(rapport.fiches / s),
        fr(rapport.financements / s),
        fr(rapport.lignes_par_seconde),
        resultat(rapport),
    ]


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    line = "  ".join("-" * w for w in widths)
    print(line)
    for i, row in enumerate([headers, *rows]):
        print(
            "  ".join(
                str(c).ljust(w) if j in (0, len(row) - 1) else str(c).rjust(w)
                for j, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if i == 0:
            print(line)
    print(line)


def run(started: float) -> None:
    from comptes.models import LectureSecret
    from fiches.selectors import fiches_visibles
    from fiches.tableur import exporter, importer

    print(f"Base : migrations, référentiel, carte de la phase 1 : {fr(preparer_base(), 1)} s.")
    user = creer_chef_partout()
    orgs = creer_organisations()
    (contenu, n_lignes, n_indicateurs), secondes = timed(generer_classeur, orgs)
    print(
        f"Classeur : {fr(N_FICHES)} fiches, {fr(n_lignes)} lignes de financement, "
        f"{fr(n_indicateurs)} indicateurs ; {fr(len(contenu) / 1024)} Ko (généré en "
        f"{fr(secondes, 1)} s)."
    )
    premier = importer(contenu, user=user)
    second = importer(contenu, user=user)
    rows = [
        ligne_import("import (création)", premier),
        ligne_import("même fichier réimporté", second),
    ]
    export, secondes = timed(exporter, user, fiches_visibles(user))
    lectures = LectureSecret.objects.filter(canal="export").count()
    rows.append(["export", f"{fr(secondes, 1)} s", fr(N_FICHES / secondes), "", "", ""])
    if time.perf_counter() - started + 1.5 * second.secondes < LIMITE:
        rows.append(ligne_import("export réimporté", importer(export, user=user)))
    else:
        rows.append(["export réimporté", "", "", "", "", "sauté (limite de 3 min)"])
    print()
    print_table(["étape", "durée", "fiches/s", "fin./s", "lignes/s", "résultat"], rows)
    print(
        f"Export : {fr(len(export) / 1024)} Ko ; {fr(fiches_secretes())} fiches d'entreprises "
        f"aux champs secrets, {fr(lectures)} lectures journalisées."
    )
    print("(fin./s : lignes de financement ; lignes/s : toutes les feuilles)")


def main() -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-fiches-") as tmp:
        # Before django.setup(): the settings read both when they are imported.
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        sys.path.insert(0, str(BASE_DIR))
        import django

        django.setup()
        import logging

        from django.conf import settings

        # As in production: the debug cursor would format and keep every SQL statement, a
        # third of the import's time, which is not the application's.
        settings.DEBUG = False

        # The importers' logs would drown the figures.
        logging.disable(logging.WARNING)
        from django.db import connections

        try:
            print("Banc de mesure — fiches-actions en tableur (base SQLite jetable, réglages dev)")
            run(started)
        finally:
            connections.close_all()
    print(f"\nDurée totale : {fr(time.perf_counter() - started, 1)} s.")


if __name__ == "__main__":
    main()
