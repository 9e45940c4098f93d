"""The panier de services (FAQ §5): the seeded measures, their rules, the catalogue pages and who
keeps them. Each test is named after the rule it checks."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptes.enums import Role, TypeOrganisation
from comptes.models import Designation, Organisation
from comptes.tests.fabriques import personne, territoire
from mesures import selectors, services
from mesures.enums import PORTEURS_AU_PLURIEL, Axe, NatureMesure, SourceMesure
from mesures.models import Mesure
from mesures.permissions import peut_gerer_mesure
from referentiel.models import Region

pytestmark = pytest.mark.django_db

BDT = "Crédits d'ingénierie de la Banque des territoires"
FRANCE_EXPERIMENTATION = "France expérimentation"


def texte(html: str) -> str:
    """Visible text: tags removed, entities decoded, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def noms_listes(client, **params) -> list[str]:
    r = client.get(reverse("mesures:liste"), params)
    assert r.status_code == 200
    table = r.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return [texte(n) for n in re.findall(r'<a href="/mesures/\d+/">(.*?)</a>', table)]


def mesure(nom: str, **kw) -> Mesure:
    kw.setdefault("nature", NatureMesure.FINANCEMENT)
    if kw.get("region") or kw.get("region_id"):
        kw.setdefault("source", SourceMesure.REGIONALE)
    return Mesure.objects.create(nom=nom, **kw)


def donnees(**kw) -> dict:
    """A valid form submission, changed by `kw`."""
    d = {
        "nom": "Prêt d'honneur industriel",
        "description": "Mesure d'essai.",
        "nature": NatureMesure.FINANCEMENT,
        "axes": [Axe.INNOVER],
        "types_porteurs": [TypeOrganisation.ENTREPRISE],
        "taux_max": "40",
        "plafond": "100000",
        "source": SourceMesure.NATIONALE,
        "reference": "Délibération d'essai",
    }
    d.update(kw)
    return {k: v for k, v in d.items() if v is not None}


@pytest.fixture
def national():
    return personne("national@exemple.fr", Role.NATIONAL)


@pytest.fixture
def pilote_84():
    return personne("pilote.84@exemple.fr", Role.PILOTE_REGION, region_id="84")


# The measures the FAQ names


FAQ = {
    BDT: "FAQ §5.3",
    "Kit de diagnostic d'attractivité de Business France": "FAQ §5.3",
    "Stratégie d'attractivité avec Business France": "FAQ §5.3",
    "Assistance à maîtrise d'ouvrage (AMO) pour les territoires les plus fragiles": "FAQ §5.3",
    "Certificat de projet": "FAQ §5.5",
    "Rescrit environnemental": "FAQ §5.5",
    "Droit de dérogation des préfets": "FAQ §5.5",
    FRANCE_EXPERIMENTATION: "FAQ §5.5",
    "Dotation d'équipement des territoires ruraux (DETR)": "FAQ §3.6",
    "Dotation de soutien à l'investissement local (DSIL)": "FAQ §3.6",
    "Fonds national d'aménagement et de développement du territoire (FNADT)": "FAQ §3.6",
}


def test_les_mesures_nommees_par_la_faq_sont_amorcees_avec_leur_section():
    amorcees = {m.nom: m for m in Mesure.objects.all()}
    for nom, section in FAQ.items():
        m = amorcees[nom]
        assert m.reference.startswith(section), nom
        assert m.source == SourceMesure.NATIONALE and m.region is None and not m.demo
        m.full_clean()  # the seed obeys the model's own rules


def test_les_operateurs_des_mesures_de_la_faq_sont_ceux_de_la_faq():
    operateurs = dict(Mesure.objects.values_list("nom", "operateur__nom"))
    assert operateurs[BDT] == "Banque des territoires"
    assert operateurs["Kit de diagnostic d'attractivité de Business France"] == "Business France"
    assert operateurs["Stratégie d'attractivité avec Business France"] == "Business France"
    # The State's own endowments and procedures: no operator, the préfet.
    for nom in ("Certificat de projet", "Dotation d'équipement des territoires ruraux (DETR)"):
        assert operateurs[nom] is None
        assert "État (préfet)" in Mesure.objects.get(nom=nom).description


