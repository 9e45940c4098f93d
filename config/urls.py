from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from api.api import api

# French pages of the design system (www.commun.erreurs); pages answer a refused action like
# an object out of scope (the API answers 403 itself).
handler400 = "www.commun.erreurs.requete_invalide"
handler403 = "www.commun.erreurs.refus"
handler404 = "www.commun.erreurs.introuvable"
handler500 = "www.commun.erreurs.erreur_serveur"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("www.urls")),
]

if settings.PROCONNECT_ENABLED:
    # ProConnect sign-in (docs/adr/0005): /oidc/authenticate/, /oidc/callback/, /oidc/logout/.
    urlpatterns.insert(-1, path("oidc/", include("mozilla_django_oidc.urls")))
