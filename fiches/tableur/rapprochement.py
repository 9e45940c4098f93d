"""The rows read against what is stored: the fiche each row designates, « Confidentiel »
resolved to the stored values, the model's checks, and what each row will do — every refusal
found before anything is written."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from comptes.permissions import autoriser
from referentiel.imports import Erreurs

from ..enums import Etat
from ..models import FicheAction, LigneFinancement
from ..permissions import peut_creer
from ..selectors import fiches_visibles
from .annuaire import Annuaire, Index
from .cellules import cle, libelle, propre
from .colonnes import COLONNE_DU_CHAMP, CONFIDENTIEL, FICHES, FINANCEMENTS, INDICATEURS
from .lecture import FicheLue, LigneLue, lire_fiches, lire_financements, lire_indicateurs

CREER, MODIFIER, RIEN = "creer", "modifier", "rien"


def preparer(feuilles, user) -> list[tuple[FicheLue, str]]:
    """Checks the whole file against the platform; raises ImportInvalide with every error.
    Returns each fiche read with what it will do (CREER, MODIFIER or RIEN)."""
    erreurs = Erreurs()
    idx = Index(user)
    par_cle, sans_cle, refusees = lire_fiches(feuilles[FICHES], idx, erreurs)
    lire_financements(feuilles[FINANCEMENTS], idx, par_cle, refusees, erreurs)
    lire_indicateurs(feuilles[INDICATEURS], par_cle, refusees, erreurs)
    lues = sorted([*par_cle.values(), *sans_cle], key=lambda lue: lue.ligne)
    lues = _rattacher(lues, user, erreurs)
    plan = []
    for lue in lues:
        if erreurs.pleine:
            break
        avant = len(erreurs)
        _resoudre(lue, idx.annuaire, erreurs)
        if len(erreurs) == avant:
            _valider(lue, erreurs)
        if len(erreurs) == avant:
            plan.append((lue, _planifier(lue, user, erreurs)))
    if erreurs:
        raise erreurs.refus()
    return plan


# --- The fiche each row designates ---------------------------------------------------------


def _fiches_existantes(user, territoires: set[int]) -> list[FicheAction]:
    """The stored fiches a row may designate: only those the person may see."""
    return list(
        fiches_visibles(user)
        .filter(territoire_id__in=territoires)
        .select_related("territoire", "porteur", "filiere")
        .prefetch_related(
            Prefetch("lignes", queryset=LigneFinancement.objects.order_by("id")),
            "partenaires",
            "mesures",
            "indicateurs",
        )
    )


def _rattacher(lues: list[FicheLue], user, erreurs: Erreurs) -> list[FicheLue]:
    """Finds the fiche each row designates: by its Référence, or, for a row without one, the
    fiches of the same territory with the same title and bearer (a file imported again).
    Returns the rows that found theirs (or need none)."""
    existantes = _fiches_existantes(user, {lue.territoire.pk for lue in lues})
    par_numero = {(f.territoire_id, f.numero): f for f in existantes}
    par_titre = defaultdict(list)
    for f in existantes:
        par_titre[(f.territoire_id, cle(f.titre), f.porteur_id)].append(f)
    vues: dict[tuple, int] = {}
    trouvees = []
    for lue in lues:
        if lue.numero is not None:
            lue.fiche = par_numero.get((lue.territoire.pk, lue.numero))
            if lue.fiche is None:
                _erreur(erreurs, lue, f"fiche {lue.cle} introuvable.", "Référence")
                continue
        elif lue.donnees["porteur"] is not CONFIDENTIEL:  # else refused as a new fiche's
            meme = (lue.territoire.pk, cle(lue.donnees["titre"]), lue.donnees["porteur"].pk)
            if meme in vues:
                _erreur(
                    erreurs, lue, f"même territoire, titre et porteur que la ligne {vues[meme]}."
                )
                continue
            vues[meme] = lue.ligne
            lue.deja = par_titre.get(meme, [])
        trouvees.append(lue)
    return trouvees


def _erreur(erreurs: Erreurs, lue: FicheLue, message: str, colonne: str | None = None) -> None:
    erreurs.ajouter(message, ligne=lue.ligne, feuille=FICHES, colonne=colonne)


# --- « Confidentiel » ----------------------------------------------------------------------


def _refuser_masque(erreurs: Erreurs, feuille: str, ligne: int, colonne: str) -> None:
    message = "« Confidentiel » ne vaut que pour une valeur déjà enregistrée : donnez la valeur."
    erreurs.ajouter(message, ligne=ligne, feuille=feuille, colonne=colonne)


def _resoudre(lue: FicheLue, annuaire: Annuaire, erreurs: Erreurs) -> None:
    """« Confidentiel » takes the stored value, which only a designated fiche has."""
    fiche = lue.fiche
    for nom in ("description", "cout_total", "porteur"):
        if lue.donnees[nom] is CONFIDENTIEL:
            if fiche is None:
                _refuser_masque(erreurs, FICHES, lue.ligne, COLONNE_DU_CHAMP[nom])
            else:
                lue.donnees[nom] = getattr(fiche, nom)
    if CONFIDENTIEL in lue.partenaires and fiche is None:
        _refuser_masque(erreurs, FICHES, lue.ligne, "Partenaires")
    # Partners the person may not see stay: they could not have listed them.
    caches = {p.pk for p in fiche.partenaires.all() if p.pk not in annuaire.par_pk} if fiche else ()
    lue.partenaires = {o.pk for o in lue.partenaires if o is not CONFIDENTIEL} | set(caches)
    _resoudre_lignes(lue, annuaire, erreurs)


def _resoudre_lignes(lue: FicheLue, annuaire: Annuaire, erreurs: Erreurs) -> None:
    """Each row of « Financements » is paired with the stored line it stands for: it takes
    that line's secrecy (kept even when the lines are rewritten) and its masked values."""
    restantes = list(lue.fiche.lignes.all()) if lue.fiche else []
    for poste in lue.lignes:
        ancienne = _apparier(poste, restantes, annuaire)
        if ancienne is None:
            if CONFIDENTIEL in (poste.financeur, poste.montant):
                colonne = "Financeur" if poste.financeur is CONFIDENTIEL else "Montant (€)"
                _refuser_masque(erreurs, FINANCEMENTS, poste.ligne, colonne)
            continue
        restantes.remove(ancienne)
        poste.champs_secrets = list(ancienne.champs_secrets or [])
        if poste.financeur is CONFIDENTIEL:
            poste.financeur = ancienne.financeur
        if poste.montant is CONFIDENTIEL:
            poste.montant = ancienne.montant


