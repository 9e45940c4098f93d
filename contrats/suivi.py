"""Deployment tracking (FAQ §6.1-§6.4): where each territory stands, which ones lag behind.

Per territory: binôme identified, referents designated (State, operators, Région), chef de
projet designated (required from phase 2), local committee held, protocol, contract,
avenants, fiches by stage, pilot flag. A fixed number of
queries whatever the number of territories: every figure is one grouped query.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from comptes.enums import Role
from comptes.models import Designation
from comptes.permissions import portee, territoires_suivis
from fiches.enums import Etat
from fiches.models import FicheAction, Transition
from gouvernance.enums import TypeComite
from gouvernance.models import Reunion
from referentiel.models import Region
from territoires.models import Phase
from territoires.selectors import phase_courante, vues_territoires

from .enums import EtatDocument
from .models import Avenant, Contrat, Protocole


@dataclass(frozen=True)
class Etape:
    nom: str
    debut: date
    fin: date | None
    texte: str


# The programme's calendar (FAQ §6.1-§6.4, §4.1-§4.2).
CALENDRIER = (
    Etape(
        "Lancement",
        date(2018, 11, 22),
        date(2019, 1, 31),
        "Conseil national de l'industrie du 22 novembre 2018 : la carte est dévoilée ; un socle "
        "d'informations partagées et un même langage (FAQ §6.1).",
    ),
    Etape(
        "Phase pilote",
        date(2019, 1, 1),
        date(2019, 3, 31),
        "Une trentaine de territoires pilotes engagent une première contractualisation autour "
        "du mois de mars, protocoles d'accord d'abord (FAQ §4.5, §6.3).",
    ),
    Etape(
        "Déploiement",
        date(2019, 4, 1),
        date(2019, 6, 30),
        "Sous le pilotage des Régions, tous les territoires : binômes, référents, instances, "
        "fiches, contrats signés au premier semestre 2019 (FAQ §4.2, §6.4).",
    ),
    Etape(
        "Période des contrats",
        date(2019, 1, 1),
        date(2022, 12, 31),
        "Les contrats couvrent 2019-2022, complétés par avenants (FAQ §4.1, §4.2).",
    ),
)

# Phase 2 requires each territory to have a dedicated chef de projet, co-financed by the State
# (call for applications 2023-2027); in phase 1 the FAQ speaks of him « le cas échéant ».
CHEF_DE_PROJET_REQUIS_DES_LA_PHASE = 2
PHASES = (1, 2)  # the phases the tracking pages offer to view

ETAPES_FICHES = (
    Etat.BROUILLON,
    Etat.SOUMISE,
    Etat.COPIL,
    Etat.INSTRUCTION,
    Etat.RETENUE,
    Etat.INSCRITE,
    Etat.REALISEE,
    Etat.NON_RETENUE,
)


@dataclass
class Deploiement:
    code: str
    nom: str
    phase: int
    pilote: bool
    regions: list[str]
    binome_elu: bool = False
    binome_industriel: bool = False
    referent_etat: bool = False
    referent_operateur: bool = False
    referent_region: bool = False
    chef_projet: bool = False
    comite_local: bool = False
    protocole: str = ""  # an EtatDocument value, "" when none (or not visible)
    protocole_signe_le: date | None = None
    contrat: str = ""
    contrat_signe_le: date | None = None
    avenants_signes: int = 0
    avenants_en_cours: int = 0
    fiches: dict[str, int] = field(default_factory=dict)

    @property
    def binome(self) -> bool:
        return self.binome_elu and self.binome_industriel

    @property
    def chef_projet_requis(self) -> bool:
        return self.phase >= CHEF_DE_PROJET_REQUIS_DES_LA_PHASE

    @property
    def manques(self) -> list[str]:
        """What the deployment phase expects and is still missing (FAQ §6.4)."""
        out = []
        if not self.binome:
            out.append("binôme élu-industriel")
        if not self.referent_etat:
            out.append("référent de l'État")
        if not self.referent_operateur:
            out.append("référent d'un opérateur")
        if not self.referent_region:
            out.append("référent de la Région")
        if self.chef_projet_requis and not self.chef_projet:
            out.append("chef de projet dédié")
        if not self.comite_local:
            out.append("comité de projet local réuni")
        if not any(self.fiches.get(e) for e in (Etat.RETENUE, Etat.INSCRITE, Etat.REALISEE)):
            out.append("fiches-actions retenues")
        if self.contrat != EtatDocument.SIGNE:
            out.append("contrat signé")
        return out

    @property
    def en_retard(self) -> bool:
        return bool(self.manques)

    @property
    def fiches_par_etape(self) -> list[tuple[str, int]]:
        return [(Etat(e).label, self.fiches.get(e, 0)) for e in ETAPES_FICHES]


def _comites_locaux(ids: set[int]) -> set[int]:
    """Territories whose local project committee has met: the governance's meetings say so
    (a floor below); an opinion of the local committee on a fiche is evidence too."""
    tenus = set(
        Transition.objects.filter(action="avis_local", fiche__territoire_id__in=ids)
        .values_list("fiche__territoire_id", flat=True)
        .distinct()
    )
    tenus |= set(
        Reunion.objects.filter(
            comite__type=TypeComite.COMITE_LOCAL,
            comite__territoire_id__in=ids,
            debut__lte=timezone.now(),
        )
        .values_list("comite__territoire_id", flat=True)
        .distinct()
    )
    return tenus


def deploiement(
    *,
    suivis: set[int] | None = None,
    region: str | None = None,
    territoires=None,
    phase: int | None = None,
):
    """Where each territory of the current map stands. `suivis`: territories whose drafts the
    person may know of (None: all); elsewhere only signed documents show. `phase`: the
    territories of that phase only."""
    vues = vues_territoires(territoires=territoires, avec_epcis=False, phase=phase)
    if region:
        vues = [v for v in vues if region in v.regions]
    lignes = {
        v.territoire.pk: Deploiement(
            code=v.code,
            nom=v.nom,
            phase=v.territoire.phase_id,
            pilote=v.territoire.pilote,
            regions=v.regions,
        )
        for v in vues
    }
    ids = set(lignes)
    if not ids:
        return []
    # The people of each phase's territories: today, or as they stood on its last day once
    # the phase is over (its history). A query or two per phase shown, not per territory.
    for vue_phase in Phase.objects.filter(numero__in={ligne.phase for ligne in lignes.values()}):
        _designations(
            {pk: ligne for pk, ligne in lignes.items() if ligne.phase == vue_phase.numero},
            vue_phase,
        )
    for t in _comites_locaux(ids):
        lignes[t].comite_local = True
    _documents(lignes, suivis)
    for r in (
        FicheAction.objects.filter(territoire_id__in=ids)
        .values("territoire_id", "etat")
        .annotate(n=Count("id"))
        .order_by()
    ):
        lignes[r["territoire_id"]].fiches[r["etat"]] = r["n"]
    return list(lignes.values())


def _documents(lignes: dict[int, Deploiement], suivis: set[int] | None) -> None:
    """Where the protocol, the contract and its avenants of each territory stand; a draft
    is not disclosed outside its territory's scope (`suivis`)."""
    ids = set(lignes)

    def etat(date_signature, validation_id, t) -> str:
        if date_signature:
            return EtatDocument.SIGNE
        if suivis is not None and t not in suivis:
            return ""
        return EtatDocument.VALIDE if validation_id else EtatDocument.BROUILLON

    for t, sig, val in Protocole.objects.filter(territoire_id__in=ids).values_list(
        "territoire_id", "date_signature", "validation_id"
    ):
        lignes[t].protocole = etat(sig, val, t)
        lignes[t].protocole_signe_le = sig
    for t, sig, val in Contrat.objects.filter(territoire_id__in=ids).values_list(
        "territoire_id", "date_signature", "validation_id"
    ):
        lignes[t].contrat = etat(sig, val, t)
        lignes[t].contrat_signe_le = sig
    for t, sig in Avenant.objects.filter(contrat__territoire_id__in=ids).values_list(
        "contrat__territoire_id", "date_signature"
    ):
        if sig:
            lignes[t].avenants_signes += 1
        elif suivis is None or t in suivis:
            lignes[t].avenants_en_cours += 1


