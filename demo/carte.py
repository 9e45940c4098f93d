"""The demo's change of the map (phase 1): a neighbouring EPCI added to 8401 by a decision of
the regional COPIL; the free neighbour an EPCI of the same départements in no territory."""

from datetime import date

from referentiel.models import EPCI, Region
from territoires import services
from territoires.models import Decision, Instance, Perimetre, Territoire


def changement_de_carte(t8401: Territoire) -> list[str]:
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
    candidate = epci_voisine_libre(t8401)
    if candidate is None:
        return []
    services.ajouter_epci(territoire=t8401, epci=candidate, decision=decision)
    return [f"Démo : {candidate.nom} ajoutée au territoire 8401 le 10/03/2020."]


def epci_voisine_libre(territoire: Territoire) -> EPCI | None:
    """An EPCI of the same départements that belongs to no territory of the phase."""
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
