"""Probes across scopes (issue 16): no object or secret of territory A reaches anyone without
the right, on any channel — API, pages, exports, documents, calendars, feeds, search, open data.

Nothing is listed by hand that can be engendered: the API operations come from the OpenAPI
document (a new GET operation with a path parameter fails until it is mapped below), the pages
from the links that A's chef de projet follows from A's objects. The world: territory A
(ti-8401, Auvergne-Rhône-Alpes) holds a firm whose every secret field carries a planted value,
its retained fiche with money engaged, paid and reduced, a draft fiche, a meeting with its
minutes and a piece, a perimeter request, a contract draft, an evaluation, the notifications
these raise. Everything non-public of A carries the mark `MARQUE`; a territory B of another
Région (ti-4407, Grand Est) and a neighbour of A's own Région (ti-8408) have their people.

Who may see what (FAQ §7.3), written here, never asked of comptes.permissions:
- outsiders (B's chef and pilot, B's funder, a neighbour's chef, another firm of A, an
  account with no role, a visitor): neither A's non-public objects nor any secret;
- the national delegation: A's objects, never a secret;
- A's Bpifrance referent: the fiche it funds and its money, not the firm's own profile;
- A's chef de projet, the Région's pilot, the firm's contact: everything.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from comptes.enums import Role
from comptes.models import Organisation, ProfilEntreprise
from comptes.services import creer_jeton
from contrats import cycle as cycle_contrats
from contrats import services as contrats
from contrats.tests.fabriques import signataires_requis
from evaluations import services as evaluations
from evaluations.tests.fabriques import cadre
from fiches import cycle
from fiches.enums import Avis
from fiches.tests.fabriques import bdt, bpi, entreprise_de, fiche, personne
from financements.models import Ajustement, Engagement, Paiement
from gouvernance import agenda, demandes
from gouvernance import services as gouvernance
from gouvernance.enums import NatureDemande
from notifications.models import Notification
from territoires.selectors import vue_territoire
from territoires.tests.fabriques import t2

pytestmark = pytest.mark.django_db

MARQUE = "qzkportee"  # in every non-public object of A: seen by an outsider, it leaked

# A unique value in every secret field of the platform, by who may read it.
SECRETS_PROFIL = {
    ("ProfilEntreprise", "effectif"): 73917351,
    ("ProfilEntreprise", "chiffre_affaires"): 8642097531,
    ("ProfilEntreprise", "contact_nom"): "Qzkcontactnom",
    ("ProfilEntreprise", "contact_email"): "qzkcontactemail@exemple.fr",
    ("ProfilEntreprise", "contact_telephone"): "0699887766",
    ("ProfilEntreprise", "projet"): "Qzkprojetsecret",
}
SECRETS_FICHE = {
    ("FicheAction", "cout_total"): 5551234,
    ("FicheAction", "description"): "Qzkdescription",
    ("LigneFinancement", "montant"): 4441234,
    ("Engagement", "montant"): 3331234,
    ("Paiement", "montant"): 2221234,
    ("Ajustement", "montant"): 1111234,
}
PART_PUBLIQUE = 1110000  # the second Bpifrance line: 4441234 + 1110000 = the fiche's cost

EXTERIEURS = (
    "anonyme",
    "sans_role",
    "chef_b",
    "pilote_b",
    "financeur_b",
    "chef_voisin",
    "autre_firme_a",
)
SANS_SECRET = ("national",)
# Who reads which secrets (need to know); everyone else reads none.
LECTEURS = {
    "chef_a": ("profil", "fiche"),
    "pilote_a": ("profil", "fiche"),
    "porteur_a": ("profil", "fiche"),
    "bpi_a": ("fiche",),
}
PERSONAS = (*EXTERIEURS, *SANS_SECRET, *LECTEURS)

SONDES: Counter = Counter()  # probes made, by channel; printed at the end of the module


@pytest.fixture(scope="module", autouse=True)
def compte_rendu_des_sondes():
    yield
    print("\nSondes de portée :", dict(SONDES), f"— {len(PERSONAS)} personas")


# --- The world --------------------------------------------------------------------------------


def _jour(n: int) -> date:
    return date(2024, 3, 1 + n)


def _personas(A, B, V) -> dict:
    firme = entreprise_de(A, 1)
    Organisation.objects.filter(pk=firme.pk).update(nom=f"Fonderie {MARQUE}")
    ProfilEntreprise.objects.filter(organisation=firme).update(
        **{champ: v for (_, champ), v in SECRETS_PROFIL.items()}
    )
    autre = entreprise_de(A, 2)
    firme_b = entreprise_de(B, 1)
    u = {
        "chef_a": personne("chef.a@exemple.fr", Role.CHEF_PROJET, territoire=A),
        "pilote_a": personne("pilote84@exemple.fr", Role.PILOTE_REGION, region_id="84"),
        "bpi_a": personne(
            "bpi84@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bpi(), region_id="84"
        ),
        "porteur_a": personne("dirigeant.a@exemple.fr", Role.PORTEUR, organisation=firme),
        "autre_firme_a": personne("autre.a@exemple.fr", Role.PORTEUR, organisation=autre),
        "national": personne("national@exemple.fr", Role.NATIONAL),
        "chef_b": personne("chef.b@exemple.fr", Role.CHEF_PROJET, territoire=B),
        "pilote_b": personne("pilote44@exemple.fr", Role.PILOTE_REGION, region_id="44"),
        "financeur_b": personne(
            "bdt44@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bdt(), region_id="44"
        ),
        "chef_voisin": personne("chef.voisin@exemple.fr", Role.CHEF_PROJET, territoire=V),
        "sans_role": personne("curieux@exemple.fr"),
    }
    personne("dirigeant.b@exemple.fr", Role.PORTEUR, organisation=firme_b)
    return {"u": u, "firme": firme, "autre_firme": autre, "A": A}


def _fiche_retenue(w) -> object:
    u, A = w["u"], w["A"]
    f = fiche(
        u["chef_a"],
        t=A,
        porteur=w["firme"],
        titre=f"Ligne de coulée {MARQUE}",
        cout=Decimal(SECRETS_FICHE["FicheAction", "cout_total"]),
        description=SECRETS_FICHE["FicheAction", "description"],
        lignes=[
            {
                "financeur": bpi(),
                "section": "investissement",
                "montant": Decimal(SECRETS_FICHE["LigneFinancement", "montant"]),
            },
            {"financeur": bpi(), "section": "fonctionnement", "montant": Decimal(PART_PUBLIQUE)},
        ],
    )
    assert set(f.champs_secrets) == set(f.SECRETABLE)  # a firm's fiche: secret by default
    chef, pilote = u["chef_a"], u["pilote_a"]
    cycle.appliquer(user=chef, fiche=f, mouvement="soumettre", date_effet=_jour(0))
    for qui, mouvement, n in ((chef, "avis_local", 1), (pilote, "avis_copil", 2)):
        cycle.appliquer(
            user=qui,
            fiche=f,
            mouvement=mouvement,
            avis=Avis.FAVORABLE,
            date_effet=_jour(n),
            decision_texte="Comité",
        )
    for ligne in f.lignes.all():
        cycle.decider_ligne(user=u["bpi_a"], ligne=ligne, statut="accorde", date_effet=_jour(3))
    cycle.appliquer(
        user=pilote, fiche=f, mouvement="retenir", date_effet=_jour(4), decision_texte="Comité"
    )
    ligne = f.lignes.get(montant=SECRETS_FICHE["LigneFinancement", "montant"])
    assert ligne.champs_secrets == ["montant"]
    e = Engagement.objects.create(
        ligne=ligne,
        date=_jour(5),
        montant=SECRETS_FICHE["Engagement", "montant"],
        convention="C",
        par=u["bpi_a"],
    )
    Paiement.objects.create(
        engagement=e, date=_jour(6), montant=SECRETS_FICHE["Paiement", "montant"], par=u["bpi_a"]
    )
    Ajustement.objects.create(
        engagement=e,
        nature=Ajustement.Nature.choices[0][0],
        date=_jour(7),
        montant=SECRETS_FICHE["Ajustement", "montant"],
        par=u["bpi_a"],
    )
    f.refresh_from_db()
    w["ligne"], w["engagement"] = ligne, e
    return f


def _gouvernance(w) -> None:
    u, A = w["u"], w["A"]
    comite = gouvernance.comite_local(A)
    debut = timezone.make_aware(datetime(2024, 3, 12, 10))
    r = gouvernance.planifier_reunion(
        user=u["chef_a"], comite=comite, debut=debut, lieu=f"Salle {MARQUE}"
    )
    gouvernance.inviter(user=u["chef_a"], reunion=r, personne=u["porteur_a"].personne)
    gouvernance.rediger_compte_rendu(user=u["chef_a"], reunion=r, texte=f"Relevé {MARQUE}")
    w["piece"] = gouvernance.joindre_piece(
        user=u["chef_a"],
        reunion=r,
        fichier=SimpleUploadedFile("odj.txt", f"Ordre du jour {MARQUE}".encode()),
        nom=f"Ordre du jour {MARQUE}",
    )
    w["reunion"] = r
    from demo.carte import epci_voisine_libre

    w["demande"] = demandes.deposer(
        user=u["chef_a"],
        nature=NatureDemande.AJOUT_EPCI,
        territoire=A,
        epci=epci_voisine_libre(A),
        demandeur_territoire=A,
        justification=f"Bassin d'emploi commun {MARQUE}",
        date=_jour(8),
    )


def _contrat_et_evaluation(w) -> None:
    u, A = w["u"], w["A"]
    c = contrats.creer_contrat(
        user=u["chef_a"],
        territoire=A,
        donnees={"enjeux": f"Enjeux {MARQUE}", "plan_actions": "Le plan d'actions."},
        epcis=[e.siren for e in vue_territoire(A).epcis][:1],
    )
    cycle_contrats.annexer(user=u["chef_a"], document=c, fiche=w["fiche"])
    signataires_requis(u["chef_a"], c, A)
    w["contrat"] = c
    cad = cadre(u["national"])
    e = evaluations.creer_evaluation(user=u["chef_a"], territoire=A, nature="mi_parcours")
    premiere = cad.questions()[0]
    w["evaluation"] = evaluations.enregistrer_reponses(
        user=u["chef_a"], evaluation=e, version=e.version, reponses={premiere.pk: f"Bilan {MARQUE}"}
    )


@pytest.fixture
def monde(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_ROOT = tmp_path / "media" / "donnees-ouvertes"
    with django_capture_on_commit_callbacks(execute=True):  # notifications follow commits
        w = _personas(t2("ti-8401"), t2("ti-4407"), t2("ti-8408"))
        w["fiche"] = _fiche_retenue(w)
        w["brouillon"] = fiche(
            w["u"]["chef_a"], t=w["A"], porteur=w["firme"], titre=f"Brouillon {MARQUE}"
        )
        _gouvernance(w)
        _contrat_et_evaluation(w)
    # The path raised notifications about A's objects: they must stay with A's people.
    assert Notification.objects.filter(titre__icontains=MARQUE).exists() or (
        Notification.objects.filter(lien__contains=str(w["fiche"].uuid)).exists()
    )
    w["clients"] = {nom: _client(w, nom) for nom in PERSONAS}
    return w


def _client(w, nom) -> Client:
    c = Client()
    c.nom = nom
    c.jeton = None
    if nom != "anonyme":
        c.force_login(w["u"][nom])
        c.jeton = creer_jeton(w["u"][nom])
    return c


# --- What a response says -----------------------------------------------------------------------


def texte(r) -> str:
    """Everything a response shows, whatever its format, lowercased and without any space (so
    that « 5 551 234 € » reads 5551234)."""
    if hasattr(r, "_texte"):
        return r._texte
    corps = b"".join(r.streaming_content) if r.streaming else r.content
    _fermer(r)
    genre = r.get("Content-Type", "")
    if corps[:4] == b"PK\x03\x04":  # XLSX, DOCX: their XML, tags dropped
        with zipfile.ZipFile(io.BytesIO(corps)) as z:
            xml = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        brut = re.sub(r"<[^>]+>", "", xml)
    elif corps[:4] == b"%PDF":
        from pypdf import PdfReader

        brut = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(corps)).pages)
    else:
        brut = corps.decode("utf-8", "replace")
        if "html" in genre:
            brut = unescape(brut)
    r._texte = re.sub(r"\s+", "", brut, flags=re.UNICODE).lower()
    return r._texte


def _fermer(r) -> None:
    """Closes a served file as the server would, without the end-of-request signal closing
    the test's database connection (the test client does the same)."""
    request_finished.disconnect(close_old_connections)
    try:
        r.close()
    finally:
        request_finished.connect(close_old_connections)


