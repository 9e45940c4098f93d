"""The programme's figures to the cent at each level, for three readers, and statistical
secrecy: a firm's amount never shows in a figure its reader may not read (suivi.chiffres)."""

import re
import uuid
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptes import memoire
from comptes.permissions import portee
from comptes.secrets import MOTIF_SEUIL
from suivi import chiffres, instantanes, services
from suivi.perimetre import PAR

from .programme import construire

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return construire()


def valeurs(m: chiffres.Montants) -> dict:
    return {
        nom: getattr(m, nom).valeur
        for nom in ("demande", "accorde", "engage", "paye", "reste_a_payer")
    } | {"taux_accord": m.taux_accord.valeur, "effet_levier": m.effet_levier.valeur}


def par(user, niveau, **filtres) -> dict:
    return {r.libelle: r.montants for r in chiffres.repartition(user, niveau, **filtres)}


def test_le_pilote_de_la_region_voit_chaque_euro_au_centime(w):
    """The Région's pilot reads its région's secrets: every figure is exact."""
    u = w["pilote84"]
    assert valeurs(chiffres.montants(u)) == {
        # A 100 000 + B 80 000,50 + C 30 000 + 20 000 + G 10 000 + E 45 000,25 (D unseen)
        "demande": D("285000.75"),
        "accorde": D("255000.75"),  # A, B, C (Bpifrance), E
        "engage": D("170000.25"),  # A 100 000, C 30 000 − 5 000, E 45 000,25
        "paye": D("155000.25"),  # A 40 000 + 60 000, C 10 000, E 45 000,25
        "reste_a_payer": D("95000.50"),  # B 80 000,50 + C 30 000 − 5 000 − 10 000
        "taux_accord": D("0.8947"),
        # Plans: A 150 000, B 100 000,50, C 80 000, E 45 000,25, over 255 000,75 public.
        "effet_levier": D("1.47"),
    }
    financeurs = par(u, "financeur")
    assert valeurs(financeurs["Bpifrance"]) == {
        "demande": D("130000.00"),
        "accorde": D("130000.00"),
        "engage": D("125000.00"),
        "paye": D("110000.00"),
        "reste_a_payer": D("15000.00"),
        "taux_accord": D("1.0000"),
        "effet_levier": D("1.77"),  # (150 000 + 80 000) / 130 000
    }
    bdt = valeurs(financeurs["Banque des territoires"])
    assert (bdt["demande"], bdt["accorde"], bdt["engage"], bdt["paye"]) == (
        D("155000.75"),  # B 80 000,50 + C 20 000 (refused) + G 10 000 + E 45 000,25
        D("125000.75"),
        D("45000.25"),
        D("45000.25"),
    )
    regions = par(u, "region")
    assert regions["Auvergne-Rhône-Alpes"].demande.valeur == D("240000.50")
    assert regions["Bourgogne-Franche-Comté"].accorde.valeur == D("45000.25")
    territoires = par(u, "territoire")
    assert territoires["ti-8401 Ardèche Drôme Nord"].accorde.valeur == D("180000.50")
    assert territoires["ti-8413 Plastics Vallée – Oyonnax"].engage.valeur == D("25000.00")
    axes = par(u, "axe")
    assert axes["Transition écologique et énergétique (priorité, phase 2)"].accorde.valeur == D(
        "80000.50"
    )
    assert par(u, "phase")["Phase 2 (2023-2027)"].paye.valeur == D("155000.25")


