"""Atom feeds of the news: the whole network, the delegation's, or one région's."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from actualites import selectors
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
