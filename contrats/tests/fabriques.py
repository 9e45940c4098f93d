"""Builders for the contrats tests: retained fiches of 8401, a contract ready to sign."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from contrats import cycle, services
from contrats.enums import NatureSignataire
from fiches import cycle as cycle_fiches
from fiches.enums import Avis
from fiches.tests.fabriques import (
    bpi,
    entreprise,
    entreprise_de,
    equipe,
    fiche,
    personne,
    territoire,
)
from territoires.selectors import vue_territoire

__all__ = [
    "equipe",
    "personne",
    "territoire",
    "retenue",
    "contrat_pret",
    "signer_tout",
    "inscrire_par_contrat",
    "accords_de_tous",
    "presentee_sans_montant",
    "J",
]

J = timezone.localdate()
MONTANT_SECRET = Decimal("987654")
MONTANT_PUBLIC = Decimal("43210")


def jour(n: int):
    return J - timedelta(days=200 - n)


def retenue(
    p, *, titre="Ligne pilote de fabrication additive", code="8401", n=1, t=None, chef=None
):
    """A fiche taken along its whole path up to « retenue », one secret amount, one public.
    Of the phase-1 territory `code`, or of territory `t` with its `chef` de projet."""
    chef = chef or (p["chef"] if code == "8401" else p["chef8408"])
    f = fiche(
        chef,
        code=code,
        t=t,
        titre=titre,
        porteur=entreprise(code, n) if t is None else entreprise_de(t, n),
        description="Procédé breveté confidentiel.",
        champs_secrets=["description"],
        cout=MONTANT_SECRET + MONTANT_PUBLIC,
        lignes=[
            {
                "financeur": bpi(),
                "section": "investissement",
                "montant": MONTANT_SECRET,
                "champs_secrets": ["montant"],
            },
            {
                "financeur": bpi(),
                "section": "fonctionnement",
                "montant": MONTANT_PUBLIC,
                "champs_secrets": [],
            },
        ],
    )
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
        user=p["pilote"],
        fiche=f,
        mouvement="avis_copil",
        avis=Avis.FAVORABLE,
        date_effet=jour(20),
        decision_texte="COPIL régional",
    )
    for ligne in f.lignes.all():
        cycle_fiches.decider_ligne(
            user=p["bpi"], ligne=ligne, statut="accorde", date_effet=jour(30)
        )
    cycle_fiches.appliquer(
        user=p["pilote"],
        fiche=f,
        mouvement="retenir",
        date_effet=jour(40),
        decision_texte="Comité des financeurs",
    )
    f.refresh_from_db()
    return f


def presentee_sans_montant(p, *, titre="Étude d'un campus des métiers", code="8401"):
    """A fiche submitted to the local committee, without cost or financing line yet: the kind
    a protocol may annex (FAQ §4.5)."""
    chef = p["chef"] if code == "8401" else p["chef8408"]
    f = fiche(chef, code=code, titre=titre, cout=None, lignes=[])
    cycle_fiches.appliquer(user=chef, fiche=f, mouvement="soumettre", date_effet=jour(0))
    f.refresh_from_db()
    return f


def signataires_requis(user, document, territoire_, epcis=None):
    """The signatories the FAQ requires (§4.3): each Région, the State, each EPCI covered."""
    vue = vue_territoire(territoire_)
    for code in vue.regions:
        services.ajouter_signataire(
            user=user,
            document=document,
            nature=NatureSignataire.PRESIDENT_REGION,
            nom=f"Président {code}",
            qualite="Président du conseil régional",
            region=_region(code),
        )
    services.ajouter_signataire(
        user=user,
        document=document,
        nature=NatureSignataire.PREFET,
        nom="Préfète de l'Ardèche",
        qualite="Préfète",
    )
    for e in epcis if epcis is not None else document.epcis.all():
        services.ajouter_signataire(
            user=user,
            document=document,
            nature=NatureSignataire.PRESIDENT_EPCI,
            nom=f"Président de {e.nom}",
            qualite="Président",
            epci=e,
        )


def _region(code):
    from referentiel.models import Region

    return Region.objects.get(code=code)


def contrat_pret(p, *, fiches=None, nb_epcis=None, t=None, chef=None):
    """A draft contract of 8401 (or of territory `t`, drafted by its `chef` de projet) with
    its retained fiches and its required signatories."""
    chef = chef or p["chef"]
    t = t or territoire("8401")
    epcis = [e.siren for e in vue_territoire(t).epcis]
    if nb_epcis:
        epcis = epcis[:nb_epcis]
    c = services.creer_contrat(
        user=chef,
        territoire=t,
        donnees={
            "enjeux": "Enjeux du territoire.",
            "ambitions": "Ambitions partagées.",
            "actions_engagees": "Actions déjà engagées.",
            "engagement_parties": "Les parties s'engagent.",
            "plan_actions": "Le plan d'actions.",
            "pilotage": "Un comité de suivi annuel.",
        },
        epcis=epcis,
    )
    if fiches is None:
        # In phase 1, the fiche of 8401 and its firm from the usual builders.
        fiches = [retenue(p, t=None if t.phase_id == 1 else t, chef=chef)]
    for f in fiches:
        cycle.annexer(user=chef, document=c, fiche=f)
    signataires_requis(chef, c, t)
    return c


def accords_de_tous(document, le=None):
    """Without a meeting of the COPIL, the agreement of every party (FAQ §4.2), given on `le`."""
    return [
        {"signataire": s, "donne_par": f"{s.nom}, par courrier", "donne_le": le or J}
        for s in document.signataires.all()
    ]


def signer_tout(p, document, date=None, chef=None):
    for s in document.signataires.filter(signe_le__isnull=True):
        cycle.signer(user=chef or p["chef"], signataire=s, date=date or J)
    document.refresh_from_db()
    return document


def inscrire_par_contrat(fiche, *, redacteur, valideur, le=None):
    """Inscribes a retained fiche the one way the programme does (FAQ §4.6): annexed to its
    territory's contract (or to an avenant once the contract is signed), validated, then
    signed by every party on `le`, the day of its inscription. Returns the document."""
    from contrats.models import Contrat

    le = le or J
    t = fiche.territoire
    contrat = Contrat.objects.filter(territoire=t).first()
    if contrat is None:
        document = services.creer_contrat(
            user=redacteur,
            territoire=t,
            donnees={"enjeux": "Enjeux du territoire."},
            epcis=[e.siren for e in vue_territoire(t).epcis][:1],
        )
    elif contrat.date_signature:
        document = services.creer_avenant(user=redacteur, contrat=contrat, objet="Une fiche.")
    else:
        document = contrat
    cycle.annexer(user=redacteur, document=document, fiche=fiche)
    if not document.signataires.exists():
        signataires_requis(redacteur, document, t)
    cycle.valider(user=valideur, document=document, date=le)
    for s in document.signataires.filter(signe_le__isnull=True):
        cycle.signer(user=redacteur, signataire=s, date=le)
    fiche.refresh_from_db()
    return document
