from django.contrib import admin

from .models import EPCI, Commune, Departement, ImportReferentiel, Region


class ReadOnlyAdmin(admin.ModelAdmin):
    """The referential comes from the official snapshot: browse it, never edit it by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "nom"]


@admin.register(Departement)
class DepartementAdmin(ReadOnlyAdmin):
    list_display = ["code", "nom", "region"]
    list_filter = ["region"]


@admin.register(EPCI)
class EPCIAdmin(ReadOnlyAdmin):
    list_display = ["siren", "nom", "nature"]
    list_filter = ["nature"]
    search_fields = ["siren", "nom"]


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ["code", "nom", "departement", "epci", "population"]
    list_select_related = ["departement", "epci"]
    list_filter = ["region"]
    search_fields = ["code", "nom"]


@admin.register(ImportReferentiel)
class ImportReferentielAdmin(ReadOnlyAdmin):
    list_display = ["date", "millesime", "empreinte"]
