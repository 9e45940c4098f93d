"""The tracking table's columns, filters and orders (contrats.suivi), without pages."""

from datetime import date

from contrats import suivi
from contrats.enums import EtatDocument


def _d(code, **kw):
    d = suivi.Deploiement(
        code=code, nom=f"Territoire {code}", phase=2, pilote=False, regions=["84"]
    )
    for k, v in kw.items():
        setattr(d, k, v)
    return d


LIGNES = [
    _d("ti-03", contrat=EtatDocument.SIGNE, contrat_signe_le=date(2025, 5, 20), chef_projet=True),
    _d("ti-01", contrat=""),
    _d("ti-02", contrat=EtatDocument.VALIDE, pilote=True, regions=["84", "27"]),
    _d("ti-04", contrat=EtatDocument.BROUILLON),
]


def codes(lignes):
    return [d.code for d in lignes]


def test_un_contrat_se_trie_par_son_avancement_pas_par_son_libelle():
    assert codes(suivi.trier(LIGNES, "contrat")) == ["ti-01", "ti-04", "ti-02", "ti-03"]
    assert codes(suivi.trier(LIGNES, "contrat", decroissant=True)) == [
        "ti-03",
        "ti-02",
        "ti-04",
        "ti-01",
    ]


def test_les_egalites_restent_dans_l_ordre_des_codes_et_une_colonne_inconnue_trie_par_code():
    assert codes(suivi.trier(LIGNES, "avenants", decroissant=True)) == [
        "ti-01",
        "ti-02",
        "ti-03",
        "ti-04",
    ]
    assert codes(suivi.trier(LIGNES, "inconnue")) == ["ti-01", "ti-02", "ti-03", "ti-04"]
    assert codes(suivi.trier(LIGNES, "contrat_signe_le", decroissant=True))[0] == "ti-03"


def test_les_filtres_se_combinent():
    assert codes(suivi.filtrer(LIGNES, contrat=suivi.SANS_DOCUMENT)) == ["ti-01"]
    assert codes(suivi.filtrer(LIGNES, contrat=EtatDocument.VALIDE, pilote=True)) == ["ti-02"]
    assert codes(suivi.filtrer(LIGNES, region="27")) == ["ti-02"]
    sans_chef = suivi.filtrer(LIGNES, sans_chef_projet=True)
    assert "ti-03" not in codes(sans_chef) and len(sans_chef) == 3
    assert codes(suivi.filtrer(LIGNES, en_retard=True)) == codes(LIGNES)  # all lack a binôme


def test_les_cellules_du_tableau():
    v = suivi.valeurs(LIGNES[2], {"84": "Auvergne-Rhône-Alpes", "27": "Bourgogne-Franche-Comté"})
    assert v["territoire"] == "ti-02 Territoire ti-02"
    assert v["regions"] == "Auvergne-Rhône-Alpes, Bourgogne-Franche-Comté"
    assert v["contrat"] == "Validé, en signature" and v["chef_projet"] == "à désigner"
    assert set(v) == {c.cle for c in suivi.COLONNES}
    assert suivi.valeurs(LIGNES[1], {})["contrat"] == "—"
