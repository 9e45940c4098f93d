"""The programme's public pages and the site's duties (legal pages, site map, robots.txt)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import SITEMAPS

app_name = "programme"

urlpatterns = [
    path("programme/", views.presentation, name="presentation"),
    path("programme/faq/", views.faq_page, name="faq"),
    path("aide/", views.aide, name="aide"),
    path("mentions-legales/", views.mentions_legales, name="mentions-legales"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees-personnelles"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("plan-du-site/", views.plan_du_site, name="plan-du-site"),
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
