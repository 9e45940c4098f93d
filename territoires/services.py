"""The one module that changes the map: every write to perimeters goes through here.

Each function is atomic, dated by its decision, and records a Changement for the history.
Rows of the perimeter are closed, never deleted, so the map of any past date stays drawable.
"""

from collections.abc import Iterable
from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from referentiel.models import EPCI, Commune

from .models import Changement, Decision, NatureChangement, Perimetre, Phase, Territoire


def _codes(communes: Iterable[Commune | str]) -> set[str]:
    return {c.code if isinstance(c, Commune) else c for c in communes}


def communes_de_groupement(epci: EPCI) -> set[str]:
    """Current communes of an EPCI, or of an EPT inside the Grand Paris."""
    field = "ept" if epci.nature == "EPT" else "epci"
    return set(Commune.objects.filter(**{field: epci}).values_list("code", flat=True))


def _check_date(territoire: Territoire, date: Date) -> None:
    if date < territoire.date_debut:
        raise ValidationError(
            f"La décision du {date:%d/%m/%Y} précède la création du territoire "
            f"{territoire.code} ({territoire.date_debut:%d/%m/%Y})."
        )
    if territoire.date_fin and date >= territoire.date_fin:
        raise ValidationError(
            f"Le territoire {territoire.code} est retiré de la carte depuis le "
            f"{territoire.date_fin:%d/%m/%Y}."
        )
    last = territoire.changements.aggregate(d=Max("date"))["d"]
    if last and date < last:
        # Keeps each territory's history linear: a change cannot slip under a later one.
        raise ValidationError(
            f"Le territoire {territoire.code} a déjà changé le {last:%d/%m/%Y} : "
            "une modification ne peut pas être datée avant ce dernier changement."
        )


def _check_free(
    phase: Phase,
    codes: set[str],
    date: Date,
    exclude: Territoire | None = None,
    partagees: Iterable[str] = (),
):
    """A commune belongs to at most one territory of a phase at a time, unless the decision
    shares it explicitly (`partagees`: an official list may place a commune in several
    territories of a phase; see docs/adr/0009)."""
    taken = (
        Perimetre.objects.a_date(date)
        .filter(territoire__phase=phase, commune_id__in=codes - set(partagees))
        .select_related("territoire", "commune")
    )
    if exclude is not None:
        taken = taken.exclude(territoire=exclude)
    taken = list(taken[:5])
    if taken:
        noms = ", ".join(f"{p.commune.nom} ({p.territoire.code})" for p in taken)
        raise ValidationError(
            f"Ces communes appartiennent déjà à un autre territoire de la phase : {noms}."
        )


