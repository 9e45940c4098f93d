"""Path converters of the pages: imported by the packages' URL modules that use them."""

from django.urls import register_converter
from django.urls.converters import IntConverter

from referentiel import saisie


class EntierConverter(IntConverter):
    """An integer the database can hold: a larger one names no page (404). Identifiers need
    it only where they are compared as foreign keys (`phase_id`): Django already bounds
    primary-key lookups."""

    def to_python(self, value):
        n = saisie.entier(value)
        if n is None:
            raise ValueError(value)
        return n


register_converter(EntierConverter, "entier")
