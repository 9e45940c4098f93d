"""Demo fiches-actions: a dozen for 8401 and for 8408, across the four axes and every stage
of the path, some with secret lines, one over the de minimis ceiling, one over a measure's
co-funding rate. Built through fiches.services and fiches.cycle, as a user would: the fiches
meant to be inscribed are retained here, inscribed by the demo contracts' signatures
(demo.contrats), then followed (`executer`)."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from comptes.enums import TypeOrganisation
from comptes.models import Organisation, Utilisateur
from fiches import cycle, services
from fiches.enums import Avis, Etat, StatutExecution, StatutLigne
from fiches.models import FicheAction, LigneFinancement
from mesures.models import Mesure
from territoires.models import Territoire

from .financements import solder

# (axe, titre, contexte, target state)
SCENARIO = [
    (
        "attirer",
        "Diagnostic d'attractivité du territoire industriel",
        "Mieux connaître les atouts du territoire pour attirer des investisseurs.",
        Etat.REALISEE,
    ),
    (
        "attirer",
        "Offre foncière industrielle clés en main",
        "Requalifier une friche pour accueillir de nouvelles implantations.",
        Etat.INSCRITE,
    ),
    (
        "attirer",
        "Marque territoriale et accueil des nouveaux salariés",
        "Faire connaître les métiers et le cadre de vie aux futurs salariés.",
        Etat.INSTRUCTION,
    ),
    (
        "recruter",
        "Campus des métiers de l'industrie",
        "Rapprocher les lycées professionnels des entreprises du territoire.",
        Etat.INSCRITE,
    ),
    (
        "recruter",
        "Plateforme mutualisée de recrutement industriel",
        "Aider les petites entreprises à recruter des techniciens de maintenance.",
        Etat.RETENUE,
    ),
    (
        "recruter",
        "Mobilité des salariés vers les zones d'activité",
        "Ouvrir une navette entre la gare et les zones d'activité.",
        Etat.SOUMISE,
    ),
    (
        "innover",
        "Ligne pilote de fabrication additive",
        "Moderniser l'outil industriel d'une entreprise du territoire.",
        Etat.RETENUE,
    ),
    (
        "innover",
        "Centre d'essais mutualisé pour les PME",
        "Mutualiser des équipements d'essais entre entreprises.",
        Etat.INSCRITE,
    ),
    (
        "innover",
        "Décarbonation des procédés de chauffe",
        "Réduire la consommation de gaz des fours industriels.",
        Etat.INSTRUCTION,
    ),
    ("simplifier", "Accélérer les autorisations d'extension de sites", "", Etat.COPIL),
    ("simplifier", "Guichet unique pour les porteurs de projets industriels", "", Etat.NON_RETENUE),
    ("simplifier", "Expérimenter un permis d'aménager simplifié", "", Etat.BROUILLON),
]
MATURITE = {
    Etat.BROUILLON: "idee",
    Etat.SOUMISE: "emergence",
    Etat.COPIL: "mature",
    Etat.INSTRUCTION: "mature",
    Etat.NON_RETENUE: "emergence",
    Etat.RETENUE: "pret",
    Etat.INSCRITE: "pret",
    Etat.REALISEE: "pret",
}


def _u(email):
    return Utilisateur.objects.get(email=email)


def load_fiches() -> list[str]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    if FicheAction.objects.filter(demo=True).exists():
        return ["Fiches de démonstration déjà présentes."]
    financeurs = {
        "bpi": Organisation.objects.get(nom="Bpifrance", type=TypeOrganisation.OPERATEUR),
        "bdt": Organisation.objects.get(nom="Banque des territoires"),
        "region": Organisation.objects.get(nom="[Démo] Région Auvergne-Rhône-Alpes"),
        "ingenierie": Mesure.objects.get(nom__startswith="Crédits d'ingénierie de la Banque"),
    }
    kit = Mesure.objects.get(nom__startswith="Kit de diagnostic d'attractivité")
    firmes = {"8401": Organisation.objects.get(nom="[Démo] Tissages d'Annonay SAS")}
    out = []
    for code, chef_email in (("8401", "chef.8401@demo.ti"), ("8408", "chef.8408@demo.ti")):
        t = Territoire.objects.get(phase_id=1, code=code)
        chef = _u(chef_email)
        epci = chef.personne.organisation
        for i, (axe, titre, contexte, cible) in enumerate(SCENARIO):
            # One firm-borne fiche, in 8401, where the firm's own account records its share.
            porteur = firmes[code] if code == "8401" and i == 6 else epci
            cout, lignes = _plan(i, porteur, financeurs)
            donnees = _donnees(i, axe, titre, contexte, cible, porteur, cout)
            fiche = services.creer_fiche(
                user=chef,
                territoire=t,
                donnees=donnees,
                lignes=[] if axe == "simplifier" else lignes,
                m2m={"mesures": [kit]} if i == 0 else None,
                indicateurs=[
                    {"libelle": "Emplois créés ou maintenus", "unite": "emplois", "cible": 20 + i}
                ],
                demo=True,
            )
            _avancer(fiche, cible, chef=chef, code=code, i=i)
        out.append(f"Démo : {len(SCENARIO)} fiches-actions pour le territoire {code}.")
    return out


def _plan(i: int, porteur: Organisation, financeurs: dict) -> tuple[Decimal, list[dict]]:
    """The i-th fiche's cost and financing plan: the Région, Bpifrance and the bearer."""
    cout = Decimal(80000 + 20000 * i)
    entreprise = porteur.type == TypeOrganisation.ENTREPRISE
    lignes = [
        {"financeur": financeurs["region"], "section": "investissement", "montant": cout * 3 / 10},
        {
            "financeur": financeurs["bpi"],
            "section": "investissement",
            "montant": cout * 3 / 10,
            "de_minimis": entreprise,
        },
        {"financeur": porteur, "section": "investissement", "montant": cout * 4 / 10},
    ]
    if i == 0:  # over the Banque des territoires' 50 % co-funding rate
        lignes = [
            {
                "financeur": financeurs["bdt"],
                "mesure": financeurs["ingenierie"],
                "section": "fonctionnement",
                "montant": cout * 7 / 10,
            },
            {"financeur": porteur, "section": "fonctionnement", "montant": cout * 3 / 10},
        ]
    if entreprise:
        # Trips the de minimis ceiling: EUR 350,000 asked by one firm.
        lignes[1]["montant"] = Decimal(350000)
        lignes[1]["champs_secrets"] = ["montant"]
        cout = sum(li["montant"] for li in lignes)
    return cout, lignes


