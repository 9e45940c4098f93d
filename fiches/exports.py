"""Large XLSX exports of fiches, prepared outside the request (docs/adr/0020).

The page asks `demander` with the fiches its filters chose; the worker runs `preparer`, which
writes the workbook of `fiches.tableur` for the author (their visibility and the firms' secrets
they may read, as any export) into EXPORTS_PRIVES_ROOT, a folder no URL serves. The file goes
back to its author alone (`fichier_de`); `nettoyer` removes what is older than
EXPORTS_DUREE_HEURES."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .models import ExportFiches
from .selectors import fiches_visibles


def chemin(export: ExportFiches) -> Path:
    return Path(settings.EXPORTS_PRIVES_ROOT) / str(export.auteur_id) / f"{export.pk}.xlsx"


def immediat(nombre: int) -> bool:
    """A small export is answered by the request itself."""
    return nombre <= settings.EXPORT_FICHES_IMMEDIAT_MAX


def demander(user, ids: list[int]) -> ExportFiches:
    export = ExportFiches.objects.create(auteur=user, fiches=list(ids))
    preparer_export.enqueue(str(export.pk))
    return export


@task()
def preparer_export(export_id: str) -> list[str]:
    from . import tableur  # written apart; imported only when an export is asked

    export = ExportFiches.objects.select_related("auteur").get(pk=export_id)
    # Read again now: a right lost since the request is not carried into the file.
    qs = fiches_visibles(export.auteur).filter(pk__in=export.fiches)
    destination = chemin(export)
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    provisoire = destination.with_suffix(".part")
    try:
        contenu = tableur.exporter(export.auteur, qs.order_by("territoire__code", "numero"))
        provisoire.write_bytes(contenu)
        provisoire.replace(destination)  # whole or absent: never a half-written file
    except Exception:
        provisoire.unlink(missing_ok=True)
        export.erreur = "L'export n'a pas pu être préparé. Relancez-le depuis la liste."
        export.save(update_fields=["erreur"])
        raise
    export.pret_le = timezone.now()
    export.save(update_fields=["pret_le"])
    supprimes = nettoyer()
    return [f"Export {export.pk} prêt ; {supprimes} ancien(s) supprimé(s)."]


def export_de(user, export_id) -> ExportFiches | None:
    """The export, when `user` asked it; None for anyone else."""
    return ExportFiches.objects.filter(pk=export_id, auteur=user).first()


def nettoyer(heures: int | None = None) -> int:
    """Removes the exports (rows and files) older than the delay; how many were removed."""
    delai = settings.EXPORTS_DUREE_HEURES if heures is None else heures
    anciens = ExportFiches.objects.filter(demande_le__lt=timezone.now() - timedelta(hours=delai))
    n = 0
    for export in anciens:
        chemin(export).unlink(missing_ok=True)
        export.delete()
        n += 1
    return n
