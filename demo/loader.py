"""Fictitious demo content, loaded only when settings.DEMO_MODE is on (never in production).

Everything created here is flagged `demo=True` and shown with a « Démonstration » badge.
"""

from datetime import date

from django.conf import settings
from django.db import transaction

from referentiel.models import EPCI, Region
from territoires import services
from territoires.models import Decision, Instance, Territoire


@transaction.atomic
def load_demo() -> list[str]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    from .fiches import executer, load_fiches
    from .personas import load_personas

    t8401 = Territoire.objects.filter(phase_id=1, code="8401").first()
    if t8401 is None:
        return ["Territoire 8401 absent : démonstration non chargée."]
    # Each part has its own guard, so that a database loaded before a part existed gets it.
    out = _changement_de_carte(t8401)
    out.extend(load_personas())
    out.extend(load_fiches())
    # The contracts annex the retained fiches and inscribe them by their signatures, the one
    # way a fiche is inscribed; the inscribed fiches are then followed; governance last
    # attaches the fiches' committee decisions to meetings held on their days.
    from contrats.demo import load_contrats
    from fiches.models import Transition
    from gouvernance.demo import MOUVEMENTS_EN_COMITE, load_gouvernance

    out.extend(load_contrats())
    out.extend(executer())
    decisions = Transition.objects.filter(
        fiche__demo=True,
        fiche__territoire__phase_id=1,
        fiche__territoire__code__in=["8401", "8408"],
        action__in=list(MOUVEMENTS_EN_COMITE),
        decision__isnull=False,
    ).select_related("fiche", "fiche__territoire", "decision")
    t8408 = Territoire.objects.filter(phase_id=1, code="8408").first()
    out.extend(
        load_gouvernance(
            decisions_de_fiches=list(decisions),
            epci_voisine=_free_neighbour_epci(t8408) if t8408 else None,
        )
    )
    # Phase 2 last: it closes the phase-1 designations, which the phase-1 parts above use.
    from .phase2 import load_phase2

    out.extend(load_phase2())
    from .evaluations import charger as charger_evaluations  # on the phase-2 fiches

    out.extend(charger_evaluations())
    return out


def _changement_de_carte(t8401: Territoire) -> list[str]:
    if Decision.objects.filter(demo=True, changements__isnull=False).exists():
        return ["Changement de carte de démonstration déjà présent."]
    # A regional steering committee decides to add a neighbouring EPCI (FAQ §2.3).
    decision = Decision.objects.create(
        date=date(2020, 3, 10),
        instance=Instance.COPIL_REGIONAL,
        region_id="84",
        intitule="[Démo] Ajout d'une intercommunalité au territoire 8401",
        texte="Décision fictive du comité de pilotage régional, pour la démonstration.",
        demo=True,
    )
    candidate = _free_neighbour_epci(t8401)
    if candidate is None:
        return []
    services.ajouter_epci(territoire=t8401, epci=candidate, decision=decision)
    return [f"Démo : {candidate.nom} ajoutée au territoire 8401 le 10/03/2020."]


def _free_neighbour_epci(territoire: Territoire) -> EPCI | None:
    """An EPCI of the same départements that belongs to no territory of the phase."""
    from territoires.models import Perimetre

    courant = territoire.perimetre.filter(date_fin__isnull=True)
    deps = set(courant.values_list("commune__departement_id", flat=True))
    regions = set(courant.values_list("commune__region_id", flat=True))
    taken = set(
        Perimetre.objects.filter(territoire__phase=territoire.phase, date_fin__isnull=True)
        .exclude(commune__epci__isnull=True)
        .values_list("commune__epci_id", flat=True)
    )
    return (
        EPCI.objects.filter(communes__departement_id__in=deps)
        .exclude(siren__in=taken)
        .exclude(nature="EPT")
        .exclude(communes__region__in=Region.objects.exclude(code__in=regions))
        .order_by("siren")
        .distinct()
        .first()
    )