def test_ingenierie_de_la_banque_des_territoires_cofinance_au_plus_50_pour_cent():
    m = Mesure.objects.get(nom=BDT)
    assert m.taux_max == Decimal("50")
    assert m.nature == NatureMesure.INGENIERIE
    for etude in (
        "études à caractère stratégique et/ou sectoriel",
        "études de planification et de préfiguration",
        "études dans le cadre d'un projet d'investissement",
    ):
        assert etude in m.description


def test_kit_de_diagnostic_d_attractivite_gratuit_sur_l_axe_attirer():
    m = Mesure.objects.get(nom="Kit de diagnostic d'attractivité de Business France")
    assert m.axes == [Axe.ATTIRER]
    assert "gratuitement" in m.description


def test_france_experimentation_valable_depuis_le_20_decembre_2018_sans_fin():
    m = Mesure.objects.get(nom=FRANCE_EXPERIMENTATION)
    assert (m.date_debut, m.date_fin) == (date(2018, 12, 20), None)
    assert not m.valide_le(date(2018, 12, 19))
    assert m.valide_le(date(2018, 12, 20))
    assert m.valide_le(date(2019, 5, 1))  # the general window stays open after the call
    assert "30 avril 2019" in m.description


def test_procedures_de_simplification_sur_l_axe_simplifier():
    for nom in FAQ:
        m = Mesure.objects.get(nom=nom)
        if m.reference.startswith("FAQ §5.5"):
            assert m.nature == NatureMesure.PROCEDURE and m.axes == [Axe.SIMPLIFIER], nom


def test_dotations_de_l_etat_sans_taux_ni_plafond_inventes():
    for sigle in ("DETR", "DSIL", "FNADT"):
        m = Mesure.objects.get(nom__contains=f"({sigle})")
        assert m.nature == NatureMesure.FINANCEMENT
        assert m.taux_max is None and m.plafond is None, sigle
    for sigle in ("DETR", "DSIL"):
        m = Mesure.objects.get(nom__contains=f"({sigle})")
        assert m.types_porteurs == [TypeOrganisation.COMMUNE, TypeOrganisation.EPCI]
        assert m.eligible(TypeOrganisation.EPCI) and not m.eligible(TypeOrganisation.ENTREPRISE)
    fnadt = Mesure.objects.get(nom__contains="(FNADT)")
    assert fnadt.eligible(TypeOrganisation.ASSOCIATION)  # no list given: every bearer


# The model's rules


def test_validite_inclut_le_dernier_jour():
    m = Mesure(nom="Appel", nature="financement", date_debut=date(2019, 1, 1))
    m.date_fin = date(2019, 4, 30)
    assert m.valide_le(date(2019, 4, 30)) and not m.valide_le(date(2019, 5, 1))
    assert m.validite() == "Valable du 1er janvier 2019 au 30 avril 2019"


def test_sans_type_de_porteur_tous_les_porteurs_sont_eligibles():
    m = Mesure(nom="Ouverte", nature="financement")
    assert all(m.eligible(t) for t in TypeOrganisation.values)


def test_chaque_type_d_organisation_a_son_nom_de_porteur():
    assert set(PORTEURS_AU_PLURIEL) == set(TypeOrganisation)


def test_regles_en_francais_clair():
    m = Mesure(
        nom="Essai",
        nature="financement",
        axes=["innover", "attirer"],
        taux_max=Decimal("33.50"),
        plafond=Decimal("100000"),
        types_porteurs=["epci", "commune"],
    )
    m.full_clean()
    assert m.axes == ["attirer", "innover"]  # kept in the order of the axes
    assert m.regles() == [
        "Axes : attirer, innover",
        "Cofinancement maximal : 33,5 %",
        "Plafond par fiche : 100\u202f000 €",
        "Porteurs éligibles : communes, EPCI",
        "Valable sans limite de date",
    ]


