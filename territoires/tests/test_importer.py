"""Import of official lists: both shapes, merged communes, bad files, idempotence.

Lists of the tests go to a phase of their own (fabriques.phase_d_essai): both real phases
hold their official map."""

from datetime import date

import pytest
from django.conf import settings

from referentiel.models import EPCI, AncienCode, Commune
from territoires.importer import ImportInvalide, importer, parse
from territoires.models import Changement, Decision, Perimetre, Territoire
from territoires.tests.fabriques import phase_d_essai

pytestmark = pytest.mark.django_db

D = date(2023, 6, 1)


def phase2():
    # Every test list of this module goes to the test phase.
    return phase_d_essai()


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def epci_avec_communes(n_min=3):
    """A real EPCI of the referential with a few communes, outside the Grand Paris."""
    return next(
        e
        for e in EPCI.objects.exclude(nature__in=["EPT", "METRO"]).order_by("siren")
        if e.communes.count() >= n_min
    )


def test_carte_officielle_phase_1_compte_148_territoires_dont_11_interregionaux():
    from territoires.selectors import vues_territoires

    vues = vues_territoires(date(2020, 12, 31), phase=1)
    assert len(vues) == 148
    inter = [v for v in vues if v.interregional]
    assert len(inter) == 11
    v7601 = next(v for v in vues if v.code == "7601")
    assert v7601.nom == "Aurillac - Figeac - Rodez"
    assert v7601.regions == ["76", "84"]


def test_toutes_les_lignes_officielles_sont_chargees_y_compris_communes_fusionnees():
    content = (
        settings.DATA_DIR / "territoires" / "territoires-industrie-2019-communes.csv"
    ).read_bytes()
    _, rapport = parse(content)
    assert rapport.lignes == 15697
    assert rapport.via_anciens_codes > 0
    assert Perimetre.objects.filter(territoire__phase_id=1).count() == rapport.communes


def test_import_forme_communes_phase_2_avec_identifiants_ti():
    e = epci_avec_communes()
    codes = list(e.communes.values_list("code", flat=True))
    lines = ["insee_com,lib_com,id_ti,lib_ti"] + [f"{c},X,ti-8499,Essai" for c in codes]
    rapport = importer(csv(*lines), phase=phase2(), date=D)
    # The id stays as the programme writes it in phase 2.
    t = Territoire.objects.get(phase=phase2(), code="ti-8499")
    assert t.nom == "Essai" and t.date_debut == D
    assert set(t.perimetre.values_list("commune_id", flat=True)) == set(codes)
    assert rapport.crees == ["ti-8499"] and rapport.forme == "communes"


def test_import_forme_groupements_developpe_les_communes_de_l_epci():
    e = epci_avec_communes()
    content = csv(
        "id_ti;lib_ti;siren_groupement;lib_groupement;nature_juridique",
        f"ti-8498;Groupement essai;{e.siren};{e.nom};{e.nature}",
    )
    rapport = importer(content, phase=phase2(), date=D)
    t = Territoire.objects.get(phase=phase2(), code="ti-8498")
    assert t.perimetre.count() == e.communes.count()
    assert rapport.forme == "groupements"


def test_import_groupement_ept_du_grand_paris():
    ept = EPCI.objects.filter(nature="EPT").order_by("siren").first()
    content = csv("id_ti,lib_ti,siren_groupement", f"ti-1199,Essai EPT,{ept.siren}")
    importer(content, phase=phase2(), date=D)
    t = Territoire.objects.get(phase=phase2(), code="ti-1199")
    assert t.perimetre.count() == ept.communes_ept.count() > 1


def test_commune_fusionnee_retrouvee_par_son_ancien_code():
    ancien = AncienCode.objects.select_related("commune").order_by("code").first()
    importer(csv("insee_com,code_ti,lib_ti", f"{ancien.code},2801,Fusion"), phase=phase2(), date=D)
    t = Territoire.objects.get(phase=phase2(), code="2801")
    assert list(t.perimetre.values_list("commune_id", flat=True)) == [ancien.commune_id]


def _refuse(content: bytes) -> list[str]:
    avant = (Territoire.objects.count(), Perimetre.objects.count(), Decision.objects.count())
    with pytest.raises(ImportInvalide) as exc:
        importer(content, phase=phase2(), date=D)
    assert (
        Territoire.objects.count(),
        Perimetre.objects.count(),
        Decision.objects.count(),
    ) == avant
    return exc.value.erreurs


