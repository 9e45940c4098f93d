"""The territories read from the official map, then organisations, accounts and meetings."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import REFERENCE, Contexte, par_lots

PARIS = ZoneInfo("Europe/Paris")
MOT_DE_PASSE = "Banc-de-mesure-2026"
PRENOMS = ["Camille", "Dominique", "Claude", "Alix", "Sacha", "Jean", "Marie", "Louise", "Paul"]
NOMS = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy"]
# Roles held in each territory, one account each (the chef de projet records the moves).
ROLES_LOCAUX = {
    "chef_projet": "chef",
    "binome_elu": "elu",
    "binome_industriel": "industriel",
    "referent_etat": "prefet",
    "referent_region": "region",
}


def a_dix_heures(jour: date) -> datetime:
    return datetime.combine(jour, time(10), tzinfo=PARIS)


def debut_de_phase(phase: int) -> date:
    return date(2019, 1, 15) if phase == 1 else date(2024, 1, 15)


def fin_de_phase(phase: int) -> date:
    return date(2022, 12, 15) if phase == 1 else REFERENCE


def lire_carte(ctx: Contexte) -> dict[str, int]:
    """Both phases' territories (a sample of them below scale 0.1), their EPCIs and région."""
    from territoires.models import Perimetre, Territoire

    tous = list(Territoire.objects.filter(date_fin__isnull=True, phase_id__in=(1, 2)))
    tous.sort(key=lambda t: (t.phase_id, t.code))
    garder = max(6, round(len(tous) * min(1.0, ctx.echelle * 10)))
    pas = len(tous) / garder
    ctx.territoires = [tous[int(i * pas)] for i in range(garder)]
    pks = {t.pk for t in ctx.territoires}
    regions: dict[int, Counter] = defaultdict(Counter)
    epcis: dict[int, set] = defaultdict(set)
    for t, epci, region in Perimetre.objects.filter(
        territoire_id__in=pks, date_fin__isnull=True
    ).values_list("territoire_id", "commune__epci_id", "commune__region_id"):
        regions[t][region] += 1
        if epci:
            epcis[t].add(epci)
    ctx.region = {t: c.most_common(1)[0][0] for t, c in regions.items()}
    ctx.epcis = {t: sorted(e) for t, e in epcis.items()}
    return {"territoires": len(ctx.territoires)}


def _siren(rng) -> str:
    from referentiel.validators import luhn_ok

    base = str(rng.randrange(10_000_000, 99_999_999))
    return next(base + str(k) for k in range(10) if luhn_ok(base + str(k)))


