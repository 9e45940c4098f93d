"""Access matrix: every persona × every firm × every action, on pages and API alike.

The expected outcome of each case comes from the need-to-know table below (FAQ §7.3),
written here by hand, never from comptes.permissions: the test checks the permission layer,
it does not ask it. The world (four firms on real territories, one account per persona) is
built once for the module and removed afterwards; each case runs in its own rolled-back
transaction, so reads logged and profiles modified by one case are gone for the next.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from auditlog.context import disable_auditlog
from django.contrib.humanize.templatetags.humanize import intcomma
from django.shortcuts import resolve_url
from django.test import Client
from django.utils import timezone, translation
from django.utils.text import capfirst

from comptes.enums import Role, TypeOrganisation
from comptes.models import (
    Designation,
    LectureSecret,
    Organisation,
    Personne,
    ProfilEntreprise,
    Utilisateur,
)
from referentiel.formats import saisie_nombre
from referentiel.models import Commune
from territoires.models import Perimetre, Territoire

pytestmark = pytest.mark.django_db

DOMAINE = "matrice.example"
PREFIXE_ORG = "[Matrice] "
MOT_DE_PASSE = "matrice-acces-2019"
SECRETS = ProfilEntreprise.SECRETABLE
TOKEN_URL = "/api/v1/auth/token"


# --- The world: four firms on real territories ---------------------------------------------


@dataclass(frozen=True)
class Firme:
    territoire: str  # code of a phase-1 territory
    region: str  # INSEE code of the région of its commune
    commune: str  # a commune inside the territory's current perimeter


FIRMES = {
    "firm_8401": Firme("8401", "84", "07010"),  # Annonay, Ardèche Drôme
    "firm_8408": Firme("8408", "84", "01283"),  # Oyonnax, Oyonnax - Bugey Sud - …
    "firm_4402": Firme("4402", "44", "67462"),  # Sélestat, Alsace centrale (Grand Est)
    # Rodez: Occitanie's part of Aurillac - Figeac - Rodez, a territory that also lies in
    # Auvergne-Rhône-Alpes (Cantal). The firm is in région 76, not 84.
    "firm_7601": Firme("7601", "76", "12202"),
}

EFFECTIFS = {"8401": 1873, "8408": 2964, "4402": 3075, "7601": 4186}
CHIFFRES_AFFAIRES = {
    "8401": 41_270_593,
    "8408": 52_381_604,
    "4402": 63_492_715,
    "7601": 74_503_826,
}


def valeurs_profil(code: str) -> dict:
    """Distinctive values, so that finding one in a page can only mean it leaked."""
    return {
        "activite": f"Fonderie aluminium {code}",
        "effectif": EFFECTIFS[code],
        "chiffre_affaires": Decimal(CHIFFRES_AFFAIRES[code]),
        "contact_nom": f"Agathe Sauvignac-{code}",
        "contact_email": f"direction-{code}@usine-{code}.example",
        "contact_telephone": f"+33 4 75 {code[:2]} {code[2:]} 19",
        "projet": f"Ligne de coulee PX-{code}-QZ a Ecully",
    }


def avec_cle_luhn(base: str) -> str:
    """Appends the Luhn check digit to `base` (a SIREN is 8 digits and this key)."""
    total = 0
    for i, chiffre in enumerate(reversed(base)):
        n = int(chiffre) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return base + str(-total % 10)


# --- The personas and the need-to-know table ------------------------------------------------


@dataclass(frozen=True)
class Persona:
    role: str | None = None  # None: an account with no designation
    region: str | None = None
    territoire: str | None = None
    territoires: tuple[str, ...] = ()
    entreprise: str | None = None  # key in FIRMES: the firm the person belongs to
    expiree: bool = False  # the designation ended: it grants nothing


PERSONAS: dict[str, Persona | None] = {
    "anonyme": None,
    "sans_role": Persona(),
    "national": Persona(Role.NATIONAL),
    "pilote_region_84": Persona(Role.PILOTE_REGION, region="84"),
    "referent_etat_8401": Persona(Role.REFERENT_ETAT, territoire="8401"),
    # A coordinating préfet is designated for an interregional territory only (FAQ §3.4).
    "coordinateur_etat_7601": Persona(Role.COORDINATEUR_ETAT, territoire="7601"),
    "binome_elu_8401": Persona(Role.BINOME_ELU, territoire="8401"),
    "binome_industriel_8401": Persona(Role.BINOME_INDUSTRIEL, territoire="8401"),
    "chef_projet_8401": Persona(Role.CHEF_PROJET, territoire="8401"),
    "referent_region_8401": Persona(Role.REFERENT_REGION, territoire="8401"),
    "membre_comite_8401": Persona(Role.MEMBRE_COMITE, territoire="8401"),
    "operateur_region_84": Persona(Role.REFERENT_OPERATEUR, region="84"),
    "operateur_8401": Persona(Role.REFERENT_OPERATEUR, territoires=("8401",)),
    "porteur_8401": Persona(Role.PORTEUR, entreprise="firm_8401"),
    "chef_projet_8408": Persona(Role.CHEF_PROJET, territoire="8408"),
    "chef_projet_8401_expire": Persona(Role.CHEF_PROJET, territoire="8401", expiree=True),
}

# FAQ §7.3, need to know. What a role grants on the firms its scope covers:
#   voir: the firm's page and API object; secrets: the secret values (each read logged);
#   modifier: the firm's profile; journal: the log of secret reads of the firm's territory.
DROITS = ("voir", "secrets", "modifier", "journal")
TABLE = {
    #                          voir   secrets modifier journal
    Role.NATIONAL:            (True,  False,  False,   False),
    Role.PILOTE_REGION:       (True,  True,   False,   False),
    Role.REFERENT_ETAT:       (True,  True,   False,   True),
    Role.COORDINATEUR_ETAT:   (True,  True,   False,   True),
    Role.BINOME_ELU:          (True,  True,   True,    True),
    Role.BINOME_INDUSTRIEL:   (True,  True,   True,    True),
    Role.CHEF_PROJET:         (True,  True,   True,    True),
    Role.REFERENT_REGION:     (True,  False,  False,   False),
    Role.MEMBRE_COMITE:       (True,  False,  False,   False),
    Role.REFERENT_OPERATEUR:  (True,  False,  False,   False),  # no financing lines yet
    Role.PORTEUR:             (True,  True,   True,    False),
}  # fmt: skip


def couvre(persona: Persona | None, cle_firme: str) -> bool:
    """Whether the persona's active scope covers the firm."""
    if persona is None or persona.role is None or persona.expiree:
        return False
    firme = FIRMES[cle_firme]
    return (
        persona.role == Role.NATIONAL
        or persona.region == firme.region
        or persona.territoire == firme.territoire
        or firme.territoire in persona.territoires
        or persona.entreprise == cle_firme
    )


