from django.core.management.base import BaseCommand, CommandError

from opendata.paquet import PaquetInvalide, construire
from opendata.scdl import sans_siret


class Command(BaseCommand):
    help = (
        "Reconstruit le paquet de données ouvertes (CSV, schémas, datapackage.json), le valide "
        "et le publie d'un coup ; un échec laisse le paquet précédent en place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sans-validation",
            action="store_true",
            help="Publier sans la validation frictionless (plus rapide ; à éviter).",
        )

    def handle(self, *args, **o):
        try:
            rapport = construire(valider=not o["sans_validation"])
        except PaquetInvalide as e:
            raise CommandError(f"Paquet invalide, rien n'est publié : {e}") from e
        for e in rapport.ecrits:
            self.stdout.write(f"{e.fichier.csv} : {e.lignes} lignes, {e.octets / 1024:.0f} Ko")
        if n := sans_siret():
            self.stdout.write(
                f"{n} subvention(s) entre personnes publiques hors du fichier SCDL : SIRET de "
                "l'attribuant ou du bénéficiaire inconnu."
            )
        self.stdout.write(
            f"Paquet publié dans {rapport.chemin} : {len(rapport.ecrits)} fichiers, "
            f"{rapport.octets / 1024 / 1024:.1f} Mo, en {rapport.secondes:.1f} s."
        )
