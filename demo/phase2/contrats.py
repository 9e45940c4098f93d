"""The phase-2 demo contracting: a protocol signed, then a contract validated (in a meeting of
the regional COPIL, or without one) and signed by each kind of signatory on its date."""

from datetime import date

from contrats import cycle as cycle_contrats
from contrats import services as contrats
from contrats.enums import NatureSignataire
from contrats.models import Contrat
from fiches.enums import Etat
from fiches.models import FicheAction
from gouvernance import services as gouvernance
from gouvernance.enums import NaturePoint, ObjetDecision
from referentiel.models import EPCI, Region
from territoires.selectors import vue_territoire

from ..contrats import accords_ecrits
from .donnees import ANNONAY, CONTRATS, HAUT_BUGEY, T8401
from .scenario import Scenario

PROTOCOLE = {
    "ambitions": "[Démo] Une industrie qui recrute, se décarbone et trouve où s'implanter : les "
    "quatre priorités de la phase 2.",
    "plan_actions": "[Démo] Les premières fiches présentées au comité de projet entreront au "
    "contrat avec leur plan de financement : le protocole n'en annexe que celles qui n'ont aucun "
    "montant, sans engagement financier (FAQ §4.5).",
}
CONTRAT = {
    "annee_debut": 2024,
    "annee_fin": 2027,
    "enjeux": "[Démo] Des compétences à former, des procédés à décarboner, du foncier "
    "industriel à reconquérir.",
    "ambitions": "[Démo] Les quatre priorités de la phase 2, portées par un chef de projet dédié.",
    "actions_engagees": "[Démo] Les fiches retenues par le COPIL régional.",
    "engagement_parties": "[Démo] Les parties mobilisent leurs moyens, chacune selon ses "
    "procédures.",
    "plan_actions": "[Démo] Les fiches-actions retenues figurent en annexe.",
    "pilotage": "[Démo] Le comité de projet continue en comité de suivi dès la signature ; un "
    "bilan annuel au COPIL régional.",
}
SIGNATAIRE = "[Démo] Signataire fictif"


def contractualiser(s: Scenario, code: str) -> None:
    """Schedules the protocol, the contract's validation and each kind's signatures."""
    spec = CONTRATS[code]
    vue = vue_territoire(s.t[code])
    epcis = list(EPCI.objects.filter(siren__in=[e.siren for e in vue.epcis]).order_by("nom"))
    principal = EPCI.objects.get(siren=ANNONAY if code == T8401 else HAUT_BUGEY)
    s.le(spec["protocole"], "contrat", lambda: _protocole(s, code, principal))
    s.le(spec["validation"], "contrat", lambda: _contrat(s, code, vue.regions, epcis))
    for nature, jour in spec["signatures"].items():
        s.le(jour, "signature", lambda n=nature, j=jour: _signer(s, code, n, j))


def _protocole(s: Scenario, code: str, principal: EPCI) -> None:
    """The protocol: the fiches presented so far annexed, signed by the main EPCI and the
    prefect on its day."""
    t, chef = s.t[code], s.chefs[code]
    p = contrats.creer_protocole(user=chef, territoire=t, donnees=PROTOCOLE, demo=True)
    presentees = FicheAction.objects.filter(territoire=t, demo=True).exclude(
        etat__in=contrats.HORS_PROTOCOLE
    )
    # A protocol carries no amount at all (FAQ §4.5): a fiche with a financing plan waits for
    # the contract.
    for f in (f for f in presentees if not contrats.montants_de_la_fiche(f)):
        contrats.annexer_au_protocole(
            user=chef, protocole=p, fiche=f, resume=f"[Démo] {f.contexte}"
        )
    for nature, qualite, epci in (
        (NatureSignataire.PRESIDENT_EPCI, f"Président de {principal.nom}", principal),
        (NatureSignataire.PREFET, "Préfet de département", None),
    ):
        contrats.ajouter_signataire(
            user=chef, document=p, nature=nature, nom=SIGNATAIRE, qualite=qualite, epci=epci
        )
    for signataire in p.signataires.all():
        cycle_contrats.signer(user=chef, signataire=signataire, date=CONTRATS[code]["protocole"])


def _contrat(s: Scenario, code: str, regions, epcis: list[EPCI]) -> None:
    """The contract on the retained fiches, its signatories, its validation."""
    t, chef = s.t[code], s.chefs[code]
    c = contrats.creer_contrat(user=chef, territoire=t, donnees=CONTRAT, epcis=epcis, demo=True)
    for f in FicheAction.objects.filter(territoire=t, demo=True, etat=Etat.RETENUE):
        cycle_contrats.annexer(user=chef, document=c, fiche=f)
    signataires = [
        (NatureSignataire.PRESIDENT_REGION, f"Président de la région {r.nom}", r, None)
        for r in Region.objects.filter(code__in=regions)
    ]
    signataires.append((NatureSignataire.PREFET, "Préfet, représentant de l'État", None, None))
    signataires += [
        (NatureSignataire.PRESIDENT_EPCI, f"Président de {e.nom}", None, e) for e in epcis
    ]
    for nature, qualite, region, epci in signataires:
        contrats.ajouter_signataire(
            user=chef,
            document=c,
            nature=nature,
            nom=SIGNATAIRE,
            qualite=qualite,
            region=region,
            epci=epci,
        )
    _valider(s, code, c)


def _valider(s: Scenario, code: str, c: Contrat) -> None:
    """In a meeting of the regional COPIL, or by the agreement of the Région and the parties."""
    spec = CONTRATS[code]
    if not spec["en_reunion"]:
        cycle_contrats.valider(
            user=s.pilote,
            document=c,
            date=spec["validation"],
            reunion=False,
            texte="[Démo] Accord fictif de la Région et des intercommunalités.",
            accords=accords_ecrits(c, spec["validation"]),
        )
        return
    r = s.reunion(s.copil, spec["validation"])
    point = gouvernance.ajouter_point(
        user=s.pilote, reunion=r, nature=NaturePoint.CONTRAT, territoire=s.t[code]
    )
    lien = gouvernance.decider(
        user=s.pilote,
        reunion=r,
        point=point,
        objet=ObjetDecision.CONTRAT,
        texte="[Démo] Validation fictive du contrat.",
    )
    cycle_contrats.valider_en_reunion(user=s.pilote, document=c, lien=lien)


def _signer(s: Scenario, code: str, nature: str, jour: date) -> None:
    c = Contrat.objects.get(territoire=s.t[code])
    for signataire in c.signataires.filter(nature=nature, signe_le__isnull=True):
        cycle_contrats.signer(user=s.chefs[code], signataire=signataire, date=jour)
