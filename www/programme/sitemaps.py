"""sitemap.xml: the public pages, every territory's page, the catalogue's measures."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

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


SITEMAPS = {"pages": Pages, "territoires": Territoires, "mesures": Mesures}
