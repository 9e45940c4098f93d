from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fiches.selectors import fiches_visibles
from fiches.tableur import exporter
from territoires.models import Territoire

from .import_fiches import compte


class Command(BaseCommand):
    help = (
        "Exporte en XLSX (forme du kit) les fiches-actions qu'un compte peut voir, secrets "
        "compris seulement là où il a besoin d'en connaître (lectures journalisées)."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument(
            "--email", required=True, help="Adresse du compte au nom duquel exporter."
        )
        parser.add_argument("--territoire", help="Code d'un territoire (par exemple 8401).")

    def handle(self, *args, **o):
        user = compte(o["email"])
        fiches = fiches_visibles(user)
        if o["territoire"]:
            if not Territoire.objects.filter(code=o["territoire"]).exists():
                raise CommandError(f"Territoire inconnu : {o['territoire']}")
            fiches = fiches.filter(territoire__code=o["territoire"])
        contenu = exporter(user, fiches)
        o["fichier"].write_bytes(contenu)
        self.stdout.write(
            f"{fiches.count()} fiches exportées dans {o['fichier']} ({len(contenu) / 1024:.0f} Ko)."
        )