def test_axe_inconnu_refuse_en_francais():
    m = Mesure(nom="Essai", nature="financement", axes=["attirer", "conquerir"])
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert exc.value.message_dict["axes"] == [
        "Axe inconnu : « conquerir ». Les axes de la phase 1 sont attirer, recruter, innover "
        "et simplifier ; les priorités de la phase 2 sont compétences et recrutement, "
        "transition écologique et énergétique, innovation et foncier industriel."
    ]


def test_type_de_porteur_inconnu_refuse_en_francais():
    m = Mesure(nom="Essai", nature="financement", types_porteurs=["licorne"])
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert exc.value.message_dict["types_porteurs"] == ["Type de porteur inconnu : « licorne »."]


def test_une_mesure_regionale_est_rattachee_a_sa_region():
    with pytest.raises(ValidationError) as exc:
        Mesure(nom="Sans région", nature="financement", source="regionale").full_clean()
    assert "rattachée à sa région" in exc.value.message_dict["region"][0]
    with pytest.raises(ValidationError) as exc:
        Mesure(nom="Nationale", nature="financement", region_id="84").full_clean()
    assert "aucune région" in exc.value.message_dict["region"][0]
    # The database says the same, whatever path the write takes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Mesure.objects.create(nom="Sans région", nature="financement", source="regionale")


def test_taux_au_dela_de_100_pour_cent_refuse_par_la_base():
    with pytest.raises(IntegrityError), transaction.atomic():
        Mesure.objects.create(nom="Trop", nature="financement", taux_max=Decimal("150"))


