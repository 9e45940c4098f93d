"""The network's library of resources (FAQ §7.4): methodological guide, contracting kit,
communication kit, practical sheets. Deposited like the news are published: by the national
delegation for everyone, by a Région's pilot for its région (actualites.services.peut_publier).
A resource is a draft until published: then everyone reads it; a draft is seen only by those
who may publish it, and is not found (404) for anyone else.

An uploaded file is checked by referentiel.fichiers (type by content, size) before anything is
stored, then stored under MEDIA_ROOT with a generated name; pages and API serve it back only
through `ressources_visibles`."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet

from comptes.permissions import portee
from comptes.services import ConflitEdition
from referentiel import fichiers, saisie

from .enums import CategorieRessource
from .models import Ressource
from .services import peut_publier

DOSSIER = "ressources"
CHAMPS = ("titre", "resume", "categorie", "date", "lien", "publiee")
_URL = URLValidator(schemes=["http", "https"], message="Saisissez une adresse web (https://…).")


def taille_max() -> int:
    return settings.TAILLE_MAX_RESSOURCE


def ressources_visibles(user) -> QuerySet[Ressource]:
    """Published resources, and the drafts of the levels the person publishes at."""
    p = portee(user)
    brouillons = Q(region_id__in=p.regions_pilote)
    if p.national:
        brouillons |= Q(region__isnull=True)
    return Ressource.objects.select_related("region").filter(Q(publiee=True) | brouillons)


def ressources(user, *, region: str | None = None, categorie: str | None = None):
    qs = ressources_visibles(user)
    if region:
        qs = qs.filter(region_id=region)
    if categorie:
        qs = qs.filter(categorie=categorie)
    return qs


def _verifier(donnees: dict) -> dict:
    propres = {
        "titre": str(donnees.get("titre") or "").strip(),
        "resume": str(donnees.get("resume") or "").strip(),
        "categorie": str(donnees.get("categorie") or ""),
        "date": donnees.get("date"),
        "lien": str(donnees.get("lien") or "").strip(),
        "publiee": bool(donnees.get("publiee")),
    }
    regles = [saisie.valider_texte, saisie.valider_non_vide]
    saisie.verifier(titre=(propres["titre"], regles), resume=(propres["resume"], regles))
    erreurs = {}
    if propres["categorie"] not in CategorieRessource.values:
        erreurs["categorie"] = "Choisissez une catégorie."
    if not isinstance(propres["date"], date):
        erreurs["date"] = "Saisissez la date du document."
    if erreurs:
        raise ValidationError(erreurs)
    saisie.verifier(date=(propres["date"], [saisie.valider_date]))
    if propres["lien"]:
        saisie.verifier(lien=(propres["lien"], [saisie.valider_texte, _URL]))
    return propres


def _stocker(r: Ressource, fichier) -> None:
    t = fichiers.verifier_fichier(fichier, taille_max=taille_max())
    r.fichier.save(fichiers.nom_de_stockage(DOSSIER, t), fichier, save=False)
    r.type_fichier, r.taille = t.code, fichier.size


def _enregistrer(r: Ressource, fichier, ancien: str = "") -> Ressource:
    """Checks the row, then stores the file, then saves the row; a file written for a row
    that the database then refuses is removed again."""
    r.full_clean(exclude=["auteur", "region", "fichier"], validate_constraints=False)
    if fichier is not None:
        _stocker(r, fichier)
    stocke = r.fichier.name if fichier is not None else ""
    try:
        r.save()
    except Exception:
        if stocke:
            r.fichier.storage.delete(stocke)
        raise
    if ancien and ancien != r.fichier.name:
        # The replaced file goes once the new row is committed.
        storage = r.fichier.storage
        transaction.on_commit(lambda: storage.delete(ancien))
    return r


def _fichier_ou_lien(fichier, lien: str, a_deja_un_fichier: bool = False) -> None:
    if fichier is not None and lien:
        raise ValidationError({"lien": "Donnez un fichier ou un lien, pas les deux."})
    if fichier is None and not lien and not a_deja_un_fichier:
        raise ValidationError({"fichier": "Déposez un fichier ou donnez un lien externe."})


@transaction.atomic
def deposer(*, user, region=None, fichier=None, **donnees) -> Ressource:
    if not peut_publier(user, region):
        raise PermissionDenied("Vous ne pouvez pas déposer de ressource à ce niveau.")
    propres = _verifier(donnees)
    _fichier_ou_lien(fichier, propres["lien"])
    if fichier is not None:
        fichiers.verifier_fichier(fichier, taille_max=taille_max())
    r = Ressource(region=region, auteur=user, **propres)
    return _enregistrer(r, fichier)


@transaction.atomic
def modifier(*, user, ressource: Ressource, version: int, fichier=None, **donnees) -> Ressource:
    """A new file replaces the old one; a link replaces a file (and the file goes)."""
    r = Ressource.objects.select_for_update().get(pk=ressource.pk)
    if not peut_publier(user, r.region_id):
        raise PermissionDenied("Vous ne pouvez pas modifier cette ressource.")
    propres = _verifier(donnees)
    _fichier_ou_lien(fichier, propres["lien"], a_deja_un_fichier=bool(r.fichier))
    if fichier is not None:
        fichiers.verifier_fichier(fichier, taille_max=taille_max())
    if r.version != version:
        raise ConflitEdition([(c, propres[c], getattr(r, c)) for c in CHAMPS])
    ancien = r.fichier.name
    for c, v in propres.items():
        setattr(r, c, v)
    if propres["lien"]:
        r.fichier, r.type_fichier, r.taille = "", "", 0
    r.version += 1
    return _enregistrer(r, fichier, ancien)


def type_du_fichier(r: Ressource) -> fichiers.TypeFichier | None:
    return fichiers.TYPES.get(r.type_fichier)


def nom_du_fichier(r: Ressource) -> str:
    """The name the file is downloaded under: the title, made safe, and the type's extension."""
    return fichiers.nom_de_telechargement(r.titre, fichiers.TYPES[r.type_fichier])


def telecharger(r: Ressource):
    """The file as pages and API serve it (an attachment kept by no cache)."""
    if not r.fichier or r.type_fichier not in fichiers.TYPES:
        return None
    return fichiers.reponse_piece_jointe(
        r.fichier, nom=nom_du_fichier(r), t=fichiers.TYPES[r.type_fichier]
    )
