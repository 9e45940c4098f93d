from django.conf import settings
from django.urls import reverse

# What django-dsfr's templates read as SITE_CONFIG, without its database-backed model
# (one query less on every page; docs/adr/0003).
SITE_CONFIG = {
    "site_title": "Territoires d'industrie",
    "site_tagline": "La plateforme du programme national",
    "footer_description": (
        "Plateforme de pilotage du programme Territoires d'industrie : carte des territoires, "
        "gouvernance, fiches-actions et contrats. Données publiques sous Licence Ouverte 2.0."
    ),
    "header_brand_html": "République<br />française",
    "footer_brand_html": "République<br />française",
}


def site(request):
    # Signed in through ProConnect: log out there too (its logout view ends both sessions).
    session = getattr(request, "session", {})  # none on a request refused before the session
    via_proconnect = settings.PROCONNECT_ENABLED and "oidc_id_token" in session
    return {
        "SITE_CONFIG": SITE_CONFIG,
        "DEMO_MODE": settings.DEMO_MODE,
        "deconnexion_url": reverse("oidc_logout" if via_proconnect else "comptes:deconnexion"),
    }
