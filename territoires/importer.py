"""Import of an official list of territories, in either shape the open data portal publishes.

- commune level: `insee_com,lib_com,id_ti,lib_ti` (phase 2) or `insee_com,code_ti,lib_ti`
  (the phase-1 list shipped in data/territoires). `id_ti` may hold several territories
  separated by « ; »: the commune belongs to each of them;
- groupement level: `id_ti,lib_ti,siren_groupement,lib_groupement[,nature_juridique]`, where
  `siren_groupement` names an EPCI, an EPT of the Grand Paris, or a commune by its own SIREN.

Territory ids are kept as the programme writes them (« 8401 » in phase 1, « ti-8401 » in
phase 2).

All or nothing: the whole file is checked first; any error names its line and nothing is
written. A second run of the same file changes nothing; a newer file is applied as dated
changes resting on one decision (see territoires.services). A groupement file cannot say
that a territory holds only part of an EPCI: over a commune-level map it is read with the rule
of docs/adr/0009 (`regle_groupements`), and what it cannot mean is reported as a difference
of form, never applied.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from referentiel.models import EPCI, AncienCode, Commune
from referentiel.validators import is_valid_insee_commune, is_valid_siren

from . import services
from .models import Decision, Instance, Perimetre, Phase, Territoire
from .selectors import noms_a

CODE_TI = re.compile(r"^(ti-)?(\d{3,8})$", re.IGNORECASE)
MAX_ERRORS = 50


class ImportInvalide(Exception):
    """The file cannot be imported; `erreurs` lists each problem with its line."""

    def __init__(self, erreurs: list[str]):
        self.erreurs = erreurs
        super().__init__("\n".join(erreurs))


@dataclass
class TerritoireLu:
    """One territory as the file states it."""

    nom: str = ""
    # Every commune the file places in it, read literally.
    communes: set[str] = field(default_factory=set)
    # Groupement shape: SIREN of the EPCI or EPT named whole, and communes named by their
    # own SIREN (where the territory holds only part of their EPCI).
    groupements: set[str] = field(default_factory=set)
    nommees: set[str] = field(default_factory=set)


@dataclass
class Liste:
    forme: str
    territoires: dict[str, TerritoireLu]
    # Communes the file places in several territories (commune shape, « ; » in id_ti).
    partagees: set[str] = field(default_factory=set)
    # The referential as read for a groupement file (None for a commune file).
    index: Index | None = None


@dataclass
class EcartDeForme:
    """Something a literal reading of a groupement file would change, but which the file's
    shape explains: reported, never applied."""

    territoire: str
    texte: str
    communes: list[str]


@dataclass
class Rapport:
    forme: str = ""
    lignes: int = 0
    territoires: int = 0
    communes: int = 0
    via_anciens_codes: int = 0
    partagees: int = 0
    crees: list[str] = field(default_factory=list)
    modifies: list[str] = field(default_factory=list)
    retires: list[str] = field(default_factory=list)
    renommes: list[str] = field(default_factory=list)
    # What changes for each modified or renamed territory, one sentence per change.
    changements: dict[str, list[str]] = field(default_factory=dict)
    ecarts: list[EcartDeForme] = field(default_factory=list)
    dry_run: bool = False
    secondes: float = 0.0

    @property
    def inchange(self) -> bool:
        return not (self.crees or self.modifies or self.retires or self.renommes)

    def noter(self, code: str, texte: str) -> None:
        self.changements.setdefault(code, []).append(texte)

    def lignes_texte(self) -> list[str]:
        out = [
            f"Forme du fichier : {self.forme} ({self.lignes} lignes).",
            f"{self.territoires} territoires, {self.communes} communes "
            f"(dont {self.via_anciens_codes} retrouvées par leur ancien code).",
        ]
        if self.partagees:
            out.append(f"{self.partagees} commune(s) dans plusieurs territoires de la phase.")
        if self.inchange:
            out.append("Aucun changement : la carte est déjà à jour.")
        for label, items in (("créés", self.crees), ("retirés", self.retires)):
            if items:
                out.append(
                    f"Territoires {label} ({len(items)}) : {', '.join(items[:20])}"
                    + (" …" if len(items) > 20 else "")
                )
        if self.changements:
            out.append(f"Changements ({len(self.changements)} territoires) :")
            for code, textes in sorted(self.changements.items()):
                out.append(f"- {code} : " + " ".join(textes))
        if self.ecarts:
            out.append(f"Différences de forme, non appliquées ({len(self.ecarts)}) :")
            out.extend(f"- {e.territoire} : {e.texte}" for e in self.ecarts)
        if self.dry_run:
            out.append("Simulation : rien n'a été enregistré.")
        out.append(f"Durée : {self.secondes:.2f} s.")
        return out


def _read_rows(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    return header, list(reader)


def _code_territoire(raw: str) -> str | None:
    """« ti-8401 » stays « ti-8401 » (phase 2), « 8401 » stays « 8401 » (phase 1)."""
    m = CODE_TI.match(raw.strip())
    if not m:
        return None
    return ("ti-" if m.group(1) else "") + m.group(2)


def _valeurs(raw: str | None) -> list[str]:
    """The values of a multi-valued cell (« ti-8401 ; ti-8402 »)."""
    return [v.strip() for v in (raw or "").split(";") if v.strip()]


@dataclass
class Index:
    """The referential as the groupement rule needs it."""

    # SIREN of an EPCI or EPT -> its current communes.
    membres: dict[str, set[str]]
    # Commune -> the unit of the EPCI view: its EPT inside the Grand Paris, its EPCI elsewhere
    # (None for the few communes outside any EPCI).
    unite: dict[str, str | None]
    commune_par_siren: dict[str, str]

    @classmethod
    def charger(cls) -> Index:
        membres: dict[str, set[str]] = defaultdict(set)
        unite: dict[str, str | None] = {}
        par_siren: dict[str, str] = {}
        for code, epci, ept, siren in Commune.objects.values_list(
            "code", "epci_id", "ept_id", "siren"
        ):
            if epci:
                membres[epci].add(code)
            if ept:
                membres[ept].add(code)
            unite[code] = ept or epci
            if siren:
                par_siren[siren] = code
        for siren in EPCI.objects.values_list("siren", flat=True):
            membres.setdefault(siren, set())
        return cls(membres=dict(membres), unite=unite, commune_par_siren=par_siren)


def parse(content: bytes, index: Index | None = None) -> tuple[Liste, Rapport]:
    """Checks a whole file and returns what it states of each territory."""
    rapport = Rapport()
    try:
        header, rows = _read_rows(content)
    except (csv.Error, UnboundLocalError) as exc:
        raise ImportInvalide([f"Fichier illisible : {exc}."]) from exc
    code_col = "id_ti" if "id_ti" in header else "code_ti" if "code_ti" in header else None
    if "insee_com" in header and code_col and "lib_ti" in header:
        forme = "communes"
    elif {"id_ti", "lib_ti", "siren_groupement"} <= set(header):
        forme = "groupements"
    else:
        raise ImportInvalide(
            [
                "Ligne 1 : en-tête non reconnu "
                f"({', '.join(header) or 'vide'}). Colonnes attendues : "
                "« insee_com, lib_com, id_ti, lib_ti », « insee_com, code_ti, lib_ti » ou "
                "« id_ti, lib_ti, siren_groupement, lib_groupement, nature_juridique »."
            ]
        )
    if not rows:
        raise ImportInvalide(["Le fichier ne contient aucune ligne de données."])
    rapport.forme = forme
    rapport.lignes = len(rows)

    current = set(Commune.objects.values_list("code", flat=True))
    former = dict(AncienCode.objects.values_list("code", "commune_id"))
    if forme == "groupements":
        index = index or Index.charger()

    erreurs: list[str] = []
    territoires: dict[str, TerritoireLu] = {}
    partagees: set[str] = set()
    # commune -> (its territories on the line that placed it, line) to catch contradictions
    owner: dict[str, tuple[frozenset[str], int]] = {}
    # (territory, SIREN of a groupement named whole) -> line
    lignes_groupements: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows, start=2):
        if len(erreurs) >= MAX_ERRORS:
            erreurs.append(f"… arrêt après {MAX_ERRORS} erreurs.")
            break
        if None in row:
            erreurs.append(f"Ligne {i} : trop de colonnes.")
            continue
        raw_codes = _valeurs(row.get(code_col if forme == "communes" else "id_ti"))
        noms = _valeurs(row.get("lib_ti"))
        if forme == "groupements" and len(raw_codes) > 1:
            erreurs.append(
                f"Ligne {i} : une ligne de groupement ne nomme qu'un territoire "
                f"(« {row.get('id_ti')} »)."
            )
            continue
        codes_ti = [_code_territoire(c) for c in raw_codes]
        if not raw_codes or None in codes_ti:
            brut = (row.get(code_col) or "").strip()
            erreurs.append(f"Ligne {i} : code de territoire « {brut} » invalide.")
            continue
        if not noms:
            erreurs.append(f"Ligne {i} : nom du territoire {', '.join(codes_ti)} manquant.")
            continue
        if len(noms) != len(codes_ti):
            # « A ; B » with one name for both: the names come from their other lines.
            noms = [""] * len(codes_ti) if len(codes_ti) > 1 and len(noms) == 1 else noms
            if len(noms) != len(codes_ti):
                erreurs.append(
                    f"Ligne {i} : {len(codes_ti)} territoires mais {len(noms)} noms "
                    "(id_ti et lib_ti séparés par « ; » vont de pair)."
                )
                continue
        contradiction = False
        for code, nom in zip(codes_ti, noms, strict=True):
            lu = territoires.setdefault(code, TerritoireLu())
            if nom and lu.nom and lu.nom != nom:
                erreurs.append(
                    f"Ligne {i} : le territoire {code} porte deux noms (« {lu.nom} » et « {nom} »)."
                )
                contradiction = True
            lu.nom = lu.nom or nom
        if contradiction:
            continue

        communes: set[str] = set()
        if forme == "communes":
            insee = (row.get("insee_com") or "").strip()
            if len(insee) == 4 and insee.isdigit():
                insee = "0" + insee  # leading zero lost by a spreadsheet
            if not is_valid_insee_commune(insee):
                erreurs.append(f"Ligne {i} : code INSEE de commune « {insee} » invalide.")
                continue
            if insee in current:
                communes = {insee}
            elif insee in former:
                communes = {former[insee]}
                rapport.via_anciens_codes += 1
            else:
                erreurs.append(
                    f"Ligne {i} : commune {insee} inconnue du référentiel, "
                    "même parmi les anciens codes."
                )
                continue
        else:
            code = codes_ti[0]
            siren = (row.get("siren_groupement") or "").strip()
            if not is_valid_siren(siren):
                erreurs.append(f"Ligne {i} : SIREN « {siren} » invalide.")
                continue
            if siren in index.membres:
                communes = set(index.membres[siren])
                territoires[code].groupements.add(siren)
                lignes_groupements[(code, siren)] = i
            elif siren in index.commune_par_siren:
                commune = index.commune_par_siren[siren]
                communes = {commune}
                territoires[code].nommees.add(commune)
            else:
                erreurs.append(f"Ligne {i} : groupement {siren} inconnu du référentiel.")
                continue

        ensemble = frozenset(codes_ti)
        for c in communes:
            other = owner.get(c)
            if other and other[0] != ensemble:
                erreurs.append(
                    f"Ligne {i} : la commune {c} est déjà dans le territoire "
                    f"{' ; '.join(sorted(other[0]))} (ligne {other[1]}). Une commune de "
                    "plusieurs territoires s'écrit sur une seule ligne, ses territoires "
                    "séparés par « ; »."
                )
            owner.setdefault(c, (ensemble, i))
        if len(ensemble) > 1:
            partagees |= communes
        for code in ensemble:
            territoires[code].communes |= communes

    if forme == "groupements" and not erreurs:
        for code, lu in sorted(territoires.items()):
            for commune in sorted(lu.nommees):
                siren = index.unite.get(commune)
                if siren in lu.groupements:
                    erreurs.append(
                        f"Ligne {lignes_groupements[(code, siren)]} : le groupement {siren} est "
                        f"listé entier pour {code}, qui nomme aussi sa commune {commune} par "
                        "son SIREN : nommer les communes suffit."
                    )
    for code, lu in sorted(territoires.items()):
        if not lu.nom:
            erreurs.append(f"Le territoire {code} n'a de nom sur aucune ligne.")
    if erreurs:
        raise ImportInvalide(erreurs)
    rapport.territoires = len(territoires)
    rapport.communes = len(set().union(*(lu.communes for lu in territoires.values())))
    rapport.partagees = len(partagees)
    liste = Liste(forme=forme, territoires=territoires, partagees=partagees, index=index)
    return liste, rapport


# --- The groupement rule (docs/adr/0009) ---------------------------------------------------


@dataclass
class Mouvement:
    """A change the groupement rule applies: communes entering or leaving, and why."""

    sens: str  # "entree" or "sortie"
    motif: str  # "epci", "nommee" (named by SIREN), "hors_nommees" (not named: they leave)
    siren: str | None  # the EPCI or EPT concerned
    communes: set[str]
    # For "hors_nommees": the communes of the EPCI that stay, named by their SIREN.
    restantes: set[str] = field(default_factory=set)


@dataclass
class Ecart:
    motif: str  # "liste_entier" or "absent_en_partie" or "absent_couvert"
    siren: str
    communes: set[str]


@dataclass
class Plan:
    voulues: set[str]
    mouvements: list[Mouvement] = field(default_factory=list)
    ecarts: list[Ecart] = field(default_factory=list)


def regle_groupements(
    tenues: set[str],
    groupements: set[str],
    nommees: set[str],
    membres: Mapping[str, set[str]],
    unite: Mapping[str, str | None],
) -> Plan:
    """What a groupement file means for a territory that holds `tenues` (docs/adr/0009).

    A groupement file lists EPCI whole, in their membership of its year, and cannot say that
    a territory holds only part of one; so, over a commune-level perimeter:
    - communes named by their own SIREN are exact: they are in, and the other communes of
      their EPCI (or EPT) leave;
    - an EPCI (or EPT) named whole adds its communes only if the territory holds none of them;
    - an EPCI absent from the file removes its communes only if the territory holds all of
      them and no listed EPCI or EPT covers any of them (the Métropole du Grand Paris is
      named through its EPT).
    Everything else a literal reading would change is a difference of form: reported, kept.
    """
    entrees: list[Mouvement] = []
    sorties: list[Mouvement] = []
    ecarts: list[Ecart] = []
    couverture = set().union(*(membres.get(g, set()) for g in groupements))

    unites_nommees: dict[str | None, set[str]] = defaultdict(set)
    for c in nommees:
        unites_nommees[unite.get(c)].add(c)
    for u, siennes in sorted(unites_nommees.items(), key=lambda x: x[0] or ""):
        nouvelles = siennes - tenues
        if nouvelles:
            entrees.append(Mouvement("entree", "nommee", u, nouvelles))
        if u is not None:
            partantes = (membres.get(u, set()) & tenues) - siennes
            if partantes:
                sorties.append(Mouvement("sortie", "hors_nommees", u, partantes, siennes))

    for g in sorted(groupements):
        m = membres.get(g, set())
        if not m & tenues:
            if m:
                entrees.append(Mouvement("entree", "epci", g, set(m)))
        elif m - tenues:
            ecarts.append(Ecart("liste_entier", g, m - tenues))

    unites_tenues: dict[str | None, set[str]] = defaultdict(set)
    for c in tenues:
        unites_tenues[unite.get(c)].add(c)
    for u, siennes in sorted(unites_tenues.items(), key=lambda x: x[0] or ""):
        if u is None:
            # Outside any EPCI: only its own SIREN could name it.
            orphelines = siennes - nommees
            if orphelines:
                sorties.append(Mouvement("sortie", "epci", None, orphelines))
            continue
        if u in groupements or u in unites_nommees:
            continue
        m = membres.get(u, set())
        if not m <= tenues:
            ecarts.append(Ecart("absent_en_partie", u, siennes))
        elif m & couverture:
            ecarts.append(Ecart("absent_couvert", u, siennes))
        else:
            sorties.append(Mouvement("sortie", "epci", u, siennes))

    voulues = set(tenues)
    for mv in sorties:
        voulues -= mv.communes
    for mv in entrees:
        voulues |= mv.communes
    return Plan(voulues=voulues, mouvements=sorties + entrees, ecarts=ecarts)


# --- Applying a list -------------------------------------------------------------------------


def importer(
    content: bytes | Path,
    *,
    phase: Phase,
    date: Date,
    instance: str = Instance.DELEGATION,
    intitule: str = "",
    texte: str = "",
    retirer_absents: bool = True,
    dry_run: bool = False,
) -> Rapport:
    """Brings the map of `phase` in line with the file, as of `date`. All or nothing."""
    start = time.perf_counter()
    if isinstance(content, Path):
        content = content.read_bytes()
    liste, rapport = parse(content)
    rapport.dry_run = dry_run
    try:
        with transaction.atomic():
            _apply(
                liste,
                rapport,
                phase=phase,
                date=date,
                instance=instance,
                intitule=intitule,
                texte=texte,
                retirer_absents=retirer_absents,
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except ValidationError as exc:
        raise ImportInvalide(
            [f"Le fichier contredit la carte actuelle : {m}" for m in exc.messages]
        ) from exc
    rapport.secondes = time.perf_counter() - start
    return rapport


class _Rollback(Exception):
    pass


@dataclass
class _Operation:
    territoire: Territoire
    sens: str
    communes: set[str]
    description: str = ""
    details: dict | None = None


def _apply(
    liste: Liste,
    rapport: Rapport,
    *,
    phase: Phase,
    date: Date,
    instance: str,
    intitule: str,
    texte: str,
    retirer_absents: bool,
):
    # The file states the map at `date`: compare with the map of that date, so that a list
    # imported again after later decisions still changes nothing.
    rows = Perimetre.objects.a_date(date).filter(territoire__phase=phase)
    actuels: dict[str, set[str]] = defaultdict(set)
    tenue_par: dict[str, set[str]] = defaultdict(set)
    for code, commune in rows.values_list("territoire__code", "commune_id"):
        actuels[code].add(commune)
        tenue_par[commune].add(code)
    existants = {t.code: t for t in Territoire.objects.filter(phase=phase, code__in=actuels)}
    noms_alors = noms_a(date, [t.pk for t in existants.values()])
    decision = None

    def get_decision():
        nonlocal decision
        if decision is None:
            decision = Decision.objects.create(
                date=date,
                instance=instance,
                intitule=intitule or f"Liste officielle des Territoires d'industrie ({phase.nom})",
                texte=texte,
            )
        return decision

    noms = _Noms()
    operations: list[_Operation] = []
    for code, lu in sorted(liste.territoires.items()):
        t = existants.get(code)
        if t is None:
            continue
        tenues = actuels[code]
        if liste.index is not None:
            index = liste.index
            plan = regle_groupements(tenues, lu.groupements, lu.nommees, index.membres, index.unite)
            for mv in plan.mouvements:
                operations.append(
                    _Operation(t, mv.sens, mv.communes, *noms.mouvement(mv, len(plan.voulues)))
                )
            for e in plan.ecarts:
                rapport.ecarts.append(
                    EcartDeForme(code, noms.ecart(e, code, tenue_par), sorted(e.communes))
                )
        else:
            enlever, ajouter = tenues - lu.communes, lu.communes - tenues
            if enlever:
                operations.append(_Operation(t, "sortie", enlever))
            if ajouter:
                operations.append(_Operation(t, "entree", ajouter))

    # Removals first, so that a commune moving between territories is free when added.
    for code, t in sorted(existants.items()):
        if code not in liste.territoires and retirer_absents:
            services.retirer_territoire(territoire=t, decision=get_decision())
            rapport.retires.append(code)
    for op in operations:
        if op.sens == "sortie":
            ch = services.retirer_communes(
                territoire=op.territoire,
                communes=op.communes,
                decision=get_decision(),
                description=op.description,
                details=op.details,
            )
            _noter_modification(rapport, op.territoire.code, ch.description)
    for code, lu in sorted(liste.territoires.items()):
        if code not in existants:
            services.creer_territoire(
                phase=phase,
                code=code,
                nom=lu.nom,
                communes=lu.communes,
                decision=get_decision(),
                partagees=liste.partagees,
            )
            rapport.crees.append(code)
    for op in operations:
        if op.sens == "entree":
            ch = services.ajouter_communes(
                territoire=op.territoire,
                communes=op.communes,
                decision=get_decision(),
                description=op.description,
                details=op.details,
                partagees=liste.partagees,
            )
            _noter_modification(rapport, op.territoire.code, ch.description)
    for code, lu in sorted(liste.territoires.items()):
        t = existants.get(code)
        if t is not None and lu.nom != noms_alors.get(t.pk, t.nom):
            ch = services.renommer_territoire(territoire=t, nom=lu.nom, decision=get_decision())
            rapport.renommes.append(code)
            rapport.noter(code, ch.description)


def _noter_modification(rapport: Rapport, code: str, description: str) -> None:
    if code not in rapport.modifies:
        rapport.modifies.append(code)
    rapport.noter(code, description)


class _Noms:
    """Names of the EPCI and communes a report speaks of, read once."""

    def __init__(self):
        self._epcis: dict[str, str] | None = None
        self._communes: dict[str, str] = {}

    def epci(self, siren: str | None) -> str:
        if self._epcis is None:
            self._epcis = dict(EPCI.objects.values_list("siren", "nom"))
        return f"{self._epcis.get(siren, 'groupement')} ({siren})"

    def communes(self, codes: set[str], ailleurs: Mapping[str, set[str]] | None = None) -> str:
        manquants = [c for c in codes if c not in self._communes]
        if manquants:
            self._communes.update(
                Commune.objects.filter(code__in=manquants).values_list("code", "nom")
            )
        items = []
        for c in sorted(codes, key=lambda c: (self._communes.get(c, ""), c)):
            texte = f"{self._communes.get(c, c)} ({c})"
            if ailleurs and ailleurs.get(c):
                texte += f", dans {' et '.join(sorted(ailleurs[c]))}"
            items.append(texte)
        if len(items) > 12:
            items = items[:12] + [f"et {len(items) - 12} autres"]
        return ", ".join(items)

    def mouvement(self, mv: Mouvement, nb_final: int) -> tuple[str, dict]:
        n = len(mv.communes)
        details = {"epci": [mv.siren]} if mv.siren else {}
        if mv.motif == "nommee":
            return (
                f"Entrée de {n} commune(s) nommée(s) par leur SIREN : "
                f"{self.communes(mv.communes)}.",
                {**details, "communes": sorted(mv.communes)},
            )
        if mv.motif == "hors_nommees":
            return (
                f"Sortie de {n} commune(s) de {self.epci(mv.siren)} : seules les "
                f"{len(mv.restantes)} communes nommées par leur SIREN restent.",
                details,
            )
        if mv.siren is None:
            return (
                f"Sortie de {n} commune(s) hors intercommunalité, absente(s) de la liste : "
                f"{self.communes(mv.communes)}.",
                {"communes": sorted(mv.communes)},
            )
        verbe = "Entrée" if mv.sens == "entree" else "Sortie"
        suite = "" if mv.sens == "entree" else ", absente de la liste"
        return f"{verbe} de {self.epci(mv.siren)}, {n} commune(s){suite}.", details

    def ecart(self, e: Ecart, code: str, tenue_par: Mapping[str, set[str]]) -> str:
        n = len(e.communes)
        if e.motif == "liste_entier":
            ailleurs = {c: tenue_par.get(c, set()) - {code} for c in e.communes}
            return (
                f"{self.epci(e.siren)} est listée entière, mais le territoire n'en comprend "
                f"pas {n} commune(s) : {self.communes(e.communes, ailleurs)} ; "
                "non ajoutée(s)."
            )
        raison = (
            "le territoire n'en comprend qu'une partie"
            if e.motif == "absent_en_partie"
            else "un groupement listé en couvre une partie"
        )
        return (
            f"{self.epci(e.siren)} n'est pas dans la liste, mais {raison} : "
            f"{self.communes(e.communes)} ; conservée(s)."
        )