def organisations(ctx: Contexte) -> dict[str, int]:
    """Régions, préfectures of région, the territories' EPCIs, firms; operators exist."""
    from comptes.enums import TypeOrganisation as T
    from comptes.models import Organisation
    from referentiel.models import EPCI, Region

    rng, nouvelles = ctx.rng, []
    existantes = {o.epci_id for o in Organisation.objects.filter(epci__isnull=False)}
    for r in Region.objects.filter(code__in=set(ctx.region.values())).order_by("code"):
        nouvelles.append(Organisation(nom=f"Région {r.nom}", type=T.REGION, region=r))
        nouvelles.append(
            Organisation(nom=f"Préfecture de la région {r.nom}", type=T.ETAT, region=r)
        )
    sirens = sorted({s for e in ctx.epcis.values() for s in e} - existantes)
    for e in EPCI.objects.filter(siren__in=sirens).order_by("siren"):
        nouvelles.append(Organisation(nom=e.nom, type=T.EPCI, epci=e, siren=e.siren))
    par_territoire = max(1, round(8 * ctx.echelle))
    entreprises = []
    for t in ctx.territoires:
        for k in range(par_territoire):
            siren = _siren(rng)
            entreprises.append(
                Organisation(nom=f"Industrie {t.code}-{k + 1} SAS", type=T.ENTREPRISE, siren=siren)
            )
    par_lots(Organisation, nouvelles + entreprises)
    orgs = ctx.orgs
    orgs["regions"] = {o.region_id: o for o in Organisation.objects.filter(type=T.REGION)}
    orgs["prefectures"] = {o.region_id: o for o in Organisation.objects.filter(type=T.ETAT)}
    orgs["epcis"] = {o.epci_id: o for o in Organisation.objects.filter(epci__isnull=False)}
    orgs["operateurs"] = list(Organisation.objects.filter(type=T.OPERATEUR).order_by("nom"))
    orgs["entreprises"] = defaultdict(list)
    for i, o in enumerate(entreprises):
        orgs["entreprises"][ctx.territoires[i // par_territoire].pk].append(o)
    return {"organisations": len(nouvelles) + len(entreprises)}


def comptes(ctx: Contexte) -> dict[str, int]:
    """Accounts and people, each with its designation; a few fixed ones for the benchmark:
    national@bench.ti, pilote.<région>@bench.ti, chef.<code>@bench.ti."""
    from django.contrib.auth.hashers import make_password

    from comptes.models import Designation, Personne, Utilisateur

    rng, hachage = ctx.rng, make_password(MOT_DE_PASSE)
    prevus = _prevus(ctx)
    users = par_lots(Utilisateur, [Utilisateur(email=e, password=hachage) for e, *_ in prevus])
    personnes = par_lots(
        Personne,
        [
            Personne(
                prenom=rng.choice(PRENOMS),
                nom=rng.choice(NOMS),
                email=u.email,
                compte=u,
                organisation=p[4],
                annuaire=rng.random() < 0.5,
            )
            for u, p in zip(users, prevus, strict=True)
        ],
    )
    par_lots(
        Designation,
        [
            Designation(
                personne=pe,
                role=role,
                region_id=region,
                territoire=t,
                organisation=org,
                date_debut=debut,
            )
            for pe, (_, role, region, t, org, debut) in zip(personnes, prevus, strict=True)
        ],
    )
    ctx.comptes = users
    for u, (_, role, _, t, _, _) in zip(users, prevus, strict=True):
        if role == "chef_projet":
            ctx.chefs[t.pk] = u
    ctx.personnes = {
        (p[1], p[3].pk if p[3] else None): pe for pe, p in zip(personnes, prevus, strict=True)
    }
    return {"comptes": len(users)}


def _prevus(ctx: Contexte) -> list[tuple]:
    """(email, role, région, territory, organisation, start) of each account."""
    rng = ctx.rng
    prevus = [("national@bench.ti", "national", None, None, None, date(2018, 11, 22))]
    for region in sorted(set(ctx.region.values())):
        org = ctx.orgs["regions"][region]
        prevus.append(
            (f"pilote.{region}@bench.ti", "pilote_region", region, None, org, date(2019, 1, 1))
        )
    for t in ctx.territoires:
        for role, prefixe in ROLES_LOCAUX.items():
            org = ctx.orgs["regions"][ctx.region[t.pk]] if role == "referent_region" else None
            email = f"{prefixe}.{t.code}@bench.ti"
            prevus.append(
                (email, role, None, t, org, debut_de_phase(t.phase_id) - timedelta(days=30))
            )
    for region in sorted(set(ctx.region.values())):
        for op in ctx.orgs["operateurs"]:
            email = f"referent.{op.pk}.{region}@bench.ti"
            prevus.append((email, "referent_operateur", region, None, op, date(2019, 1, 1)))
    k = 0
    while len(prevus) < ctx.taille("comptes"):
        t = ctx.territoires[k % len(ctx.territoires)]
        firme = rng.choice(ctx.orgs["entreprises"][t.pk])
        prevus.append((f"porteur.{k}@bench.ti", "porteur", None, None, firme, date(2020, 1, 1)))
        k += 1
    return prevus


def _dates(rng, debut: date, fin: date, n: int) -> list[date]:
    """n dates spread evenly between debut and fin, each moved by a few days."""
    if n <= 0 or fin <= debut:
        return []
    pas = (fin - debut).days / n
    return sorted(
        min(fin, debut + timedelta(days=int(i * pas + rng.randrange(0, max(1, int(pas))))))
        for i in range(n)
    )


def reunions(ctx: Contexte) -> dict[str, int]:
    """The local committee of each territory and the COPIL of each région meet; each meeting
    takes one decision on the fiches it examines (carried by their moves)."""
    from gouvernance.enums import ObjetDecision
    from gouvernance.models import Comite, DecisionReunion, Reunion
    from territoires.models import Decision

    regions = sorted(set(ctx.region.values()))
    comites = par_lots(Comite, _comites(ctx, regions))
    plan = _plan(ctx, comites, regions)
    chef = ctx.comptes[0]
    rs = par_lots(
        Reunion,
        [
            Reunion(
                comite=c,
                debut=a_dix_heures(d),
                fin=a_dix_heures(d) + timedelta(hours=2),
                lieu="Salle du conseil",
                compte_rendu="Avis rendus sur les fiches examinées.",
                cree_par=ctx.chefs.get(t.pk, chef) if t else chef,
            )
            for c, d, _, _, t in plan
        ],
    )
    decisions = par_lots(
        Decision,
        [
            Decision(
                date=d,
                instance=inst,
                region_id=region,
                intitule=f"{c.nom} du {d:%d/%m/%Y}",
                texte="Avis sur les fiches examinées.",
            )
            for c, d, inst, region, _ in plan
        ],
    )
    par_lots(
        DecisionReunion,
        [
            DecisionReunion(
                decision=dec,
                objet=ObjetDecision.FICHE,
                reunion=r,
                territoire=t,
                par=ctx.chefs.get(t.pk, chef) if t else chef,
            )
            for dec, r, (_, _, _, _, t) in zip(decisions, rs, plan, strict=True)
        ],
    )
    participants = par_lots_participants(ctx, rs, plan)
    for (_, d, _, region, t), dec in zip(plan, decisions, strict=True):
        if t is None:
            ctx.reunions_regionales.setdefault(region, []).append((d, dec))
        else:
            ctx.reunions_locales.setdefault(t.pk, []).append((d, dec))
    return {"reunions": len(rs), "participants": len(participants)}


def _participants(ctx: Contexte, rs, plan) -> list:
    from gouvernance.enums import Presence
    from gouvernance.models import Participant

    rng = ctx.rng
    participants = []
    for r, (_, _, _, region, t) in zip(rs, plan, strict=True):
        if t is None:
            participants.append(
                Participant(
                    reunion=r, organisation=ctx.orgs["regions"][region], presence=Presence.PRESENT
                )
            )
            continue
        for role in ("chef_projet", "binome_elu", "referent_etat"):
            participants.append(
                Participant(
                    reunion=r,
                    personne=ctx.personnes[(role, t.pk)],
                    presence=rng.choice(list(Presence)),
                )
            )
    return participants


def par_lots_participants(ctx: Contexte, rs, plan) -> list:
    from gouvernance.models import Participant

    return par_lots(Participant, _participants(ctx, rs, plan))


def _plan(ctx: Contexte, comites, regions) -> list[tuple]:
    """(comité, date, instance, région, territory) of each meeting, spread over the phases."""
    from territoires.models import Instance

    rng, total = ctx.rng, ctx.taille("reunions")
    par_region = max(4, round(total * 0.15 / len(regions)))
    par_territoire = max(3, round(total * 0.85 / len(ctx.territoires)))
    plan = []  # (comite, date, instance, region, territoire)
    for c in comites[: len(regions)]:
        for d in _dates(rng, date(2019, 2, 1), REFERENCE, par_region):
            plan.append((c, d, Instance.COPIL_REGIONAL, c.region_id, None))
    for c, t in zip(comites[len(regions) :], ctx.territoires, strict=True):
        for d in _dates(rng, debut_de_phase(t.phase_id), fin_de_phase(t.phase_id), par_territoire):
            plan.append((c, d, Instance.COMITE_LOCAL, None, t))
    return plan


def _comites(ctx: Contexte, regions) -> list:
    from gouvernance.enums import TypeComite
    from gouvernance.models import Comite

    comites = [
        Comite(type=TypeComite.COPIL_REGIONAL, nom=f"COPIL régional {r}", region_id=r)
        for r in regions
    ]
    comites += [
        Comite(type=TypeComite.COMITE_LOCAL, nom=f"Comité de projet {t.nom}", territoire=t)
        for t in ctx.territoires
    ]
    return comites