def _apparier(poste: LigneLue, anciennes: list, annuaire: Annuaire):
    """The stored line a row stands for: same funder, measure and section (the same amount
    first), so that « Confidentiel » and secrecy follow the right line."""

    def meme_poste(a):
        if poste.financeur is CONFIDENTIEL:
            financeur = a.financeur_id not in annuaire.par_pk
        else:
            financeur = a.financeur_id == poste.financeur.pk
        mesure = poste.mesure.pk if poste.mesure else None
        return financeur and a.mesure_id == mesure and a.section == poste.section

    candidates = [a for a in anciennes if meme_poste(a)]
    return next((a for a in candidates if a.montant == poste.montant), None) or next(
        iter(candidates), None
    )


# --- Differences with the stored fiche -----------------------------------------------------


def _comparable(v):
    if hasattr(v, "_meta"):
        return v.pk
    return propre(v) if isinstance(v, str) else v


def _differences(lue: FicheLue, fiche: FicheAction) -> list[str]:
    """The columns (or sheets) where the row differs from the stored fiche."""
    out = [
        COLONNE_DU_CHAMP[nom]
        for nom in lue.donnees
        if _comparable(lue.donnees[nom]) != _comparable(getattr(fiche, nom))
    ]
    if lue.partenaires != {p.pk for p in fiche.partenaires.all()}:
        out.append("Partenaires")
    if lue.mesures != {m.pk for m in fiche.mesures.all()}:
        out.append("Mesures")
    if lignes_differentes(lue, fiche):
        out.append(FINANCEMENTS)
    if indicateurs_differents(lue, fiche):
        out.append(INDICATEURS)
    return out


