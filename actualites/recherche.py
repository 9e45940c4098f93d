"""What the search finds in the network's news (referentiel.moteur): public news by their
title, summary or text. A few hundred a year: read and matched in Python."""

from referentiel.moteur import Resultat, fournisseur, plier

from .selectors import actualites as toutes


def _presenter(a) -> Resultat:
    return Resultat(
        titre=a.titre,
        detail=f"{a.source}, le {a.publiee_le:%d/%m/%Y}",
        page=("actualites:detail", (a.pk,)),
        identifiant=str(a.pk),
        demo=a.demo,
    )


@fournisseur("actualites", "Actualités", ordre=40, presenter=_presenter)
def actualites(user, requete):
    return [a for a in toutes() if requete.correspond(plier(a.titre, a.chapo, a.corps))]
