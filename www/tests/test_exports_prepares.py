"""Long work outside the request (docs/adr/0020): a large XLSX export of fiches is prepared by
the worker for its author alone, under their own rules of visibility and secrecy, kept in a
private folder and removed after a delay; the database queue really waits for the worker."""

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from comptes.tests.fabriques import entreprise, personne, territoire
from fiches import exports, services
from fiches.models import ExportFiches

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORTS_PRIVES_ROOT = tmp_path / "prive"
    settings.EXPORT_FICHES_IMMEDIAT_MAX = -1  # every export, even empty, goes through the worker
    firme = entreprise("8401")
    chef = personne("chef.8401@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    chef_8408 = personne("chef.8408@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8408"))
    services.creer_fiche(
        user=chef,
        territoire=territoire("8401"),
        donnees={
            "titre": "Ligne pilote",
            "axe": "innover",
            "porteur": firme,
            "description": "Procédé breveté de l'entreprise",
            "cout_total": Decimal("100000"),
            "champs_secrets": ["description", "cout_total"],
        },
    )
    return {"chef": chef, "chef_8408": chef_8408, "firme": firme}


def _fiches(contenu: bytes) -> list[dict]:
    wb = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True)
    lignes = list(wb["Fiches"].iter_rows(values_only=True))
    wb.close()
    return [dict(zip(lignes[0], r, strict=False)) for r in lignes[1:]]


def _demander(client, user) -> ExportFiches:
    client.force_login(user)
    r = client.get(reverse("fiches:export"))
    export = ExportFiches.objects.get(auteur=user)
    assert r.status_code == 302 and r.url == reverse("fiches:export-prepare", args=[export.pk])
    return export


def _telecharger(client, export) -> bytes:
    r = client.get(reverse("fiches:export-fichier", args=[export.pk]))
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment;")
    return b"".join(r.streaming_content)


def test_un_grand_export_est_prepare_hors_de_la_requete_puis_telecharge(client, monde):
    export = _demander(client, monde["chef"])
    page = client.get(reverse("fiches:export-prepare", args=[export.pk])).content.decode()
    assert "Export en préparation" in page and "L'export est prêt" in page
    assert reverse("fiches:export-fichier", args=[export.pk]) in page
    assert [f["Titre"] for f in _fiches(_telecharger(client, export))] == ["Ligne pilote"]
    # In the private folder, by its author: nothing under the served media tree.
    assert exports.chemin(export).is_file()
    assert Path(exports.chemin(export)).parent.name == str(monde["chef"].pk)


def test_un_export_en_attente_se_recharge_sans_lien_de_telechargement(client, monde):
    client.force_login(monde["chef"])
    export = ExportFiches.objects.create(auteur=monde["chef"], fiches=[])
    r = client.get(reverse("fiches:export-prepare", args=[export.pk]))
    assert '<meta http-equiv="refresh"' in r.content.decode()
    assert reverse("fiches:export-fichier", args=[export.pk]) not in r.content.decode()
    assert client.get(reverse("fiches:export-fichier", args=[export.pk])).status_code == 404


def test_un_export_prepare_n_est_telechargeable_que_par_son_auteur(client, monde):
    export = _demander(client, monde["chef"])
    client.force_login(monde["chef_8408"])
    assert client.get(reverse("fiches:export-prepare", args=[export.pk])).status_code == 404
    assert client.get(reverse("fiches:export-fichier", args=[export.pk])).status_code == 404
    client.logout()
    r = client.get(reverse("fiches:export-fichier", args=[export.pk]))
    assert r.status_code == 302 and r.url.startswith("/connexion/")


def test_un_export_prepare_applique_la_visibilite_et_le_secret_de_son_auteur(client, monde):
    national = personne("national@exemple.fr", Role.NATIONAL)
    [fiche] = _fiches(_telecharger(client, _demander(client, national)))
    assert fiche["Description"] == "Confidentiel" and fiche["Coût total (€)"] == "Confidentiel"
    # A chef of another territory does not see the draft of 8401 at all.
    assert _fiches(_telecharger(client, _demander(client, monde["chef_8408"]))) == []


def test_un_petit_export_reste_immediat(client, monde, settings):
    settings.EXPORT_FICHES_IMMEDIAT_MAX = 10
    client.force_login(monde["chef"])
    r = client.get(reverse("fiches:export"))
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")
    assert not ExportFiches.objects.exists()


def test_les_exports_anciens_sont_supprimes_apres_le_delai(client, monde, settings):
    settings.EXPORTS_DUREE_HEURES = 24
    ancien = _demander(client, monde["chef"])
    ExportFiches.objects.filter(pk=ancien.pk).update(
        demande_le=timezone.now() - timedelta(hours=25)
    )
    recent = ExportFiches.objects.create(auteur=monde["chef"], fiches=[])
    sortie = io.StringIO()
    call_command("nettoyer_exports", stdout=sortie)
    assert "1 export(s) supprimé(s)" in sortie.getvalue()
    assert not exports.chemin(ancien).exists()
    assert list(ExportFiches.objects.all()) == [recent]
    assert client.get(reverse("fiches:export-fichier", args=[ancien.pk])).status_code == 404


def test_la_file_en_base_attend_le_worker_qui_fait_le_travail(client, monde, settings, monkeypatch):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker closes old connections between tasks; here it shares the test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    export = _demander(client, monde["chef"])
    sortie = io.StringIO()
    call_command("envoyer_recapitulatif", stdout=sortie)
    assert "mise en file" in sortie.getvalue()
    # Queued, not done: the page waits, nothing is written yet.
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    assert (
        "en cours de préparation"
        in client.get(reverse("fiches:export-prepare", args=[export.pk])).content.decode()
    )
    assert not exports.chemin(export).exists()
    # One bounded pass of the worker empties the queue.
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "5")
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 2
    assert _fiches(_telecharger(client, export))[0]["Titre"] == "Ligne pilote"
