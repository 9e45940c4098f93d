"""The programme's money as open data: demanded, granted, committed, paid and left to pay,
by territory, région, axis or priority, funder and measure, for each phase.

The figures are those of suivi.chiffres as the public sees them (the lines of the contracted
fiches, fiches.selectors.fiches_visibles of an anonymous reader), under the one rule of
statistical secrecy (comptes.secrets.totaliser, docs/adr/0007): a withheld total is an empty
cell with its reason, never recomputed here. A firm that funds another's fiche is no public
funder: its row is left out of the funders' file, so that no firm's amount appears."""

from __future__ import annotations

from comptes.enums import TypeOrganisation
from comptes.models import Organisation
from mesures.models import Mesure
from suivi.chiffres import repartition
from territoires.models import Territoire

from .carte import phases
from .contractualise import PUBLIC
from .fichiers import Fichier, champ
from .sources import PLATEFORME

FIGURES = ("demande", "accorde", "engage", "paye", "reste_a_payer")
LIBELLES = {
    "demande": "Demandé (€)",
    "accorde": "Accordé (€)",
    "engage": "Engagé (€)",
    "paye": "Payé (€)",
    "reste_a_payer": "Reste à payer (€)",
}


def _colonnes_argent() -> list[dict]:
    out = []
    for f in FIGURES:
        out.append(champ(f, "number", LIBELLES[f], "Vide si le total est retenu."))
        out.append(champ(f"{f}_secret", "string", f"{LIBELLES[f]} : motif du secret statistique"))
    return out


def _montants(m) -> dict:
    out = {}
    for f in FIGURES:
        t = getattr(m, f)
        out[f] = t.valeur
        out[f"{f}_secret"] = t.motif or None
    return out


def _lignes(par: str, cles):
    """Rows of one level, each phase in turn: `cles(keys)` names each key's columns (None:
    the row is left out)."""

    def lignes():
        for phase, _ in phases():
            rows = repartition(PUBLIC, par, phase=phase.numero)
            noms = cles([r.cle for r in rows])
            for r in rows:
                if (colonnes := noms.get(r.cle)) is not None:
                    yield {"phase": phase.numero, **colonnes, **_montants(r.montants)}

    return lignes


def _territoires(cles):
    return {
        t.pk: {"territoire_code": t.code, "territoire_nom": t.nom}
        for t in Territoire.objects.filter(pk__in=cles)
    }


def _regions(cles):
    from referentiel.models import Region

    return {
        r.pk: {"region_code": r.pk, "region_nom": r.nom} for r in Region.objects.filter(pk__in=cles)
    }


def _axes(cles):
    from mesures.enums import CHOIX_AXES_AVEC_PHASE

    noms = dict(CHOIX_AXES_AVEC_PHASE)
    return {k: {"axe": k, "axe_libelle": noms.get(k, k)} for k in cles}


def _financeurs(cles):
    return {
        o.pk: {
            "financeur_nom": o.nom,
            "financeur_type": o.get_type_display(),
            "financeur_siren": o.siren or None,
        }
        for o in Organisation.objects.filter(pk__in=cles).exclude(type=TypeOrganisation.ENTREPRISE)
    }


def _mesures(cles):
    out = {
        m.pk: {"mesure_id": m.pk, "mesure_nom": m.nom} for m in Mesure.objects.filter(pk__in=cles)
    }
    if None in cles:
        out[None] = {"mesure_id": None, "mesure_nom": "Sans mesure du panier"}
    return out


PHASE = champ("phase", "integer", "Phase du programme", requis=True)
NIVEAUX = {
    "territoire": (
        "territoires",
        "par territoire",
        [
            champ("territoire_code", "string", "Identifiant du territoire", requis=True),
            champ("territoire_nom", "string", "Nom du territoire"),
        ],
        _territoires,
        ["phase", "territoire_code"],
    ),
    "region": (
        "regions",
        "par région (un territoire interrégional compte dans chacune de ses régions)",
        [
            champ("region_code", "string", "Code INSEE de la région", requis=True),
            champ("region_nom", "string", "Région"),
        ],
        _regions,
        ["phase", "region_code"],
    ),
    "axe": (
        "axes",
        "par axe (phase 1) ou priorité (phase 2)",
        [
            champ("axe", "string", "Axe ou priorité", requis=True),
            champ("axe_libelle", "string", "Libellé"),
        ],
        _axes,
        ["phase", "axe"],
    ),
    "financeur": (
        "financeurs",
        "par financeur public ou associatif (les entreprises n'y figurent pas)",
        [
            champ("financeur_nom", "string", "Financeur", requis=True),
            champ("financeur_type", "string", "Type de financeur"),
            champ("financeur_siren", "string", "SIREN du financeur", pattern=r"^\d{9}$"),
        ],
        _financeurs,
        [],
    ),
    "mesure": (
        "mesures",
        "par mesure du panier de services",
        [
            champ("mesure_id", "integer", "Identifiant de la mesure"),
            champ("mesure_nom", "string", "Mesure", requis=True),
        ],
        _mesures,
        [],
    ),
}


def _fichier(par: str) -> Fichier:
    suffixe, quoi, cles_champs, cles, primaire = NIVEAUX[par]
    return Fichier(
        nom=f"financements-{suffixe}",
        titre=f"Financements {quoi}",
        description="Demandé, accordé, engagé, payé et reste à payer des fiches inscrites aux "
        f"contrats, {quoi}, pour chaque phase. Sous secret statistique : un total qui "
        "révélerait le montant d'une entreprise (moins de trois entreprises renseignées, ou une "
        "seule au-delà de 85 %) est vide, avec son motif. L'autofinancement d'un porteur n'est "
        "pas compté.",
        champs=[PHASE, *cles_champs, *_colonnes_argent()],
        lignes=_lignes(par, cles),
        sources=[PLATEFORME],
        cle_primaire=primaire,
    )


FICHIERS = [_fichier(par) for par in NIVEAUX]
