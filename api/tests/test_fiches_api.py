"""Fiches-actions through the API, as a client sees them: scopes, the validation path with the
right roles at each step, industrial secrecy, optimistic locking, tokens, OpenAPI."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from comptes.enums import Role, TypeOrganisation
from comptes.models import LectureSecret, Organisation, Utilisateur
from comptes.tests.fabriques import MDP, entreprise, personne, territoire
from contrats.tests.fabriques import inscrire_par_contrat
from fiches.enums import Etat, StatutLigne
from fiches.models import FicheAction, LigneFinancement, Transition
from financements.models import Engagement
from territoires.models import Decision

pytestmark = pytest.mark.django_db

JSON = "application/json"

INSCRIPTION_PAR_SIGNATURE = (
    "« Inscrire au contrat ou à un avenant » se fait par la signature : annexez la fiche "
    "retenue au contrat ou à un avenant, elle est inscrite à la dernière signature (FAQ §4.6)."
)
MOUVEMENTS = (
    "soumettre",
    "avis-local",
    "avis-copil",
    "retenir",
    "ne-pas-retenir",
    "inscrire",
    "achever",
)


def jeton(client, email: str) -> dict:
    r = client.post("/api/v1/auth/token", {"email": email, "password": MDP}, content_type=JSON)
    assert r.status_code == 200, r.content
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def post(client, url, data=None, auth=None):
    return client.post(url, data or {}, content_type=JSON, **(auth or {}))


def patch(client, url, data, auth=None):
    return client.patch(url, data, content_type=JSON, **(auth or {}))


def organisation(nom: str, type_=TypeOrganisation.ASSOCIATION) -> Organisation:
    return Organisation.objects.create(nom=nom, type=type_)


def fiche_en_base(code: str, etat: str, porteur: Organisation, numero: int, **kw) -> FicheAction:
    return FicheAction.objects.create(
        territoire=territoire(code),
        numero=numero,
        titre=kw.pop("titre", f"Fiche {code} {etat}"),
        axe=kw.pop("axe", "innover"),
        porteur=porteur,
        etat=etat,
        **kw,
    )


@pytest.fixture
def acteurs():
    """The people of a fiche of 8401 (région 84), each with its role."""
    firme = entreprise("8401")
    bpi = Organisation.objects.get(nom="Bpifrance")
    bdt = Organisation.objects.get(nom="Banque des territoires")
    t = territoire("8401")
    personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=t)
    personne("chef8408@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8408"))
    personne("region@exemple.fr", Role.PILOTE_REGION, region_id="84")
    personne("etat@exemple.fr", Role.REFERENT_ETAT, territoire=t)
    personne("bpi@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bpi, region_id="84")
    personne("bdt@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bdt, region_id="84")
    personne("national@exemple.fr", Role.NATIONAL)
    personne("porteur@exemple.fr", Role.PORTEUR, organisation=firme)
    return {"firme": firme, "bpi": bpi, "bdt": bdt}


def corps_fiche(acteurs, **kw) -> dict:
    return {
        "territoire": "8401",
        "phase": 1,
        "titre": "Plateforme mutualisée d'essais mécaniques",
        "axe": "innover",
        "porteur": acteurs["firme"].pk,
        "contexte": "Les sous-traitants de la vallée n'ont pas de banc d'essai.",
        "description": "Procédé breveté de l'entreprise.",
        "cout_total": "500000",
        "champs_secrets": ["cout_total"],
        "lignes": [
            {
                "financeur": acteurs["bpi"].pk,
                "section": "investissement",
                "montant": "300000",
                "champs_secrets": ["montant"],
            },
            {"financeur": acteurs["bdt"].pk, "section": "fonctionnement", "montant": "200000"},
        ],
        "indicateurs": [{"libelle": "Entreprises utilisatrices", "unite": "entreprises"}],
        **kw,
    }


def creer(client, acteurs, email="chef@exemple.fr", **kw) -> dict:
    r = post(client, "/api/v1/fiches", corps_fiche(acteurs, **kw), jeton(client, email))
    assert r.status_code == 201, r.content
    return r.json()


# --- Reads --------------------------------------------------------------------------------


def test_anonyme_ne_voit_que_les_fiches_inscrites(client):
    porteur = organisation("Association des industriels")
    for i, etat in enumerate(Etat.values, start=1):
        fiche_en_base("8401", etat, porteur, i)
    r = client.get("/api/v1/fiches")
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 2
    assert {f["etat"] for f in data["items"]} == {Etat.INSCRITE, Etat.REALISEE}
    assert all("cout_total" not in f and "montant" not in f for f in data["items"])
    brouillon = FicheAction.objects.get(etat=Etat.BROUILLON)
    assert client.get(f"/api/v1/fiches/{brouillon.uuid}").status_code == 404
    inscrite = FicheAction.objects.get(etat=Etat.INSCRITE)
    detail = client.get(f"/api/v1/fiches/{inscrite.uuid}").json()
    assert detail["reference"] == "8401-07" and detail["mouvements"] == []


def test_liste_filtree_et_paginee_dans_le_perimetre_du_jeton(client):
    porteur = organisation("Association des industriels")
    fiche_en_base("8401", Etat.BROUILLON, porteur, 1, titre="Banc d'essai", axe="innover")
    fiche_en_base("8401", Etat.SOUMISE, porteur, 2, titre="Foncier", axe="attirer")
    fiche_en_base("8408", Etat.BROUILLON, porteur, 1, titre="Formation", axe="recruter")
    personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    auth = jeton(client, "chef@exemple.fr")
    data = client.get("/api/v1/fiches", **auth).json()
    assert data["count"] == 2 and {f["territoire"]["code"] for f in data["items"]} == {"8401"}
    assert client.get("/api/v1/fiches?axe=attirer", **auth).json()["count"] == 1
    assert client.get("/api/v1/fiches?q=banc", **auth).json()["items"][0]["titre"] == (
        "Banc d'essai"
    )
    assert client.get("/api/v1/fiches?etat=soumise&region=84", **auth).json()["count"] == 1
    page = client.get("/api/v1/fiches?limit=1&offset=1", **auth).json()
    assert page["count"] == 2 and len(page["items"]) == 1


def test_jeton_invalide_401_en_lecture(client):
    r = client.get("/api/v1/fiches", HTTP_AUTHORIZATION="Bearer inconnu")
    assert r.status_code == 401 and r["WWW-Authenticate"] == "Bearer"


def test_chef_8408_recoit_404_sur_le_brouillon_de_8401(client, acteurs):
    fiche = creer(client, acteurs)
    url = f"/api/v1/fiches/{fiche['uuid']}"
    auth = jeton(client, "chef8408@exemple.fr")
    assert client.get(url, **auth).status_code == 404
    assert client.get(url, **auth).json()["detail"] == "Fiche introuvable."
    assert patch(client, url, {"version": 1, "titre": "Pris"}, auth).status_code == 404
    for chemin in MOUVEMENTS:
        r = post(client, f"{url}/{chemin}", {"avis": "favorable", "decision_texte": "x"}, auth)
        assert r.status_code == 404, chemin
    ligne = fiche["lignes"][0]["id"]
    r = post(client, f"{url}/lignes/{ligne}/decision", {"statut": "accorde"}, auth)
    assert r.status_code == 404
    assert client.get("/api/v1/fiches", **auth).json()["count"] == 0
    f = FicheAction.objects.get(uuid=fiche["uuid"])
    assert f.titre == corps_fiche(acteurs)["titre"] and f.etat == Etat.BROUILLON
    assert not f.transitions.exists()


def test_ligne_d_une_autre_fiche_404(client, acteurs):
    une, autre = creer(client, acteurs), creer(client, acteurs)
    ligne = autre["lignes"][0]["id"]
    url = f"/api/v1/fiches/{une['uuid']}/lignes/{ligne}/decision"
    r = post(client, url, {"statut": "accorde"}, jeton(client, "bpi@exemple.fr"))
    assert r.status_code == 404 and r.json()["detail"] == "Ligne de financement introuvable."


# --- The validation path ------------------------------------------------------------------


def test_parcours_complet_par_les_bons_roles_avec_les_dates_de_chaque_etape(client, acteurs):
    chef = jeton(client, "chef@exemple.fr")
    fiche = creer(client, acteurs)
    assert fiche["etat"] == Etat.BROUILLON and fiche["reference"] == "8401-01"
    assert [i["libelle"] for i in fiche["indicateurs"]] == ["Entreprises utilisatrices"]
    url = f"/api/v1/fiches/{fiche['uuid']}"
    bpi_ligne, bdt_ligne = (li["id"] for li in fiche["lignes"])

    def etape(chemin, auth, **corps):
        r = post(client, f"{url}/{chemin}", corps, auth)
        assert r.status_code == 200, (chemin, r.content)
        return r.json()

    r = etape("soumettre", chef, date_effet="2026-03-02")
    assert r["etat"] == Etat.SOUMISE
    r = etape(
        "avis-local",
        chef,
        date_effet="2026-03-16",
        avis="favorable",
        decision_texte="Comité de projet du 16 mars",
    )
    assert r["etat"] == Etat.COPIL
    # The chef de projet does not chair the regional COPIL: the Région does.
    r = post(client, f"{url}/avis-copil", {"avis": "favorable", "decision_texte": "x"}, chef)
    assert r.status_code == 403 and "comité de pilotage régional" in r.json()["detail"]
    r = etape(
        "avis-copil",
        jeton(client, "region@exemple.fr"),
        date_effet="2026-04-10",
        avis="favorable",
        decision_texte="COPIL régional Auvergne-Rhône-Alpes",
    )
    assert r["etat"] == Etat.INSTRUCTION
    # Each funder decides on its own line, not on the other's.
    bpi = jeton(client, "bpi@exemple.fr")
    r = post(client, f"{url}/lignes/{bdt_ligne}/decision", {"statut": "accorde"}, bpi)
    assert r.status_code == 403
    # Retaining waits for every funder's decision.
    etat = jeton(client, "etat@exemple.fr")
    r = post(client, f"{url}/retenir", {"decision_texte": "Arbitrage"}, etat)
    assert r.status_code == 422 and "Chaque financeur" in r.json()["detail"]
    r = etape(f"lignes/{bpi_ligne}/decision", bpi, statut="accorde", date_effet="2026-05-04")
    assert r["transition"]["action"] == "ligne_accorde"
    bdt = jeton(client, "bdt@exemple.fr")
    etape(f"lignes/{bdt_ligne}/decision", bdt, statut="refuse", date_effet="2026-05-20")
    r = etape("retenir", etat, date_effet="2026-06-01", decision_texte="COPIL du 1er juin")
    assert r["etat"] == Etat.RETENUE
    # A fiche is inscribed by the signature of the contract that annexes it, not by a move.
    r = post(client, f"{url}/inscrire", {"date_effet": "2026-06-15"}, etat)
    assert r.status_code == 422 and r.json()["detail"] == INSCRIPTION_PAR_SIGNATURE
    assert FicheAction.objects.get(uuid=fiche["uuid"]).etat == Etat.RETENUE
    inscrire_par_contrat(
        FicheAction.objects.get(uuid=fiche["uuid"]),
        redacteur=Utilisateur.objects.get(email="chef@exemple.fr"),
        valideur=Utilisateur.objects.get(email="etat@exemple.fr"),
        le=date(2026, 6, 15),
    )
    # Paying is no decision on the line: it is recorded on the line's commitment.
    corps = {"statut": "paye", "date_effet": "2026-07-01"}
    r = post(client, f"{url}/lignes/{bpi_ligne}/decision", corps, bpi)
    assert r.status_code == 422
    assert "POST /api/v1/engagements/{id}/paiements" in r.json()["detail"]
    corps = {"montant": "300000", "convention": "Convention Bpifrance", "date": "2026-06-20"}
    assert post(client, f"/api/v1/lignes/{bpi_ligne}/engagements", corps, bpi).status_code == 201
    engagement = Engagement.objects.get(ligne_id=bpi_ligne).pk
    corps = {"montant": "300000", "date": "2026-07-01"}
    assert (
        post(client, f"/api/v1/engagements/{engagement}/paiements", corps, bpi).status_code == 201
    )

    f = FicheAction.objects.get(uuid=fiche["uuid"])
    assert f.etat == Etat.INSCRITE and f.statut_execution == "En cours"
    assert [(t.action, t.date_effet) for t in f.transitions.all()] == [
        ("soumettre", date(2026, 3, 2)),
        ("avis_local", date(2026, 3, 16)),
        ("avis_copil", date(2026, 4, 10)),
        ("ligne_accorde", date(2026, 5, 4)),
        ("ligne_refuse", date(2026, 5, 20)),
        ("retenir", date(2026, 6, 1)),
        ("inscrire", date(2026, 6, 15)),
    ]
    # Delays are measurable: the line was asked for at submission, decided, then paid.
    ligne = LigneFinancement.objects.get(pk=bpi_ligne)
    assert (ligne.statut, ligne.demande_le, ligne.decide_le) == (
        StatutLigne.ACCORDE,
        date(2026, 3, 2),
        date(2026, 5, 4),
    )
    assert (ligne.decide_le - ligne.demande_le).days == 63
    assert LigneFinancement.objects.get(pk=bdt_ligne).statut == StatutLigne.REFUSE
    # Committee moves rest on a decision of the right body.
    assert f.transitions.get(action="avis_copil").decision.instance == "copil_regional"
    assert f.transitions.get(action="avis_local").decision.instance == "comite_local"
    # The timeline is in the detail, and the inscribed fiche is now public.
    detail = client.get(url).json()
    # Paid: the sum of the payments, masked with the secret amount; its date is no secret.
    [lu] = [li for li in detail["lignes"] if li["id"] == bpi_ligne]
    assert (lu["paye"], lu["dernier_paiement"]) == (None, "2026-07-01")
    [lu] = [li for li in client.get(url, **bpi).json()["lignes"] if li["id"] == bpi_ligne]
    assert Decimal(lu["paye"]) == 300000
    assert [t["date_effet"] for t in detail["transitions"]][:3] == [
        "2026-03-02",
        "2026-03-16",
        "2026-04-10",
    ]
    assert detail["transitions"][0]["par"] is None  # names are for signed-in readers
    assert client.get(url, **chef).json()["transitions"][0]["par"] == "Prénom chef"
    r = etape("achever", chef)
    assert r["etat"] == Etat.REALISEE


def test_a_retravailler_revient_au_brouillon_avec_un_motif(client, acteurs):
    chef = jeton(client, "chef@exemple.fr")
    fiche = creer(client, acteurs)
    url = f"/api/v1/fiches/{fiche['uuid']}"
    assert post(client, f"{url}/soumettre", {}, chef).status_code == 200
    corps = {"avis": "a_retravailler", "decision_texte": "Comité de projet"}
    r = post(client, f"{url}/avis-local", corps, chef)
    assert r.status_code == 422
    assert r.json()["detail"] == "Dites au porteur ce qu'il faut retravailler."
    assert FicheAction.objects.get(uuid=fiche["uuid"]).etat == Etat.SOUMISE
    motif = "Préciser le modèle économique du banc d'essai."
    r = post(client, f"{url}/avis-local", {**corps, "motif": motif}, chef)
    assert r.status_code == 200 and r.json()["etat"] == Etat.BROUILLON
    assert r.json()["transition"]["motif"] == motif
    # Back in draft, the bearer's side edits it again.
    porteur = jeton(client, "porteur@exemple.fr")
    # Every move changed the version: an edit prepared before them would be refused.
    assert r.json()["version"] == fiche["version"] + 2
    r = patch(client, url, {"version": fiche["version"], "titre": "Banc d'essai v2"}, porteur)
    assert r.status_code == 409
    version = FicheAction.objects.get(uuid=fiche["uuid"]).version
    r = patch(client, url, {"version": version, "titre": "Banc d'essai v2"}, porteur)
    assert r.status_code == 200 and r.json()["titre"] == "Banc d'essai v2"
    assert r.json()["transitions"][-1]["motif"] == motif


def test_mouvement_illegal_message_en_francais_et_rien_ne_change(client, acteurs):
    chef = jeton(client, "chef@exemple.fr")
    fiche = creer(client, acteurs)
    url = f"/api/v1/fiches/{fiche['uuid']}"
    decisions = Decision.objects.count()
    r = post(client, f"{url}/achever", {}, chef)
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "« Déclarer la fiche réalisée » est impossible : la fiche est à l'état « Brouillon »."
    )
    r = post(client, f"{url}/inscrire", {}, chef)
    assert r.status_code == 422 and r.json()["detail"] == INSCRIPTION_PAR_SIGNATURE
    # Not the chef's move at all: refused for the right, before any word of the state.
    r = post(client, f"{url}/avis-copil", {"avis": "favorable", "decision_texte": "x"}, chef)
    assert r.status_code == 403 and "impossible" not in r.json()["detail"]
    r = post(client, f"{url}/soumettre", {"date_effet": "2099-01-01"}, chef)
    assert r.status_code == 422 and "futur" in r.json()["detail"]
    f = FicheAction.objects.get(uuid=fiche["uuid"])
    assert f.etat == Etat.BROUILLON and f.version == fiche["version"]
    assert not f.transitions.exists() and Decision.objects.count() == decisions
    assert not f.lignes.filter(demande_le__isnull=False).exists()


def test_un_comite_sans_decision_est_refuse(client, acteurs):
    chef = jeton(client, "chef@exemple.fr")
    fiche = creer(client, acteurs)
    url = f"/api/v1/fiches/{fiche['uuid']}"
    post(client, f"{url}/soumettre", {}, chef)
    r = post(client, f"{url}/avis-local", {"avis": "favorable"}, chef)
    assert r.status_code == 422 and "repose sur une décision" in r.json()["detail"]
    r = post(client, f"{url}/avis-local", {"decision_texte": "x"}, chef)
    assert r.status_code == 422 and r.json()["detail"].startswith("Précisez l'avis")
    assert FicheAction.objects.get(uuid=fiche["uuid"]).etat == Etat.SOUMISE


def test_mouvement_visible_mais_pas_le_votre_403(client, acteurs):
    fiche = creer(client, acteurs)
    region = jeton(client, "region@exemple.fr")
    url = f"/api/v1/fiches/{fiche['uuid']}"
    assert client.get(url, **region).status_code == 200  # the Région follows 8401
    r = post(client, f"{url}/soumettre", {}, region)
    assert r.status_code == 403 and r.json()["detail"].startswith("Vous ne pouvez pas faire")
    r = patch(client, url, {"version": 1, "titre": "Autre"}, region)
    assert r.status_code == 403 and "modifier" in r.json()["detail"]


# --- Creation -----------------------------------------------------------------------------


def test_creation_sur_un_territoire_qui_n_est_pas_le_sien_403(client, acteurs):
    asso = organisation("Association des industriels")
    auth = jeton(client, "chef8408@exemple.fr")
    r = post(client, "/api/v1/fiches", corps_fiche(acteurs, porteur=asso.pk, lignes=[]), auth)
    assert r.status_code == 403
    assert r.json()["detail"] == "Vous ne pouvez pas créer de fiche pour ce territoire."
    assert not FicheAction.objects.exists()


def test_creation_avec_une_reference_inconnue_ou_une_regle_violee_422(client, acteurs):
    auth = jeton(client, "chef@exemple.fr")
    r = post(client, "/api/v1/fiches", corps_fiche(acteurs, territoire="9999"), auth)
    assert r.status_code == 422 and r.json()["detail"] == "Territoire 9999 (phase 1) introuvable."
    # A firm of another territory is as unknown to the chef as a wrong id.
    autre = entreprise("8408")
    r = post(client, "/api/v1/fiches", corps_fiche(acteurs, porteur=autre.pk), auth)
    assert r.status_code == 422 and "Porteur" in r.json()["detail"]
    r = post(client, "/api/v1/fiches", corps_fiche(acteurs, axe="simplifier"), auth)
    assert r.status_code == 422 and "énonce le problème" in r.json()["detail"]
    r = post(
        client,
        "/api/v1/fiches",
        corps_fiche(acteurs, date_debut="2027-01-01", date_fin="2026-01-01"),
        auth,
    )
    assert r.status_code == 422
    assert not FicheAction.objects.exists()


def test_creation_journalisee_au_nom_de_son_auteur(client, acteurs):
    fiche = creer(client, acteurs)
    f = FicheAction.objects.get(uuid=fiche["uuid"])
    entries = LogEntry.objects.get_for_object(f)
    assert {e.actor.email for e in entries} == {"chef@exemple.fr"}
    assert entries.filter(action=LogEntry.Action.CREATE).exists()
    # The secret cost stays out of the audit trail.
    assert all("500000" not in str(e.changes) for e in entries)


# --- Secrets ------------------------------------------------------------------------------


def test_delegation_nationale_recoit_des_montants_nuls_et_masques(client, acteurs):
    fiche = creer(client, acteurs)
    r = client.get(f"/api/v1/fiches/{fiche['uuid']}", **jeton(client, "national@exemple.fr"))
    assert r.status_code == 200
    data = r.json()
    assert data["cout_total"] is None and data["masques"] == ["cout_total"]
    assert data["description"] == "Procédé breveté de l'entreprise."  # not marked secret
    bpi, bdt = data["lignes"]
    assert bpi["montant"] is None and bpi["masques"] == ["montant"]
    assert Decimal(bdt["montant"]) == 200000 and bdt["masques"] == []
    assert not LectureSecret.objects.filter(lecteur__email="national@exemple.fr").exists()


def test_porteur_lit_les_secrets_et_la_lecture_est_journalisee(client, acteurs):
    fiche = creer(client, acteurs)
    LectureSecret.objects.all().delete()  # the creator's own read on creation
    r = client.get(f"/api/v1/fiches/{fiche['uuid']}", **jeton(client, "porteur@exemple.fr"))
    data = r.json()
    assert Decimal(data["cout_total"]) == 500000 and data["masques"] == []
    assert Decimal(data["lignes"][0]["montant"]) == 300000
    lectures = LectureSecret.objects.filter(lecteur__email="porteur@exemple.fr", canal="api")
    assert sorted(lectures.values_list("champ", flat=True)) == ["cout_total", "montant"]


def test_controles_chiffres_seulement_pour_qui_peut_lire_les_montants(client, acteurs):
    fiche = creer(client, acteurs, cout_total="600000")
    url = f"/api/v1/fiches/{fiche['uuid']}"
    national = client.get(url, **jeton(client, "national@exemple.fr")).json()["controles"]
    assert national == [
        {
            "code": "somme_lignes",
            "message": "Les lignes du plan de financement ne couvrent pas le coût total de la "
            "fiche.",
            "chiffres": None,
            "motif": "secret industriel",
        }
    ]
    chef = client.get(url, **jeton(client, "chef@exemple.fr")).json()["controles"]
    assert chef[0]["message"] == national[0]["message"]
    assert chef[0]["chiffres"]["écart"] == "-100\u202f000 €"


# --- Optimistic locking -------------------------------------------------------------------


def test_patch_concurrent_409_avec_les_differences(client, acteurs):
    fiche = creer(client, acteurs)
    url = f"/api/v1/fiches/{fiche['uuid']}"
    chef, porteur = jeton(client, "chef@exemple.fr"), jeton(client, "porteur@exemple.fr")
    r = patch(client, url, {"version": 1, "titre": "Titre du chef"}, chef)
    assert r.status_code == 200 and r.json()["version"] == 2
    r = patch(client, url, {"version": 1, "titre": "Titre du porteur"}, porteur)
    assert r.status_code == 409
    assert r.json() == {
        "detail": "La fiche a été modifiée entre-temps : rien n'a été écrasé.",
        "differences": [
            {
                "champ": "titre",
                "votre_valeur": "Titre du porteur",
                "valeur_actuelle": "Titre du chef",
            }
        ],
    }
    f = FicheAction.objects.get(uuid=fiche["uuid"])
    assert f.titre == "Titre du chef" and f.version == 2


def test_patch_remplace_lignes_et_indicateurs_d_un_brouillon(client, acteurs):
    fiche = creer(client, acteurs)
    url = f"/api/v1/fiches/{fiche['uuid']}"
    corps = {
        "version": 1,
        "lignes": [{"financeur": acteurs["bpi"].pk, "section": "investissement", "montant": 1}],
        "indicateurs": [],
        "champs_secrets": [],
    }
    r = patch(client, url, corps, jeton(client, "chef@exemple.fr"))
    assert r.status_code == 200, r.content
    data = r.json()
    assert len(data["lignes"]) == 1 and data["indicateurs"] == [] and data["champs_secrets"] == []
    r = patch(
        client, url, {"version": 2, "champs_secrets": ["montant"]}, jeton(client, "chef@exemple.fr")
    )
    assert r.status_code == 422 and "cout_total, description" in r.json()["detail"]


def test_indicateurs_ecrits_par_l_api_comme_par_la_page_et_l_import(client, acteurs):
    chef = jeton(client, "chef@exemple.fr")
    fiche = creer(client, acteurs)
    url = f"/api/v1/fiches/{fiche['uuid']}"
    [avant] = fiche["indicateurs"]
    # Matched by name, as the import does: a kept indicator keeps its row (and its measures).
    corps = {
        "version": fiche["version"],
        "indicateurs": [
            {"libelle": "Entreprises utilisatrices", "unite": "entreprises", "cible": "12"},
            {"libelle": "Heures de banc d'essai", "unite": "heures"},
        ],
    }
    r = patch(client, url, corps, chef)
    assert r.status_code == 200, r.content
    garde, nouveau = r.json()["indicateurs"]
    assert garde["id"] == avant["id"] and garde["cible"] == "12.00"
    assert nouveau["libelle"] == "Heures de banc d'essai"
    # One name, once: refused with the same message as the page gives.
    corps = {
        "version": r.json()["version"],
        "indicateurs": [
            {"libelle": "Emplois créés", "unite": "emplois"},
            {"libelle": "emplois crees", "unite": "postes"},
        ],
    }
    r = patch(client, url, corps, chef)
    assert r.status_code == 422
    assert r.json()["detail"] == "Indicateur 2 : « emplois crees » est déjà l'indicateur 1."
    assert [i["libelle"] for i in client.get(url, **chef).json()["indicateurs"]] == [
        "Entreprises utilisatrices",
        "Heures de banc d'essai",
    ]


def test_une_fiche_qui_quitte_l_axe_simplifier_perd_ses_champs_comme_sur_la_page(client, acteurs):
    chef = jeton(client, "chef@exemple.fr")
    fiche = creer(
        client,
        acteurs,
        axe="simplifier",
        probleme="Délais d'autorisation.",
        orientation="rescrit",
        nature_simplification="piste",
        lignes=[],
    )
    url = f"/api/v1/fiches/{fiche['uuid']}"
    r = patch(client, url, {"version": fiche["version"], "axe": "innover"}, chef)
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["axe"], data["probleme"], data["orientation"]) == ("innover", "", "")
    assert data["nature_simplification"] == ""


def test_fiche_soumise_ne_se_modifie_plus_422(client, acteurs):
    chef = jeton(client, "chef@exemple.fr")
    fiche = creer(client, acteurs)
    url = f"/api/v1/fiches/{fiche['uuid']}"
    version = post(client, f"{url}/soumettre", {}, chef).json()["version"]
    r = patch(client, url, {"version": version, "titre": "Trop tard"}, chef)
    assert r.status_code == 422 and "à retravailler" in r.json()["detail"]


# --- Tokens and documentation -------------------------------------------------------------


def test_chaque_ecriture_sans_jeton_401(client, acteurs):
    fiche = creer(client, acteurs)
    url = f"/api/v1/fiches/{fiche['uuid']}"
    ligne = fiche["lignes"][0]["id"]
    ecritures = [
        ("post", "/api/v1/fiches", corps_fiche(acteurs)),
        ("patch", url, {"version": 1, "titre": "Anonyme"}),
        ("post", f"{url}/lignes/{ligne}/decision", {"statut": "accorde"}),
    ] + [("post", f"{url}/{chemin}", {}) for chemin in MOUVEMENTS]
    for methode, chemin, corps in ecritures:
        for auth in ({}, {"HTTP_AUTHORIZATION": "Bearer inconnu"}):
            r = getattr(client, methode)(chemin, corps, content_type=JSON, **auth)
            assert r.status_code == 401, (methode, chemin)
            assert r["WWW-Authenticate"] == "Bearer"
    assert FicheAction.objects.count() == 1
    assert not Transition.objects.exists()


def test_les_points_d_entree_des_mouvements_sont_ceux_de_la_table_du_parcours(client):
    from fiches import cycle

    paths = client.get("/api/v1/openapi.json").json()["paths"]
    mouvements = {p.rsplit("/", 1)[1] for p in paths if p.startswith("/api/v1/fiches/{uuid}/")}
    assert mouvements - {"lignes"} >= {n.replace("_", "-") for n in cycle.MOUVEMENTS}
    for nom, m in cycle.MOUVEMENTS.items():
        op = paths[f"/api/v1/fiches/{{uuid}}/{nom.replace('_', '-')}"]["post"]
        # Its words and who makes it come from the table and the permission layer.
        assert op["summary"] == m.libelle and m.aide in op["description"]
        assert (m.qui() in op["description"]) != m.par_signature
        assert op.get("deprecated", False) == m.par_signature


def test_openapi_liste_chaque_mouvement(client):
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    for chemin in MOUVEMENTS:
        op = paths[f"/api/v1/fiches/{{uuid}}/{chemin}"]["post"]
        assert op["summary"] and "422" in op["responses"] and "403" in op["responses"]
        assert op["security"] == [{"Jeton": []}]
    assert "post" in paths["/api/v1/fiches/{uuid}/lignes/{ligne_id}/decision"]
    # Every write on fiches declares the bearer token; reads do not require it.
    for chemin, ops in paths.items():
        if chemin.startswith("/api/v1/fiches"):
            for methode, op in ops.items():
                assert (op.get("security") == [{"Jeton": []}]) == (methode != "get"), chemin
    assert {"get", "post"} <= set(paths["/api/v1/fiches"])
    assert {"get", "patch"} <= set(paths["/api/v1/fiches/{uuid}"])
    assert paths["/api/v1/fiches/{uuid}/avis-local"]["post"]["summary"] == (
        "Avis du comité de projet local"
    )
