"""Rules of governance: bodies, meetings, decisions and what they drive (FAQ §2.3, §3, §4.2)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from comptes.enums import Role, TypeOrganisation
from comptes.models import Designation, Organisation, Personne
from gouvernance import demandes, services
from gouvernance.enums import EtatDemande, NatureDemande, NaturePoint, ObjetDecision
from gouvernance.models import Comite, DecisionReunion
from gouvernance.permissions import peut_animer
from referentiel.models import EPCI, Region
from territoires.models import Instance, Territoire
from territoires.selectors import vue_territoire, vues_territoires

from .fabriques import gens, reunion_passee, territoire

pytestmark = pytest.mark.django_db


@pytest.fixture
def g():
    return gens()


def _interregional() -> Territoire:
    return next(
        v.territoire for v in vues_territoires(date(2019, 6, 1), phase=1) if v.interregional
    )


# --- Bodies -------------------------------------------------------------------------------------


def test_le_comite_local_d_un_territoire_interregional_associe_chaque_region_concernee():
    t = _interregional()
    comite = services.comite_local(t)
    regions = vue_territoire(t).regions
    assert len(regions) > 1
    assert comite.regions_concernees() == regions
    assert comite.contexte_acces().regions == set(regions)


def test_le_comite_local_invite_les_regions_d_un_territoire_interregional(g):
    t = _interregional()
    orgs = [
        Organisation.objects.create(nom=f"Région {r}", type=TypeOrganisation.REGION, region_id=r)
        for r in vue_territoire(t).regions
    ]
    from comptes.tests.fabriques import personne

    chef = personne("chef-inter@exemple.fr", Role.CHEF_PROJET, territoire=t)
    r = reunion_passee(chef, services.comite_local(t))
    assert {p.organisation for p in r.participants.all()} == set(orgs)


def test_un_seul_comite_local_par_territoire_et_un_copil_par_region():
    t = territoire("8401")
    assert services.comite_local(t) == services.comite_local(t)
    region = Region.objects.get(code="84")
    assert services.copil_regional(region) == services.copil_regional(region)
    assert services.copil_regional(region).type == "copil_regional"


# --- Who animates -------------------------------------------------------------------------------


def test_l_equipe_du_territoire_anime_son_comite_local_et_pas_celui_d_un_autre(g):
    c1 = services.comite_local(territoire("8401"))
    assert peut_animer(g["chef"], c1)
    assert not peut_animer(g["chef8408"], c1)
    assert not peut_animer(g["etat"], c1)  # the State référent takes part, the team runs it
    with pytest.raises(PermissionDenied):
        reunion_passee(g["chef8408"], c1)


def test_le_copil_regional_est_preside_par_la_region(g):
    copil = services.copil_regional(Region.objects.get(code="84"))
    assert peut_animer(g["pilote"], copil)
    assert not peut_animer(g["pilote_autre"], copil)
    assert not peut_animer(g["chef"], copil)
    assert not peut_animer(g["national"], copil)


def test_la_delegation_nationale_anime_le_copil_national_et_le_cni(g):
    assert peut_animer(g["national"], services.copil_national())
    assert peut_animer(g["national"], services.cni())
    assert not peut_animer(g["pilote"], services.copil_national())


# --- Decisions in a meeting ---------------------------------------------------------------------


def test_une_decision_est_datee_du_jour_de_la_reunion_et_rattachee_a_son_point(g):
    r = reunion_passee(g["chef"], services.comite_local(territoire("8401")))
    p = services.ajouter_point(
        user=g["chef"], reunion=r, nature=NaturePoint.INFORMATION, intitule="Feuille de route"
    )
    lien = services.decider(
        user=g["chef"], reunion=r, point=p, objet=ObjetDecision.AUTRE, texte="Adoptée."
    )
    assert lien.decision.date == date(2020, 2, 3)
    assert lien.decision.instance == Instance.COMITE_LOCAL
    assert lien.reunion == r and lien.point == p and not lien.hors_reunion
    with pytest.raises(ValidationError, match="déjà été prise"):
        services.decider(user=g["chef"], reunion=r, point=p, objet=ObjetDecision.AUTRE)


def test_pas_de_decision_pour_une_reunion_qui_n_a_pas_encore_eu_lieu(g):
    r = reunion_passee(g["chef"], services.comite_local(territoire("8401")), jour=(2099, 1, 5))
    p = services.ajouter_point(
        user=g["chef"], reunion=r, nature=NaturePoint.INFORMATION, intitule="Point"
    )
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.decider(user=g["chef"], reunion=r, point=p, objet=ObjetDecision.AUTRE)


def test_l_avis_du_comite_local_sur_une_fiche_passe_par_le_cycle_avec_la_decision(g):
    from fiches import cycle
    from fiches.enums import Etat
    from fiches.tests.fabriques import fiche

    f = fiche(g["chef"])
    cycle.appliquer(user=g["chef"], fiche=f, mouvement="soumettre", date_effet=date(2020, 1, 6))
    r = reunion_passee(g["chef"], services.comite_local(territoire("8401")))
    p = services.ajouter_point(user=g["chef"], reunion=r, nature=NaturePoint.FICHE, fiche=f)
    lien = services.decider(
        user=g["chef"],
        reunion=r,
        point=p,
        objet=ObjetDecision.FICHE,
        mouvement="avis_local",
        avis="favorable",
        texte="Avis favorable.",
    )
    f.refresh_from_db()
    assert f.etat == Etat.COPIL
    t = f.transitions.get(action="avis_local")
    assert t.decision == lien.decision and t.date_effet == date(2020, 2, 3)


def test_un_comite_local_ne_rend_pas_l_avis_du_copil_regional(g):
    from fiches import cycle
    from fiches.tests.fabriques import fiche

    f = fiche(g["chef"])
    cycle.appliquer(user=g["chef"], fiche=f, mouvement="soumettre", date_effet=date(2020, 1, 6))
    r = reunion_passee(g["chef"], services.comite_local(territoire("8401")))
    p = services.ajouter_point(user=g["chef"], reunion=r, nature=NaturePoint.FICHE, fiche=f)
    with pytest.raises(ValidationError, match="relève du comité de pilotage régional"):
        services.decider(
            user=g["chef"],
            reunion=r,
            point=p,
            objet=ObjetDecision.FICHE,
            mouvement="avis_copil",
            avis="favorable",
        )
    assert not DecisionReunion.objects.exists()  # all or nothing


def test_une_fiche_d_un_autre_territoire_n_entre_pas_a_l_ordre_du_jour(g):
    from fiches.tests.fabriques import fiche

    f = fiche(g["chef8408"], code="8408")
    r = reunion_passee(g["chef"], services.comite_local(territoire("8401")))
    with pytest.raises(ValidationError, match="territoire du comité"):
        services.ajouter_point(user=g["chef"], reunion=r, nature=NaturePoint.FICHE, fiche=f)


def test_une_designation_decidee_en_comite_cree_la_designation_avec_sa_decision(g):
    elu = Personne.objects.create(prenom="Élise", nom="Maire")
    r = reunion_passee(g["chef"], services.comite_local(territoire("8401")))
    p = services.ajouter_point(
        user=g["chef"],
        reunion=r,
        nature=NaturePoint.DESIGNATION,
        personne=elu,
        role=Role.BINOME_ELU,
    )
    lien = services.decider(user=g["chef"], reunion=r, point=p, objet=ObjetDecision.DESIGNATION)
    d = Designation.objects.get(personne=elu)
    assert d.role == Role.BINOME_ELU and d.territoire.code == "8401"
    assert d.decision == lien.decision and d.date_debut == date(2020, 2, 3)


def test_le_pilote_regional_ne_se_designe_pas_en_comite_local(g):
    r = reunion_passee(g["chef"], services.comite_local(territoire("8401")))
    with pytest.raises(ValidationError, match="ne se désigne pas"):
        services.ajouter_point(
            user=g["chef"],
            reunion=r,
            nature=NaturePoint.DESIGNATION,
            personne=Personne.objects.create(prenom="A", nom="B"),
            role=Role.PILOTE_REGION,
        )


# --- Decision outside a meeting (FAQ §4.2) -----------------------------------------------------


def _region84():
    return Organisation.objects.create(
        nom="Région ARA", type=TypeOrganisation.REGION, region_id="84"
    )


def test_sans_copil_l_accord_de_la_region_et_des_parties_suffit_pour_un_contrat(g):
    epci = Organisation.objects.create(
        nom="CA Annonay", type=TypeOrganisation.EPCI, epci_id="200072015", siren="200072015"
    )
    lien = services.decider_hors_reunion(
        user=g["pilote"],
        territoire=territoire("8401"),
        date=date(2019, 6, 20),
        intitule="Validation du contrat",
        accords=[_region84(), epci],
        motif="Pas de COPIL régional avant la signature.",
    )
    assert lien.hors_reunion and lien.reunion is None
    assert lien.decision.instance == Instance.COPIL_REGIONAL
    assert lien.motif_hors_reunion


def test_hors_reunion_l_accord_de_la_region_est_requis(g):
    epci = Organisation.objects.create(
        nom="CA Annonay", type=TypeOrganisation.EPCI, epci_id="200072015", siren="200072015"
    )
    with pytest.raises(ValidationError, match="accord de chaque Région"):
        services.decider_hors_reunion(
            user=g["pilote"],
            territoire=territoire("8401"),
            date=date(2019, 6, 20),
            intitule="Validation du contrat",
            accords=[epci],
            motif="Pas de COPIL.",
        )


def test_hors_reunion_seule_la_validation_d_un_contrat_est_possible(g):
    with pytest.raises(ValidationError, match="seule la validation d'un contrat"):
        services.decider_hors_reunion(
            user=g["pilote"],
            territoire=territoire("8401"),
            date=date(2019, 6, 20),
            intitule="Ajout d'un EPCI",
            accords=[_region84()],
            motif="Urgence",
            objet=ObjetDecision.PERIMETRE,
        )


# --- Perimeter requests (FAQ §2.2, §2.3) --------------------------------------------------------


def _epci_libre():
    from demo.carte import epci_voisine_libre

    return epci_voisine_libre(territoire("8401"))


def _copil_passe(g, jour=(2020, 2, 10)):
    return reunion_passee(g["pilote"], services.copil_regional(Region.objects.get(code="84")), jour)


def test_un_nouveau_territoire_exige_une_justification(g):
    with pytest.raises(ValidationError, match="principe de ciblage"):
        demandes.deposer(
            user=g["pilote"],
            nature=NatureDemande.NOUVEAU_TERRITOIRE,
            demandeur_territoire=territoire("8401"),
            code_propose="84NEW",
            nom_propose="Nouveau",
            epcis_proposes=[_epci_libre().siren],
            date=date(2020, 1, 10),
        )


def test_une_demande_acceptee_en_copil_regional_change_la_carte_a_la_date_de_la_decision(g):
    t = territoire("8401")
    epci = _epci_libre()
    d = demandes.deposer(
        user=g["chef"],
        nature=NatureDemande.AJOUT_EPCI,
        territoire=t,
        epci=epci,
        demandeur_territoire=t,
        date=date(2020, 1, 10),
    )
    assert d.etat == EtatDemande.DEPOSEE and d.region_id == "84"
    r = _copil_passe(g)
    p = services.ajouter_point(user=g["pilote"], reunion=r, nature=NaturePoint.PERIMETRE, demande=d)
    d.refresh_from_db()
    assert d.etat == EtatDemande.EXAMINEE
    lien = services.decider(
        user=g["pilote"], reunion=r, point=p, objet=ObjetDecision.PERIMETRE, accepter=True
    )
    d.refresh_from_db()
    assert d.etat == EtatDemande.ACCEPTEE and d.decision == lien.decision
    ch = t.changements.get(decision=lien.decision)
    assert ch.date == date(2020, 2, 10) and ch.details == {"epci": [epci.siren]}
    avant = {e.siren for e in vue_territoire(t, date(2020, 2, 9)).epcis}
    apres = {e.siren for e in vue_territoire(t, date(2020, 2, 10)).epcis}
    assert epci.siren not in avant and epci.siren in apres


def test_une_demande_refusee_ne_change_pas_la_carte(g):
    t = territoire("8401")
    d = demandes.deposer(
        user=g["chef"],
        nature=NatureDemande.AJOUT_EPCI,
        territoire=t,
        epci=_epci_libre(),
        demandeur_territoire=t,
        date=date(2020, 1, 10),
    )
    r = _copil_passe(g)
    p = services.ajouter_point(user=g["pilote"], reunion=r, nature=NaturePoint.PERIMETRE, demande=d)
    n = t.changements.count()
    services.decider(
        user=g["pilote"], reunion=r, point=p, objet=ObjetDecision.PERIMETRE, accepter=False
    )
    d.refresh_from_db()
    assert d.etat == EtatDemande.REFUSEE and t.changements.count() == n


def test_seul_le_copil_regional_de_la_region_examine_une_demande_de_perimetre(g):
    t = territoire("8401")
    d = demandes.deposer(
        user=g["chef"],
        nature=NatureDemande.RETRAIT_EPCI,
        territoire=t,
        epci=EPCI.objects.get(siren="200072015"),
        demandeur_territoire=t,
        date=date(2020, 1, 10),
    )
    r = reunion_passee(g["chef"], services.comite_local(t))
    with pytest.raises(ValidationError, match="comité de pilotage régional"):
        services.ajouter_point(user=g["chef"], reunion=r, nature=NaturePoint.PERIMETRE, demande=d)


def test_une_demande_emane_d_une_intercommunalite_ou_d_un_territoire(g):
    asso = Organisation.objects.create(nom="Asso", type=TypeOrganisation.ASSOCIATION)
    with pytest.raises(ValidationError, match="intercommunalité"):
        demandes.deposer(
            user=g["chef"],
            nature=NatureDemande.AJOUT_EPCI,
            territoire=territoire("8401"),
            epci=_epci_libre(),
            demandeur_organisation=asso,
        )


def test_une_equipe_ne_depose_pas_de_demande_pour_un_autre_territoire(g):
    t = territoire("8401")
    with pytest.raises(PermissionDenied):
        demandes.deposer(
            user=g["chef8408"],
            nature=NatureDemande.AJOUT_EPCI,
            territoire=t,
            epci=_epci_libre(),
            demandeur_territoire=t,
        )


def test_une_scission_acceptee_cree_les_territoires_issus(g):
    t = territoire("8401")
    sirens = [e.siren for e in vue_territoire(t).epcis]
    assert len(sirens) >= 2
    d = demandes.deposer(
        user=g["chef"],
        nature=NatureDemande.SCISSION,
        territoire=t,
        demandeur_territoire=t,
        parts=[
            {"code": "8401A", "nom": "Nord", "epcis": sirens[:1]},
            {"code": "8401B", "nom": "Sud", "epcis": sirens[1:]},
        ],
        date=date(2020, 1, 10),
    )
    r = _copil_passe(g)
    p = services.ajouter_point(user=g["pilote"], reunion=r, nature=NaturePoint.PERIMETRE, demande=d)
    services.decider(
        user=g["pilote"], reunion=r, point=p, objet=ObjetDecision.PERIMETRE, accepter=True
    )
    t.refresh_from_db()
    assert t.date_fin == date(2020, 2, 10)
    assert set(Territoire.objects.filter(origine=t).values_list("code", flat=True)) == {
        "8401A",
        "8401B",
    }


def test_un_nouveau_territoire_accepte_entre_sur_la_carte(g):
    epci = _epci_libre()
    d = demandes.deposer(
        user=g["pilote"],
        nature=NatureDemande.NOUVEAU_TERRITOIRE,
        demandeur_territoire=territoire("8401"),
        code_propose="84NEW",
        nom_propose="Vallée nouvelle",
        epcis_proposes=[epci.siren],
        justification="Bassin industriel frappé par une fermeture de site.",
        date=date(2020, 1, 10),
    )
    r = _copil_passe(g)
    p = services.ajouter_point(user=g["pilote"], reunion=r, nature=NaturePoint.PERIMETRE, demande=d)
    services.decider(
        user=g["pilote"], reunion=r, point=p, objet=ObjetDecision.PERIMETRE, accepter=True
    )
    nouveau = Territoire.objects.get(code="84NEW")
    assert nouveau.date_debut == date(2020, 2, 10)
    d.refresh_from_db()
    assert d.territoire == nouveau


def test_un_comite_local_sans_territoire_est_refuse_par_la_base():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Comite.objects.create(type="comite_local", nom="Sans territoire")
