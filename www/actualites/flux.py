"""Atom feeds of the news (the whole network, the delegation's, or one région's) and of the
public events to come."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from actualites import evenements, selectors
from referentiel.calendrier import PARIS
from referentiel.models import Region

TAILLE = 30


class Actualites(Feed):
    feed_type = Atom1Feed
    title = "Territoires d'industrie : actualités du réseau"
    subtitle = "Les actualités de la délégation nationale et des Régions."

    def link(self):
        return reverse("actualites:liste")

    def items(self):
        return selectors.actualites()[:TAILLE]

    def item_title(self, a):
        return a.titre

    def item_description(self, a):
        return a.chapo

    def item_link(self, a):
        return reverse("actualites:detail", args=[a.pk])

    def item_pubdate(self, a):
        return a.publiee_le

    def item_updateddate(self, a):
        return a.modifiee_le

    def item_author_name(self, a):
        return a.source


class ActualitesNationales(Actualites):
    title = "Territoires d'industrie : actualités de la délégation nationale"

    def items(self):
        return selectors.actualites(nationales=True)[:TAILLE]


class ActualitesRegion(Actualites):
    def get_object(self, request, code):
        return get_object_or_404(Region, code=code)

    def title(self, region):
        return f"Territoires d'industrie : actualités de la Région {region.nom}"

    def link(self, region):
        return reverse("actualites:liste") + f"?region={region.code}"

    def items(self, region):
        return selectors.actualites(region.code)[:TAILLE]


class Evenements(Feed):
    """The public events to come, the nearest first; network events never appear here."""

    feed_type = Atom1Feed
    title = "Territoires d'industrie : événements du réseau"
    subtitle = "Les événements publics à venir de la délégation nationale et des Régions."

    def link(self):
        return reverse("actualites:evenements")

    def items(self):
        return evenements.a_venir(None)[:TAILLE]

    def item_title(self, e):
        return e.titre

    def item_description(self, e):
        debut = timezone.localtime(e.debut, PARIS)
        return f"Le {debut:%d/%m/%Y à %H:%M} (heure de Paris), {e.lieu or 'en ligne'}."

    def item_link(self, e):
        return reverse("actualites:evenement", args=[e.pk])

    def item_pubdate(self, e):
        return e.cree_le

    def item_updateddate(self, e):
        return e.modifie_le

    def item_author_name(self, e):
        return e.organisateur