def test_fichier_mal_forme_nomme_la_ligne_et_rien_n_est_importe():
    e = epci_avec_communes()
    good = list(e.communes.values_list("code", flat=True))
    erreurs = _refuse(
        csv(
            "insee_com,code_ti,lib_ti",
            f"{good[0]},8499,Essai",
            "99999,8499,Essai",
            "ABCDE,8499,Essai",
            f"{good[1]},84X,Essai",
            f"{good[2]},8499,Autre nom",
        )
    )
    assert erreurs[0].startswith("Ligne 3 : commune 99999 inconnue")
    assert erreurs[1].startswith("Ligne 4 : code INSEE de commune « ABCDE » invalide")
    assert erreurs[2].startswith("Ligne 5 : code de territoire « 84X » invalide")
    assert erreurs[3].startswith("Ligne 6 : le territoire 8499 porte deux noms")


def test_en_tete_inconnu_refuse():
    erreurs = _refuse(csv("commune,territoire", "07010,8401"))
    assert "en-tête non reconnu" in erreurs[0]


def test_fichier_vide_refuse():
    assert "aucune ligne" in _refuse(csv("insee_com,code_ti,lib_ti"))[0]


def test_fichier_dans_un_encodage_inconnu_refuse_avec_un_message_clair():
    # Neither UTF-8 nor Windows-1252 (0x81 and 0x8D have no character there).
    erreurs = _refuse(b"insee_com,code_ti,lib_ti\n07010,8401,Essai \x81\x8d\n")
    assert erreurs == ["Fichier illisible : ni UTF-8 ni Windows-1252, enregistrez-le en CSV UTF-8."]


def test_au_dela_de_50_erreurs_la_verification_s_arrete_et_le_dit():
    lignes = [f"ABCD{i % 10},8499,Essai" for i in range(60)]
    erreurs = _refuse(csv("insee_com,code_ti,lib_ti", *lignes))
    assert len(erreurs) == 51
    assert erreurs[0] == "Ligne 2 : code INSEE de commune « ABCD0 » invalide."
    assert erreurs[-1] == "… arrêt après 50 erreurs."


def test_siren_invalide_ou_inconnu_refuse():
    erreurs = _refuse(
        csv(
            "id_ti,lib_ti,siren_groupement",
            "ti-8499,Essai,123456789",
            "ti-8499,Essai,000000000",
        )
    )
    assert erreurs[0] == "Ligne 2 : SIREN « 123456789 » invalide."
    assert erreurs[1] == "Ligne 3 : groupement 000000000 inconnu du référentiel."


def test_commune_dans_deux_territoires_du_meme_fichier_refusee():
    c = Commune.objects.order_by("code").first().code
    erreurs = _refuse(csv("insee_com,code_ti,lib_ti", f"{c},8499,A", f"{c},8498,B"))
    assert erreurs == [
        f"Ligne 3 : la commune {c} est déjà dans le territoire 8499 (ligne 2). Une commune de "
        "plusieurs territoires s'écrit sur une seule ligne, ses territoires séparés par « ; »."
    ]


def test_reimport_du_meme_fichier_ne_change_rien():
    e = epci_avec_communes()
    lines = ["insee_com,code_ti,lib_ti"] + [
        f"{c},8499,Essai" for c in e.communes.values_list("code", flat=True)
    ]
    importer(csv(*lines), phase=phase2(), date=D)
    avant = (Perimetre.objects.count(), Changement.objects.count(), Decision.objects.count())
    rapport = importer(csv(*lines), phase=phase2(), date=date(2024, 1, 1))
    assert rapport.inchange
    assert (
        Perimetre.objects.count(),
        Changement.objects.count(),
        Decision.objects.count(),
    ) == avant


def test_nouvelle_liste_appliquee_en_changements_dates():
    e = epci_avec_communes(4)
    codes = sorted(e.communes.values_list("code", flat=True))
    importer(
        csv("insee_com,code_ti,lib_ti", *[f"{c},8499,Essai" for c in codes]), phase=phase2(), date=D
    )
    # A year later: one commune leaves, and moves to a new territory.
    later = date(2024, 6, 1)
    rapport = importer(
        csv(
            "insee_com,code_ti,lib_ti",
            *[f"{c},8499,Essai" for c in codes[1:]],
            f"{codes[0]},8497,Nouveau",
        ),
        phase=phase2(),
        date=later,
    )
    assert rapport.modifies == ["8499"] and rapport.crees == ["8497"]
    t = Territoire.objects.get(phase=phase2(), code="8499")
    assert t.changements.filter(date=later, nature="retrait", communes_retirees=1).exists()
    row = Perimetre.objects.get(territoire=t, commune_id=codes[0])
    assert row.date_fin == later and row.decision_sortie.date == later


