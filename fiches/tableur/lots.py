"""The rows of an export, read batch by batch: a fixed number of queries per batch of fiches
whatever their number, and the memory of one batch. What every row repeats (territories,
filières, measures, labels of the lists, the names an organisation is written by) is read
once for the whole export; a fiche's lines, partners, measures and indicators are read for
the whole batch as plain values (no related manager per fiche, which was the cost).

A secret value is read through comptes.secrets, which decides and logs each read; the reads
of a batch are logged together, before its rows are handed out (`journal_groupe`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

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
    """The rows of a batch of fiches, their secrets already read (and logged)."""

    fiches: list[list] = field(default_factory=list)
    financements: list[list] = field(default_factory=list)
    indicateurs: list[list] = field(default_factory=list)


class Export:
    """The fiches of `queryset` this person may see, in the export's order."""

    def __init__(self, user, queryset, *, detail: bool = True):
        self.user, self.detail = user, detail
        # Whatever the caller built, only what the person may see.
        visibles = queryset.filter(pk__in=fiches_visibles(user).values("pk"))
        paires = list(visibles.order_by(*ORDRE).values_list("pk", "territoire_id"))
        self.pks = [pk for pk, _t in paires]
        self.regions = regions({t for _pk, t in paires})
        self.annuaire = Annuaire(user)
        self.phases, self.codes = {}, {}
        for pk, phase, code in Territoire.objects.values_list("pk", "phase_id", "code"):
            self.phases[pk], self.codes[pk] = phase, code
        self.filieres = dict(Filiere.objects.values_list("pk", "nom"))
        self.mesures = dict(Mesure.objects.values_list("pk", "nom"))
        # An empty value is an empty cell (cellules.libelle), whatever its label.
        self.libelles = {e: {v: str(lab) for v, lab in e.choices if v} for e in LISTES}
        self.types = {v: str(lab) for v, lab in TypeOrganisation.choices}
        self.statuts = {v: str(lab) for v, lab in StatutLigne.choices}

    def __len__(self) -> int:
        return len(self.pks)

    def lots(self) -> Iterator[Lot]:
        for i in range(0, len(self.pks), PAR_LOT):
            with journal_groupe():
                lot = self._lot(self.pks[i : i + PAR_LOT])
            yield lot

    def _lot(self, pks: list[int]) -> Lot:
        rang = {pk: i for i, pk in enumerate(pks)}
        # Plain values: a model object is built only for what holds secrets (comptes.secrets).
        fiches = sorted(
            FicheAction.objects.filter(pk__in=pks).values(*CHAMPS_FICHE, "porteur__type"),
            key=lambda f: rang[f["id"]],
        )
        # In the order the fiche's page shows them: by name.
        partenaires = _par_fiche(FicheAction.partenaires.through, "organisation", pks)
        mesures = _par_fiche(FicheAction.mesures.through, "mesure", pks)
        lignes: dict[int, list] = defaultdict(list)
        indicateurs: dict[int, list] = defaultdict(list)
        if self.detail:
            lues = LigneFinancement.objects.filter(fiche_id__in=pks).order_by("id")
            for li in lues.values(*CHAMPS_LIGNE):
                lignes[li["fiche_id"]].append(li)
            champs = ("fiche_id", "libelle", "unite", "cible")
            for fiche, *reste in (
                Indicateur.objects.filter(fiche_id__in=pks).order_by("id").values_list(*champs)
            ):
                indicateurs[fiche].append(reste)
        lot = Lot()
        for f in fiches:
            ref = f"{self.codes[f['territoire_id']]}-{f['numero']:02d}"
            ctx = self.contexte(f)
            lot.fiches.append(self._ligne_fiche(f, ref, ctx, partenaires, mesures))
            for li in lignes[f["id"]]:
                # A funder reads the lines addressed to it (LigneFinancement.contexte_acces).
                ctx_ligne = replace(ctx, financeurs={li["financeur_id"]})
                lot.financements.append(self._ligne_financement(li, ref, ctx_ligne))
            lot.indicateurs.extend([ref, *reste] for reste in indicateurs[f["id"]])
        return lot

    def contexte(self, fiche: dict) -> Contexte:
        """FicheAction.contexte_acces() from what the export has already loaded (a test keeps
        the two equal): its territory, its bearer, the régions of its territory."""
        return Contexte(
            territoires={fiche["territoire_id"]},
            organisations={fiche["porteur_id"]},
            regions=set(self.regions[fiche["territoire_id"]]),
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

    def _ligne_fiche(self, f: dict, ref: str, ctx, partenaires, mesures) -> list:
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

    def _ligne_financement(self, li: dict, ref: str, ctx) -> list:
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


def _par_fiche(through, cle: str, pks) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    rows = through.objects.filter(ficheaction_id__in=pks).order_by(f"{cle}__nom", f"{cle}_id")
    for fiche, autre in rows.values_list("ficheaction_id", f"{cle}_id"):
        out[fiche].append(autre)
    return out
