"""What each move of a territory's evaluation says, and to whom (docs/adr/0015): called after
the commit of the move (notifications.evenements), with the key of its TransitionEvaluation.

- submitted: the Région's pilot and the State's referent, who review it;
- reviewed by one of them: the territory's team; once both reviews are given, the national
  delegation, which validates it;
- sent back to writing: the team, with the reason;
- validated: the team and the reviewers.

Whom it concerns is asked of evaluations.permissions, never decided here; each recipient may
see the evaluation; the author of the move is not told of their own act. No answer, review
comment or figure in the text (only the reason of a sending back, as a fiche's decision
carries its motive): the link opens the page, in the reader's scope."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from comptes.enums import Role
from comptes.models import Utilisateur
from evaluations import permissions as droits
from evaluations.enums import AvisRevue, EtatEvaluation, RoleRevue
from evaluations.models import Evaluation, Revue, TransitionEvaluation
from territoires.selectors import regions_du_territoire

from .destinataires import _comptes, _sauf
from .enums import Nature
from .envoi import Message, notifier

AU_NOM_DE = {RoleRevue.REGION: "la Région", RoleRevue.ETAT: "l'État"}


class Gens:
    """The people around one evaluation: its territory's, its régions', the delegation's."""

    def __init__(self, evaluation: Evaluation):
        self.evaluation = evaluation
        territoire = evaluation.territoire
        self.candidats = _comptes(
            Q(territoire=territoire)
            | Q(territoires=territoire)
            | Q(region_id__in=regions_du_territoire(territoire))
            | Q(role=Role.NATIONAL)
        )

    def qui(self, regle: Callable[[Utilisateur], bool]) -> list[Utilisateur]:
        visibles = droits.evaluations_visibles
        return [
            u
            for u in self.candidats
            if regle(u) and visibles(u).filter(pk=self.evaluation.pk).exists()
        ]

    def equipe(self) -> list[Utilisateur]:
        return self.qui(lambda u: droits.peut_rediger(u, self.evaluation.territoire))

    def reviseurs(self) -> list[Utilisateur]:
        return self.qui(lambda u: bool(droits.roles_de_revue(u, self.evaluation.territoire)))

    def valideurs(self) -> list[Utilisateur]:
        return self.qui(droits.peut_valider)


def _l(e: Evaluation) -> str:
    """« l'évaluation à mi-parcours du Territoire d'industrie … »."""
    return f"l'{e.titre[0].lower()}{e.titre[1:]}"


def mouvement(pk: int) -> None:
    """One move of an evaluation (evaluations.cycle), told to whom it concerns."""
    t = TransitionEvaluation.objects.select_related("evaluation__territoire").get(pk=pk)
    e, gens = t.evaluation, Gens(t.evaluation)
    nom, jour = e.territoire.nom, f"{t.date:%d/%m/%Y}"

    def dire(destinataires, sujet: str, texte: str) -> None:
        uniques = {u.pk: u for u in destinataires}.values()
        notifier(_sauf(uniques, t.par_id), Message(Nature.EVALUATION, e, sujet, texte))

    if t.action == "soumettre":
        dire(
            gens.reviseurs(),
            f"Évaluation à revoir : {nom}",
            f"L'équipe du territoire a soumis le {jour} {_l(e)}. Elle attend la revue de la "
            "Région et celle de l'État, datées et commentées.",
        )
    elif t.action.startswith("reviser_"):
        _revue(t, gens, dire)
    elif t.action == "renvoyer":
        dire(
            gens.equipe(),
            f"Évaluation renvoyée en rédaction : {nom}",
            f"{_l(e).capitalize()} a été renvoyée en rédaction le {jour}.\nMotif : {t.commentaire}",
        )
    elif t.action == "valider":
        dire(
            gens.equipe() + gens.reviseurs(),
            f"Évaluation validée : {nom}",
            f"La délégation nationale a validé le {jour} {_l(e)}. Elle entre dans la "
            "consolidation nationale.",
        )


def _revue(t: TransitionEvaluation, gens: Gens, dire) -> None:
    """A review given: the team learns its opinion; the second one sends the evaluation to
    the national delegation."""
    e, jour = t.evaluation, f"{t.date:%d/%m/%Y}"
    role = t.action.removeprefix("reviser_")
    revue = Revue.objects.filter(evaluation=e, tour=e.tour, role=role).first()
    texte = f"{AU_NOM_DE[role].capitalize()} a donné sa revue le {jour} sur {_l(e)}"
    texte += f" : avis « {AvisRevue(revue.avis).label.lower()} »." if revue else "."
    complete = t.etat_apres == EtatEvaluation.REVUE
    if complete:
        texte += (
            " La Région et l'État ont donné leur revue : elle attend la validation de la "
            "délégation nationale."
        )
    nom = e.territoire.nom
    dire(gens.equipe(), f"Revue de {AU_NOM_DE[role]} : évaluation de {nom}", texte)
    if complete:
        dire(
            gens.valideurs(),
            f"Évaluation à valider : {nom}",
            f"La Région et l'État ont donné leur revue de {_l(e)} (la dernière le {jour}). "
            "Elle attend votre validation.",
        )
