"""Rules of accounts, directory, RGPD, industrial secrecy (FAQ §7.3), audit, rate limit."""

import json
import re
from datetime import date
from html import unescape

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from comptes.enums import Role, TypeOrganisation
from comptes.models import LectureSecret, Organisation, Personne, ProfilEntreprise, Utilisateur
from comptes.selectors import agregats_entreprises
from referentiel.models import EPCI

from .fabriques import MDP, entreprise, personne, siren, territoire

pytestmark = pytest.mark.django_db


def test_siren_d_une_entreprise_valide_par_la_cle_de_luhn():
    org = Organisation(nom="X", type=TypeOrganisation.ENTREPRISE, siren="123456789")
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "n'est pas un SIREN valide" in str(exc.value)
    org.siren = siren("81234567")
    org.siret = org.siren + "00010"
    with pytest.raises(ValidationError, match="SIRET valide"):
        org.full_clean()


def test_organisation_epci_est_l_epci_du_referentiel():
    with pytest.raises(IntegrityError):
        Organisation.objects.create(nom="CC sans lien", type=TypeOrganisation.EPCI)


def test_organisation_epci_reprend_son_siren():
    e = EPCI.objects.exclude(nature="EPT").first()
    org = Organisation(nom=e.nom, type=TypeOrganisation.EPCI, epci=e)
    org.full_clean()
    assert org.siren == e.siren


def test_mots_de_passe_faibles_refuses():
    for faible in ("territoires", "12345678901234", "motdepasse"):
        with pytest.raises(ValidationError):
            validate_password(faible)
    validate_password(MDP)


def test_connexion_par_adresse_electronique(client):
    personne("agent@exemple.fr")
    r = client.post("/connexion/", {"username": "agent@exemple.fr", "password": MDP})
    assert r.status_code == 302
    assert "agent@exemple.fr" in client.get("/compte/").content.decode()


def test_cinq_echecs_de_connexion_suspendent_le_compte(client):
    personne("agent@exemple.fr")
    for _ in range(4):
        r = client.post("/connexion/", {"username": "agent@exemple.fr", "password": "faux"})
        assert "Adresse électronique ou mot de passe incorrect" in r.content.decode()
    r = client.post("/connexion/", {"username": "agent@exemple.fr", "password": "faux"})
    assert r.status_code == 429
    # Even the right password is refused while suspended.
    r = client.post("/connexion/", {"username": "agent@exemple.fr", "password": MDP})
    assert r.status_code == 429 and "Connexion suspendue" in r.content.decode()
    assert "_auth_user_id" not in client.session


def _connexion_page(email: str, mdp: str = MDP):
    from django.test import Client

    c = Client()
    return c, c.post("/connexion/", {"username": email, "password": mdp})


def _jeton_api(client, email: str, mdp: str = MDP):
    return client.post(
        "/api/v1/auth/token", {"email": email, "password": mdp}, content_type="application/json"
    )


def test_connexion_sur_la_page_quelle_que_soit_la_casse_de_l_adresse(client):
    user = personne("Chef.8401@demo.ti")
    assert user.email == "chef.8401@demo.ti"
    for saisie in ("Chef.8401@demo.ti", "CHEF.8401@DEMO.TI", " chef.8401@Demo.Ti "):
        c, r = _connexion_page(saisie)
        assert r.status_code == 302, saisie
        assert c.session["_auth_user_id"] == str(user.pk)
        assert _jeton_api(client, saisie).status_code == 200
    # An account stored with capitals (before addresses were normalised) signs in too.
    Utilisateur.objects.filter(pk=user.pk).update(email="Chef.8401@Demo.ti")
    for saisie in ("chef.8401@demo.ti", "Chef.8401@Demo.ti"):
        assert _connexion_page(saisie)[1].status_code == 302, saisie
        assert _jeton_api(client, saisie).status_code == 200, saisie


def test_adresse_demesuree_refusee_par_la_page_de_connexion_sans_erreur():
    # No account holds an address longer than 254 characters: the page says so before any
    # lookup or count of failures (SQLite cannot run the case-insensitive lookup on 100 000
    # characters, PostgreSQL bounds the column of the failures to 255).
    for longueur in (300, 100_000):
        _, r = _connexion_page("x" * longueur)
        assert r.status_code == 200
        assert "comporte au plus 254 caractères" in unescape(r.content.decode())


