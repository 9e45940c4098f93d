"""The demo's evaluations, loaded after the phase-2 demo (its fiches, teams and contracts).

The national delegation's framework for phase 2, published on 2 March 2026; the measurements
of the « emplois créés ou maintenus » indicator on ti-8401's inscribed fiches; ti-8401's
mid-term evaluation written by its chef de projet, submitted, then reviewed by the Région and
the State (it waits on the national delegation's validation); ti-8413's, being written.
Everything goes through the services and the lifecycle, as users would; everything is flagged
demo=True. Idempotent: loaded once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comptes.models import Utilisateur
from evaluations import cadres, cycle, services
from evaluations.enums import AvisRevue, NatureEvaluation, NatureQuestion
from evaluations.models import Cadre, Evaluation, IndicateurCadre, Question, Section
from fiches import services as fiches
from fiches.enums import INSCRITES
from fiches.models import FicheAction, ValeurIndicateur
from territoires.models import Phase, Territoire

PHASE = 2
PUBLIE_LE = date(2026, 3, 2)
MESURES = (date(2025, 12, 31), date(2026, 6, 30))
T8401, T8413 = "ti-8401", "ti-8413"
ECHELLE = ["Pas du tout", "Peu", "Assez", "Pleinement"]
T, E, C, N = (
    NatureQuestion.TEXTE,
    NatureQuestion.ECHELLE,
    NatureQuestion.CHOIX,
    NatureQuestion.NOMBRE,
)

# (section, its instruction, [(question, form, modalities, unit, required)])
CADRE = [
    (
        "Gouvernance et animation",
        "Le binôme, le comité de projet devenu comité de suivi, le chef de projet.",
        [
            (
                "Comment le comité de projet puis le comité de suivi se sont-ils réunis depuis "
                "le début de la phase ?",
                T,
                [],
                "",
                True,
            ),
            (
                "Le binôme élu-industriel anime-t-il effectivement le territoire ?",
                E,
                ECHELLE,
                "",
                True,
            ),
            (
                "Le chef de projet est-il en poste ?",
                C,
                ["Oui, à temps plein", "Oui, à temps partiel", "Non, poste vacant"],
                "",
                True,
            ),
            (
                "Entreprises industrielles associées aux travaux du comité",
                N,
                [],
                "entreprises",
                False,
            ),
        ],
    ),
    (
        "Avancement du plan d'actions",
        "Les fiches-actions retenues, inscrites au contrat, réalisées.",
        [
            ("Quelles fiches-actions ont le plus avancé, et pourquoi ?", T, [], "", True),
            (
                "Quelles fiches sont à l'arrêt ou en retard, et qu'est-ce qui les bloque ?",
                T,
                [],
                "",
                True,
            ),
            (
                "Le plan d'actions reste-t-il adapté aux priorités du territoire ?",
                E,
                ECHELLE,
                "",
                True,
            ),
        ],
    ),
    (
        "Financements et délais d'instruction",
        "Les chiffres de la plateforme accompagnent l'évaluation ; dites ce qu'ils ne disent pas.",
        [
            (
                "Les financements obtenus répondent-ils aux besoins du plan d'actions ?",
                E,
                ECHELLE,
                "",
                True,
            ),
            (
                "Quels délais d'instruction ont pesé sur les projets, et chez quels financeurs ?",
                T,
                [],
                "",
                True,
            ),
        ],
    ),
    (
        "Emploi industriel et compétences",
        "",
        [
            (
                "Emplois industriels créés ou maintenus sur le territoire depuis le début de la "
                "phase",
                N,
                [],
                "emplois",
                True,
            ),
            (
                "Quelles actions pour le recrutement et les compétences ont produit des effets ?",
                T,
                [],
                "",
                True,
            ),
        ],
    ),
    (
        "Simplification",
        "Les demandes de simplification portées par les fiches.",
        [
            (
                "Les demandes de simplification ont-elles trouvé une réponse ?",
                C,
                ["Oui, toutes", "En partie", "Non", "Aucune demande"],
                "",
                True,
            ),
            ("Quels freins administratifs restent à lever ?", T, [], "", False),
        ],
    ),
    (
        "Perspectives",
        "",
        [("Quelles priorités pour la seconde moitié de la phase ?", T, [], "", True)],
    ),
]
INDICATEURS = [
    ("Emplois créés ou maintenus", "emplois", "Emplois des fiches du plan d'actions."),
    ("Foncier industriel requalifié", "hectares", "Surfaces rendues à l'industrie."),
]
REPONSES_8401 = [
    "[Démo] Le comité de projet s'est réuni trois fois en 2024 ; devenu comité de suivi à la "
    "signature du contrat (20/05/2025), il se réunit chaque trimestre, avec la Région et la "
    "préfecture.",
    "Assez",
    "Oui, à temps plein",
    "14",
    "[Démo] Le campus des métiers est ouvert ; la friche de Vidalon est dépolluée et le "
    "premier lot est commercialisé.",
    "[Démo] Le réseau de chaleur des Gonnettes, non retenu par le COPIL régional, est à "
    "reprendre avec le schéma directeur.",
    "Pleinement",
    "Assez",
    "[Démo] Les décisions des financeurs ont pris de trois à cinq mois après le COPIL.",
    "85",
    "[Démo] Le groupement d'employeurs et le campus des métiers.",
    "En partie",
    "[Démo] L'instruction successive de l'autorisation environnementale et du permis d'aménager.",
    "[Démo] Engager la zone d'activités de Munas et la plateforme d'essais textile.",
]


def _u(email: str) -> Utilisateur:
    return Utilisateur.objects.get(email=email)


@transaction.atomic
def charger() -> list[str]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    if Cadre.objects.filter(demo=True, phase_id=PHASE).exists():
        return ["Évaluations de démonstration déjà présentes."]
    territoires = {
        t.code: t for t in Territoire.objects.filter(phase_id=PHASE, code__in=[T8401, T8413])
    }
    if (
        len(territoires) < 2
        or not FicheAction.objects.filter(demo=True, territoire=territoires[T8401]).exists()
    ):
        return ["Démonstration de la phase 2 absente : évaluations non chargées."]
    if timezone.localdate() < date(2026, 10, 22):
        return ["Évaluations de démonstration non chargées : elles vont jusqu'au 22/10/2026."]
    cadre = _cadre()
    _mesures(territoires[T8401])
    _evaluation_8401(territoires[T8401])
    _evaluation_8413(territoires[T8413])
    return [
        f"Démo évaluations : cadre de la phase 2 publié le {PUBLIE_LE:%d/%m/%Y} "
        f"({cadre.questions().count()} questions) ; évaluation à mi-parcours de ti-8401 revue "
        "par la Région et l'État, celle de ti-8413 en rédaction."
    ]


def _cadre() -> Cadre:
    national = _u("national@demo.ti")
    cadre = cadres.creer_cadre(
        user=national,
        phase=Phase.objects.get(pk=PHASE),
        titre="[Démo] Cadre d'évaluation harmonisé de la phase 2",
        introduction="Chaque territoire évalue son action à mi-parcours et en fin de phase, "
        "avec ses partenaires : la Région et l'État en font la revue (recommandation de la "
        "Cour des comptes, 2024 ; recommandation 12 du Sénat, 2024).",
        demo=True,
    )
    for s, (titre, aide, questions) in enumerate(CADRE, 1):
        section = cadres.enregistrer(
            user=national,
            cadre=cadre,
            modele=Section,
            donnees={"ordre": s, "titre": titre, "aide": aide},
        )
        for q, (intitule, nature, modalites, unite, obligatoire) in enumerate(questions, 1):
            cadres.enregistrer(
                user=national,
                cadre=cadre,
                modele=Question,
                donnees={
                    "section": section,
                    "ordre": q,
                    "intitule": intitule,
                    "nature": nature,
                    "modalites": modalites,
                    "unite": unite,
                    "obligatoire": obligatoire,
                },
            )
    for i, (libelle, unite, aide) in enumerate(INDICATEURS, 1):
        cadres.enregistrer(
            user=national,
            cadre=cadre,
            modele=IndicateurCadre,
            donnees={"ordre": i, "libelle": libelle, "unite": unite, "aide": aide},
        )
    return cadres.publier(user=national, cadre=cadre, date=PUBLIE_LE)


def _mesures(t: Territoire) -> None:
    """Two dated measurements of each inscribed fiche's jobs indicator."""
    chef = _u("chef.8401@demo.ti")
    for f in FicheAction.objects.filter(territoire=t, demo=True, etat__in=INSCRITES):
        for ind in f.indicateurs.all():
            if ValeurIndicateur.objects.filter(indicateur=ind).exists():
                continue
            for n, jour in enumerate(MESURES, 1):
                valeur = Decimal(f.numero * 2 * n + n)
                fiches.mesurer(user=chef, indicateur=ind, date=jour, valeur=valeur)


