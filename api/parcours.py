"""API of the validation path of a fiche-action (fiches.cycle): one endpoint per move of the
lifecycle table `fiches.cycle.MOUVEMENTS`, generated from it — its path, summary, body,
documentation and operation id (`fiche_<move>`) — and a funder's decision on its line.

A move added to the table gets its endpoint here without a line of code; a move made only by
the signature of a contract (`par_signature`) is published as deprecated and always refused
(422) with the message of fiches.cycle. Status codes: as every write of api.fiches.
"""

from uuid import UUID

from django.http import Http404
from ninja import Router, Schema

from fiches import cycle
from fiches.enums import Avis
from fiches.models import FicheAction
from territoires.models import Instance

from .auth import Jeton, ecriture
from .erreurs import ERREURS_ECRITURE
from .fiches import chemin, fiche_visible, transition_out
from .schemas import Identifiant
from .schemas.fiches import AvisIn, DecisionIn, DecisionLigneIn, MouvementIn, MouvementOut

router = Router(tags=["Fiches-actions"])


def _mouvement_out(user, fiche_pk: int, transition) -> dict:
    fiche = FicheAction.objects.get(pk=fiche_pk)
    return {
        "uuid": fiche.uuid,
        "etat": fiche.etat,
        "libelle_etat": fiche.get_etat_display(),
        "version": fiche.version,
        "transition": transition_out(user, transition),
    }


def _corps(m: cycle.Mouvement) -> type[Schema]:
    """What a move takes: an opinion for a committee's, a decision for a body's, else a date."""
    if m.avec_avis:
        return AvisIn
    return DecisionIn if m.instance else MouvementIn


def _description(m: cycle.Mouvement) -> str:
    """The move as the lifecycle table says it: what it does, who makes it, what it rests on."""
    if m.par_signature:
        return f"{m.aide}\n\nToujours refusé (422) : {cycle.refus_par_signature(m)}"
    texte = f"{m.aide} Par {m.qui()}."
    if m.instance:
        texte += (
            f" Repose sur une décision du {Instance(m.instance).label.lower()} : "
            "`decision_texte` obligatoire."
        )
    if m.avec_avis:
        motives = ", ".join(cycle.AVIS_MOTIVES)
        texte += f" `avis` : {', '.join(Avis.values)} (`motif` obligatoire pour {motives})."
    return (
        f"{texte}\n\n422 avec le message si le mouvement est impossible depuis l'état actuel ou "
        "s'il manque un élément (rien n'est écrit) ; 403 si la fiche vous est visible mais que "
        "ce mouvement ne vous revient pas ; 404 si elle ne l'est pas."
    )


def _endpoint_mouvement(mouvement: str, m: cycle.Mouvement) -> None:
    """One endpoint per move of the lifecycle table (fiches.cycle.MOUVEMENTS)."""

    def vue(request, uuid: UUID, data: _corps(m)):
        user = request.auth
        fiche = fiche_visible(user, uuid)
        with ecriture(user):
            t = cycle.appliquer(user=user, fiche=fiche, mouvement=mouvement, **data.dict())
        return _mouvement_out(user, fiche.pk, t)

    vue.__name__ = f"mouvement_{mouvement}"
    router.post(
        f"/fiches/{{uuid}}/{chemin(mouvement)}",
        auth=Jeton(),
        response={200: MouvementOut, **ERREURS_ECRITURE},
        summary=m.libelle,
        description=_description(m),
        operation_id=f"fiche_{mouvement}",
        deprecated=m.par_signature,
    )(vue)


for _mouvement, _m in cycle.MOUVEMENTS.items():
    _endpoint_mouvement(_mouvement, _m)


@router.post(
    "/fiches/{uuid}/lignes/{ligne_id}/decision",
    auth=Jeton(),
    response={200: MouvementOut, **ERREURS_ECRITURE},
    summary="Décision d'un financeur sur sa ligne",
    # As first published, when this endpoint lived in api.fiches.
    operation_id="api_fiches_decider_ligne",
)
def decider_ligne(request, uuid: UUID, ligne_id: Identifiant, data: DecisionLigneIn):
    """Le financeur de la ligne (le référent de l'opérateur là où il intervient, ou
    l'organisation qui finance elle-même) l'accorde ou la refuse pendant l'instruction, puis
    en enregistre le paiement une fois la fiche retenue. Les dates rendent les délais
    mesurables. 403 si la ligne ne vous revient pas, 422 si la décision est impossible."""
    user = request.auth
    fiche = fiche_visible(user, uuid)
    ligne = fiche.lignes.filter(pk=ligne_id).first()
    if ligne is None:
        raise Http404("Ligne de financement introuvable.")
    with ecriture(user):
        t = cycle.decider_ligne(user=user, ligne=ligne, **data.dict())
    return _mouvement_out(user, fiche.pk, t)
