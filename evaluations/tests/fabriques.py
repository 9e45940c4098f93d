"""Builders for the evaluations tests: the people around two phase-2 territories of the
région 84 (ti-8401 and ti-8408), a published framework, an evaluation at each step."""

from datetime import timedelta

from django.utils import timezone

from comptes.enums import Role
from comptes.tests.fabriques import personne
from evaluations import cadres, cycle, services
from evaluations.enums import AvisRevue, NatureQuestion
from evaluations.models import IndicateurCadre, Question, Section
from fiches.tests.fabriques import bpi
from territoires.tests.fabriques import t2

J = timezone.localdate()


def jour(n: int):
    """A day of the past: `n` days after a date 100 days ago."""
    return J - timedelta(days=100 - n)


def gens() -> dict:
    t, autre = t2("ti-8401"), t2("ti-8408")
    return {
        "t": t,
        "autre_t": autre,
        "chef": personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=t),
        "elu": personne("elu@exemple.fr", Role.BINOME_ELU, territoire=t),
        "etat": personne("prefecture@exemple.fr", Role.REFERENT_ETAT, territoire=t),
        "pilote": personne("pilote@exemple.fr", Role.PILOTE_REGION, region_id="84"),
        "pilote_idf": personne("pilote11@exemple.fr", Role.PILOTE_REGION, region_id="11"),
        "national": personne("delegation@exemple.fr", Role.NATIONAL),
        "chef_autre": personne("chef.autre@exemple.fr", Role.CHEF_PROJET, territoire=autre),
        "etat_autre": personne("etat.autre@exemple.fr", Role.REFERENT_ETAT, territoire=autre),
        "bpi": personne(
            "bpi@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bpi(), region_id="84"
        ),
        "sans_role": personne("curieux@exemple.fr"),
    }


def cadre(national, *, publie=True, phase=2):
    """A small framework: a text, a scale, a choice, a number (optional), one indicator."""
    c = cadres.creer_cadre(user=national, phase=t2("ti-8401").phase, titre="Cadre d'essai")
    gouv = Section.objects.create(cadre=c, ordre=1, titre="Gouvernance")
    resultats = Section.objects.create(cadre=c, ordre=2, titre="Résultats")
    Question.objects.create(
        section=gouv, ordre=1, intitule="Comment le comité de projet s'est-il réuni ?"
    )
    Question.objects.create(
        section=gouv,
        ordre=2,
        intitule="La gouvernance associe-t-elle les industriels ?",
        nature=NatureQuestion.ECHELLE,
        modalites=["Pas du tout", "En partie", "Pleinement"],
    )
    Question.objects.create(
        section=resultats,
        ordre=1,
        intitule="Le plan d'actions est-il à jour ?",
        nature=NatureQuestion.CHOIX,
        modalites=["Oui", "Non"],
    )
    Question.objects.create(
        section=resultats,
        ordre=2,
        intitule="Emplois industriels créés depuis le début de la phase",
        nature=NatureQuestion.NOMBRE,
        unite="emplois",
        obligatoire=False,
    )
    IndicateurCadre.objects.create(
        cadre=c, ordre=1, libelle="Emplois créés ou maintenus", unite="emplois"
    )
    if publie:
        cadres.publier(user=national, cadre=c, date=jour(0))
    return c


def questions(c) -> list[Question]:
    return list(c.questions())


def reponses_completes(c, emplois="42") -> dict:
    q = questions(c)
    return {
        q[0].pk: "Quatre réunions par an, avec la Région et l'État.",
        q[1].pk: "En partie",
        q[2].pk: "Oui",
        q[3].pk: emplois,
    }


def redigee(p, c=None, *, t=None, chef=None, nature="mi_parcours", emplois="42"):
    """An evaluation with every answer given, still being written."""
    c = c or cadre(p["national"])
    chef = chef or p["chef"]
    e = services.creer_evaluation(user=chef, territoire=t or p["t"], nature=nature, date=jour(1))
    return services.enregistrer_reponses(
        user=chef, evaluation=e, version=e.version, reponses=reponses_completes(c, emplois)
    )


def soumise(p, c=None, **kw):
    e = redigee(p, c, **kw)
    return cycle.soumettre(user=kw.get("chef") or p["chef"], evaluation=e, date=jour(10))


def revue(p, c=None, *, etat=None, **kw):
    e = soumise(p, c, **kw)
    cycle.reviser(
        user=p["pilote"],
        evaluation=e,
        role="region",
        avis=AvisRevue.FAVORABLE,
        commentaire="Une dynamique réelle.",
        date=jour(20),
    )
    cycle.reviser(
        user=etat or p["etat"],
        evaluation=e,
        role="etat",
        avis=AvisRevue.RESERVES,
        commentaire="Les délais restent à suivre.",
        date=jour(21),
    )
    e.refresh_from_db()
    return e


def fiche_du_plan(p, *, t=None, chef=None, n=1, cible="20", mesure="7", inscrire=True):
    """A fiche of the territory's action plan (retained, then inscribed by its contract) with
    the framework's indicator, its target and one measurement today; a secret description
    and a secret amount (contrats.tests.fabriques.retenue)."""
    from contrats.tests.fabriques import inscrire_par_contrat, retenue
    from fiches import services as fiches
    from fiches.models import Indicateur

    t, chef = t or p["t"], chef or p["chef"]
    f = retenue(p, t=t, chef=chef, n=n, titre=f"Plateforme d'essais {n}")
    ind = Indicateur.objects.create(
        fiche=f, libelle="Emplois  créés ou maintenus", unite="Emplois", cible=cible
    )
    if inscrire:
        etat = p["etat"] if t == p["t"] else p["etat_autre"]
        inscrire_par_contrat(f, redacteur=chef, valideur=etat)
        if mesure is not None:
            fiches.mesurer(user=chef, indicateur=ind, date=J, valeur=mesure)
    return f
