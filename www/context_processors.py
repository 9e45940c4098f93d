from django.conf import settings

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
    return {"SITE_CONFIG": SITE_CONFIG, "DEMO_MODE": settings.DEMO_MODE}
