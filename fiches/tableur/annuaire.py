"""What a file may name, loaded once: the organisations the person may see (by SIREN or
name), territories, measures of the panier de services, filières."""

from __future__ import annotations

import re
from collections import defaultdict

from comptes.permissions import organisations_visibles
from comptes.secrets import MASQUE
from mesures.models import Mesure
from territoires.models import Perimetre, Phase, Territoire
from territoires.selectors import variantes_code

from ..models import Filiere
from . import cellules
from .cellules import Refus, cle
from .colonnes import CONFIDENTIEL, SEPARATEUR

SIREN = re.compile(r"^\d{9}$")


def regions(territoires) -> dict[int, set[str]]:
    """Régions of each territory's current perimeter, in one query."""
    out: dict[int, set[str]] = defaultdict(set)
    rows = (
        Perimetre.objects.filter(date_fin__isnull=True, territoire_id__in=territoires)
        .values_list("territoire_id", "commune__region_id")
        .distinct()
    )
    for territoire, region in rows:
        out[territoire].add(region)
    return out


class Annuaire:
    """The organisations the person may see, found by SIREN or name; each is written in a
    cell so that it reads back to the same one: its name when no other bears it, else its
    SIREN. Others are not found and are written « Confidentiel » (no leak of existence)."""

    def __init__(self, user):
        # Whole rows: fiches.services reads a bearer's commune, EPCI and type.
        self.par_pk = {o.pk: o for o in organisations_visibles(user)}
        self.par_nom: dict[str, list] = defaultdict(list)
        self.par_siren: dict[str, list] = defaultdict(list)
        self._noms: dict[int, str] = {}
        for o in self.par_pk.values():
            self.par_nom[cle(o.nom)].append(o)
            if o.siren:
                self.par_siren[o.siren].append(o)

    def nommer_pk(self, pk) -> str:
        """The cell of the organisation `pk` (worked out once per organisation)."""
        if pk not in self._noms:
            org = self.par_pk.get(pk)
            if org is None:
                self._noms[pk] = MASQUE
            else:
                nom_sur = (
                    len(self.par_nom[cle(org.nom)]) == 1
                    and SEPARATEUR not in org.nom
                    and not SIREN.match(org.nom)
                )
                self._noms[pk] = org.nom if nom_sur or not org.siren else org.siren
        return self._noms[pk]

    def nommer_liste_pk(self, pks) -> str:
        noms = [self.nommer_pk(pk) for pk in pks]
        visibles = [n for n in noms if n != MASQUE]
        return " ; ".join(visibles + ([MASQUE] if MASQUE in noms else []))

    def trouver(self, valeur, masque: bool = False):
        texte = cellules.texte(valeur)
        if not texte:
            raise Refus("valeur manquante.")
        if masque and cle(texte) == cle(MASQUE):
            return CONFIDENTIEL
        compact = re.sub(r"\s", "", texte)
        trouvees = self.par_siren[compact] if SIREN.match(compact) else self.par_nom[cle(texte)]
        if len(trouvees) == 1:
            return trouvees[0]
        if not trouvees:
            raise Refus(f"« {texte} » n'est pas une organisation connue (SIREN ou nom exact).")
        raise Refus(f"« {texte} » désigne plusieurs organisations : donnez son SIREN.")

    def trouver_liste(self, valeur) -> list:
        return cellules.liste(valeur, lambda nom: self.trouver(nom, masque=True))


class Index:
    """Territories, organisations, measures and filières, loaded once for the whole file."""

    def __init__(self, user):
        self.annuaire = Annuaire(user)
        self.phases = set(Phase.objects.values_list("numero", flat=True))
        self.territoires = {(t.phase_id, t.code): t for t in Territoire.objects.all()}
        self.filieres = {cle(f.nom): f for f in Filiere.objects.all()}
        self.mesures: dict[str, list[Mesure]] = defaultdict(list)
        for m in Mesure.objects.all():
            self.mesures[cle(m.nom)].append(m)
        self._regions: dict[int, set[str]] | None = None

    def phase(self, v) -> int:
        texte = cellules.texte_requis(v)
        if not texte.isdigit() or int(texte) not in self.phases:
            phases = ", ".join(str(p) for p in sorted(self.phases))
            raise Refus(f"« {texte} » n'est pas une phase ({phases}).")
        return int(texte)

    def territoire(self, v, phase: int) -> Territoire:
        code = cellules.texte_requis(v)
        if code.isdigit() and len(code) < 4:
            code = code.zfill(4)  # « 0101 » read back as the number 101
        t = next(
            (
                self.territoires[(phase, c)]
                for c in variantes_code(code)
                if (phase, c) in self.territoires
            ),
            None,
        )
        if t is None:
            raise Refus(f"« {code} » n'est pas un territoire de la phase {phase}.")
        return t

    def filiere(self, v) -> Filiere | None:
        texte = cellules.texte(v)
        if not texte:
            return None
        if cle(texte) not in self.filieres:
            raise Refus(f"« {texte} » n'est pas une filière de la liste.")
        return self.filieres[cle(texte)]

    def mesure(self, v, territoire: Territoire | None = None) -> Mesure | None:
        texte = cellules.texte(v)
        if not texte:
            return None
        trouvees = self.mesures.get(cle(texte), [])
        if len(trouvees) > 1 and territoire is not None:
            # A regional measure may share its name with another Région's: keep the fiche's.
            siennes = self.regions(territoire.pk)
            trouvees = [m for m in trouvees if m.region_id is None or m.region_id in siennes]
        if len(trouvees) == 1:
            return trouvees[0]
        if not trouvees:
            raise Refus(f"« {texte} » n'est pas une mesure du panier de services.")
        raise Refus(f"« {texte} » désigne plusieurs mesures.")

    def mesures_liste(self, v, territoire: Territoire | None) -> list[Mesure]:
        return cellules.liste(v, lambda nom: self.mesure(nom, territoire))

    def regions(self, territoire: int) -> set[str]:
        if self._regions is None:
            self._regions = regions({t.pk for t in self.territoires.values()})
        return self._regions[territoire]
