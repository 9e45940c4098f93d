"""The rows of an export, read as streams: one query for the fiches, one for their lines, one
for their indicators, whatever their number (a cursor read PAR_LOT rows at a time: the memory
of one batch). What every row repeats (territories, filières, measures, labels of the lists,
the names an organisation is written by) and the partners and measures of each fiche (pairs of
numbers) are read once for the whole export.

The lines and indicators go to sheets of their own: they are read after the fiches, in the
same order, each joined to its fiche by what the export kept of it (reference and secrecy
context), never to a fiche the export did not show.

A secret value is read through comptes.secrets, which decides and logs each read; the reads
of a batch are logged together, before its rows are handed out (`journal_groupe`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice

from comptes.enums import TypeOrganisation
from comptes.permissions import Contexte
from comptes.secrets import MASQUE, journal_groupe, valeurs
from mesures.models import Mesure
from territoires.models import Territoire

from ..enums import (
    ContratValorise,
    Etat,
    Maturite,
    NatureSimplification,
    Orientation,
    PorteeGeo,
    StatutLigne,
)
from ..models import FicheAction, Filiere, Indicateur, LigneFinancement
from ..selectors import fiches_visibles
from .annuaire import Annuaire, regions
from .cellules import oui

PAR_LOT = 1000
ORDRE = ("territoire__phase_id", "territoire__code", "numero")
# What a row shows (and the secrecy of its fields).
CHAMPS_FICHE = (
    "id",
    "territoire_id",
    "numero",
    "titre",
    "axe",
    "contexte",
    "description",
    "porteur_id",
    "portee",
    "filiere_id",
    "collective",
    "maturite",
    "date_debut",
    "date_fin",
    "cout_total",
    "contrat_valorise",
    "demande_simplification",
    "probleme",
    "nature_simplification",
    "orientation",
    "etat",
    "champs_secrets",
)
CHAMPS_LIGNE = (
    "id",
    "fiche_id",
    "financeur_id",
    "mesure_id",
    "section",
    "montant",
    "de_minimis",
    "statut",
    "champs_secrets",
)
LISTES = (ContratValorise, Etat, Maturite, NatureSimplification, Orientation, PorteeGeo)


@dataclass
class Lot:
    """A batch of rows, their secrets already read (and logged)."""

    fiches: list[list] = field(default_factory=list)
    financements: list[list] = field(default_factory=list)
    indicateurs: list[list] = field(default_factory=list)


class Export:
    """The fiches of `queryset` this person may see, in the export's order."""

    def __init__(self, user, queryset, *, detail: bool = True):
        self.user, self.detail = user, detail
        # Whatever the caller built, only what the person may see (a subquery of each stream).
        self.choisies = queryset.filter(pk__in=fiches_visibles(user).values("pk")).values("pk")
        self.annuaire = Annuaire(user)
        self.phases, self.codes = {}, {}
        for pk, phase, code in Territoire.objects.values_list("pk", "phase_id", "code"):
            self.phases[pk], self.codes[pk] = phase, code
        # Régions of the territories of the chosen fiches only: a territory's export reads
        # its own perimeter, not the map of the whole country.
        self.regions = regions(
            FicheAction.objects.filter(pk__in=self.choisies).values("territoire_id")
        )
        self.filieres = dict(Filiere.objects.values_list("pk", "nom"))
        self.mesures = dict(Mesure.objects.values_list("pk", "nom"))
        # An empty value is an empty cell (cellules.libelle), whatever its label.
        self.libelles = {e: {v: str(lab) for v, lab in e.choices if v} for e in LISTES}
        self.types = {v: str(lab) for v, lab in TypeOrganisation.choices}
        self.statuts = {v: str(lab) for v, lab in StatutLigne.choices}
        # What the lines and indicators need of each fiche shown: reference, secrecy context.
        self.vues: dict[int, tuple[str, int, int]] = {}

    def lots(self, *, journal_par_lot: bool = True) -> Iterator[Lot]:
        """The fiches, then (with the detail) their lines, then their indicators, a batch at a
        time. Each batch's secret reads are logged before it is handed out; without
        `journal_par_lot`, the caller logs them (a file handed out whole, once written)."""
        par_lot_ou_non = journal_groupe if journal_par_lot else nullcontext
        partenaires = _par_fiche(FicheAction.partenaires.through, "organisation", self.choisies)
        mesures = _par_fiche(FicheAction.mesures.through, "mesure", self.choisies)
        fiches = (
            FicheAction.objects.filter(pk__in=self.choisies)
            .order_by(*ORDRE, "id")
            .values(*CHAMPS_FICHE, "porteur__type")
        )
        for rangs in _par_paquets(fiches.iterator(chunk_size=PAR_LOT), PAR_LOT):
            lot = Lot()
            with par_lot_ou_non():
                for f in rangs:
                    ref = f"{self.codes[f['territoire_id']]}-{f['numero']:02d}"
                    self.vues[f["id"]] = (ref, f["territoire_id"], f["porteur_id"])
                    lot.fiches.append(self._ligne_fiche(f, ref, partenaires, mesures))
            yield lot
        if not self.detail:
            return
        # The lines and indicators in the fiches' order (ORDRE, through their fiche).
        suite = tuple(f"fiche__{cle}" for cle in ORDRE)
        lues = (
            LigneFinancement.objects.filter(fiche_id__in=self.choisies)
            .order_by(*suite, "fiche_id", "id")
            .values(*CHAMPS_LIGNE)
        )
        for rangs in _par_paquets(lues.iterator(chunk_size=PAR_LOT), PAR_LOT):
            lot = Lot()
            with par_lot_ou_non():
                for li in rangs:
                    if (vue := self.vues.get(li["fiche_id"])) is not None:
                        lot.financements.append(self._ligne_financement(li, vue))
            yield lot
        champs = ("fiche_id", "libelle", "unite", "cible")
        indicateurs = (
            Indicateur.objects.filter(fiche_id__in=self.choisies)
            .order_by(*suite, "fiche_id", "id")
            .values_list(*champs)
        )
        for rangs in _par_paquets(indicateurs.iterator(chunk_size=PAR_LOT), PAR_LOT):
            yield Lot(
                indicateurs=[
                    [self.vues[fiche][0], *reste] for fiche, *reste in rangs if fiche in self.vues
                ]
            )

    def contexte(self, territoire: int, porteur: int, financeur: int | None = None) -> Contexte:
        """FicheAction.contexte_acces() (LigneFinancement's for a line: its funder reads it)
        from what the export has already loaded (a test keeps them equal): the fiche's
        territory, its bearer, the régions of its territory."""
        return Contexte(
            territoires={territoire},
            organisations={porteur},
            regions=set(self.regions[territoire]),
            financeurs={financeur} if financeur is not None else set(),
        )

    def _secrets(self, model, row: dict, ctx) -> dict:
        """The secret fields of a row as this person may read them: through comptes.secrets,
        which decides and logs each read; « Confidentiel » without the need to know."""
        noms = [n for n in model.SECRETABLE if n in (row["champs_secrets"] or ())]
        if not noms:
            return {}
        obj = model(pk=row["id"], champs_secrets=row["champs_secrets"], **{n: row[n] for n in noms})
        lues, masques = valeurs(self.user, obj, noms, canal="export", ctx=ctx)
        return {n: MASQUE if n in masques else lues[n] for n in noms}

    def _ligne_fiche(self, f: dict, ref: str, partenaires, mesures) -> list:
        ctx = self.contexte(f["territoire_id"], f["porteur_id"])
        secrets = self._secrets(FicheAction, f, ctx)
        lib, nommer, t = self.libelles, self.annuaire.nommer_pk, f["territoire_id"]
        return [
            ref,
            self.phases[t],
            self.codes[t],
            f["titre"],
            f["axe"],
            f["contexte"],
            secrets.get("description", f["description"]),
            nommer(f["porteur_id"]),
            self.types.get(f["porteur__type"], ""),
            self.annuaire.nommer_liste_pk(partenaires.get(f["id"], ())),
            lib[PorteeGeo].get(f["portee"], ""),
            self.filieres.get(f["filiere_id"], ""),
            oui(f["collective"]),
            lib[Maturite].get(f["maturite"], ""),
            f["date_debut"],
            f["date_fin"],
            secrets.get("cout_total", f["cout_total"]),
            " ; ".join(self.mesures[m] for m in mesures.get(f["id"], ())),
            lib[ContratValorise].get(f["contrat_valorise"], ""),
            oui(f["demande_simplification"]),
            f["probleme"],
            lib[NatureSimplification].get(f["nature_simplification"], ""),
            lib[Orientation].get(f["orientation"], ""),
            lib[Etat].get(f["etat"], ""),
        ]

    def _ligne_financement(self, li: dict, vue: tuple[str, int, int]) -> list:
        ref, territoire, porteur = vue
        ctx = self.contexte(territoire, porteur, li["financeur_id"])
        secrets = self._secrets(LigneFinancement, li, ctx)
        return [
            ref,
            self.annuaire.nommer_pk(li["financeur_id"]),
            self.mesures.get(li["mesure_id"], ""),
            li["section"],
            secrets.get("montant", li["montant"]),
            oui(li["de_minimis"]),
            self.statuts.get(li["statut"], ""),
        ]


def _par_fiche(through, cle: str, fiches) -> dict[int, list[int]]:
    """For each fiche, its partners (or measures), in the order its page shows them: by name."""
    out: dict[int, list[int]] = defaultdict(list)
    rows = through.objects.filter(ficheaction_id__in=fiches).order_by(f"{cle}__nom", f"{cle}_id")
    for fiche, autre in rows.values_list("ficheaction_id", f"{cle}_id"):
        out[fiche].append(autre)
    return out


def _par_paquets(rangs: Iterator, taille: int) -> Iterator[list]:
    """The rows of a stream, `taille` at a time."""
    while paquet := list(islice(rangs, taille)):
        yield paquet
