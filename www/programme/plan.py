"""The site map: the public pages for everyone, and the signed-in person's own sections."""

from __future__ import annotations

from django.urls import reverse


def _publiques() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            "Le programme",
            [
                ("Accueil", reverse("carte:accueil")),
                ("Le programme et la plateforme", reverse("programme:presentation")),
                ("Foire aux questions du programme (juin 2019)", reverse("programme:faq")),
                ("Aide", reverse("programme:aide")),
                ("Actualités du réseau", reverse("actualites:liste")),
                ("Ressources du réseau", reverse("actualites:ressources")),
                ("Événements du réseau", reverse("actualites:evenements")),
            ],
        ),
        (
            "La carte",
            [
                ("Carte des territoires", reverse("carte:carte")),
                ("Liste des territoires", reverse("carte:territoires")),
                ("Les régions", reverse("carte:regions")),
            ],
        ),
        (
            "Actions et contrats",
            [
                ("Fiches-actions inscrites", reverse("fiches:liste")),
                ("Demandes de simplification", reverse("fiches:simplification")),
                ("Panier de services", reverse("mesures:liste")),
                ("Protocoles, contrats et avenants signés", reverse("contrats:liste")),
            ],
        ),
        (
            "Données",
            [
                ("Données ouvertes", reverse("opendata:index")),
                ("API", reverse("carte:api")),
            ],
        ),
        (
            "Informations légales",
            [
                ("Mentions légales", reverse("programme:mentions-legales")),
                ("Données personnelles et cookies", reverse("programme:donnees-personnelles")),
                ("Accessibilité : non conforme", reverse("programme:accessibilite")),
                ("Plan du site", reverse("programme:plan-du-site")),
            ],
        ),
    ]


def _personnelles() -> tuple[str, list[tuple[str, str]]]:
    return (
        "Votre espace",
        [
            ("Ce qui vous attend", reverse("travail:file")),
            ("Gouvernance : comités, réunions, demandes", reverse("gouvernance:index")),
            ("Annuaire", reverse("comptes:annuaire")),
            ("Votre compte", reverse("comptes:compte")),
        ],
    )


def rubriques(request) -> list[tuple[str, list[tuple[str, str]]]]:
    out = _publiques()
    if request.user.is_authenticated:
        out.insert(1, _personnelles())
    return out


def urls_publiques() -> list[str]:
    """The public pages' addresses, for sitemap.xml."""
    return [url for _, liens in _publiques() for _, url in liens]
