"""API of the follow-up: the programme's figures at every level, the instruction delays and
the lines past target, the reporting snapshots. Every answer is the caller's scope
(suivi.perimetre), every sum under statistical secrecy (a withheld figure is null with its
`motif`); the rules live in suivi, not here."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from comptes.models import Organisation
from mesures.enums import CHOIX_AXES
from suivi import chiffres, delais, instantanes, services
from suivi.permissions import engagements_annonces_visibles, instantanes_visibles
from territoires.models import Phase
from territoires.selectors import trouver_territoire

from .auth import Jeton, ecriture, utilisateur
from .erreurs import ERREURS_ECRITURE, Erreur
from .schemas import Cle, Identifiant, Jour

router = Router(tags=["Suivi : chiffres, délais, instantanés"])

Niveau = Literal[
    "phase", "region", "territoire", "financeur", "mesure", "axe", "mois", "trimestre", "annee"
]
AxeOuPriorite = Literal[tuple(v for v, _ in CHOIX_AXES)]  # type: ignore[valid-type]


class Filtres(Schema):
    phase: Identifiant | None = None
    region: Cle | None = Field(None, max_length=3, description="Code INSEE de la région.")
    territoire: Cle | None = Field(None, max_length=12, description="« ti-8401 », « 8401 »…")
    financeur: Identifiant | None = Field(None, description="Identifiant de l'organisation.")
    mesure: Identifiant | None = None
    axe: AxeOuPriorite | None = None
    debut: Jour | None = Field(None, description="Jour de chaque chiffre, à partir de (incluse).")
    fin: Jour | None = Field(None, description="Jusqu'à (incluse).")


class FiltresChiffres(Filtres):
    par: Niveau | None = Field(None, description="Niveau de la répartition.")


class ChiffreOut(Schema):
    valeur: Decimal | None = Field(description="En euros (ou un rapport) ; null si retenu.")
    motif: str | None = Field(description="Pourquoi le chiffre est retenu (secret statistique).")


class MontantsOut(Schema):
    demande: ChiffreOut
    accorde: ChiffreOut
    engage: ChiffreOut
    paye: ChiffreOut
    reste_a_payer: ChiffreOut
    taux_accord: ChiffreOut
    effet_levier: ChiffreOut


class LigneChiffresOut(MontantsOut):
    cle: str | None
    libelle: str


class ChiffresOut(Schema):
    ensemble: MontantsOut
    lignes: list[LigneChiffresOut]


def _filtres(f: Filtres) -> dict:
    out = f.dict(exclude={"par"}, exclude_none=True)
    if f.territoire:
        t = trouver_territoire(f.territoire, f.phase)
        if t is None:
            raise Http404(f"Territoire {f.territoire} introuvable.")
        out["territoire"] = t.pk
    return out


def _chiffre(v) -> dict:
    return {"valeur": v.valeur, "motif": v.motif or None}


def _montants(m: chiffres.Montants) -> dict:
    return {nom: _chiffre(getattr(m, nom)) for nom in MontantsOut.model_fields}


@router.get(
    "/suivi/chiffres",
    response={200: ChiffresOut, 401: Erreur, 404: Erreur, 422: Erreur},
    operation_id="api_suivi_chiffres",
)
def chiffres_(request, filtres: Query[FiltresChiffres]):
    """Demandé, accordé, engagé, payé, reste à payer, part accordée et effet de levier sur ce
    que vous voyez (sans jeton : les fiches inscrites au contrat), avec n'importe quelle
    combinaison de filtres, et leur répartition par niveau (`par`). Définitions :
    docs/adr/0013-chiffres-et-delais.md."""
    user, f = utilisateur(request), _filtres(filtres)
    lignes = chiffres.repartition(user, filtres.par, **f) if filtres.par else []
    return {
        "ensemble": _montants(chiffres.montants(user, **f)),
        "lignes": [
            {
                "cle": None if r.cle is None else str(r.cle),
                "libelle": r.libelle,
                **_montants(r.montants),
            }
            for r in lignes
        ],
    }


class EtapeOut(Schema):
    n: int
    mediane: float | None = Field(description="Médiane, en jours.")
    p90: int | None = Field(description="Le dixième le plus lent a pris au moins ces jours.")
    hors_cible: int


class LigneDelaisOut(Schema):
    cle: str | None
    libelle: str
    etapes: dict[str, EtapeOut]


class AttenteOut(Schema):
    ligne: int
    fiche: int
    financeur: str
    etape: str
    depuis: Jour
    jours: int
    cible: int | None
    retard: int | None
    attend: str


class DelaisOut(Schema):
    lignes: list[LigneDelaisOut]
    en_retard: list[AttenteOut]


class FiltresDelais(Filtres):
    par: Niveau | None = Field(None, description="Niveau de la répartition.")


@router.get(
    "/suivi/delais",
    response={200: DelaisOut, 401: Erreur, 404: Erreur, 422: Erreur},
    operation_id="api_suivi_delais",
)
def delais_(request, filtres: Query[FiltresDelais]):
    """Médiane et 90e centile, en jours, de chaque étape (demande → décision → engagement →
    premier paiement → dernier paiement), par niveau ; les lignes en retard sur leur cible."""
    user, f = utilisateur(request), _filtres(filtres)
    return {
        "lignes": [
            {
                "cle": None if r.cle is None else str(r.cle),
                "libelle": r.libelle,
                "etapes": {e: s.__dict__ for e, s in r.etapes.items()},
            }
            for r in delais.delais(user, filtres.par, **f)
        ],
        "en_retard": [
            {**a.__dict__, "ligne": a.ligne_id, "fiche": a.fiche_id, "retard": a.retard}
            for a in delais.en_retard(user, **f)
        ],
    }


class InstantaneOut(Schema):
    id: int
    libelle: str
    date: Jour
    region: str | None
    phase: int | None
    le: datetime


class InstantaneDetailOut(InstantaneOut):
    donnees: dict


def _instantane(i) -> dict:
    return {
        "id": i.pk,
        "libelle": i.libelle,
        "date": i.date,
        "region": i.region_id,
        "phase": i.phase_id,
        "le": i.le,
    }


@router.get("/suivi/instantanes", response={200: list[InstantaneOut], 401: Erreur}, auth=Jeton())
def liste_instantanes(request):
    """Les instantanés que vous pouvez lire : nationaux pour la délégation nationale, ceux de
    sa région pour le pilote d'une Région."""
    return [_instantane(i) for i in instantanes_visibles(request.auth)]


