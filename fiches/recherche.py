"""What the search finds among the fiches (referentiel.moteur): those the reader may see
(`fiches_visibles`), by their reference, title, context, problem, and description while it is
not secret — never by a secret field, even for who may read it, so that no result can hint at
one. The folded text is a column of the fiche (`texte_recherche`) and its words an index
(`MotFiche`): each word typed is a range of that index, one SQL query, fast on the whole
programme."""

from referentiel.moteur import Resultat, fournisseur

from .models import MotFiche
from .selectors import fiches_visibles


def _presenter(f) -> Resultat:
    return Resultat(
        titre=f"{f.reference} {f.titre}",
        detail=f"{f.territoire.nom} — {f.get_etat_display()}",
        page=("fiches:detail", (f.uuid,)),
        identifiant=f.reference,
        demo=f.demo,
    )


@fournisseur("fiches", "Fiches-actions", ordre=20, presenter=_presenter)
def fiches(user, requete):
    return (
        fiches_visibles(user)
        .filter(requete.filtre_index(MotFiche.objects, "fiche_id"))
        .select_related("territoire")
        .order_by("territoire__phase", "territoire__code", "numero")
    )