def droit(nom_persona: str, cle_firme: str, nom_droit: str) -> bool:
    persona = PERSONAS[nom_persona]
    if not couvre(persona, cle_firme):
        return False
    return TABLE[persona.role][DROITS.index(nom_droit)]


# --- The cases ------------------------------------------------------------------------------

ACTIONS = (
    "voir_page",
    "voir_api",
    "secrets_page",
    "secrets_api",
    "modifier_page_get",
    "modifier_api",
    "journal_page",
)


class LectureNonJournalisee(AssertionError):
    """Secret values were shown and no read was logged."""


CAS = [
    pytest.param(
        persona,
        firme,
        action,
        id=f"{persona}-{firme}-{action}",
    )
    for persona in PERSONAS
    for firme in FIRMES
    for action in ACTIONS
]


# --- World fixture --------------------------------------------------------------------------


@dataclass
class Monde:
    organisations: dict[str, int] = field(default_factory=dict)  # firm key -> Organisation pk
    territoires: dict[str, int] = field(default_factory=dict)  # territory code -> pk
    comptes: dict[str, Utilisateur] = field(default_factory=dict)  # persona -> account
    jetons: dict[str, str] = field(default_factory=dict)  # persona -> API token


def _email(nom_persona: str) -> str:
    return f"{nom_persona.replace('_', '.')}@{DOMAINE}"