def _forme(v) -> str:
    return re.sub(r"\s+", "", str(v)).lower()


def interdits(nom: str, *, objets=True) -> dict[str, str]:
    """What must never reach this persona: the secrets it has no need to know, and, for an
    outsider, the mark of A's non-public objects."""
    groupes = {"profil": SECRETS_PROFIL, "fiche": SECRETS_FICHE}
    out = {
        f"{m}.{c}": _forme(v)
        for g, secrets in groupes.items()
        if g not in LECTEURS.get(nom, ())
        for (m, c), v in secrets.items()
    }
    if objets and nom in EXTERIEURS:
        out["objet de A"] = MARQUE
    return out


def fuites(nom: str, r, **kw) -> list[str]:
    t = texte(r)
    return [quoi for quoi, v in interdits(nom, **kw).items() if v in t]


# --- API: engendrée du document OpenAPI --------------------------------------------------------


def _publique(raison):
    return raison  # a path parameter of a public kind: nothing of A to hide there


# GET operations with a path parameter → the parameters naming A's non-public objects.
CORRESPONDANCE = {
    "/api/v1/fiches/{uuid}": lambda w: [
        {"uuid": w["fiche"].uuid},
        {"uuid": w["brouillon"].uuid},
    ],
    "/api/v1/lignes/{ligne_id}/argent": lambda w: [{"ligne_id": w["ligne"].pk}],
    "/api/v1/organisations/{pk}": lambda w: [{"pk": w["firme"].pk}],
    "/api/v1/organisations/siren/{siren}": lambda w: [{"siren": w["firme"].siren}],
    "/api/v1/gouvernance/reunions/{reunion_id}": lambda w: [{"reunion_id": w["reunion"].pk}],
    "/api/v1/gouvernance/reunions/{reunion_id}/compte-rendu": lambda w: [
        {"reunion_id": w["reunion"].pk}
    ],
    "/api/v1/gouvernance/reunions/{reunion_id}/participants": lambda w: [
        {"reunion_id": w["reunion"].pk}
    ],
    "/api/v1/gouvernance/reunions/{reunion_id}/pieces": lambda w: [{"reunion_id": w["reunion"].pk}],
    "/api/v1/gouvernance/pieces/{piece_id}": lambda w: [{"piece_id": w["piece"].pk}],
    "/api/v1/gouvernance/demandes/{demande_id}": lambda w: [{"demande_id": w["demande"].pk}],
    "/api/v1/contrats/{genre}/{document_id}": lambda w: [
        {"genre": "contrat", "document_id": w["contrat"].pk}
    ],
    "/api/v1/contrats/{genre}/{document_id}/canevas": lambda w: [
        {"genre": "contrat", "document_id": w["contrat"].pk}
    ],
    "/api/v1/contrats/{genre}/{document_id}/document.{format}": lambda w: [
        {"genre": "contrat", "document_id": w["contrat"].pk, "format": f} for f in ("docx", "pdf")
    ],
    "/api/v1/evaluations/{evaluation_id}": lambda w: [{"evaluation_id": w["evaluation"].pk}],
    # Public kinds: the map, the referential, the catalogue, the network's news.
    "/api/v1/contours/{niveau}": _publique("contours de la carte"),
    "/api/v1/epcis/{siren}": _publique("référentiel"),
    "/api/v1/territoires/{code}": _publique("carte"),
    "/api/v1/territoires/{code}/geojson": _publique("carte"),
    "/api/v1/contrats/territoires/{code}": _publique("la liste dit ce que chacun voit"),
    "/api/v1/gouvernance/comites/{comite_id}": _publique("les comités sont publics"),
    "/api/v1/gouvernance/versions/{version_id}": _publique("versions publiées au CNI"),
    "/api/v1/mesures/{mesure_id}": _publique("panier de services"),
    "/api/v1/actualites/{actualite_id}": _publique("information du réseau"),
    "/api/v1/evenements/{evenement_id}": _publique("information du réseau"),
    "/api/v1/evenements/{evenement_id}/ics": _publique("information du réseau"),
    "/api/v1/ressources/{ressource_id}": _publique("information du réseau"),
    "/api/v1/ressources/{ressource_id}/fichier": _publique("information du réseau"),
    "/api/v1/suivi/instantanes/{pk}": _publique("chiffres figés, sous secret statistique"),
}


