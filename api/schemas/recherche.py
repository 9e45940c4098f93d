"""Shapes of the platform's search (api/recherche.py)."""

from ninja import Field, Schema

from . import Cle


class FiltresRecherche(Schema):
    q: Cle = Field(
        ...,
        max_length=200,
        description="Mots cherchés, sans souci des accents, de la casse ni du pluriel ; un "
        "code de territoire ou de commune (INSEE).",
    )
    genre: Cle | None = Field(
        None,
        description="Une seule sorte de résultats : territoires, fiches, mesures, "
        "actualites, annuaire…",
    )
    limit: int = Field(20, ge=1, le=100, description="Résultats par sorte, au plus.")
    offset: int = Field(0, ge=0, le=1_000_000, description="Décalage dans chaque sorte.")


class ResultatOut(Schema):
    titre: str
    detail: str
    identifiant: str = Field(..., description="Code, référence ou numéro de l'objet trouvé.")
    url: str = Field(..., description="Sa page sur la plateforme.")
    demo: bool


class GroupeOut(Schema):
    genre: str
    libelle: str
    total: int
    resultats: list[ResultatOut]


class RechercheOut(Schema):
    q: str
    groupes: list[GroupeOut]
