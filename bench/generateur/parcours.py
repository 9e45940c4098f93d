"""The fiches, their lines and their moves, each fiche walking its path in date order."""

from __future__ import annotations

import bisect
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from . import REFERENCE, Contexte, par_lots, textes
from .acteurs import a_dix_heures, debut_de_phase

# The state each fiche is meant to reach, by phase (weights): phase 1 is over, mostly
# inscribed or carried out; phase 2 is under way.
VISEES = {
    1: {
        "realisee": 30,
        "inscrite": 33,
        "non_retenue": 10,
        "retenue": 5,
        "instruction": 5,
        "copil": 5,
        "soumise": 5,
        "brouillon": 7,
    },
    2: {
        "brouillon": 15,
        "soumise": 12,
        "copil": 10,
        "instruction": 15,
        "retenue": 10,
        "inscrite": 28,
        "realisee": 5,
        "non_retenue": 5,
    },
}
CLASSEMENTS = {
    1: {"attirer": 30, "recruter": 30, "innover": 32, "simplifier": 8},
    2: {"competences": 25, "transition": 30, "innovation": 25, "foncier": 20},
}


def tirer(rng, poids: dict[str, int]) -> str:
    return rng.choices(list(poids), weights=list(poids.values()))[0]


@dataclass
class Marche:
    """What the walk of one fiche produced."""

    etat: str = "brouillon"
    moves: list = field(default_factory=list)  # (action, avant, apres, avis, date, decision, motif)
    retenue_le: date | None = None
    inscription: tuple | None = None  # (date, contrat, avenant)

    def bouger(self, action, apres, d, decision=None, avis="", motif=""):
        self.moves.append((action, self.etat, apres, avis, d, decision, motif))
        self.etat = apres


def _suivante(reunions: tuple[list, list], apres: date):
    """The first meeting strictly after `apres`: (date, decision), or None."""
    dates, decisions = reunions
    i = bisect.bisect_right(dates, apres)
    return (dates[i], decisions[i]) if i < len(dates) else None


def _instruire(rng, m: Marche, lignes, d: date, toutes: bool) -> date | None:
    """Each funder decides on its line; returns the last decision's date if all decided."""
    fin = d
    for ligne in sorted(lignes, key=lambda _: rng.random()):
        jour = d + timedelta(days=rng.randrange(20, 150))
        if jour > REFERENCE or (not toutes and rng.random() < 0.5):
            toutes = False
            continue
        statut = "accorde" if rng.random() < 0.8 else "refuse"
        ligne.statut, ligne.decide_le = statut, jour
        fin = max(fin, jour)
    for ligne in sorted((x for x in lignes if x.decide_le), key=lambda x: x.decide_le):
        mot = "accordée" if ligne.statut == "accorde" else "refusée"
        m.bouger(
            f"ligne_{ligne.statut}",
            m.etat,
            ligne.decide_le,
            motif=f"{ligne.financeur} : ligne {mot}",
        )
    return fin if toutes else None


def marcher(ctx: Contexte, rng, t, vise: str, lignes, d: date) -> Marche:
    """Walks one fiche from its draft towards `vise`, on the dates of real meetings."""
    m = Marche()
    rejet = rng.choice(["local", "local", "copil", "arbitrage"]) if vise == "non_retenue" else ""
    if vise == "brouillon":
        return m
    m.bouger("soumettre", "soumise", d)
    for ligne in lignes:
        ligne.demande_le = d
    if vise == "soumise" or not (r := _suivante(ctx.locales[t.pk], d)):
        return m
    if rejet == "local":
        m.bouger("avis_local", "non_retenue", r[0], r[1], "defavorable")
        return m
    if rng.random() < 0.25:
        # Sent back to its bearer first, submitted again a few weeks later.
        m.bouger("avis_local", "brouillon", r[0], r[1], "a_retravailler", "Préciser le plan.")
        m.bouger("soumettre", "soumise", r[0] + timedelta(days=rng.randrange(20, 60)))
        if m.moves[-1][4] > REFERENCE or not (r := _suivante(ctx.locales[t.pk], m.moves[-1][4])):
            m.moves.pop()
            m.etat = "brouillon"
            return m
    m.bouger("avis_local", "copil", r[0], r[1], "favorable")
    if vise == "copil" or not (r := _suivante(ctx.regionales[ctx.region[t.pk]], r[0])):
        return m
    if rejet == "copil":
        m.bouger("avis_copil", "non_retenue", r[0], r[1], "defavorable")
        return m
    m.bouger("avis_copil", "instruction" if lignes else "retenue", r[0], r[1], "favorable")
    if lignes:
        fin = _instruire(rng, m, lignes, r[0], toutes=vise != "instruction")
        if fin is None or not (r := _suivante(ctx.regionales[ctx.region[t.pk]], fin)):
            return m
        if rejet == "arbitrage":
            m.bouger("ne_pas_retenir", "non_retenue", r[0], r[1])
            return m
        m.bouger("retenir", "retenue", r[0], r[1])
    m.retenue_le = r[0]
    return _inscrire(ctx, rng, t, vise, m)


