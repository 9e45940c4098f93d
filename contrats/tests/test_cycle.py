"""Contracts, avenants and protocols (FAQ §4.2, §4.3, §4.5, §4.6): each rule by its name."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contrats import cycle, services
from contrats.enums import EtatDocument, NatureSignataire
from fiches.enums import Etat
from referentiel.models import Region
from territoires.models import Instance, Territoire
from territoires.selectors import filtrer, vue_territoire, vues_territoires

from .fabriques import (
    J,
    accords_de_tous,
    contrat_pret,
    equipe,
    personne,
    presentee_sans_montant,
    retenue,
    signer_tout,
    territoire,
)

pytestmark = pytest.mark.django_db


def test_seule_une_fiche_retenue_entre_au_contrat():
    from fiches.tests.fabriques import fiche

    p = equipe()
    c = contrat_pret(p)
    brouillon = fiche(p["chef"], titre="Pas encore mûre")
    with pytest.raises(ValidationError, match="Seules les fiches retenues entrent au contrat"):
        cycle.annexer(user=p["chef"], document=c, fiche=brouillon)
    autre = retenue(p, code="8408", n=2, titre="Fiche de 8408")
    with pytest.raises(ValidationError, match="pas une fiche du territoire"):
        cycle.annexer(user=p["chef"], document=c, fiche=autre)


def test_une_fiche_n_est_annexee_qu_une_fois():
    p = equipe()
    f = retenue(p)
    c = contrat_pret(p, fiches=[f])
    with pytest.raises(ValidationError, match="déjà annexée"):
        cycle.annexer(user=p["chef"], document=c, fiche=f)


def test_la_signature_inscrit_les_fiches_sur_la_decision_de_validation():
    p = equipe()
    f = retenue(p)
    c = contrat_pret(p, fiches=[f])
    decision = cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=5))
    f.refresh_from_db()
    assert f.etat == Etat.RETENUE  # validated, not yet signed
    signer_tout(p, c, date=J - timedelta(days=2))
    f.refresh_from_db()
    assert f.etat == Etat.INSCRITE
    t = f.transitions.get(action="inscrire")
    assert t.decision == decision and t.date_effet == J - timedelta(days=2)
    assert c.titre in t.motif


def test_validation_par_le_copil_regional_ou_sans_reunion_par_l_accord_de_la_region():
    p = equipe()
    c = contrat_pret(p)
    d = cycle.valider(
        user=p["etat"],
        document=c,
        reunion=False,
        texte="Accord écrit du 2 mai.",
        accords=accords_de_tous(c),
    )
    assert d.instance == Instance.COPIL_REGIONAL and d.region_id == "84"
    assert "sans réunion" in d.texte and "accord de la Région et des parties" in d.texte
    assert cycle.sans_reunion(d)
    c.refresh_from_db()
    assert c.etat == EtatDocument.VALIDE
    with pytest.raises(ValidationError, match="déjà validé"):
        cycle.valider(user=p["pilote"], document=c)


def test_l_equipe_redige_l_etat_et_la_region_valident():
    p = equipe()
    c = contrat_pret(p)
    for qui in ("chef", "bpi", "chef8408", "national"):
        with pytest.raises(PermissionDenied):
            cycle.valider(user=p[qui], document=c)
    for qui in ("etat", "pilote", "bpi"):
        with pytest.raises(PermissionDenied):
            services.modifier(user=p[qui], document=c, donnees={"enjeux": "x"})
    services.modifier(user=p["chef"], document=c, donnees={"enjeux": "Nouveaux enjeux"})
    cycle.valider(user=p["pilote"], document=c)


def test_le_contrat_exige_le_president_de_chaque_region_l_etat_et_les_presidents_d_epci():
    p = equipe()
    t = territoire("8401")
    epcis = [e.siren for e in vue_territoire(t).epcis]
    c = services.creer_contrat(user=p["chef"], territoire=t, donnees={}, epcis=epcis)
    cycle.annexer(user=p["chef"], document=c, fiche=retenue(p))
    manque = cycle.signataires_requis(c)
    assert manque[0] == "le président de la région Auvergne-Rhône-Alpes"
    assert "l'État (le préfet ou, exceptionnellement, un ministre)" in manque
    assert len([m for m in manque if m.startswith("le président de ")]) == 1 + len(epcis)
    with pytest.raises(ValidationError, match="Signataires manquants"):
        cycle.valider(user=p["pilote"], document=c)
    # A minister may sign for the State (exceptionally, with the reason), an industrial too.
    services.ajouter_signataire(
        user=p["chef"],
        document=c,
        nature=NatureSignataire.MINISTRE,
        nom="Le ministre",
        qualite="Ministre de l'Industrie",
        motif_ministre="Déplacement du ministre sur le territoire.",
    )
    assert not any("l'État" in m for m in cycle.signataires_requis(c))


def test_un_territoire_interregional_fait_signer_chaque_region():
    p = equipe()
    vue = filtrer(vues_territoires(phase=1, avec_epcis=False), interregional=True)[0]
    t = Territoire.objects.get(pk=vue.territoire.pk)
    chef = personne("chef-inter@exemple.fr", "chef_projet", territoire=t)
    c = services.creer_contrat(
        user=chef,
        territoire=t,
        donnees={},
        epcis=[vue_territoire(t).epcis[0].siren],
    )
    manque = cycle.signataires_requis(c)
    regions = [m for m in manque if m.startswith("le président de la région")]
    assert len(regions) == len(vue.regions) >= 2
    assert p  # the team of 8401 is not involved


def test_le_contrat_est_signe_quand_tous_ses_signataires_ont_signe():
    p = equipe()
    c = contrat_pret(p)
    with pytest.raises(ValidationError, match="pas encore validé"):
        cycle.signer(user=p["chef"], signataire=c.signataires.first(), date=J)
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=10))
    premier, *autres = list(c.signataires.all())
    cycle.signer(user=p["etat"], signataire=premier, date=J - timedelta(days=9))
    c.refresh_from_db()
    assert c.etat == EtatDocument.VALIDE and c.date_signature is None
    for i, s in enumerate(autres):
        cycle.signer(user=p["chef"], signataire=s, date=J - timedelta(days=8 - i % 3))
    c.refresh_from_db()
    assert c.etat == EtatDocument.SIGNE
    assert c.date_signature == max(c.signataires.values_list("signe_le", flat=True))


def test_chaque_signature_est_datee_apres_la_validation_et_pas_dans_le_futur():
    p = equipe()
    c = contrat_pret(p)
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=3))
    s = c.signataires.first()
    with pytest.raises(ValidationError, match="futur"):
        cycle.signer(user=p["chef"], signataire=s, date=J + timedelta(days=1))
    with pytest.raises(ValidationError, match="précéder la validation"):
        cycle.signer(user=p["chef"], signataire=s, date=J - timedelta(days=4))
    with pytest.raises(ValidationError, match="datée"):
        cycle.signer(user=p["chef"], signataire=s, date=None)
    with pytest.raises(PermissionDenied):
        cycle.signer(user=p["bpi"], signataire=s, date=J)
    cycle.signer(user=p["chef"], signataire=s, date=J)
    with pytest.raises(ValidationError, match="déjà signé"):
        cycle.signer(user=p["chef"], signataire=s, date=J)


def test_un_document_valide_ne_se_modifie_plus():
    p = equipe()
    c = contrat_pret(p)
    cycle.valider(user=p["pilote"], document=c)
    with pytest.raises(ValidationError, match="ne se modifie plus"):
        services.modifier(user=p["chef"], document=c, donnees={"enjeux": "x"})
    with pytest.raises(ValidationError, match="par un avenant"):
        cycle.annexer(user=p["chef"], document=c, fiche=retenue(p, n=3, titre="Autre"))


def test_le_contrat_peut_commencer_par_quelques_epci_et_un_avenant_ajoute_les_autres():
    p = equipe()
    t = territoire("8401")
    tous = [e.siren for e in vue_territoire(t).epcis]
    c = contrat_pret(p, nb_epcis=1)
    assert list(c.epcis.values_list("siren", flat=True)) == tous[:1]
    with pytest.raises(ValidationError, match="contrat signé"):
        services.creer_avenant(user=p["chef"], contrat=c, objet="Trop tôt")
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=30))
    signer_tout(p, c, date=J - timedelta(days=20))
    with pytest.raises(ValidationError, match="déjà couverte"):
        services.creer_avenant(user=p["chef"], contrat=c, epcis=tous[:1])
    a = services.creer_avenant(user=p["chef"], contrat=c, objet="Deuxième vague", epcis=tous[1:2])
    assert a.numero == 1
    f = retenue(p, n=4, titre="Fiche de l'avenant")
    cycle.annexer(user=p["chef"], document=a, fiche=f)
    # The avenant needs the president of the EPCI it adds, the Région and the State.
    manque = cycle.signataires_requis(a)
    assert any(m.startswith("le président de la région") for m in manque)
    assert len(manque) == 3
    from .fabriques import signataires_requis

    signataires_requis(p["chef"], a, t)
    cycle.valider(user=p["etat"], document=a, date=J - timedelta(days=10))
    signer_tout(p, a, date=J - timedelta(days=5))
    f.refresh_from_db()
    assert f.etat == Etat.INSCRITE and f.annexe_contrat.get().avenant == a
    assert services.epcis_couverts(c) == set(tous[:2])
    deux = services.creer_avenant(user=p["chef"], contrat=c, objet="Troisième vague")
    assert deux.numero == 2


def test_un_avenant_modifie_une_fiche_deja_inscrite():
    p = equipe()
    f = retenue(p)
    c = contrat_pret(p, fiches=[f])
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=30))
    signer_tout(p, c, date=J - timedelta(days=20))
    a = services.creer_avenant(user=p["chef"], contrat=c, objet="Calendrier")
    services.modifier_fiche_par_avenant(
        user=p["chef"], avenant=a, fiche=f, objet="Fin prévue reportée à 2022."
    )
    autre = retenue(p, n=5, titre="Pas inscrite")
    with pytest.raises(ValidationError, match="déjà inscrite"):
        services.modifier_fiche_par_avenant(user=p["chef"], avenant=a, fiche=autre, objet="x")


def test_une_intercommunalite_hors_du_territoire_est_refusee():
    p = equipe()
    autre = vue_territoire(territoire("8408")).epcis[0].siren
    with pytest.raises(ValidationError, match="ne fait pas partie du territoire"):
        services.creer_contrat(
            user=p["chef"], territoire=territoire("8401"), donnees={}, epcis=[autre]
        )
    with pytest.raises(ValidationError, match="au moins une intercommunalité"):
        services.creer_contrat(user=p["chef"], territoire=territoire("8401"), donnees={}, epcis=[])


def test_un_protocole_refuse_les_montants_en_annexe():
    p = equipe()
    t = territoire("8401")
    proto = services.creer_protocole(user=p["chef"], territoire=t, donnees={"ambitions": "A"})
    f = presentee_sans_montant(p)
    with pytest.raises(ValidationError, match="n'engage pas financièrement") as exc:
        services.annexer_au_protocole(
            user=p["chef"],
            protocole=proto,
            fiche=f,
            lignes=[{"financeur": "Bpifrance", "montant": 60000}],
        )
    assert "aucune mention financière" in exc.value.messages[0]
    for resume in ("Aide de 150 000 €", "Budget : 2 M€", "30000 euros", "12 EUR demandés"):
        with pytest.raises(ValidationError, match="Retirez le montant"):
            services.annexer_au_protocole(user=p["chef"], protocole=proto, fiche=f, resume=resume)
    a = services.annexer_au_protocole(
        user=p["chef"], protocole=proto, fiche=f, resume="Première fiche, 3 entreprises."
    )
    assert a.fiche == f
    f.refresh_from_db()
    assert f.etat == Etat.SOUMISE  # a protocol inscribes nothing


def test_un_protocole_a_des_signataires_libres_et_se_signe_sans_validation():
    p = equipe()
    proto = services.creer_protocole(user=p["chef"], territoire=territoire("8401"), donnees={})
    assert cycle.signataires_requis(proto) == ["au moins un signataire"]
    s = services.ajouter_signataire(
        user=p["chef"],
        document=proto,
        nature=NatureSignataire.PAYS_PETR,
        nom="Président du PETR",
        qualite="Président",
    )
    assert cycle.signataires_requis(proto) == []
    cycle.signer(user=p["chef"], signataire=s, date=J)
    proto.refresh_from_db()
    assert proto.etat == EtatDocument.SIGNE


def test_la_decision_du_copil_regional_en_reunion_valide_le_contrat():
    from gouvernance import services as gouvernance
    from gouvernance.enums import NaturePoint, ObjetDecision
    from gouvernance.tests.fabriques import reunion_passee

    p = equipe()
    c = contrat_pret(p)
    copil = gouvernance.copil_regional(Region.objects.get(code="84"))
    reunion = reunion_passee(p["pilote"], copil, jour=(2020, 5, 4))
    point = gouvernance.ajouter_point(
        user=p["pilote"], reunion=reunion, nature=NaturePoint.CONTRAT, territoire=territoire("8401")
    )
    lien = gouvernance.decider(
        user=p["pilote"],
        reunion=reunion,
        point=point,
        objet=ObjetDecision.CONTRAT,
        texte="Contrat validé.",
    )
    d = cycle.valider_en_reunion(user=p["pilote"], document=c, lien=lien)
    c.refresh_from_db()
    assert c.etat == EtatDocument.VALIDE and c.validation == lien.decision == d
    assert d.date == reunion.date and not cycle.sans_reunion(d)
    # One decision validates one document only.
    with pytest.raises(ValidationError, match="déjà validé"):
        cycle.valider_en_reunion(user=p["pilote"], document=c, lien=lien)


def test_une_decision_sur_le_contrat_d_un_autre_territoire_ne_le_valide_pas():
    from gouvernance import services as gouvernance
    from gouvernance.enums import NaturePoint, ObjetDecision
    from gouvernance.tests.fabriques import reunion_passee

    p = equipe()
    c = contrat_pret(p)
    copil = gouvernance.copil_regional(Region.objects.get(code="84"))
    reunion = reunion_passee(p["pilote"], copil, jour=(2020, 5, 4))
    point = gouvernance.ajouter_point(
        user=p["pilote"], reunion=reunion, nature=NaturePoint.CONTRAT, territoire=territoire("8408")
    )
    lien = gouvernance.decider(
        user=p["pilote"], reunion=reunion, point=point, objet=ObjetDecision.CONTRAT
    )
    with pytest.raises(ValidationError, match="autre territoire"):
        cycle.valider_en_reunion(user=p["pilote"], document=c, lien=lien)
    c.refresh_from_db()
    assert c.etat != EtatDocument.VALIDE


def test_seul_le_copil_regional_met_un_contrat_a_son_ordre_du_jour():
    from gouvernance import services as gouvernance
    from gouvernance.enums import NaturePoint
    from gouvernance.tests.fabriques import reunion_passee

    p = equipe()
    local = gouvernance.comite_local(territoire("8401"))
    reunion = reunion_passee(p["chef"], local)
    with pytest.raises(ValidationError, match="revient au COPIL régional"):
        gouvernance.ajouter_point(
            user=p["chef"],
            reunion=reunion,
            nature=NaturePoint.CONTRAT,
            territoire=territoire("8401"),
        )
