"""What the agenda forms name by a search field rather than an internal id: a fiche by its
number (8401-09) or its title, a perimeter request by its number, a person by name. Each
field offers its choices in a list (`<datalist>`) and reads what was typed, among what the
person may see and what the body examines: an unknown or ambiguous name is refused with a
clear French message, nothing is guessed."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q

from fiches.selectors import fiches_visibles
from gouvernance import permissions
from territoires.selectors import territoires_des_regions, variantes_code

TIRET = " — "
MAX_CHOIX = 200
REFERENCE = re.compile(r"^\s*(\S+)-(\d{1,4})\s*(?:—.*)?$")
NUMERO = re.compile(r"^\s*(?:n°\s*)?(\d{1,9})\s*(?:—.*)?$", re.IGNORECASE)


def fiches_du_comite(user, comite):
    """The fiches this body examines (FAQ §4.6), among those the person sees."""
    qs = fiches_visibles(user).select_related("territoire")
    if comite.territoire_id:
        return qs.filter(territoire_id=comite.territoire_id)
    if comite.region_id:
        return qs.filter(territoire__in=territoires_des_regions([comite.region_id]))
    return qs.none()


def personnes_visibles(user):
    return permissions.personnes_nommables(user)


def libelle_fiche(f) -> str:
    return f"{f.reference}{TIRET}{f.titre}"


def libelle_demande(d) -> str:
    return f"n° {d.pk}{TIRET}{d}"


def libelle_personne(p) -> str:
    org = f"{TIRET}{p.organisation.nom}" if p.organisation_id else ""
    return f"{p.prenom} {p.nom}{org}"


def un_seul(qs, texte: str, quoi: str, preciser: str):
    trouves = list(qs[:2])
    if not trouves:
        raise forms.ValidationError(f"Aucune {quoi} ne correspond à « {texte} ».")
    if len(trouves) > 1:
        raise forms.ValidationError(f"Plusieurs {quoi}s correspondent à « {texte} » : {preciser}.")
    return trouves[0]


def trouver_fiche(qs, texte: str):
    texte = texte.strip()
    m = REFERENCE.match(texte)
    if m:
        code, numero = m.groups()
        trouvee = qs.filter(territoire__code__in=variantes_code(code), numero=int(numero))
        return un_seul(trouvee, texte, "fiche", "précisez son numéro")
    return un_seul(
        qs.filter(titre__icontains=texte), texte, "fiche", "précisez son numéro (ex. 8401-09)"
    )


def trouver_demande(qs, texte: str):
    m = NUMERO.match(texte)
    if m:
        return un_seul(qs.filter(pk=int(m.group(1))), texte, "demande", "précisez son numéro")
    texte = texte.strip()
    return un_seul(
        qs.filter(
            Q(territoire__code__iexact=texte)
            | Q(territoire__nom__icontains=texte)
            | Q(epci__nom__icontains=texte)
            | Q(nom_propose__icontains=texte)
        ),
        texte,
        "demande",
        "précisez son numéro (ex. n° 12)",
    )


def trouver_personne(qs, texte: str):
    texte = texte.strip()
    nom, _, organisation = texte.partition(TIRET.strip())
    if "@" in nom:
        qs = qs.filter(email__iexact=nom.strip())
    for mot in nom.split():
        if "@" not in mot:
            qs = qs.filter(Q(prenom__icontains=mot) | Q(nom__icontains=mot))
    if organisation.strip():
        qs = qs.filter(organisation__nom__iexact=organisation.strip())
    return un_seul(qs, texte, "personne", "précisez son organisation")


class Recherche(forms.CharField):
    """A text input with its list of choices (`<datalist>`), for a search field."""

    def __init__(self, *, liste: str, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": liste, "autocomplete": "off"})
        self.liste = liste
        self.choix: list[str] = []


def offrir(champ: Recherche, libelles) -> None:
    champ.choix = list(libelles)[:MAX_CHOIX]


def demandes_du_comite(user, comite):
    """The requests this body examines: those of its Région (a regional COPIL's)."""
    if not comite.region_id:
        return permissions.demandes_visibles(user).none()
    return permissions.demandes_visibles(user).filter(regions_concernees=comite.region_id)