def _inscrire(ctx: Contexte, rng, t, vise: str, m: Marche) -> Marche:
    if vise == "retenue":
        return m
    suivantes = [s for s in ctx.signatures[t.pk] if s[0] >= m.retenue_le]
    if not suivantes:
        return m
    m.inscription = suivantes[0]
    m.bouger("inscrire", "inscrite", m.inscription[0])
    fin = m.inscription[0] + timedelta(days=rng.randrange(200, 900))
    if vise == "realisee" and fin <= REFERENCE:
        m.bouger("achever", "realisee", fin)
    return m


def _mesures(phase: int) -> dict[str, list]:
    """Per axis, the measures a line may name: money, no rate, ceiling or condition."""
    from mesures.models import Mesure

    out: dict[str, list] = {a: [] for a in CLASSEMENTS[phase]}
    for mesure in Mesure.objects.filter(taux_max__isnull=True, plafond__isnull=True).order_by("pk"):
        if mesure.types_porteurs or mesure.accord_gouvernance or mesure.axes == ["simplifier"]:
            continue
        if mesure.exclut_entreprises_en_difficulte:
            continue
        for axe in out:
            if not mesure.axes or axe in mesure.axes:
                out[axe].append(mesure)
    return out


def _lignes(ctx: Contexte, rng, t, axe: str, mesures, secret: bool) -> list:
    from fiches.models import LigneFinancement

    if axe == "simplifier" and rng.random() < 0.7:
        return []
    region = ctx.region[t.pk]
    financeurs = [
        ctx.orgs["regions"][region],
        ctx.orgs["prefectures"][region],
        *ctx.orgs["operateurs"],
    ]
    financeurs += [
        ctx.orgs["epcis"][e] for e in ctx.epcis.get(t.pk, [])[:3] if e in ctx.orgs["epcis"]
    ]
    lignes = []
    for _ in range(rng.choice([1, 2, 2, 3, 3])):
        mesure = rng.choice(mesures[axe]) if mesures[axe] and rng.random() < 0.5 else None
        financeur = rng.choice(financeurs)
        if mesure is not None:
            financeur = mesure.operateur or ctx.orgs["prefectures"][region]
        lignes.append(
            LigneFinancement(
                financeur=financeur,
                mesure=mesure,
                section=rng.choice(["fonctionnement", "investissement"]),
                montant=Decimal(rng.randrange(10, 800) * 1000),
                champs_secrets=["montant"] if secret else [],
            )
        )
    return lignes


def _fiche(ctx: Contexte, rng, t, numero: int, axe: str, lignes, porteur, m: Marche):
    from fiches.models import FicheAction

    debut = (
        m.moves[0][4]
        if m.moves
        else debut_de_phase(t.phase_id) + timedelta(days=rng.randrange(0, 700))
    )
    simplification = axe == "simplifier" or (t.phase_id == 2 and rng.random() < 0.08)
    total = sum((x.montant for x in lignes), Decimal(0))
    firme = porteur.type == "entreprise"
    return FicheAction(
        uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
        territoire=t,
        numero=numero,
        titre=textes.titre(rng, axe, t.nom),
        axe=axe,
        contexte=textes.description(rng),
        description=textes.description(rng),
        porteur=porteur,
        collective=not firme,
        maturite=rng.choice(["idee", "emergence", "mature", "pret"]),
        date_debut=debut,
        date_fin=debut + timedelta(days=rng.randrange(180, 1500)),
        cout_total=(total / Decimal(rng.choice(["0.5", "0.6", "0.8", "1"]))).quantize(Decimal("1"))
        if total
        else None,
        demande_simplification=simplification and axe != "simplifier",
        probleme=rng.choice(textes.PROBLEMES) if simplification else "",
        nature_simplification=rng.choice(["groupe", "piste", "experimentation", "solution"])
        if simplification
        else "",
        etat=m.etat,
        phase_execution=rng.choice(["Idée", "Étude", "Opération"]) if m.inscription else "",
        statut_execution={"inscrite": "En cours", "realisee": "Terminé"}.get(m.etat, ""),
        champs_secrets=["cout_total", "description"] if firme else [],
        version=1 + sum(1 for mv in m.moves if not mv[0].startswith("ligne_")),
    )


