"""The work queue, rule by rule: what waits on whom at each step of a fiche's path, the money
of its lines, signatures, meetings; only the phase in force, only what one may see."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comptes.permissions import contexte
from contrats import cycle as cycle_contrats
from contrats.tests.fabriques import contrat_pret, retenue
from fiches.tests.fabriques import fiche as fiche_phase_1
from financements.models import Ajustement, Engagement, Paiement
from gouvernance import services as gouvernance
from gouvernance.enums import NaturePoint
from notifications.file import Lecteur, Rubrique, file_de_travail, nombre_a_faire
from notifications.tests.fabriques import (
    MONTANT_BPI,
    avis_local,
    decider,
    fiche_de,
    jour,
    jusqu_a,
    monde,
    soumettre,
)
from territoires.selectors import phase_courante, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return monde()


def items(user, rubrique=None):
    return [
        (e.rubrique, e.libelle, e.intitule)
        for e in file_de_travail(user).elements
        if rubrique is None or e.rubrique == rubrique
    ]


def rubriques(user, fiche) -> set[str]:
    return {e.rubrique for e in file_de_travail(user).elements if e.objet == fiche}


def test_un_brouillon_attend_son_porteur_et_l_equipe_qui_le_soumettent(w):
    f = fiche_de(w)
    for qui in ("chef", "dirigeant"):
        [e] = file_de_travail(w[qui]).elements
        assert (e.rubrique, e.libelle) == (Rubrique.FICHES, "Soumettre au comité de projet local")
        assert e.lien == f"/fiches/{f.uuid}/"
    for qui in ("etat", "pilote", "bpi", "chef_autre", "national"):
        assert items(w[qui]) == [], qui


def test_une_fiche_soumise_attend_l_avis_du_comite_local_qu_anime_l_equipe(w):
    f = fiche_de(w)
    soumettre(w, f)
    [e] = file_de_travail(w["chef"]).elements
    assert e.libelle == "Avis du comité de projet local"
    assert e.depuis == jour(0)
    assert "anime son comité de projet local" in e.aupres_de
    # Who sits on the committee examines it; the bearer waits, and knows on whom.
    assert rubriques(w["etat"], f) == {Rubrique.EXAMEN}
    assert rubriques(w["pilote"], f) == {Rubrique.EXAMEN}
    [attente] = file_de_travail(w["dirigeant"]).elements
    assert attente.rubrique == Rubrique.ATTENTE
    assert "équipe du territoire" in attente.aupres_de
    assert file_de_travail(w["dirigeant"]).nombre == 0  # nothing is on them: not counted
    assert items(w["chef_autre"]) == items(w["bpi"]) == []


def test_retour_a_retravailler_le_dit(w):
    f = fiche_de(w)
    soumettre(w, f)
    avis_local(w, f, avis="a_retravailler", motif="Préciser le calendrier.")
    [e] = file_de_travail(w["dirigeant"]).elements
    assert e.libelle == "À retravailler, puis : soumettre au comité de projet local"
    assert e.depuis == jour(10)


def test_au_copil_la_fiche_attend_le_pilote_et_ses_membres_l_examinent(w):
    f = jusqu_a(w, fiche_de(w), "avis_local")
    [e] = file_de_travail(w["pilote"]).elements
    assert (e.rubrique, e.libelle) == (Rubrique.FICHES, "Avis du comité de pilotage régional")
    # Bpifrance sits on the COPIL of its région and sees the fiche that asks it for money.
    assert rubriques(w["bpi"], f) == {Rubrique.EXAMEN}
    assert rubriques(w["chef"], f) == {Rubrique.ATTENTE}
    assert rubriques(w["chef_autre"], f) == set()


def test_en_instruction_chaque_financeur_decide_sa_ligne_puis_l_arbitre(w):
    f = jusqu_a(w, fiche_de(w), "avis_copil")
    [ligne_bpi] = [e for e in file_de_travail(w["bpi"]).elements if e.rubrique == Rubrique.LIGNES]
    assert ligne_bpi.libelle == "Se prononcer sur la ligne de Bpifrance : accordée ou refusée"
    assert ligne_bpi.depuis == jour(0)  # the request's date: the fiche's submission
    [propre] = [
        e for e in file_de_travail(w["dirigeant"]).elements if e.rubrique == Rubrique.LIGNES
    ]
    assert propre.libelle.startswith("Se prononcer sur la ligne de Entreprise")
    # The team waits on the funders, its bearer's own line aside (it is theirs to decide).
    [attente] = file_de_travail(w["chef"]).elements
    assert attente.aupres_de == "Bpifrance, " + w["firme"].nom
    [attente] = [
        e for e in file_de_travail(w["dirigeant"]).elements if e.rubrique == Rubrique.ATTENTE
    ]
    assert attente.aupres_de == "Bpifrance"
    # Not yet on the arbiters: some funders have not spoken.
    assert rubriques(w["etat"], f) == rubriques(w["pilote"], f) == set()
    decider(w, f)
    for qui in ("etat", "pilote"):
        [e] = file_de_travail(w[qui]).elements
        assert e.libelle.startswith("Arbitrer : retenir la fiche ou non"), qui
    assert items(w["bpi"], Rubrique.LIGNES) == []


def test_une_ligne_accordee_attend_son_engagement_puis_ses_paiements(w):
    f = jusqu_a(w, fiche_de(w), "retenir")
    ligne = f.lignes.get(financeur__nom="Bpifrance")
    [e] = items(w["bpi"], Rubrique.ARGENT)
    assert e[1] == "Enregistrer l'engagement de la ligne accordée (Bpifrance)"
    # The firm's own share is not committed to itself by a convention.
    assert items(w["dirigeant"], Rubrique.ARGENT) == []
    engagement = Engagement.objects.create(
        ligne=ligne, date=jour(50), montant=MONTANT_BPI, par=w["bpi"]
    )
    [e] = file_de_travail(w["bpi"]).elements
    assert e.libelle.startswith("Enregistrer les paiements")
    assert e.depuis == jour(50)
    Paiement.objects.create(engagement=engagement, date=jour(60), montant=100_000, par=w["bpi"])
    [e] = file_de_travail(w["bpi"]).elements
    assert e.depuis == jour(60)
    # The rest is withdrawn: nothing more to pay.
    Ajustement.objects.create(
        engagement=engagement,
        nature="reduction",
        date=jour(70),
        montant=MONTANT_BPI - 100_000,
        motif="Dépenses moindres.",
        par=w["bpi"],
    )
    assert items(w["bpi"]) == []


def test_la_file_ne_montre_aucun_montant(w, client):
    f = jusqu_a(w, fiche_de(w), "avis_copil")
    client.force_login(w["dirigeant"])
    html = client.get("/travail/").content.decode()
    assert f.reference in html
    for montant in ("987654", "987 654", "987\u202f654", "123456", "123 456", "123\u202f456"):
        assert montant not in html


def test_une_signature_attendue_et_les_signatures_a_recueillir(w):
    p = {"chef": w["chef"], "pilote": w["pilote"], "bpi": w["bpi"]}
    c = contrat_pret(p, t=w["t"], chef=w["chef"])
    assert items(w["pilote"], Rubrique.SIGNATURES) == []  # a draft is not signed yet
    cycle_contrats.valider(user=w["pilote"], document=c, date=today())
    # The Région's pilot speaks for its president, the State's referent for the préfet.
    [e] = file_de_travail(w["pilote"]).elements
    assert (e.rubrique, e.libelle) == (Rubrique.SIGNATURES, "Signer le document")
    assert e.lien == f"/contrats/contrat/{c.pk}/"
    signer_etat = [
        e for e in file_de_travail(w["etat"]).elements if e.libelle == "Signer le document"
    ]
    assert [e.aupres_de for e in signer_etat] == ["Préfète de l'Ardèche, Préfète"]
    # The team collects them and records each one.
    [e] = items(w["chef"], Rubrique.SIGNATURES)
    assert e[1].startswith("Recueillir et enregistrer les signatures (0 sur ")
    region = c.signataires.get(nature="president_region")
    cycle_contrats.signer(user=w["chef"], signataire=region, date=today())
    assert items(w["pilote"], Rubrique.SIGNATURES) == []
    assert items(w["chef_autre"]) == []


def test_les_reunions_a_preparer_et_les_comptes_rendus_a_rediger(w):
    demain = timezone.now() + timedelta(days=1)
    r = gouvernance.planifier_reunion(user=w["chef"], comite=w["local"], debut=demain)
    [e] = file_de_travail(w["chef"]).elements
    assert e.libelle == "Préparer la réunion"
    assert e.detail == "Ordre du jour vide ; aucun participant invité"
    gouvernance.ajouter_point(
        user=w["chef"], reunion=r, nature=NaturePoint.INFORMATION, intitule="Bilan"
    )
    [e] = file_de_travail(w["chef"]).elements
    assert e.detail.startswith("Ordre du jour 1 point ;")
    passee = gouvernance.planifier_reunion(
        user=w["pilote"], comite=w["copil"], debut=timezone.now() - timedelta(days=3)
    )
    [e] = file_de_travail(w["pilote"]).elements
    assert (e.libelle, e.objet) == ("Rédiger le compte rendu", passee)
    gouvernance.rediger_compte_rendu(user=w["pilote"], reunion=passee, texte="Fait.")
    assert items(w["pilote"]) == []
    # Members do not prepare the meetings of a body they do not run.
    assert items(w["etat"]) == items(w["chef_autre"]) == []


def test_une_phase_close_ne_laisse_rien_a_faire():
    from fiches.tests.fabriques import equipe

    p = equipe()  # people of 8401, phase 1
    fiche_phase_1(p["chef"])
    assert phase_courante().numero == 2
    assert items(p["chef"]) == []


def test_le_contexte_lu_d_un_coup_est_celui_de_la_fiche(w):
    f = jusqu_a(w, fiche_de(w), "avis_copil")
    lecteur = Lecteur(user=w["chef"], p=None, phase=None, maintenant=None, aujourdhui=today())
    lecteur.demander_regions([f.territoire_id])
    lecteur.lire_regions()
    assert lecteur.contexte_fiche(f) == contexte(f)
    ligne = f.lignes.first()
    assert ligne.contexte_acces(lecteur.contexte_fiche(f)) == contexte(ligne)


def test_la_file_en_nombre_constant_de_requetes(w):
    def requetes(n: int) -> list[int]:
        for i in range(n):
            jusqu_a(w, fiche_de(w, titre=f"Action {i}"), "avis_copil")
            jusqu_a(w, fiche_de(w, titre=f"Projet {i}"), "avis_local")
            retenue(
                {"chef": w["chef"], "pilote": w["pilote"], "bpi": w["bpi"]},
                t=w["t"],
                chef=w["chef"],
                n=10 + i,
            )
        comptes = []
        for qui in ("bpi", "chef", "pilote"):
            user = type(w[qui]).objects.get(pk=w[qui].pk)  # its scope read afresh
            with CaptureQueriesContext(connection) as ctx:
                f = file_de_travail(user)
            assert len(f.elements) >= n, qui
            comptes.append(len(ctx))
        return comptes

    assert requetes(1) == requetes(5)


def test_le_nombre_du_menu_est_celui_de_la_file_entiere(w):
    """Counted alone (the menu), the number is the queue's, whoever asks: team, State,
    pilot, funder, bearer, national, at every step of the path, with money, signatures and
    meetings waiting."""
    p = {"chef": w["chef"], "pilote": w["pilote"], "bpi": w["bpi"]}
    fiche_de(w, titre="Brouillon")
    jusqu_a(w, fiche_de(w, titre="Soumise"), "avis_local")
    jusqu_a(w, fiche_de(w, titre="Au COPIL"), "avis_copil")
    decider(w, jusqu_a(w, fiche_de(w, titre="Décidée"), "avis_copil"))
    retenue_ = jusqu_a(w, fiche_de(w, titre="Retenue"), "retenir")
    Engagement.objects.create(
        ligne=retenue_.lignes.get(financeur__nom="Bpifrance"),
        date=jour(50),
        montant=MONTANT_BPI,
        par=w["bpi"],
    )
    jusqu_a(w, fiche_de(w, titre="À engager"), "retenir")
    retenue(p, t=w["t"], chef=w["chef"], n=30)
    cycle_contrats.valider(
        user=w["pilote"], document=contrat_pret(p, t=w["t"], chef=w["chef"]), date=today()
    )
    gouvernance.planifier_reunion(
        user=w["chef"], comite=w["local"], debut=timezone.now() + timedelta(days=1)
    )
    gouvernance.planifier_reunion(
        user=w["pilote"], comite=w["copil"], debut=timezone.now() - timedelta(days=3)
    )
    nombres = {}
    for qui in ("chef", "etat", "pilote", "bpi", "dirigeant", "chef_autre", "national"):
        user = type(w[qui]).objects.get(pk=w[qui].pk)
        nombres[qui] = nombre_a_faire(user)
        assert nombres[qui] == file_de_travail(user).nombre, qui
    assert {qui for qui, n in nombres.items() if n} >= {"chef", "etat", "pilote", "bpi"}
