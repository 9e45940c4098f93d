"""Demo organisations, people and accounts (issue « who may see and do what »).

Every account has the password `territoires-demo`; every object is flagged demo=True.
Fictitious SIREN numbers start with 9 and carry a valid Luhn key.
"""

from datetime import date

from django.conf import settings

from comptes.enums import Role, TypeOrganisation
from comptes.models import Designation, Organisation, Personne, ProfilEntreprise, Utilisateur
from referentiel.models import EPCI, Commune
from referentiel.validators import luhn_ok
from territoires.models import Decision, Instance, Territoire

MOT_DE_PASSE = "territoires-demo"


def siren_fictif(base: str) -> str:
    """Completes 8 digits with the Luhn key."""
    return next(base + str(k) for k in range(10) if luhn_ok(base + str(k)))


def _org(nom, type_, **kw) -> Organisation:
    org, _ = Organisation.objects.get_or_create(nom=nom, type=type_, defaults={"demo": True, **kw})
    return org


def _personne(email, prenom, nom, org, fonction, compte=True) -> Personne:
    p, created = Personne.objects.get_or_create(
        email=email,
        defaults={
            "prenom": prenom,
            "nom": nom,
            "organisation": org,
            "fonction": fonction,
            "demo": True,
            "annuaire": compte,
        },
    )
    if compte and p.compte_id is None:
        user = Utilisateur.objects.filter(email=email).first() or Utilisateur.objects.create_user(
            email, MOT_DE_PASSE
        )
        p.compte = user
        p.save(update_fields=["compte"])
    return p


def _designer(personne, role, decision, **scope) -> Designation:
    territoires = scope.pop("territoires", None)
    # Looked up with its scope: the same person may hold the same role elsewhere since (the
    # phase-2 demo designates the territories' people again on the phase-2 territories).
    d, _ = Designation.objects.get_or_create(
        personne=personne,
        role=role,
        **scope,
        defaults={"date_debut": decision.date, "decision": decision, "demo": True},
    )
    if territoires:
        d.territoires.set(territoires)
    return d


# The demo's decisions on its people: (key, intitulé, date, instance, région, texte).
DECISIONS = (
    (
        "copil",
        "[Démo] Désignation des référents des territoires 8401 et 8408",
        date(2019, 2, 1),
        Instance.COPIL_REGIONAL,
        "84",
        "Décision fictive, pour la démonstration.",
    ),
    (
        "national",
        "[Démo] Composition de la délégation nationale",
        date(2019, 1, 15),
        Instance.DELEGATION,
        None,
        None,
    ),
)
# Fictitious firms: (nom, commune, activité, effectif, chiffre d'affaires); the n-th has the
# SIREN 9000000n and the key `firme{n-1}`.
FIRMES = (
    ("[Démo] Tissages d'Annonay SAS", "07010", "Textile technique", 145, 21_500_000),
    ("[Démo] Mécanique de Tournon", "07324", "Usinage de précision", 62, 7_800_000),
    ("[Démo] Chimie de Pierrelatte", "26235", "Chimie fine", 230, 48_000_000),
    ("[Démo] Plasturgie d'Oyonnax", "01283", "Plasturgie", 310, 52_000_000),
    ("[Démo] Décolletage du Haut-Bugey", "01283", "Décolletage de précision", 85, 11_000_000),
)
ANNONAY = "200072015"  # CA Annonay Rhône Agglo, in 8401
# The people, in this order: (address before @demo.ti, prénom, nom, organisation by key,
# fonction, rôle). Designated by the regional COPIL's decision, the delegation by its own.
PERSONNES = (
    ("national", "Nadia", "Martin", "anct", "Chargée de mission nationale", Role.NATIONAL),
    ("region.ara", "Rémi", "Durand", "region", "Pilote régional", Role.PILOTE_REGION),
    ("etat.8401", "Estelle", "Petit", "prefecture", "Sous-préfète, référente", Role.REFERENT_ETAT),
    ("chef.8401", "Camille", "Bernard", "epci", "Cheffe de projet", Role.CHEF_PROJET),
    ("chef.8408", "Hugo", "Moreau", "8408", "Chef de projet", Role.CHEF_PROJET),
    ("bpifrance.ara", "Inès", "Roux", "bpi", "Chargée d'affaires", Role.REFERENT_OPERATEUR),
    (
        "bdt.ara",
        "Julie",
        "Lambert",
        "bdt",
        "Chargée de développement territorial",
        Role.REFERENT_OPERATEUR,
    ),
    ("entreprise.8401", "Éric", "Fournier", "firme0", "Directeur du site", Role.PORTEUR),
    # The binôme of 8401 and the Région's referent, without accounts.
    ("elu.8401", "Paul", "Lefebvre", "epci", "Président de l'agglomération", Role.BINOME_ELU),
    ("industriel.8401", "Sophie", "Garnier", "firme1", "Dirigeante", Role.BINOME_INDUSTRIEL),
    (
        "ref.region.8401",
        "Luc",
        "Girard",
        "region",
        "Chargé de mission Région",
        Role.REFERENT_REGION,
    ),
)
SANS_COMPTE = {"elu.8401", "industriel.8401", "ref.region.8401"}
# Where each designation holds (a territory by its phase-1 code, an organisation by key); by
# default, the territory 8401.
PORTEES = {
    "national": {},
    "region.ara": {"region_id": "84"},
    "bpifrance.ara": {"region_id": "84", "organisation": "bpi"},
    "bdt.ara": {"region_id": "84", "organisation": "bdt"},
    "entreprise.8401": {"organisation": "firme0"},
    "chef.8408": {"territoire": "8408"},
}


