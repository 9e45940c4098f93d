from django import template

from ..commun.formulaires import options_du_choix, sommaire
from ..programme import liens

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


@register.simple_tag
def faq(numero: str, libelle: str = ""):
    """« FAQ §4.5 » as a link to the programme's text on the platform (www.programme.faq)."""
    return liens.lien_faq(numero, libelle)


@register.filter(is_safe=True)
def liens_faq(texte):
    """A text (a help text, a rule's message) with each « FAQ §x.y » made a link."""
    return liens.liens_faq(texte)


@register.simple_tag
def options(champ):
    """The <option>s of a select of a filter form, its value selected (commun/_filtres.html)."""
    return options_du_choix(champ)
