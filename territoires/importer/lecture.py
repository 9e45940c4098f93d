"""Reading an official list: its shape from its header, then each line checked against the
referential; what the file states of each territory, or every error with its line."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from referentiel.imports import Erreurs, ImportInvalide
from referentiel.models import EPCI, AncienCode, Commune
from referentiel.validators import is_valid_insee_commune, is_valid_siren

from ..selectors import code_territoire
from .rapport import Rapport

COMMUNES, GROUPEMENTS = "communes", "groupements"


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


@dataclass
class Liste:
    forme: str
    territoires: dict[str, TerritoireLu]
    # Communes the file places in several territories (commune shape, « ; » in id_ti).
    partagees: set[str] = field(default_factory=set)
    # The referential as read for a groupement file (None for a commune file).
    index: Index | None = None


def parse(content: bytes, index: Index | None = None) -> tuple[Liste, Rapport]:
    """Checks a whole file and returns what it states of each territory."""
    header, rows = _lire_csv(content)
    forme, code_col = _forme(header)
    if not rows:
        raise ImportInvalide(["Le fichier ne contient aucune ligne de données."])
    if forme == GROUPEMENTS:
        index = index or Index.charger()
    lecture = _Lecture(forme, code_col, index)
    lecture.lire(rows)
    territoires = lecture.territoires
    rapport = Rapport(
        forme=forme,
        lignes=len(rows),
        territoires=len(territoires),
        communes=len(set().union(*(lu.communes for lu in territoires.values()))),
        via_anciens_codes=lecture.via_anciens_codes,
        partagees=len(lecture.partagees),
    )
    liste = Liste(forme=forme, territoires=territoires, partagees=lecture.partagees, index=index)
    return liste, rapport


def _lire_csv(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Header (lower case) and rows; UTF-8 or Windows-1252, separator « , » or « ; »."""
    text = _decoder(content)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        return header, list(reader)
    except csv.Error as exc:
        raise ImportInvalide([f"Fichier illisible : {exc}."]) from exc


