from django.core.management.base import BaseCommand

from fiches.exports import nettoyer


class Command(BaseCommand):
    help = (
        "Supprime les exports de fiches préparés (fichiers et lignes) plus anciens que "
        "EXPORTS_DUREE_HEURES heures ; chaque export préparé le fait aussi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--heures", type=int, default=None, help="Autre délai, en heures.")

    def handle(self, *args, heures=None, **options):
        self.stdout.write(f"{nettoyer(heures)} export(s) supprimé(s).")
