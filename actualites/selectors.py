"""Reading the news: public once published, national or of one région."""

from django.db.models import QuerySet

from .models import Actualite


def actualites(region: str | None = None, *, nationales: bool = False) -> QuerySet[Actualite]:
    """All news, or a région's (`region`), or the delegation's only (`nationales`)."""
    qs = Actualite.objects.select_related("region")
    if nationales:
        return qs.filter(region__isnull=True)
    return qs.filter(region_id=region) if region else qs