def load_personas() -> list[str]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    # Idempotent piece by piece: a database loaded by an older version gets what is new.
    avant = Utilisateur.objects.filter(email__endswith="@demo.ti").count()
    territoires = {c: Territoire.objects.get(phase_id=1, code=c) for c in ("8401", "8408")}
    decisions = {cle: _decision(*reste) for cle, *reste in DECISIONS}
    orgs = _organisations()
    for email, prenom, nom, org, fonction, role in PERSONNES:
        personne = _personne(
            f"{email}@demo.ti", prenom, nom, orgs[org], fonction, compte=email not in SANS_COMPTE
        )
        portee = PORTEES.get(email, {"territoire": "8401"})
        lieux = {"territoire": territoires, "organisation": orgs}
        scope = {k: lieux[k][v] if k in lieux else v for k, v in portee.items()}
        decision = decisions["national" if role == Role.NATIONAL else "copil"]
        _designer(personne, role, decision, **scope)
    crees = Utilisateur.objects.filter(email__endswith="@demo.ti").count() - avant
    if not crees:
        return ["Comptes de démonstration déjà présents."]
    return [
        f"Démo : {crees} comptes (mot de passe « {MOT_DE_PASSE} »), "
        f"{len(FIRMES)} entreprises fictives."
    ]


def _decision(intitule, jour, instance, region_id, texte) -> Decision:
    defaults = {"date": jour, "instance": instance}
    if region_id:
        defaults.update(region_id=region_id, texte=texte)
    return Decision.objects.get_or_create(intitule=intitule, demo=True, defaults=defaults)[0]


def _organisations() -> dict[str, Organisation]:
    """The demo's organisations by key, created where missing, in a fixed order."""
    operateur = TypeOrganisation.OPERATEUR
    orgs = {
        "anct": Organisation.objects.get(nom__startswith="Agence nationale de la cohésion"),
        "region": _org(
            "[Démo] Région Auvergne-Rhône-Alpes", TypeOrganisation.REGION, region_id="84"
        ),
        "prefecture": _org(
            "[Démo] Préfecture de l'Ardèche", TypeOrganisation.ETAT, departement_id="07"
        ),
        "bpi": Organisation.objects.get(nom="Bpifrance", type=operateur),
        "bdt": Organisation.objects.get(nom="Banque des territoires", type=operateur),
    }
    epci = EPCI.objects.get(siren=ANNONAY)
    orgs["epci"] = Organisation.objects.filter(epci=epci).first() or _org(
        epci.nom, TypeOrganisation.EPCI, epci=epci, siren=epci.siren
    )
    orgs["8408"] = _org("[Démo] Communauté de communes (8408)", TypeOrganisation.ASSOCIATION)
    for i, firme in enumerate(FIRMES):
        orgs[f"firme{i}"] = _firme(i, *firme)
    return orgs


def _firme(i, nom, commune, activite, effectif, ca) -> Organisation:
    siren = siren_fictif(f"9{i + 1:07d}")
    org = _org(
        nom,
        TypeOrganisation.ENTREPRISE,
        siren=siren,
        siret=siren + "00018" if luhn_ok(siren + "00018") else "",
        commune=Commune.objects.get(code=commune),
    )
    ProfilEntreprise.objects.get_or_create(
        organisation=org,
        defaults={
            "activite": activite,
            "effectif": effectif,
            "chiffre_affaires": ca,
            "contact_nom": "Contact fictif",
            "contact_email": f"contact{i + 1}@demo.ti",
            "contact_telephone": "04 00 00 00 0" + str(i),
            "projet": "Projet fictif d'extension de l'usine, pour la démonstration.",
        },
    )
    return org