def _donnees(i, axe, titre, contexte, cible, porteur, cout) -> dict:
    donnees = {
        "maturite": MATURITE[cible],
        "titre": titre,
        "axe": axe,
        "porteur": porteur,
        "contexte": contexte,
        "cout_total": None if axe == "simplifier" else cout,
        "date_debut": date(2019, 9, 1),
        "date_fin": date(2021, 6, 30) if i in (1, 7) else date(2027, 12, 31),
    }
    if axe == "simplifier":
        donnees.update(
            probleme="Les délais d'instruction retardent les projets.",
            nature_simplification="groupe",
            orientation="liste_nationale",
        )
    return donnees


def _avancer(fiche, cible, *, chef, code, i):
    """Up to « retenue » for the fiches the contracts inscribe, to instruction with every line
    decided for those retained later (`executer`): a fiche is inscribed only by the signature
    of the contract or avenant that annexes it (demo.contrats)."""
    if cible == Etat.BROUILLON:
        return
    d = _debut(i)
    pilote = _u("region.ara@demo.ti")
    cycle.appliquer(user=chef, fiche=fiche, mouvement="soumettre", date_effet=d)
    if cible == Etat.SOUMISE:
        return
    cycle.appliquer(
        user=chef,
        fiche=fiche,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
        date_effet=d + timedelta(days=21),
        decision_texte="[Démo] Comité de projet local",
    )
    if cible == Etat.COPIL:
        return
    avis = Avis.DEFAVORABLE if cible == Etat.NON_RETENUE else Avis.FAVORABLE
    cycle.appliquer(
        user=pilote,
        fiche=fiche,
        mouvement="avis_copil",
        avis=avis,
        date_effet=d + timedelta(days=60),
        decision_texte="[Démo] COPIL régional",
    )
    if cible in (Etat.INSTRUCTION, Etat.NON_RETENUE):
        return
    for ligne in fiche.lignes.select_related("financeur"):
        decideur = _decideur(ligne, chef)
        cycle.decider_ligne(
            user=decideur,
            ligne=ligne,
            statut=StatutLigne.ACCORDE,
            date_effet=d + timedelta(days=90 + 15 * (ligne.pk % 4)),
        )
    if cible != Etat.RETENUE:
        _retenir(fiche, code=code, i=i)