def test_une_adresse_s_enregistre_en_minuscules_et_ne_sert_qu_a_un_compte():
    compte = Utilisateur(email="Nouvel.Agent@Exemple.fr")
    compte.set_password(MDP)
    compte.full_clean()
    compte.save()
    assert Utilisateur.objects.get(pk=compte.pk).email == "nouvel.agent@exemple.fr"
    # The admin's form checks uniqueness after clean(): the same address in capitals is taken.
    with pytest.raises(ValidationError, match="existe déjà"):
        Utilisateur(email="NOUVEL.AGENT@exemple.fr", password="x").full_clean()


def test_les_echecs_de_connexion_comptent_par_adresse_quelle_que_soit_sa_casse(client):
    personne("agent@exemple.fr")
    for saisie in ("Agent@exemple.fr", "AGENT@EXEMPLE.FR", "agent@Exemple.fr", "aGent@exemple.fr"):
        r = client.post("/connexion/", {"username": saisie, "password": "faux"})
        assert "Adresse électronique ou mot de passe incorrect" in r.content.decode()
    r = client.post("/connexion/", {"username": "AGENT@exemple.fr", "password": "faux"})
    assert r.status_code == 429
    # Suspended under every spelling, on the page as through the API.
    r = client.post("/connexion/", {"username": "agent@exemple.fr", "password": MDP})
    assert r.status_code == 429 and "Connexion suspendue" in r.content.decode()
    assert _jeton_api(client, "Agent@Exemple.FR").status_code == 429


def test_sessions_securisees_par_defaut():
    from config.settings import base

    assert base.SESSION_COOKIE_SECURE and base.CSRF_COOKIE_SECURE
    assert base.SESSION_COOKIE_HTTPONLY
    assert base.DEBUG is False
    assert base.DEMO_MODE is False


def test_annuaire_ne_montre_que_les_personnes_qui_l_ont_accepte(client):
    personne("visible@exemple.fr", annuaire=True)
    personne("discret@exemple.fr", annuaire=False)
    client.force_login(personne("moi@exemple.fr"))
    html = client.get("/annuaire/").content.decode()
    assert "visible" in html and "discret" not in html


def test_annuaire_reserve_aux_personnes_connectees(client):
    assert client.get("/annuaire/").status_code == 302


def test_consentement_a_l_annuaire_date_et_revocable(client):
    user = personne("moi@exemple.fr")
    client.force_login(user)
    client.post("/compte/annuaire/", {"annuaire": "oui"})
    p = Personne.objects.get(compte=user)
    assert p.annuaire and p.annuaire_accepte_le is not None
    client.post("/compte/annuaire/", {"annuaire": "non"})
    p.refresh_from_db()
    assert not p.annuaire and p.annuaire_accepte_le is None