def lignes_differentes(lue: FicheLue, fiche: FicheAction) -> bool:
    stockees = Counter(
        (li.financeur_id, li.mesure_id, li.section, li.montant, li.de_minimis)
        for li in fiche.lignes.all()
    )
    return Counter(p.poste() for p in lue.lignes) != stockees


def indicateurs_differents(lue: FicheLue, fiche: FicheAction) -> bool:
    stockes = Counter(
        (propre(i.libelle), propre(i.unite), i.cible) for i in fiche.indicateurs.all()
    )
    return Counter((i.libelle, i.unite, i.cible) for i in lue.indicateurs) != stockes


# --- What each row will do -----------------------------------------------------------------


def _valider(lue: FicheLue, erreurs: Erreurs) -> None:
    """The model's own checks that need no database, so that they come with the others."""
    donnees = {k: v for k, v in lue.donnees.items() if k not in ("porteur", "filiere")}
    fiche = FicheAction(territoire=lue.territoire, numero=1, **donnees)
    messages: dict[str, list[str]] = {}
    for controle in (lambda: fiche.clean_fields(exclude=["territoire", "porteur"]), fiche.clean):
        try:
            controle()
        except ValidationError as exc:
            for champ, textes in exc.message_dict.items():
                messages.setdefault(champ, []).extend(textes)
    if fiche.date_debut and fiche.date_fin and fiche.date_fin < fiche.date_debut:
        messages.setdefault("date_fin", []).append("la fin précède le début.")
    for champ, textes in messages.items():
        _erreur(erreurs, lue, " ".join(textes), COLONNE_DU_CHAMP.get(champ))


def _planifier(lue: FicheLue, user, erreurs: Erreurs) -> str:
    """What the row will do; refusals are errors now, before anything is written."""
    if lue.fiche is None:
        return _planifier_creation(lue, user, erreurs)
    differences = _differences(lue, lue.fiche)
    if not differences:
        return RIEN
    ref, porteur = lue.fiche.reference, lue.donnees["porteur"]
    if not autoriser(user, "modifier", lue.fiche):
        _erreur(erreurs, lue, f"vous ne pouvez pas modifier la fiche {ref}.")
    elif porteur.pk != lue.fiche.porteur_id and not peut_creer(user, lue.territoire, porteur):
        _erreur(
            erreurs,
            lue,
            f"« {porteur.nom} » ne peut pas porter une fiche du territoire {lue.territoire.code}.",
            "Porteur",
        )
    elif lue.fiche.etat != Etat.BROUILLON:
        _erreur(
            erreurs,
            lue,
            f"la fiche {ref} est soumise (« {libelle(Etat, lue.fiche.etat)} ») : elle ne se "
            "modifie plus ; demandez au comité qu'elle soit « à retravailler ». "
            f"Différences : {', '.join(differences)}.",
        )
    return MODIFIER


def _planifier_creation(lue: FicheLue, user, erreurs: Erreurs) -> str:
    if any(not _differences(lue, f) for f in lue.deja):
        return RIEN  # the same fiche, imported again
    if lue.deja:
        refs = ", ".join(f.reference for f in lue.deja)
        _erreur(
            erreurs,
            lue,
            f"la fiche {refs} a déjà ce titre et ce porteur : pour la modifier, indiquez sa "
            "référence.",
        )
    elif not peut_creer(user, lue.territoire, lue.donnees["porteur"]):
        _erreur(
            erreurs,
            lue,
            f"vous ne pouvez pas créer de fiche pour le territoire {lue.territoire.code} "
            "avec ce porteur.",
        )
    return CREER