def _repondre(e: Evaluation, user, reponses: list[str]) -> Evaluation:
    questions = list(e.cadre.questions())
    return services.enregistrer_reponses(
        user=user,
        evaluation=e,
        version=e.version,
        reponses={q.pk: r for q, r in zip(questions, reponses, strict=False)},
    )


def _evaluation_8401(t: Territoire) -> None:
    chef = _u("chef.8401@demo.ti")
    e = services.creer_evaluation(
        user=chef,
        territoire=t,
        nature=NatureEvaluation.MI_PARCOURS,
        date=date(2026, 9, 15),
        demo=True,
    )
    e = _repondre(e, chef, REPONSES_8401)
    cycle.soumettre(user=chef, evaluation=e, date=date(2026, 10, 5))
    cycle.reviser(
        user=_u("region.ara@demo.ti"),
        evaluation=e,
        role="region",
        avis=AvisRevue.FAVORABLE,
        commentaire="[Démo] Une gouvernance installée et un plan d'actions qui avance ; la "
        "Région poursuivra son appui au campus des métiers.",
        date=date(2026, 10, 19),
    )
    cycle.reviser(
        user=_u("etat.8401@demo.ti"),
        evaluation=e,
        role="etat",
        avis=AvisRevue.RESERVES,
        commentaire="[Démo] Les délais d'instruction restent longs ; le certificat de projet "
        "est à engager pour la zone de Munas.",
        date=date(2026, 10, 22),
    )


def _evaluation_8413(t: Territoire) -> None:
    chef = _u("chef.8408@demo.ti")
    e = services.creer_evaluation(
        user=chef,
        territoire=t,
        nature=NatureEvaluation.MI_PARCOURS,
        date=date(2026, 10, 12),
        demo=True,
    )
    _repondre(
        e,
        chef,
        [
            "[Démo] Le comité de projet s'est réuni quatre fois ; le contrat est en signature.",
            "Pleinement",
            "Oui, à temps plein",
        ],
    )