def test_export_rgpd_de_mes_donnees(client):
    user = personne("moi@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    client.force_login(user)
    r = client.get("/compte/export/")
    assert r["Content-Disposition"] == 'attachment; filename="mes-donnees.json"'
    data = json.loads(r.content)
    assert data["compte"]["email"] == "moi@exemple.fr"
    assert data["designations"][0]["role"] == "Chef de projet local"


def test_effacement_rgpd_anonymise_et_ferme_le_compte(client):
    user = personne(
        "moi@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"), annuaire=True
    )
    client.force_login(user)
    r = client.post("/compte/effacer/", {"confirmation": "EFFACER"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert "moi@exemple.fr" not in user.email
    p = Personne.objects.get(designations__territoire__code="8401", nom="effacée")
    assert p.email == "" and not p.annuaire and p.compte is None
    # The decision history stays: the designation is still there, now anonymous.
    assert p.designations.count() == 1
    assert (
        client.post("/connexion/", {"username": "moi@exemple.fr", "password": MDP}).status_code
        == 200
    )


def test_effacement_demande_une_confirmation(client):
    user = personne("moi@exemple.fr")
    client.force_login(user)
    client.post("/compte/effacer/", {"confirmation": "oui"})
    user.refresh_from_db()
    assert user.is_active


def test_lecture_d_un_secret_journalisee_et_visible_par_l_equipe(client):
    firme = entreprise("8401")
    referent = personne("etat@exemple.fr", Role.REFERENT_ETAT, territoire=territoire("8401"))
    client.force_login(referent)
    html = client.get(f"/organisations/{firme.pk}/").content.decode()
    assert "12345678" in re.sub(r"\s", "", html)
    lus = set(LectureSecret.objects.filter(lecteur=referent).values_list("champ", flat=True))
    assert {"effectif", "chiffre_affaires", "contact_email"} <= lus
    chef = personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    client.force_login(chef)
    journal = client.get("/territoires/1/8401/secrets/").content.decode()
    assert "etat" in journal and "chiffre_affaires" in journal


def test_delegation_nationale_ne_voit_que_des_agregats(client):
    firmes = [entreprise("8401", n, effectif=10 * n) for n in (1, 2, 3)]
    client.force_login(personne("national@exemple.fr", Role.NATIONAL))
    html = client.get(f"/organisations/{firmes[0].pk}/").content.decode()
    assert "Confidentiel" in html and "secret-8401-1@exemple.fr" not in html
    assert not LectureSecret.objects.exists()
    page = client.get("/territoires/1/8401/").content.decode()
    assert "Effectif cumulé : 60" in page


def test_agregat_sous_le_seuil_couvert_par_le_secret_statistique():
    entreprise("8401", 1)
    entreprise("8401", 2)
    agg = agregats_entreprises(territoire("8401"))
    assert agg["entreprises"] == 2 and agg["effectif"].valeur is None
    assert agg["effectif"].motif == "secret statistique : moins de trois entreprises renseignées"


def test_secret_jamais_sur_les_pages_publiques(client):
    firme = entreprise("8401")
    assert client.get(f"/organisations/{firme.pk}/").status_code == 404
    for url in ("/", "/territoires/1/8401/", "/api/v1/territoires/8401", "/api/v1/carte"):
        body = client.get(url).content.decode()
        assert "secret-8401-1@exemple.fr" not in body and firme.nom not in body


def test_champ_non_marque_secret_visible_sans_journal(client):
    firme = entreprise("8401")
    profil = firme.profil_entreprise
    profil.champs_secrets = ["chiffre_affaires"]
    profil.save()
    client.force_login(personne("national@exemple.fr", Role.NATIONAL))
    html = client.get(f"/organisations/{firme.pk}/").content.decode()
    assert "secret-8401-1@exemple.fr" in html  # no longer secret: shown, not logged
    assert "12345678" not in re.sub(r"\s", "", html)
    assert not LectureSecret.objects.exists()


def test_designation_terminee_ne_donne_plus_de_droit(client):
    firme = entreprise("8401")
    client.force_login(
        personne(
            "ancien@exemple.fr",
            Role.CHEF_PROJET,
            territoire=territoire("8401"),
            date_fin=timezone.localdate(),
        )
    )
    assert client.get(f"/organisations/{firme.pk}/").status_code == 404


def test_modification_concurrente_refusee_sans_rien_perdre(client):
    firme = entreprise("8401")
    client.force_login(personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401")))
    url = f"/organisations/{firme.pk}/modifier/"
    form = {
        "activite": "Mécanique",
        "effectif": "90",
        "chiffre_affaires": "12345678",
        "contact_nom": "",
        "contact_email": "secret-8401-1@exemple.fr",
        "contact_telephone": "",
        "projet": "",
        "champs_secrets": ["effectif"],
        "version": "1",
    }
    assert client.post(url, form).status_code == 302
    # A second person had opened the form at version 1 too and saves later.
    r = client.post(url, {**form, "effectif": "95"})
    html = unescape(r.content.decode())
    assert r.status_code == 200 and "rien n'a été écrasé" in html
    assert "95" in html and "90" in html
    profil = ProfilEntreprise.objects.get(organisation=firme)
    assert profil.effectif == 90 and profil.version == 2


def _jeton(client, email):
    r = client.post(
        "/api/v1/auth/token", {"email": email, "password": MDP}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    return r.json()["token"]


def test_jeton_api_avec_de_mauvais_identifiants_401(client):
    personne("agent@exemple.fr")
    r = client.post(
        "/api/v1/auth/token",
        {"email": "agent@exemple.fr", "password": "non"},
        content_type="application/json",
    )
    assert r.status_code == 401 and "incorrect" in r.json()["detail"]


def test_ecriture_api_sans_jeton_401(client):
    firme = entreprise("8401")
    r = client.patch(
        f"/api/v1/organisations/{firme.pk}/profil",
        {"version": 1, "effectif": 1},
        content_type="application/json",
    )
    assert r.status_code == 401 and r["WWW-Authenticate"] == "Bearer"
    assert ProfilEntreprise.objects.get(organisation=firme).effectif == 87


def test_jeton_invalide_401_meme_en_lecture(client):
    r = client.get("/api/v1/territoires/8401", HTTP_AUTHORIZATION="Bearer inconnu")
    assert r.status_code == 200  # public data ignore the header…
    firme = entreprise("8401")
    r = client.get(f"/api/v1/organisations/{firme.pk}", HTTP_AUTHORIZATION="Bearer inconnu")
    assert r.status_code == 401  # …but a scoped read with a bad token is refused


def test_jeton_donne_exactement_la_portee_du_compte(client):
    firme = entreprise("8401")
    personne("chef8408@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8408"))
    personne("chef8401@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    t8408, t8401 = _jeton(client, "chef8408@exemple.fr"), _jeton(client, "chef8401@exemple.fr")
    url = f"/api/v1/organisations/{firme.pk}"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {t8408}").status_code == 404
    data = client.get(url, HTTP_AUTHORIZATION=f"Bearer {t8401}").json()
    assert data["profil"]["contact_email"] == "secret-8401-1@exemple.fr"
    assert client.get(url).status_code == 404  # anonymous


def test_modification_api_concurrente_409_avec_les_differences(client):
    firme = entreprise("8401")
    personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_jeton(client, 'chef@exemple.fr')}"}
    url = f"/api/v1/organisations/{firme.pk}/profil"
    r = client.patch(url, {"version": 1, "effectif": 100}, content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["version"] == 2
    r = client.patch(url, {"version": 1, "effectif": 120}, content_type="application/json", **auth)
    assert r.status_code == 409
    assert r.json()["differences"] == [
        {"champ": "effectif", "votre_valeur": "120", "valeur_actuelle": "100"}
    ]
    assert ProfilEntreprise.objects.get(organisation=firme).effectif == 100


def test_conflit_api_sur_une_valeur_videe_la_donne_nulle(client):
    # The same body as every 409 of the API: a value that is not there is null, not "None".
    firme = entreprise("8401")
    personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_jeton(client, 'chef@exemple.fr')}"}
    url = f"/api/v1/organisations/{firme.pk}/profil"
    r = client.patch(url, {"version": 1, "effectif": 100}, content_type="application/json", **auth)
    assert r.status_code == 200
    r = client.patch(url, {"version": 1, "effectif": None}, content_type="application/json", **auth)
    assert r.status_code == 409
    assert r.json() == {
        "detail": "Le profil a été modifié entre-temps : rien n'a été écrasé.",
        "differences": [{"champ": "effectif", "votre_valeur": None, "valeur_actuelle": "100"}],
    }


def test_un_refus_est_une_exception_du_domaine_que_la_page_traduit_en_404(client):
    from comptes import services

    firme = entreprise("8401")
    # The State's referent sees the firm of its territory, but only its team edits it.
    intrus = personne("etat8401@exemple.fr", Role.REFERENT_ETAT, territoire=territoire("8401"))
    profil = firme.profil_entreprise
    # The domain says no in its own words, not in HTTP's.
    with pytest.raises(PermissionDenied, match="Vous ne pouvez pas modifier ce profil."):
        services.modifier_profil_entreprise(
            user=intrus, profil=profil, version=profil.version, donnees={"effectif": 3}
        )
    client.force_login(intrus)
    assert client.get(f"/organisations/{firme.pk}/").status_code == 200
    assert client.get(f"/organisations/{firme.pk}/modifier/").status_code == 404
    profil.refresh_from_db()
    assert profil.effectif != 3


def test_audit_de_chaque_ecriture_sans_valeur_secrete(client):
    firme = entreprise("8401")
    user = personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_jeton(client, 'chef@exemple.fr')}"}
    client.patch(
        f"/api/v1/organisations/{firme.pk}/profil",
        {"version": 1, "effectif": 4242},
        content_type="application/json",
        **auth,
    )
    entry = LogEntry.objects.get_for_object(firme.profil_entreprise).order_by("-id").first()
    assert entry.actor == user and entry.action == LogEntry.Action.UPDATE
    assert timezone.localtime(entry.timestamp).date() == timezone.localdate()
    assert entry.additional_data == {"champs_modifies": ["effectif"]}
    assert "4242" not in json.dumps(entry.changes) and "87" not in json.dumps(entry.changes)


def test_territoire_affiche_son_binome_et_ses_referents(client):
    t = territoire("8401")
    personne("elu@exemple.fr", Role.BINOME_ELU, territoire=t, annuaire=True)
    personne("discret@exemple.fr", Role.REFERENT_ETAT, territoire=t, annuaire=False)
    html = client.get("/territoires/1/8401/").content.decode()
    assert "Binôme : élu" in html and "elu" in html
    assert "Préfet / référent territorial de l&#x27;État" in html or "référent territorial" in html
    assert "discret" not in html  # no consent to be shown: the role, not the name
    assert "nom non publié (hors annuaire)" in html and "désigné·e" not in html


def test_personas_de_demo_jamais_hors_mode_demo(settings):
    from demo.personas import load_personas

    settings.DEMO_MODE = False
    with pytest.raises(RuntimeError):
        load_personas()
    assert not Utilisateur.objects.filter(email__endswith="@demo.ti").exists()


def test_personas_de_demo_en_mode_demo():
    from demo.personas import MOT_DE_PASSE, load_personas

    assert settings.DEMO_MODE
    load_personas()
    for email in (
        "national@demo.ti",
        "region.ara@demo.ti",
        "etat.8401@demo.ti",
        "chef.8401@demo.ti",
        "chef.8408@demo.ti",
        "bpifrance.ara@demo.ti",
        "entreprise.8401@demo.ti",
    ):
        assert Utilisateur.objects.get(email=email).check_password(MOT_DE_PASSE)
    assert load_personas() == ["Comptes de démonstration déjà présents."]
    assert (
        date(2019, 1, 1)
        < Personne.objects.get(email="chef.8401@demo.ti").designations.get().date_debut
    )


def test_une_phase_finie_montre_ses_equipes_au_dernier_jour_sans_leur_laisser_de_droits(client):
    """Phase 1 ended on 08/11/2023: its territories' people are read as they stood that day,
    a role left before then is not; today, none of them holds rights there any more."""
    from comptes.permissions import portee
    from contrats.suivi import deploiement

    t = territoire("8401")
    fin = date(2023, 11, 9)  # the first day without the role
    chef = personne(
        "cheffe@exemple.fr", Role.CHEF_PROJET, annuaire=True, territoire=t, date_fin=fin
    )
    personne(
        "partie@exemple.fr", Role.BINOME_ELU, annuaire=True, territoire=t, date_fin=date(2021, 1, 1)
    )
    html = client.get("/territoires/1/8401/").content.decode()
    assert "cheffe" in html and "partie" not in html
    [ligne] = deploiement(territoires=[t])
    assert ligne.chef_projet and not ligne.binome_elu
    assert t.pk not in portee(chef).territoires_equipe


def _designation(role, **kw):
    from comptes.models import Designation

    p = Personne.objects.create(prenom="A", nom="B")
    return Designation(personne=p, role=role, date_debut=date(2020, 1, 1), **kw)


def test_coordonnateur_etat_reserve_aux_territoires_interregionaux():
    with pytest.raises(ValidationError, match="territoire interrégional"):
        _designation(Role.COORDINATEUR_ETAT, territoire=territoire("8401")).full_clean()
    _designation(Role.COORDINATEUR_ETAT, territoire=territoire("7601")).full_clean()


def test_binome_d_abord_sur_une_intercommunalite_du_territoire():
    from territoires.selectors import vue_territoire

    t = territoire("8401")
    dedans = EPCI.objects.get(siren=vue_territoire(t).epcis[0].siren)
    _designation(Role.BINOME_ELU, territoire=t, epci=dedans).full_clean()
    dehors = EPCI.objects.exclude(siren__in=[e.siren for e in vue_territoire(t).epcis]).first()
    with pytest.raises(ValidationError, match="ne fait pas partie du territoire"):
        _designation(Role.BINOME_ELU, territoire=t, epci=dehors).full_clean()
    with pytest.raises(ValidationError, match="Seul le binôme"):
        _designation(Role.CHEF_PROJET, territoire=t, epci=dedans).full_clean()


def test_referent_operateur_rattache_a_un_operateur():
    bpi = Organisation.objects.get(nom="Bpifrance")
    _designation(Role.REFERENT_OPERATEUR, organisation=bpi, region_id="84").full_clean()
    autre = Organisation.objects.get(nom__startswith="Agence nationale de la cohésion")
    with pytest.raises(ValidationError, match="rattaché à un opérateur"):
        _designation(Role.REFERENT_OPERATEUR, organisation=autre, region_id="84").full_clean()


def test_operateurs_nationaux_de_la_faq_presents():
    noms = set(
        Organisation.objects.filter(type=TypeOrganisation.OPERATEUR).values_list("nom", flat=True)
    )
    assert {
        "Banque des territoires",
        "Bpifrance",
        "Business France",
        "France Travail",
        "Ademe",
    } <= noms


def test_la_page_du_compte_donne_le_dernier_jour_d_un_role(client):
    """`date_fin` is the first day without the role: the page says the last day it held."""
    chef = personne(
        "fin@exemple.fr",
        Role.CHEF_PROJET,
        territoire=territoire("8401"),
        date_fin=date(2023, 11, 9),
    )
    client.force_login(chef)
    html = client.get("/compte/").content.decode()
    assert "jusqu&#x27;au 08/11/2023 inclus" in html or "jusqu'au 08/11/2023 inclus" in html
    assert "09/11/2023" not in html
