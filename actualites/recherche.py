"""What the search finds in the network's information (referentiel.moteur): public news by
their title, summary or text, resources and events within the reader's scope. A few hundred a
year each: read and matched in Python."""

from django.utils import timezone

from referentiel.moteur import Resultat, fournisseur, plier

from .evenements import evenements_visibles
from .ressources import ressources_visibles
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


def _presenter_ressource(r) -> Resultat:
    return Resultat(
        titre=r.titre,
        detail=f"{r.get_categorie_display()}, du {r.date:%d/%m/%Y}",
        page=("actualites:ressource", (r.pk,)),
        identifiant=str(r.pk),
        demo=r.demo,
    )


@fournisseur("ressources", "Ressources", ordre=42, presenter=_presenter_ressource)
def ressources(user, requete):
    """Resources this person may see (drafts only to their publishers), by title or summary."""
    return [
        r
        for r in ressources_visibles(user).order_by("-date", "-pk")
        if requete.correspond(plier(r.titre, r.resume))
    ]


def _presenter_evenement(e) -> Resultat:
    debut = timezone.localtime(e.debut)
    return Resultat(
        titre=e.titre,
        detail=f"{e.organisateur}, le {debut:%d/%m/%Y à %H h %M}",
        page=("actualites:evenement", (e.pk,)),
        identifiant=str(e.pk),
        demo=e.demo,
    )


@fournisseur("evenements", "Événements", ordre=44, presenter=_presenter_evenement)
def evenements(user, requete):
    """Events this person may see (network-only ones once signed in), by title, description,
    organiser or place."""
    return [
        e
        for e in evenements_visibles(user).order_by("-debut", "-pk")
        if requete.correspond(plier(e.titre, e.description, e.organisateur, e.lieu))
    ]
