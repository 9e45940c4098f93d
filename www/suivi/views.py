"""The former tracking pages of the deployment (`/suivi/`, `/suivi/regions/<code>/`): moved
for good to the sortable, filterable and exportable table of the dashboards
(`/tableaux/deploiement/`), with the same filters (the phase, the région)."""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse


def _vers_le_deploiement(request, **filtres) -> HttpResponsePermanentRedirect:
    query = request.GET.copy()
    for cle, valeur in filtres.items():
        query[cle] = valeur
    suite = f"?{query.urlencode()}" if query else ""
    return HttpResponsePermanentRedirect(reverse("tableaux:deploiement") + suite)


def national(request):
    return _vers_le_deploiement(request)


def region(request, code: str):
    return _vers_le_deploiement(request, region=code)