def _territoire(code: str) -> Territoire:
    return Territoire.objects.get(phase_id=1, code=code)


def _construire() -> Monde:
    monde = Monde()
    aujourd_hui = timezone.localdate()
    for cle, firme in FIRMES.items():
        t = _territoire(firme.territoire)
        monde.territoires[firme.territoire] = t.pk
        commune = Commune.objects.get(code=firme.commune)
        assert commune.region_id == firme.region
        assert Perimetre.objects.filter(
            territoire=t, commune=commune, date_fin__isnull=True
        ).exists(), f"{commune} n'est pas dans le périmètre actuel de {t.code}"
        org = Organisation(
            nom=f"{PREFIXE_ORG}Fonderie {firme.territoire} SAS",
            type=TypeOrganisation.ENTREPRISE,
            siren=avec_cle_luhn(f"9{firme.territoire}000"),
            commune=commune,
        )
        org.full_clean()
        org.save()
        profil = ProfilEntreprise(organisation=org, **valeurs_profil(firme.territoire))
        profil.full_clean()
        profil.save()
        assert profil.champs_secrets == list(SECRETS)
        monde.organisations[cle] = org.pk
    operateur = Organisation.objects.create(
        nom=f"{PREFIXE_ORG}Opérateur public", type=TypeOrganisation.OPERATEUR
    )
    for nom, persona in PERSONAS.items():
        if persona is None:
            continue
        compte = Utilisateur.objects.create_user(_email(nom), MOT_DE_PASSE)
        entreprise = (
            Organisation.objects.get(pk=monde.organisations[persona.entreprise])
            if persona.entreprise
            else None
        )
        personne = Personne.objects.create(
            prenom="Persona",
            nom=nom,
            email=compte.email,
            compte=compte,
            organisation=entreprise
            or (operateur if persona.role == Role.REFERENT_OPERATEUR else None),
        )
        monde.comptes[nom] = compte
        if persona.role is None:
            continue
        debut = aujourd_hui - timedelta(days=365)
        d = Designation(
            personne=personne,
            role=persona.role,
            region_id=persona.region,
            territoire=_territoire(persona.territoire) if persona.territoire else None,
            organisation=entreprise
            or (operateur if persona.role == Role.REFERENT_OPERATEUR else None),
            date_debut=debut,
            # Ended yesterday: date_fin is the first day the designation no longer holds.
            date_fin=aujourd_hui if persona.expiree else None,
        )
        d.full_clean()  # a world the designation rules accept
        d.save()
        if persona.territoires:
            d.territoires.set([_territoire(code) for code in persona.territoires])
    # Tokens as a client gets them: through the token endpoint (django-axes needs a request).
    client = Client()
    for nom, compte in monde.comptes.items():
        r = client.post(
            TOKEN_URL,
            json.dumps({"email": compte.email, "password": MOT_DE_PASSE}),
            content_type="application/json",
        )
        assert r.status_code == 200, r.content
        monde.jetons[nom] = r.json()["token"]
    return monde


def _detruire() -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    Personne.objects.filter(email__endswith=f"@{DOMAINE}").delete()  # with designations
    Utilisateur.objects.filter(email__endswith=f"@{DOMAINE}").delete()  # with tokens
    Organisation.objects.filter(nom__startswith=PREFIXE_ORG).delete()  # with profiles
    for modele in (AccessAttempt, AccessFailureLog, AccessLog):
        modele.objects.filter(username__endswith=f"@{DOMAINE}").delete()


