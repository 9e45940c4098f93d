from django.contrib import admin

from .models import FicheAction, Filiere, LigneFinancement, Transition


@admin.register(Filiere)
class FiliereAdmin(admin.ModelAdmin):
    """The list of strategic sectors (comités stratégiques de filière) is kept by staff."""

    search_fields = ["nom"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    fields = ["le", "action", "etat_avant", "etat_apres", "avis", "par", "motif"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FicheAction)
class FicheActionAdmin(admin.ModelAdmin):
    """Browse only: fiches are written through the pages, where rules and secrets apply."""

    list_display = ["__str__", "axe", "etat", "porteur"]
    list_filter = ["axe", "etat"]
    search_fields = ["titre"]
    list_select_related = ["territoire", "porteur"]
    fields = ["territoire", "numero", "titre", "axe", "porteur", "etat"]
    readonly_fields = fields
    inlines = [TransitionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LigneFinancement)
class LigneAdmin(admin.ModelAdmin):
    list_display = ["fiche", "financeur", "section", "statut"]
    list_filter = ["statut", "section"]
    fields = ["fiche", "financeur", "mesure", "section", "statut"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
