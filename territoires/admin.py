from django.contrib import admin

from referentiel.admin import ReadOnlyAdmin

from .models import Changement, Decision, Territoire


@admin.register(Territoire)
class TerritoireAdmin(admin.ModelAdmin):
    """Name and pilot flag are editable; the perimeter changes only through decisions
    (territoires.services), so that every change stays dated."""

    list_display = ["code", "nom", "phase", "pilote", "date_debut", "date_fin"]
    list_filter = ["phase", "pilote"]
    search_fields = ["code", "nom"]
    fields = ["phase", "code", "nom", "pilote", "date_debut", "date_fin", "origine"]
    readonly_fields = ["phase", "code", "date_debut", "date_fin", "origine"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["date", "instance", "region", "intitule", "demo"]
    list_filter = ["instance", "region", "demo"]
    search_fields = ["intitule", "texte"]


@admin.register(Changement)
class ChangementAdmin(ReadOnlyAdmin):
    list_display = ["date", "territoire", "nature", "description"]
    list_filter = ["nature"]
    list_select_related = ["territoire"]
