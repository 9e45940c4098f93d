from django.core.management.base import BaseCommand, CommandError

from opendata.paquet import PaquetInvalide
from opendata.taches import construire_paquet
from referentiel.taches import OPTION_MAINTENANT, lancer


class Command(BaseCommand):
    help = (
        "Reconstruit le paquet de données ouvertes (CSV, schémas, datapackage.json), le valide "
        "et le publie d'un coup ; un échec laisse le paquet précédent en place. Le travail est "
        "confié à la file des tâches (db_worker), ou fait ici avec --maintenant."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sans-validation",
            action="store_true",
            help="Publier sans la validation frictionless (plus rapide ; à éviter).",
        )
        parser.add_argument("--maintenant", **OPTION_MAINTENANT)

    def handle(self, *args, **o):
        try:
            lancer(
                self,
                construire_paquet,
                maintenant=o["maintenant"],
                valider=not o["sans_validation"],
            )
        except PaquetInvalide as e:
            raise CommandError(f"Paquet invalide, rien n'est publié : {e}") from e