def deploiement_vu_par(user, **kw) -> list[Deploiement]:
    """`deploiement` as this person may read it: drafts only on the territories one follows,
    everywhere for the national delegation; elsewhere signed documents only."""
    p = portee(user)
    suivis = None if p.national else set(territoires_suivis(user).values_list("pk", flat=True))
    return deploiement(suivis=suivis, **kw)


TOUTES_LES_PHASES = "toutes"


def phase_montree(valeur: str) -> int | None:
    """The phase the tracking shows for what was asked (« 1 », « 2 »): every territory for
    « toutes » (None), else the phase in force today."""
    if valeur == TOUTES_LES_PHASES:
        return None
    if valeur in {str(p) for p in PHASES}:
        return int(valeur)
    courante = phase_courante()
    return courante.numero if courante else None


def _designations(lignes: dict[int, Deploiement], phase: Phase) -> None:
    """Who is designated on the territories of `lignes`, all of the same phase."""
    actives = Designation.objects.actives_dans_la_phase(phase)
    ids = set(lignes)
    regions_pilotees = set()
    for d in (
        actives.filter(Q(territoire_id__in=ids) | Q(region_id__isnull=False))
        .values("role", "territoire_id", "region_id")
        .distinct()
    ):
        role, t = d["role"], d["territoire_id"]
        if role == Role.PILOTE_REGION:
            regions_pilotees.add(d["region_id"])
        if role == Role.REFERENT_OPERATEUR and d["region_id"]:
            for ligne in lignes.values():
                if d["region_id"] in ligne.regions:
                    ligne.referent_operateur = True
        if t not in lignes:
            continue
        ligne = lignes[t]
        if role == Role.BINOME_ELU:
            ligne.binome_elu = True
        elif role == Role.BINOME_INDUSTRIEL:
            ligne.binome_industriel = True
        elif role in (Role.REFERENT_ETAT, Role.COORDINATEUR_ETAT):
            ligne.referent_etat = True
        elif role == Role.REFERENT_REGION:
            ligne.referent_region = True
        elif role == Role.CHEF_PROJET:
            ligne.chef_projet = True
    for t in (
        Designation.territoires.through.objects.filter(
            designation__in=actives.filter(role=Role.REFERENT_OPERATEUR),
            territoire_id__in=ids,
        )
        .values_list("territoire_id", flat=True)
        .distinct()
    ):
        lignes[t].referent_operateur = True
    for ligne in lignes.values():
        if regions_pilotees & set(ligne.regions):
            ligne.referent_region = True


