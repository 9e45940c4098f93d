"""Writes of fiches' content: creation, edition with optimistic locking, lines, follow-up.
State changes are not here: they go through fiches.cycle."""

from __future__ import annotations

from datetime import date as Date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from comptes.enums import TypeOrganisation
from comptes.permissions import autoriser, exiger
from comptes.pieces import erreur_fichier
from comptes.secrets import champs_secrets_admis
from comptes.services import ConflitEdition
from referentiel import saisie

from .models import (
    Commentaire,
    FicheAction,
    Indicateur,
    LigneFinancement,
    NoteSuivi,
    PieceJointe,
    ValeurIndicateur,
)
from .permissions import peut_creer

CHAMPS_FICHE = (
    "titre",
    "axe",
    "contexte",
    "description",
    "porteur",
    "portee",
    "filiere",
    "collective",
    "maturite",
    "date_debut",
    "date_fin",
    "cout_total",
    "contrat_valorise",
    "demande_simplification",
    "probleme",
    "nature_simplification",
    "orientation",
    "champs_secrets",
)
M2M_FICHE = ("partenaires", "epcis", "communes", "mesures")
# What only a simplification request holds (FAQ §4.7): a fiche that stops being one loses them.
CHAMPS_SIMPLIFICATION = ("probleme", "nature_simplification", "orientation")
CHAMPS_LIGNE = ("financeur", "mesure", "section", "montant", "de_minimis", "champs_secrets")
CHAMPS_INDICATEUR = ("libelle", "unite", "cible")


def _secrets(model, demandes, porteur) -> list[str]:
    """Secret fields as asked, among those the model lets be secret (others are refused); a
    firm's amounts and business details are secret unless said otherwise (FAQ §7.3)."""
    if demandes is None:
        return list(model.SECRETABLE) if porteur.type == TypeOrganisation.ENTREPRISE else []
    return champs_secrets_admis(model, demandes)


# Model checks run without one query per database constraint (half the creation time of a
# fiche): the rules users can break are in the models' clean(), the constraints stay in the
# database as a safety net.


