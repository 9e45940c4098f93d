"""API of the fiches-actions: list, detail, creation, edition and the validation path.

Reads go through `fiches_visibles(utilisateur(request))`: anonymous callers see the contracted
fiches (inscrites, réalisées), a token sees exactly its account's scope. Writes need a token and
run as that account for the audit log.

Status codes, the same on every write:
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

from contextlib import contextmanager
from datetime import date as Date
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from comptes import secrets
from comptes.permissions import organisations_visibles, portee
from comptes.services import ConflitEdition
from fiches import cycle, services
from fiches.controles import controler, lisibles
from fiches.enums import Avis
from fiches.models import FicheAction, Filiere
from fiches.selectors import fiches_visibles, filtrer
from mesures.models import Mesure
from referentiel.models import EPCI, Commune
from territoires.models import Instance, Territoire

from .auth import Jeton, utilisateur
from .erreurs import message as _messages
from .schemas import Cle, Conflit, Erreur, Identifiant, Pagination

router = Router(tags=["Fiches-actions"])

CHAMPS_SECRETS_FICHE = FicheAction.SECRETABLE  # cout_total, description


# --- Schemas ------------------------------------------------------------------------------


class Reference(Schema):
    id: int
    nom: str


class PorteurOut(Reference):
    type: str


class TerritoireRef(Schema):
    code: str
    nom: str
    phase: int


class FicheOut(Schema):
    """A fiche in a list: no amount, no field that may be secret."""

    uuid: UUID
    reference: str
    territoire: TerritoireRef
    titre: str
    axe: str
    etat: str
    libelle_etat: str
    porteur: PorteurOut
    maturite: str
    date_debut: Date | None
    date_fin: Date | None
    statut_execution: str
    version: int
    modifie_le: datetime

    @staticmethod
    def resolve_territoire(obj):
        t = obj.territoire
        return {"code": t.code, "nom": t.nom, "phase": t.phase_id}

    @staticmethod
    def resolve_libelle_etat(obj):
        return obj.get_etat_display()

    @staticmethod
    def resolve_statut_execution(obj):
        return obj.statut_execution_derive()


class LigneOut(Schema):
    id: int
    financeur: Reference
    mesure: Reference | None
    section: str
    montant: Decimal | None = Field(description="En euros ; null si secret pour vous.")
    statut: str
    de_minimis: bool
    demande_le: Date | None
    decide_le: Date | None
    paye_le: Date | None
    champs_secrets: list[str]
    masques: list[str] = Field(description="Champs secrets que vous ne pouvez pas lire.")


class ValeurOut(Schema):
    date: Date
    valeur: Decimal


class IndicateurOut(Schema):
    id: int
    libelle: str
    unite: str
    cible: Decimal | None
    valeurs: list[ValeurOut]


class TransitionOut(Schema):
    action: str
    libelle: str
    etat_avant: str
    etat_apres: str
    avis: str
    par: str | None = Field(description="Auteur du mouvement ; null pour un lecteur anonyme.")
    le: datetime = Field(description="Enregistré le.")
    date_effet: Date = Field(description="Date de la décision ou du mouvement.")
    motif: str
    decision: str | None


class ControleOut(Schema):
    code: str
    message: str
    chiffres: dict[str, str] | None = Field(
        description="Les montants du constat ; null sans droit d'en connaître."
    )
    motif: str = Field(
        "",
        description="Pourquoi les chiffres ne vous sont pas donnés : secret industriel, ou "
        "secret statistique quand ils cumulent des montants d'autres fiches.",
    )


class MouvementPossible(Schema):
    mouvement: str
    libelle: str
    chemin: str


class FicheDetailOut(Schema):
    uuid: UUID
    reference: str
    territoire: TerritoireRef
    numero: int
    titre: str
    axe: str
    contexte: str
    description: str | None
    porteur: PorteurOut
    partenaires: list[Reference]
    portee: str
    epcis: list[str]
    communes: list[str]
    filiere: str | None
    collective: bool
    maturite: str
    date_debut: Date | None
    date_fin: Date | None
    cout_total: Decimal | None
    mesures: list[Reference]
    contrat_valorise: str
    demande_simplification: bool
    probleme: str
    nature_simplification: str
    orientation: str
    etat: str
    libelle_etat: str
    phase_execution: str
    statut_execution: str
    champs_secrets: list[str]
    masques: list[str] = Field(description="Champs secrets de la fiche que vous ne lisez pas.")
    version: int
    cree_le: datetime
    modifie_le: datetime
    lignes: list[LigneOut]
    indicateurs: list[IndicateurOut]
    transitions: list[TransitionOut]
    controles: list[ControleOut]
    mouvements: list[MouvementPossible] = Field(
        description="Les mouvements que vous pouvez faire maintenant."
    )


class MouvementOut(Schema):
    uuid: UUID
    etat: str
    libelle_etat: str
    version: int
    transition: TransitionOut


class FiltresFiches(Schema):
    territoire: str | None = Field(None, description="Code du territoire, par exemple 8401.")
    phase: Identifiant | None = None
    region: str | None = Field(None, description="Code INSEE de la région.")
    axe: str | None = Field(None, description="Un axe (phase 1) ou une priorité (phase 2).")
    etat: str | None = None
    type_porteur: str | None = None
    financeur: Identifiant | None = Field(None, description="Identifiant de l'organisation.")
    mesure: Identifiant | None = None
    q: str | None = Field(None, description="Mots du titre, du contexte ou du problème.")


class LigneIn(Schema):
    financeur: Identifiant = Field(description="Identifiant de l'organisation sollicitée.")
    mesure: Identifiant | None = None
    section: str = Field(description="fonctionnement ou investissement.")
    montant: Decimal = Field(description="En euros.")
    de_minimis: bool = False
    champs_secrets: list[str] = Field([], description='["montant"] pour le tenir secret.')


class IndicateurIn(Schema):
    libelle: str
    unite: str
    cible: Decimal | None = None


AXE = (
    "Axe (phase 1) : attirer, recruter, innover ou simplifier ; priorité (phase 2) : "
    "competences, transition, innovation ou foncier. Les valeurs de l'autre phase sont "
    "refusées (422)."
)
SIMPLIFICATION = (
    "Phase 2 : la fiche porte une demande de simplification, quelle que soit sa priorité "
    "(`probleme` obligatoire). En phase 1, c'est l'axe « simplifier »."
)


class FicheIn(Schema):
    territoire: Cle = Field(description="Code du territoire.")
    phase: Identifiant = Field(description="Phase du programme du territoire.")
    titre: str
    axe: str = Field(description=AXE)
    porteur: Identifiant = Field(description="Identifiant de l'organisation porteuse.")
    contexte: str = ""
    description: str = ""
    portee: str = "territoire"
    filiere: Identifiant | None = None
    collective: bool = True
    maturite: str = "idee"
    date_debut: Date | None = None
    date_fin: Date | None = None
    cout_total: Decimal | None = None
    contrat_valorise: str = ""
    demande_simplification: bool = Field(False, description=SIMPLIFICATION)
    probleme: str = ""
    nature_simplification: str = ""
    orientation: str = ""
    champs_secrets: list[str] = Field([], description="Parmi cout_total et description.")
    partenaires: list[Identifiant] = []
    epcis: list[Cle] = Field([], description="SIREN des intercommunalités.")
    communes: list[Cle] = Field([], description="Codes INSEE des communes.")
    mesures: list[Identifiant] = []
    lignes: list[LigneIn] = []
    indicateurs: list[IndicateurIn] = []


class FichePatch(Schema):
    version: Identifiant = Field(description="La version lue : obligatoire (verrou optimiste).")
    titre: str | None = None
    axe: str | None = Field(None, description=AXE)
    porteur: Identifiant | None = None
    contexte: str | None = None
    description: str | None = None
    portee: str | None = None
    filiere: Identifiant | None = None
    collective: bool | None = None
    maturite: str | None = None
    date_debut: Date | None = None
    date_fin: Date | None = None
    cout_total: Decimal | None = None
    contrat_valorise: str | None = None
    demande_simplification: bool | None = None
    probleme: str | None = None
    nature_simplification: str | None = None
    orientation: str | None = None
    champs_secrets: list[str] | None = None
    partenaires: list[Identifiant] | None = None
    epcis: list[Cle] | None = None
    communes: list[Cle] | None = None
    mesures: list[Identifiant] | None = None
    lignes: list[LigneIn] | None = Field(None, description="Remplace tout le plan de financement.")
    indicateurs: list[IndicateurIn] | None = Field(None, description="Remplace les indicateurs.")


class MouvementIn(Schema):
    date_effet: Date | None = Field(None, description="Date du mouvement ; aujourd'hui par défaut.")
    motif: str = ""


class DecisionIn(MouvementIn):
    decision_texte: str = Field("", description="Résumé de la décision de l'instance.")


class AvisIn(DecisionIn):
    avis: str = Field("", description="favorable, defavorable ou a_retravailler.")


class DecisionLigneIn(Schema):
    statut: str = Field(description="accorde, refuse (en instruction) ou paye (une fois retenue).")
    date_effet: Date | None = None
    motif: str = ""


# --- Helpers ------------------------------------------------------------------------------


@contextmanager
def _ecriture(user):
    """One transaction, recorded in the audit log as `user`; refusals become 403 / 422 after
    the rollback. ConflitEdition goes through, for the caller to answer 409."""
    try:
        with transaction.atomic(), set_actor(user):
            yield
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Action non autorisée.") from exc
    except ValidationError as exc:
        raise HttpError(422, _messages(exc)) from exc


def _fiche_visible(user, uuid: UUID) -> FicheAction:
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


def _secrets_admis(noms, admis, quoi: str) -> list[str]:
    inconnus = set(noms) - set(admis)
    if inconnus:
        raise ValidationError(
            f"{quoi} : seuls {', '.join(admis)} peuvent être secrets "
            f"(pas {', '.join(sorted(inconnus))})."
        )
    return [c for c in admis if c in set(noms)]


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
    out = []
    for i, ligne in enumerate(lignes, start=1):
        out.append(
            {
                **ligne,
                "financeur": _un(orgs, ligne["financeur"], f"Ligne {i} : financeur"),
                "mesure": _un(Mesure.objects.all(), ligne.get("mesure"), f"Ligne {i} : mesure"),
                "champs_secrets": _secrets_admis(
                    ligne.get("champs_secrets") or [], ("montant",), f"Ligne {i}"
                ),
            }
        )
    return out


def _ecrire_champs_secrets(fiche: FicheAction, noms: list[str]) -> None:
    # Nor which of the fiche's fields are secret (CHAMPS_FICHE lacks champs_secrets).
    fiche.champs_secrets = noms
    fiche.save(update_fields=["champs_secrets", "modifie_le"])


def _nom(user) -> str:
    personne = getattr(user, "personne", None) if hasattr(user, "personne") else None
    return str(personne) if personne else user.email


def _transition_out(t, lecteur_connu: bool) -> dict:
    return {
        "action": t.action,
        "libelle": cycle.libelle_action(t.action),
        "etat_avant": t.etat_avant,
        "etat_apres": t.etat_apres,
        "avis": t.avis,
        "par": _nom(t.par) if lecteur_connu else None,
        "le": t.le,
        "date_effet": t.date_effet,
        "motif": t.motif,
        "decision": t.decision.intitule if t.decision else None,
    }


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "nom": obj.nom} if obj is not None else None


def _detail(user, fiche: FicheAction) -> dict:
    """The whole fiche; secret fields through comptes.secrets (masked, or read and logged)."""
    fiche = FicheAction.objects.select_related("territoire", "porteur", "filiere").get(pk=fiche.pk)
    valeurs, masques = secrets.valeurs(user, fiche, CHAMPS_SECRETS_FICHE, canal="api")
    lignes = []
    for ligne in fiche.lignes.select_related("financeur", "mesure"):
        v, m = secrets.valeurs(user, ligne, ("montant",), canal="api")
        lignes.append(
            {
                "id": ligne.pk,
                "financeur": _ref(ligne.financeur),
                "mesure": _ref(ligne.mesure),
                "section": ligne.section,
                "montant": v["montant"],
                "statut": ligne.statut,
                "de_minimis": ligne.de_minimis,
                "demande_le": ligne.demande_le,
                "decide_le": ligne.decide_le,
                "paye_le": ligne.paye_le,
                "champs_secrets": ligne.champs_secrets,
                "masques": m,
            }
        )
    connu = portee(user).authentifie
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
        "partenaires": [_ref(o) for o in fiche.partenaires.all()],
        "portee": fiche.portee,
        "epcis": list(fiche.epcis.values_list("siren", flat=True)),
        "communes": list(fiche.communes.values_list("code", flat=True)),
        "filiere": fiche.filiere.nom if fiche.filiere else None,
        "collective": fiche.collective,
        "maturite": fiche.maturite,
        "date_debut": fiche.date_debut,
        "date_fin": fiche.date_fin,
        "cout_total": valeurs["cout_total"],
        "mesures": [_ref(m) for m in fiche.mesures.all()],
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
        "lignes": lignes,
        "indicateurs": [
            {
                "id": i.pk,
                "libelle": i.libelle,
                "unite": i.unite,
                "cible": i.cible,
                "valeurs": [{"date": v.date, "valeur": v.valeur} for v in i.valeurs.all()],
            }
            for i in fiche.indicateurs.prefetch_related("valeurs").order_by("id")
        ],
        "transitions": [
            _transition_out(tr, connu)
            for tr in fiche.transitions.select_related("par__personne", "decision")
        ],
        "controles": [
            {"code": c.code, "message": c.message, "chiffres": c.chiffres, "motif": c.motif}
            for c in lisibles(user, fiche, controler(fiche))
        ],
        "mouvements": [
            {
                "mouvement": nom,
                "libelle": cycle.MOUVEMENTS[nom].libelle,
                "chemin": _chemin(nom),
            }
            for nom in cycle.mouvements_possibles(user, fiche)
        ],
    }


# --- Reads --------------------------------------------------------------------------------


@router.get(
    "/fiches",
    response=list[FicheOut],
    summary="Liste des fiches-actions visibles",
)
@paginate(Pagination)
def liste_fiches(request, filtres: Query[FiltresFiches]):
    """Sans jeton : les fiches inscrites au contrat ou réalisées. Avec un jeton : exactement
    les fiches de son périmètre (401 si le jeton est invalide). Filtres par territoire, région,
    axe, état, type de porteur, financeur, mesure ou texte ; `count` donne le total. Aucun
    montant dans la liste : voir le détail."""
    qs = fiches_visibles(utilisateur(request))
    if filtres.territoire:
        qs = qs.filter(territoire__code=filtres.territoire)
    if filtres.phase is not None:
        qs = qs.filter(territoire__phase_id=filtres.phase)
    return filtrer(
        qs,
        region=filtres.region,
        axe=filtres.axe,
        etat=filtres.etat,
        type_porteur=filtres.type_porteur,
        financeur=filtres.financeur,
        mesure=filtres.mesure,
        q=filtres.q,
    )


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
    return _detail(user, _fiche_visible(user, uuid))


# --- Writes -------------------------------------------------------------------------------

ERREURS_ECRITURE = {401: Erreur, 403: Erreur, 404: Erreur, 422: Erreur}


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
    noms_secrets = donnees.pop("champs_secrets")
    with _ecriture(user):
        territoire = Territoire.objects.filter(code=code, phase_id=phase).first()
        if territoire is None:
            raise ValidationError(f"Territoire {code} (phase {phase}) introuvable.")
        donnees, m2m = _resoudre(user, donnees)
        noms_secrets = _secrets_admis(noms_secrets, CHAMPS_SECRETS_FICHE, "Fiche")
        fiche = services.creer_fiche(
            user=user,
            territoire=territoire,
            donnees=donnees,
            lignes=_lignes_in(user, lignes),
            m2m=m2m,
            indicateurs=indicateurs,
        )
        if noms_secrets:
            _ecrire_champs_secrets(fiche, noms_secrets)
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
    fiche = _fiche_visible(user, uuid)
    donnees = data.dict(exclude_unset=True)
    version = donnees.pop("version")
    lignes, indicateurs = donnees.pop("lignes", None), donnees.pop("indicateurs", None)
    noms_secrets = donnees.pop("champs_secrets", None)
    try:
        with _ecriture(user):
            donnees, m2m = _resoudre(user, donnees)
            if noms_secrets is not None:
                noms_secrets = _secrets_admis(noms_secrets, CHAMPS_SECRETS_FICHE, "Fiche")
            fiche = services.modifier_fiche(
                user=user,
                fiche=fiche,
                version=version,
                donnees=donnees,
                lignes=_lignes_in(user, lignes),
                m2m=m2m,
                indicateurs=indicateurs,
            )
            if noms_secrets is not None:
                _ecrire_champs_secrets(fiche, noms_secrets)
    except ConflitEdition as exc:
        return Status(
            409,
            {
                "detail": "La fiche a été modifiée entre-temps : rien n'a été écrasé.",
                "differences": [
                    {
                        "champ": nom,
                        "votre_valeur": None if mien is None else str(mien),
                        "valeur_actuelle": None if actuel is None else str(actuel),
                    }
                    for nom, mien, actuel in exc.differences
                ],
            },
        )
    return Status(200, _detail(user, fiche))


def _mouvement_out(fiche_pk: int, transition) -> dict:
    fiche = FicheAction.objects.get(pk=fiche_pk)
    return {
        "uuid": fiche.uuid,
        "etat": fiche.etat,
        "libelle_etat": fiche.get_etat_display(),
        "version": fiche.version,
        "transition": _transition_out(transition, True),
    }


def _chemin(mouvement: str) -> str:
    return mouvement.replace("_", "-")


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
        texte += " `avis` : " + ", ".join(Avis.values) + " (`motif` obligatoire pour le dernier)."
    return (
        f"{texte}\n\n422 avec le message si le mouvement est impossible depuis l'état actuel ou "
        "s'il manque un élément (rien n'est écrit) ; 403 si la fiche vous est visible mais que "
        "ce mouvement ne vous revient pas ; 404 si elle ne l'est pas."
    )


def _endpoint_mouvement(mouvement: str, m: cycle.Mouvement) -> None:
    """One endpoint per move of the lifecycle table (fiches.cycle.MOUVEMENTS)."""

    def vue(request, uuid: UUID, data: _corps(m)):
        user = request.auth
        fiche = _fiche_visible(user, uuid)
        kwargs = data.dict()
        with _ecriture(user):
            t = cycle.appliquer(user=user, fiche=fiche, mouvement=mouvement, **kwargs)
        return Status(200, _mouvement_out(fiche.pk, t))

    vue.__name__ = f"mouvement_{mouvement}"
    router.post(
        f"/fiches/{{uuid}}/{_chemin(mouvement)}",
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
)
def decider_ligne(request, uuid: UUID, ligne_id: Identifiant, data: DecisionLigneIn):
    """Le financeur de la ligne (le référent de l'opérateur là où il intervient, ou
    l'organisation qui finance elle-même) l'accorde ou la refuse pendant l'instruction, puis
    en enregistre le paiement une fois la fiche retenue. Les dates rendent les délais
    mesurables. 403 si la ligne ne vous revient pas, 422 si la décision est impossible."""
    user = request.auth
    fiche = _fiche_visible(user, uuid)
    ligne = fiche.lignes.filter(pk=ligne_id).first()
    if ligne is None:
        raise Http404("Ligne de financement introuvable.")
    with _ecriture(user):
        t = cycle.decider_ligne(user=user, ligne=ligne, **data.dict())
    return Status(200, _mouvement_out(fiche.pk, t))
