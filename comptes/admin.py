from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from referentiel.admin import ReadOnlyAdmin

from .models import (
    Designation,
    JetonAPI,
    LectureSecret,
    Organisation,
    Personne,
    ProfilEntreprise,
    Utilisateur,
)


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_staff", "is_active", "last_login"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "siren", "commune"]
    list_filter = ["type", "demo"]
    search_fields = ["nom", "siren"]
    autocomplete_fields = ["epci", "commune"]


@admin.register(Personne)
class PersonneAdmin(admin.ModelAdmin):
    list_display = ["nom", "prenom", "organisation", "annuaire"]
    search_fields = ["nom", "prenom", "email"]
    list_select_related = ["organisation"]


@admin.register(Designation)
class DesignationAdmin(admin.ModelAdmin):
    list_display = [
        "personne",
        "role",
        "territoire",
        "region",
        "organisation",
        "date_debut",
        "date_fin",
    ]
    list_filter = ["role"]
    list_select_related = ["personne", "territoire", "region", "organisation"]
    autocomplete_fields = ["personne", "territoire", "organisation"]
    filter_horizontal = ["territoires"]


@admin.register(LectureSecret)
class LectureSecretAdmin(ReadOnlyAdmin):
    list_display = ["lu_le", "lecteur", "content_type", "object_id", "champ", "canal"]


@admin.register(ProfilEntreprise)
class ProfilEntrepriseAdmin(admin.ModelAdmin):
    """Staff see who the firms are, not their secrets: those are read through the pages."""

    list_display = ["organisation", "activite"]
    fields = ["organisation", "activite", "champs_secrets"]
    readonly_fields = ["organisation"]

    def has_add_permission(self, request):
        return False


@admin.register(JetonAPI)
class JetonAPIAdmin(admin.ModelAdmin):
    """The staff list the API tokens of every account and revoke them (deletion); a token is
    only ever created by its owner, and its value is never stored."""

    list_display = ["compte", "nom", "prefixe", "cree_le", "expire_le", "utilise_le"]
    list_select_related = ["compte"]
    search_fields = ["compte__email", "nom", "prefixe"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