def _debut(i: int) -> date:
    return date(2019, 10, 1) + timedelta(days=7 * i)


def _retenir(fiche, *, code, i):
    arbitre = _u("etat.8401@demo.ti") if code == "8401" else _u("region.ara@demo.ti")
    cycle.appliquer(
        user=arbitre,
        fiche=fiche,
        mouvement="retenir",
        date_effet=_debut(i) + timedelta(days=150),
        decision_texte="[Démo] Comité des financeurs",
    )


def executer() -> list[str]:
    """After the contracts: the fiches they inscribed are paid, followed, one carried out; the
    fiches meant to stay « retenues » are retained now, after the contract's signature."""
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    if FicheAction.objects.filter(demo=True, etat=Etat.REALISEE).exists():
        return ["Suivi des fiches de démonstration déjà présent."]
    out = []
    for code, chef_email in (("8401", "chef.8401@demo.ti"), ("8408", "chef.8408@demo.ti")):
        chef = _u(chef_email)
        fiches = FicheAction.objects.filter(territoire__phase_id=1, territoire__code=code)
        for i, (_axe, _titre, _contexte, cible) in enumerate(SCENARIO):
            fiche = fiches.filter(demo=True, numero=i + 1).first()
            if fiche is None:
                continue
            if cible == Etat.RETENUE and fiche.etat == Etat.INSTRUCTION:
                _retenir(fiche, code=code, i=i)
            if cible in (Etat.INSCRITE, Etat.REALISEE) and fiche.etat == Etat.INSCRITE:
                _suivre(fiche, cible, chef=chef, i=i)
        out.append(f"Démo : suivi d'exécution des fiches inscrites du territoire {code}.")
    return out


def _suivre(fiche, cible, *, chef, i):
    d = _debut(i)
    # The first operator pays its line in full (its money: demo.financements).
    for ligne in fiche.lignes.filter(financeur__type=TypeOrganisation.OPERATEUR)[:1]:
        solder(ligne, _decideur(ligne, chef), d + timedelta(days=300))
    if i == 7:
        services.suivre(
            user=chef,
            fiche=fiche,
            statut=StatutExecution.BLOQUE,
            texte="[Démo] Le chantier attend un permis de construire.",
        )
    if cible == Etat.REALISEE:
        cycle.appliquer(
            user=chef, fiche=fiche, mouvement="achever", date_effet=d + timedelta(days=400)
        )


def _decideur(ligne: LigneFinancement, chef):
    if ligne.financeur.nom == "Bpifrance":
        return _u("bpifrance.ara@demo.ti")
    if ligne.financeur.nom == "Banque des territoires":
        return _u("bdt.ara@demo.ti")
    if ligne.financeur.type == TypeOrganisation.REGION:
        return _u("region.ara@demo.ti")
    if ligne.financeur.type == TypeOrganisation.ENTREPRISE:
        return _u("entreprise.8401@demo.ti")
    return chef
