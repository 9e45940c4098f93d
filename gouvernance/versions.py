"""Versions of the national map published at each CNI meeting (FAQ §2.3): a frozen snapshot
and its comparison with the previous version."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date as Date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from referentiel.models import Commune
from territoires.models import Perimetre, Phase

from .enums import TypeComite
from .models import Reunion, VersionCarte
from .permissions import peut_versionner_carte


@transaction.atomic
def publier_version(
    *,
    user,
    nom: str,
    date: Date,
    phase: Phase,
    reunion: Reunion | None = None,
    demo: bool = False,
) -> VersionCarte:
    if not peut_versionner_carte(user):
        raise PermissionDenied("Seule la délégation nationale publie une version de la carte.")
    if reunion is not None and reunion.comite.type != TypeComite.CNI:
        raise ValidationError("Une version de la carte se publie lors d'un CNI.")
    if VersionCarte.objects.filter(nom=nom).exists():
        raise ValidationError(f"Une version s'appelle déjà « {nom} ».")
    par_territoire: dict[int, dict] = {}
    rows = (
        Perimetre.objects.a_date(date)
        .filter(territoire__phase=phase)
        .values_list(
            "territoire_id",
            "territoire__code",
            "territoire__nom",
            "territoire__origine__code",
            "commune_id",
            "commune__region_id",
        )
        .order_by("territoire__code", "commune_id")
    )
    for tid, code, nom_t, origine, commune, region in rows:
        t = par_territoire.setdefault(
            tid, {"code": code, "nom": nom_t, "origine": origine, "regions": set(), "c": []}
        )
        t["c"].append(commune)
        if region:
            t["regions"].add(region)
    donnees = [
        [t["code"], t["nom"], t["origine"], sorted(t["regions"]), t["c"]]
        for t in sorted(par_territoire.values(), key=lambda t: t["code"])
    ]
    if not donnees:
        raise ValidationError("Aucun territoire sur la carte à cette date.")
    return VersionCarte.objects.create(
        nom=nom,
        date=date,
        phase=phase,
        reunion=reunion,
        nb_territoires=len(donnees),
        donnees=VersionCarte.compresser(donnees),
        demo=demo,
    )


def precedente(version: VersionCarte) -> VersionCarte | None:
    return (
        VersionCarte.objects.filter(phase=version.phase, date__lte=version.date)
        .exclude(pk=version.pk)
        .exclude(date=version.date, pk__gt=version.pk)
        .order_by("-date", "-pk")
        .first()
    )


@dataclass
class Comparaison:
    avant: VersionCarte | None
    apres: VersionCarte
    ajoutes: list[dict] = field(default_factory=list)
    retires: list[dict] = field(default_factory=list)
    scindes: list[dict] = field(default_factory=list)  # {"code", "nom", "issus": [...]}
    epcis_deplaces: list[dict] = field(default_factory=list)  # {"siren", "nom", "de", "vers"}

    @property
    def solde(self) -> int:
        return self.apres.nb_territoires - (self.avant.nb_territoires if self.avant else 0)


def comparer(apres: VersionCarte, avant: VersionCarte | None = None) -> Comparaison:
    avant = avant or precedente(apres)
    cmp = Comparaison(avant=avant, apres=apres)
    nouveaux = {t["code"]: t for t in apres.territoires()}
    anciens = {t["code"]: t for t in avant.territoires()} if avant else {}
    issus: dict[str, list[dict]] = defaultdict(list)
    for code, t in nouveaux.items():
        if code not in anciens:
            if t["origine"] and t["origine"] in anciens:
                issus[t["origine"]].append(t)  # born of a split (Territoire.origine)
            else:
                cmp.ajoutes.append(t)
    for code, t in anciens.items():
        if code in nouveaux:
            continue
        if code in issus:
            cmp.scindes.append({**t, "issus": issus[code]})
        else:
            cmp.retires.append(t)
    if avant:
        cmp.epcis_deplaces = _epcis_deplaces(anciens, nouveaux)
    return cmp


def _epcis_deplaces(anciens: dict, nouveaux: dict) -> list[dict]:
    """EPCI whose communes changed territory between the two versions (splits aside)."""

    def par_commune(ts):
        return {c: code for code, t in ts.items() for c in t["communes"]}

    a, n = par_commune(anciens), par_commune(nouveaux)
    changees = [c for c in set(a) | set(n) if a.get(c) != n.get(c)]
    if not changees:
        return []
    epci_de = dict(
        Commune.objects.filter(code__in=changees, epci__isnull=False).values_list("code", "epci_id")
    )
    mouvements: dict[str, dict] = {}
    noms = dict(
        Commune.objects.filter(code__in=changees, epci__isnull=False).values_list(
            "epci_id", "epci__nom"
        )
    )
    for c in changees:
        siren = epci_de.get(c)
        if siren is None:
            continue
        de, vers = a.get(c), n.get(c)
        if de and vers and nouveaux[vers]["origine"] == de:
            continue  # a split is shown as such
        m = mouvements.setdefault(
            siren, {"siren": siren, "nom": noms.get(siren, siren), "de": set(), "vers": set()}
        )
        if de:
            m["de"].add(de)
        if vers:
            m["vers"].add(vers)
    out = []
    for m in mouvements.values():
        if m["de"] == m["vers"]:
            continue
        out.append({**m, "de": sorted(m["de"]), "vers": sorted(m["vers"])})
    return sorted(out, key=lambda m: m["nom"])
