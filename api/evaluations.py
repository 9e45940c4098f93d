"""API of the territories' evaluations, in reading: those the caller may read
(evaluations.permissions.evaluations_visibles, 404 for any other), with their answers, their
reviews, their moves and their figures. Writing them stays on the pages; the rules live in
evaluations, not here."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router
from ninja.pagination import paginate

from evaluations import chiffres, cycle
from evaluations.models import Evaluation
from evaluations.permissions import evaluations_visibles
from evaluations.selectors import questionnaire
from territoires.selectors import trouver_territoire

from .auth import Jeton
from .erreurs import Erreur
from .schemas import Identifiant, Pagination
from .schemas.evaluations import EvaluationDetailOut, EvaluationOut, FiltresEvaluations

router = Router(tags=["Évaluations des territoires"])
# What the list reads: a parameter it would ignore is refused, not silently dropped.
PARAMETRES = {*FiltresEvaluations.model_fields, "limit", "offset"}


def _evaluation(e: Evaluation) -> dict:
    t = e.territoire
    return {
        "id": e.pk,
        "territoire": {"code": t.code, "nom": t.nom, "phase": t.phase_id},
        "nature": e.nature,
        "nature_libelle": e.get_nature_display(),
        "etat": e.etat,
        "etat_libelle": e.get_etat_display(),
        "tour": e.tour,
        "cadre": {"id": e.cadre_id, "titre": e.cadre.titre, "version": e.cadre.version},
        "modifie_le": e.modifie_le,
    }


def _visibles(user):
    return evaluations_visibles(user).select_related("territoire", "cadre")


@router.get("/evaluations", response=list[EvaluationOut], auth=Jeton())
@paginate(Pagination)
def liste_evaluations(request, filtres: Query[FiltresEvaluations]):
    """Les évaluations que vous pouvez lire : celles des territoires où vous avez un rôle, de
    votre région pour son pilote, toutes pour la délégation nationale ; une fois soumises,
    aussi celles des territoires que suit votre opérateur. Un paramètre inconnu : 422."""
    inconnus = sorted(set(request.GET) - PARAMETRES)
    if inconnus:
        raise ValidationError(f"Paramètre inconnu : {', '.join(inconnus)}.")
    qs = _visibles(request.auth).order_by("territoire__phase", "territoire__code", "nature")
    if filtres.territoire:
        t = trouver_territoire(filtres.territoire, filtres.phase)
        if t is None:
            raise Http404(f"Territoire {filtres.territoire} introuvable.")
        qs = qs.filter(territoire=t)
    for champ in ("etat", "nature"):
        if getattr(filtres, champ):
            qs = qs.filter(**{champ: getattr(filtres, champ)})
    if filtres.phase:
        qs = qs.filter(territoire__phase_id=filtres.phase)
    return [_evaluation(e) for e in qs]


def _sections(e: Evaluation) -> list[dict]:
    return [
        {
            "titre": s.section.titre,
            "questions": [
                {
                    "id": q.question.pk,
                    "intitule": q.question.intitule,
                    "nature": q.question.nature,
                    "obligatoire": q.question.obligatoire,
                    "reponse": q.texte,
                    "nombre": q.reponse.nombre if q.reponse else None,
                }
                for q in s.questions
            ],
        }
        for s in questionnaire(e)
    ]


@router.get(
    "/evaluations/{evaluation_id}",
    response={200: EvaluationDetailOut, 401: Erreur, 404: Erreur},
    auth=Jeton(),
)
def detail_evaluation(request, evaluation_id: Identifiant):
    """Une évaluation : ses réponses question par question, les revues de la Région et de
    l'État, son parcours et ses chiffres (404 hors de votre portée)."""
    e = _visibles(request.auth).filter(pk=evaluation_id).first()
    if e is None:
        raise Http404("Évaluation introuvable.")
    return {
        **_evaluation(e),
        "sections": _sections(e),
        "revues": [
            {
                "tour": r.tour,
                "role": r.role,
                "date": r.date,
                "avis": r.avis,
                "commentaire": r.commentaire,
            }
            for r in e.revues.all()
        ],
        "parcours": [
            {
                "action": t.action,
                "libelle": cycle.LIBELLES.get(t.action, t.action),
                "etat_avant": t.etat_avant,
                "etat_apres": t.etat_apres,
                "date": t.date,
                "commentaire": t.commentaire,
            }
            for t in e.transitions.all()
        ],
        "chiffres": chiffres.chiffres_de(e).en_json(),
    }
