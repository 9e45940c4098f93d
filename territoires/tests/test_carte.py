"""Dated changes of the map (FAQ §2.2, §2.3) and the map of a past date."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referentiel.models import EPCI
from territoires import services
from territoires.models import Perimetre, Territoire
from territoires.selectors import vue_territoire, vues_territoires
from territoires.tests.fabriques import decision, t

pytestmark = pytest.mark.django_db


def epci_libre(territoire: Territoire) -> EPCI:
    """An EPCI of the territory's région that no territory of phase 1 holds."""
    pris = Perimetre.objects.filter(territoire__phase_id=1, date_fin__isnull=True).values(
        "commune__epci_id"
    )
    return (
        EPCI.objects.filter(communes__region_id="84")
        .exclude(siren__in=pris)
        .exclude(nature="EPT")
        .distinct()
        .order_by("siren")
        .first()
    )


def epci_entier(territoire: Territoire) -> EPCI:
    v = vue_territoire(territoire)
    return EPCI.objects.get(siren=next(e.siren for e in v.epcis if e.entier))


def test_ajout_d_un_epci_decide_par_le_copil_regional_date_et_trace():
    t8401 = t("8401")
    e = epci_libre(t8401)
    avant = vue_territoire(t8401)
    ch = services.ajouter_epci(territoire=t8401, epci=e, decision=decision(date(2020, 3, 10)))
    assert ch.nature == "ajout" and ch.details == {"epci": [e.siren]}
    apres = vue_territoire(t8401)
    assert e.siren in {x.siren for x in apres.epcis}
    assert apres.nb_communes == avant.nb_communes + e.communes.count()


def test_carte_a_une_date_passee_redonne_l_ancien_perimetre():
    t8401 = t("8401")
    e = epci_libre(t8401)
    services.ajouter_epci(territoire=t8401, epci=e, decision=decision(date(2020, 3, 10)))
    avant = vue_territoire(t8401, date(2020, 3, 9))
    jour = vue_territoire(t8401, date(2020, 3, 10))
    assert e.siren not in {x.siren for x in avant.epcis}
    assert e.siren in {x.siren for x in jour.epcis}
    # Before the CNI of 22 November 2018 there was no map at all.
    assert vues_territoires(date(2018, 11, 21), phase=1) == []
    assert len(vues_territoires(date(2018, 11, 22), phase=1)) == 148


def test_retrait_d_un_epci_ferme_les_lignes_sans_les_effacer():
    t8408 = t("8408")
    e = epci_entier(t8408)
    n = Perimetre.objects.count()
    services.retirer_epci(territoire=t8408, epci=e, decision=decision(date(2021, 1, 15)))
    assert Perimetre.objects.count() == n
    assert e.siren not in {x.siren for x in vue_territoire(t8408).epcis}
    assert e.siren in {x.siren for x in vue_territoire(t8408, date(2021, 1, 14)).epcis}


def test_une_commune_ne_peut_appartenir_qu_a_un_territoire_de_la_phase():
    e = epci_entier(t("8408"))
    with pytest.raises(ValidationError) as exc:
        services.ajouter_epci(territoire=t("8401"), epci=e, decision=decision(date(2020, 1, 1)))
    assert "appartiennent déjà à un autre territoire" in exc.value.messages[0]


def test_changement_date_avant_le_dernier_changement_refuse():
    t8401 = t("8401")
    e = epci_libre(t8401)
    services.ajouter_epci(territoire=t8401, epci=e, decision=decision(date(2020, 3, 10)))
    with pytest.raises(ValidationError, match="ne peut pas être datée avant"):
        services.retirer_epci(territoire=t8401, epci=e, decision=decision(date(2019, 5, 1)))


def test_changement_avant_la_creation_du_territoire_refuse():
    with pytest.raises(ValidationError, match="précède la création"):
        services.retirer_epci(
            territoire=t("8408"), epci=epci_entier(t("8408")), decision=decision(date(2017, 1, 1))
        )


def test_on_ne_vide_pas_un_territoire_on_le_retire():
    t8408 = t("8408")
    codes = services.perimetre_courant(t8408)
    with pytest.raises(ValidationError, match="décidez plutôt son retrait"):
        services.retirer_communes(
            territoire=t8408, communes=codes, decision=decision(date(2021, 1, 1))
        )


def test_scission_d_un_territoire_trop_etendu():
    t8401 = t("8401")
    vue = vue_territoire(t8401)
    premier = vue.epcis[0].siren
    codes = services.perimetre_courant(t8401)
    a = set(
        Perimetre.objects.filter(territoire=t8401, commune__epci_id=premier).values_list(
            "commune_id", flat=True
        )
    )
    d = decision(date(2021, 6, 1))
    nouveaux = services.scinder_territoire(
        territoire=t8401,
        decision=d,
        parts=[
            {"code": "8460", "nom": "Nord", "communes": a},
            {"code": "8461", "nom": "Sud", "communes": codes - a},
        ],
    )
    t8401.refresh_from_db()
    assert t8401.date_fin == date(2021, 6, 1)
    assert t8401.changements.last().nature == "scission"
    assert [n.origine_id for n in nouveaux] == [t8401.pk, t8401.pk]
    assert len(vues_territoires(date(2021, 6, 1), phase=1)) == 149
    assert len(vues_territoires(date(2021, 5, 31), phase=1)) == 148
    assert vue_territoire(t8401, date(2021, 6, 1)) is None


def test_scission_qui_oublie_des_communes_refusee():
    t8401 = t("8401")
    codes = sorted(services.perimetre_courant(t8401))
    with pytest.raises(ValidationError, match="reprendre exactement"):
        services.scinder_territoire(
            territoire=t8401,
            decision=decision(date(2021, 6, 1)),
            parts=[
                {"code": "8460", "nom": "A", "communes": codes[:2]},
                {"code": "8461", "nom": "B", "communes": codes[2:-1]},
            ],
        )
    assert t8401.perimetre.filter(date_fin__isnull=True).count() == len(codes)


def test_nouveau_territoire_et_retrait_d_un_territoire():
    e = epci_libre(t("8401"))
    d = decision(date(2021, 2, 1))
    nouveau = services.creer_territoire(
        phase=t("8401").phase, code="8490", nom="Nouveau", communes=e.communes.all(), decision=d
    )
    assert len(vues_territoires(date(2021, 2, 1), phase=1)) == 149
    services.retirer_territoire(territoire=nouveau, decision=decision(date(2022, 2, 1)))
    assert len(vues_territoires(date(2022, 2, 1), phase=1)) == 148
    assert vue_territoire(nouveau, date(2021, 12, 1)).nb_communes == e.communes.count()


def test_vue_epci_donne_la_part_des_communes_des_epci_partiels():
    vues = vues_territoires(date(2020, 1, 1), phase=1)
    partiels = [(v.code, e) for v in vues for e in v.epcis if not e.entier]
    assert 10 < len(partiels) < 60
    for _, e in partiels:
        assert 0 < e.part_communes < 1
        assert e.communes_dans < e.communes_total


def test_vues_territoires_en_nombre_constant_de_requetes():
    def count(**kw):
        with CaptureQueriesContext(connection) as ctx:
            vues_territoires(date(2020, 1, 1), **kw)
        return len(ctx.captured_queries)

    toutes = count(phase=1)
    une = count(phase=1, territoires=Territoire.objects.filter(code="8401"))
    assert toutes == une <= 5