def test_fin_de_validite_avant_son_debut_refusee():
    m = Mesure(
        nom="À rebours", nature="procedure", date_debut=date(2020, 1, 1), date_fin=date(2019, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert exc.value.message_dict["date_fin"] == ["La fin de validité ne peut précéder son début."]


# Who keeps the catalogue


def test_delegation_nationale_gere_les_engagements_nationaux_pas_les_mesures_regionales(national):
    regionale = mesure("Aide régionale", region_id="84")
    assert peut_gerer_mesure(national, Mesure.objects.get(nom=BDT))
    assert peut_gerer_mesure(national, None)
    assert not peut_gerer_mesure(national, regionale)
    assert not peut_gerer_mesure(national, None, region="84")


def test_pilote_d_une_region_gere_les_mesures_de_sa_region_seulement(pilote_84):
    assert peut_gerer_mesure(pilote_84, mesure("Aide 84", region_id="84"))
    assert peut_gerer_mesure(pilote_84, None, region="84")
    assert not peut_gerer_mesure(pilote_84, mesure("Aide 53", region_id="53"))
    assert not peut_gerer_mesure(pilote_84, None, region="53")
    assert not peut_gerer_mesure(pilote_84, Mesure.objects.get(nom=BDT))
    assert not peut_gerer_mesure(pilote_84, None)


def test_service_refuse_de_deplacer_une_mesure_vers_une_autre_region(pilote_84):
    m = mesure("Aide 84", region_id="84")
    # The domain refuses with its own exception and French message; pages turn it into 404.
    with pytest.raises(PermissionDenied, match="pour cette portée"):
        services.modifier_mesure(
            user=pilote_84, mesure=m, donnees={"region": Region.objects.get(code="53")}
        )
    with pytest.raises(PermissionDenied, match="pour cette portée"):
        services.modifier_mesure(
            user=pilote_84, mesure=m, donnees={"source": "nationale", "region": None}
        )
    m.refresh_from_db()
    assert (m.source, m.region_id) == (SourceMesure.REGIONALE, "84")


def test_le_formulaire_passe_au_service_exactement_ses_champs():
    from www.mesures.forms import MesureForm

    assert sorted(MesureForm.Meta.fields) == sorted(services.CHAMPS)


def test_service_refuse_un_champ_inconnu(national):
    with pytest.raises(ValidationError):
        services.creer_mesure(user=national, donnees={"nom": "X", "budget": 3})


# The catalogue pages


def test_catalogue_ouvert_a_tous(client):
    html = client.get(reverse("mesures:liste")).content.decode()
    assert "Le panier de services" in html
    assert BDT.replace("'", "&#x27;") in html
    assert "Ajouter une mesure" not in html


def test_recherche_sans_tenir_compte_des_accents(client):
    assert noms_listes(client, q="ingenierie banque") == [BDT]
    assert noms_listes(client, q="FRANCE EXPERIMENTATION") == [FRANCE_EXPERIMENTATION]
    # The description and the operator are searched too.
    assert "Rescrit environnemental" in noms_listes(client, q="temps administratif")
    assert set(noms_listes(client, q="business")) == {
        "Kit de diagnostic d'attractivité de Business France",
        "Stratégie d'attractivité avec Business France",
    }
    assert noms_listes(client, q="aucune mesure de ce nom") == []


def test_filtre_par_axe_inclut_les_mesures_de_tous_les_axes(client):
    noms = noms_listes(client, axe="simplifier")
    assert FRANCE_EXPERIMENTATION in noms and BDT in noms  # BdT: no axis, serves all four
    assert "Stratégie d'attractivité avec Business France" not in noms


def test_filtres_par_nature_source_operateur(client):
    assert set(noms_listes(client, nature="procedure")) == {
        "Certificat de projet",
        "Rescrit environnemental",
        "Droit de dérogation des préfets",
        FRANCE_EXPERIMENTATION,
    }
    bdt = Organisation.objects.get(nom="Banque des territoires")
    assert noms_listes(client, operateur=bdt.pk) == [BDT]
    mesure("Aide régionale à l'export", region_id="84")
    assert noms_listes(client, source="regionale") == ["Aide régionale à l'export"]


def test_filtre_par_region_montre_ce_qu_on_y_peut_mobiliser(client):
    mesure("Aide 84", region_id="84")
    mesure("Aide 53", region_id="53")
    noms = noms_listes(client, region="84")
    assert "Aide 84" in noms and BDT in noms and "Aide 53" not in noms
    assert noms_listes(client, region="84", source="regionale") == ["Aide 84"]


def test_filtre_valables_aujourd_hui(client):
    mesure("Appel clos", date_debut=date(2019, 1, 1), date_fin=date(2019, 4, 30))
    assert "Appel clos" in noms_listes(client)
    noms = noms_listes(client, valide="on")
    assert "Appel clos" not in noms and FRANCE_EXPERIMENTATION in noms


def test_un_filtre_invalide_est_ignore_seul(client):
    assert noms_listes(client, axe="conquerir", q="ingenierie banque") == [BDT]


def test_nombre_de_requetes_du_catalogue_constant(client, national):
    client.force_login(national)
    url = reverse("mesures:liste")
    params = {"q": "aide", "region": "84", "source": "regionale", "valide": "on"}

    def requetes() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    bdt = Organisation.objects.get(nom="Banque des territoires")
    for i in range(3):
        mesure(f"Aide {i}", region_id="84", operateur=bdt, axes=["innover"])
    avec_3 = requetes()
    for i in range(3, 30):
        mesure(f"Aide {i}", region_id="84", operateur=bdt, axes=["innover"])
    assert len(selectors.catalogue(q="aide", region="84", source="regionale")) == 30
    assert requetes() == avec_3


def test_page_d_une_mesure_dit_ses_regles_en_francais(client):
    m = Mesure.objects.get(nom=BDT)
    html = texte(client.get(reverse("mesures:detail", args=[m.pk])).content.decode())
    assert "Cofinancement maximal : 50 %" in html
    assert "Porteurs éligibles : tous les porteurs" in html
    assert "FAQ §5.3" in html and "Banque des territoires" in html
    dsil = Mesure.objects.get(nom__contains="(DSIL)")
    html = texte(client.get(reverse("mesures:detail", args=[dsil.pk])).content.decode())
    assert "Porteurs éligibles : communes, EPCI" in html
    assert "Cofinancement maximal : non précisé" in html
    fe = Mesure.objects.get(nom=FRANCE_EXPERIMENTATION)
    html = texte(client.get(reverse("mesures:detail", args=[fe.pk])).content.decode())
    assert "Valable à partir du 20 décembre 2018, sans date de fin" in html


def test_mesure_inconnue_404(client):
    assert client.get(reverse("mesures:detail", args=[999999])).status_code == 404


# The form pages


def test_pilote_d_une_region_cree_une_mesure_regionale_de_sa_region(client, pilote_84):
    client.force_login(pilote_84)
    assert "Ajouter une mesure" in client.get(reverse("mesures:liste")).content.decode()
    r = client.post(
        reverse("mesures:nouvelle"), donnees(source=SourceMesure.REGIONALE, region="84")
    )
    m = Mesure.objects.get(nom="Prêt d'honneur industriel")
    assert r.status_code == 302 and r.url == reverse("mesures:detail", args=[m.pk])
    assert (m.source, m.region_id, m.taux_max) == ("regionale", "84", Decimal("40"))
    assert m.axes == ["innover"] and m.types_porteurs == ["entreprise"]
    r = client.post(
        reverse("mesures:modifier", args=[m.pk]),
        donnees(source=SourceMesure.REGIONALE, region="84", taux_max="30"),
    )
    m.refresh_from_db()
    assert r.status_code == 302 and m.taux_max == Decimal("30")


def test_pilote_d_une_region_ne_choisit_ni_une_autre_region_ni_le_national(client, pilote_84):
    client.force_login(pilote_84)
    r = client.post(
        reverse("mesures:nouvelle"), donnees(source=SourceMesure.REGIONALE, region="53")
    )
    assert r.status_code == 200
    assert "Sélectionnez un choix valide" in texte(r.content.decode())
    r = client.post(reverse("mesures:nouvelle"), donnees(source=SourceMesure.NATIONALE))
    assert r.status_code == 200
    assert not Mesure.objects.filter(nom="Prêt d'honneur industriel").exists()


def test_pilote_d_une_region_404_sur_la_mesure_d_une_autre_region_et_les_nationales(
    client, pilote_84
):
    client.force_login(pilote_84)
    autre = mesure("Aide 53", region_id="53")
    nationale = Mesure.objects.get(nom=BDT)
    for m in (autre, nationale):
        assert client.get(reverse("mesures:modifier", args=[m.pk])).status_code == 404
        assert client.post(reverse("mesures:modifier", args=[m.pk]), donnees()).status_code == 404
        # Browsing stays open, without the edit button.
        html = client.get(reverse("mesures:detail", args=[m.pk])).content.decode()
        assert "Modifier la mesure" not in html
    nationale.refresh_from_db()
    assert nationale.taux_max == Decimal("50")


def test_delegation_nationale_cree_un_engagement_national(client, national):
    client.force_login(national)
    r = client.post(reverse("mesures:nouvelle"), donnees())
    assert r.status_code == 302
    m = Mesure.objects.get(nom="Prêt d'honneur industriel")
    assert (m.source, m.region) == (SourceMesure.NATIONALE, None)
    html = client.get(reverse("mesures:detail", args=[m.pk])).content.decode()
    assert "Modifier la mesure" in html
    assert "Cofinancement maximal : 40 %" in texte(html)
    assert "Plafond par fiche : 100 000 €" in texte(html)


@pytest.mark.parametrize(
    "qui",
    [
        None,
        {"role": Role.CHEF_PROJET, "territoire": "8401"},
        {"role": Role.REFERENT_ETAT, "territoire": "8401"},
        {"role": Role.REFERENT_OPERATEUR, "region_id": "84"},
        {"role": None},
    ],
    ids=["anonyme", "chef_de_projet", "referent_etat", "referent_operateur", "sans_role"],
)
def test_anonymes_a_la_connexion_et_autres_roles_404_sur_les_formulaires(client, qui):
    if qui is not None:
        scope = dict(qui)
        role = scope.pop("role")
        if "territoire" in scope:
            scope["territoire"] = territoire(scope["territoire"])
        user = personne("quelqu.un@exemple.fr")
        if role:
            if role == Role.REFERENT_OPERATEUR:
                scope["organisation"] = Organisation.objects.get(nom="Banque des territoires")
            Designation.objects.create(
                personne=user.personne, role=role, date_debut=date(2019, 1, 1), **scope
            )
        client.force_login(user)
    m = Mesure.objects.get(nom=BDT)
    # Anonymous: to the sign-in page first; signed in without the right: 404.
    attendu = 302 if qui is None else 404
    for url in (reverse("mesures:nouvelle"), reverse("mesures:modifier", args=[m.pk])):
        assert client.get(url).status_code == attendu
        assert client.post(url, donnees()).status_code == attendu
    assert not Mesure.objects.filter(nom="Prêt d'honneur industriel").exists()
    assert "Ajouter une mesure" not in client.get(reverse("mesures:liste")).content.decode()


def test_taux_de_150_pour_cent_refuse_en_francais_sans_rien_enregistrer(client, national):
    client.force_login(national)
    r = client.post(reverse("mesures:nouvelle"), donnees(taux_max="150"))
    assert r.status_code == 200
    html = texte(r.content.decode())
    assert "Un taux de cofinancement ne peut dépasser 100 %." in html
    assert "La mesure n'a pas été enregistrée" in html
    assert not Mesure.objects.filter(nom="Prêt d'honneur industriel").exists()
    m = Mesure.objects.get(nom=BDT)
    r = client.post(reverse("mesures:modifier", args=[m.pk]), donnees(nom=BDT, taux_max="150"))
    assert r.status_code == 200
    m.refresh_from_db()
    assert m.taux_max == Decimal("50")


def test_axe_inconnu_refuse_en_francais_sans_rien_enregistrer(client, national):
    client.force_login(national)
    r = client.post(reverse("mesures:nouvelle"), donnees(axes=["attirer", "conquerir"]))
    assert r.status_code == 200
    assert "Axe inconnu : « conquerir »" in texte(r.content.decode())
    assert not Mesure.objects.filter(nom="Prêt d'honneur industriel").exists()


def test_service_refuse_un_axe_inconnu_sans_rien_enregistrer(national):
    with pytest.raises(ValidationError) as exc:
        services.creer_mesure(
            user=national,
            donnees={"nom": "Essai", "nature": "financement", "axes": ["conquerir"]},
        )
    assert "Axe inconnu" in exc.value.message_dict["axes"][0]
    assert not Mesure.objects.filter(nom="Essai").exists()


def test_un_nom_par_portee():
    with pytest.raises(ValidationError) as exc:
        Mesure(nom=BDT, nature="ingenierie").full_clean()
    assert exc.value.messages == ["Un engagement national porte déjà ce nom."]
    mesure("Aide 84", region_id="84")
    mesure("Aide 84", region_id="53")  # the same name in another région is another measure
    with pytest.raises(ValidationError) as exc:
        Mesure(nom="Aide 84", nature="financement", source="regionale", region_id="84").full_clean()
    assert exc.value.messages == ["Cette région a déjà une mesure de ce nom."]
