"""The validation path of a fiche (FAQ §4.6): who moves it, when, why, on which decision."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from comptes.enums import Role
from contrats.tests.fabriques import inscrire_par_contrat
from fiches import cycle
from fiches.enums import Avis, Etat, PhaseExecution, StatutExecution, StatutLigne
from fiches.models import Transition
from territoires.models import Decision, Instance

from .fabriques import equipe, fiche, personne

pytestmark = pytest.mark.django_db

J = timezone.localdate()


def jour(n):
    return J - timedelta(days=100 - n)


def parcours_jusqu_a_instruction(p, f):
    cycle.appliquer(user=p["chef"], fiche=f, mouvement="soumettre", date_effet=jour(0))
    cycle.appliquer(
        user=p["chef"],
        fiche=f,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
        date_effet=jour(10),
        decision_texte="Comité local du jour",
    )
    cycle.appliquer(
        user=p["pilote"],
        fiche=f,
        mouvement="avis_copil",
        avis=Avis.FAVORABLE,
        date_effet=jour(30),
        decision_texte="COPIL régional",
    )
    f.refresh_from_db()
    return f


def test_parcours_complet_du_brouillon_a_la_realisation_avec_chaque_date():
    p = equipe()
    f = parcours_jusqu_a_instruction(p, fiche(p["chef"]))
    assert f.etat == Etat.INSTRUCTION
    ligne_bpi = f.lignes.get(financeur__nom="Bpifrance")
    assert ligne_bpi.demande_le == jour(0)  # the clock of instruction starts at submission
    cycle.decider_ligne(
        user=p["bpi"], ligne=ligne_bpi, statut=StatutLigne.ACCORDE, date_effet=jour(45)
    )
    autre = f.lignes.exclude(pk=ligne_bpi.pk).get()
    # The bearer's own share: someone of the firm records it, as the funder of that line.
    dirigeant = personne("dirigeant@exemple.fr", Role.PORTEUR, organisation=f.porteur)
    cycle.decider_ligne(
        user=dirigeant, ligne=autre, statut=StatutLigne.ACCORDE, date_effet=jour(46)
    )
    cycle.appliquer(
        user=p["etat"],
        fiche=f,
        mouvement="retenir",
        date_effet=jour(50),
        decision_texte="Comité des financeurs",
    )
    # Inscribed by the signature of the contract that annexes it, the one way (FAQ §4.6).
    inscrire_par_contrat(f, redacteur=p["chef"], valideur=p["etat"], le=jour(60))
    # Paying is no decision on the line: its payments go on its commitment (financements).
    with pytest.raises(ValidationError, match="s'enregistre sur l'engagement de la ligne"):
        cycle.decider_ligne(user=p["bpi"], ligne=ligne_bpi, statut="paye", date_effet=jour(80))
    cycle.appliquer(user=p["chef"], fiche=f, mouvement="achever", date_effet=jour(90))
    f.refresh_from_db()
    assert f.etat == Etat.REALISEE and f.statut_execution == StatutExecution.TERMINE
    etapes = list(f.transitions.values_list("action", "date_effet"))
    assert etapes[:4] == [
        ("soumettre", jour(0)),
        ("avis_local", jour(10)),
        ("avis_copil", jour(30)),
        ("ligne_accorde", jour(45)),
    ]
    ligne_bpi.refresh_from_db()
    # Delays are measurable: request → decision; the line stays « accordé ».
    assert (ligne_bpi.decide_le - ligne_bpi.demande_le).days == 45
    assert ligne_bpi.statut == StatutLigne.ACCORDE


def test_a_retravailler_renvoie_au_porteur_avec_un_motif():
    p = equipe()
    f = fiche(p["chef"])
    cycle.appliquer(user=p["chef"], fiche=f, mouvement="soumettre", date_effet=jour(0))
    with pytest.raises(ValidationError, match="ce qu'il faut retravailler"):
        cycle.appliquer(
            user=p["chef"],
            fiche=f,
            mouvement="avis_local",
            avis=Avis.A_RETRAVAILLER,
            date_effet=jour(5),
            decision_texte="CL",
        )
    cycle.appliquer(
        user=p["chef"],
        fiche=f,
        mouvement="avis_local",
        avis=Avis.A_RETRAVAILLER,
        motif="Préciser le plan de financement",
        date_effet=jour(5),
        decision_texte="Comité local",
    )
    f.refresh_from_db()
    assert f.etat == Etat.BROUILLON
    assert f.transitions.last().motif == "Préciser le plan de financement"


def test_avis_defavorable_du_copil_ne_retient_pas_la_fiche():
    p = equipe()
    f = fiche(p["chef"])
    cycle.appliquer(user=p["chef"], fiche=f, mouvement="soumettre", date_effet=jour(0))
    cycle.appliquer(
        user=p["chef"],
        fiche=f,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
        date_effet=jour(1),
        decision_texte="CL",
    )
    cycle.appliquer(
        user=p["pilote"],
        fiche=f,
        mouvement="avis_copil",
        avis=Avis.DEFAVORABLE,
        date_effet=jour(2),
        decision_texte="COPIL",
    )
    f.refresh_from_db()
    assert f.etat == Etat.NON_RETENUE


def test_une_fiche_ne_s_inscrit_pas_par_elle_meme_mais_par_la_signature_du_contrat():
    p = equipe()
    f = parcours_jusqu_a_instruction(p, fiche(p["chef"]))
    for ligne in f.lignes.all():
        ligne.statut, ligne.decide_le = StatutLigne.ACCORDE, jour(40)
        ligne.save()
    cycle.appliquer(user=p["etat"], fiche=f, mouvement="retenir", decision_texte="Financeurs")
    assert "inscrire" not in cycle.mouvements_possibles(p["chef"], f)
    with pytest.raises(ValidationError) as exc:
        cycle.appliquer(user=p["chef"], fiche=f, mouvement="inscrire")
    assert exc.value.messages == [
        "« Inscrire au contrat ou à un avenant » se fait par la signature : annexez la fiche "
        "retenue au contrat ou à un avenant, elle est inscrite à la dernière signature "
        "(FAQ §4.6)."
    ]
    f.refresh_from_db()
    assert f.etat == Etat.RETENUE and not f.transitions.filter(action="inscrire").exists()


def test_mouvement_illegal_refuse_en_francais_sans_rien_changer():
    p = equipe()
    f = fiche(p["chef"])
    with pytest.raises(ValidationError) as exc:
        cycle.appliquer(user=p["etat"], fiche=f, mouvement="retenir", decision_texte="x")
    assert (
        "« Retenir la fiche » est impossible : la fiche est à l'état « Brouillon »"
        in exc.value.messages[0]
    )
    f.refresh_from_db()
    assert f.etat == Etat.BROUILLON and not Transition.objects.filter(fiche=f).exists()


def test_seul_le_role_prevu_fait_chaque_mouvement():
    p = equipe()
    f = fiche(p["chef"])
    with pytest.raises(PermissionDenied):
        cycle.appliquer(user=p["chef8408"], fiche=f, mouvement="soumettre")
    cycle.appliquer(user=p["chef"], fiche=f, mouvement="soumettre", date_effet=jour(0))
    with pytest.raises(PermissionDenied):  # the COPIL opinion is the Région's
        cycle.appliquer(
            user=p["national"],
            fiche=f,
            mouvement="avis_local",
            avis=Avis.FAVORABLE,
            decision_texte="x",
        )
    cycle.appliquer(
        user=p["chef"],
        fiche=f,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
        date_effet=jour(1),
        decision_texte="CL",
    )
    with pytest.raises(PermissionDenied):
        cycle.appliquer(
            user=p["chef"], fiche=f, mouvement="avis_copil", avis=Avis.FAVORABLE, decision_texte="x"
        )
    f.refresh_from_db()
    assert cycle.mouvements_possibles(p["pilote"], f) == ["avis_copil"]
    assert cycle.mouvements_possibles(p["chef"], f) == []


def test_avis_d_un_comite_repose_sur_une_decision():
    p = equipe()
    f = fiche(p["chef"])
    cycle.appliquer(user=p["chef"], fiche=f, mouvement="soumettre", date_effet=jour(0))
    with pytest.raises(ValidationError, match="repose sur une décision"):
        cycle.appliquer(user=p["chef"], fiche=f, mouvement="avis_local", avis=Avis.FAVORABLE)
    t = cycle.appliquer(
        user=p["chef"],
        fiche=f,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
        date_effet=jour(3),
        decision_texte="Comité local du 3",
    )
    assert t.decision.instance == "comite_local" and t.decision.date == jour(3)
    assert Decision.objects.filter(pk=t.decision_id).exists()


def test_date_dans_le_futur_ou_avant_le_dernier_mouvement_refusee():
    p = equipe()
    f = fiche(p["chef"])
    with pytest.raises(ValidationError, match="futur"):
        cycle.appliquer(
            user=p["chef"], fiche=f, mouvement="soumettre", date_effet=J + timedelta(days=1)
        )
    cycle.appliquer(user=p["chef"], fiche=f, mouvement="soumettre", date_effet=jour(10))
    with pytest.raises(ValidationError, match="précède le dernier mouvement"):
        cycle.appliquer(
            user=p["chef"],
            fiche=f,
            mouvement="avis_local",
            avis=Avis.FAVORABLE,
            date_effet=jour(5),
            decision_texte="CL",
        )


def test_seul_le_financeur_se_prononce_sur_sa_ligne():
    p = equipe()
    f = parcours_jusqu_a_instruction(p, fiche(p["chef"]))
    ligne = f.lignes.get(financeur__nom="Bpifrance")
    for intrus in ("chef", "national", "chef8408"):
        with pytest.raises(PermissionDenied):
            cycle.decider_ligne(user=p[intrus], ligne=ligne, statut=StatutLigne.ACCORDE)
    cycle.decider_ligne(user=p["bpi"], ligne=ligne, statut=StatutLigne.REFUSE, date_effet=jour(40))
    ligne.refresh_from_db()
    assert ligne.statut == StatutLigne.REFUSE and ligne.decide_le == jour(40)


def test_retenir_exige_que_chaque_financeur_se_soit_prononce():
    p = equipe()
    f = parcours_jusqu_a_instruction(p, fiche(p["chef"]))
    with pytest.raises(ValidationError, match="Chaque financeur"):
        cycle.appliquer(user=p["etat"], fiche=f, mouvement="retenir", decision_texte="x")


def test_en_retard_deduit_du_calendrier():
    p = equipe()
    f = fiche(p["chef"], date_debut=date(2020, 1, 1), date_fin=date(2021, 1, 1))
    f.etat, f.statut_execution, f.phase_execution = (
        Etat.INSCRITE,
        StatutExecution.EN_COURS,
        PhaseExecution.OPERATION,
    )
    assert f.statut_execution_derive(date(2020, 6, 1)) == StatutExecution.EN_COURS
    assert f.statut_execution_derive(date(2021, 6, 1)) == StatutExecution.EN_RETARD
    f.statut_execution = StatutExecution.EN_PAUSE
    assert f.statut_execution_derive(date(2021, 6, 1)) == StatutExecution.EN_PAUSE


def test_suivi_d_execution_aux_valeurs_du_schema_projets_territoire():
    assert [v for v, _ in PhaseExecution.choices] == ["Idée", "Étude", "Opération"]
    assert [v for v, _ in StatutExecution.choices] == [
        "En cours",
        "En retard",
        "En pause",
        "Bloqué",
        "Abandonné",
        "Terminé",
    ]


# --- A committee's move rests on a decision of that committee, whatever the path -------------


def _soumise(p):
    f = fiche(p["chef"])
    cycle.appliquer(user=p["chef"], fiche=f, mouvement="soumettre", date_effet=jour(0))
    return f


def test_la_decision_d_une_autre_instance_est_refusee_par_le_cycle_lui_meme():
    p = equipe()
    f = _soumise(p)
    copil = Decision.objects.create(
        date=jour(5), instance=Instance.COPIL_REGIONAL, region_id="84", intitule="COPIL"
    )
    with pytest.raises(ValidationError) as exc:
        cycle.appliquer(
            user=p["chef"],
            fiche=f,
            mouvement="avis_local",
            avis=Avis.FAVORABLE,
            date_effet=jour(5),
            decision=copil,
        )
    assert exc.value.messages == [
        "« Avis du comité de projet local » relève du comité de projet local, pas du comité "
        "de pilotage régional."
    ]
    f.refresh_from_db()
    assert f.etat == Etat.SOUMISE and not f.transitions.filter(action="avis_local").exists()


def test_la_decision_d_un_comite_ad_hoc_ne_fait_pas_avancer_une_fiche():
    from gouvernance.enums import ObjetDecision, TypeComite
    from gouvernance.models import Comite, DecisionReunion, Reunion

    p = equipe()
    f = parcours_jusqu_a_instruction(p, fiche(p["chef"]))
    for ligne in f.lignes.all():
        ligne.statut, ligne.decide_le = StatutLigne.ACCORDE, jour(40)
        ligne.save()
    financeurs = Comite.objects.create(
        type=TypeComite.COMITE_FINANCEURS, nom="Comité des financeurs", region_id="84"
    )
    reunion = Reunion.objects.create(
        comite=financeurs, debut=timezone.make_aware(datetime.combine(jour(45), time(10)))
    )
    decision = Decision.objects.create(
        date=jour(45), instance=Instance.COPIL_REGIONAL, region_id="84", intitule="Financeurs"
    )
    DecisionReunion.objects.create(
        decision=decision, objet=ObjetDecision.FICHE, reunion=reunion, territoire=f.territoire
    )
    with pytest.raises(ValidationError, match="pas du comité des financeurs"):
        cycle.appliquer(
            user=p["etat"], fiche=f, mouvement="retenir", date_effet=jour(45), decision=decision
        )
    f.refresh_from_db()
    assert f.etat == Etat.INSTRUCTION


def test_la_decision_du_copil_d_une_autre_region_est_refusee():
    p = equipe()
    f = _soumise(p)
    cycle.appliquer(
        user=p["chef"],
        fiche=f,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
        date_effet=jour(5),
        decision_texte="CL",
    )
    bretagne = Decision.objects.create(
        date=jour(6), instance=Instance.COPIL_REGIONAL, region_id="53", intitule="COPIL 53"
    )
    with pytest.raises(ValidationError, match="d'une autre région"):
        cycle.appliquer(
            user=p["pilote"],
            fiche=f,
            mouvement="avis_copil",
            avis=Avis.FAVORABLE,
            date_effet=jour(6),
            decision=bretagne,
        )


def test_le_suivi_refuse_une_date_future_quel_que_soit_le_chemin():
    from contrats.tests.fabriques import retenue
    from fiches import services

    p = equipe()
    f = retenue(p)
    inscrire_par_contrat(f, redacteur=p["chef"], valideur=p["etat"])
    demain = J + timedelta(days=1)
    with pytest.raises(ValidationError, match="La date de la note ne peut pas être dans le futur"):
        services.suivre(user=p["chef"], fiche=f, texte="Plus tard", date=demain)
    indicateur = f.indicateurs.create(libelle="Emplois", unite="emplois")
    with pytest.raises(ValidationError, match="La date de la mesure ne peut pas être dans le"):
        services.mesurer(user=p["chef"], indicateur=indicateur, date=demain, valeur=3)
    assert not f.notes.exists() and not indicateur.valeurs.exists()


def test_l_historique_garde_un_libelle_pour_l_ancien_statut_paye():
    # Transitions written before the status went stay readable on the fiche's history.
    assert cycle.libelle_action("ligne_paye") == (
        "Paiement d'un financeur sur sa ligne (ancien statut « payé »)"
    )
    assert cycle.libelle_action("ligne_accorde").endswith(": accordé")
