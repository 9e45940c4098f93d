"""Fictitious demo content, loaded only when settings.DEMO_MODE is on (never in production).

Everything created here is flagged `demo=True` and shown with a « Démonstration » badge. The
parts, in order: the map's change (`carte`), people (`personas`), fiches (`fiches`), contracts
(`contrats`), governance (`gouvernance`), then phase 2 (`phase2`).
"""

from django.conf import settings
from django.db import transaction

from notifications.evenements import sans_notifications
from territoires.models import Territoire

from .carte import changement_de_carte
from .contrats import load_contrats
from .fiches import executer, load_fiches
from .gouvernance import load_gouvernance
from .personas import load_personas
from .phase2 import load_phase2


@sans_notifications()
@transaction.atomic
def load_demo() -> list[str]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    t8401 = Territoire.objects.filter(phase_id=1, code="8401").first()
    if t8401 is None:
        return ["Territoire 8401 absent : démonstration non chargée."]
    # Each part has its own guard, so that a database loaded before a part existed gets it.
    out = changement_de_carte(t8401)
    out.extend(load_personas())
    out.extend(load_fiches())
    # The contracts annex the retained fiches and inscribe them by their signatures, the one
    # way a fiche is inscribed; the inscribed fiches are then followed; governance last
    # attaches the fiches' committee decisions to meetings held on their days.
    out.extend(load_contrats())
    out.extend(executer())
    out.extend(load_gouvernance())
    # Phase 2 last: it closes the phase-1 designations, which the phase-1 parts above use.
    out.extend(load_phase2())
    # The money of the granted lines of both phases, once their fiches have their decisions.
    from .financements import charger as charger_financements

    out.extend(charger_financements())
    from .evaluations import charger as charger_evaluations  # on the phase-2 fiches and money

    out.extend(charger_evaluations())
    from .actualites import charger as charger_actualites

    out.extend(charger_actualites())
    from .ressources import charger as charger_ressources

    out.extend(charger_ressources())
    return out
