"""The demo in phase 2, as `make run` loads it: ti-8401 and ti-8413 (the phase-2 territories of
the demo's EPCI and firms) with their teams, committees, fiches under the four priorities and
contracts over 2024-2026; ti-8415 without a chef de projet; the phase-1 demo kept as history."""

import re
from datetime import date
from html import unescape

import pytest
from django.apps import apps

from comptes.enums import Role
from comptes.models import Designation, ProfilEntreprise, Utilisateur
from comptes.permissions import peut_lire_secrets
from contrats import suivi
from contrats.enums import EtatDocument
from contrats.models import Contrat, Protocole
from demo.loader import load_demo
from demo.personas import MOT_DE_PASSE
from fiches.controles import accord_de_la_gouvernance, controler
from fiches.enums import Etat
from fiches.models import FicheAction, Transition
from fiches.selectors import fiches_visibles
from gouvernance.models import Comite, DecisionReunion, Reunion
from mesures.enums import Priorite

pytestmark = pytest.mark.django_db

FIN_PHASE_1 = date(2023, 11, 8)
DERNIER_JOUR = date(2026, 11, 30)  # the demo never moves after November 2026
FONDS_VERT = "Chaleur renouvelable pour l'usine des Tissages d'Annonay"


def u(email: str) -> Utilisateur:
    return Utilisateur.objects.get(email=email)


def fiches_de(code: str):
    return FicheAction.objects.filter(territoire__phase_id=2, territoire__code=code, demo=True)


def lisible(html: str) -> str:
    texte = unescape(re.sub(r"<[^>]+>", " ", html))
    return " ".join(texte.replace("\u202f", " ").replace("\xa0", " ").split())


def texte(r) -> str:
    assert r.status_code == 200, r.status_code
    return lisible(r.content.decode())


def test_ti_8401_et_ti_8413_ont_leurs_fiches_sous_les_quatre_priorites_de_2024_a_2026():
    load_demo()
    for code in ("ti-8401", "ti-8413"):
        fiches = fiches_de(code)
        assert 8 <= fiches.count() <= 12
        assert set(fiches.values_list("axe", flat=True)) == set(Priorite.values)
    # ti-8401's contract is signed: its fiches go the whole path. ti-8413's retained fiches
    # wait in its contract for the last signature, so none is inscribed there yet.
    assert set(fiches_de("ti-8401").values_list("etat", flat=True)) == set(Etat.values)
    assert set(fiches_de("ti-8413").values_list("etat", flat=True)) == set(Etat.values) - {
        Etat.INSCRITE,
        Etat.REALISEE,
    }
    # Each one a simplification request, among the national list.
    for code in ("ti-8401", "ti-8413"):
        assert (
            FicheAction.objects.simplifications()
            .filter(pk__in=fiches_de(code), demande_simplification=True)
            .exists()
        )
    mouvements = Transition.objects.filter(fiche__territoire__phase_id=2, fiche__demo=True)
    jours = list(mouvements.values_list("date_effet", flat=True))
    assert min(jours) >= date(2024, 1, 1) and max(jours) <= DERNIER_JOUR
    assert {j.year for j in jours} == {2024, 2025, 2026}
    # Every committee move rests on a decision taken in a meeting, flagged as demo content.
    en_comite = mouvements.filter(action__in=["avis_local", "avis_copil", "retenir"])
    assert en_comite.count() > 20
    for t in en_comite.select_related("decision"):
        assert t.decision.demo
        assert DecisionReunion.objects.filter(decision=t.decision, reunion__demo=True).exists()