def _operations_get(client) -> dict[str, dict]:
    doc = client.get("/api/v1/openapi.json").json()
    return {chemin: ops["get"] for chemin, ops in doc["paths"].items() if "get" in ops}


def _appel_api(c, url, **params):
    entetes = {"HTTP_AUTHORIZATION": f"Bearer {c.jeton}"} if c.jeton else {}
    anonyme = Client()  # the token alone speaks, never the session
    r = anonyme.get(url, params, **entetes)
    texte(r)
    return r


def test_api_chaque_operation_a_parametre_d_une_autre_portee_repond_404_sans_secret(monde):
    operations = _operations_get(monde["clients"]["anonyme"])
    a_parametre = {ch for ch, op in operations.items() if "{" in ch}
    # A new GET operation with a path parameter must say which objects of A it could show.
    assert a_parametre == set(CORRESPONDANCE), a_parametre ^ set(CORRESPONDANCE)
    for chemin, objets in CORRESPONDANCE.items():
        if isinstance(objets, str):
            continue
        for params in objets(monde):
            url = chemin.format(**params)
            assert _appel_api(monde["clients"]["chef_a"], url).status_code == 200, url
            for nom in PERSONAS:
                r = _appel_api(monde["clients"][nom], url)
                SONDES["api (objets de A)"] += 1
                if nom in EXTERIEURS:
                    # Without a token, public reads stay open: what is not public is absent.
                    attendus = (401, 404) if nom == "anonyme" else (404,)
                    assert r.status_code in attendus, (nom, url, r.status_code)
                assert not fuites(nom, r), (nom, url, fuites(nom, r))