def test_chaque_chiffre_a_sa_date_par_periode_et_entre_deux_dates(w):
    u = w["pilote84"]
    mois = par(u, "mois")
    assert {k: m.paye.valeur for k, m in mois.items() if m.paye.valeur} == {
        "02/2025": D("10000.00"),
        "03/2025": D("45000.25"),
        "05/2025": D("40000.00"),
        "07/2025": D("60000.00"),
    }
    assert mois["03/2025"].engage.valeur == D("-5000.00")  # C's reduction, that month
    trimestres = par(u, "trimestre")
    assert trimestres["T4 2024"].accorde.valeur == D("30000.00")
    assert trimestres["T1 2025"].accorde.valeur == D("145000.25")  # A 100 000 + E 45 000,25
    assert par(u, "annee")["2025"].paye.valeur == D("155000.25")
    premier_semestre = chiffres.montants(u, debut=date(2025, 1, 1), fin=date(2025, 6, 30))
    assert premier_semestre.paye.valeur == D("95000.25")  # July's 60 000 left out
    assert premier_semestre.demande.valeur == D("190000.50")  # A, B, G requested in 2025
    filtre = chiffres.montants(u, financeur=w["bpi"], region="84", fin=date(2025, 4, 30))
    assert (filtre.accorde.valeur, filtre.engage.valeur, filtre.paye.valeur) == (
        D("130000.00"),
        D("125000.00"),
        D("10000.00"),
    )
    assert chiffres.montants(u, axe="foncier").paye.valeur == D("45000.25")
    assert chiffres.montants(u, territoire=w["t8413"]).reste_a_payer.valeur == D("15000.00")


def test_la_delegation_nationale_voit_les_totaux_sous_secret_statistique(w):
    """National staff read no firm's amount: a figure shows only where at least three firms
    hide in it, none above 85 %."""
    m = chiffres.montants(w["national"])
    # Demandé: F1 100 000, F2 80 000,50, F3 60 000 hidden (three firms, 42 % at most).
    assert m.demande.valeur == D("345000.75")
    # Accordé: only F1 and F2 hide in it.
    for figure in (m.accorde, m.engage, m.paye, m.reste_a_payer):
        assert (figure.valeur, figure.motif) == (None, MOTIF_SEUIL)
    assert (m.taux_accord.valeur, m.taux_accord.motif) == (None, MOTIF_SEUIL)
    assert m.effet_levier.valeur is None
    regions = par(w["national"], "region")
    assert regions["Auvergne-Rhône-Alpes"].demande.motif == MOTIF_SEUIL
    assert regions["Bourgogne-Franche-Comté"].demande.motif == MOTIF_SEUIL  # F3 alone
    assert regions["Bourgogne-Franche-Comté"].paye.valeur == D("45000.25")  # public only
    assert par(w["national"], "territoire")["ti-8413 Plastics Vallée – Oyonnax"].paye.valeur == D(
        "10000.00"
    )


def test_l_equipe_d_un_autre_territoire_voit_le_sien_et_le_public(w):
    u = w["chef2704"]
    assert valeurs(chiffres.montants(u)) == {
        "demande": D("155000.25"),  # D 60 000 (its own firm), E 45 000,25, C 30 000 + 20 000
        "accorde": D("75000.25"),
        "engage": D("70000.25"),
        "paye": D("55000.25"),
        "reste_a_payer": D("15000.00"),
        "taux_accord": D("0.4839"),
        "effet_levier": D("1.67"),  # (80 000 + 45 000,25) / 75 000,25
    }
    assert set(par(u, "territoire")) == {
        "ti-2704 Grand Chalon",
        "ti-8413 Plastics Vallée – Oyonnax",
    }


def _montre(texte: str, nombre: D) -> bool:
    """The number, however written (100000, 100 000, 100000.00, 100 000,00)."""
    entier, _, cents = f"{nombre:.2f}".partition(".")
    groupes = [entier[max(0, i - 3) : i] for i in range(len(entier), 0, -3)][::-1]
    motif = r"[\s\u202f\xa0.,]?".join(groupes)
    fin = (
        r"(?![\d])" if cents == "00" else r"[.,]" + cents[0] + (cents[1] if cents[1] != "0" else "")
    )
    return re.search(r"(?<![\d])" + motif + fin, texte) is not None


def tout_ce_qu_il_lit(user) -> str:
    """Every figure of every level, for several filters, and a snapshot where allowed."""
    out = []
    for filtres in ({}, {"region": "84"}, {"axe": "innovation"}, {"fin": date(2025, 5, 31)}):
        out.append(repr(chiffres.montants(user, **filtres)))
        for niveau in PAR:
            out += [repr(r) for r in chiffres.repartition(user, niveau, **filtres)]
    out.append(repr(chiffres.engagements_annonces(user)))
    if portee(user).national:
        out.append(repr(instantanes.figer(user, libelle="CNI").donnees))
    return " ".join(out)


