"""Deployment tracking (FAQ §6.4): what each territory has done, who lags behind and why."""

from datetime import date, timedelta

import pytest

from comptes.enums import Role
from contrats import cycle, suivi
from contrats.enums import EtatDocument
from fiches.tests.fabriques import territoires_phase_2

from .fabriques import J, contrat_pret, equipe, personne, signer_tout, territoire

pytestmark = pytest.mark.django_db


def ligne(code, **kw):
    return next(d for d in suivi.deploiement(**kw) if d.code == code)


def test_un_territoire_sans_binome_ni_contrat_est_en_retard_avec_ce_qui_manque():
    d = ligne("8402")
    assert d.en_retard
    assert "binôme élu-industriel" in d.manques and "contrat signé" in d.manques


def test_le_deploiement_suit_binome_referents_comite_et_contrat():
    p = equipe()
    t = territoire("8401")
    personne("elu@exemple.fr", Role.BINOME_ELU, territoire=t)
    personne("indus@exemple.fr", Role.BINOME_INDUSTRIEL, territoire=t)
    c = contrat_pret(p)  # its fiche went through the local committee (avis_local)
    d = ligne("8401")
    assert d.binome and d.referent_etat and d.referent_operateur and d.referent_region
    assert d.comite_local
    assert d.contrat == EtatDocument.BROUILLON and d.fiches["retenue"] == 1
    assert d.manques == ["contrat signé"]
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=2))
    signer_tout(p, c, date=J)
    d = ligne("8401")
    assert d.contrat == EtatDocument.SIGNE and d.contrat_signe_le == J
    assert d.fiches["inscrite"] == 1 and not d.en_retard


def test_un_projet_de_contrat_ne_se_voit_pas_hors_du_territoire():
    p = equipe()
    contrat_pret(p)
    assert ligne("8401", suivis=set()).contrat == ""
    assert ligne("8401", suivis={territoire("8401").pk}).contrat == EtatDocument.BROUILLON


def test_les_regions_listent_leurs_territoires_en_retard_et_les_interregionaux_partout():
    lignes = suivi.deploiement()
    regions = suivi.par_region(lignes)
    ara = next(r for r in regions if r.code == "84")
    assert any(d.code == "8401" for d in ara.en_retard)
    inter = [d for d in lignes if len(d.regions) > 1]
    assert inter
    for d in inter:
        assert all(any(x is d for x in r.territoires) for r in regions if r.code in d.regions)


def test_le_calendrier_part_du_lancement_du_22_novembre_2018():
    from datetime import date

    assert suivi.CALENDRIER[0].debut == date(2018, 11, 22)
    assert [e.nom for e in suivi.CALENDRIER[:3]] == ["Lancement", "Phase pilote", "Déploiement"]


# --- Phase 2: a dedicated chef de projet for each territory -----------------------------


def test_un_territoire_de_phase_2_sans_chef_de_projet_est_signale(client):
    un, deux = territoires_phase_2()
    personne("chef.un@exemple.fr", Role.CHEF_PROJET, territoire=un)
    lignes = {d.code: d for d in suivi.deploiement(phase=2)}
    assert len(lignes) == 183 and all(c.startswith("ti-") for c in lignes)  # phase 2 only
    assert lignes[un.code].chef_projet and "chef de projet dédié" not in lignes[un.code].manques
    assert not lignes[deux.code].chef_projet
    assert "chef de projet dédié" in lignes[deux.code].manques
    assert suivi.synthese(list(lignes.values()))["sans_chef_projet"] == 182
    # Phase 1 did not require one (« le cas échéant »): not counted as missing there.
    assert "chef de projet dédié" not in ligne("8402").manques
    # A designation ended is no chef de projet any more.
    personne("ancien@exemple.fr", Role.CHEF_PROJET, territoire=deux, date_fin=date(2020, 1, 1))
    assert "chef de projet dédié" in ligne(deux.code, phase=2).manques
    client.force_login(personne("national@exemple.fr", Role.NATIONAL))
    html = client.get("/suivi/", {"phase": 2}, follow=True).content.decode()  # a redirect
    assert "182 territoires de la phase 2 sans chef de projet dédié" in html
    ligne_html = html[html.index(f"{deux.code} {deux.nom}") :].split("</tr>")[0]
    assert "à désigner" in ligne_html
    assert "/territoires/1/8402/" not in html  # no phase-1 territory
