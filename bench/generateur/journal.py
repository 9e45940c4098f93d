"""The audit log: bulk inserts send no signal, so its rows are written here, as django-auditlog
would have written them (a creation per object, then changes of the fiches), with plain
INSERTs: half a million model instances would take minutes."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from . import Contexte
from .acteurs import PARIS

LOT = 20_000


def _sources():
    """(model, fields read, how to name the row) of the objects whose creation is logged."""
    from fiches.models import FicheAction, LigneFinancement, Transition
    from financements.models import Engagement, Paiement

    return [
        (FicheAction, ("pk", "titre", "date_debut"), lambda r: r[1]),
        (
            LigneFinancement,
            ("pk", "fiche_id", "demande_le"),
            lambda r: f"Ligne {r[0]} de la fiche {r[1]}",
        ),
        (Transition, ("pk", "action", "le"), lambda r: f"Mouvement {r[1]}"),
        (Engagement, ("pk", "convention", "le"), lambda r: r[1]),
        (Paiement, ("pk", "reference", "le"), lambda r: f"Paiement {r[1]}"),
    ]


def _moment(valeur, rng) -> datetime:
    if isinstance(valeur, datetime):
        return valeur
    jour = valeur or datetime(2019, 1, 1).date() + timedelta(days=rng.randrange(0, 2700))
    return datetime.combine(jour, datetime.min.time(), tzinfo=PARIS) + timedelta(hours=9)


class Ecrivain:
    """Rows of auditlog_logentry, inserted by batches."""

    COLONNES = (
        "content_type_id",
        "object_pk",
        "object_id",
        "object_repr",
        "action",
        "changes",
        "changes_text",
        "actor_id",
        "timestamp",
        "remote_addr",
    )

    def __init__(self):
        from auditlog.models import LogEntry
        from django.db import connection

        self.connection = connection
        self.table = LogEntry._meta.db_table
        self.lot: list = []
        self.ecrites = 0

    def __call__(self, ct, pk, nom, action, changes, acteur, moment):
        ops = self.connection.ops
        self.lot.append(
            (
                ct,
                str(pk),
                pk,
                nom[:200],
                action,
                json.dumps(changes),
                "",
                acteur,
                ops.adapt_datetimefield_value(moment),
                "127.0.0.1",
            )
        )
        if len(self.lot) >= LOT:
            self.vider()

    def vider(self):
        if not self.lot:
            return
        marques = ", ".join(["%s"] * len(self.COLONNES))
        with self.connection.cursor() as c:
            c.executemany(
                f"INSERT INTO {self.table} ({', '.join(self.COLONNES)}) VALUES ({marques})",
                self.lot,
            )
        self.ecrites += len(self.lot)
        self.lot = []

    @property
    def total(self) -> int:
        return self.ecrites + len(self.lot)


def journal(ctx: Contexte) -> dict[str, int]:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    rng, total, ecrire = ctx.rng, ctx.taille("journal"), Ecrivain()
    acteurs = [u.pk for u in ctx.comptes]
    fiches, ct_fiche = [], None
    for model, champs, nom in _sources():
        ct = ContentType.objects.get_for_model(model).pk
        ct_fiche = ct_fiche or ct
        for row in model.objects.order_by("pk").values_list(*champs).iterator():
            if ecrire.total >= total // 2:
                break
            moment = _moment(row[2], rng)
            if model.__name__ == "FicheAction":
                fiches.append((row[0], row[1], moment))
            ecrire(
                ct,
                row[0],
                nom(row),
                LogEntry.Action.CREATE,
                {"id": ["None", str(row[0])]},
                rng.choice(acteurs),
                moment,
            )
    while fiches and ecrire.total < total:
        pk, titre, moment = rng.choice(fiches)
        ecrire(
            ct_fiche,
            pk,
            titre,
            LogEntry.Action.UPDATE,
            {"version": ["1", "2"]},
            rng.choice(acteurs),
            moment + timedelta(days=rng.randrange(1, 300)),
        )
    ecrire.vider()
    return {"journal": ecrire.ecrites}
