from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from referentiel.importer import importer


class Command(BaseCommand):
    help = "Charge le référentiel administratif livré (data/referentiel) ; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Vérifie sans enregistrer.")

    def handle(self, *args, dry_run=False, **options):
        try:
            rapport = importer(dry_run=dry_run)
        except (ValidationError, FileNotFoundError) as exc:
            raise CommandError(f"Import du référentiel impossible : {exc}") from exc
        for line in rapport.lignes_texte():
            self.stdout.write(line)