def test_api_aucune_liste_ne_montre_un_objet_ou_un_secret_d_une_autre_portee(monde):
    operations = _operations_get(monde["clients"]["anonyme"])
    listes = sorted(ch for ch in operations if "{" not in ch and not ch.endswith("openapi.json"))
    assert len(listes) >= 20
    ids = [str(monde["fiche"].uuid), str(monde["brouillon"].uuid)]
    vus = Counter()
    for chemin in listes:
        params = {"q": MARQUE} if chemin.endswith("/recherche") else {}
        for nom in PERSONAS:
            r = _appel_api(monde["clients"][nom], chemin, **params)
            SONDES["api (listes)"] += 1
            assert r.status_code < 500, (nom, chemin)
            corps = texte(r).replace(_forme(f'"q":"{MARQUE}"'), "")
            assert not [q for q, v in interdits(nom).items() if v in corps], (nom, chemin)
            if nom in EXTERIEURS:
                assert not any(i in corps for i in ids), (nom, chemin)
            vus[nom] += MARQUE in corps
    # The probe can fail: A's chef de projet does find A's objects in the lists.
    assert vus["chef_a"] >= 3, vus


# --- Pages: engendrées des liens ------------------------------------------------------------------

EXCLUS = ("/static/", "/media/", "/deconnexion/", "/oidc/", "/admin/", "/api/")
LIEN = re.compile(r'(?:href|src)="([^"#]*)"')


