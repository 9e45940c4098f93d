"""A contracted world of 8401 (phase 1) with a secret planted in every secret field: a firm's
profile, a fiche's secret description and cost, a line's secret amount and the money
committed and paid on it; and a fiche of a public body funded by its Région, with SIRETs."""

from decimal import Decimal

from comptes.enums import TypeOrganisation
from comptes.models import Organisation
from comptes.tests.fabriques import personne, siren
from contrats.tests.fabriques import inscrire_par_contrat, jour, retenue
from fiches import cycle as cycle_fiches
from fiches.enums import Avis
from fiches.tests.fabriques import equipe, fiche
from financements import cycle as argent
from referentiel.models import Region
from territoires.selectors import vue_territoire

# Values found nowhere else: each must be absent from every file of the package.
PROFIL = {
    "effectif": 48613,
    "chiffre_affaires": 7391573,
    "contact_nom": "Hortense Zéphyrine",
    "contact_email": "hortense.zephyrine@exemple.fr",
    "contact_telephone": "06 71 82 93 04",
    "projet": "Projet Orichalque de four à induction",
}
DESCRIPTION_FIRME = "Procédé breveté confidentiel."  # contrats.tests.fabriques.retenue
MONTANT_SECRET = Decimal("987654")  # the same builder's secret line
COUT_FIRME = Decimal("1030864")  # its cost, not secret, but a firm's amount
ENGAGE_SECRET, PAYE_SECRET = Decimal("876543"), Decimal("654321")
COUT_PUBLIC_SECRET = Decimal("3141592")
DESCRIPTION_PUBLIQUE_SECRETE = "Plan Sélénite d'extension de la zone d'activités"
SUBVENTION = Decimal("250000")
SIRET_EPCI, SIRET_REGION = "20007201500016", "23690001700015"


def monde() -> dict:
    p = equipe()
    firme = retenue(p)  # Entreprise 8401-1, with a secret description and a secret line
    profil = firme.porteur.profil_entreprise
    for nom, valeur in PROFIL.items():
        setattr(profil, nom, valeur)
    profil.champs_secrets = list(profil.SECRETABLE)
    profil.save()
    secrete = firme.lignes.get(montant=MONTANT_SECRET)
    secrete.de_minimis = True  # aid to a firm: in the register of aid, never in the package
    secrete.save(update_fields=["de_minimis"])
    e = argent.engager(
        user=p["bpi"], ligne=secrete, montant=ENGAGE_SECRET, convention="Convention", date=jour(45)
    )
    argent.payer(user=p["bpi"], engagement=e, montant=PAYE_SECRET, date=jour(50))
    inscrire_par_contrat(firme, redacteur=p["chef"], valideur=p["etat"], le=jour(60))
    p["firme"] = firme
    p["publique"] = fiche_publique(p)
    return p


def _organisations() -> tuple[Organisation, Organisation]:
    t = vue_territoire(equipe_territoire())
    e = t.epcis[0]
    epci = Organisation.objects.create(
        nom=e.nom, type=TypeOrganisation.EPCI, epci_id=e.siren, siren=e.siren, siret=SIRET_EPCI
    )
    region = Organisation.objects.create(
        nom="Région Auvergne-Rhône-Alpes",
        type=TypeOrganisation.REGION,
        region=Region.objects.get(code="84"),
        siren=siren("23690001"),
        siret=SIRET_REGION,
    )
    return epci, region


def equipe_territoire():
    from comptes.tests.fabriques import territoire

    return territoire("8401")


def fiche_publique(p):
    """A fiche of an EPCI funded by its Région, secret description and cost, inscribed."""
    epci, region = _organisations()
    f = fiche(
        p["chef"],
        porteur=epci,
        titre="Extension de la zone d'activités",
        cout=COUT_PUBLIC_SECRET,
        description=DESCRIPTION_PUBLIQUE_SECRETE,
        champs_secrets=["cout_total", "description"],
        lignes=[{"financeur": region, "section": "investissement", "montant": SUBVENTION}],
    )
    agent = personne("finances@region.exemple.fr", organisation=region)
    chef, pilote = p["chef"], p["pilote"]
    cycle_fiches.appliquer(user=chef, fiche=f, mouvement="soumettre", date_effet=jour(0))
    cycle_fiches.appliquer(
        user=chef,
        fiche=f,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
        date_effet=jour(10),
        decision_texte="Comité de projet local",
    )
    cycle_fiches.appliquer(
        user=pilote,
        fiche=f,
        mouvement="avis_copil",
        avis=Avis.FAVORABLE,
        date_effet=jour(20),
        decision_texte="COPIL régional",
    )
    ligne = f.lignes.get()
    cycle_fiches.decider_ligne(user=agent, ligne=ligne, statut="accorde", date_effet=jour(30))
    cycle_fiches.appliquer(
        user=pilote,
        fiche=f,
        mouvement="retenir",
        date_effet=jour(40),
        decision_texte="Comité des financeurs",
    )
    e = argent.engager(
        user=agent,
        ligne=ligne,
        montant=SUBVENTION,
        convention="Convention n° 2024-17",
        date=jour(42),
        reference="EJ-2024-17",
    )
    argent.payer(user=agent, engagement=e, montant=Decimal("100000"), date=jour(44))
    argent.payer(user=agent, engagement=e, montant=Decimal("150000"), date=jour(48))
    f.refresh_from_db()
    inscrire_par_contrat(f, redacteur=p["chef"], valideur=p["etat"], le=jour(70))
    f.refresh_from_db()
    return f