@pytest.fixture(scope="module")
def monde(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), disable_auditlog():
        try:
            m = _construire()
        except BaseException:
            _detruire()
            raise
    yield m
    with django_db_blocker.unblock(), disable_auditlog():
        _detruire()


# --- Reading what the user sees -------------------------------------------------------------


def texte(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def affichage(nom: str, valeur) -> str:
    """A value as the firm's page shows it."""
    if nom == "chiffre_affaires":
        with translation.override("fr"):
            return f"{intcomma(valeur)} €"
    return str(valeur)


def representations(code: str) -> list[str]:
    """Every way a secret of the firm may be written in a page or a JSON document. The
    headcount is left out: a bare four-digit number also appears as a code or a population."""
    v = valeurs_profil(code)
    ca = int(v["chiffre_affaires"])
    return [
        v["contact_nom"],
        v["contact_email"],
        v["contact_telephone"],
        v["projet"],
        str(ca),
        f"{ca:,}".replace(",", "\xa0"),
        f"{ca:,}".replace(",", " "),
        f"{ca:,}".replace(",", "\u202f"),
    ]


def fuites(contenu: str, code: str) -> list[str]:
    lisible = unescape(contenu)
    return [s for s in representations(code) if s in contenu or s in lisible]


def lignes_profil(html: str) -> dict[str, str]:
    """The firm's profile table: field name -> the text of its value cell."""
    debut = html.index("Informations de l")
    corps = html[html.index("<tbody>", debut) : html.index("</tbody>", debut)]
    libelles = {
        capfirst(str(ProfilEntreprise._meta.get_field(n).verbose_name)): n
        for n in ("activite",) + SECRETS
    }
    lignes = {}
    for gauche, droite in re.findall(r"<tr><td>(.*?)</td>\s*<td>(.*?)</td></tr>", corps, re.S):
        libelle = texte(gauche).removesuffix("Secret industriel").strip()
        lignes[libelles[libelle]] = texte(droite)
    return lignes


def lectures() -> set[tuple]:
    return {
        (lec.lecteur_id, lec.content_type.model, lec.object_id, lec.champ, lec.canal)
        for lec in LectureSecret.objects.select_related("content_type")
    }


def lectures_attendues(compte, profil: ProfilEntreprise, canal: str) -> set[tuple]:
    return {(compte.pk, "profilentreprise", str(profil.pk), c, canal) for c in SECRETS}


def verifier_journal(compte, profil: ProfilEntreprise, canal: str, lu: bool, t_pk: int) -> None:
    attendu = lectures_attendues(compte, profil, canal) if lu else set()
    if lectures() != attendu:
        raise LectureNonJournalisee(f"lectures {sorted(lectures())} au lieu de {sorted(attendu)}")
    # The read is logged on the firm's territories: its phase-1 territory (t_pk) and the
    # phase-2 territory holding the same commune.
    territoires = set(
        Perimetre.objects.filter(
            date_fin__isnull=True, commune_id=profil.organisation.commune_id
        ).values_list("territoire_id", flat=True)
    )
    assert t_pk in territoires and len(territoires) == 2
    for lec in LectureSecret.objects.all():
        assert set(lec.territoires.values_list("pk", flat=True)) == territoires


# --- Requests -------------------------------------------------------------------------------


def client_pages(client, monde: Monde, nom_persona: str):
    if PERSONAS[nom_persona] is not None:
        client.force_login(monde.comptes[nom_persona])
    return client


def entetes_api(monde: Monde, nom_persona: str) -> dict:
    if PERSONAS[nom_persona] is None:
        return {}
    return {"Authorization": f"Bearer {monde.jetons[nom_persona]}"}


# --- The matrix -----------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "firme", "action"), CAS)
def test_matrice(client, monde, persona, firme, action):
    code = FIRMES[firme].territoire
    org = Organisation.objects.get(pk=monde.organisations[firme])
    profil = ProfilEntreprise.objects.get(organisation=org)
    attendu = valeurs_profil(code)
    compte = monde.comptes.get(persona)
    anonyme = PERSONAS[persona] is None
    voit = droit(persona, firme, "voir")
    lit = droit(persona, firme, "secrets")
    modifie = droit(persona, firme, "modifier")
    assert LectureSecret.objects.count() == 0

    if action in ("voir_page", "secrets_page"):
        r = client_pages(client, monde, persona).get(f"/organisations/{org.pk}/")
        html = r.content.decode()
        if not voit:
            assert r.status_code == 404
            assert org.nom not in unescape(html)
            assert fuites(html, code) == []
            assert lectures() == set()
            return
        assert r.status_code == 200
        if action == "voir_page":
            assert org.nom in texte(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)[1])
            assert org.siren in html
            return
        lignes = lignes_profil(html)
        assert lignes["activite"] == attendu["activite"]
        for nom in SECRETS:
            if lit:
                assert lignes[nom] == " ".join(affichage(nom, attendu[nom]).split()), nom
            else:
                assert lignes[nom].startswith("Confidentiel"), nom
        if lit:
            assert "Confidentiel" not in html
        else:
            assert fuites(html, code) == []
        verifier_journal(compte, profil, "page", lit, monde.territoires[code])

    elif action in ("voir_api", "secrets_api"):
        r = client.get(f"/api/v1/organisations/{org.pk}", headers=entetes_api(monde, persona))
        if not voit:
            assert r.status_code == 404
            assert r.json() == {"detail": "Organisation introuvable."}
            assert lectures() == set()
            return
        assert r.status_code == 200
        data = r.json()
        if action == "voir_api":
            assert (data["id"], data["nom"], data["type"], data["siren"]) == (
                org.pk,
                org.nom,
                TypeOrganisation.ENTREPRISE,
                org.siren,
            )
            assert data["commune"] == FIRMES[firme].commune
            return
        p = data["profil"]
        assert p["activite"] == attendu["activite"]
        assert p["champs_secrets"] == list(SECRETS)
        for nom in SECRETS:
            valeur = int(attendu[nom]) if nom == "chiffre_affaires" else attendu[nom]
            assert p[nom] == (valeur if lit else None), nom
        # The firm's declaration under the RGEC is masked with its secrets.
        assert p["masques"] == ([] if lit else [*SECRETS, "en_difficulte"])
        assert lit or p["en_difficulte"] is None
        if not lit:
            assert fuites(r.content.decode(), code) == []
        verifier_journal(compte, profil, "api", lit, monde.territoires[code])

    elif action == "modifier_page_get":
        url = f"/organisations/{org.pk}/modifier/"
        r = client_pages(client, monde, persona).get(url)
        html = r.content.decode()
        if anonyme:
            assert r.status_code == 302
            assert r.url.startswith(resolve_url("comptes:connexion") + "?next=")
            assert lectures() == set()
            return
        if not modifie:
            assert r.status_code == 404
            assert fuites(html, code) == []
            assert lectures() == set()
            return
        assert r.status_code == 200
        for nom in SECRETS:
            # An amount is shown in the form as it is typed, the French way.
            valeur = attendu[nom]
            montre = saisie_nombre(valeur) if nom == "chiffre_affaires" else str(valeur)
            assert unescape(montre) in unescape(html), nom
        # The form shows every secret value: the read must be in the log, as on the page.
        verifier_journal(compte, profil, "page", True, monde.territoires[code])

    elif action == "modifier_api":
        nouvelle = f"Activité revue par {persona}"
        r = client.patch(
            f"/api/v1/organisations/{org.pk}/profil",
            json.dumps({"version": profil.version, "activite": nouvelle}),
            content_type="application/json",
            headers=entetes_api(monde, persona),
        )
        apres = ProfilEntreprise.objects.get(pk=profil.pk)
        if not modifie:
            assert r.status_code == (401 if anonyme else 404)
            assert (apres.activite, apres.version) == (profil.activite, profil.version)
            assert fuites(r.content.decode(), code) == []
            assert lectures() == set()
            return
        assert r.status_code == 200, r.content
        assert (apres.activite, apres.version) == (nouvelle, profil.version + 1)
        p = r.json()
        assert (p["activite"], p["version"], p["masques"]) == (nouvelle, profil.version + 1, [])
        assert p["contact_email"] == attendu["contact_email"]
        verifier_journal(compte, profil, "api", True, monde.territoires[code])

    elif action == "journal_page":
        r = client_pages(client, monde, persona).get(f"/territoires/1/{code}/secrets/")
        html = r.content.decode()
        titre = f"Qui a lu les secrets industriels du territoire {code}"
        if anonyme:
            assert r.status_code == 302
            assert r.url.startswith(resolve_url("comptes:connexion") + "?next=")
        elif droit(persona, firme, "journal"):
            assert r.status_code == 200
            assert titre in texte(html)
        else:
            assert r.status_code == 404
            assert titre not in texte(html)
        assert lectures() == set()

    else:  # pragma: no cover
        raise AssertionError(action)