def _get(client, url, **params):
    """A GET whose body is read (and its file closed), as a browser would."""
    r = client.get(url, params)
    texte(r)
    return r


def _objets_de_a(w) -> list[str]:
    """The pages of A's non-public objects: every address under them belongs to A."""
    c = w["contrat"]
    return [
        f"/fiches/{w['fiche'].uuid}/",
        f"/fiches/{w['brouillon'].uuid}/",
        f"/gouvernance/reunions/{w['reunion'].pk}",
        f"/gouvernance/pieces/{w['piece'].pk}/",
        f"/gouvernance/demandes/{w['demande'].pk}/",
        f"/contrats/{c.genre if hasattr(c, 'genre') else 'contrat'}/{c.pk}/",
        f"/evaluations/{w['evaluation'].pk}/",
        f"/organisations/{w['firme'].pk}/",
        f"/financements/lignes/{w['ligne'].pk}/",
        "/territoires/2/ti-8401/secrets/",
    ]


# A's own pages beside its objects' (the rest of the site is probed persona by persona below).
PAGES_DE_A = (
    "/territoires/2/ti-8401/",
    "/tableaux/territoires/2/ti-8401/",
    "/evaluations/territoires/",
)


def _parcourir(client, objets: list[str], limite=120) -> list[str]:
    """The same-site addresses of A reachable from A's objects, two links deep, GET only."""
    depart = [u if u.endswith("/") else u + "/" for u in objets]
    de_a = (*objets, *PAGES_DE_A)
    vus, niveau = list(dict.fromkeys(depart)), list(depart)
    for _ in range(2):
        suivant = []
        for url in niveau:
            r = _get(client, url)
            if r.status_code != 200 or "html" not in r.get("Content-Type", ""):
                continue
            for lien in LIEN.findall(r.content.decode()):
                cible = urljoin(url, unescape(lien))
                morceaux = urlsplit(cible)
                if morceaux.netloc or not cible.startswith(de_a) or cible.startswith(EXCLUS):
                    continue
                if cible not in vus and len(vus) < limite:
                    vus.append(cible)
                    suivant.append(cible)
        niveau = suivant
    return vus


