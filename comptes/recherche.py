"""What the search finds in the network's directory (referentiel.moteur): for a signed-in
person, the people who agreed to appear (and oneself), by name, function or organisation —
what the directory shows, never a firm's details. Matched in Python: a few thousand names."""

from urllib.parse import urlencode

from referentiel.moteur import Resultat, fournisseur, plier

from .selectors import annuaire


def _presenter(p) -> Resultat:
    detail = " — ".join(x for x in (p.fonction, p.organisation.nom if p.organisation else "") if x)
    return Resultat(
        titre=f"{p.prenom} {p.nom}",
        detail=detail,
        page=("comptes:annuaire", ()),
        identifiant=str(p.pk),
        demo=p.demo,
        parametres=urlencode({"q": p.nom}),
    )


@fournisseur("annuaire", "Annuaire du réseau", ordre=50, presenter=_presenter, public=False)
def personnes(user, requete):
    return [
        p
        for p in annuaire(user).order_by("nom", "prenom")
        if requete.correspond(
            plier(p.prenom, p.nom, p.fonction, p.organisation.nom if p.organisation else "")
        )
    ]
