"""API of the fiches-actions: list, detail, creation and edition. Their moves along the
validation path (one endpoint per move of fiches.cycle, a funder's decision on its line) are
in api.parcours, on the same paths under /fiches/{uuid}/.

Reads go through `fiches_visibles(utilisateur(request))`: anonymous callers see the contracted
fiches (inscrites, réalisées), a token sees exactly its account's scope. Writes need a token and
run as that account for the audit log (api.auth.ecriture).

Status codes, the same on every write (bodies built by api.erreurs):
- 400: a body that is not a JSON object, or an address holding a control character.
- 401: no token, or a bad one (reads too when a bad token is sent).
- 404: the fiche (or the line) is not visible to the caller: its existence is not disclosed.
- 403: the fiche is visible but the caller may not do this (French detail). Creation answers
  403 too when the territory is not one the caller works on: territories are public (the map),
  so a 404 would hide nothing; only unknown references in a body are refused, with 422.
- 409: only the optimistic lock of PATCH (`version` outdated), with the differences.
- 422: a rule refuses the request — a move impossible from the current state, a missing
  opinion, motive or decision, a date in the future, a field the model rejects — with the
  French message; nothing is written. Schema errors of the body are 422 as well (a list,
  each message in French), integers beyond their bounds among them (api.schemas).
  fiches.cycle checks the state before the right, so a move impossible now is 422 whoever
  asks; the decision on a line checks the right first.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from comptes import secrets
from comptes.permissions import organisations_visibles
from comptes.selectors import nom_de_l_auteur
from fiches import cycle, services
from fiches.controles import controler, lisibles
from fiches.lecture import Annexes, annexes
from fiches.models import FicheAction, Filiere
from fiches.selectors import du_territoire_de_code, en_lignes, fiches_visibles, filtrer
from financements.selectors import annoter, argent
from mesures.models import Mesure
from referentiel.models import EPCI, Commune
from territoires.models import Territoire

from .auth import Jeton, ecriture, utilisateur
from .erreurs import ERREURS_ECRITURE, Conflit, Erreur, sans_ecraser
from .listes import par_lecteur
from .schemas import Pagination
from .schemas.fiches import FicheDetailOut, FicheIn, FicheOut, FichePatch, FiltresFiches

router = Router(tags=["Fiches-actions"])

CONFLIT = "La fiche a été modifiée entre-temps : rien n'a été écrasé."


# --- Bodies: ids → objects, through the caller's scope ------------------------------------


def fiche_visible(user, uuid: UUID) -> FicheAction:
    fiche = (
        fiches_visibles(user)
        .filter(uuid=uuid)
        .select_related("territoire", "porteur", "filiere")
        .first()
    )
    if fiche is None:
        raise Http404("Fiche introuvable.")
    return fiche


def _un(qs, pk, quoi: str):
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ValidationError(f"{quoi} {pk} introuvable.")
    return obj


def _tous(qs, cles, champ: str, quoi: str) -> list:
    cles = list(dict.fromkeys(cles))
    objets = list(qs.filter(**{f"{champ}__in": cles}))
    manquants = set(cles) - {getattr(o, champ) for o in objets}
    if manquants:
        raise ValidationError(f"{quoi} introuvable(s) : {', '.join(map(str, sorted(manquants)))}.")
    return objets


def _resoudre(user, donnees: dict) -> tuple[dict, dict]:
    """Ids of the body → objects, seen through the caller's scope (an organisation one may not
    see is as unknown as a wrong id). Returns the fields and the many-to-many sets."""
    orgs = organisations_visibles(user)
    if "porteur" in donnees:
        donnees["porteur"] = _un(orgs, donnees["porteur"], "Porteur")
    if "filiere" in donnees:
        donnees["filiere"] = _un(Filiere.objects.all(), donnees["filiere"], "Filière")
    m2m = {}
    if donnees.get("partenaires") is not None:
        m2m["partenaires"] = _tous(orgs, donnees["partenaires"], "pk", "Partenaire")
    if donnees.get("epcis") is not None:
        m2m["epcis"] = _tous(EPCI.objects.all(), donnees["epcis"], "siren", "Intercommunalité")
    if donnees.get("communes") is not None:
        m2m["communes"] = _tous(Commune.objects.all(), donnees["communes"], "code", "Commune")
    if donnees.get("mesures") is not None:
        m2m["mesures"] = _tous(Mesure.objects.all(), donnees["mesures"], "pk", "Mesure")
    for nom in services.M2M_FICHE:
        donnees.pop(nom, None)
    return donnees, m2m


def _lignes_in(user, lignes: list[dict] | None) -> list[dict] | None:
    if lignes is None:
        return None
    orgs = organisations_visibles(user)
    return [
        {
            **ligne,
            "financeur": _un(orgs, ligne["financeur"], f"Ligne {i} : financeur"),
            "mesure": _un(Mesure.objects.all(), ligne.get("mesure"), f"Ligne {i} : mesure"),
        }
        for i, ligne in enumerate(lignes, start=1)
    ]


# --- Answers ------------------------------------------------------------------------------


def chemin(mouvement: str) -> str:
    """The path of a move's endpoint, under /fiches/{uuid}/: « avis_local » → « avis-local »."""
    return mouvement.replace("_", "-")