def test_pages_atteintes_depuis_les_objets_de_a_404_aux_autres_et_jamais_un_secret(monde):
    objets = _objets_de_a(monde)
    chef = monde["clients"]["chef_a"]
    for url in objets[:-1]:
        r = chef.get(url, follow=True)
        texte(r)
        assert r.status_code == 200, url  # each object page exists for A
    urls = _parcourir(chef, objets)
    assert len(urls) >= 25, len(urls)
    for url in urls:
        for nom in PERSONAS:
            if nom == "chef_a":
                continue
            r = _get(monde["clients"][nom], url)
            SONDES["pages"] += 1
            if url.startswith(tuple(objets)) and nom in EXTERIEURS:
                # A visitor is sent to log in, or told the page does not exist (fiches
                # have public pages once inscribed).
                connexion = r.status_code == 302 and "/connexion/" in r["Location"]
                assert r.status_code == 404 or (nom == "anonyme" and connexion), (nom, url)
            assert r.status_code < 500, (nom, url)
            assert not fuites(nom, r), (nom, url, fuites(nom, r))
    SONDES["pages (adresses parcourues)"] = len(urls)


# --- Exports, documents, calendars, feeds, search, open data ------------------------------------


def _adresses_de_chacun(w, nom) -> list[str]:
    """Every persona's own lists, exports, calendars and feeds."""
    urls = [
        "/fiches/",
        "/fiches/export.xlsx",
        "/fiches/simplification/",
        "/travail/",
        "/gouvernance/",
        "/gouvernance/demandes/",
        "/gouvernance/agenda/",
        "/contrats/",
        "/evaluations/",
        "/tableaux/",
        "/tableaux/deploiement/",
        "/tableaux/regions/84/",
        "/delais/",
        "/annuaire/",
        "/compte/export/",
        "/actualites/flux.atom",
        "/evenements/flux.atom",
        "/actualites/regions/84.atom",
        "/donnees-ouvertes/aides-aux-entreprises.csv",
        "/donnees-ouvertes/aides-aux-entreprises.xlsx",
    ]
    if nom != "anonyme":
        jeton = agenda.nouveau_jeton(w["u"][nom].personne)
        urls.append(f"/gouvernance/agenda/{jeton}.ics")
    return urls


def _exports_des_tableaux(client, url) -> list[str]:
    r = _get(client, url)
    if r.status_code != 200:
        return []
    liens = {unescape(x) for x in LIEN.findall(r.content.decode()) if "format=" in x}
    return [urljoin(url, x) for x in sorted(liens)]


