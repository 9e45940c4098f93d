from django import template

from ..commun.formulaires import sommaire

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def pourcent(value):
    return f"{round(float(value) * 100):d} %"


@register.filter(name="sommaire")
def sommaire_filtre(formulaire):
    """A form's errors as (anchor, message) pairs, for commun/_erreurs.html."""
    return sommaire(formulaire)