def transition_out(lecteur, t) -> dict:
    return {
        "action": t.action,
        "libelle": cycle.libelle_action(t.action),
        "etat_avant": t.etat_avant,
        "etat_apres": t.etat_apres,
        "avis": t.avis,
        "par": nom_de_l_auteur(lecteur, t.par),
        "le": t.le,
        "date_effet": t.date_effet,
        "motif": t.motif,
        "decision": t.decision.intitule if t.decision else None,
    }


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "nom": obj.nom} if obj is not None else None


def _lignes_out(user, lues: list) -> list[dict]:
    lignes = []
    # Paid: the sum of the line's payments (financements.selectors), as secret as its amount.
    for ligne in lues:
        valeurs, masques = secrets.valeurs(user, ligne, ("montant",), canal="api")
        lignes.append(
            {
                "id": ligne.pk,
                "financeur": _ref(ligne.financeur),
                "mesure": _ref(ligne.mesure),
                "section": ligne.section,
                "montant": valeurs["montant"],
                "statut": ligne.statut,
                "de_minimis": ligne.de_minimis,
                "demande_le": ligne.demande_le,
                "decide_le": ligne.decide_le,
                "paye": None if "montant" in masques else argent(ligne).paye,
                "dernier_paiement": ligne.dernier_paiement,
                "champs_secrets": ligne.champs_secrets,
                "masques": masques,
            }
        )
    return lignes


def _suivi_out(user, fiche: FicheAction, a: Annexes, lignes: list) -> dict:
    """What follows the fiche's content: indicators, history, checks, the moves open now."""
    indicateurs = a.indicateurs
    transitions = sorted(a.transitions, key=lambda t: (t.le, t.pk))  # in order of recording
    return {
        "indicateurs": [
            {
                "id": i.pk,
                "libelle": i.libelle,
                "unite": i.unite,
                "cible": i.cible,
                "valeurs": [{"date": v.date, "valeur": v.valeur} for v in i.valeurs.all()],
            }
            for i in indicateurs
        ],
        "transitions": [transition_out(user, t) for t in transitions],
        "controles": [
            {"code": c.code, "message": c.message, "chiffres": c.chiffres, "motif": c.motif}
            for c in lisibles(user, fiche, controler(fiche, lignes=lignes))
        ],
        "mouvements": [
            {"mouvement": nom, "libelle": cycle.MOUVEMENTS[nom].libelle, "chemin": chemin(nom)}
            for nom in cycle.mouvements_possibles(user, fiche)
        ],
    }


def _detail(user, fiche: FicheAction, *, relire: bool = True) -> dict:
    """The whole fiche; secret fields through comptes.secrets (masked, or read and logged,
    in one write for the fiche and its lines). `relire`: after a write, read it afresh."""
    if relire:
        fiche = FicheAction.objects.select_related("territoire", "porteur", "filiere").get(
            pk=fiche.pk
        )
    with secrets.journal_groupe():
        return _contenu(user, fiche)


def _contenu(user, fiche: FicheAction) -> dict:
    valeurs, masques = secrets.valeurs(user, fiche, FicheAction.SECRETABLE, canal="api")
    a = annexes(fiche)
    lignes = list(annoter(fiche.lignes.select_related("financeur", "mesure")))
    t = fiche.territoire
    return {
        "uuid": fiche.uuid,
        "reference": fiche.reference,
        "territoire": {"code": t.code, "nom": t.nom, "phase": t.phase_id},
        "numero": fiche.numero,
        "titre": fiche.titre,
        "axe": fiche.axe,
        "contexte": fiche.contexte,
        "description": valeurs["description"],
        "porteur": {"id": fiche.porteur_id, "nom": fiche.porteur.nom, "type": fiche.porteur.type},
        "partenaires": [_ref(o) for o in a.partenaires],
        "portee": fiche.portee,
        "epcis": [e.siren for e in a.epcis],
        "communes": [c.code for c in a.communes],
        "filiere": fiche.filiere.nom if fiche.filiere else None,
        "collective": fiche.collective,
        "maturite": fiche.maturite,
        "date_debut": fiche.date_debut,
        "date_fin": fiche.date_fin,
        "cout_total": valeurs["cout_total"],
        "mesures": [_ref(m) for m in a.mesures],
        "contrat_valorise": fiche.contrat_valorise,
        "demande_simplification": fiche.demande_simplification,
        "probleme": fiche.probleme,
        "nature_simplification": fiche.nature_simplification,
        "orientation": fiche.orientation,
        "etat": fiche.etat,
        "libelle_etat": fiche.get_etat_display(),
        "phase_execution": fiche.phase_execution,
        "statut_execution": fiche.statut_execution_derive(),
        "champs_secrets": fiche.champs_secrets,
        "masques": masques,
        "version": fiche.version,
        "cree_le": fiche.cree_le,
        "modifie_le": fiche.modifie_le,
        "lignes": _lignes_out(user, lignes),
        **_suivi_out(user, fiche, a, lignes),
    }