# What F1 (A) and F2 (B) alone make, and what a total of the région or of a funder would
# give away if it were published with them inside.
SECRETS_84 = [
    D("100000"),  # F1: A's line, committed, paid
    D("40000"),  # F1: A's first payment
    D("150000"),  # F1: A's plan
    D("80000.50"),  # F2: B's line
    D("100000.50"),  # F2: B's plan
    D("210000.50"),  # granted in région 84: 30 000 + A + B
    D("240000.50"),  # requested in région 84
    D("130000"),  # Bpifrance granted: C + A
    D("110000"),  # Bpifrance paid: C + A
    D("125000.75"),  # Banque des territoires granted: B + E
    D("255000.75"),  # granted, programme
    D("170000.25"),  # committed, programme
    D("190000.50"),  # requested in ti-8401
]


@pytest.mark.parametrize(
    "lecteur,interdits",
    [
        # F3 too (D), with ti-2704's total; and what the programme paid with A inside. (Not
        # région 84's request: the same sum is also F1 + F2 + F3, three firms, in T1 2025.)
        (
            "national",
            [n for n in SECRETS_84 if n != D("240000.50")]
            + [D("60000"), D("105000.25"), D("155000.25")],
        ),
        ("chef2704", SECRETS_84),  # another territory's team: its own firm it reads
        ("referent_bpi", [D("80000.50"), D("100000.50"), D("125000.75")]),  # F2's is BDT's
    ],
)
def test_un_montant_secret_n_apparait_dans_aucun_chiffre_que_le_lecteur_ne_peut_lire(
    w, lecteur, interdits
):
    services.annoncer_engagement(
        user=w["national"],
        operateur=w["bpi"],
        phase=2,
        montant=D("500000"),
        date=date(2024, 1, 15),
        source="Annonce de l'opérateur",
    )
    lu = tout_ce_qu_il_lit(w[lecteur])
    assert [n for n in interdits if _montre(lu, n)] == []
    assert MOTIF_SEUIL in lu or lecteur != "national"
    # The same collection, read by the pilot who may read them, shows them: the check bites.
    par_le_pilote = tout_ce_qu_il_lit(w["pilote84"])
    plans = (D("150000"), D("100000.50"))  # plans show only inside a ratio
    assert all(_montre(par_le_pilote, n) for n in SECRETS_84 if n not in plans)


def test_trois_entreprises_equilibrees_le_total_parait(w):
    """Give F3 (D) a granted line too: three firms, none above 85 % — the national figure
    shows, exact to the cent."""
    w["ligne_d"].statut, w["ligne_d"].decide_le = "accorde", date(2025, 4, 1)
    w["ligne_d"].save()
    m = chiffres.montants(w["national"])
    assert m.accorde.valeur == D("315000.75")  # 75 000,25 public + 100 000 + 80 000,50 + 60 000


def test_une_entreprise_au_dela_de_85_pourcent_retient_le_total(w):
    from comptes.secrets import MOTIF_DOMINANCE

    w["ligne_d"].montant = D("2000000")
    w["ligne_d"].save()
    assert chiffres.montants(w["national"]).demande.motif == MOTIF_DOMINANCE


def test_quelques_requetes_quel_que_soit_le_nombre_de_lignes(w):
    chiffres.montants(w["national"])  # warm the caches of the scope
    with CaptureQueriesContext(connection) as avant:
        chiffres.repartition(w["national"], "financeur")
    # Many more lines: the same number of queries.
    from fiches.models import LigneFinancement

    lignes = list(LigneFinancement.objects.filter(fiche=w["c"]))
    for _ in range(30):
        for li in lignes:
            li.pk = None
            li.save()
    with CaptureQueriesContext(connection) as apres:
        chiffres.repartition(w["national"], "financeur")
    assert len(apres.captured_queries) == len(avant.captured_queries) <= 10


def test_engagement_annonce_face_aux_chiffres_de_l_operateur(w):
    services.annoncer_engagement(
        user=w["national"],
        operateur=w["bpi"],
        phase=2,
        montant=D("500000"),
        date=date(2024, 1, 15),
        source="Communiqué",
    )
    [a] = chiffres.engagements_annonces(w["pilote84"])
    assert (a.annonce, a.montants.engage.valeur, a.part_engagee.valeur) == (
        D("500000.00"),
        D("125000.00"),
        D("0.2500"),
    )
    [a] = chiffres.engagements_annonces(w["national"])
    assert a.part_engagee.valeur is None and a.part_engagee.motif == MOTIF_SEUIL


