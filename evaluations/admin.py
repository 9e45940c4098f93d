from django.contrib import admin

from .models import Cadre, Evaluation, TransitionEvaluation


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin):
    """Browse only: the framework is kept through its pages, where versions are frozen."""

    list_display = ["__str__", "publie_le"]
    list_filter = ["phase"]

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = TransitionEvaluation
    extra = 0
    can_delete = False
    fields = ["le", "date", "action", "etat_avant", "etat_apres", "par", "commentaire"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Browse only: an evaluation moves through its lifecycle (evaluations.cycle)."""

    list_display = ["__str__", "etat", "tour"]
    list_filter = ["nature", "etat"]
    inlines = [TransitionInline]

    def has_change_permission(self, request, obj=None):
        return False
