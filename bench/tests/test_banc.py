"""The benchmark's machinery (not timed): the databases it may drop, the reads it replays,
and the report's ratios, among them the growth from the small scale to the run's."""

import pytest

from bench.banc import pages, rapport, serveurs


def test_la_preparation_postgres_refuse_une_base_sans_bench():
    # An unreachable server: the refusal comes before any connection, so nothing is dropped.
    with pytest.raises(SystemExit, match="bench"):
        serveurs.preparer_postgres("postgres://postgres@127.0.0.1:1/ti_production", 0.01)


def test_les_bases_voisines_du_banc_gardent_bench_dans_leur_nom():
    url = "postgres://postgres@127.0.0.1:54330/ti_bench_b?sslmode=disable"
    petite = serveurs.url_voisine(url, "_petit")
    assert petite == "postgres://postgres@127.0.0.1:54330/ti_bench_b_petit?sslmode=disable"
    assert serveurs.nom_de_base(petite) == "ti_bench_b_petit"
    assert serveurs.nom_de_base(serveurs.url_voisine(url, "_modele")) == "ti_bench_b_modele"


def test_les_ports_du_banc_se_choisissent():
    avant = serveurs.PORT_PLATEFORME, serveurs.PORT_PETIT
    try:
        serveurs.regler_ports(8240)
        assert (serveurs.PORT_PLATEFORME, serveurs.PORT_DATASETTE, serveurs.PORT_PETIT) == (
            8240,
            8241,
            8242,
        )
    finally:
        serveurs.regler_ports(*avant)


def test_une_lecture_par_curseur_serveur_est_rejouee_comme_une_lecture():
    """PostgreSQL reads an iterator() through DECLARE … CURSOR: a read, never a write."""
    declare = 'DECLARE "_django_curs_1_sync_3" NO SCROLL CURSOR WITH HOLD FOR SELECT "a" FROM "t"'
    assert pages.lecture(declare) == 'SELECT "a" FROM "t"'
    assert pages.lecture("  WITH x AS (SELECT 1) SELECT * FROM x").startswith("WITH")
    assert pages.lecture('UPDATE "t" SET "a" = 1') is None


def _cas(plateforme, petit, liste=True, libelle="Fiches (national)"):
    cas = pages.Cas(libelle, "/fiches/", liste=liste)
    cas.temps["plateforme"] = plateforme
    cas.temps["sql"] = [0.01] * len(plateforme)
    cas.temps["petit"] = petit
    return cas


def test_le_rapport_calcule_la_croissance_de_chaque_page():
    r = pages.resume(_cas([0.15, 0.12, 0.30], [0.10, 0.08, 0.09]))
    assert r["mediane_ms"] == pytest.approx(150)
    assert r["petite_mediane_ms"] == pytest.approx(90)
    assert r["croissance"] == pytest.approx(150 / 90)
    sans = pages.resume(_cas([0.15], []))
    assert sans["petite_mediane_ms"] is None and sans["croissance"] is None


def _lignes(*cas):
    return [pages.resume(c) for c in cas]


def _cible_croissance(lignes):
    extra = {"premiere_fiche_s": 0.1, "memoire_exports_ko": 0, "echelle": 1.0}
    extra["petite_echelle"] = 0.1
    cibles = rapport.objectifs(lignes, extra)
    return next(c for c in cibles if c["objectif"].startswith("Du jeu de démonstration"))


def test_la_croissance_ne_juge_que_les_pages_paginees():
    export = _cas([2.0], [0.5], liste=False, libelle="Export XLSX des fiches")
    cible = _cible_croissance(_lignes(_cas([0.14], [0.10]), export))
    assert cible["atteint"] is True
    assert "pire croissance 1,40 (Fiches (national))" in cible["constat"]
    assert "0,10 → 1,00" in cible["constat"]


def test_une_liste_qui_grandit_plus_de_1_5_fois_manque_la_cible():
    cible = _cible_croissance(_lignes(_cas([0.14], [0.10]), _cas([0.32], [0.20], libelle="L")))
    assert cible["atteint"] is False
    assert "1,60 (L)" in cible["constat"]


def test_sans_petite_echelle_la_croissance_est_non_mesuree():
    cible = _cible_croissance(_lignes(_cas([0.14], [])))
    assert cible["atteint"] is None and "non mesuré" in cible["constat"]


def test_sans_datasette_la_cible_des_listes_est_non_mesuree_et_non_manquee():
    """On PostgreSQL Datasette does not run: the target is not measured, not missed."""
    lignes = _lignes(_cas([0.14], [0.10]))
    cibles = rapport.objectifs(lignes, {"premiere_fiche_s": 0.1, "memoire_exports_ko": 0})
    listes = next(c for c in cibles if "Datasette" in c["objectif"])
    assert listes["atteint"] is None
    assert "SQLite" in listes["constat"]


def test_le_tableau_montre_la_croissance_et_omet_les_colonnes_vides():
    texte = rapport.tableau(_lignes(_cas([0.15], [0.10])))
    entete, _, rang = texte.splitlines()
    assert "croissance" in entete and "petite échelle ms" in entete
    assert "Datasette" not in entete  # nobody measured it
    assert rang.split()[-1] == "1,50"
    assert "croissance" not in rapport.tableau(_lignes(_cas([0.15], [])))


def _avec_sql(cas, secondes: float):
    cas.sql, cas.temps["sql"] = ["SELECT 1"], [secondes] * len(cas.temps["plateforme"])
    return cas


def test_la_cible_du_sql_compte_les_pages_qui_lisent_moins_que_le_tiers_du_plancher():
    """A page reading no data gives the fixed cost of any page: a page whose SQL is under a
    third of it cannot be within 3 times its SQL, and the constat says how many are."""
    plancher = _cas([0.010], [], liste=False, libelle=pages.PLANCHER)
    lourde = _avec_sql(_cas([0.030], [], libelle="Lourde"), 0.012)
    legere = _avec_sql(_cas([0.016], [], libelle="Légère"), 0.0004)
    lignes = _lignes(plancher, lourde, legere)
    assert lignes[0]["ratio_sql"] is None  # no SQL: no ratio, whatever the replay measured
    cibles = rapport.objectifs(lignes, {"premiere_fiche_s": 0.1, "memoire_exports_ko": 0})
    sql = next(c for c in cibles if "propre SQL" in c["objectif"])
    assert sql["atteint"] is False
    assert "pire rapport 40,0 (Légère) ; 1 sur 2 pages au plus 3 fois" in sql["constat"]
    assert "une page sans données prend 10,0 ms : 1 des 1 autres" in sql["constat"]
    cibles = rapport.objectifs(
        _lignes(plancher, lourde), {"premiere_fiche_s": 0.1, "memoire_exports_ko": 0}
    )
    assert next(c for c in cibles if "propre SQL" in c["objectif"])["atteint"] is True
