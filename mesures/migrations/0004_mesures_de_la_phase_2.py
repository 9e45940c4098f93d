"""The panier of phase 2 (2023-2027): three measures that public sources describe, each citing
its source in `reference` and its description. Only what the sources say: no rate or ceiling
that none of them gives. Each serves the phase-2 priorities (mesures.enums.Priorite).

Idempotent, like 0002: a measure already there (perhaps edited since by the national
delegation) is left as it is. Ademe comes from comptes 0002 and is found by name.
"""

import datetime

from django.db import migrations

PRIORITES = ["competences", "transition", "innovation", "foncier"]
PHASE_2 = {"date_debut": datetime.date(2023, 1, 1), "date_fin": datetime.date(2027, 12, 31)}

MESURES = [
    {
        "nom": "Enveloppe nationale Territoires d'industrie 2023-2027",
        "nature": "financement",
        "axes": PRIORITES,
        **PHASE_2,
        "reference": "Gouvernement, annonce de la carte des 183 territoires, 9 novembre 2023",
        "description": (
            "L'État consacre au programme 100 millions d'euros par an sur la période "
            "2023-2027, notamment pour financer des projets d'investissement au service des "
            "quatre priorités de la phase 2. C'est l'enveloppe du programme : les sources "
            "ne fixent ni taux ni plafond par fiche, la plateforme n'en vérifie donc pas.\n"
            "Sources : présentation des 183 Territoires d'industrie à Chalon-sur-Saône le "
            "9 novembre 2023 par les ministres chargés de l'industrie et des collectivités "
            "(Banque des territoires, « Chalon-sur-Saône, terre de lancement des 183 nouveaux "
            "Territoires d'industrie ») ; annonce de 500 millions d'euros, soit 100 millions "
            "par an entre 2023 et 2027 (ministre délégué chargé de l'industrie, novembre 2023)."
        ),
    },
    {
        "nom": "Fonds vert — Territoires d'industrie en transition écologique",
        "operateur": "Ademe",
        "nature": "financement",
        # Volet 1: industrial investment for the ecological transition; volet 2: skills;
        # volet 3: projects of the volets 1 and 2 in territories « en rebond industriel ».
        "axes": ["competences", "transition"],
        "date_debut": datetime.date(2024, 1, 1),
        "accord_gouvernance": True,
        "exclut_entreprises_en_difficulte": True,
        "reference": (
            "Fonds vert 2024, axe 3, mesure « Territoires d'industrie en transition "
            "écologique » : cahier d'accompagnement, version 2.1, janvier 2024"
        ),
        "description": (
            "Mesure du fonds d'accélération de la transition écologique dans les territoires "
            "(fonds vert), dotée de 100 millions d'euros en 2024, pour des projets "
            "d'investissements industriels structurants en Territoire d'industrie :\n"
            "- volet 1, à titre principal : investissements industriels ambitieux sur le plan "
            "environnemental, qui contribuent à des chaînes de valeur clés pour la transition "
            "écologique ;\n"
            "- volet 2, à titre auxiliaire : investissements pour le développement des "
            "compétences (école de production, centre de formation, plateau technique…) ;\n"
            "- volet 3, à titre exceptionnel : des projets des volets 1 et 2 qui contribuent à "
            "la redynamisation de territoires « en rebond industriel ».\n"
            "Porteurs : à titre principal des entreprises privées, sous réserve de l'accord "
            "de la gouvernance du Territoire d'industrie ; à titre secondaire des groupements "
            "d'employeurs, associations, établissements de formation, collectivités et leurs "
            "groupements. Les règles européennes des aides d'État s'appliquent : aucune aide "
            "à une entreprise en difficulté au sens de l'article 2.18 du règlement général "
            "d'exemption par catégorie (RGEC). L'Ademe instruit les demandes.\n"
            "La plateforme vérifie l'accord de la gouvernance (une décision favorable du "
            "comité de projet du territoire sur la fiche, prise en réunion) et la déclaration "
            "de l'entreprise au regard du RGEC ; le cahier ne fixant pas un taux unique, elle "
            "ne vérifie ni taux ni plafond.\n"
            "Source : ministère de la Transition écologique et de la Cohésion des territoires, "
            "Fonds vert, « Territoires d'industrie en transition écologique », cahier "
            "d'accompagnement des porteurs de projet et des services instructeurs, édition "
            "2024 (version 2.1, janvier 2024)."
        ),
    },
    {
        "nom": "Cofinancement par l'État du chef de projet Territoires d'industrie",
        "nature": "ingenierie",
        "axes": PRIORITES,
        **PHASE_2,
        "reference": "Appel à candidatures Territoires d'industrie 2023-2027, ouvert le 27 juin 2023",
        "description": (
            "En phase 2, chaque Territoire d'industrie se dote d'un chef de projet dédié au "
            "programme, dont l'État cofinance le poste : une nouveauté par rapport à la "
            "phase 1, qui ne finançait pas de postes. Les sources publiques ne donnent ni "
            "taux ni plafond : la plateforme n'en vérifie pas. Le suivi du déploiement "
            "signale les territoires de la phase 2 sans chef de projet désigné.\n"
            "Sources : appel à candidatures de la phase 2 (plateforme Démarches simplifiées, "
            "du 27 juin au 22 septembre 2023) ; La Gazette des communes, juillet 2023 (« Les "
            "lauréats bénéficieront cette fois d'un cofinancement d'État pour un chargé de "
            "projet dédié au programme »)."
        ),
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
        ("mesures", "0003_regles_fonds_vert"),
        ("comptes", "0002_operateurs_nationaux"),
    ]
    operations = [migrations.RunPython(amorcer, retirer)]
