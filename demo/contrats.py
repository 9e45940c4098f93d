"""Demo contracting for 8401 and 8408 (loaded only in demo mode, after the demo fiches): a
protocol, a contract signed on the retained fiches (their inscription), an avenant on a fiche
retained for it.
Built through contrats.services and contrats.cycle with the demo accounts, as users would.
Every document is flagged demo=True."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction

from comptes.enums import TypeOrganisation
from comptes.models import Utilisateur
from contrats import cycle, services
from contrats.enums import NatureSignataire
from contrats.models import Contrat
from fiches import cycle as cycle_fiches
from fiches.enums import Etat, StatutLigne
from fiches.models import FicheAction
from referentiel.models import EPCI, Region
from territoires.models import Territoire
from territoires.selectors import vue_territoire

# code: (team account, validating account, validated in a COPIL meeting?)
SCENARIO = {
    "8401": ("chef.8401@demo.ti", "etat.8401@demo.ti", True),
    "8408": ("chef.8408@demo.ti", "region.ara@demo.ti", False),
}


def _u(email: str) -> Utilisateur:
    return Utilisateur.objects.get(email=email)


def _decideur(ligne, chef) -> Utilisateur:
    nom, type_ = ligne.financeur.nom, ligne.financeur.type
    if nom == "Bpifrance":
        return _u("bpifrance.ara@demo.ti")
    if nom == "Banque des territoires":
        return _u("bdt.ara@demo.ti")
    if type_ == TypeOrganisation.REGION:
        return _u("region.ara@demo.ti")
    if type_ == TypeOrganisation.ENTREPRISE:
        return _u("entreprise.8401@demo.ti")
    return chef


def _retenir(fiche: FicheAction, *, chef, arbitre, le: date) -> FicheAction:
    """Takes a fiche in instruction to « retenue »: each funder decides, then the arbiter."""
    for ligne in fiche.lignes.select_related("financeur").filter(statut=StatutLigne.DEMANDE):
        cycle_fiches.decider_ligne(
            user=_decideur(ligne, chef), ligne=ligne, statut=StatutLigne.ACCORDE, date_effet=le
        )
    cycle_fiches.appliquer(
        user=arbitre,
        fiche=fiche,
        mouvement="retenir",
        date_effet=le,
        decision_texte="[Démo] Comité des financeurs",
    )
    fiche.refresh_from_db()
    return fiche


# 8408's contract: the State signs through a minister, at an event, with its reason (§4.3).
MINISTRE = {
    "8408": "[Démo] Signature lors du déplacement du ministre chargé de l'Industrie sur le "
    "territoire, à l'inauguration du campus des métiers."
}


def _signataires(chef, document, regions, epcis, motif_ministre: str = "") -> None:
    for code in regions:
        services.ajouter_signataire(
            user=chef,
            document=document,
            nature=NatureSignataire.PRESIDENT_REGION,
            nom="[Démo] Président du conseil régional",
            qualite=f"Président de la région {Region.objects.get(code=code).nom}",
            region=Region.objects.get(code=code),
        )
    if motif_ministre:
        services.ajouter_signataire(
            user=chef,
            document=document,
            nature=NatureSignataire.MINISTRE,
            nom="[Démo] Ministre",
            qualite="Ministre chargé de l'Industrie",
            motif_ministre=motif_ministre,
        )
    else:
        services.ajouter_signataire(
            user=chef,
            document=document,
            nature=NatureSignataire.PREFET,
            nom="[Démo] Préfète",
            qualite="Préfète de département, référente de l'État",
        )
    for e in epcis:
        services.ajouter_signataire(
            user=chef,
            document=document,
            nature=NatureSignataire.PRESIDENT_EPCI,
            nom="[Démo] Président de l'intercommunalité",
            qualite=f"Président de {e.nom}",
            epci=e,
        )


def accords_ecrits(document, le: date) -> list[dict]:
    """Each party's written agreement, received a week before a validation without meeting."""
    return [
        {
            "signataire": s,
            "donne_par": f"{s.nom}, {s.qualite}, par courrier",
            "donne_le": le - timedelta(days=7),
        }
        for s in document.signataires.all()
    ]


def _signer(chef, document, le: date) -> None:
    for s in document.signataires.all():
        cycle.signer(user=chef, signataire=s, date=le)


PROTOCOLE = {
    "ambitions": "[Démo] Faire du territoire une référence de l'industrie du futur.",
    "plan_actions": "[Démo] Attirer, recruter, innover, simplifier : premières fiches en annexe, "
    "sans engagement financier.",
}
CONTRAT = {
    "enjeux": "[Démo] Des savoir-faire industriels à transmettre, des emplois à pourvoir, des "
    "sites à moderniser.",
    "ambitions": "[Démo] Moderniser l'outil productif et attirer les talents.",
    "actions_engagees": "[Démo] Un diagnostic d'attractivité et un campus des métiers sont déjà "
    "en cours.",
    "engagement_parties": "[Démo] Les parties mobilisent leurs moyens, chacune selon ses "
    "procédures.",
    "plan_actions": "[Démo] Les fiches-actions retenues figurent en annexe.",
    "pilotage": "[Démo] Un comité de projet local semestriel, un bilan annuel présenté au comité "
    "de pilotage régional.",
}
PROTOCOLE_SIGNE_LE = date(2019, 12, 16)
# (validated, signed) for the contract and its avenant; the avenant's fiche retained before.
CONTRAT_LE = (date(2020, 5, 14), date(2020, 6, 2))
AVENANT_LE = (date(2020, 10, 1), date(2020, 10, 15))
AVENANT_FICHE_RETENUE_LE = date(2020, 9, 15)


