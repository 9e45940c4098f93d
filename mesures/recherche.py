"""What the search finds in the panier de services (referentiel.moteur): a measure by its
name, description or operator. The catalogue is public and small: read whole, matched in
Python."""

from referentiel.moteur import Resultat, fournisseur, plier

from .models import Mesure


def _presenter(m) -> Resultat:
    return Resultat(
        titre=m.nom,
        detail=m.operateur.nom if m.operateur else "État",
        page=("mesures:detail", (m.pk,)),
        identifiant=str(m.pk),
    )


@fournisseur("mesures", "Panier de services", ordre=30, presenter=_presenter)
def mesures(user, requete):
    return [
        m
        for m in Mesure.objects.select_related("operateur").order_by("nom")
        if requete.correspond(plier(m.nom, m.description, m.operateur.nom if m.operateur else ""))
    ]