@dataclass
class SuiviRegion:
    code: str
    nom: str
    territoires: list[Deploiement]

    @property
    def en_retard(self) -> list[Deploiement]:
        return [d for d in self.territoires if d.en_retard]

    @property
    def contrats_signes(self) -> int:
        return sum(1 for d in self.territoires if d.contrat == EtatDocument.SIGNE)


def par_region(lignes: list[Deploiement]) -> list[SuiviRegion]:
    """Each région with its territories (an interregional one in each of its régions)."""
    noms = dict(Region.objects.values_list("code", "nom"))
    groupes: dict[str, list[Deploiement]] = defaultdict(list)
    for d in lignes:
        for r in d.regions:
            groupes[r].append(d)
    return [SuiviRegion(code, noms.get(code, code), groupes[code]) for code in sorted(groupes)]


def synthese(lignes: list[Deploiement]) -> dict[str, int]:
    c = Counter()
    for d in lignes:
        c["territoires"] += 1
        c["pilotes"] += d.pilote
        c["binomes"] += d.binome
        c["chefs_projet"] += d.chef_projet
        c["sans_chef_projet"] += d.chef_projet_requis and not d.chef_projet
        c["comites"] += d.comite_local
        c["protocoles"] += d.protocole == EtatDocument.SIGNE
        c["contrats"] += d.contrat == EtatDocument.SIGNE
        c["en_retard"] += d.en_retard
    return dict(c)


# --- The tracking table: its columns, filters and orders (pages and exports ask here) ---------

# Each contract or protocol state in the order of its progress, for sorting.
PROGRES_DOCUMENT = {"": 0, EtatDocument.BROUILLON: 1, EtatDocument.VALIDE: 2, EtatDocument.SIGNE: 3}
SANS_DOCUMENT = "aucun"  # the filter value for « no document (visible) »


@dataclass(frozen=True)
class Colonne:
    cle: str
    titre: str
    format: str = "texte"  # texte, entier, date


