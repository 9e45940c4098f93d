"""A groupement file applied over a commune-level map (docs/adr/0009): one test per rule.

The territory of these tests is built at commune level in the test phase, from real EPCI of
the referential; then a groupement file is applied a year later.
"""

from datetime import date

import pytest

from referentiel.models import EPCI, Commune
from territoires.importer import ImportInvalide, importer
from territoires.models import Perimetre, Territoire
from territoires.tests.fabriques import phase_d_essai

pytestmark = pytest.mark.django_db

CREATION = date(2023, 11, 9)
MISE_A_JOUR = date(2024, 9, 16)
MGP = "200054781"


def cc(n: int) -> list[EPCI]:
    """n communautés de communes of the région 84, with at least three communes each."""
    out = []
    for e in (
        EPCI.objects.filter(nature="CC", communes__region_id="84").distinct().order_by("siren")
    ):
        if e.communes.count() >= 3:
            out.append(e)
        if len(out) == n:
            return out
    raise AssertionError("pas assez de communautés de communes")


def communes(epci: EPCI) -> list[str]:
    field = "ept" if epci.nature == "EPT" else "epci"
    return sorted(Commune.objects.filter(**{field: epci}).values_list("code", flat=True))


def territoire_communal(codes: list[str]) -> Territoire:
    lignes = ["insee_com,lib_com,id_ti,lib_ti"] + [f"{c},X,ti-8499,Essai" for c in codes]
    importer("\n".join(lignes).encode(), phase=phase_d_essai(), date=CREATION)
    return Territoire.objects.get(phase=phase_d_essai(), code="ti-8499")


def groupements(*sirens: str):
    lignes = ["id_ti,lib_ti,siren_groupement,lib_groupement"]
    lignes += [f"ti-8499,Essai,{s},X" for s in sirens]
    return importer("\n".join(lignes).encode(), phase=phase_d_essai(), date=MISE_A_JOUR)


def perimetre(t: Territoire, jour: date) -> set[str]:
    return set(
        Perimetre.objects.a_date(jour).filter(territoire=t).values_list("commune_id", flat=True)
    )


def test_un_epci_liste_entier_n_ajoute_ses_communes_que_si_le_territoire_n_en_a_aucune():
    a, b, c = cc(3)
    partie_de_b = communes(b)[1:]
    t = territoire_communal(communes(a) + partie_de_b)

    rapport = groupements(a.siren, b.siren, c.siren)

    # The new EPCI enters whole; the one held in part is not completed.
    assert perimetre(t, MISE_A_JOUR) == set(communes(a)) | set(partie_de_b) | set(communes(c))
    assert list(rapport.changements) == ["ti-8499"]
    assert c.siren in rapport.changements["ti-8499"][0]
    assert [(e.territoire, e.communes) for e in rapport.ecarts] == [("ti-8499", [communes(b)[0]])]
    assert "listée entière" in rapport.ecarts[0].texte and "non ajoutée" in rapport.ecarts[0].texte


def test_un_epci_absent_ne_retire_ses_communes_que_si_le_territoire_les_a_toutes():
    a, b, d = cc(3)
    partie_de_b = communes(b)[1:]
    t = territoire_communal(communes(a) + partie_de_b + communes(d))

    rapport = groupements(a.siren)

    # d, held whole, leaves; b, held in part, stays: the file cannot say « part of b ».
    assert perimetre(t, MISE_A_JOUR) == set(communes(a)) | set(partie_de_b)
    assert perimetre(t, date(2024, 9, 15)) == set(communes(a) + partie_de_b + communes(d))
    ch = t.changements.get(date=MISE_A_JOUR)
    assert ch.nature == "retrait" and ch.details == {"epci": [d.siren]}
    assert ch.communes_retirees == len(communes(d))
    assert [(e.territoire, e.communes) for e in rapport.ecarts] == [
        ("ti-8499", sorted(partie_de_b))
    ]
    assert "conservée" in rapport.ecarts[0].texte


def test_un_ept_absent_mais_couvert_par_un_groupement_liste_reste():
    # The Métropole du Grand Paris is named through its EPT; a file naming the métropole
    # instead does not remove the EPT's communes, nor add the rest of the métropole.
    (a,) = cc(1)
    ept = EPCI.objects.filter(nature="EPT").order_by("siren").first()
    t = territoire_communal(communes(a) + communes(ept))

    rapport = groupements(a.siren, MGP)

    assert rapport.inchange
    assert perimetre(t, MISE_A_JOUR) == set(communes(a)) | set(communes(ept))
    assert {(e.territoire, tuple(e.communes)) for e in rapport.ecarts} == {
        ("ti-8499", tuple(sorted(set(communes(EPCI.objects.get(pk=MGP))) - set(communes(ept))))),
        ("ti-8499", tuple(communes(ept))),
    }


def test_les_communes_nommees_par_leur_siren_sont_exactes_les_autres_de_leur_epci_sortent():
    a, b, c = cc(3)
    t = territoire_communal(communes(a) + communes(b))
    gardees = communes(b)[:2]
    entrante = communes(c)[0]
    sirens = dict(
        Commune.objects.values_list("code", "siren").filter(code__in=[*gardees, entrante])
    )

    rapport = groupements(a.siren, *[sirens[c] for c in gardees], sirens[entrante])

    assert perimetre(t, MISE_A_JOUR) == set(communes(a)) | set(gardees) | {entrante}
    textes = " ".join(rapport.changements["ti-8499"])
    assert f"Sortie de {len(communes(b)) - 2} commune(s) de {b.nom}" in textes
    assert f"({entrante})" in textes
    # c is not completed: the commune named is exact.
    assert rapport.ecarts == []


def test_une_liste_de_groupements_ne_nomme_pas_un_epci_entier_et_une_de_ses_communes():
    (a,) = cc(1)
    siren_commune = Commune.objects.get(code=communes(a)[0]).siren
    with pytest.raises(ImportInvalide) as exc:
        groupements(a.siren, siren_commune)
    assert "nommer les communes suffit" in exc.value.erreurs[0]
    assert not Territoire.objects.filter(phase=phase_d_essai()).exists()


def test_un_siren_qui_ne_designe_ni_epci_ni_ept_ni_commune_est_refuse():
    with pytest.raises(ImportInvalide) as exc:
        groupements("732829320")  # a company's SIREN
    assert exc.value.erreurs == ["Ligne 2 : groupement 732829320 inconnu du référentiel."]


def test_le_meme_fichier_reapplique_ne_change_rien():
    a, b, c, d = cc(4)
    t = territoire_communal(communes(a) + communes(b)[1:] + communes(d))
    assert not groupements(a.siren, b.siren, c.siren).inchange
    avant = t.changements.count()
    rapport = groupements(a.siren, b.siren, c.siren)
    assert rapport.inchange and t.changements.count() == avant