# --- 8408 never sees 8401's secrets ---------------------------------------------------------

# Every page and API document the chef de projet of 8408 can reach, and those of 8401's firm
# that must stay closed to them (expected status).
PAGES_8408 = {
    "/": 302,  # a signed-in person's home is their work queue
    "/travail/": 200,
    "/carte/": 200,
    "/territoires/": 200,
    "/territoires/1/8401/": 200,
    "/territoires/1/8408/": 200,
    "/territoires/1/8401/secrets/": 404,
    "/territoires/1/8408/secrets/": 200,
    "/annuaire/": 200,
    "/compte/": 200,
    "/compte/export/": 200,
    "/organisations/{firm_8401}/": 404,
    "/organisations/{firm_8401}/modifier/": 404,
    "/organisations/{firm_8408}/": 200,
    "/organisations/{firm_8408}/modifier/": 200,
    "/api/v1/territoires/8401": 200,
    "/api/v1/carte": 200,
    "/api/v1/moi": 200,
    "/api/v1/organisations/{firm_8401}": 404,
    "/api/v1/organisations/{firm_8408}": 200,
}


@pytest.mark.parametrize(("url", "statut"), PAGES_8408.items())
def test_chef_de_projet_8408_ne_voit_aucun_secret_de_8401(client, monde, url, statut):
    url = url.format(**monde.organisations)
    client.force_login(monde.comptes["chef_projet_8408"])
    r = client.get(url, headers=entetes_api(monde, "chef_projet_8408"))
    assert r.status_code == statut
    assert fuites(r.content.decode(), "8401") == []
    if statut == 200 and r["Content-Type"].startswith("application/json"):
        assert fuites(json.dumps(r.json(), ensure_ascii=False), "8401") == []
    profil_8401 = ProfilEntreprise.objects.get(organisation_id=monde.organisations["firm_8401"])
    assert not LectureSecret.objects.filter(object_id=str(profil_8401.pk)).exists()


# --- The matrix is as large as the table implies ----------------------------------------------


def test_la_matrice_a_la_taille_que_la_table_implique():
    assert len(PERSONAS) == 16 and len(FIRMES) == 4 and len(ACTIONS) == 7
    assert len(CAS) == len(PERSONAS) * len(FIRMES) * len(ACTIONS) == 448
    assert len({c.id for c in CAS}) == len(CAS)
    [parametrage] = [m for m in test_matrice.pytestmark if m.name == "parametrize"]
    assert len(parametrage.args[1]) == len(CAS)
    accordes = Counter(d for p in PERSONAS for f in FIRMES for d in DROITS if droit(p, f, d))
    assert accordes == {"voir": 18, "secrets": 9, "modifier": 5, "journal": 6}
    assert not any(c.marks for c in CAS)