@router.get(
    "/suivi/instantanes/{pk}",
    response={200: InstantaneDetailOut, 401: Erreur, 404: Erreur},
    auth=Jeton(),
)
def detail_instantane(request, pk: Identifiant):
    """Un instantané et ses chiffres figés, niveau par niveau (404 hors de votre portée)."""
    i = instantanes.instantane(request.auth, pk)
    return {**_instantane(i), "donnees": i.donnees}


# --- Operators' announced commitments -----------------------------------------------------


class EngagementAnnonceOut(Schema):
    id: int
    operateur: int
    operateur_nom: str
    phase: int
    montant: Decimal = Field(description="Montant annoncé, en euros.")
    date: Jour = Field(description="Jour de l'annonce.")
    source: str
    version: int = Field(description="Version lue (verrou optimiste des pages).")
    le: datetime = Field(description="Enregistré ou modifié le.")


class EngagementAnnonceIn(Schema):
    operateur: Identifiant = Field(description="Identifiant de l'organisation (opérateur).")
    phase: Identifiant
    montant: Decimal = Field(description="En euros, positif, deux décimales au plus.")
    date: Jour = Field(description="Jour de l'annonce, ni future ni avant 2000.")
    source: Cle = Field(max_length=300, description="Où l'annonce a été faite.")


def _annonce(a) -> dict:
    return {
        "id": a.pk,
        "operateur": a.operateur_id,
        "operateur_nom": a.operateur.nom,
        "phase": a.phase_id,
        "montant": Decimal(a.montant).quantize(Decimal("0.01")),
        "date": a.date,
        "source": a.source,
        "version": a.version,
        "le": a.le,
    }


@router.get(
    "/suivi/engagements-annonces",
    response={200: list[EngagementAnnonceOut], 401: Erreur},
    auth=Jeton(),
    operation_id="api_suivi_liste_engagements_annonces",
)
def liste_engagements_annonces(request):
    """Les engagements annoncés des opérateurs que vous pouvez lire : tous pour la délégation
    nationale, ceux de son opérateur pour son référent. Chacun face aux chiffres réels :
    `/suivi/chiffres?par=financeur`."""
    return [_annonce(a) for a in engagements_annonces_visibles(request.auth)]


@router.post(
    "/suivi/engagements-annonces",
    response={201: EngagementAnnonceOut, **ERREURS_ECRITURE},
    auth=Jeton(),
    operation_id="api_suivi_annoncer_engagement",
)
def annoncer_engagement(request, data: EngagementAnnonceIn):
    """Enregistre l'engagement qu'un opérateur a annoncé pour une phase, avec sa source : la
    délégation nationale seule (403 sinon) ; 404 pour un opérateur ou une phase inconnus ;
    422 si une règle le refuse (montant, date future, entreprise), rien d'écrit."""
    user = request.auth
    operateur = Organisation.objects.filter(pk=data.operateur).first()
    phase = Phase.objects.filter(pk=data.phase).first()
    with ecriture(user):
        if operateur is None or phase is None:
            services.exiger_annonce(user)  # a refusal says 403 before « not found »
            raise Http404("Opérateur ou phase introuvable.")
        a = services.annoncer_engagement(
            user=user,
            operateur=operateur,
            phase=phase,
            montant=data.montant,
            date=data.date,
            source=data.source,
        )
    return Status(201, _annonce(a))