# --- Reads --------------------------------------------------------------------------------


@router.get(
    "/fiches",
    response=list[FicheOut],
    summary="Liste des fiches-actions visibles",
)
# No amount in the list: kept per reader and version of the data (api.listes).
@par_lecteur("api-fiches", FicheOut, utilisateur)
@paginate(Pagination)
def liste_fiches(request, filtres: Query[FiltresFiches]):
    """Sans jeton : les fiches inscrites au contrat ou réalisées. Avec un jeton : exactement
    les fiches de son périmètre (401 si le jeton est invalide). Filtres par territoire, région,
    axe, état, type de porteur, financeur, mesure ou texte ; `count` donne le total. Aucun
    montant dans la liste : voir le détail."""
    qs = fiches_visibles(utilisateur(request))
    if filtres.territoire:
        qs = du_territoire_de_code(qs, filtres.territoire)
    if filtres.phase is not None:
        qs = qs.filter(territoire__phase_id=filtres.phase)
    qs = filtrer(
        qs,
        region=filtres.region,
        axe=filtres.axe,
        etat=filtres.etat,
        type_porteur=filtres.type_porteur,
        financeur=filtres.financeur,
        mesure=filtres.mesure,
        q=filtres.q,
    )
    return en_lignes(qs)


@router.get(
    "/fiches/{uuid}",
    response={200: FicheDetailOut, 401: Erreur, 404: Erreur},
    summary="Une fiche-action : plan de financement, indicateurs, historique, contrôles",
)
def detail_fiche(request, uuid: UUID):
    """Les champs secrets (montants, coût, description) valent null et sont listés dans
    `masques` sans droit d'en connaître ; sinon ils sont donnés et la lecture est journalisée.
    Les contrôles du plan de financement donnent toujours leur constat, leurs chiffres
    seulement à qui peut lire les montants (et, pour un cumul d'aides de minimis sur d'autres
    fiches, chacun de ces montants : secret statistique). 404 si la fiche n'est pas visible."""
    user = utilisateur(request)
    return _detail(user, fiche_visible(user, uuid), relire=False)


# --- Writes -------------------------------------------------------------------------------


@router.post(
    "/fiches",
    auth=Jeton(),
    response={201: FicheDetailOut, **ERREURS_ECRITURE},
    summary="Créer une fiche-action (brouillon)",
)
def creer_fiche(request, data: FicheIn):
    """Réservé à l'équipe du territoire (chef de projet, binôme) et au porteur. 403 si le
    territoire n'est pas le vôtre (les territoires sont publics : rien à cacher) ; 422 si une
    référence est inconnue ou qu'une règle refuse la fiche."""
    user = request.auth
    donnees = data.dict()
    code, phase = donnees.pop("territoire"), donnees.pop("phase")
    lignes, indicateurs = donnees.pop("lignes"), donnees.pop("indicateurs")
    if not donnees["champs_secrets"]:
        del donnees["champs_secrets"]  # none named: the default secrecy of fiches.services
    with ecriture(user):
        territoire = Territoire.objects.filter(code=code, phase_id=phase).first()
        if territoire is None:
            raise ValidationError(f"Territoire {code} (phase {phase}) introuvable.")
        donnees, m2m = _resoudre(user, donnees)
        fiche = services.creer_fiche(
            user=user,
            territoire=territoire,
            donnees=donnees,
            lignes=_lignes_in(user, lignes),
            m2m=m2m,
            indicateurs=indicateurs,
        )
    return Status(201, _detail(user, fiche))


@router.patch(
    "/fiches/{uuid}",
    auth=Jeton(),
    response={200: FicheDetailOut, 409: Conflit, **ERREURS_ECRITURE},
    summary="Modifier un brouillon de fiche (version obligatoire)",
)
def modifier_fiche(request, uuid: UUID, data: FichePatch):
    """Verrou optimiste : envoyer la `version` lue ; si quelqu'un a enregistré entre-temps,
    409 liste ce qui a changé et rien n'est écrasé. Seuls les champs envoyés changent ;
    `lignes` et `indicateurs`, s'ils sont envoyés, remplacent les précédents. Une fiche
    soumise ne se modifie plus (422) : le comité la renvoie « à retravailler »."""
    user = request.auth
    fiche = fiche_visible(user, uuid)
    donnees = data.dict(exclude_unset=True)
    version = donnees.pop("version")
    lignes, indicateurs = donnees.pop("lignes", None), donnees.pop("indicateurs", None)
    with sans_ecraser(CONFLIT), ecriture(user):
        donnees, m2m = _resoudre(user, donnees)
        fiche = services.modifier_fiche(
            user=user,
            fiche=fiche,
            version=version,
            donnees=donnees,
            lignes=_lignes_in(user, lignes),
            m2m=m2m,
            indicateurs=indicateurs,
        )
    return _detail(user, fiche)
