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


def load_personas() -> list[str]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    # Idempotent piece by piece: a database loaded by an older version gets what is new.
    avant = Utilisateur.objects.filter(email__endswith="@demo.ti").count()
    t8401 = Territoire.objects.get(phase_id=1, code="8401")
    t8408 = Territoire.objects.get(phase_id=1, code="8408")
    copil, _ = Decision.objects.get_or_create(
        intitule="[Démo] Désignation des référents des territoires 8401 et 8408",
        demo=True,
        defaults={
            "date": date(2019, 2, 1),
            "instance": Instance.COPIL_REGIONAL,
            "region_id": "84",
            "texte": "Décision fictive, pour la démonstration.",
        },
    )
    national, _ = Decision.objects.get_or_create(
        intitule="[Démo] Composition de la délégation nationale",
        demo=True,
        defaults={"date": date(2019, 1, 15), "instance": Instance.DELEGATION},
    )
    anct = Organisation.objects.get(nom__startswith="Agence nationale de la cohésion")
    region = _org("[Démo] Région Auvergne-Rhône-Alpes", TypeOrganisation.REGION, region_id="84")
    prefecture = _org("[Démo] Préfecture de l'Ardèche", TypeOrganisation.ETAT, departement_id="07")
    bpi = Organisation.objects.get(nom="Bpifrance", type=TypeOrganisation.OPERATEUR)
    bdt = Organisation.objects.get(nom="Banque des territoires", type=TypeOrganisation.OPERATEUR)
    epci = EPCI.objects.get(siren="200072015")  # CA Annonay Rhône Agglo, in 8401
    org_epci = Organisation.objects.filter(epci=epci).first() or _org(
        epci.nom, TypeOrganisation.EPCI, epci=epci, siren=epci.siren
    )
    org_8408 = _org("[Démo] Communauté de communes (8408)", TypeOrganisation.ASSOCIATION)

    firmes = [
        ("[Démo] Tissages d'Annonay SAS", "07010", "Textile technique", 145, 21_500_000),
        ("[Démo] Mécanique de Tournon", "07324", "Usinage de précision", 62, 7_800_000),
        ("[Démo] Chimie de Pierrelatte", "26235", "Chimie fine", 230, 48_000_000),
        ("[Démo] Plasturgie d'Oyonnax", "01283", "Plasturgie", 310, 52_000_000),
    ]
    orgs_firmes = []
    for i, (nom, commune, activite, effectif, ca) in enumerate(firmes):
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
        orgs_firmes.append(org)

    comptes = [
        (
            "national@demo.ti",
            "Nadia",
            "Martin",
            anct,
            "Chargée de mission nationale",
            Role.NATIONAL,
            national,
            {},
        ),
        (
            "region.ara@demo.ti",
            "Rémi",
            "Durand",
            region,
            "Pilote régional",
            Role.PILOTE_REGION,
            copil,
            {"region_id": "84"},
        ),
        (
            "etat.8401@demo.ti",
            "Estelle",
            "Petit",
            prefecture,
            "Sous-préfète, référente",
            Role.REFERENT_ETAT,
            copil,
            {"territoire": t8401},
        ),
        (
            "chef.8401@demo.ti",
            "Camille",
            "Bernard",
            org_epci,
            "Cheffe de projet",
            Role.CHEF_PROJET,
            copil,
            {"territoire": t8401},
        ),
        (
            "chef.8408@demo.ti",
            "Hugo",
            "Moreau",
            org_8408,
            "Chef de projet",
            Role.CHEF_PROJET,
            copil,
            {"territoire": t8408},
        ),
        (
            "bpifrance.ara@demo.ti",
            "Inès",
            "Roux",
            bpi,
            "Chargée d'affaires",
            Role.REFERENT_OPERATEUR,
            copil,
            {"region_id": "84", "organisation": bpi},
        ),
        (
            "bdt.ara@demo.ti",
            "Julie",
            "Lambert",
            bdt,
            "Chargée de développement territorial",
            Role.REFERENT_OPERATEUR,
            copil,
            {"region_id": "84", "organisation": bdt},
        ),
        (
            "entreprise.8401@demo.ti",
            "Éric",
            "Fournier",
            orgs_firmes[0],
            "Directeur du site",
            Role.PORTEUR,
            copil,
            {"organisation": orgs_firmes[0]},
        ),
    ]
    for email, prenom, nom, org, fonction, role, decision, scope in comptes:
        _designer(_personne(email, prenom, nom, org, fonction), role, decision, **scope)
    # The binôme of 8401 and the Région's referent, without accounts.
    _designer(
        _personne(
            "elu.8401@demo.ti",
            "Paul",
            "Lefebvre",
            org_epci,
            "Président de l'agglomération",
            compte=False,
        ),
        Role.BINOME_ELU,
        copil,
        territoire=t8401,
    )
    _designer(
        _personne(
            "industriel.8401@demo.ti",
            "Sophie",
            "Garnier",
            orgs_firmes[1],
            "Dirigeante",
            compte=False,
        ),
        Role.BINOME_INDUSTRIEL,
        copil,
        territoire=t8401,
    )
    _designer(
        _personne(
            "ref.region.8401@demo.ti",
            "Luc",
            "Girard",
            region,
            "Chargé de mission Région",
            compte=False,
        ),
        Role.REFERENT_REGION,
        copil,
        territoire=t8401,
    )
    crees = Utilisateur.objects.filter(email__endswith="@demo.ti").count() - avant
    if not crees:
        return ["Comptes de démonstration déjà présents."]
    return [
        f"Démo : {crees} comptes (mot de passe « {MOT_DE_PASSE} »), "
        f"{len(firmes)} entreprises fictives."
    ]