def test_territoire_absent_de_la_nouvelle_liste_retire():
    e = epci_avec_communes()
    codes = list(e.communes.values_list("code", flat=True))
    importer(
        csv("insee_com,code_ti,lib_ti", f"{codes[0]},8499,A", f"{codes[1]},8498,B"),
        phase=phase2(),
        date=D,
    )
    rapport = importer(
        csv("insee_com,code_ti,lib_ti", f"{codes[0]},8499,A"), phase=phase2(), date=date(2024, 1, 1)
    )
    assert rapport.retires == ["8498"]
    assert Territoire.objects.get(phase=phase2(), code="8498").date_fin == date(2024, 1, 1)


def test_simulation_n_enregistre_rien():
    e = epci_avec_communes()
    c = e.communes.first().code
    rapport = importer(
        csv("insee_com,code_ti,lib_ti", f"{c},8499,A"), phase=phase2(), date=D, dry_run=True
    )
    assert rapport.crees == ["8499"]
    assert not Territoire.objects.filter(phase=phase2()).exists()


def test_code_insee_sans_zero_initial_corrige():
    c = Commune.objects.filter(code__startswith="0").order_by("code").first().code
    importer(csv("insee_com,code_ti,lib_ti", f"{c[1:]},8499,A"), phase=phase2(), date=D)
    assert Perimetre.objects.filter(territoire__code="8499", commune_id=c).exists()


def test_commande_import_territoires_refuse_un_fichier_et_dit_pourquoi(tmp_path):
    from django.core.management import CommandError, call_command

    f = tmp_path / "liste.csv"
    f.write_text("insee_com,code_ti,lib_ti\n99999,8499,A\n")
    with pytest.raises(CommandError) as exc:
        call_command("import_territoires", str(f), phase=phase2().pk, date=D)
    assert "rien n'a été importé" in str(exc.value)
    assert "Ligne 2" in str(exc.value)


def test_commune_de_plusieurs_territoires_separes_par_un_point_virgule_acceptee():
    # ANCT's commune format: « ti-8499 ; ti-8498 » places the commune in both territories.
    e = epci_avec_communes()
    a, b, c = sorted(e.communes.values_list("code", flat=True))[:3]
    rapport = importer(
        csv(
            "insee_com,lib_com,id_ti,lib_ti",
            f"{a},A,ti-8499,Premier",
            f"{b},B,ti-8499 ; ti-8498,Premier ; Second",
            f"{c},C,ti-8498,Second",
        ),
        phase=phase2(),
        date=D,
    )
    assert rapport.partagees == 1 and rapport.communes == 3
    premier, second = (
        Territoire.objects.get(phase=phase2(), code=x) for x in ("ti-8499", "ti-8498")
    )
    assert set(premier.perimetre.values_list("commune_id", flat=True)) == {a, b}
    assert set(second.perimetre.values_list("commune_id", flat=True)) == {b, c}
    # The same list again changes nothing.
    assert importer(
        csv(
            "insee_com,lib_com,id_ti,lib_ti",
            f"{a},A,ti-8499,Premier",
            f"{b},B,ti-8499 ; ti-8498,Premier ; Second",
            f"{c},C,ti-8498,Second",
        ),
        phase=phase2(),
        date=date(2024, 1, 1),
    ).inchange


def test_hors_liste_officielle_une_commune_prise_reste_refusee_sauf_partage_decide():
    from django.core.exceptions import ValidationError

    from territoires import services
    from territoires.tests.fabriques import decision

    e = epci_avec_communes()
    a, b = sorted(e.communes.values_list("code", flat=True))[:2]
    importer(csv("insee_com,code_ti,lib_ti", f"{a},8499,A", f"{b},8498,B"), phase=phase2(), date=D)
    premier = Territoire.objects.get(phase=phase2(), code="8499")
    with pytest.raises(ValidationError) as exc:
        services.ajouter_communes(
            territoire=premier, communes=[b], decision=decision(date(2024, 1, 1))
        )
    assert "appartiennent déjà à un autre territoire" in exc.value.messages[0]
    services.ajouter_communes(
        territoire=premier, communes=[b], decision=decision(date(2024, 1, 1)), partagees=[b]
    )
    assert (
        Perimetre.objects.filter(
            commune_id=b, date_fin__isnull=True, territoire__phase=phase2()
        ).count()
        == 2
    )
