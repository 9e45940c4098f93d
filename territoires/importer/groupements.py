"""The groupement rule (docs/adr/0009): what a list of groupements means for a territory
held commune by commune."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field


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


def _par_unite(communes: set[str], unite: Mapping[str, str | None]):
    """The communes grouped by their unit of the EPCI view, in SIREN order (None first)."""
    groupes: dict[str | None, set[str]] = defaultdict(set)
    for c in communes:
        groupes[unite.get(c)].add(c)
    return sorted(groupes.items(), key=lambda x: x[0] or "")


def _nommees(tenues, nommees, membres, unite) -> tuple[list[Mouvement], list[Mouvement]]:
    """Communes named by their own SIREN are in; the other communes of their EPCI leave."""
    entrees, sorties = [], []
    for u, siennes in _par_unite(nommees, unite):
        nouvelles = siennes - tenues
        if nouvelles:
            entrees.append(Mouvement("entree", "nommee", u, nouvelles))
        if u is not None:
            partantes = (membres.get(u, set()) & tenues) - siennes
            if partantes:
                sorties.append(Mouvement("sortie", "hors_nommees", u, partantes, siennes))
    return entrees, sorties


def _listes(tenues, groupements, membres) -> tuple[list[Mouvement], list[Ecart]]:
    """An EPCI named whole comes in only if the territory holds none of its communes."""
    entrees, ecarts = [], []
    for g in sorted(groupements):
        m = membres.get(g, set())
        if not m & tenues:
            if m:
                entrees.append(Mouvement("entree", "epci", g, set(m)))
        elif m - tenues:
            ecarts.append(Ecart("liste_entier", g, m - tenues))
    return entrees, ecarts


def _absents(tenues, groupements, nommees, membres, unite) -> tuple[list[Mouvement], list[Ecart]]:
    """An EPCI absent from the list leaves only if held whole and covered by no listed one."""
    sorties, ecarts = [], []
    couverture = set().union(*(membres.get(g, set()) for g in groupements))
    unites_nommees = {unite.get(c) for c in nommees}
    for u, siennes in _par_unite(tenues, unite):
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
    return sorties, ecarts


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
    entrees, sorties = _nommees(tenues, nommees, membres, unite)
    entrees_listees, ecarts = _listes(tenues, groupements, membres)
    sorties_absents, ecarts_absents = _absents(tenues, groupements, nommees, membres, unite)
    entrees += entrees_listees
    sorties += sorties_absents
    voulues = set(tenues)
    for mv in sorties:
        voulues -= mv.communes
    for mv in entrees:
        voulues |= mv.communes
    return Plan(voulues=voulues, mouvements=sorties + entrees, ecarts=ecarts + ecarts_absents)