def test_exports_documents_calendriers_et_flux_sans_objet_ni_secret_d_une_autre_portee(monde):
    vus = Counter()
    for nom in PERSONAS:
        client = monde["clients"][nom]
        urls = _adresses_de_chacun(monde, nom)
        for page in ("/tableaux/", "/tableaux/regions/84/", "/tableaux/territoires/2/ti-8401/"):
            urls += _exports_des_tableaux(client, page)
        for url in urls:
            r = _get(client, url)
            SONDES["exports, calendriers, flux"] += 1
            assert r.status_code < 500, (nom, url)
            assert not fuites(nom, r), (nom, url, fuites(nom, r))
            vus[nom] += MARQUE in texte(r)
    # The probes can fail: A's people find A's objects there (export, agenda, work queue).
    assert vus["chef_a"] >= 3 and vus["pilote_a"] >= 2, vus
    # Documents: the contract draft, the evaluation, in every format, for whoever may ask.
    c = monde["contrat"]
    documents = [
        f"/contrats/contrat/{c.pk}/document.pdf",
        f"/contrats/contrat/{c.pk}/document.docx",
        f"/evaluations/{monde['evaluation'].pk}/document.pdf",
        f"/evaluations/{monde['evaluation'].pk}/document.docx",
    ]
    for url in documents:
        assert _get(monde["clients"]["chef_a"], url).status_code == 200, url
        for nom in PERSONAS:
            r = _get(monde["clients"][nom], url)
            SONDES["documents"] += 1
            if nom in EXTERIEURS:
                assert r.status_code in (302, 404), (nom, url)
            # A document never carries a secret, not even for those who may read them.
            assert not fuites("anonyme", r, objets=False), (nom, url, fuites("anonyme", r))


def test_recherche_page_et_api_ni_objet_ni_secret_d_une_autre_portee(monde):
    mots = [MARQUE] + [_forme(v) for v in {**SECRETS_PROFIL, **SECRETS_FICHE}.values()]
    for nom in PERSONAS:
        client = monde["clients"][nom]
        for mot in mots:
            page = _get(client, "/recherche/", q=mot)
            api = _appel_api(client, "/api/v1/recherche", q=mot).json()
            SONDES["recherche"] += 2
            totaux = [g["total"] for g in api["groupes"]]
            trouve = "0 résultat pour" not in page.content.decode()
            if mot != MARQUE or nom in EXTERIEURS:  # never on a secret field, for anyone
                assert not trouve and not any(totaux), (nom, mot, totaux)
            elif nom == "chef_a":
                assert trouve and any(totaux), (nom, mot)  # the probe can fail


def test_donnees_ouvertes_ni_objet_ni_secret(monde, settings):
    # The fiche is inscribed by a signed contract: public now, its secrets still secret.
    c, u = monde["contrat"], monde["u"]
    cycle_contrats.valider(user=u["pilote_a"], document=c, date=timezone.localdate())
    for s in c.signataires.all():
        cycle_contrats.signer(user=u["chef_a"], signataire=s, date=timezone.localdate())
    monde["fiche"].refresh_from_db()
    assert monde["fiche"].etat == "inscrite"
    call_command("construire_donnees_ouvertes", stdout=io.StringIO())
    fichiers = [p for p in settings.OPENDATA_ROOT.rglob("*") if p.is_file()]
    assert len(fichiers) >= 5
    for p in fichiers:
        contenu = re.sub(r"\s+", "", p.read_bytes().decode("utf-8", "replace")).lower()
        SONDES["données ouvertes"] += 1
        for quoi, v in {**interdits("anonyme", objets=False), **PAS_OUVERTS}.items():
            assert v not in contenu, (p.name, quoi)
    anonyme = monde["clients"]["anonyme"]
    for p in fichiers:
        r = _get(anonyme, f"/donnees-ouvertes/{p.name}")
        SONDES["données ouvertes"] += 1
        assert not fuites("anonyme", r, objets=False), (p.name, fuites("anonyme", r))
        assert not [q for q, v in PAS_OUVERTS.items() if v in texte(r)], p.name
    # The probe can fail: the inscribed fiche is there, under its title.
    assert any(
        _forme(monde["fiche"].titre) in texte(_get(anonyme, "/donnees-ouvertes/" + p.name))
        for p in fichiers
        if p.suffix == ".csv"
    )


# Once the fiche is inscribed, its title is public; its firm's name and the draft are not.
PAS_OUVERTS = {
    "nom de l'entreprise": _forme(f"Fonderie {MARQUE}"),
    "brouillon": "brouillon" + MARQUE,
}