def _decoder(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportInvalide(
        ["Fichier illisible : ni UTF-8 ni Windows-1252, enregistrez-le en CSV UTF-8."]
    )


def _forme(header: list[str]) -> tuple[str, str]:
    """The shape of the file and the column of its territory ids."""
    code_col = "id_ti" if "id_ti" in header else "code_ti" if "code_ti" in header else None
    if "insee_com" in header and code_col and "lib_ti" in header:
        return COMMUNES, code_col
    if {"id_ti", "lib_ti", "siren_groupement"} <= set(header):
        return GROUPEMENTS, "id_ti"
    raise ImportInvalide(
        [
            "Ligne 1 : en-tête non reconnu "
            f"({', '.join(header) or 'vide'}). Colonnes attendues : "
            "« insee_com, lib_com, id_ti, lib_ti », « insee_com, code_ti, lib_ti » ou "
            "« id_ti, lib_ti, siren_groupement, lib_groupement, nature_juridique »."
        ]
    )


def _valeurs(raw: str | None) -> list[str]:
    """The values of a multi-valued cell (« ti-8401 ; ti-8402 »)."""
    return [v.strip() for v in (raw or "").split(";") if v.strip()]


class _Lecture:
    """A file being read: what it states so far of each territory, and the errors found."""

    def __init__(self, forme: str, code_col: str, index: Index | None):
        self.forme, self.code_col, self.index = forme, code_col, index
        self.erreurs = Erreurs()
        self.territoires: dict[str, TerritoireLu] = {}
        self.partagees: set[str] = set()
        self.via_anciens_codes = 0
        # commune -> (its territories on the line that placed it, line) to catch contradictions
        self.placees: dict[str, tuple[frozenset[str], int]] = {}
        # (territory, SIREN of a groupement named whole) -> line
        self.lignes_groupements: dict[tuple[str, str], int] = {}
        if forme == COMMUNES:
            self.actuelles = set(Commune.objects.values_list("code", flat=True))
            self.anciens = dict(AncienCode.objects.values_list("code", "commune_id"))

    def lire(self, rows: list[dict[str, str]]) -> None:
        for i, row in enumerate(rows, start=2):
            if self.erreurs.pleine:
                break
            self._ligne(i, row)
        if self.forme == GROUPEMENTS and not self.erreurs:
            self._verifier_nommees()
        for code, lu in sorted(self.territoires.items()):
            if not lu.nom:
                self.erreurs.ajouter(f"Le territoire {code} n'a de nom sur aucune ligne.")
        if self.erreurs:
            raise self.erreurs.refus()

    def _refuser(self, i: int, message: str) -> None:
        self.erreurs.ajouter(message, ligne=i)

    def _ligne(self, i: int, row: dict[str, str]) -> None:
        if None in row:
            self._refuser(i, "trop de colonnes.")
            return
        codes = self._territoires(i, row)
        if codes is None:
            return
        if self.forme == COMMUNES:
            communes = self._commune(i, row)
        else:
            communes = self._groupement(i, row, codes[0])
        if communes is not None:
            self._placer(i, codes, communes)

    def _territoires(self, i: int, row: dict[str, str]) -> list[str] | None:
        """The territories of the line, named; None if the line is refused."""
        bruts = _valeurs(row.get(self.code_col))
        noms = _valeurs(row.get("lib_ti"))
        if self.forme == GROUPEMENTS and len(bruts) > 1:
            self._refuser(
                i, f"une ligne de groupement ne nomme qu'un territoire (« {row.get('id_ti')} »)."
            )
            return None
        codes = [code_territoire(c) for c in bruts]
        if not bruts or None in codes:
            brut = (row.get(self.code_col) or "").strip()
            self._refuser(i, f"code de territoire « {brut} » invalide.")
            return None
        if not noms:
            self._refuser(i, f"nom du territoire {', '.join(codes)} manquant.")
            return None
        if len(noms) != len(codes) and len(codes) > 1 and len(noms) == 1:
            # « A ; B » with one name for both: the names come from their other lines.
            noms = [""] * len(codes)
        if len(noms) != len(codes):
            self._refuser(
                i,
                f"{len(codes)} territoires mais {len(noms)} noms "
                "(id_ti et lib_ti séparés par « ; » vont de pair).",
            )
            return None
        return codes if self._nommer(i, codes, noms) else None

    def _nommer(self, i: int, codes: list[str], noms: list[str]) -> bool:
        """Records the name of each territory; False if one already bears another."""
        ok = True
        for code, nom in zip(codes, noms, strict=True):
            lu = self.territoires.setdefault(code, TerritoireLu())
            if nom and lu.nom and lu.nom != nom:
                self._refuser(
                    i, f"le territoire {code} porte deux noms (« {lu.nom} » et « {nom} »)."
                )
                ok = False
            lu.nom = lu.nom or nom
        return ok

    def _commune(self, i: int, row: dict[str, str]) -> set[str] | None:
        """The commune of a line of the commune shape, found by its code or a former one."""
        insee = (row.get("insee_com") or "").strip()
        if len(insee) == 4 and insee.isdigit():
            insee = "0" + insee  # leading zero lost by a spreadsheet
        if not is_valid_insee_commune(insee):
            self._refuser(i, f"code INSEE de commune « {insee} » invalide.")
            return None
        if insee in self.actuelles:
            return {insee}
        if insee in self.anciens:
            self.via_anciens_codes += 1
            return {self.anciens[insee]}
        self._refuser(i, f"commune {insee} inconnue du référentiel, même parmi les anciens codes.")
        return None

    def _groupement(self, i: int, row: dict[str, str], code: str) -> set[str] | None:
        """The communes of the EPCI, EPT or commune a line of the groupement shape names."""
        siren = (row.get("siren_groupement") or "").strip()
        if not is_valid_siren(siren):
            self._refuser(i, f"SIREN « {siren} » invalide.")
            return None
        if siren in self.index.membres:
            self.territoires[code].groupements.add(siren)
            self.lignes_groupements[(code, siren)] = i
            return set(self.index.membres[siren])
        if siren in self.index.commune_par_siren:
            commune = self.index.commune_par_siren[siren]
            self.territoires[code].nommees.add(commune)
            return {commune}
        self._refuser(i, f"groupement {siren} inconnu du référentiel.")
        return None

    def _placer(self, i: int, codes: list[str], communes: set[str]) -> None:
        """Puts the communes in the line's territories; a commune placed by another line in
        other territories is a contradiction (a shared commune takes one line)."""
        ensemble = frozenset(codes)
        for c in communes:
            autre = self.placees.get(c)
            if autre and autre[0] != ensemble:
                self._refuser(
                    i,
                    f"la commune {c} est déjà dans le territoire "
                    f"{' ; '.join(sorted(autre[0]))} (ligne {autre[1]}). Une commune de "
                    "plusieurs territoires s'écrit sur une seule ligne, ses territoires "
                    "séparés par « ; ».",
                )
            self.placees.setdefault(c, (ensemble, i))
        if len(ensemble) > 1:
            self.partagees |= communes
        for code in ensemble:
            self.territoires[code].communes |= communes

    def _verifier_nommees(self) -> None:
        """A groupement listed whole for a territory that also names one of its communes."""
        for code, lu in sorted(self.territoires.items()):
            for commune in sorted(lu.nommees):
                siren = self.index.unite.get(commune)
                if siren in lu.groupements:
                    self.erreurs.ajouter(
                        f"le groupement {siren} est listé entier pour {code}, qui nomme aussi "
                        f"sa commune {commune} par son SIREN : nommer les communes suffit.",
                        ligne=self.lignes_groupements[(code, siren)],
                    )