def test_equipes_et_comites_de_la_phase_2_les_designations_de_la_phase_1_closes():
    load_demo()
    chef = u("chef.8401@demo.ti").personne
    fin = chef.designations.get(territoire__code="8401")
    assert fin.date_fin == date(2023, 11, 9)  # the end is exclusive: last day 08/11/2023
    assert chef.designations.actives(FIN_PHASE_1).get().territoire.code == "8401"
    assert chef.designations.actives().get().territoire.code == "ti-8401"
    debut = chef.designations.get(territoire__code="ti-8401")
    assert debut.demo and debut.decision.demo and date(2023, 11, 9) < debut.date_debut
    equipes = {
        code: set(
            Designation.objects.actives()
            .filter(territoire__phase_id=2, territoire__code=code)
            .values_list("role", "personne__email")
        )
        for code in ("ti-8401", "ti-8413", "ti-8415")
    }
    assert {(Role.CHEF_PROJET, "chef.8401@demo.ti"), (Role.REFERENT_ETAT, "etat.8401@demo.ti")} <= (
        equipes["ti-8401"]
    )
    assert (Role.CHEF_PROJET, "chef.8408@demo.ti") in equipes["ti-8413"]
    for code, equipe in equipes.items():
        assert {Role.BINOME_ELU, Role.BINOME_INDUSTRIEL, Role.REFERENT_ETAT} <= {
            r for r, _ in equipe
        }, code
    assert Role.CHEF_PROJET not in {r for r, _ in equipes["ti-8415"]}
    # The history: phase 1's tracking reads its teams as they stood on its last day.
    [h] = suivi.deploiement(territoires=[fin.territoire])
    assert h.chef_projet and h.binome and h.referent_etat and h.contrat == EtatDocument.SIGNE
    # Région-wide roles go on from phase 1: the pilot still sees phase 1's drafts (history).
    assert (
        fiches_visibles(u("region.ara@demo.ti"))
        .filter(territoire__code="8401", etat=Etat.BROUILLON)
        .exists()
    )
    # Local committees of each territory; the COPIL of région 84 is the same for both phases.
    for code in ("ti-8401", "ti-8413"):
        comite = Comite.objects.get(type="comite_local", territoire__code=code)
        assert comite.demo and comite.reunions.filter(demo=True).count() >= 4
    copil = Comite.objects.get(type="copil_regional", region_id="84")
    annees = {r.debut.year for r in copil.reunions.all()}
    assert {2019, 2024, 2025, 2026} <= annees
    assert not Reunion.objects.filter(demo=True, debut__date__gt=DERNIER_JOUR).exists()
    # Everything of phase 2 is demo content, shown with its badge.
    for objets in (
        Designation.objects.filter(territoire__phase_id=2),
        Reunion.objects.filter(debut__year__gte=2024),
        Comite.objects.filter(territoire__phase_id=2),
        Protocole.objects.filter(territoire__phase_id=2),
        Contrat.objects.filter(territoire__phase_id=2),
        FicheAction.objects.filter(territoire__phase_id=2),
    ):
        assert objets and all(o.demo for o in objets), objets.model


def test_contrat_signe_et_comite_de_suivi_pour_ti_8401_contrat_en_signature_pour_ti_8413(client):
    load_demo()
    signe = Contrat.objects.get(territoire__code="ti-8401")
    assert signe.demo and signe.etat == EtatDocument.SIGNE
    assert (
        signe.validation.demo
        and DecisionReunion.objects.filter(
            decision=signe.validation, reunion__comite__type="copil_regional"
        ).exists()
    )
    assert Protocole.objects.get(territoire=signe.territoire).etat == EtatDocument.SIGNE
    annexees = [a.fiche for a in signe.annexes.select_related("fiche")]
    assert annexees and {f.etat for f in annexees} == {Etat.INSCRITE, Etat.REALISEE}
    comite = Comite.objects.get(type="comite_local", territoire=signe.territoire)
    assert comite.suivi_depuis == signe.date_signature == date(2025, 5, 20)
    assert comite.nom == "Comité de suivi — Ardèche Drôme Nord"
    avant, apres = (
        comite.reunions.filter(debut__date__lt=comite.suivi_depuis).first(),
        comite.reunions.filter(debut__date__gt=comite.suivi_depuis).first(),
    )
    assert comite.nom_le(avant.date) == "Comité de projet local — Ardèche Drôme Nord"
    assert comite.libelle_type_le(apres.date) == "Comité de suivi"

    en_cours = Contrat.objects.get(territoire__code="ti-8413")
    assert en_cours.demo and en_cours.etat == EtatDocument.VALIDE and en_cours.validation.demo
    assert Protocole.objects.get(territoire=en_cours.territoire).etat == EtatDocument.SIGNE
    dates = list(en_cours.signataires.values_list("signe_le", flat=True))
    assert None in dates and any(dates)  # partly signed
    assert {a.fiche.etat for a in en_cours.annexes.select_related("fiche")} == {Etat.RETENUE}
    assert not Comite.objects.get(type="comite_local", territoire=en_cours.territoire).suivi_depuis

    # The comité de suivi as a member of the team sees it.
    client.force_login(u("chef.8401@demo.ti"))
    html = texte(client.get(f"/gouvernance/comites/{comite.pk}/"))
    assert "Comité de suivi — Ardèche Drôme Nord" in html and "le 20/05/2025" in html


