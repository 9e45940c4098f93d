"""Words of the generated fiches: varied enough for the search and the similar fiches."""

ACTIONS = [
    "Créer",
    "Étendre",
    "Moderniser",
    "Mutualiser",
    "Structurer",
    "Accompagner",
    "Développer",
    "Réhabiliter",
    "Former",
    "Relocaliser",
    "Décarboner",
    "Numériser",
]
OBJETS = {
    "attirer": [
        "l'offre foncière industrielle",
        "la marque territoriale",
        "l'accueil des salariés",
        "la zone d'activité portuaire",
        "le parc d'activités du canal",
    ],
    "recruter": [
        "le campus des métiers",
        "la plateforme de recrutement",
        "l'apprentissage en usine",
        "la mobilité vers les sites",
        "le logement des alternants",
    ],
    "innover": [
        "la ligne pilote de fabrication additive",
        "le centre d'essais des PME",
        "la chaleur fatale des procédés",
        "la robotique collaborative",
        "le jumeau numérique",
    ],
    "simplifier": [
        "les autorisations d'extension",
        "le guichet unique des porteurs",
        "les délais d'instruction environnementale",
        "la dérogation aux normes",
    ],
    "competences": [
        "l'école de production",
        "les compétences numériques",
        "la formation continue",
        "les métiers de la maintenance",
    ],
    "transition": [
        "le réseau de chaleur industriel",
        "l'hydrogène bas carbone",
        "le recyclage des métaux",
        "l'écologie industrielle territoriale",
        "la sobriété énergétique",
    ],
    "innovation": [
        "le laboratoire commun",
        "la preuve de concept",
        "l'usine du futur",
        "les matériaux biosourcés",
    ],
    "foncier": [
        "la friche de l'ancienne filature",
        "la requalification des zones d'activité",
        "la densification des sites",
        "la dépollution des terrains",
    ],
}
PHRASES = [
    "Le projet répond aux besoins exprimés par les industriels du bassin.",
    "Il s'appuie sur les intercommunalités et les chambres consulaires.",
    "Une étude préalable a chiffré les investissements nécessaires.",
    "Les entreprises partenaires s'engagent sur un calendrier de trois ans.",
    "L'action prolonge les travaux du comité de projet local.",
    "Les emplois créés sont suivis chaque année avec les opérateurs.",
    "Le site retenu est desservi par le rail et la route.",
    "La consommation d'énergie des procédés baisse d'un tiers.",
]
PROBLEMES = [
    "Les délais d'autorisation retardent l'extension du site.",
    "Deux réglementations contradictoires s'appliquent au même équipement.",
    "Le porteur doit déposer le même dossier auprès de quatre services.",
]


def titre(rng, axe: str, lieu: str) -> str:
    return f"{rng.choice(ACTIONS)} {rng.choice(OBJETS[axe])} — {lieu}"


def description(rng) -> str:
    return " ".join(rng.sample(PHRASES, 3))
