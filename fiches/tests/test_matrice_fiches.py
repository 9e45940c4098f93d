"""Access matrix for fiches and their financing lines, generated from the roles: persona ×
object × channel (page, API). Expected outcomes come from the rule table below (FAQ §7.3 and
DOMAIN « Actors »), never from the permission layer itself."""

from decimal import Decimal

import pytest

from comptes.enums import Role, TypeOrganisation
from comptes.models import LectureSecret, Organisation
from contrats.tests.fabriques import inscrire_par_contrat
from fiches import cycle
from fiches.enums import Avis, Etat
from fiches.services import creer_fiche

from .fabriques import bdt, bpi, entreprise, personne, territoire

pytestmark = pytest.mark.django_db

PERSONAS = {
    "anonyme": None,
    "sans_role": {},
    "national": {"role": Role.NATIONAL},
    "pilote_84": {"role": Role.PILOTE_REGION, "region_id": "84"},
    "etat_8401": {"role": Role.REFERENT_ETAT, "t": "8401"},
    "chef_8401": {"role": Role.CHEF_PROJET, "t": "8401"},
    "membre_comite_8401": {"role": Role.MEMBRE_COMITE, "t": "8401"},
    "referent_region_8401": {"role": Role.REFERENT_REGION, "t": "8401"},
    "chef_8408": {"role": Role.CHEF_PROJET, "t": "8408"},
    "bpi_84": {"role": Role.REFERENT_OPERATEUR, "op": "bpi", "region_id": "84"},
    "bdt_84": {"role": Role.REFERENT_OPERATEUR, "op": "bdt", "region_id": "84"},
    "porteur_8401": {"role": Role.PORTEUR, "firme": True},
}
OBJETS = ("brouillon_8401", "inscrite_8401", "brouillon_8408")

# Who sees a fiche that is not contracted yet (contracted ones are public).
VOIT_BROUILLON = {
    "8401": {
        "national",
        "pilote_84",
        "etat_8401",
        "chef_8401",
        "membre_comite_8401",
        "referent_region_8401",
        "bpi_84",
        "porteur_8401",
    },
    "8408": {"national", "pilote_84", "chef_8408", "bpi_84"},
}
# Who reads the secret amount of the Bpifrance line of 8401's fiches: the bearer, the team,
# the State référent, the Région's pilot, and the funder of that line. Not the national
# delegation, not the committee's members, not another operator.
LIT_LIGNE_BPI_8401 = {"porteur_8401", "chef_8401", "etat_8401", "pilote_84", "bpi_84"}
LIT_LIGNE_BPI_8408 = {"chef_8408", "pilote_84", "bpi_84"}


def attendu(persona: str, objet: str) -> tuple[bool, bool]:
    """(sees the fiche, reads the Bpifrance line's amount)."""
    code = objet[-4:]
    voit = objet.startswith("inscrite") or persona in VOIT_BROUILLON[code]
    lit = persona in (LIT_LIGNE_BPI_8401 if code == "8401" else LIT_LIGNE_BPI_8408)
    return voit, voit and lit


CAS = [
    pytest.param(p, o, canal, id=f"{p}-{o}-{canal}")
    for p in PERSONAS
    for o in OBJETS
    for canal in ("page", "api")
]


@pytest.fixture
def monde(client):
    firmes = {"8401": entreprise("8401"), "8408": entreprise("8408")}
    comptes = {}
    for nom, spec in PERSONAS.items():
        if spec is None:
            continue
        scope = {}
        if "t" in spec:
            scope["territoire"] = territoire(spec["t"])
        if "region_id" in spec:
            scope["region_id"] = spec["region_id"]
        org = None
        if spec.get("op"):
            org = bpi() if spec["op"] == "bpi" else bdt()
        if spec.get("firme"):
            org = firmes["8401"]
        comptes[nom] = personne(f"{nom}@exemple.fr", spec.get("role"), organisation=org, **scope)
    chefs = {"8401": comptes["chef_8401"], "8408": comptes["chef_8408"]}
    objets = {}
    for nom in OBJETS:
        code = nom[-4:]
        f = creer_fiche(
            user=chefs[code],
            territoire=territoire(code),
            donnees={
                "titre": f"Fiche {nom}",
                "axe": "innover",
                "porteur": firmes[code],
                "cout_total": Decimal("100000"),
            },
            lignes=[
                {"financeur": bpi(), "section": "investissement", "montant": Decimal("61234")},
                {
                    "financeur": firmes[code],
                    "section": "investissement",
                    "montant": Decimal("38766"),
                },
            ],
        )
        if nom.startswith("inscrite"):
            _inscrire(f, chefs[code], comptes)
        objets[nom] = f
    return comptes, objets


