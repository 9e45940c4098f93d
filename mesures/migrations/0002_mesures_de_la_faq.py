"""The measures of the national panier de services that the FAQ (version of 1 June 2019) names,
each citing its section. Only what the FAQ says: no rate, ceiling or date it does not give.

Idempotent: a measure already there (perhaps edited since by the national delegation) is left
as it is. The operators come from comptes 0002 and are found by name.
"""

import datetime
from decimal import Decimal

from django.db import migrations

ETAT = "État (préfet). Le référent territorial de l'État "

MESURES = [
    {
        "nom": "Crédits d'ingénierie de la Banque des territoires",
        "operateur": "Banque des territoires",
        "nature": "ingenierie",
        "taux_max": Decimal("50"),
        "reference": "FAQ §5.3",
        "description": (
            "La Banque des territoires mobilise des crédits d'ingénierie, notamment pour la "
            "préparation de la contractualisation. Elle peut intervenir à hauteur de 50 % en "
            "cofinancement avec les partenaires pour :\n"
            "- des études à caractère stratégique et/ou sectoriel ;\n"
            "- des études de planification et de préfiguration ;\n"
            "- des études dans le cadre d'un projet d'investissement."
        ),
    },
    {
        "nom": "Kit de diagnostic d'attractivité de Business France",
        "operateur": "Business France",
        "nature": "ingenierie",
        "axes": ["attirer"],
        "reference": "FAQ §5.3",
        "description": (
            "Business France peut intervenir dans le cadre de diagnostics d'attractivité : "
            "un kit est mis gratuitement à la disposition des territoires."
        ),
    },
    {
        "nom": "Stratégie d'attractivité avec Business France",
        "operateur": "Business France",
        "nature": "accompagnement",
        "axes": ["attirer"],
        "reference": "FAQ §5.3",
        "description": (
            "Participation de Business France à la définition et à la mise en œuvre d'une "
            "stratégie d'attractivité du territoire."
        ),
    },
    {
        "nom": "Assistance à maîtrise d'ouvrage (AMO) pour les territoires les plus fragiles",
        "nature": "ingenierie",
        "reference": "FAQ §5.3, §3.6",
        "description": (
            "Le programme ne finance pas de postes, contrairement à Action Cœur de Ville : les "
            "chefs de projet locaux sont trouvés dans les structures existantes. Des missions "
            "d'assistance à maîtrise d'ouvrage (AMO) peuvent en revanche être financées en appui "
            "des territoires les plus fragiles et les moins dotés en ingénierie. Le référent "
            "territorial de l'État facilite la mobilisation de ces moyens d'ingénierie, qui "
            "relèvent des programmes et dotations de l'État (§3.6). La FAQ ne précise ni le "
            "financeur, ni le taux, ni le plafond."
        ),
    },
    {
        "nom": "Certificat de projet",
        "nature": "procedure",
        "axes": ["simplifier"],
        "reference": "FAQ §5.5, §3.6",
        "description": (
            "Outil existant de réduction du temps administratif pour les projets portés par les "
            "collectivités territoriales et les entreprises. État (préfet). Le référent "
            "territorial de l'État aide le territoire à formaliser sa demande de simplification "
            "et l'y redirige lorsque c'est pertinent (§3.6)."
        ),
    },
    {
        "nom": "Rescrit environnemental",
        "nature": "procedure",
        "axes": ["simplifier"],
        "reference": "FAQ §5.5",
        "description": (
            "Outil existant de réduction du temps administratif pour les projets portés par les "
            "collectivités territoriales et les entreprises. État (préfet)."
        ),
    },
    {
        "nom": "Droit de dérogation des préfets",
        "nature": "procedure",
        "axes": ["simplifier"],
        "reference": "FAQ §5.5, §3.6",
        "description": (
            "Expérimentation du droit de dérogation des préfets : pouvoir de dérogation accordé "
            "aux préfets à titre expérimental sur certains départements. État (préfet). Le "
            "référent territorial de l'État y redirige les demandes de simplification lorsque "
            "c'est pertinent (§3.6)."
        ),
    },
    {
        "nom": "France expérimentation",
        "nature": "procedure",
        "axes": ["simplifier"],
        "date_debut": datetime.date(2018, 12, 20),
        "reference": "FAQ §5.5, §3.6",
        "description": (
            "Un appel à projets de France expérimentation dédié aux Territoires d'industrie a "
            "été ouvert du 20 décembre 2018 au 30 avril 2019 ; le guichet généraliste reste "
            "ouvert en continu, pour faciliter les demandes de dérogations administratives et "
            "réglementaires des entreprises innovantes. La mesure est donc valable depuis le "
            "20 décembre 2018, sans date de fin. Dispositif de l'État."
        ),
    },
    {
        "nom": "Dotation d'équipement des territoires ruraux (DETR)",
        "nature": "financement",
        # Communes and EPCI: the bearers of the State's endowments to local investment; the FAQ
        # gives no list, nor any rate or ceiling (those of the endowment apply).
        "types_porteurs": ["commune", "epci"],
        "reference": "FAQ §3.6",
        "description": ETAT
        + "facilite l'instruction des demandes et la mobilisation de cette dotation. La FAQ "
        "ne fixe ni taux ni plafond propres au programme.",
    },
    {
        "nom": "Dotation de soutien à l'investissement local (DSIL)",
        "nature": "financement",
        # Communes and EPCI only: départements have their own endowment (DSID), not the DSIL.
        # The FAQ itself names no bearer.
        "types_porteurs": ["commune", "epci"],
        "reference": "FAQ §3.6",
        "description": ETAT
        + "facilite l'instruction des demandes et la mobilisation de cette dotation. La FAQ "
        "ne fixe ni taux ni plafond propres au programme.",
    },
    {
        "nom": "Fonds national d'aménagement et de développement du territoire (FNADT)",
        "nature": "financement",
        "reference": "FAQ §3.6",
        "description": ETAT
        + "facilite l'instruction des demandes et la mobilisation de ce fonds, notamment en "
        "ingénierie pour les territoires les plus fragiles. La FAQ ne fixe ni taux, ni "
        "plafond, ni porteurs éligibles.",
    },
]


def amorcer(apps, schema_editor):
    Mesure = apps.get_model("mesures", "Mesure")
    Organisation = apps.get_model("comptes", "Organisation")
    for m in MESURES:
        valeurs = dict(m)
        nom = valeurs.pop("nom")
        operateur = valeurs.pop("operateur", None)
        if operateur:
            valeurs["operateur"] = (
                Organisation.objects.filter(nom=operateur).order_by("pk").first()
                or Organisation.objects.create(nom=operateur, type="operateur")
            )
        Mesure.objects.get_or_create(
            nom=nom, region=None, defaults={**valeurs, "source": "nationale"}
        )


def retirer(apps, schema_editor):
    Mesure = apps.get_model("mesures", "Mesure")
    Mesure.objects.filter(region=None, nom__in=[m["nom"] for m in MESURES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mesures", "0001_initial"),
        ("comptes", "0002_operateurs_nationaux"),
    ]
    operations = [migrations.RunPython(amorcer, retirer)]
