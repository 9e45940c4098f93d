"""Shapes of the organisations' list (api.organisations); an organisation's detail and its
firm profile are api.schemas.comptes's."""

from ninja import Field, Schema

from comptes.enums import TypeOrganisation

from . import Cle


class FiltresOrganisations(Schema):
    q: Cle | None = Field(None, description="Mots du nom (sans tenir compte de la casse).")
    siren: Cle | None = None
    type: TypeOrganisation | None = None
    region: Cle | None = Field(None, description="Code de la région de l'organisation.")


class OrganisationResumeOut(Schema):
    id: int
    nom: str
    type: str
    libelle_type: str
    siren: str | None
    region: str | None = Field(description="Code de la région (siège, ou région elle-même).")
    epci: str | None = Field(description="SIREN de l'intercommunalité qu'elle est.")

    # Read from the Organisation itself (api.organisations lists a queryset, paginated).
    @staticmethod
    def resolve_libelle_type(o) -> str:
        return o.get_type_display()

    @staticmethod
    def resolve_siren(o) -> str | None:
        return o.siren or None

    @staticmethod
    def resolve_region(o) -> str | None:
        return o.region_id or (o.commune.region_id if o.commune_id else None)

    @staticmethod
    def resolve_epci(o) -> str | None:
        return o.epci_id
