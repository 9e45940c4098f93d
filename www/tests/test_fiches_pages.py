"""Pages of the fiches-actions, as each person sees them: list, creation in steps, detail,
moves, funders' decisions, edition. Data is built with comptes/tests/fabriques.py on the real
territories, and fiches through fiches.services like the pages do."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptes.enums import Role, TypeOrganisation
from comptes.models import Designation, LectureSecret, Organisation
from comptes.tests.fabriques import entreprise, personne, territoire
from fiches import cycle, services
from fiches.enums import Avis, Etat, StatutLigne
from fiches.models import FicheAction, Transition
from gouvernance.enums import TypeComite
from gouvernance.models import Comite
from mesures.enums import Axe
from territoires.models import Decision

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def texte(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def page(client, url: str, **params) -> str:
    r = client.get(url, params)
    assert r.status_code == 200, (url, r.status_code)
    return texte(r.content.decode())


# --- The world ----------------------------------------------------------------------------


@pytest.fixture
def monde():
    t8401, t8408 = territoire("8401"), territoire("8408")
    bpi = Organisation.objects.create(nom="Bpifrance", type=TypeOrganisation.OPERATEUR)
    firme = entreprise("8401")
    w = {
        "t8401": t8401,
        "t8408": t8408,
        "bpi": bpi,
        "firme": firme,
        "chef": personne("chef.8401@essai.fr", Role.CHEF_PROJET, territoire=t8401),
        "chef8408": personne("chef.8408@essai.fr", Role.CHEF_PROJET, territoire=t8408),
        "etat": personne("etat.8401@essai.fr", Role.REFERENT_ETAT, territoire=t8401),
        "region": personne("region.84@essai.fr", Role.PILOTE_REGION, region_id="84"),
        "national": personne("national@essai.fr", Role.NATIONAL),
        "bpifrance": personne(
            "bpi.84@essai.fr", Role.REFERENT_OPERATEUR, organisation=bpi, region_id="84"
        ),
        "dirigeant": personne("dirigeant@essai.fr", Role.PORTEUR, organisation=firme),
    }
    return w


def creer(
    w,
    *,
    titre="Atelier partagé de prototypage",
    par="chef",
    t="t8401",
    porteur=None,
    lignes=None,
    **donnees,
) -> FicheAction:
    return services.creer_fiche(
        user=w[par],
        territoire=w[t],
        donnees={
            "titre": titre,
            "axe": Axe.INNOVER,
            "porteur": porteur or w["firme"],
            "contexte": "Les industriels du bassin manquent de moyens d'essai.",
            **donnees,
        },
        lignes=lignes,
    )


def ligne(w, montant="123456", **kw) -> dict:
    return {
        "financeur": w["bpi"],
        "section": "investissement",
        "montant": Decimal(montant),
        **kw,
    }


def jusqu_a_l_instruction(w, fiche):
    cycle.appliquer(user=w["chef"], fiche=fiche, mouvement="soumettre", date_effet=date(2020, 1, 6))
    cycle.appliquer(
        user=w["chef"],
        fiche=fiche,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
        date_effet=date(2020, 2, 3),
        decision_texte="Comité de projet du 3 février 2020 : avis favorable.",
    )
    cycle.appliquer(
        user=w["region"],
        fiche=fiche,
        mouvement="avis_copil",
        avis=Avis.FAVORABLE,
        date_effet=date(2020, 3, 16),
        decision_texte="COPIL régional du 16 mars 2020 : avis favorable.",
    )


# --- List ---------------------------------------------------------------------------------


def test_liste_filtree_par_territoire_axe_etat_et_recherche(client, monde):
    w = monde
    creer(w, titre="Atelier partagé de prototypage")
    creer(w, titre="Recrutement d'apprentis en chaudronnerie", axe=Axe.RECRUTER)
    creer(
        w,
        titre="Zone d'activité requalifiée",
        par="chef8408",
        t="t8408",
        porteur=entreprise("8408"),
        axe=Axe.ATTIRER,
    )
    client.force_login(w["national"])

    tout = page(client, "/fiches/")
    assert "3 fiches correspondent" in tout
    du_8401 = page(client, "/fiches/", territoire="1-8401")
    assert "2 fiches correspondent" in du_8401 and "Zone d'activité" not in du_8401
    assert "Rédiger une fiche" not in du_8401  # the national delegation writes no fiche
    recruter = page(client, "/fiches/", axe="recruter")
    assert "1 fiche correspond " in recruter and "chaudronnerie" in recruter
    assert "1 fiche correspond " in page(client, "/fiches/", q="prototypage")
    assert "Aucune fiche ne correspond" in page(client, "/fiches/", etat="inscrite")
    assert "2 fiches correspondent" in page(
        client, "/fiches/", type_porteur="entreprise", territoire="8401"
    )
    assert "3 fiches correspondent" in page(client, "/fiches/", region="84")
    assert "Aucune fiche ne correspond" in page(client, "/fiches/", region="44")


def test_liste_filtre_invalide_signale_en_francais_sans_annuler_les_autres(client, monde):
    w = monde
    creer(w)
    client.force_login(w["national"])
    html = page(client, "/fiches/", territoire="9999", axe="innover")
    assert "Aucun territoire n'a le code « 9999 »." in html
    assert "1 fiche correspond " in html


def test_liste_ne_montre_jamais_de_montant_et_exporte_avec_les_memes_filtres(client, monde):
    w = monde
    creer(w, lignes=[ligne(w, "987654")], cout_total=Decimal("987654"))
    client.force_login(w["chef"])
    r = client.get("/fiches/", {"territoire": "1-8401", "axe": "innover"})
    html = r.content.decode()
    assert "987" not in texte(html)
    assert 'href="/fiches/export.xlsx?territoire=1-8401&amp;axe=innover"' in html
    assert "Rédiger une fiche pour 8401" in texte(html)


def test_export_xlsx_des_fiches_filtrees_et_visibles(client, monde):
    w = monde
    creer(w, titre="Atelier partagé de prototypage")
    creer(w, titre="Recrutement d'apprentis", axe=Axe.RECRUTER)
    creer(
        w,
        titre="Zone d'activité requalifiée",
        par="chef8408",
        t="t8408",
        porteur=entreprise("8408"),
    )
    client.force_login(w["chef"])
    r = client.get("/fiches/export.xlsx", {"axe": "innover"})
    assert r.status_code == 200
    assert r["Content-Type"] == XLSX
    feuille = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    entete, *rangees = feuille.iter_rows(values_only=True)
    titres = {r[entete.index("Titre")] for r in rangees}
    # Innover only, and not the fiche of 8408 that this project lead may not see.
    assert titres == {"Atelier partagé de prototypage"}


def test_liste_en_nombre_constant_de_requetes(client, monde):
    w = monde

    def requetes(n: int) -> int:
        FicheAction.objects.all().delete()
        for i in range(n):
            creer(w, titre=f"Action {i}", lignes=[ligne(w)])
        client.force_login(w["chef"])
        with CaptureQueriesContext(connection) as ctx:
            r = client.get("/fiches/", {"financeur": w["bpi"].pk, "region": "84"})
        assert r.status_code == 200
        assert f"{n} fiche" in texte(r.content.decode())
        return len(ctx.captured_queries)

    assert requetes(3) == requetes(20)


def test_liste_ne_montre_que_les_fiches_visibles(client, monde):
    w = monde
    creer(w, titre="Brouillon du territoire 8401")
    assert "Aucune fiche ne correspond" in page(client, "/fiches/")  # a draft is not public
    client.force_login(w["chef8408"])
    assert "Brouillon du territoire 8401" not in page(client, "/fiches/")


# --- Creation in steps --------------------------------------------------------------------


def etapes_1_a_3(client, w) -> str:
    """Walks steps 1 to 3 as the 8401 project lead; returns the URL of step 4."""
    r = client.get("/fiches/nouvelle/", {"territoire": "1-8401"})
    assert r.status_code == 302
    base = r.url.rsplit("/", 2)[0]
    r = client.post(
        f"{base}/action/",
        {
            "titre": "Centre d'essais mutualisé",
            "axe": "innover",
            "porteur": w["firme"].pk,
            "partenaires": [w["bpi"].pk],
            "collective": "1",
            "maturite": "mature",
            "aller": "suivant",
        },
    )
    assert r.status_code == 302 and r.url == f"{base}/contenu/"
    r = client.post(
        f"{base}/contenu/",
        {
            "contexte": "Les PME du bassin n'ont pas de banc d'essai.",
            "description": "Achat d'un banc d'essai partagé.",
            "aller": "suivant",
        },
    )
    assert r.status_code == 302 and r.url == f"{base}/perimetre/"
    r = client.post(
        f"{base}/perimetre/",
        {
            "portee": "territoire",
            "date_debut": "2021-01-01",
            "date_fin": "2022-12-31",
            "contrat_valorise": "crte",
            "aller": "suivant",
        },
    )
    assert r.status_code == 302 and r.url == f"{base}/financement/"
    return f"{base}/financement/"


def financement(w, montant: str, **extra) -> dict:
    return {
        "cout_total": "200000",
        "lignes-TOTAL_FORMS": "1",
        "lignes-INITIAL_FORMS": "0",
        "lignes-0-financeur": w["bpi"].pk,
        "lignes-0-section": "investissement",
        "lignes-0-montant": montant,
        "lignes-0-confidentiel": "on",
        "indicateurs-TOTAL_FORMS": "1",
        "indicateurs-INITIAL_FORMS": "0",
        "indicateurs-0-libelle": "Entreprises utilisatrices",
        "indicateurs-0-unite": "entreprises",
        "indicateurs-0-cible": "25",
        "aller": "suivant",
        **extra,
    }


def test_formulaire_en_etapes_garde_la_saisie_d_une_etape_a_l_autre(client, monde):
    w = monde
    client.force_login(w["chef"])
    url4 = etapes_1_a_3(client, w)
    base = url4.rsplit("/", 2)[0]
    html = client.get(f"{base}/action/").content.decode()
    assert 'value="Centre d\'essais mutualisé"' in unescape(html)
    assert "Étape 1 sur 5" in texte(html)
    assert 'class="fr-stepper"' in html
    # Going back does not lose what is typed at the current step, even unchecked.
    client.post(url4, {**financement(w, "150000"), "aller": "precedent"})
    assert 'value="150\u202f000"' in client.get(url4).content.decode()


def test_erreur_a_l_etape_4_ne_perd_rien(client, monde):
    w = monde
    client.force_login(w["chef"])
    url4 = etapes_1_a_3(client, w)
    base = url4.rsplit("/", 2)[0]

    r = client.post(url4, financement(w, "-5"))
    assert r.status_code == 200
    html = texte(r.content.decode())
    assert "Cette étape n'est pas complète" in html
    assert "Un montant ne peut pas être négatif." in html
    assert "Entreprises utilisatrices" in r.content.decode()  # the indicator typed is kept
    assert FicheAction.objects.count() == 0
    # Earlier steps are intact, and the wrong step still holds what was typed.
    assert "Centre d&#x27;essais mutualisé" in client.get(f"{base}/action/").content.decode()
    assert "banc d&#x27;essai" in client.get(f"{base}/contenu/").content.decode()
    assert 'value="-5"' in client.get(url4).content.decode()

    r = client.post(url4, financement(w, "150000"))
    assert r.status_code == 302 and r.url == f"{base}/verification/"
    verif = page(client, r.url)
    assert "Étape 5 sur 5" in verif
    assert "Les lignes du plan de financement ne couvrent pas le coût total" in verif
    assert "50 000 €" in verif.replace("\u202f", " ")  # the gap, to the bearer's team
    assert FicheAction.objects.count() == 0  # the check wrote nothing

    r = client.post(r.url, {"aller": "enregistrer"})
    fiche = FicheAction.objects.get()
    assert r.status_code == 302 and r.url == f"/fiches/{fiche.uuid}/"
    assert (fiche.titre, fiche.territoire, fiche.porteur) == (
        "Centre d'essais mutualisé",
        w["t8401"],
        w["firme"],
    )
    assert fiche.contexte.startswith("Les PME") and fiche.date_fin == date(2022, 12, 31)
    assert fiche.contrat_valorise == "crte" and fiche.cout_total == Decimal("200000")
    assert list(fiche.partenaires.all()) == [w["bpi"]]
    [li] = fiche.lignes.all()
    assert (li.montant, li.champs_secrets) == (Decimal("150000"), ["montant"])
    [ind] = fiche.indicateurs.all()
    assert (ind.libelle, ind.cible) == ("Entreprises utilisatrices", Decimal("25"))
    # The draft is gone from the session once saved.
    assert client.get(url4).status_code == 404


def test_ajouter_une_ligne_sans_script_garde_la_saisie(client, monde):
    w = monde
    client.force_login(w["chef"])
    url4 = etapes_1_a_3(client, w)
    r = client.post(url4, {**financement(w, "70000"), "aller": "ajouter_ligne"})
    assert r.status_code == 302
    html = client.get(url4).content.decode()
    assert 'name="lignes-TOTAL_FORMS" value="2"' in html
    assert 'value="70\u202f000"' in html and "Ligne de financement 2" in texte(html)


def test_fiche_simplifier_sans_etape_de_financement(client, monde):
    w = monde
    client.force_login(w["chef"])
    r = client.get("/fiches/nouvelle/", {"territoire": "1-8401"})
    base = r.url.rsplit("/", 2)[0]
    client.post(
        f"{base}/action/",
        {
            "titre": "Délais d'autorisation",
            "axe": "simplifier",
            "porteur": w["firme"].pk,
            "collective": "1",
            "maturite": "idee",
            "aller": "suivant",
        },
    )
    r = client.post(f"{base}/contenu/", {"aller": "suivant"})
    assert r.status_code == 200
    assert "Une fiche « simplifier » énonce le problème rencontré." in texte(r.content.decode())
    assert "Étape 2 sur 4" in texte(r.content.decode())
    r = client.post(
        f"{base}/contenu/",
        {
            "probleme": "Huit mois pour une autorisation d'extension.",
            "orientation": "rescrit",
            "nature_simplification": "piste",
            "aller": "suivant",
        },
    )
    r = client.post(f"{base}/perimetre/", {"portee": "territoire", "aller": "suivant"})
    assert r.url == f"{base}/verification/"
    assert client.get(f"{base}/financement/").status_code == 404
    client.post(r.url, {"aller": "enregistrer"})
    fiche = FicheAction.objects.get()
    assert (fiche.axe, fiche.orientation, fiche.lignes.count()) == ("simplifier", "rescrit", 0)


def test_creation_par_le_chef_de_projet_de_8401(client, monde):
    client.force_login(monde["chef"])
    r = client.get("/fiches/nouvelle/", {"territoire": "1-8401"})
    assert r.status_code == 302
    assert "Nouvelle fiche-action pour 8401" in page(client, r.url)


def test_creation_pour_8401_par_le_chef_de_projet_de_8408_repond_404(client, monde):
    client.force_login(monde["chef8408"])
    assert client.get("/fiches/nouvelle/", {"territoire": "1-8401"}).status_code == 404
    # Nor through a draft opened by someone else.
    client.force_login(monde["chef"])
    url = client.get("/fiches/nouvelle/", {"territoire": "1-8401"}).url
    client.force_login(monde["chef8408"])
    assert client.get(url).status_code == 404


def test_creation_refusee_aux_visiteurs_et_a_la_delegation_nationale(client, monde):
    r = client.get("/fiches/nouvelle/", {"territoire": "1-8401"})
    assert r.status_code == 302 and r["Location"].startswith("/connexion/?next=")
    client.force_login(monde["national"])
    assert client.get("/fiches/nouvelle/", {"territoire": "1-8401"}).status_code == 404


def test_le_porteur_ne_peut_nommer_que_sa_propre_organisation(client, monde):
    w = monde
    client.force_login(w["dirigeant"])
    r = client.get("/fiches/nouvelle/", {"territoire": "1-8401"})
    base = r.url.rsplit("/", 2)[0]
    r = client.post(
        f"{base}/action/",
        {
            "titre": "Essai",
            "axe": "innover",
            "porteur": w["bpi"].pk,
            "collective": "1",
            "maturite": "idee",
            "aller": "suivant",
        },
    )
    assert r.status_code == 200
    assert "Sélectionnez un choix valide" in texte(r.content.decode())


# --- Detail -------------------------------------------------------------------------------


def test_detail_montant_secret_confidentiel_pour_la_delegation_nationale(client, monde):
    w = monde
    fiche = creer(w, lignes=[ligne(w, "123456", champs_secrets=["montant"])])
    client.force_login(w["national"])
    html = page(client, f"/fiches/{fiche.uuid}/")
    assert "Confidentiel" in html
    assert "123" not in html
    assert not LectureSecret.objects.exists()


def test_detail_montre_les_montants_au_porteur_et_journalise_la_lecture(client, monde):
    w = monde
    fiche = creer(w, lignes=[ligne(w, "123456", champs_secrets=["montant"])])
    client.force_login(w["dirigeant"])
    html = page(client, f"/fiches/{fiche.uuid}/").replace("\u202f", " ").replace("\xa0", " ")
    assert "123 456 €" in html
    assert "Confidentiel" not in html
    [lecture] = LectureSecret.objects.all()
    assert (lecture.lecteur, lecture.champ) == (w["dirigeant"], "montant")


def test_detail_controles_sans_chiffres_pour_qui_n_a_pas_a_les_connaitre(client, monde):
    w = monde
    fiche = creer(w, lignes=[ligne(w, "90000")], cout_total=Decimal("100000"))
    client.force_login(w["national"])
    html = page(client, f"/fiches/{fiche.uuid}/").replace("\u202f", " ")
    assert "ne couvrent pas le coût total" in html and "10 000 €" not in html
    client.force_login(w["chef"])
    html = page(client, f"/fiches/{fiche.uuid}/").replace("\u202f", " ")
    assert "ne couvrent pas le coût total" in html and "-10 000 €" in html


def test_parcours_liste_les_mouvements_et_les_delais(client, monde):
    w = monde
    fiche = creer(w, lignes=[ligne(w)])
    jusqu_a_l_instruction(w, fiche)
    client.force_login(w["chef"])
    html = page(client, f"/fiches/{fiche.uuid}/")
    parcours = html[html.index("Parcours de la fiche") :]
    assert parcours.index("06/01/2020 — Soumettre au comité de projet local") < parcours.index(
        "03/02/2020 — Avis du comité de projet local : avis favorable"
    )
    assert "16/03/2020 — Avis du comité de pilotage régional : avis favorable" in parcours
    assert "COPIL régional du 16 mars 2020" in parcours
    assert "Soumission → avis du comité de projet local 06/01/2020 03/02/2020 28 jours" in html
    assert "42 jours" in html


def test_mouvement_illegal_refuse_en_francais_sans_rien_changer(client, monde):
    w = monde
    fiche = creer(w)
    client.force_login(w["etat"])
    r = client.post(
        f"/fiches/{fiche.uuid}/mouvement/retenir/",
        {"date_effet": "2020-05-04", "decision_texte": "Retenue en COPIL."},
    )
    assert r.status_code == 200
    assert "« Retenir la fiche » est impossible : la fiche est à l'état « Brouillon »." in texte(
        r.content.decode()
    )
    fiche.refresh_from_db()
    assert fiche.etat == Etat.BROUILLON
    assert not Transition.objects.exists() and not Decision.objects.filter(texte__contains="COPIL")


def test_la_page_n_inscrit_pas_une_fiche_retenue_hors_de_la_signature_du_contrat(client):
    from contrats.tests.fabriques import equipe, retenue

    p = equipe()
    f = retenue(p)
    client.force_login(p["chef"])
    url = f"/fiches/{f.uuid}/mouvement/inscrire/"
    assert url not in client.get(f"/fiches/{f.uuid}/").content.decode()  # no button
    message = (
        "« Inscrire au contrat ou à un avenant » se fait par la signature : annexez la fiche "
        "retenue au contrat ou à un avenant, elle est inscrite à la dernière signature (FAQ §4.6)."
    )
    assert message in page(client, url)
    r = client.post(url, {"date_effet": "2020-06-02"})
    assert r.status_code == 200 and message in texte(r.content.decode())
    f.refresh_from_db()
    assert f.etat == Etat.RETENUE and not f.transitions.filter(action="inscrire").exists()


def test_mouvement_soumettre_par_le_chef_de_projet(client, monde):
    w = monde
    fiche = creer(w)
    client.force_login(w["chef"])
    html = page(client, f"/fiches/{fiche.uuid}/")
    assert (
        f"/fiches/{fiche.uuid}/mouvement/soumettre/"
        in client.get(f"/fiches/{fiche.uuid}/").content.decode()
    )
    assert "Retenir la fiche" not in html
    r = client.post(f"/fiches/{fiche.uuid}/mouvement/soumettre/", {"date_effet": "2020-01-06"})
    assert r.status_code == 302
    fiche.refresh_from_db()
    assert fiche.etat == Etat.SOUMISE


def test_mouvement_a_retravailler_exige_un_motif(client, monde):
    w = monde
    fiche = creer(w)
    cycle.appliquer(user=w["chef"], fiche=fiche, mouvement="soumettre", date_effet=date(2020, 1, 6))
    client.force_login(w["chef"])
    r = client.post(
        f"/fiches/{fiche.uuid}/mouvement/avis_local/",
        {"date_effet": "2020-02-03", "avis": "a_retravailler", "decision_texte": "Comité."},
    )
    assert "Dites au porteur ce qu'il faut retravailler." in texte(r.content.decode())
    fiche.refresh_from_db()
    assert fiche.etat == Etat.SOUMISE


def test_mouvement_non_permis_repond_404(client, monde):
    w = monde
    fiche = creer(w)
    client.force_login(w["dirigeant"])  # the bearer may submit, not give the COPIL's opinion
    assert client.get(f"/fiches/{fiche.uuid}/mouvement/avis_copil/").status_code == 404
    assert client.get(f"/fiches/{fiche.uuid}/mouvement/inconnu/").status_code == 404


def test_financeur_decide_sur_sa_ligne(client, monde):
    w = monde
    fiche = creer(w, lignes=[ligne(w)])
    jusqu_a_l_instruction(w, fiche)
    [li] = fiche.lignes.all()
    client.force_login(w["bpifrance"])
    assert "Votre décision sur la ligne 1" in page(client, f"/fiches/{fiche.uuid}/")
    url = f"/fiches/{fiche.uuid}/decision-ligne/"
    r = client.post(url, {"ligne": li.pk, "statut": "paye", "date_effet": "2020-04-01"})
    li.refresh_from_db()
    assert li.statut == StatutLigne.DEMANDE  # paying is no decision: its payments go elsewhere
    assert "POST /api/v1/engagements/{id}/paiements" in page(client, r.url.split("#")[0])
    client.post(url, {"ligne": li.pk, "statut": "accorde", "date_effet": "2020-04-01"})
    li.refresh_from_db()
    assert (li.statut, li.decide_le) == (StatutLigne.ACCORDE, date(2020, 4, 1))
    html = page(client, f"/fiches/{fiche.uuid}/")
    assert "Avis du comité de pilotage régional → décision de Bpifrance" in html
    # The project lead is no funder: no form for them, and a forged post answers 404.
    client.force_login(w["chef"])
    assert "Votre décision sur la ligne" not in page(client, f"/fiches/{fiche.uuid}/")
    r = client.post(url, {"ligne": li.pk, "statut": "refuse", "date_effet": "2020-04-02"})
    assert r.status_code == 404


def test_le_financeur_ne_se_voit_proposer_que_les_decisions_que_le_parcours_admet(client, monde):
    w = monde
    fiche = creer(w, lignes=[ligne(w)])
    cycle.appliquer(user=w["chef"], fiche=fiche, mouvement="soumettre", date_effet=date(2020, 1, 6))
    client.force_login(w["bpifrance"])
    # Submitted, not yet in instruction: no decision on the line is possible yet.
    assert "Votre décision sur la ligne" not in page(client, f"/fiches/{fiche.uuid}/")
    cycle.appliquer(
        user=w["chef"],
        fiche=fiche,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
        date_effet=date(2020, 2, 3),
        decision_texte="Comité de projet.",
    )
    cycle.appliquer(
        user=w["region"],
        fiche=fiche,
        mouvement="avis_copil",
        avis=Avis.FAVORABLE,
        date_effet=date(2020, 3, 16),
        decision_texte="COPIL régional.",
    )
    html = client.get(f"/fiches/{fiche.uuid}/").content.decode()
    assert "Votre décision sur la ligne 1" in texte(html)
    assert '<option value="accorde">' in html and '<option value="paye">' not in html


def test_commentaire_ajoute_par_une_personne_connectee(client, monde):
    w = monde
    fiche = creer(w)
    client.force_login(w["etat"])
    r = client.post(f"/fiches/{fiche.uuid}/commentaires/", {"texte": "Voir le CRTE."})
    assert r.status_code == 302
    assert "Voir le CRTE." in page(client, f"/fiches/{fiche.uuid}/")
    client.logout()
    r = client.post(f"/fiches/{fiche.uuid}/commentaires/", {"texte": "Anonyme"})
    assert r.status_code == 302 and "/connexion/" in r.url
    assert fiche.commentaires.count() == 1


def test_fiches_similaires_d_un_autre_territoire(client, monde):
    w = monde
    titre = "Plateforme mutualisée de formation aux métiers de la mécanique"
    a = creer(w, titre=titre)
    b = creer(
        w, titre=titre + " de précision", par="chef8408", t="t8408", porteur=entreprise("8408")
    )
    creer(w, titre=titre + " industrielle")  # same territory: not listed
    client.force_login(w["national"])
    html = page(client, f"/fiches/{a.uuid}/")
    similaires = html[html.index("Fiches similaires d'autres territoires") :]
    assert f"{b.reference} {b.titre}" in similaires
    assert "industrielle" not in similaires
    # Someone who may not see the other fiche does not get it as a similar one.
    client.force_login(w["chef"])
    assert b.titre not in page(client, f"/fiches/{a.uuid}/")


def test_fiche_hors_de_portee_repond_404(client, monde):
    w = monde
    fiche = creer(w)
    assert client.get(f"/fiches/{fiche.uuid}/").status_code == 404  # a draft is not public
    client.force_login(w["chef8408"])
    for url in (
        f"/fiches/{fiche.uuid}/",
        f"/fiches/{fiche.uuid}/modifier/",
        f"/fiches/{fiche.uuid}/mouvement/soumettre/",
    ):
        assert client.get(url).status_code == 404
    assert client.get(f"/fiches/{fiche.pk}/").status_code == 404  # never by integer id


# --- Edition --------------------------------------------------------------------------------


def edition(w, fiche, **changes) -> dict:
    data = {
        "version": fiche.version,
        "titre": fiche.titre,
        "axe": fiche.axe,
        "porteur": fiche.porteur_id,
        "collective": "1",
        "maturite": fiche.maturite,
        "contexte": fiche.contexte,
        "portee": fiche.portee,
        "lignes-TOTAL_FORMS": "0",
        "lignes-INITIAL_FORMS": "0",
        "aller": "enregistrer",
    }
    data.update(changes)
    return data


def test_modification_d_un_brouillon(client, monde):
    w = monde
    fiche = creer(w, lignes=[ligne(w, "5000")])
    client.force_login(w["chef"])
    html = client.get(f"/fiches/{fiche.uuid}/modifier/").content.decode()
    assert 'name="version" value="1"' in html and 'value="5\u202f000"' in html
    lignes = {
        "lignes-TOTAL_FORMS": "2",
        "lignes-INITIAL_FORMS": "1",
        "lignes-0-financeur": w["bpi"].pk,
        "lignes-0-section": "investissement",
        "lignes-0-montant": "7500",
        "lignes-1-financeur": "",  # the empty row offered for a new line
        "lignes-1-section": "",
        "lignes-1-montant": "",
    }
    r = client.post(
        f"/fiches/{fiche.uuid}/modifier/", edition(w, fiche, titre="Nouveau titre", **lignes)
    )
    assert r.status_code == 302
    fiche.refresh_from_db()
    assert (fiche.titre, fiche.version) == ("Nouveau titre", 2)
    assert [li.montant for li in fiche.lignes.all()] == [Decimal("7500")]
    # A line marked for removal goes.
    lignes["lignes-0-DELETE"] = "on"
    client.post(f"/fiches/{fiche.uuid}/modifier/", edition(w, fiche, **lignes))
    assert fiche.lignes.count() == 0


def test_modification_concurrente_montre_le_conflit_et_garde_la_saisie(client, monde):
    w = monde
    fiche = creer(w)
    client.force_login(w["chef"])
    formulaire = edition(w, fiche, titre="Mon titre")  # opened at version 1
    services.modifier_fiche(
        user=w["dirigeant"],
        fiche=fiche,
        version=1,
        donnees={"titre": "Titre du porteur"},
    )
    r = client.post(f"/fiches/{fiche.uuid}/modifier/", formulaire)
    assert r.status_code == 200
    html = r.content.decode()
    t = texte(html)
    assert "Quelqu'un a enregistré cette fiche pendant votre modification" in t
    assert "Titre Mon titre Titre du porteur" in t
    assert 'value="Mon titre"' in html  # the input is kept
    assert 'name="version" value="2"' in html  # ready to be saved over the current version
    fiche.refresh_from_db()
    assert (fiche.titre, fiche.version) == ("Titre du porteur", 2)


def test_fiche_qui_quitte_l_axe_simplifier_perd_ses_champs_de_simplification(client, monde):
    w = monde
    fiche = creer(w, axe=Axe.SIMPLIFIER, probleme="Délais d'autorisation.", orientation="rescrit")
    client.force_login(w["chef"])
    r = client.post(f"/fiches/{fiche.uuid}/modifier/", edition(w, fiche, axe="innover"))
    assert r.status_code == 302
    fiche.refresh_from_db()
    assert (fiche.axe, fiche.probleme, fiche.orientation) == ("innover", "", "")


def test_fiche_soumise_ne_se_modifie_plus(client, monde):
    w = monde
    fiche = creer(w)
    cycle.appliquer(user=w["chef"], fiche=fiche, mouvement="soumettre", date_effet=date(2020, 1, 6))
    client.force_login(w["chef"])
    assert "Une fiche soumise ne se modifie plus" in page(client, f"/fiches/{fiche.uuid}/modifier/")
    r = client.post(f"/fiches/{fiche.uuid}/modifier/", edition(w, fiche, titre="X"))
    fiche.refresh_from_db()
    assert fiche.titre != "X"
    assert r.status_code == 200


# --- Where one starts a fiche -------------------------------------------------------------


def test_rediger_une_fiche_depuis_la_liste_sans_filtre(client, monde):
    client.force_login(monde["chef"])
    assert "Rédiger une fiche" in page(client, "/fiches/")
    r = client.get("/fiches/nouvelle/")
    assert r.status_code == 302 and r.url == "/fiches/nouvelle/?territoire=1-8401"
    assert "Nouvelle fiche-action pour 8401" in page(client, client.get(r.url).url)


def test_rediger_une_fiche_fait_choisir_parmi_ses_territoires(client, monde):
    chef = monde["chef"]
    Designation.objects.create(
        personne=chef.personne,
        role=Role.CHEF_PROJET,
        territoire=monde["t8408"],
        date_debut=date(2019, 1, 1),
    )
    client.force_login(chef)
    vu = page(client, "/fiches/nouvelle/")
    assert "Vous pouvez rédiger une fiche pour 2 territoires" in vu
    assert "8401" in vu and "8408" in vu
    r = client.get("/fiches/nouvelle/", {"territoire": "1-8408"})
    assert "Nouvelle fiche-action pour 8408" in page(client, r.url)


def test_rediger_une_fiche_n_est_pas_offert_a_qui_ne_peut_pas(client, monde):
    client.force_login(monde["national"])
    assert "Rédiger une fiche" not in page(client, "/fiches/")
    assert client.get("/fiches/nouvelle/").status_code == 404
    assert "Rédiger une fiche" not in page(client, "/territoires/1/8401/")


def test_la_page_du_territoire_mene_a_ses_fiches_instances_et_contrat(client, monde):
    c = Comite.objects.create(
        type=TypeComite.COMITE_LOCAL, nom="Comité de projet 8401", territoire=monde["t8401"]
    )
    client.force_login(monde["chef"])
    html = client.get("/territoires/1/8401/").content.decode()
    vu = texte(html)
    assert "Rédiger une fiche pour ce territoire" in vu
    assert 'href="/fiches/nouvelle/?territoire=1-8401"' in html
    assert f'href="/gouvernance/comites/{c.pk}/"' in html
    assert 'href="/territoires/1/8401/contrat/"' in html
    assert 'href="/fiches/?territoire=1-8401"' in html
    client.force_login(monde["chef8408"])
    assert "Rédiger une fiche pour ce territoire" not in page(client, "/territoires/1/8401/")


def test_la_decision_d_un_financeur_n_a_pas_de_valeur_par_defaut(client, monde):
    w = monde
    fiche = creer(w, lignes=[ligne(w)])
    jusqu_a_l_instruction(w, fiche)
    [li] = fiche.lignes.all()
    client.force_login(w["bpifrance"])
    html = client.get(f"/fiches/{fiche.uuid}/").content.decode()
    choix = re.search(r'<select[^>]*name="statut"[^>]*>(.*?)</select>', html, re.S).group(1)
    # The only preselected option is the empty prompt: nothing is granted by default.
    assert re.findall(r"<option[^>]*selected[^>]*>([^<]*)<", choix) == ["Choisir"]
    r = client.post(
        f"/fiches/{fiche.uuid}/decision-ligne/", {"ligne": li.pk, "date_effet": "2020-04-01"}
    )
    assert "Choisissez la décision : accordé ou refusé." in page(client, r.url.split("#")[0])
    li.refresh_from_db()
    assert li.statut == StatutLigne.DEMANDE


def test_soumettre_une_fiche_dont_les_lignes_ne_couvrent_pas_le_cout_le_dit(client, monde):
    w = monde
    fiche = creer(w, lignes=[ligne(w, "120000")], cout_total=Decimal("200000"))
    client.force_login(w["chef"])
    vu = page(client, f"/fiches/{fiche.uuid}/mouvement/soumettre/")
    assert "Avant de soumettre : les contrôles de la fiche" in vu
    assert "Les lignes du plan de financement ne couvrent pas le coût total de la fiche." in vu
    assert "Écart : -80 000 €" in vu


def test_soumettre_une_fiche_equilibree_ne_montre_aucune_anomalie(client, monde):
    w = monde
    fiche = creer(w, lignes=[ligne(w, "200000")], cout_total=Decimal("200000"))
    client.force_login(w["chef"])
    vu = page(client, f"/fiches/{fiche.uuid}/mouvement/soumettre/")
    assert "Aucune anomalie relevée" in vu
    assert "ne couvrent pas" not in vu


def test_la_recherche_de_la_liste_trouve_comme_celle_du_site_sans_mot_secret(client):
    """The list finds a fiche by a word of its description, its accents folded, by the word's
    beginning; never by a word of a field the carrier made secret."""
    from comptes.secrets import champs_secrets_admis
    from fiches.tests.fabriques import equipe, fiche

    p = equipe()
    ouverte = fiche(p["chef"], titre="Atelier commun", description="Récupération de chaleur fatale")
    ouverte.champs_secrets = champs_secrets_admis(FicheAction, ["cout_total"])
    ouverte.save()
    cachee = fiche(p["chef"], titre="Banc secret", description="Procédé cryogénique breveté")
    assert "description" in cachee.champs_secrets
    client.force_login(p["national"])
    assert ouverte.titre in page(client, "/fiches/", q="recuperation")
    assert ouverte.titre in page(client, "/fiches/", q="chal")
    assert cachee.titre not in page(client, "/fiches/", q="cryogenique")
