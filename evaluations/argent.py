"""The money and the instruction delays of a territory in its evaluation, from the follow-up
(suivi.chiffres, suivi.delais): requested, granted, committed, paid, granted but not yet paid,
the share granted and the leverage of each public euro; the median and slowest tenth of each
step of instruction.

An evaluation goes to every party, and its figures are kept with it at each submission: they
are computed once, for a reader who sees every fiche but no firm's secret — as the national
delegation reads them (no need to know, comptes.permissions.peut_lire_secrets). A figure that
would disclose one firm is withheld with its reason (comptes.secrets.totaliser, under
suivi.chiffres), for everyone.

Summed over several territories (the national consolidation), a figure is the sum of the
territories' figures when every one of them is shown; when one of them is withheld, the sum is
withheld too: with the others known, it would give the withheld one away.
"""

from __future__ import annotations

from decimal import Decimal

from comptes.permissions import Portee
from referentiel import formats
from suivi import chiffres as suivi_chiffres
from suivi import delais as suivi_delais

MONTANTS = {
    "demande": "Demandé",
    "accorde": "Accordé",
    "engage": "Engagé",
    "paye": "Payé",
    "reste_a_payer": "Accordé, pas encore payé",
}
RATIOS = {"taux_accord": "Part accordée", "effet_levier": "Effet de levier"}
ETAPES = {nom: etape[3] for nom, etape in suivi_delais.ETAPES.items()}
MOTIF_SOMME = "retenu : le chiffre d'au moins un territoire est sous secret statistique"


class _LecteurSansSecret:
    """Reads as the national delegation does: every fiche, no firm's secret."""

    is_authenticated = True
    is_superuser = False
    pk = None
    _portee = Portee(authentifie=True, national=True)  # comptes.permissions.portee's cache


LECTEUR = _LecteurSansSecret()


def _valeur(v) -> dict:
    return {"valeur": None if v.valeur is None else str(v.valeur), "motif": v.motif}


def montants(territoire) -> dict[str, dict]:
    """{figure: {"valeur", "motif"}} of the territory in its phase, as JSON."""
    m = suivi_chiffres.montants(LECTEUR, territoire=territoire.pk, phase=territoire.phase_id)
    return {nom: _valeur(getattr(m, nom)) for nom in (*MONTANTS, *RATIOS)}


def delais(territoire) -> dict[str, dict]:
    """{step: {"n", "mediane", "p90", "hors_cible"}} of the territory's lines, in days."""
    lignes = suivi_delais.delais(LECTEUR, territoire=territoire.pk, phase=territoire.phase_id)
    if not lignes:
        return {}
    return {
        etape: {"n": s.n, "mediane": s.mediane, "p90": s.p90, "hors_cible": s.hors_cible}
        for etape, s in lignes[0].etapes.items()
    }


# --- As people read them ---------------------------------------------------------------------


def texte_montant(v: dict | None) -> str:
    if not v:
        return "—"
    if v["valeur"] is None:
        return v["motif"] or "—"
    return formats.euros(Decimal(v["valeur"]))


def texte_ratio(nom: str, v: dict | None) -> str:
    if not v or v["valeur"] is None:
        return (v or {}).get("motif") or "—"
    valeur = Decimal(v["valeur"])
    if nom == "taux_accord":
        return formats.pourcent((valeur * 100).quantize(Decimal("0.1")))
    return formats.nombre(valeur, 2)


def lignes_montants(m: dict) -> list[list[str]]:
    lignes = [[libelle, texte_montant(m.get(nom))] for nom, libelle in MONTANTS.items()]
    lignes += [[libelle, texte_ratio(nom, m.get(nom))] for nom, libelle in RATIOS.items()]
    return lignes if m else []


def lignes_delais(d: dict) -> list[list[str]]:
    def jours(v) -> str:
        return "—" if v is None else f"{formats.nombre(v)} j"

    return [  # in the order of the instruction clock
        [libelle, str(s["n"]), jours(s["mediane"]), jours(s["p90"]), str(s["hors_cible"])]
        for e, libelle in ETAPES.items()
        if (s := d.get(e))
    ]


# --- Summed over territories -----------------------------------------------------------------


def sommer(tous: list[dict], nom: str) -> tuple[Decimal | None, str]:
    """The sum of one amount over the territories' kept figures, or None with the reason."""
    valeurs = [m.get(nom) for m in tous if m]
    if any(v["valeur"] is None and v["motif"] for v in valeurs):
        return None, MOTIF_SOMME
    presentes = [Decimal(v["valeur"]) for v in valeurs if v["valeur"] is not None]
    return (sum(presentes, Decimal("0")) if presentes else None), ""
