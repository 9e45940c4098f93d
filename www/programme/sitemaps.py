"""sitemap.xml: the public pages, every territory's page, the catalogue's measures, the
published resources and the public events of the network."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from actualites import evenements, ressources
from mesures import selectors as mesures
from territoires.models import Territoire

from . import plan


class Pages(Sitemap):
    def items(self):
        return plan.urls_publiques()

    def location(self, item):
        return item


class Territoires(Sitemap):
    def items(self):
        return Territoire.objects.order_by("phase_id", "code").only("phase_id", "code")

    def location(self, t):
        return reverse("carte:territoire", args=[t.phase_id, t.code])


class Mesures(Sitemap):
    def items(self):
        return mesures.catalogue()

    def location(self, m):
        return reverse("mesures:detail", args=[m.pk])


class Ressources(Sitemap):
    def items(self):
        return ressources.ressources_visibles(None)

    def location(self, r):
        return reverse("actualites:ressource", args=[r.pk])


class Evenements(Sitemap):
    def items(self):
        return evenements.evenements_visibles(None)

    def location(self, e):
        return reverse("actualites:evenement", args=[e.pk])


SITEMAPS = {
    "pages": Pages,
    "territoires": Territoires,
    "mesures": Mesures,
    "ressources": Ressources,
    "evenements": Evenements,
}
