"""Rules of FAQ §2.3 held by the perimeter requests: a split names its territories and shares
out every EPCI once; an interregional request needs each Région concerned; acts entered
after the fact keep their real dates within the fiches' dating rules."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from comptes.enums import Role
from gouvernance import demandes, services
from gouvernance.enums import EtatDemande, NatureDemande, NaturePoint, ObjetDecision
from referentiel.models import EPCI, Region
from territoires.models import Changement, NatureChangement, Perimetre, Territoire
from territoires.selectors import vue_montree, vue_territoire, vues_territoires

from .fabriques import gens, personne, quand, reunion_passee, territoire

pytestmark = pytest.mark.django_db
JOUR_DEPOT = date(2020, 1, 10)


@pytest.fixture
def g():
    return gens()


def _copil(user, region: str, jour=(2020, 2, 10)):
    comite = services.copil_regional(Region.objects.get(code=region))
    return reunion_passee(user, comite, jour)


def _au_copil(user, reunion, d, accepter=True):
    p = services.ajouter_point(user=user, reunion=reunion, nature=NaturePoint.PERIMETRE, demande=d)
    return services.decider(
        user=user, reunion=reunion, point=p, objet=ObjetDecision.PERIMETRE, accepter=accepter
    )


def _scission(g, parts, t=None):
    t = t or territoire("8401")
    return demandes.deposer(
        user=g["chef"],
        nature=NatureDemande.SCISSION,
        territoire=t,
        demandeur_territoire=t,
        parts=parts,
        date=JOUR_DEPOT,
    )


def _sirens(t, jour=JOUR_DEPOT) -> list[str]:
    return [e.siren for e in vue_territoire(t, jour).epcis]


# --- Split (FAQ §2.3) ---------------------------------------------------------------------------


def test_une_scission_nomme_ses_territoires_et_repartit_chaque_epci_une_seule_fois(g):
    t = territoire("8401")
    sirens = _sirens(t)
    assert len(sirens) >= 2
    with pytest.raises(ValidationError, match="donnée à deux territoires issus"):
        _scission(
            g,
            [
                {"code": "8401A", "nom": "Nord", "epcis": sirens},
                {"code": "8401B", "nom": "Sud", "epcis": sirens[:1]},
            ],
        )
    with pytest.raises(ValidationError, match="oubliée"):
        _scission(
            g,
            [
                {"code": "8401A", "nom": "Nord", "epcis": sirens[:1]},
                {"code": "8401B", "nom": "Sud", "epcis": sirens[1:-1] or sirens[:0]},
            ],
        )
    ailleurs = _sirens(territoire("8408"))[0]
    with pytest.raises(ValidationError, match="ne fait pas partie du territoire 8401"):
        _scission(
            g,
            [
                {"code": "8401A", "nom": "Nord", "epcis": sirens[:1]},
                {"code": "8401B", "nom": "Sud", "epcis": [*sirens[1:], ailleurs]},
            ],
        )
    with pytest.raises(ValidationError, match="déjà pris"):
        _scission(
            g,
            [
                {"code": "8408", "nom": "Nord", "epcis": sirens[:1]},
                {"code": "8401B", "nom": "Sud", "epcis": sirens[1:]},
            ],
        )
    with pytest.raises(ValidationError, match="précisez son nom"):
        _scission(
            g,
            [
                {"code": "8401A", "nom": " ", "epcis": sirens[:1]},
                {"code": "8401B", "nom": "Sud", "epcis": sirens[1:]},
            ],
        )
    d = _scission(
        g,
        [
            {"code": "8401A", "nom": "Nord", "epcis": sirens[:1]},
            {"code": "8401B", "nom": "Sud", "epcis": sirens[1:]},
        ],
    )
    assert [p["code"] for p in d.parts] == ["8401A", "8401B"]
    assert sorted(s for p in d.parts for s in p["epcis"]) == sorted(sirens)


def test_une_scission_decidee_change_la_carte_a_sa_date_et_l_ancien_territoire_reste_lisible(g):
    t = territoire("8401")
    sirens = _sirens(t)
    communes_avant = set(
        Perimetre.objects.a_date(date(2020, 2, 9)).filter(territoire=t).values_list("commune_id")
    )
    d = _scission(
        g,
        [
            {"code": "8401A", "nom": "Nord", "epcis": sirens[:1]},
            {"code": "8401B", "nom": "Sud", "epcis": sirens[1:]},
        ],
    )
    _au_copil(g["pilote"], _copil(g["pilote"], "84"), d)
    d.refresh_from_db()
    t.refresh_from_db()
    assert d.etat == EtatDemande.ACCEPTEE
    assert t.date_fin == date(2020, 2, 10)
    issus = Territoire.objects.filter(origine=t)
    assert {i.code: i.nom for i in issus} == {"8401A": "Nord", "8401B": "Sud"}
    apres = set(
        Perimetre.objects.a_date(date(2020, 2, 10))
        .filter(territoire__in=issus)
        .values_list("commune_id")
    )
    assert apres == communes_avant
    ch = Changement.objects.get(territoire=t, nature=NatureChangement.SCISSION)
    assert ch.date == date(2020, 2, 10) and ch.details == {"issus": ["8401A", "8401B"]}
    # Its history stays readable: the map of the day before, and its last day after.
    assert vue_territoire(t, date(2020, 2, 9)).code == "8401"
    assert {e.siren for e in vue_territoire(t, date(2020, 2, 9)).epcis} == set(sirens)
    vue, jour = vue_montree(t, date(2021, 1, 1))
    assert jour == date(2020, 2, 9) and {e.siren for e in vue.epcis} == set(sirens)
    assert "8401" not in {v.code for v in vues_territoires(date(2020, 2, 10), phase=1)}


# --- Interregional requests (FAQ §2.3) ------------------------------------------------------------


def _interregional() -> Territoire:
    return next(
        v.territoire for v in vues_territoires(date(2019, 6, 1), phase=1) if v.interregional
    )


@pytest.fixture
def inter():
    t = _interregional()
    regions = vue_territoire(t, JOUR_DEPOT).regions
    pilotes = {
        r: personne(f"pilote-inter-{r}@exemple.fr", Role.PILOTE_REGION, region_id=r)
        for r in regions
    }
    chef = personne("chef-inter@exemple.fr", Role.CHEF_PROJET, territoire=t)
    sirens = _sirens(t)
    d = demandes.deposer(
        user=chef,
        nature=NatureDemande.RETRAIT_EPCI,
        territoire=t,
        epci=EPCI.objects.get(siren=sirens[-1]),
        demandeur_territoire=t,
        date=JOUR_DEPOT,
    )
    return {"t": t, "d": d, "regions": regions, "pilotes": pilotes, "chef": chef}


def test_une_demande_interregionale_va_au_copil_de_chaque_region_concernee(g, inter):
    d, regions = inter["d"], inter["regions"]
    assert d.region_id == regions[0]
    assert demandes.regions_de(d) == set(regions)
    for r in regions:
        p = inter["pilotes"][r]
        services.ajouter_point(
            user=p, reunion=_copil(p, r), nature=NaturePoint.PERIMETRE, demande=d
        )
    ailleurs = next(r for r in ("84", "27", "11", "93") if r not in regions)
    pilote = personne("pilote-ailleurs@exemple.fr", Role.PILOTE_REGION, region_id=ailleurs)
    with pytest.raises(ValidationError, match="d'une région qu'elle concerne"):
        services.ajouter_point(
            user=pilote, reunion=_copil(pilote, ailleurs), nature=NaturePoint.PERIMETRE, demande=d
        )
    # Each Région concerned sees the request.
    from gouvernance.permissions import demandes_visibles

    for r in regions:
        assert demandes_visibles(inter["pilotes"][r]).filter(pk=d.pk).exists()


def test_une_demande_interregionale_exige_la_decision_de_chaque_region_concernee(g, inter):
    d, (coord, autre, *_) = inter["d"], inter["regions"]
    pc, pa = inter["pilotes"][coord], inter["pilotes"][autre]
    r_coord = _copil(pc, coord, (2020, 3, 2))
    with pytest.raises(ValidationError, match="ne peut pas l'accepter seul"):
        _au_copil(pc, r_coord, d)
    d.refresh_from_db()
    assert d.etat == EtatDemande.EXAMINEE and d.decision is None
    # The other Région's COPIL decides first: its position, the request still examined.
    _au_copil(pa, _copil(pa, autre, (2020, 2, 20)), d)
    d.refresh_from_db()
    assert d.etat == EtatDemande.EXAMINEE
    assert d.accords_regions.get(region_id=autre).favorable
    point = r_coord.points.get(demande=d)
    services.decider(
        user=pc, reunion=r_coord, point=point, objet=ObjetDecision.PERIMETRE, accepter=True
    )
    d.refresh_from_db()
    assert d.etat == EtatDemande.ACCEPTEE
    assert inter["t"].changements.filter(date=date(2020, 3, 2)).exists()


def test_la_region_qui_coordonne_decide_avec_l_accord_enregistre_des_autres(g, inter):
    d, (coord, autre, *_) = inter["d"], inter["regions"]
    pc, pa = inter["pilotes"][coord], inter["pilotes"][autre]
    with pytest.raises(PermissionDenied, match="Seul le pilote de la région"):
        demandes.donner_accord(
            user=pc, demande=d, region=autre, date=date(2020, 2, 1), motif="Courrier"
        )
    with pytest.raises(ValidationError, match="sur quoi repose"):
        demandes.donner_accord(user=pa, demande=d, region=autre, date=date(2020, 2, 1))
    with pytest.raises(ValidationError, match="précède le dépôt de la demande"):
        demandes.donner_accord(
            user=pa, demande=d, region=autre, date=date(2020, 1, 2), motif="Courrier"
        )
    accord = demandes.donner_accord(
        user=pa, demande=d, region=autre, date=date(2020, 2, 1), motif="Courrier du 01/02/2020"
    )
    assert accord.reunion is None and accord.par == pa
    assert d.transitions.filter(action="accord_region", date_effet=date(2020, 2, 1)).exists()
    _au_copil(pc, _copil(pc, coord), d)
    d.refresh_from_db()
    assert d.etat == EtatDemande.ACCEPTEE


def test_le_refus_d_une_region_concernee_empeche_l_acceptation(g, inter):
    d, (coord, autre, *_) = inter["d"], inter["regions"]
    pc, pa = inter["pilotes"][coord], inter["pilotes"][autre]
    demandes.donner_accord(
        user=pa, demande=d, region=autre, favorable=False, date=date(2020, 2, 1), motif="Non"
    )
    with pytest.raises(ValidationError, match="a refusé cette demande"):
        _au_copil(pc, _copil(pc, coord), d)


def _epci_d_une_autre_region(region: str, jour: date) -> EPCI:
    """An EPCI wholly in `region`, none of its communes in a territory of phase 1 on `jour`."""
    pris = Perimetre.objects.a_date(jour).filter(territoire__phase=1).values("commune_id")
    candidats = (
        EPCI.objects.filter(communes__region_id=region)
        .exclude(communes__in=pris)
        .exclude(nature="EPT")
        .distinct()
        .order_by("siren")
    )
    for epci in candidats[:50]:
        if set(epci.communes.values_list("region_id", flat=True)) == {region}:
            return epci
    raise AssertionError("aucune intercommunalité libre")


def test_une_epci_d_une_autre_region_ne_s_ajoute_pas_par_le_seul_copil_d_une_region(g):
    t = territoire("8401")
    epci = _epci_d_une_autre_region("27", JOUR_DEPOT)
    d = demandes.deposer(
        user=g["chef"],
        nature=NatureDemande.AJOUT_EPCI,
        territoire=t,
        epci=epci,
        demandeur_territoire=t,
        date=JOUR_DEPOT,
    )
    assert d.region_id == "84" and demandes.regions_de(d) == {"84", "27"}
    with pytest.raises(ValidationError, match=f"L'intercommunalité {epci.nom} concerne aussi"):
        _au_copil(g["pilote"], _copil(g["pilote"], "84"), d)
    assert not t.changements.filter(date=date(2020, 2, 10)).exists()
    # The Région 84's pilot cannot speak for the other Région.
    with pytest.raises(PermissionDenied):
        demandes.donner_accord(
            user=g["pilote"], demande=d, region="27", date=date(2020, 2, 1), motif="Accord"
        )
    demandes.donner_accord(
        user=g["pilote_autre"], demande=d, region="27", date=date(2020, 2, 1), motif="Courrier"
    )
    _au_copil(g["pilote"], _copil(g["pilote"], "84", (2020, 2, 11)), d)
    assert epci.siren in {e.siren for e in vue_territoire(t, date(2020, 2, 11)).epcis}


# --- Acts entered after the fact ------------------------------------------------------------------


def test_une_demande_se_saisit_apres_coup_a_sa_vraie_date_jamais_dans_le_futur(g):
    t = territoire("8401")
    epci = EPCI.objects.get(siren=_sirens(t)[-1])

    def deposer(jour):
        return demandes.deposer(
            user=g["chef"],
            nature=NatureDemande.RETRAIT_EPCI,
            territoire=t,
            epci=epci,
            demandeur_territoire=t,
            date=jour,
        )

    with pytest.raises(ValidationError, match="ne peut pas être dans le futur"):
        deposer(timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="précède la création du territoire 8401"):
        deposer(t.date_debut - timedelta(days=1))
    d = deposer(date(2019, 5, 6))
    assert d.deposee_le == date(2019, 5, 6)
    assert d.transitions.get().date_effet == date(2019, 5, 6)
    # The steps keep their order: no examination at a meeting before the deposit.
    with pytest.raises(ValidationError, match="précède le dépôt de la demande"):
        services.ajouter_point(
            user=g["pilote"],
            reunion=_copil(g["pilote"], "84", (2019, 5, 1)),
            nature=NaturePoint.PERIMETRE,
            demande=d,
        )
    lien = _au_copil(g["pilote"], _copil(g["pilote"], "84", (2019, 6, 3)), d)
    assert lien.decision.date == date(2019, 6, 3)


def test_une_reunion_se_saisit_apres_coup_mais_pas_avant_la_creation_du_territoire(g):
    t = territoire("8401")
    comite = services.comite_local(t)
    avant = t.date_debut - timedelta(days=3)
    with pytest.raises(ValidationError, match="précède la création du territoire 8401"):
        services.planifier_reunion(
            user=g["chef"], comite=comite, debut=quand(avant.year, avant.month, avant.day)
        )
    r = services.planifier_reunion(user=g["chef"], comite=comite, debut=quand(2019, 3, 4))
    assert r.date == date(2019, 3, 4)
