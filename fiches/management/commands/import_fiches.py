from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comptes.models import Utilisateur
from fiches.tableur import ImportInvalide, importer


def compte(email: str) -> Utilisateur:
    """The acting account: what it may see and do is what the command may see and do."""
    try:
        user = Utilisateur.objects.get(email__iexact=email.strip())
    except Utilisateur.DoesNotExist as exc:
        raise CommandError(f"Aucun compte pour l'adresse « {email} ».") from exc
    if not user.is_active:
        raise CommandError(f"Le compte « {email} » est désactivé.")
    return user


class Command(BaseCommand):
    help = (
        "Importe des fiches-actions depuis un classeur XLSX (forme du kit : feuilles Fiches, "
        "Financements, Indicateurs), au nom d'un compte ; tout ou rien, idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument(
            "--email", required=True, help="Adresse du compte au nom duquel importer."
        )
        parser.add_argument("--dry-run", action="store_true", help="Vérifie sans enregistrer.")

    def handle(self, *args, **o):
        user = compte(o["email"])
        if not o["fichier"].is_file():
            raise CommandError(f"Fichier introuvable : {o['fichier']}")
        try:
            rapport = importer(o["fichier"].read_bytes(), user=user, dry_run=o["dry_run"])
        except ImportInvalide as exc:
            raise CommandError(exc.texte()) from exc
        for ligne in rapport.lignes_texte():
            self.stdout.write(ligne)
