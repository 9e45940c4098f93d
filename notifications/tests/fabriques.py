"""Builders for the work queue and notification tests: the territory ti-8401 of the phase in
force with its people, a neighbour territory of the same région with its own chef de
projet, a firm's fiche taken along its path."""

from datetime import timedelta
from decimal import Decimal

from comptes.enums import Role
from fiches import cycle
from fiches.enums import Avis
from fiches.tests.fabriques import bpi, entreprise_de, fiche, personne
from gouvernance import services as gouvernance
from referentiel.models import Region
from territoires.selectors import today
from territoires.tests.fabriques import t2

MONTANT_SECRET = Decimal("987654")  # the firm's own share: secret by default
MONTANT_BPI = Decimal("123456")


def jour(n: int):
    """A day of the fiche's path, in the past (decisions are never in the future)."""
    return today() - timedelta(days=100 - n)


def monde() -> dict:
    t, autre = t2("ti-8401"), t2("ti-8408")
    firme = entreprise_de(t)
    w = {
        "t": t,
        "autre": autre,
        "firme": firme,
        "chef": personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=t),
        "etat": personne("etat@exemple.fr", Role.REFERENT_ETAT, territoire=t),
        "pilote": personne("pilote@exemple.fr", Role.PILOTE_REGION, region_id="84"),
        "bpi": personne(
            "bpi@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bpi(), region_id="84"
        ),
        "dirigeant": personne("dirigeant@exemple.fr", Role.PORTEUR, organisation=firme),
        "chef_autre": personne("chef.autre@exemple.fr", Role.CHEF_PROJET, territoire=autre),
        "national": personne("national@exemple.fr", Role.NATIONAL),
    }
    # The bodies that examine the fiches: ti-8401's local committee, the COPIL of région 84.
    w["local"] = gouvernance.comite_local(t)
    w["copil"] = gouvernance.copil_regional(Region.objects.get(code="84"))
    return w


def fiche_de(w, titre="Atelier de fabrication additive") -> object:
    """A draft of the firm, with a Bpifrance line and the firm's own (secret) share."""
    return fiche(
        w["chef"],
        t=w["t"],
        porteur=w["firme"],
        titre=titre,
        cout=MONTANT_BPI + MONTANT_SECRET,
        lignes=[
            {"financeur": bpi(), "section": "investissement", "montant": MONTANT_BPI},
            {
                "financeur": w["firme"],
                "section": "investissement",
                "montant": MONTANT_SECRET,
                "champs_secrets": ["montant"],
            },
        ],
    )


def soumettre(w, f):
    return cycle.appliquer(user=w["chef"], fiche=f, mouvement="soumettre", date_effet=jour(0))


def avis_local(w, f, avis=Avis.FAVORABLE, **kw):
    return cycle.appliquer(
        user=w["chef"],
        fiche=f,
        mouvement="avis_local",
        avis=avis,
        date_effet=jour(10),
        decision_texte="Comité de projet local",
        **kw,
    )


def avis_copil(w, f):
    return cycle.appliquer(
        user=w["pilote"],
        fiche=f,
        mouvement="avis_copil",
        avis=Avis.FAVORABLE,
        date_effet=jour(20),
        decision_texte="COPIL régional",
    )


def decider(w, f, statut="accorde"):
    """Each funder decides its line: Bpifrance by its referent, the firm by its director."""
    for ligne in f.lignes.select_related("financeur"):
        user = w["bpi"] if ligne.financeur_id == bpi().pk else w["dirigeant"]
        cycle.decider_ligne(user=user, ligne=ligne, statut=statut, date_effet=jour(30))


def retenir(w, f):
    return cycle.appliquer(
        user=w["etat"],
        fiche=f,
        mouvement="retenir",
        date_effet=jour(40),
        decision_texte="COPIL régional",
    )


def jusqu_a(w, f, etape: str):
    """The fiche taken along its path up to `etape` (a move of the list below)."""
    for nom, faire in (
        ("soumettre", soumettre),
        ("avis_local", avis_local),
        ("avis_copil", avis_copil),
        ("decider", decider),
        ("retenir", retenir),
    ):
        faire(w, f)
        if nom == etape:
            break
    f.refresh_from_db()
    return f