def test_le_suivi_signale_ti_8415_sans_chef_de_projet(client):
    load_demo()
    lignes = {d.code: d for d in suivi.deploiement(phase=2)}
    assert lignes["ti-8415"].binome and lignes["ti-8415"].referent_etat
    assert "chef de projet dédié" in lignes["ti-8415"].manques
    assert lignes["ti-8401"].chef_projet and not lignes["ti-8401"].en_retard
    assert lignes["ti-8413"].chef_projet and lignes["ti-8413"].manques == ["contrat signé"]
    assert lignes["ti-8413"].contrat == EtatDocument.VALIDE
    # The tracking page of the région, in the phase in force by default.
    client.force_login(u("region.ara@demo.ti"))
    html = client.get("/tableaux/deploiement/?region=84").content.decode()

    def ligne(code):  # its row in the table
        return lisible(html.split(f"{code} ")[-1].split("</tr>")[0])

    assert "Signé" in ligne("ti-8401") and "20/05/2025" in ligne("ti-8401")
    assert "Validé, en signature" in ligne("ti-8413")
    assert "à désigner" in ligne("ti-8415") and "à désigner" not in ligne("ti-8401")


def test_la_demonstration_de_la_phase_2_se_charge_une_fois():
    modeles = [
        ("fiches", "FicheAction"),
        ("fiches", "Transition"),
        ("fiches", "LigneFinancement"),
        ("gouvernance", "Reunion"),
        ("gouvernance", "DecisionReunion"),
        ("gouvernance", "Comite"),
        ("contrats", "Contrat"),
        ("contrats", "Signataire"),
        ("comptes", "Designation"),
        ("comptes", "Personne"),
        ("comptes", "Organisation"),
        ("comptes", "Utilisateur"),
        ("territoires", "Decision"),
    ]

    def etat_de_la_base():
        compte = {m: apps.get_model(*m).objects.count() for m in modeles}
        compte["fins"] = sorted(Designation.objects.values_list("pk", "date_fin"))
        compte["comites"] = sorted(Comite.objects.values_list("pk", "nom", "suivi_depuis"))
        return compte

    premier = load_demo()
    assert any(m.startswith("Démo phase 2") for m in premier)
    avant = etat_de_la_base()
    second = load_demo()
    assert "Démonstration de la phase 2 déjà présente." in second
    assert "Équipes de démonstration de la phase 2 déjà présentes." in second
    assert etat_de_la_base() == avant


def test_les_personas_voient_leur_territoire_de_phase_2_et_les_secrets_au_besoin(client):
    load_demo()
    for email in ("chef.8401@demo.ti", "chef.8408@demo.ti", "etat.8401@demo.ti"):
        assert u(email).check_password(MOT_DE_PASSE)
    chef1, chef2 = u("chef.8401@demo.ti"), u("chef.8408@demo.ti")
    assert set(fiches_de("ti-8401")) <= set(fiches_visibles(chef1))
    assert set(fiches_de("ti-8413")) <= set(fiches_visibles(chef2))
    brouillons = fiches_de("ti-8401").filter(etat=Etat.BROUILLON)
    assert brouillons and not fiches_visibles(chef2).filter(pk__in=brouillons).exists()

    # The firm's Fonds vert fiche: the governance agreed in a meeting of the local committee.
    f = fiches_de("ti-8401").get(titre=FONDS_VERT)
    assert accord_de_la_gouvernance(f)
    codes = {c.code for c in controler(f)}
    assert not codes & {"accord_gouvernance", "entreprise_en_difficulte", "difficulte_non_declaree"}
    url = f"/fiches/{f.uuid}/"
    ademe, bpi, description = "480 000 €", "180 000 €", "Pompe à chaleur de 2 MW"
    for email in ("chef.8401@demo.ti", "etat.8401@demo.ti", "entreprise.8401@demo.ti"):
        client.force_login(u(email))
        html = texte(client.get(url))
        assert ademe in html and bpi in html and description in html, email
    client.force_login(u("bpifrance.ara@demo.ti"))  # a funder reads its own line only
    html = texte(client.get(url))
    assert bpi in html and ademe not in html and description not in html
    client.force_login(u("national@demo.ti"))  # no need to know: the delegation neither
    html = texte(client.get(url))
    assert "Confidentiel" in html and ademe not in html and description not in html
    for email in ("chef.8408@demo.ti", "bdt.ara@demo.ti"):  # another territory, no line
        client.force_login(u(email))
        assert client.get(url).status_code == 404, email

    # The firm of ti-8413 declared itself in difficulty: its Fonds vert fiche is not retained.
    g = fiches_de("ti-8413").get(porteur__nom="[Démo] Plasturgie d'Oyonnax")
    assert g.etat == Etat.NON_RETENUE
    [c] = [c for c in controler(g) if c.code == "entreprise_en_difficulte"]
    assert c.chiffres == {"déclarée le": "03/03/2025"}
    profil = ProfilEntreprise.objects.get(organisation=g.porteur)
    assert peut_lire_secrets(chef2, profil) and not peut_lire_secrets(chef1, profil)