@transaction.atomic
def load_contrats() -> list[str]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    if Contrat.objects.filter(demo=True).exists():
        return ["Contrats de démonstration déjà présents."]
    out = []
    for code, (chef_email, valideur_email, reunion) in SCENARIO.items():
        t = Territoire.objects.filter(phase_id=1, code=code).first()
        fiches = FicheAction.objects.filter(territoire=t, demo=True).order_by("numero")
        retenues = list(fiches.filter(etat=Etat.RETENUE))
        en_instruction = list(fiches.filter(etat=Etat.INSTRUCTION))
        if t is None or not retenues or not en_instruction:
            out.append(f"Démo : pas de fiche retenue dans {code}, contrat non chargé.")
            continue
        chef, valideur = _u(chef_email), _u(valideur_email)
        vue = vue_territoire(t)
        epcis = list(EPCI.objects.filter(siren__in=[e.siren for e in vue.epcis]).order_by("nom"))
        # The contract starts with all EPCIs but one, added later by avenant (FAQ §4.2, §6.3).
        premiers, suivants = (epcis[:-1], epcis[-1:]) if len(epcis) > 1 else (epcis, [])
        _protocole(chef, t, _sans_montant(fiches), premiers[0])
        contrat = services.creer_contrat(
            user=chef, territoire=t, donnees=CONTRAT, epcis=premiers, demo=True
        )
        # The retained fiches enter the contract, inscribed by its signature; one more,
        # retained later, by an avenant.
        _conclure(
            chef,
            valideur,
            contrat,
            retenues,
            (vue.regions, premiers, MINISTRE.get(code, "")),
            reunion,
            CONTRAT_LE,
        )
        arbitre = _u("etat.8401@demo.ti") if code == "8401" else _u("region.ara@demo.ti")
        nouvelle = _retenir(
            en_instruction[0], chef=chef, arbitre=arbitre, le=AVENANT_FICHE_RETENUE_LE
        )
        avenant = services.creer_avenant(
            user=chef,
            contrat=contrat,
            objet="[Démo] Ajout d'une fiche-action"
            + (f" et de {suivants[0].nom}" if suivants else "")
            + " au contrat.",
            epcis=suivants,
            demo=True,
        )
        _conclure(
            chef, valideur, avenant, [nouvelle], (vue.regions, suivants, ""), reunion, AVENANT_LE
        )
        out.append(f"Démo : protocole, contrat signé et avenant n° 1 pour le territoire {code}.")
    return out


def _sans_montant(fiches) -> FicheAction | None:
    """A fiche presented to the local committee with no amount at all: the only kind a
    protocol annexes (FAQ §4.5)."""
    presentees = fiches.exclude(etat__in=services.HORS_PROTOCOLE)
    return next((f for f in presentees if not services.montants_de_la_fiche(f)), None)


def _protocole(chef, t: Territoire, fiche: FicheAction | None, epci: EPCI) -> None:
    """The protocol, with a first fiche without amount, signed by the first EPCI and the
    prefect."""
    protocole = services.creer_protocole(user=chef, territoire=t, donnees=PROTOCOLE, demo=True)
    if fiche is not None:
        services.annexer_au_protocole(
            user=chef,
            protocole=protocole,
            fiche=fiche,
            resume="[Démo] Première demande de simplification du territoire.",
        )
    services.ajouter_signataire(
        user=chef,
        document=protocole,
        nature=NatureSignataire.PRESIDENT_EPCI,
        nom="[Démo] Président de l'intercommunalité",
        qualite=f"Président de {epci.nom}",
        epci=epci,
    )
    services.ajouter_signataire(
        user=chef,
        document=protocole,
        nature=NatureSignataire.PREFET,
        nom="[Démo] Préfète",
        qualite="Préfète de département",
    )
    _signer(chef, protocole, PROTOCOLE_SIGNE_LE)


def _conclure(chef, valideur, document, fiches, parties, reunion, dates) -> None:
    """A contract or an avenant: its fiches annexed, its signatories (regions, EPCIs, a
    minister's reason), validated — without a meeting, on each party's agreement — signed."""
    valide_le, signe_le = dates
    for f in fiches:
        cycle.annexer(user=chef, document=document, fiche=f)
    _signataires(chef, document, *parties)
    cycle.valider(
        user=valideur,
        document=document,
        date=valide_le,
        reunion=reunion,
        texte="[Démo] Validation fictive.",
        accords=[] if reunion else accords_ecrits(document, valide_le),
    )
    _signer(chef, document, signe_le)
