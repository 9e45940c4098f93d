"""Grants decided between public bodies, in the national schema of public subsidies: SCDL
« subventions » 1.1 (OpenDataFrance, schema.data.gouv.fr). Its Table Schema is written here
from the schema's published field list (opendata/PROVENANCE.md), not fetched.

A row is a line « accordé » of a contracted fiche whose funder and bearer are both public
bodies (comptes.enums.TYPES_PUBLICS), its amount not secret, and both with a SIRET (the
schema's identifier): a body without a SIRET is counted apart (`sans_siret`) for the page to
say so, never given a made-up one."""

from __future__ import annotations

from django.db.models import F, Prefetch

from comptes.enums import TYPES_PUBLICS
from comptes.secrets import est_secret
from fiches.enums import StatutLigne
from fiches.models import LigneFinancement
from financements.models import Engagement, Paiement

from .contractualise import fiches_publiques
from .fichiers import Fichier, champ
from .sources import PLATEFORME, SCDL_SUBVENTIONS

SIRET = r"^\d{14}$"
OBJET_MAX = 255
PROGRAMME = "Territoires d'industrie"


def lignes_publiques():
    """The granted lines between public bodies of the contracted fiches (own money aside)."""
    return (
        LigneFinancement.objects.filter(
            fiche__in=fiches_publiques().values("pk"),
            statut=StatutLigne.ACCORDE,
            financeur__type__in=TYPES_PUBLICS,
            fiche__porteur__type__in=TYPES_PUBLICS,
        )
        .exclude(financeur_id=F("fiche__porteur_id"))
        .select_related("fiche__territoire", "fiche__porteur", "financeur")
        .prefetch_related(
            Prefetch(
                "engagements",
                queryset=Engagement.objects.order_by("date", "id").prefetch_related(
                    Prefetch("paiements", queryset=Paiement.objects.order_by("date", "id"))
                ),
            )
        )
        .order_by("decide_le", "id")
    )


def publiable(li: LigneFinancement) -> bool:
    return not est_secret(li, "montant") and bool(li.financeur.siret and li.fiche.porteur.siret)


def _versements(li: LigneFinancement) -> tuple[str, str]:
    """(conditionsVersement, datesPeriodeVersement): from the payments recorded, else the
    fiche's schedule, else the day of the decision."""
    dates = [p.date for e in li.engagements.all() for p in e.paiements.all()]
    if len(dates) == 1:
        return "unique", dates[0].isoformat()
    if dates:
        return "échelonné", f"{min(dates).isoformat()}/{max(dates).isoformat()}"
    f = li.fiche
    debut, fin = f.date_debut or li.decide_le, f.date_fin
    if fin and fin >= debut:
        return "unique", f"{debut.isoformat()}/{fin.isoformat()}"
    return "unique", li.decide_le.isoformat()


def ligne_scdl(li: LigneFinancement) -> dict:
    engagements = list(li.engagements.all())
    convention = engagements[0] if engagements else None
    conditions, periode = _versements(li)
    objet = f"{PROGRAMME} {li.fiche.reference} : {li.fiche.titre}"
    return {
        "nomAttribuant": li.financeur.nom,
        "idAttribuant": li.financeur.siret,
        "dateConvention": convention.date if convention else li.decide_le,
        "referenceDecision": (convention.reference or convention.convention)
        if convention
        else None,
        "nomBeneficiaire": li.fiche.porteur.nom,
        "idBeneficiaire": li.fiche.porteur.siret,
        "objet": objet[:OBJET_MAX],
        "montant": li.montant,
        "nature": "aide en numéraire",
        "conditionsVersement": conditions,
        "datesPeriodeVersement": periode,
        "idRAE": None,
        "notificationUE": "non",  # the schema's lexical form
        "pourcentageSubvention": 1,
    }


def _lignes():
    for li in lignes_publiques():
        if publiable(li):
            yield ligne_scdl(li)


def sans_siret() -> int:
    """Granted lines between public bodies left out for want of a SIRET."""
    return sum(
        1
        for li in lignes_publiques()
        if not est_secret(li, "montant") and not (li.financeur.siret and li.fiche.porteur.siret)
    )


SUBVENTIONS = Fichier(
    nom="subventions-scdl",
    titre="Subventions entre personnes publiques (SCDL « subventions »)",
    description="Les aides accordées par un financeur public à un porteur public pour une "
    "fiche-action inscrite, au format national des données essentielles des subventions. "
    "N'y figurent que les organismes dont le SIRET est connu, et aucun montant secret.",
    champs=[
        champ("nomAttribuant", "string", "Nom de l'attribuant", requis=True),
        champ("idAttribuant", "string", "SIRET de l'attribuant", requis=True, pattern=SIRET),
        champ("dateConvention", "date", "Date de la convention", requis=True),
        champ("referenceDecision", "string", "Référence de la décision"),
        champ("nomBeneficiaire", "string", "Nom du bénéficiaire", requis=True),
        champ("idBeneficiaire", "string", "SIRET du bénéficiaire", requis=True, pattern=SIRET),
        champ("objet", "string", "Objet de la subvention", requis=True, maxLength=OBJET_MAX),
        champ("montant", "number", "Montant total de la subvention", requis=True),
        champ(
            "nature",
            "string",
            "Nature de la subvention",
            requis=True,
            enum=[
                "aide en numéraire",
                "aide en nature",
                "aide en numéraire;aide en nature",
                "aide en nature;aide en numéraire",
            ],
        ),
        champ(
            "conditionsVersement",
            "string",
            "Conditions de versement",
            requis=True,
            maxLength=OBJET_MAX,
        ),
        champ(
            "datesPeriodeVersement",
            "string",
            "Date ou période de versement",
            requis=True,
            pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(/[0-9]{4}-[0-9]{2}-[0-9]{2})?$",
        ),
        champ("idRAE", "string", "Numéro unique RAE"),
        champ(
            "notificationUE",
            "boolean",
            "Aide d'État notifiée à la Commission européenne",
            requis=True,
            trueValues=["oui"],
            falseValues=["non"],
        ),
        champ(
            "pourcentageSubvention",
            "number",
            "Part de la subvention attribuée au bénéficiaire",
            requis=True,
            minimum=0,
            maximum=1,
        ),
    ],
    lignes=_lignes,
    sources=[PLATEFORME, SCDL_SUBVENTIONS],
    schema_extra={
        "name": "scdl-subventions",
        "title": "Schéma SCDL Subventions 1.1, écrit d'après la liste publiée de ses champs",
        "homepage": SCDL_SUBVENTIONS["path"],
    },
)
