"""Who may see and do what on frameworks and evaluations, on top of the one permission layer
(comptes.permissions). Refusals go through comptes.permissions.exiger: pages answer 404.

- The framework is the national delegation's (Cour des comptes 2024: one harmonised
  framework): it writes, publishes and versions it; a published framework is public, like the
  programme's methodological guide; a draft is the delegation's alone.
- The territory's team (binôme, chef de projet) writes its evaluation, with the parties.
- The Région (its pilot) and the State (the préfecture's referent) review it, each once per
  submission, and either may send it back to writing.
- The national delegation validates it: the Région and the State already gave their review,
  and validating admits the evaluation into the national consolidation it runs.
- Readers: in writing, the people who hold a role on the territory, the Région's pilot and the
  delegation; once submitted, also the operators' referents who follow the territory.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from comptes.permissions import portee, territoires_suivis
from territoires.selectors import regions_du_territoire, territoires_des_regions

from .enums import EtatEvaluation, RoleRevue
from .models import Cadre, Evaluation

# Who may do each action, in words, for the pages: beside the rules below.
QUI_PEUT = {
    "cadre": "la délégation nationale",
    "rediger": "l'équipe du territoire (binôme, chef de projet)",
    "reviser_region": "le pilote de la Région",
    "reviser_etat": "le référent de l'État (préfecture)",
    "renvoyer": "la Région, l'État ou la délégation nationale",
    "valider": "la délégation nationale",
}


def peut_editer_cadre(user) -> bool:
    return portee(user).national


def cadres_visibles(user) -> QuerySet[Cadre]:
    if peut_editer_cadre(user):
        return Cadre.objects.all()
    return Cadre.objects.filter(publie_le__isnull=False)


def evaluations_visibles(user) -> QuerySet[Evaluation]:
    p = portee(user)
    qs = Evaluation.objects.all()
    if p.national:
        return qs
    if not p.authentifie:
        return qs.none()
    parties = Q(territoire_id__in=p.territoires_role)
    if p.regions_pilote:
        parties |= Q(territoire__in=territoires_des_regions(p.regions_pilote))
    soumises = ~Q(etat=EtatEvaluation.REDACTION) & Q(territoire__in=territoires_suivis(user))
    return qs.filter(parties | soumises)


def peut_rediger(user, territoire) -> bool:
    """The team writes (FAQ §5.3: the chef de projet writes the territory's documents)."""
    return territoire.pk in portee(user).territoires_equipe


def roles_de_revue(user, territoire) -> list[str]:
    """In whose name this person may review an evaluation of `territoire`."""
    p = portee(user)
    roles = []
    if p.regions_pilote and p.regions_pilote & set(regions_du_territoire(territoire)):
        roles.append(RoleRevue.REGION)
    if territoire.pk in p.territoires_etat:
        roles.append(RoleRevue.ETAT)
    return roles


def peut_valider(user) -> bool:
    return portee(user).national


def peut_renvoyer(user, territoire) -> bool:
    return peut_valider(user) or bool(roles_de_revue(user, territoire))


def peut_consolider(user) -> bool:
    """The national delegation consolidates; a Région's pilot, for its territories (the
    evaluations it sees)."""
    p = portee(user)
    return p.national or bool(p.regions_pilote)


# What a person may do now on one evaluation: the rule and the state together, for the page's
# buttons (evaluations.cycle and evaluations.services check the same again).


def peut_modifier(user, evaluation: Evaluation) -> bool:
    return evaluation.en_redaction and peut_rediger(user, evaluation.territoire)


def revues_possibles(user, evaluation: Evaluation) -> list[str]:
    if evaluation.etat != EtatEvaluation.SOUMISE:
        return []
    faites = set(evaluation.revues_du_tour().values_list("role", flat=True))
    return [r for r in roles_de_revue(user, evaluation.territoire) if r not in faites]
