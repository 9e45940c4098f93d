from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def pourcent(value):
    return f"{round(float(value) * 100):d} %"
