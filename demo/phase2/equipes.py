"""The phase-2 teams: the territories' people of phase 1 leave with it and are designated
again on the phase-2 territories; ti-8415 has no chef de projet; the firms' RGEC declarations."""

from datetime import timedelta

from comptes.enums import Role, TypeOrganisation
from comptes.models import Designation, Organisation, Personne, ProfilEntreprise
from referentiel.models import EPCI
from territoires.models import Decision, Instance, Phase, Territoire

from ..personas import _org, _personne
from .donnees import (
    DECISION_EQUIPES,
    DECLARATIONS_RGEC,
    DIRIGEANTS,
    HAUT_BUGEY,
    PHASE,
    SANS_COMPTE,
    T8401,
    T8413,
)


def _designer(personne: Personne, role: str, territoire: Territoire, decision: Decision) -> None:
    Designation.objects.get_or_create(
        personne=personne,
        role=role,
        territoire=territoire,
        defaults={"date_debut": decision.date, "decision": decision, "demo": True},
    )


def _dirigeants() -> None:
    """The firms' directors with an account: each decides and pays its firm's own share."""
    for adresse, qui, firme in DIRIGEANTS:
        prenom, nom = qui.split(" ", 1)
        org = Organisation.objects.get(nom=firme)
        _personne(f"{adresse}@demo.ti", prenom, nom, org, "Dirigeant", compte=True)


def equipes(territoires: dict[str, Territoire]) -> list[str]:
    """Idempotent piece by piece, as the personas are."""
    # The territories' people of phase 1 leave with it; région-wide roles (the Région's
    # pilot, operators' referents), the delegation and the firm's own account go on.
    fin_phase_1 = Phase.objects.get(pk=PHASE).date_debut  # the end, exclusive
    closes = Designation.objects.filter(
        demo=True, territoire__phase_id=PHASE - 1, date_fin__isnull=True
    ).update(date_fin=fin_phase_1)
    decision, _ = Decision.objects.get_or_create(
        intitule="[Démo] Équipes des territoires ti-8401, ti-8413 et ti-8415 (phase 2)",
        demo=True,
        defaults={
            "date": DECISION_EQUIPES,
            "instance": Instance.COPIL_REGIONAL,
            "region_id": "84",
            "texte": "Décision fictive, pour la démonstration.",
        },
    )
    haut_bugey = EPCI.objects.get(siren=HAUT_BUGEY)
    org_haut_bugey = Organisation.objects.filter(epci=haut_bugey).first() or _org(
        haut_bugey.nom, TypeOrganisation.EPCI, epci=haut_bugey, siren=haut_bugey.siren
    )
    # The chef de projet of 8408 now works for Haut-Bugey Agglomération, which bears ti-8413's
    # fiches: its own share in their plans is his to decide on, as in phase 1.
    Personne.objects.filter(
        email="chef.8408@demo.ti", organisation__nom="[Démo] Communauté de communes (8408)"
    ).update(organisation=org_haut_bugey)
    t1, t2 = territoires[T8401], territoires[T8413]
    orgs = {
        "epci": org_haut_bugey,
        "chimie": Organisation.objects.get(nom="[Démo] Chimie de Pierrelatte"),
        "prefecture": Organisation.objects.get(nom="[Démo] Préfecture de l'Ardèche"),
        "": None,
    }
    for adresse, qui, fonction, role, code, org in SANS_COMPTE:
        prenom, nom = qui.split(" ", 1)
        personne = _personne(f"{adresse}@demo.ti", prenom, nom, orgs[org], fonction, compte=False)
        _designer(personne, role, territoires[code], decision)
    personnes = {p.email: p for p in Personne.objects.filter(demo=True)}
    for email, role, t in (
        ("etat.8401@demo.ti", Role.REFERENT_ETAT, t1),
        ("chef.8401@demo.ti", Role.CHEF_PROJET, t1),
        ("elu.8401@demo.ti", Role.BINOME_ELU, t1),
        ("industriel.8401@demo.ti", Role.BINOME_INDUSTRIEL, t1),
        ("ref.region.8401@demo.ti", Role.REFERENT_REGION, t1),
        ("chef.8408@demo.ti", Role.CHEF_PROJET, t2),
    ):
        _designer(personnes[email], role, t, decision)
    _dirigeants()
    for nom, (en_difficulte, le) in DECLARATIONS_RGEC.items():
        ProfilEntreprise.objects.filter(organisation__nom=nom, en_difficulte__isnull=True).update(
            en_difficulte=en_difficulte, en_difficulte_declare_le=le
        )
    if not closes:
        return ["Équipes de démonstration de la phase 2 déjà présentes."]
    return [
        f"Démo phase 2 : équipes de ti-8401 et ti-8413 désignées le {DECISION_EQUIPES:%d/%m/%Y}, "
        f"ti-8415 sans chef de projet ; {closes} désignations de la phase 1 closes au "
        f"{fin_phase_1 - timedelta(days=1):%d/%m/%Y}."
    ]