def _check_known(codes: set[str]) -> None:
    known = set(Commune.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = sorted(codes - known)
    if unknown:
        raise ValidationError(f"Communes inconnues du référentiel : {', '.join(unknown[:10])}.")


def _open_rows(territoire: Territoire, codes: Iterable[str], date: Date, decision: Decision):
    Perimetre.objects.bulk_create(
        Perimetre(territoire=territoire, commune_id=code, date_debut=date, decision_entree=decision)
        for code in sorted(codes)
    )


def _close_rows(territoire: Territoire, codes: set[str] | None, date: Date, decision: Decision):
    rows = Perimetre.objects.filter(territoire=territoire, date_fin__isnull=True)
    if codes is not None:
        rows = rows.filter(commune_id__in=codes)
    return rows.update(date_fin=date, decision_sortie=decision)


def perimetre_courant(territoire: Territoire) -> set[str]:
    return set(
        territoire.perimetre.filter(date_fin__isnull=True).values_list("commune_id", flat=True)
    )


@transaction.atomic
def creer_territoire(
    *,
    phase: Phase,
    code: str,
    nom: str,
    communes: Iterable[Commune | str],
    decision: Decision,
    pilote: bool = False,
    origine: Territoire | None = None,
    description: str = "",
    partagees: Iterable[str] = (),
) -> Territoire:
    """`partagees`: communes the decision places in this territory as well as in another
    territory of the phase (otherwise a commune already taken is refused)."""
    codes = _codes(communes)
    if not codes:
        raise ValidationError(f"Le territoire {code} doit comprendre au moins une commune.")
    if Territoire.objects.filter(phase=phase, code=code).exists():
        raise ValidationError(f"Le code {code} est déjà pris dans la {phase.nom.lower()}.")
    _check_known(codes)
    _check_free(phase, codes, decision.date, partagees=partagees)
    territoire = Territoire.objects.create(
        phase=phase, code=code, nom=nom, pilote=pilote, date_debut=decision.date, origine=origine
    )
    _open_rows(territoire, codes, decision.date, decision)
    Changement.objects.create(
        territoire=territoire,
        date=decision.date,
        nature=NatureChangement.CREATION,
        decision=decision,
        description=description or f"Création du territoire ({len(codes)} communes).",
        communes_ajoutees=len(codes),
        details={"origine": origine.code} if origine else {},
    )
    return territoire


@transaction.atomic
def ajouter_communes(
    *,
    territoire: Territoire,
    communes: Iterable[Commune | str],
    decision: Decision,
    description: str = "",
    details: dict | None = None,
    partagees: Iterable[str] = (),
) -> Changement:
    """`partagees`: as for creer_territoire."""
    codes = _codes(communes)
    _check_date(territoire, decision.date)
    _check_known(codes)
    deja = codes & perimetre_courant(territoire)
    if deja:
        raise ValidationError(
            f"{len(deja)} commune(s) font déjà partie du territoire {territoire.code}."
        )
    _check_free(territoire.phase, codes, decision.date, exclude=territoire, partagees=partagees)
    _open_rows(territoire, codes, decision.date, decision)
    return Changement.objects.create(
        territoire=territoire,
        date=decision.date,
        nature=NatureChangement.AJOUT,
        decision=decision,
        description=description or f"Ajout de {len(codes)} commune(s).",
        communes_ajoutees=len(codes),
        details=details or {},
    )


@transaction.atomic
def retirer_communes(
    *,
    territoire: Territoire,
    communes: Iterable[Commune | str],
    decision: Decision,
    description: str = "",
    details: dict | None = None,
) -> Changement:
    codes = _codes(communes)
    _check_date(territoire, decision.date)
    courant = perimetre_courant(territoire)
    absentes = codes - courant
    if absentes:
        raise ValidationError(
            f"{len(absentes)} commune(s) ne font pas partie du territoire {territoire.code} : "
            f"{', '.join(sorted(absentes)[:10])}."
        )
    if codes >= courant:
        raise ValidationError(
            f"Retirer toutes les communes viderait le territoire {territoire.code} : "
            "décidez plutôt son retrait de la carte."
        )
    if Perimetre.objects.filter(
        territoire=territoire,
        commune_id__in=codes,
        date_fin__isnull=True,
        date_debut=decision.date,
    ).exists():
        raise ValidationError("Une commune ne peut pas entrer et sortir le même jour.")
    _close_rows(territoire, codes, decision.date, decision)
    return Changement.objects.create(
        territoire=territoire,
        date=decision.date,
        nature=NatureChangement.RETRAIT,
        decision=decision,
        description=description or f"Retrait de {len(codes)} commune(s).",
        communes_retirees=len(codes),
        details=details or {},
    )


def ajouter_epci(*, territoire: Territoire, epci: EPCI, decision: Decision) -> Changement:
    """Adds the communes of an EPCI not yet in the territory (FAQ §2.3)."""
    codes = communes_de_groupement(epci) - perimetre_courant(territoire)
    if not codes:
        raise ValidationError(f"{epci.nom} fait déjà entièrement partie du territoire.")
    return ajouter_communes(
        territoire=territoire,
        communes=codes,
        decision=decision,
        description=f"Ajout de l'intercommunalité {epci.nom} ({len(codes)} communes).",
        details={"epci": [epci.siren]},
    )


def retirer_epci(*, territoire: Territoire, epci: EPCI, decision: Decision) -> Changement:
    """Removes the communes of an EPCI from the territory (FAQ §2.3)."""
    codes = communes_de_groupement(epci) & perimetre_courant(territoire)
    if not codes:
        raise ValidationError(f"{epci.nom} ne fait pas partie du territoire {territoire.code}.")
    return retirer_communes(
        territoire=territoire,
        communes=codes,
        decision=decision,
        description=f"Retrait de l'intercommunalité {epci.nom} ({len(codes)} communes).",
        details={"epci": [epci.siren]},
    )


@transaction.atomic
def renommer_territoire(*, territoire: Territoire, nom: str, decision: Decision) -> Changement:
    """A new name from the decision's date; the former one stays in the history, and the map
    of an earlier date shows it (territoires.selectors.noms_a)."""
    nom = nom.strip()
    if not nom:
        raise ValidationError("Le nouveau nom du territoire est vide.")
    if nom == territoire.nom:
        raise ValidationError(f"Le territoire {territoire.code} porte déjà ce nom.")
    _check_date(territoire, decision.date)
    ancien = territoire.nom
    territoire.nom = nom
    territoire.save(update_fields=["nom", "modifie_le"])
    return Changement.objects.create(
        territoire=territoire,
        date=decision.date,
        nature=NatureChangement.RENOMMAGE,
        decision=decision,
        description=f"Nouveau nom : « {nom} » (auparavant « {ancien} »).",
        details={"ancien": ancien, "nouveau": nom},
    )


@transaction.atomic
def retirer_territoire(*, territoire: Territoire, decision: Decision, description: str = ""):
    _check_date(territoire, decision.date)
    if decision.date == territoire.date_debut:
        raise ValidationError("Un territoire ne peut pas être retiré le jour de sa création.")
    n = _close_rows(territoire, None, decision.date, decision)
    territoire.date_fin = decision.date
    territoire.save(update_fields=["date_fin", "modifie_le"])
    return Changement.objects.create(
        territoire=territoire,
        date=decision.date,
        nature=NatureChangement.RETRAIT_TERRITOIRE,
        decision=decision,
        description=description or "Retrait du territoire de la carte.",
        communes_retirees=n,
    )


@transaction.atomic
def scinder_territoire(
    *, territoire: Territoire, parts: list[dict], decision: Decision
) -> list[Territoire]:
    """Splits a territory (FAQ §2.3): its communes are shared out, without gap or overlap,
    between new territories; the original leaves the map on the decision's date.

    `parts` items: {"code", "nom", "communes"}.
    """
    if len(parts) < 2:
        raise ValidationError("Une scission donne au moins deux territoires.")
    courant = perimetre_courant(territoire)
    vus: set[str] = set()
    for part in parts:
        codes = _codes(part["communes"])
        if codes & vus:
            raise ValidationError("Une commune ne peut pas aller dans deux territoires issus.")
        vus |= codes
    if vus != courant:
        manquantes = len(courant - vus)
        etrangeres = len(vus - courant)
        raise ValidationError(
            "Les territoires issus de la scission doivent reprendre exactement le périmètre "
            f"actuel ({manquantes} commune(s) oubliée(s), {etrangeres} commune(s) étrangère(s))."
        )
    retirer_territoire(
        territoire=territoire,
        decision=decision,
        description="Scission en " + ", ".join(p["code"] for p in parts) + ".",
    )
    Changement.objects.filter(territoire=territoire, date=decision.date).update(
        nature=NatureChangement.SCISSION, details={"issus": [p["code"] for p in parts]}
    )
    return [
        creer_territoire(
            phase=territoire.phase,
            code=part["code"],
            nom=part["nom"],
            communes=part["communes"],
            decision=decision,
            pilote=territoire.pilote,
            origine=territoire,
            description=f"Issu de la scission de {territoire.code} {territoire.nom}.",
        )
        for part in parts
    ]
