"""The site's URLs plus one page that fails, to see the 500 page as a visitor would."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site


def en_panne(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", en_panne), *site]