def _inscrire(f, chef, comptes):
    cycle.appliquer(user=chef, fiche=f, mouvement="soumettre")
    cycle.appliquer(
        user=chef, fiche=f, mouvement="avis_local", avis=Avis.FAVORABLE, decision_texte="CL"
    )
    cycle.appliquer(
        user=comptes["pilote_84"],
        fiche=f,
        mouvement="avis_copil",
        avis=Avis.FAVORABLE,
        decision_texte="COPIL",
    )
    for ligne in f.lignes.all():
        decideur = (
            comptes["bpi_84"] if ligne.financeur.nom == "Bpifrance" else comptes["porteur_8401"]
        )
        cycle.decider_ligne(user=decideur, ligne=ligne, statut="accorde")
    cycle.appliquer(
        user=comptes["etat_8401"],
        fiche=f,
        mouvement="retenir",
        decision_texte="Comité des financeurs",
    )
    # Inscribed by the signature of the territory's contract, the one way (FAQ §4.6).
    inscrire_par_contrat(f, redacteur=chef, valideur=comptes["etat_8401"])
    assert f.etat == Etat.INSCRITE


def _jeton(client, email):
    from comptes.tests.fabriques import MDP

    r = client.post(
        "/api/v1/auth/token", {"email": email, "password": MDP}, content_type="application/json"
    )
    return r.json()["token"]


@pytest.mark.parametrize(("persona", "objet", "canal"), CAS)
def test_matrice_fiches_et_lignes(client, monde, persona, objet, canal):
    comptes, objets = monde
    f = objets[objet]
    voit, lit = attendu(persona, objet)
    lectures_avant = LectureSecret.objects.count()
    montant = "61234"
    if canal == "page":
        if persona in comptes:
            client.force_login(comptes[persona])
        r = client.get(f"/fiches/{f.uuid}/")
        assert r.status_code == (200 if voit else 404)
        html = r.content.decode().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        assert (montant in html) == lit
    else:
        headers = {}
        if persona in comptes:
            headers["Authorization"] = f"Bearer {_jeton(client, comptes[persona].email)}"
        r = client.get(f"/api/v1/fiches/{f.uuid}", headers=headers)
        assert r.status_code == (200 if voit else 404)
        if voit:
            [ligne] = [li for li in r.json()["lignes"] if li["financeur"]["nom"] == "Bpifrance"]
            assert (ligne["montant"] is not None) == lit
            assert ("montant" in ligne["masques"]) == (not lit)
    # A secret shown is a secret logged; a masked one is not.
    assert (LectureSecret.objects.count() > lectures_avant) == lit


def test_matrice_fiches_a_la_taille_attendue():
    assert len(CAS) == len(PERSONAS) * len(OBJETS) * 2 == 72
    vus = sum(attendu(p, o)[0] for p in PERSONAS for o in OBJETS)
    lus = sum(attendu(p, o)[1] for p in PERSONAS for o in OBJETS)
    # 12 + 8 + 4 personas see the three fiches; 5 + 5 + 3 read the Bpifrance line.
    assert (vus, lus) == (24, 13)


def test_operateur_ne_voit_pas_les_fiches_qui_ne_le_sollicitent_pas(client):
    chef = personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    ref_bdt = personne(
        "bdt@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bdt(), region_id="84"
    )
    asso = Organisation.objects.create(nom="Association", type=TypeOrganisation.ASSOCIATION)
    f = creer_fiche(
        user=chef,
        territoire=territoire("8401"),
        donnees={"titre": "Sans la Banque des territoires", "axe": "recruter", "porteur": asso},
        lignes=[{"financeur": bpi(), "section": "fonctionnement", "montant": Decimal(1000)}],
    )
    client.force_login(ref_bdt)
    assert client.get(f"/fiches/{f.uuid}/").status_code == 404
