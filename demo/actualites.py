"""Demo news of the network: the delegation's and the Région Auvergne-Rhône-Alpes's."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from actualites.models import Actualite
from referentiel.models import Region

ACTUALITES = [
    (
        None,
        40,
        "Le guide méthodologique de l'évaluation à mi-parcours est en ligne",
        "Chaque territoire rédige son évaluation avec ses partenaires ; la plateforme en "
        "remplit les chiffres.",
        "Le cadre harmonisé de la phase 2 est publié sur la plateforme. Les équipes des "
        "territoires y trouvent les questions, les indicateurs et les chiffres de leurs fiches."
        "\n\nLes Régions et les préfectures relisent chaque évaluation avant sa validation.",
    ),
    (
        "84",
        20,
        "Rencontre régionale des chefs de projet",
        "Les chefs de projet d'Auvergne-Rhône-Alpes se retrouvent à Lyon pour partager leurs "
        "fiches-actions.",
        "Au programme : les délais d'instruction des financeurs, le suivi des paiements et "
        "les premiers retours des évaluations à mi-parcours.",
    ),
    (
        None,
        5,
        "Données ouvertes du programme",
        "La carte, les contrats signés et leurs fiches inscrites sont publiés en données "
        "ouvertes, sous Licence Ouverte 2.0.",
        "Le paquet est reconstruit chaque nuit ; chaque fichier a son schéma. Aucune donnée "
        "couverte par le secret des affaires n'y figure.",
    ),
]


def charger() -> list[str]:
    if Actualite.objects.filter(demo=True).exists():
        return ["Actualités de démonstration déjà présentes."]
    aujourd_hui = timezone.localdate()
    for region, il_y_a, titre, chapo, corps in ACTUALITES:
        jour = aujourd_hui - timedelta(days=il_y_a)
        Actualite.objects.create(
            region=Region.objects.filter(code=region).first() if region else None,
            publiee_le=timezone.make_aware(datetime.combine(jour, time(10, 0))),
            titre=titre,
            chapo=chapo,
            corps=corps,
            demo=True,
        )
    return [f"Démo actualités : {len(ACTUALITES)} actualités (délégation nationale et Région)."]
