from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territoires.importer import ImportInvalide, importer
from territoires.models import Instance, Phase


class Command(BaseCommand):
    help = (
        "Importe une liste officielle de territoires (forme communes ou groupements) et "
        "l'applique comme changements datés de la carte ; tout ou rien, idempotent. Une liste "
        "de groupements ne change que ce qu'elle dit sans ambiguïté (docs/adr/0009) ; "
        "--dry-run liste les changements et les différences de forme."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--phase", type=int, required=True, help="1 ou 2")
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            required=True,
            help="Date de la décision (AAAA-MM-JJ).",
        )
        parser.add_argument("--instance", choices=Instance.values, default=Instance.CNI)
        parser.add_argument("--intitule", default="")
        parser.add_argument(
            "--texte", default="", help="Texte de la décision, par exemple la source de la liste."
        )
        parser.add_argument(
            "--garder-absents",
            action="store_true",
            help="Ne retire pas les territoires absents du fichier.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Vérifie sans enregistrer.")

    def handle(self, *args, **o):
        try:
            phase = Phase.objects.get(numero=o["phase"])
        except Phase.DoesNotExist as exc:
            raise CommandError(f"Phase {o['phase']} inconnue.") from exc
        if not o["fichier"].exists():
            raise CommandError(f"Fichier introuvable : {o['fichier']}")
        try:
            rapport = importer(
                o["fichier"],
                phase=phase,
                date=o["date"],
                instance=o["instance"],
                intitule=o["intitule"],
                texte=o["texte"],
                retirer_absents=not o["garder_absents"],
                dry_run=o["dry_run"],
            )
        except ImportInvalide as exc:
            raise CommandError(exc.texte()) from exc
        for line in rapport.lignes_texte():
            self.stdout.write(line)
