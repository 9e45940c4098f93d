"""Contracts and their avenants (where retained fiches are inscribed), then the money of the
granted lines: commitments and payments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from . import REFERENCE, Contexte, par_lots
from .acteurs import a_dix_heures

CENTIME = Decimal("0.01")


def _signature(rng, phase: int) -> tuple[date, date, int]:
    """(contract signed on, last avenant by, days between avenants)."""
    if phase == 1:
        return date(2019, 6, 1) + timedelta(days=rng.randrange(0, 395)), date(2022, 12, 15), 330
    return date(2024, 6, 1) + timedelta(days=rng.randrange(0, 395)), REFERENCE, 240


def _validation(ctx: Contexte, t, avant: date):
    """The last meeting of the région's COPIL before the signature, which validated it."""
    reunions = ctx.reunions_regionales.get(ctx.region[t.pk], [])
    passees = [dec for d, dec in reunions if d < avant]
    return passees[-1] if passees else None


def contrats(ctx: Contexte) -> dict[str, int]:
    from contrats.models import Avenant, Contrat

    rng, plans = ctx.rng, []
    for t in ctx.territoires:
        signe, fin, pas = _signature(rng, t.phase_id)
        avenants = []
        d = signe + timedelta(days=pas)
        while d <= fin:
            avenants.append(d)
            d += timedelta(days=pas + rng.randrange(-30, 30))
        plans.append((t, signe, avenants))
    cs = par_lots(
        Contrat,
        [
            Contrat(
                territoire=t,
                annee_debut=2019 if t.phase_id == 1 else 2023,
                annee_fin=2022 if t.phase_id == 1 else 2027,
                enjeux=f"Les enjeux industriels de {t.nom}.",
                ambitions="Attirer, recruter, innover, simplifier.",
                validation=_validation(ctx, t, signe),
                date_signature=signe,
            )
            for t, signe, _ in plans
        ],
    )
    nouveaux = []
    for c, (t, _, avenants) in zip(cs, plans, strict=True):
        for k, d in enumerate(avenants, start=1):
            nouveaux.append(
                Avenant(
                    contrat=c,
                    numero=k,
                    objet="Nouvelles fiches-actions.",
                    validation=_validation(ctx, t, d),
                    date_signature=d,
                )
            )
    avs = iter(par_lots(Avenant, nouveaux))
    for c, (t, signe, avenants) in zip(cs, plans, strict=True):
        ctx.signatures[t.pk] = [(signe, c, None)] + [(d, c, next(avs)) for d in avenants]
    return {"contrats": len(cs), "avenants": len(nouveaux)}


def _paiements(rng, engagement, engage: Decimal, depuis: date) -> list:
    from financements.models import Paiement

    n = rng.choice([0, 1, 1, 2, 3])
    if not n:
        return []
    total = (engage * Decimal(rng.uniform(0.3, 1.0))).quantize(CENTIME)
    parts = [(total / n).quantize(CENTIME)] * n
    parts[-1] = total - sum(parts[:-1])
    out, d = [], depuis
    for k, montant in enumerate(parts, start=1):
        d += timedelta(days=rng.randrange(30, 200))
        if d > REFERENCE or montant <= 0:
            break
        out.append(
            Paiement(
                engagement=engagement,
                date=d,
                montant=montant,
                reference=f"P{k}",
                par=engagement.par,
                le=a_dix_heures(d),
            )
        )
    return out


def engagements(ctx: Contexte) -> dict[str, int]:
    """Most granted lines of retained fiches are committed (at most their amount), then paid
    in up to three payments (at most what was committed), in date order."""
    from financements.models import Engagement, Paiement

    rng, prevus = ctx.rng, []
    for ligne, depuis, par in ctx.lignes_accordees:
        if rng.random() > 0.85:
            continue
        d = depuis + timedelta(days=rng.randrange(15, 120))
        if d > REFERENCE:
            continue
        part = Decimal(rng.choice(["1", "1", "0.9", "0.75"]))
        montant = (ligne.montant * part).quantize(CENTIME)
        prevus.append(
            Engagement(
                ligne=ligne,
                date=d,
                montant=montant,
                par=par,
                le=a_dix_heures(d),
                convention=f"Convention {ligne.pk}",
                reference=f"EJ{ligne.pk:010d}" if rng.random() < 0.5 else "",
            )
        )
    engs = par_lots(Engagement, prevus)
    paiements = []
    for e in engs:
        paiements += _paiements(rng, e, e.montant, e.date)
    par_lots(Paiement, paiements)
    return {"engagements": len(engs), "paiements": len(paiements)}
