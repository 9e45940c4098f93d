"""Builders shared by the map tests (territories, pages, API): real territories, dated
decisions, free EPCI of a région, a small phase-2 map."""

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


def epcis_libres_de_la_region(region: str = "84") -> list[EPCI]:
    """EPCI lying wholly in the région that no territory of phase 1 holds any commune of."""
    pris = Perimetre.objects.filter(territoire__phase_id=1, date_fin__isnull=True).values(
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


def deux_territoires_en_phase_2() -> None:
    """A phase-2 map of two territories of the région 84, each one whole EPCI."""
    phase2 = Phase.objects.get(pk=2)
    d = decision(date(2023, 6, 1))
    for code, epci in zip(("8450", "8451"), epcis_libres_de_la_region()[:2], strict=True):
        services.creer_territoire(
            phase=phase2, code=code, nom=f"Essai {code}", communes=epci.communes.all(), decision=d
        )