COLONNES = (
    Colonne("territoire", "Territoire"),
    Colonne("regions", "Régions"),
    Colonne("binome", "Binôme élu-industriel"),
    Colonne("referents", "Référents (État, opérateurs, Région)"),
    Colonne("chef_projet", "Chef de projet"),
    Colonne("comite_local", "Comité de projet local"),
    Colonne("protocole", "Protocole d'accord"),
    Colonne("contrat", "Contrat"),
    Colonne("contrat_signe_le", "Contrat signé le", "date"),
    Colonne("avenants", "Avenants signés", "entier"),
    Colonne("fiches_retenues", "Fiches retenues", "entier"),
    Colonne("fiches_inscrites", "Fiches inscrites", "entier"),
    Colonne("manques", "Manque"),
)
COLONNES_PAR_CLE = {c.cle: c for c in COLONNES}


def libelle_document(etat: str) -> str:
    return EtatDocument(etat).label if etat else "—"


def libelle_chef_projet(d: Deploiement) -> str:
    if d.chef_projet:
        return "désigné"
    return "à désigner" if d.chef_projet_requis else "non désigné"


def _oui(valeur: bool) -> str:
    return "oui" if valeur else "non"


def valeurs(d: Deploiement, noms_regions: dict[str, str]) -> dict[str, object]:
    """One territory's cells of the tracking table, by column."""
    return {
        "territoire": f"{d.code} {d.nom}",
        "regions": ", ".join(noms_regions.get(r, r) for r in d.regions),
        "binome": "identifié" if d.binome else "à identifier",
        "referents": " / ".join(
            _oui(x) for x in (d.referent_etat, d.referent_operateur, d.referent_region)
        ),
        "chef_projet": libelle_chef_projet(d),
        "comite_local": "réuni" if d.comite_local else "pas encore réuni",
        "protocole": libelle_document(d.protocole),
        "contrat": libelle_document(d.contrat),
        "contrat_signe_le": d.contrat_signe_le,
        "avenants": d.avenants_signes,
        "fiches_retenues": d.fiches.get(Etat.RETENUE, 0),
        "fiches_inscrites": d.fiches.get(Etat.INSCRITE, 0),
        "manques": ", ".join(d.manques),
    }


# How each column sorts: by progress where the cell is a state, not by its label's letters.
_TRI = {
    "territoire": lambda d: d.code,
    "regions": lambda d: tuple(d.regions),
    "binome": lambda d: (d.binome, d.binome_elu + d.binome_industriel),
    "referents": lambda d: d.referent_etat + d.referent_operateur + d.referent_region,
    "chef_projet": lambda d: (d.chef_projet, not d.chef_projet_requis),
    "comite_local": lambda d: d.comite_local,
    "protocole": lambda d: PROGRES_DOCUMENT[d.protocole],
    "contrat": lambda d: PROGRES_DOCUMENT[d.contrat],
    "contrat_signe_le": lambda d: (d.contrat_signe_le is not None, d.contrat_signe_le),
    "avenants": lambda d: d.avenants_signes,
    "fiches_retenues": lambda d: d.fiches.get(Etat.RETENUE, 0),
    "fiches_inscrites": lambda d: d.fiches.get(Etat.INSCRITE, 0),
    "manques": lambda d: len(d.manques),
}


def trier(lignes: list[Deploiement], cle: str, decroissant: bool = False) -> list[Deploiement]:
    """The rows by one column (an unknown one: by code), ties by code."""
    par_code = sorted(lignes, key=lambda d: d.code)
    if cle not in _TRI or cle == "territoire":
        return par_code[::-1] if decroissant else par_code
    return sorted(par_code, key=_TRI[cle], reverse=decroissant)


def filtrer(
    lignes: list[Deploiement],
    *,
    region: str | None = None,
    contrat: str | None = None,
    sans_chef_projet: bool = False,
    en_retard: bool = False,
    pilote: bool = False,
) -> list[Deploiement]:
    """The rows a tracking page keeps: of a région, in a contract state (`SANS_DOCUMENT`: no
    contract one may see), whose required chef de projet is missing, late, pilots."""
    out = lignes
    if region:
        out = [d for d in out if region in d.regions]
    if contrat:
        voulu = "" if contrat == SANS_DOCUMENT else contrat
        out = [d for d in out if d.contrat == voulu]
    if sans_chef_projet:
        out = [d for d in out if d.chef_projet_requis and not d.chef_projet]
    if en_retard:
        out = [d for d in out if d.en_retard]
    if pilote:
        out = [d for d in out if d.pilote]
    return out
