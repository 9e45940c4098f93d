"""The platform's search (docs/adr/0018-recherche.md): in French (accents, plurals, word
beginnings), territories by name, code or any commune's name or INSEE code, fiches, measures,
news and the directory; scoped to the reader; never on a secret field."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from actualites.models import Actualite, Evenement, Ressource
from comptes.enums import Role, TypeOrganisation
from comptes.models import Organisation, Personne, ProfilEntreprise
from comptes.services import creer_jeton
from fiches.enums import Etat
from fiches.models import FicheAction, MotFiche
from fiches.services import modifier_fiche
from fiches.tests.fabriques import entreprise, equipe, fiche, personne, territoire
from financements.models import Ajustement, Engagement, Paiement
from mesures.models import Mesure
from referentiel.moteur import chercher, requete
from territoires.models import Perimetre, Territoire

pytestmark = pytest.mark.django_db


def trouves(user, q, genre) -> list[str]:
    """The identifiers of what `q` finds of this kind, for this person."""
    _, groupes = chercher(user, q, genre)
    return [r.identifiant for g in groupes for r in g.presenter(g.objets)]


def territoires_de(code_commune: str) -> set[str]:
    return set(
        Perimetre.objects.filter(date_fin__isnull=True, commune_id=code_commune).values_list(
            "territoire__code", flat=True
        )
    )


# --- Territories: names, codes, communes ---------------------------------------------------


def test_accents_une_commune_tapee_sans_accents_ni_tirets_trouve_son_territoire():
    attendus = territoires_de("07324")  # Tournon-sur-Rhône
    assert attendus
    assert attendus <= set(trouves(None, "tournon sur rhone", "territoires"))


def test_accents_epinal_et_epinal_accentue_trouvent_les_memes_territoires():
    attendus = territoires_de("88160")  # Épinal
    assert attendus
    assert set(trouves(None, "Epinal", "territoires")) == set(
        trouves(None, "Épinal", "territoires")
    )
    assert attendus <= set(trouves(None, "épinal", "territoires"))


def test_code_commune_le_code_insee_trouve_les_territoires_de_la_commune():
    attendus = territoires_de("07010")  # Annonay
    assert attendus
    assert set(trouves(None, "07010", "territoires")) == attendus


def test_code_territoire_trouve_le_territoire_des_deux_phases():
    codes = trouves(None, "8401", "territoires")
    assert {"8401", "ti-8401"} <= set(codes)
    assert trouves(None, "ti-8401", "territoires")[0] == "ti-8401"


def test_nom_de_territoire_sans_accents():
    t = Territoire.objects.filter(nom__contains="é").first()
    sans = t.nom.replace("é", "e").upper()
    assert t.code in trouves(None, sans, "territoires")


# --- Fiches: plurals, scope, what is searched ----------------------------------------------


@pytest.fixture
def p():
    return equipe()


def test_pluriels_fonderies_trouve_la_fiche_d_une_fonderie(p):
    f = fiche(p["chef"], titre="Modernisation de la fonderie d'Annonay")
    assert f.reference in trouves(p["chef"], "fonderies", "fiches")
    assert f.reference in trouves(p["chef"], "FONDERIE annonay", "fiches")
    assert f.reference not in trouves(p["chef"], "fonderie privas", "fiches")


def test_portee_une_fiche_hors_de_portee_n_est_jamais_trouvee(p, client):
    f = fiche(p["chef"], titre="Campus des métiers de la chaudronnerie")
    # Its team, the État, the Région, the delegation, and the funder it asks money from.
    for qui in ("chef", "etat", "pilote", "national", "bpi"):
        assert f.reference in trouves(p[qui], "chaudronnerie", "fiches"), qui
    for qui in (None, p["chef8408"]):
        assert trouves(qui, "chaudronnerie", "fiches") == [], qui
    # The page and the API say the same: absent, as if it did not exist.
    page = client.get("/recherche/?q=chaudronnerie").content.decode()
    assert "0 résultat pour" in page and f.reference not in page
    r = client.get("/api/v1/recherche", {"q": "chaudronnerie", "genre": "fiches"})
    assert r.json()["groupes"][0] == {
        "genre": "fiches",
        "libelle": "Fiches-actions",
        "total": 0,
        "resultats": [],
    }
    client.force_login(p["chef8408"])
    assert f.reference not in client.get("/recherche/?q=chaudronnerie").content.decode()
    client.force_login(p["chef"])
    assert f.reference in client.get("/recherche/?q=chaudronnerie").content.decode()


def test_portee_une_fiche_inscrite_est_publique(p):
    f = fiche(p["chef"], titre="Plateforme logistique mutualisée")
    FicheAction.objects.filter(pk=f.pk).update(etat=Etat.INSCRITE)
    assert f.reference in trouves(None, "logistique mutualisee", "fiches")


def test_une_description_publique_se_trouve_une_secrete_jamais(p):
    commune = Perimetre.objects.filter(territoire=territoire("8401"), date_fin__isnull=True)
    mairie = Organisation.objects.create(
        nom="Commune porteuse", type=TypeOrganisation.COMMUNE, commune_id=commune[0].commune_id
    )
    publique = fiche(p["chef"], porteur=mairie, description="Réseau de chaleur biomasse")
    secrete = fiche(p["chef"], description="Four à hydrogène vert")
    assert publique.champs_secrets == [] and "description" in secrete.champs_secrets
    assert publique.reference in trouves(p["chef"], "biomasse", "fiches")
    assert trouves(p["chef"], "hydrogene", "fiches") == []


def test_une_fiche_modifiee_se_trouve_par_ses_nouveaux_mots(p):
    f = fiche(p["chef"], titre="Ancien titre")
    modifier_fiche(user=p["chef"], fiche=f, version=f.version, donnees={"titre": "Tréfilerie"})
    assert f.reference in trouves(p["chef"], "trefileries", "fiches")
    assert trouves(p["chef"], "ancien", "fiches") == []


def test_la_commande_reindexer_recherche_refait_le_texte_cherche(p):
    f = fiche(p["chef"], titre="Usine de recyclage des batteries")
    # As after a bulk load that went around save(): neither the text nor its words.
    FicheAction.objects.filter(pk=f.pk).update(texte_recherche="")
    MotFiche.objects.filter(fiche=f).delete()
    assert trouves(p["chef"], "batterie", "fiches") == []
    sortie = io.StringIO()
    call_command("reindexer_recherche", stdout=sortie)
    assert "1 textes refaits" in sortie.getvalue()
    assert f.reference in trouves(p["chef"], "batterie", "fiches")


# --- Measures, news, directory -------------------------------------------------------------


def test_un_visiteur_trouve_mesures_et_actualites_sans_accents_ni_pluriel():
    m = Mesure.objects.order_by("pk").first()
    mot = m.nom.split()[0]
    assert str(m.pk) in trouves(None, mot.upper(), "mesures")
    a = Actualite.objects.create(
        titre="Rencontre des chefs de projet",
        chapo="Séminaire à Épinal.",
        corps="Ateliers.",
        publiee_le=timezone.now(),
    )
    assert str(a.pk) in trouves(None, "seminaires epinal", "actualites")


def test_ressources_et_evenements_trouves_dans_la_portee_du_lecteur(p):
    """A published resource and a public event are found by a visitor, accents and plurals
    folded; a draft resource never, a network-only event once signed in."""
    publiee = Ressource.objects.create(
        titre="Guide méthodologique des fiches",
        resume="Écrire une fiche-action.",
        categorie="guide",
        date=date(2024, 3, 1),
        lien="https://exemple.fr/guide",
        publiee=True,
    )
    brouillon = Ressource.objects.create(
        titre="Guide méthodologique en chantier",
        resume="Brouillon.",
        categorie="guide",
        date=date(2024, 3, 2),
        lien="https://exemple.fr/brouillon",
    )
    debut = timezone.now() + timedelta(days=30)
    public = Evenement.objects.create(
        titre="Journée nationale des binômes",
        description="Rencontre à Épinal.",
        debut=debut,
        fin=debut + timedelta(hours=3),
        lieu="Épinal",
        organisateur="Délégation nationale",
    )
    reseau = Evenement.objects.create(
        titre="Atelier des chefs de projet",
        description="Réservé au réseau, à Épinal.",
        debut=debut,
        fin=debut + timedelta(hours=3),
        lien="https://exemple.fr/visio",
        organisateur="Délégation nationale",
        public=False,
    )
    assert trouves(None, "guides methodologiques", "ressources") == [str(publiee.pk)]
    assert str(brouillon.pk) not in trouves(p["chef"], "chantier", "ressources")
    assert trouves(None, "epinal", "evenements") == [str(public.pk)]
    assert set(trouves(p["chef"], "epinal", "evenements")) == {str(public.pk), str(reseau.pk)}


def test_l_annuaire_pour_les_connectes_et_sur_consentement_seulement(p):
    visible = personne("adele.reseau@exemple.fr", annuaire=True)
    Personne.objects.filter(compte=visible).update(fonction="Chargée de mission Industrie")
    cachee = personne("bertrand.prive@exemple.fr", annuaire=False)
    Personne.objects.filter(compte=cachee).update(fonction="Chargé de mission Industrie")
    trouvees = trouves(p["chef"], "chargee de missions", "annuaire")
    assert str(visible.personne.pk) in trouvees
    assert str(cachee.personne.pk) not in trouvees
    assert trouves(None, "chargee de mission", "annuaire") == []  # not even the kind


# --- Never on secret fields ----------------------------------------------------------------


def _planter(p) -> dict[tuple[str, str], str]:
    """A unique value in every secret field of every model; what to type to find each."""
    org = entreprise("8401", 7)
    ProfilEntreprise.objects.filter(organisation=org).update(
        effectif=73917,
        chiffre_affaires=Decimal("8642097531"),
        contact_nom="Qzxcontactnom",
        contact_email="qzxcontactemail@exemple.fr",
        contact_telephone="0699887766",
        projet="Qzxprojet",
    )
    personne("porteur@exemple.fr", Role.PORTEUR, organisation=org, annuaire=True)
    f = fiche(p["chef"], porteur=org, cout=Decimal("5551234"), description="Qzxdescription")
    ligne = f.lignes.get(financeur=p["bpi"].personne.designations.get().organisation)
    ligne.montant = Decimal("4441234")
    ligne.save()
    e = Engagement.objects.create(
        ligne=ligne,
        date=date(2024, 1, 5),
        montant=Decimal("3331234"),
        convention="C",
        par=p["chef"],
    )
    Paiement.objects.create(
        engagement=e, date=date(2024, 2, 5), montant=Decimal("2221234"), par=p["chef"]
    )
    Ajustement.objects.create(
        engagement=e,
        nature=Ajustement.Nature.choices[0][0],
        date=date(2024, 3, 5),
        montant=Decimal("1111234"),
        par=p["chef"],
    )
    # A public copy of the fiche, so that every persona could reach it if a secret leaked.
    FicheAction.objects.filter(pk=f.pk).update(etat=Etat.INSCRITE)
    return {
        ("ProfilEntreprise", "effectif"): "73917",
        ("ProfilEntreprise", "chiffre_affaires"): "8642097531",
        ("ProfilEntreprise", "contact_nom"): "qzxcontactnom",
        ("ProfilEntreprise", "contact_email"): "qzxcontactemail",
        ("ProfilEntreprise", "contact_telephone"): "0699887766",
        ("ProfilEntreprise", "projet"): "qzxprojet",
        ("FicheAction", "cout_total"): "5551234",
        ("FicheAction", "description"): "qzxdescription",
        ("LigneFinancement", "montant"): "4441234",
        ("Engagement", "montant"): "3331234",
        ("Paiement", "montant"): "2221234",
        ("Ajustement", "montant"): "1111234",
    }


def test_jamais_sur_un_champ_secret_pour_personne_page_et_api(p, client):
    plantes = _planter(p)
    secrets = {
        (m.__name__, champ) for m in apps.get_models() for champ in getattr(m, "SECRETABLE", ())
    }
    assert set(plantes) == secrets  # every secret field of the platform has its plant
    porteur = Personne.objects.get(email="porteur@exemple.fr").compte
    personas = {"anonyme": None, "porteur": porteur, **p}
    for nom, user in personas.items():
        entetes = {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(user)}"} if user else {}
        client.logout()
        if user:
            client.force_login(user)
        for champ, mot in plantes.items():
            _, groupes = chercher(user, mot)
            assert all(g.total == 0 for g in groupes), (nom, champ)
            page = client.get("/recherche/", {"q": mot}).content.decode()
            assert "0 résultat pour" in page, (nom, champ)
            api = client.get("/api/v1/recherche", {"q": mot}, **entetes).json()
            assert [g["total"] for g in api["groupes"]] == [0] * len(api["groupes"]), (nom, champ)


# --- The page --------------------------------------------------------------------------------


def test_page_groupee_par_sorte_avec_ses_nombres_puis_paginee(client):
    page = client.get("/recherche/", {"q": "saint"}).content.decode()
    assert '<h2 id="territoires">Territoires (' in page
    assert '<h2 id="fiches">Fiches-actions (0)</h2>' in page
    assert 'id="annuaire"' not in page  # a visitor has no directory to search
    assert "genre=territoires" in page  # « Voir les N résultats »
    r = client.get("/recherche/", {"q": "saint", "genre": "territoires", "page": 2})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'aria-current="page" title="Page 2"' in html and "résultats, page 2 —" in html


def test_la_barre_de_recherche_de_l_en_tete_mene_a_la_recherche(client):
    page = client.get("/").content.decode()
    assert 'role="search" method="get" action="/recherche/"' in page
    assert 'aria-controls="modal-recherche"' in page


def test_une_requete_sans_mot_le_dit(client):
    assert "Saisissez au moins un mot" in client.get("/recherche/", {"q": "!"}).content.decode()
    assert client.get("/recherche/").status_code == 200


# --- The word index of the fiches (docs/adr/0022) ------------------------------------------


def test_l_index_des_mots_trouve_ce_que_trouve_le_texte_plie(p):
    """The index answers every query as the folded text does: same beginnings, same stems,
    every word required, on either database."""
    textes = [
        "Réseau de chaleur biomasse à Tournon",
        "Deux fonderies modernisées",
        "Chaleur fatale des fours",
        "Chevaux de trait et zizanie",
        "Plateforme 4.0 du pôle mécanique",
    ]
    fiches = [fiche(p["chef"], titre=t) for t in textes]
    ids = [f.pk for f in fiches]
    for q in [
        "chaleur",
        "chal",
        "fonderie",
        "cheval",
        "chaleur biomasse",
        "mecaniq",
        "z",
        "zi",
        "zz",
        "4",
        "40",
        "derie",
        "tournon chaleur",
    ]:
        r = requete(q)
        par_texte = set(FicheAction.objects.filter(pk__in=ids).filter(r.filtre("texte_recherche")))
        par_index = set(
            FicheAction.objects.filter(pk__in=ids).filter(
                r.filtre_index(MotFiche.objects, "fiche_id")
            )
        )
        assert par_index == par_texte, q
        assert par_index == {f for f in fiches if r.correspond(f.texte_recherche)}, q


def test_l_index_suit_chaque_fiche_modifiee_et_supprimee(p):
    f = fiche(p["chef"], titre="Laminoir à froid")
    autre = fiche(p["chef"], titre="Laminoir à chaud")
    modifier_fiche(user=p["chef"], fiche=f, version=f.version, donnees={"titre": "Tréfilerie"})
    assert f.reference in trouves(p["chef"], "trefil", "fiches")
    assert f.reference not in trouves(p["chef"], "laminoir", "fiches")
    assert autre.reference in trouves(p["chef"], "laminoir", "fiches")
    f.refresh_from_db()
    mots = set(MotFiche.objects.filter(fiche=f).values_list("mot", flat=True))
    assert "trefilerie" in mots and "laminoir" not in mots
    pk = f.pk
    f.delete()
    assert not MotFiche.objects.filter(fiche_id=pk).exists()
