"""For the national delegation only: the aid granted to each firm under the EU state-aid
rules, de minimis or under the block exemption (RGEC), in the fields the EU's transparency
publication asks for, to feed the national register of aid. Never in the public package.

A firm's amount is an industrial secret that the national delegation does not read on any
other page (comptes.permissions.peut_lire_secrets). The register is the one channel where
the law asks for it (Regulation (EU) 2023/2831 art. 6, Regulation (EU) 651/2014 art. 9): each
secret amount it gives is logged as a read (comptes.secrets.journaliser, channel
« registre »), which the territory's team sees in its log (docs/adr/0016)."""

from __future__ import annotations

import csv
import io
from datetime import date as Date

from django.db.models import F, Q
from openpyxl import Workbook

from comptes.enums import TypeOrganisation
from comptes.permissions import exiger, portee
from comptes.secrets import est_secret, journaliser, marquer_reponse
from fiches.enums import StatutLigne
from fiches.models import LigneFinancement

from .fichiers import texte

MINIMIS_2024 = Date(2024, 1, 1)
REFUS = "Le registre des aides aux entreprises est réservé à la délégation nationale."
COLONNES = [
    ("id_beneficiaire", "Identifiant du bénéficiaire (SIREN)"),
    ("nom_beneficiaire", "Nom du bénéficiaire"),
    ("region_code", "Région du bénéficiaire (code INSEE)"),
    ("region", "Région du bénéficiaire"),
    ("secteur", "Secteur d'activité (déclaré)"),
    ("instrument", "Instrument d'aide"),
    ("regime", "Régime d'aide"),
    ("objectif", "Objectif de l'aide"),
    ("date_octroi", "Date d'octroi"),
    ("montant_nominal", "Montant nominal (€)"),
    ("autorite_octroi", "Autorité d'octroi"),
    ("autorite_octroi_siren", "SIREN de l'autorité d'octroi"),
    ("reference_fiche", "Fiche-action"),
    ("territoire_code", "Territoire"),
]


def peut_lire(user) -> bool:
    return portee(user).national


def regime(li: LigneFinancement) -> str:
    if li.de_minimis:
        reglement = "2023/2831" if li.decide_le >= MINIMIS_2024 else "1407/2013"
        return f"de minimis (règlement (UE) {reglement})"
    return "exemption par catégorie (RGEC, règlement (UE) n° 651/2014)"


def _aides():
    return (
        LigneFinancement.objects.filter(
            Q(de_minimis=True) | Q(mesure__exclut_entreprises_en_difficulte=True),
            statut=StatutLigne.ACCORDE,
            fiche__porteur__type=TypeOrganisation.ENTREPRISE,
        )
        .exclude(financeur_id=F("fiche__porteur_id"))
        .select_related(
            "fiche__territoire",
            "fiche__porteur__region",
            "fiche__porteur__commune__region",
            "fiche__porteur__profil_entreprise",
            "financeur",
            "mesure",
        )
        .order_by("fiche__porteur__siren", "decide_le", "id")
    )


def _ligne(li: LigneFinancement) -> dict:
    firme = li.fiche.porteur
    region = firme.region or (firme.commune.region if firme.commune_id else None)
    profil = getattr(firme, "profil_entreprise", None)
    return {
        "id_beneficiaire": firme.siren,
        "nom_beneficiaire": firme.nom,
        "region_code": region.pk if region else None,
        "region": region.nom if region else None,
        "secteur": (profil.activite if profil else "") or None,
        "instrument": "Subvention",
        "regime": regime(li),
        "objectif": li.mesure.nom if li.mesure_id else li.fiche.titre,
        "date_octroi": li.decide_le,
        "montant_nominal": li.montant,
        "autorite_octroi": li.financeur.nom,
        "autorite_octroi_siren": li.financeur.siren or None,
        "reference_fiche": li.fiche.reference,
        "territoire_code": li.fiche.territoire.code,
    }


def aides(user) -> list[dict]:
    """The register's rows; refused (404 on pages) to anyone but the national delegation."""
    exiger(peut_lire(user), REFUS)
    out = []
    for li in _aides():
        if est_secret(li, "montant"):
            marquer_reponse()  # never kept by a cache
            journaliser(
                user, li, ["montant"], canal="registre", territoires={li.fiche.territoire_id}
            )
        out.append(_ligne(li))
    return out


def en_csv(lignes: list[dict]) -> bytes:
    tampon = io.StringIO()
    w = csv.writer(tampon, lineterminator="\n")
    w.writerow([c for c, _ in COLONNES])
    for ligne in lignes:
        w.writerow([texte(ligne[c]) for c, _ in COLONNES])
    return tampon.getvalue().encode("utf-8")


def en_xlsx(lignes: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Aides aux entreprises"
    ws.append([libelle for _, libelle in COLONNES])
    for ligne in lignes:
        ws.append([ligne[c] for c, _ in COLONNES])
    tampon = io.BytesIO()
    wb.save(tampon)
    return tampon.getvalue()
