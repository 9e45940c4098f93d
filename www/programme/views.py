"""The pages every public site owes its visitors: the programme and the platform, its FAQ,
help, legal notice, personal data, accessibility statement, site map, robots.txt."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from . import faq, plan


def _reglages() -> dict:
    return {
        "editeur": settings.SITE_EDITEUR,
        "direction": settings.SITE_DIRECTION_PUBLICATION,
        "hebergeur": settings.SITE_HEBERGEUR,
        "contact": settings.SITE_CONTACT_EMAIL,
        "dpo": settings.SITE_DPO_EMAIL,
    }


def presentation(request):
    return render(request, "programme/presentation.html")


def faq_page(request):
    return render(
        request, "programme/faq.html", {"chapitres": faq.chapitres(), "version": faq.VERSION}
    )


def aide(request):
    return render(request, "programme/aide.html", _reglages())


def mentions_legales(request):
    return render(request, "programme/mentions_legales.html", _reglages())


def donnees_personnelles(request):
    return render(
        request,
        "programme/donnees_personnelles.html",
        {**_reglages(), "session_heures": settings.SESSION_COOKIE_AGE // 3600},
    )


def accessibilite(request):
    return render(request, "programme/accessibilite.html", _reglages())


def plan_du_site(request):
    return render(request, "programme/plan_du_site.html", {"rubriques": plan.rubriques(request)})


def robots(request):
    lignes = [
        "User-agent: *",
        # Only the public pages are worth indexing; the rest asks to sign in.
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /connexion/",
        "Disallow: /compte/",
        "Disallow: /gouvernance/agenda/",
        f"Sitemap: {request.build_absolute_uri(reverse('programme:sitemap'))}",
    ]
    return HttpResponse("\n".join(lignes) + "\n", content_type="text/plain; charset=utf-8")