def test_seule_la_delegation_nationale_saisit_un_engagement_annonce(w):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.annoncer_engagement(
            user=w["pilote84"],
            operateur=w["bpi"],
            phase=2,
            montant=D("1"),
            date=date(2024, 1, 15),
            source="x",
        )


LECTEURS = ("national", "pilote84", "chef2704", "referent_bpi")


def test_une_lecture_de_tout_l_argent_donne_les_memes_chiffres(w):
    """A dashboard reads its money once at the grain (territory, funder) and sums every
    breakdown from it (suivi.calcul): the very same figures, secrecy included, as each
    breakdown computed on its own, for every reader and filter."""
    from suivi.calcul import PHASE_FINANCEUR, Calcul

    for qui in LECTEURS:
        for filtres in ({}, {"phase": 2}, {"region": "84"}, {"region": "27", "phase": 2}):
            c = Calcul(w[qui], **filtres)
            assert c.montants() == chiffres.montants(w[qui], **filtres), (qui, filtres)
            for niveau in ("phase", "territoire", "financeur", "region"):
                attendu = chiffres.repartition(w[qui], niveau, **filtres)
                assert c.repartition(niveau) == attendu, (qui, filtres, niveau)
        par_phase = Calcul(w[qui]).par_cle(PHASE_FINANCEUR)
        for r in chiffres.repartition(w[qui], "financeur", phase=2):
            assert par_phase[(2, r.cle)] == r.montants, qui
    # Something secret was withheld, something exact was shown.
    assert any(li.montants.demande.retenu for li in Calcul(w["national"]).repartition("region"))
    assert Calcul(w["pilote84"], region="84").montants().accorde.valeur


def _parametres(fonction) -> list[int]:
    """The number of parameters of each query `fonction` runs."""
    nombres = []

    def compter(execute, sql, params, many, context):
        nombres.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(compter):
        fonction()
    return nombres


def test_le_perimetre_reste_une_sous_requete_quel_que_soit_le_nombre_de_fiches(w, client):
    """On a région's dashboard, the fiches its pilot sees and the région's territories stay
    subqueries: no list of fiche ids inlined in the queries, which would grow with the data
    (and break SQLite's limit on parameters)."""
    from fiches.models import FicheAction

    client.force_login(w["pilote84"])
    url = "/tableaux/regions/84/"

    def page():
        assert client.get(url).status_code == 200

    page()
    memoire.oublier()  # computed again, as after any write (comptes.memoire)
    avant = _parametres(page)
    fiche = FicheAction.objects.get(pk=w["a"].pk)  # in instruction in ti-8401
    for numero in range(50, 90):
        fiche.pk, fiche.uuid, fiche.numero = None, uuid.uuid4(), numero
        fiche.save()
    apres = _parametres(page)
    # 40 more fiches in the région, not one more parameter in any query.
    assert sorted(apres) == sorted(avant)


def test_chaque_euro_au_centime_par_mesure_du_panier(w):
    """A measure of the basket shared by two funders' lines (A: Bpifrance, B: Banque des
    territoires): its figures are theirs, the rest stays « sans mesure »."""
    from mesures.models import Mesure

    mesure = Mesure.objects.first()
    for fiche, financeur in ((w["a"], w["bpi"]), (w["b"], w["bdt"])):
        fiche.lignes.filter(financeur=financeur).update(mesure=mesure)
    lignes = {r.cle: r.montants for r in chiffres.repartition(w["pilote84"], "mesure")}
    assert valeurs(lignes[mesure.pk]) == {
        "demande": D("180000.50"),
        "accorde": D("180000.50"),
        "engage": D("100000.00"),
        "paye": D("100000.00"),
        "reste_a_payer": D("80000.50"),
        "taux_accord": D("1.0000"),
        "effet_levier": D("1.39"),  # plans of A and B, 250 000,50, over 180 000,50 public
    }
    sans = valeurs(lignes[None])  # C's two lines, G's, E's (inscribed: public)
    assert (sans["demande"], sans["accorde"], sans["paye"]) == (
        D("105000.25"),
        D("75000.25"),
        D("55000.25"),
    )
