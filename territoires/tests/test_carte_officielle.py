"""The official map as shipped and loaded by `make run` (territoires.officiel): phase 1, the
183 territories of phase 2 from 9 November 2023, and ANCT's updates of February and September
2024; which phase is current at a date."""

from datetime import date

import pytest

from territoires import officiel
from territoires.importer import importer
from territoires.models import Changement, Decision, Perimetre, Phase, Territoire
from territoires.selectors import phase_courante, today, vues_territoires
from territoires.tests.fabriques import phase_d_essai

pytestmark = pytest.mark.django_db

NOVEMBRE_2023, FEVRIER_2024, SEPTEMBRE_2024 = officiel.LISTES[1:4]
CHANGEMENTS_DE_SEPTEMBRE = {"ti-2707", "ti-7506", "ti-7613", "ti-8412"}
ECARTS_DE_FORME = {
    # territory: communes a literal reading of the groupement file would add or remove
    "ti-2404": ["45041"],
    "ti-2407": ["45041"],
    "ti-2701": ["25192"],
    "ti-2708": ["25192"],
    "ti-3207": ["59192"],
    "ti-4407": ["08439"],
    "ti-5203": ["85165", "85212"],
    "ti-7603": ["15031", "15035", "15047", "15171"],
    "ti-7607": ["30073"],
    "ti-7611": ["31188"],
    "ti-7613": ["66058"],
}


def perimetres(phase) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    rows = Perimetre.objects.filter(territoire__phase=phase, date_fin__isnull=True)
    for code, commune in rows.values_list("territoire__code", "commune_id"):
        out.setdefault(code, set()).add(commune)
    return out


def appliquer(liste, phase, **kw):
    return importer(liste.chemin, phase=phase, date=liste.date, **kw)


def test_phase_courante_selon_la_date_du_jour():
    assert phase_courante(date(2020, 6, 1)).numero == 1
    # Phase 1 closes when phase 2 opens, on the day the 183 territories were announced.
    assert phase_courante(date(2023, 11, 8)).numero == 1
    assert phase_courante(date(2023, 11, 9)).numero == 2
    assert phase_courante(today()).numero == 2
    assert phase_courante().numero == 2
    # Before the first phase, the first one; after the last one, the last one begun.
    assert phase_courante(date(2017, 1, 1)).numero == 1
    assert phase_courante(date(2031, 1, 1)).numero == 2


def test_phase_2_compte_183_territoires_des_le_9_novembre_2023_et_la_phase_1_reste():
    assert vues_territoires(date(2023, 11, 8), phase=2) == []
    nov = vues_territoires(date(2023, 11, 9), phase=2)
    assert len(nov) == 183
    assert all(v.code.startswith("ti-") for v in nov)
    assert sum(v.nb_communes for v in nov) == 18696
    assert len(vues_territoires(phase=2)) == 183
    # Phase 1 stays browsable after its end.
    assert len(vues_territoires(date(2020, 6, 1), phase=1)) == 148
    assert len(vues_territoires(phase=1)) == 148


def test_la_liste_de_fevrier_2024_ne_change_aucun_perimetre():
    phase = phase_d_essai()
    appliquer(NOVEMBRE_2023, phase)
    avant = perimetres(phase)

    rapport = appliquer(FEVRIER_2024, phase)

    assert perimetres(phase) == avant
    assert rapport.modifies == [] and rapport.crees == [] and rapport.retires == []
    # Its differences are of form; the one thing it changes is a name, first published then.
    assert {e.territoire: e.communes for e in rapport.ecarts} == ECARTS_DE_FORME
    assert rapport.renommes == ["ti-4421"]
    t = Territoire.objects.get(phase=phase, code="ti-4421")
    assert t.nom == "Pays Vitryat"
    assert vues_territoires(date(2024, 2, 25), phase=phase, territoires=[t])[0].nom == (
        "Vitry-le-François"
    )


def test_simulation_de_la_liste_de_septembre_2024_donne_les_quatre_changements_reels():
    phase = phase_d_essai()
    appliquer(NOVEMBRE_2023, phase)
    appliquer(FEVRIER_2024, phase)
    avant = (perimetres(phase), Changement.objects.count(), Decision.objects.count())

    rapport = appliquer(SEPTEMBRE_2024, phase, dry_run=True)

    assert set(rapport.changements) == CHANGEMENTS_DE_SEPTEMBRE
    assert set(rapport.modifies) == {"ti-2707", "ti-7506", "ti-7613"}
    assert rapport.renommes == ["ti-8412"]
    assert {e.territoire: e.communes for e in rapport.ecarts} == ECARTS_DE_FORME
    texte = "\n".join(rapport.lignes_texte())
    assert "Cercy-la-Tour (58046)" in texte
    assert (
        "Sortie de 59 commune(s) de CC Haute-Corrèze Communauté (200066744) : seules les 11"
        in texte
    )
    assert "Sortie de CC du Haut Vallespir (246600548), 14 commune(s)" in texte
    assert "Entrée de CC du Vallespir (246600373), 10 commune(s)" in texte
    assert "« Pays de Gex – Genevois – Terre Valserhône »" in texte
    assert "Simulation : rien n'a été enregistré." in texte
    assert (perimetres(phase), Changement.objects.count(), Decision.objects.count()) == avant


def test_la_liste_de_septembre_2024_s_applique_le_16_septembre_sur_une_decision_qui_la_cite():
    t7506 = Territoire.objects.get(phase_id=2, code="ti-7506")
    ch = t7506.changements.get(date=date(2024, 9, 16))
    assert ch.nature == "retrait" and ch.communes_retirees == 59
    assert ch.decision.date == date(2024, 9, 16)
    assert "5c5ffe3" in ch.decision.texte and "anct-carto/superposeur-anct" in ch.decision.texte
    # Nothing else of phase 2 changed on a date of its own.
    dates = set(Changement.objects.filter(territoire__phase_id=2).values_list("date", flat=True))
    assert dates == {date(2023, 11, 9), date(2024, 2, 26), date(2024, 9, 16)}
    changes = Changement.objects.filter(territoire__phase_id=2, date=date(2024, 9, 16))
    assert set(changes.values_list("territoire__code", flat=True)) == CHANGEMENTS_DE_SEPTEMBRE


def test_recharger_la_carte_officielle_ne_change_rien():
    avant = (Territoire.objects.count(), Perimetre.objects.count(), Decision.objects.count())
    rapports = officiel.charger()
    assert [r.inchange for _, r in rapports] == [True] * len(officiel.LISTES)
    assert (Territoire.objects.count(), Perimetre.objects.count(), Decision.objects.count()) == (
        avant
    )


def test_les_phases_se_suivent_sans_se_chevaucher():
    p1, p2 = Phase.objects.get(pk=1), Phase.objects.get(pk=2)
    assert p1.date_fin == date(2023, 11, 8) and p2.date_debut == date(2023, 11, 9)
