"""The demo in phase 2 (2023-2027), loaded after the phase-1 demo, which stays as history.

The phase-2 territories that hold the demo's places: ti-8401 « Ardèche Drôme Nord » (CA Annonay
Rhône Agglo, Annonay and Tournon, like 8401 before it) and ti-8413 « Plastics Vallée –
Oyonnax » (Oyonnax, the heart of 8408 in phase 1). ti-8415 « Rhône Provence Industrie »
(Pierrelatte, formerly in 8401) has its binôme and State referent but no chef de projet yet:
the deployment tracking flags it.

The territories' people of phase 1 end their designations with phase 1 (the first day of
phase 2 is the end, exclusive, as `Designation.actives` reads it) and are designated again
on the phase-2 territories by a demo decision of the regional COPIL (12/12/2023).

Then 2024-2026, built through the services as users would, in date order: fiches under the
four priorities, each committee move decided in a meeting of the local committee or of the
COPIL of région 84 (shared with phase 1), funders' decisions on their lines, a Fonds vert
fiche of a firm with the governance's agreement, a firm declared in difficulty (RGEC) whose
fiche is not retained, a simplification request; a protocol then a contract signed for
ti-8401 (its local committee continues as the comité de suivi), a protocol and a contract
validated and partly signed for ti-8413. No date after November 2026. Everything is flagged
demo=True.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from contrats.models import Contrat
from fiches.models import FicheAction
from gouvernance.models import Reunion
from territoires.models import Territoire

from .contrats import contractualiser
from .donnees import CONTRATS, DECALAGE_LOCAL, FICHES, PHASE, T8401, T8413, T8415, VAGUES
from .equipes import equipes
from .fiches import fiche
from .scenario import Scenario


def derniere_date() -> date:
    """The scenario's last day: none of its moves may be after today."""
    jours = [d for v in VAGUES.values() for d in vars(v).values() if d]
    jours += [d for fs in FICHES.values() for f in fs for d in (f.paye_le, f.realisee_le) if d]
    for c in CONTRATS.values():
        jours += [c["protocole"], c["validation"], *c["signatures"].values()]
    return max(jours) + max(DECALAGE_LOCAL.values())


def load_phase2() -> list[str]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    codes = [T8401, T8413, T8415]
    territoires = {t.code: t for t in Territoire.objects.filter(phase_id=PHASE, code__in=codes)}
    if len(territoires) < len(codes):
        return [
            "Territoires ti-8401, ti-8413 ou ti-8415 absents : démonstration de la phase 2 "
            "non chargée."
        ]
    if timezone.localdate() < derniere_date():
        # A clock behind the scenario: the services would refuse its moves « in the future ».
        return [
            f"Démonstration de la phase 2 non chargée : elle va jusqu'au "
            f"{derniere_date():%d/%m/%Y}, après la date du jour."
        ]
    out = equipes(territoires)
    out.extend(_scenario(territoires))
    return out


@transaction.atomic
def _scenario(territoires: dict[str, Territoire]) -> list[str]:
    if FicheAction.objects.filter(demo=True, territoire__phase_id=PHASE).exists():
        return ["Démonstration de la phase 2 déjà présente."]
    s = Scenario(territoires)
    # Launch at the regional COPIL, installation of the local committees, a first review of
    # the contract by ti-8401's committee, by then its comité de suivi.
    for comite, jour, info in (
        (s.copil, date(2024, 1, 23), "Lancement de la phase 2 : priorités et calendrier"),
        (s.locaux[T8401], date(2024, 2, 13), "Installation du comité, feuille de route 2024-2027"),
        (s.locaux[T8413], date(2024, 2, 20), "Installation du comité, feuille de route 2024-2027"),
        (s.locaux[T8401], date(2025, 10, 14), "Premier bilan du contrat signé"),
    ):
        s.le(jour, "reunion", lambda c=comite, j=jour, i=info: s.reunion(c, j, info=i))
    out = []
    for code, specs in FICHES.items():
        for i, spec in enumerate(specs):
            fiche(s, code, i, spec)
        out.append(f"Démo phase 2 : {len(specs)} fiches-actions pour le territoire {code}.")
    for code in CONTRATS:
        contractualiser(s, code)
    s.jouer()
    reunions = Reunion.objects.filter(demo=True, debut__year__gte=2024).count()
    out.append(f"Démo phase 2 : {reunions} réunions, {s.decisions} décisions sur les fiches.")
    for code in CONTRATS:
        c = Contrat.objects.get(territoire=territoires[code])
        if c.date_signature:
            out.append(
                f"Démo phase 2 : protocole et contrat de {code} signés ; comité de suivi depuis "
                f"le {c.date_signature:%d/%m/%Y}."
            )
        else:
            out.append(f"Démo phase 2 : protocole de {code} signé, contrat validé en signature.")
    return out