def fiches(ctx: Contexte) -> dict[str, int]:
    from fiches.models import FicheAction, LigneFinancement, Transition

    rng = ctx.rng
    ctx.locales = {
        k: ([d for d, _ in v], [x for _, x in v]) for k, v in ctx.reunions_locales.items()
    }
    ctx.regionales = {
        k: ([d for d, _ in v], [x for _, x in v]) for k, v in ctx.reunions_regionales.items()
    }
    mesures = {p: _mesures(p) for p in (1, 2)}
    numeros: dict[int, int] = {}
    plans = []
    for _ in range(ctx.taille("fiches")):
        t = rng.choice(ctx.territoires)
        numeros[t.pk] = numeros.get(t.pk, 0) + 1
        axe = tirer(rng, CLASSEMENTS[t.phase_id])
        porteur = _porteur(ctx, rng, t)
        lignes = _lignes(ctx, rng, t, axe, mesures[t.phase_id], porteur.type == "entreprise")
        d = debut_de_phase(t.phase_id) + timedelta(days=rng.randrange(30, 800))
        m = marcher(ctx, rng, t, tirer(rng, VISEES[t.phase_id]), lignes, d)
        plans.append((_fiche(ctx, rng, t, numeros[t.pk], axe, lignes, porteur, m), t, lignes, m))
    objets = par_lots(FicheAction, [p[0] for p in plans])
    for f, (_, _, lignes, _) in zip(objets, plans, strict=True):
        for ligne in lignes:
            ligne.fiche = f
    par_lots(LigneFinancement, [x for p in plans for x in p[2]])
    transitions = [
        Transition(
            fiche=f,
            action=a,
            etat_avant=av,
            etat_apres=ap,
            avis=avis,
            par=ctx.chefs[t.pk],
            le=a_dix_heures(d),
            date_effet=d,
            decision=dec,
            motif=motif,
        )
        for f, (_, t, _, m) in zip(objets, plans, strict=True)
        for a, av, ap, avis, d, dec, motif in m.moves
    ]
    par_lots(Transition, transitions)
    _apres(ctx, rng, objets, plans)
    return {
        "fiches": len(objets),
        "lignes": sum(len(p[2]) for p in plans),
        "mouvements": len(transitions),
    }


def _porteur(ctx: Contexte, rng, t):
    x = rng.random()
    epcis = [ctx.orgs["epcis"][e] for e in ctx.epcis.get(t.pk, []) if e in ctx.orgs["epcis"]]
    if x < 0.3 or not epcis:
        return rng.choice(ctx.orgs["entreprises"][t.pk])
    if x < 0.4:
        return ctx.orgs["regions"][ctx.region[t.pk]]
    return rng.choice(epcis)


def _apres(ctx: Contexte, rng, objets, plans) -> None:
    """Annexes, indicators of inscribed fiches, and the granted lines to commit later."""
    from contrats.models import FicheAnnexee
    from fiches.models import Indicateur, ValeurIndicateur

    annexes, indicateurs, valeurs = [], [], []
    for f, (_, t, lignes, m) in zip(objets, plans, strict=True):
        chef = ctx.chefs[t.pk]
        if m.retenue_le:
            ctx.lignes_accordees += [
                (x, m.retenue_le, chef) for x in lignes if x.statut == "accorde"
            ]
        if not m.inscription:
            continue
        jour, contrat, avenant = m.inscription
        annexes.append(FicheAnnexee(contrat=contrat, avenant=avenant, fiche=f, par=chef))
        indicateurs.append(
            Indicateur(
                fiche=f,
                libelle="Emplois créés",
                unite="emplois",
                cible=Decimal(rng.randrange(5, 200)),
            )
        )
        valeurs.append((jour, indicateurs[-1]))
    par_lots(FicheAnnexee, annexes)
    par_lots(Indicateur, indicateurs)
    mesures = [
        ValeurIndicateur(
            indicateur=ind,
            date=jour + timedelta(days=180 * k),
            valeur=Decimal(int(ind.cible) * k // 3),
        )
        for jour, ind in valeurs
        for k in (1, 2)
        if jour + timedelta(days=180 * k) <= REFERENCE
    ]
    par_lots(ValeurIndicateur, mesures)
