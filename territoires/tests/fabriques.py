"""Builders shared by the map tests (territories, pages, API): real territories, dated
decisions, free EPCI of a région, a small map in a phase of its own.

Both real phases hold their official map (see conftest.py): a test that needs a map of its
own builds it in `phase_d_essai()`, so that nothing it does collides with the official lists.
"""

from datetime import date

from referentiel.models import EPCI, Commune
from territoires import services
from territoires.models import Decision, Instance, Perimetre, Phase, Territoire


def decision(d: date, **kw) -> Decision:
    return Decision.objects.create(
        date=d, instance=Instance.COPIL_REGIONAL, region_id="84", intitule="Essai", **kw
    )


def t(code: str) -> Territoire:
    return Territoire.objects.get(phase_id=1, code=code)


def t2(code: str) -> Territoire:
    """A territory of phase 2, by its id as the programme writes it (« ti-8401 »)."""
    return Territoire.objects.get(phase_id=2, code=code)


def epcis_libres_de_la_region(region: str = "84", phase: int = 1) -> list[EPCI]:
    """EPCI lying wholly in the région that no territory of the phase holds any commune of."""
    pris = Perimetre.objects.filter(territoire__phase_id=phase, date_fin__isnull=True).values(
        "commune__epci_id"
    )
    return list(
        EPCI.objects.filter(communes__region_id=region)
        .exclude(siren__in=pris)
        .exclude(nature="EPT")
        .exclude(communes__in=Commune.objects.exclude(region_id=region))
        .distinct()
        .order_by("siren")
    )


def phase_d_essai() -> Phase:
    """A phase of the tests only, long over: never the current phase."""
    return Phase.objects.get_or_create(
        numero=9,
        defaults={
            "nom": "Phase d'essai",
            "date_debut": date(2000, 1, 1),
            "date_fin": date(2000, 12, 31),
        },
    )[0]


def deux_territoires_en_phase_d_essai() -> Phase:
    """A map of two territories of the région 84, each one whole EPCI, in the test phase."""
    phase = phase_d_essai()
    d = decision(date(2023, 6, 1))
    for code, epci in zip(("8450", "8451"), epcis_libres_de_la_region()[:2], strict=True):
        services.creer_territoire(
            phase=phase, code=code, nom=f"Essai {code}", communes=epci.communes.all(), decision=d
        )
    return phase