def _lignes(fiche: FicheAction, lignes: list[dict]) -> None:
    fiche.lignes.all().delete()
    for i, data in enumerate(lignes, start=1):
        data = {k: v for k, v in data.items() if k in CHAMPS_LIGNE}
        try:
            data["champs_secrets"] = _secrets(
                LigneFinancement, data.get("champs_secrets"), fiche.porteur
            )
            ligne = LigneFinancement(fiche=fiche, **data)
            ligne.full_clean(exclude=["fiche"], validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError(f"Ligne de financement {i} : {' '.join(exc.messages)}") from exc
        ligne.save()


def _indicateurs(fiche: FicheAction, indicateurs: list[dict]) -> None:
    """The fiche's indicators become those given, the one way pages, API and import write
    them: matched by name (case, accents and spacing aside), a kept indicator keeps its row
    and the values measured on it; the others are removed. Each is checked, every name once."""
    anciens = {saisie.cle(i.libelle): i for i in fiche.indicateurs.all()}
    vus: dict[str, int] = {}
    nouveaux = []
    for n, data in enumerate(indicateurs, start=1):
        data = {k: v for k, v in data.items() if k in CHAMPS_INDICATEUR}
        cle = saisie.cle(data.get("libelle") or "")
        if cle and cle in vus:
            raise ValidationError(
                f"Indicateur {n} : « {data['libelle']} » est déjà l'indicateur {vus[cle]}."
            )
        vus[cle] = n
        ind = anciens.pop(cle, None) or Indicateur(fiche=fiche)
        avant = (ind.libelle, ind.unite, ind.cible)
        for k, v in data.items():
            setattr(ind, k, v)
        try:
            ind.full_clean(exclude=["fiche"], validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError(f"Indicateur {n} : {' '.join(exc.messages)}") from exc
        if ind.pk is None:
            nouveaux.append(ind)
        elif (ind.libelle, ind.unite, ind.cible) != avant:
            ind.save()
    Indicateur.objects.filter(pk__in=[i.pk for i in anciens.values()]).delete()
    Indicateur.objects.bulk_create(nouveaux)


@transaction.atomic
def creer_fiche(
    *,
    user,
    territoire,
    donnees: dict,
    lignes: list[dict] | None = None,
    m2m: dict | None = None,
    indicateurs: list[dict] | None = None,
    demo: bool = False,
) -> FicheAction:
    saisie.refuser_nuls(FicheAction, donnees)
    if not peut_creer(user, territoire, donnees["porteur"]):
        raise PermissionDenied("Vous ne pouvez pas créer de fiche pour ce territoire.")
    donnees = {
        **donnees,
        "champs_secrets": _secrets(FicheAction, donnees.get("champs_secrets"), donnees["porteur"]),
    }
    for _ in range(3):
        numero = (territoire.fiches.aggregate(m=Max("numero"))["m"] or 0) + 1
        fiche = FicheAction(
            territoire=territoire,
            numero=numero,
            demo=demo,
            **{k: v for k, v in donnees.items() if k in CHAMPS_FICHE},
        )
        fiche.full_clean(exclude=["territoire"], validate_constraints=False)
        try:
            with transaction.atomic():
                fiche.save()
            break
        except IntegrityError:  # two fiches numbered at once: take the next number
            continue
    else:
        raise ValidationError("Numérotation impossible, réessayez.")
    for name, values in (m2m or {}).items():
        getattr(fiche, name).set(values)
    _lignes(fiche, lignes or [])
    _indicateurs(fiche, indicateurs or [])
    return fiche


FICHE_FIGEE = (
    "Une fiche soumise ne se modifie plus : demandez au comité qu'elle soit « à retravailler »."
)


@transaction.atomic
def modifier_fiche(
    *,
    user,
    fiche: FicheAction,
    version: int,
    donnees: dict,
    lignes: list[dict] | None = None,
    m2m: dict | None = None,
    indicateurs: list[dict] | None = None,
) -> FicheAction:
    """Edits a draft; the later of two concurrent saves is refused with what changed.
    `lignes` and `indicateurs`, when given, become the fiche's."""
    if not autoriser(user, "modifier", fiche):
        raise PermissionDenied("Vous ne pouvez pas modifier cette fiche.")
    saisie.refuser_nuls(FicheAction, donnees)
    pris = FicheAction.objects.filter(pk=fiche.pk, version=version).update(version=version)
    actuel = FicheAction.objects.get(pk=fiche.pk)
    if not pris:
        differences = [
            (nom, valeur, getattr(actuel, nom))
            for nom, valeur in donnees.items()
            if nom in CHAMPS_FICHE and getattr(actuel, nom) != valeur
        ]
        # The other save may have touched the lines, lists or state only: say so.
        raise ConflitEdition(differences or [("version", version, actuel.version)])
    if not actuel.modifiable:
        raise ValidationError(FICHE_FIGEE)
    if "champs_secrets" in donnees:
        donnees = {
            **donnees,
            "champs_secrets": _secrets(
                FicheAction, donnees["champs_secrets"], donnees.get("porteur", actuel.porteur)
            ),
        }
    for nom, valeur in donnees.items():
        if nom in CHAMPS_FICHE:
            setattr(actuel, nom, valeur)
    if not actuel.est_simplification:
        # No longer (or never) a simplification request: its fields go, whatever the channel.
        for nom in CHAMPS_SIMPLIFICATION:
            setattr(actuel, nom, "")
    if not peut_creer(user, actuel.territoire, actuel.porteur):
        # A changed bearer must still be one that may bear a fiche here.
        raise PermissionDenied("Ce porteur ne peut pas porter une fiche de ce territoire.")
    actuel.version = version + 1
    actuel.full_clean(validate_constraints=False)
    actuel.save()
    for name, values in (m2m or {}).items():
        getattr(actuel, name).set(values)
    if lignes is not None:
        _lignes(actuel, lignes)
    if indicateurs is not None:
        _indicateurs(actuel, indicateurs)
    return actuel


def _exiger(user, action, fiche):
    exiger(
        autoriser(user, action, fiche), "Action réservée au porteur et à l'équipe du territoire."
    )


@transaction.atomic
def commenter(*, user, fiche: FicheAction, texte: str) -> Commentaire:
    if not texte.strip():
        raise ValidationError("Le commentaire est vide.")
    commentaire = Commentaire(fiche=fiche, auteur=user, texte=texte.strip())
    commentaire.full_clean(exclude=["fiche", "auteur"])
    commentaire.save()
    return commentaire


@transaction.atomic
def suivre(
    *,
    user,
    fiche: FicheAction,
    phase: str = "",
    statut: str = "",
    texte: str = "",
    date: Date | None = None,
) -> NoteSuivi | None:
    """Execution follow-up of an inscribed fiche: phase, status, dated note."""
    _exiger(user, "suivre_fiche", fiche)
    fiche = FicheAction.objects.select_for_update().get(pk=fiche.pk)  # its current state
    if not fiche.inscrite:
        raise ValidationError("Le suivi d'exécution commence à l'inscription au contrat.")
    if phase:
        fiche.phase_execution = phase
    if statut:
        fiche.statut_execution = statut
    fiche.full_clean(validate_constraints=False)
    fiche.save(update_fields=["phase_execution", "statut_execution", "modifie_le"])
    if texte:
        saisie.pas_dans_le_futur(date, "La date de la note")
        kw = {"date": date} if date else {}
        note = NoteSuivi(fiche=fiche, auteur=user, texte=texte, **kw)
        note.full_clean(exclude=["fiche", "auteur"])
        note.save()
        return note
    return None


@transaction.atomic
def mesurer(*, user, indicateur: Indicateur, date: Date, valeur) -> ValeurIndicateur:
    _exiger(user, "suivre_fiche", indicateur.fiche)
    if not indicateur.fiche.inscrite:
        raise ValidationError("La mesure des indicateurs commence à l'inscription au contrat.")
    saisie.pas_dans_le_futur(date, "La date de la mesure")
    mesure = ValeurIndicateur(indicateur=indicateur, date=date, valeur=valeur)
    mesure.full_clean(exclude=["indicateur"])
    mesure.save()
    return mesure


@transaction.atomic
def ajouter_piece_jointe(*, user, fiche: FicheAction, titre: str, fichier) -> PieceJointe:
    """An attachment, added by the bearer or the territory's team; served only through a
    view that checks the fiche's visibility, never straight from the media folder."""
    _exiger(user, "modifier", fiche)
    titre = (titre or "").strip()
    erreurs = {}
    if not titre:
        erreurs["titre"] = "Donnez un titre à la pièce jointe."
    elif len(titre) > PieceJointe._meta.get_field("titre").max_length:
        erreurs["titre"] = "Le titre ne doit pas dépasser 200 caractères."
    else:
        try:
            saisie.valider_texte(titre)
        except ValidationError as exc:
            erreurs["titre"] = exc.messages
    if erreur := erreur_fichier(fichier):
        erreurs["fichier"] = erreur
    if erreurs:
        raise ValidationError(erreurs)
    return PieceJointe.objects.create(fiche=fiche, titre=titre, fichier=fichier, ajoute_par=user)
