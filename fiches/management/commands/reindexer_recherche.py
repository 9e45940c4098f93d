"""Rebuilds the searchable text of every fiche (FicheAction.texte_recherche), after a change of
the folding (referentiel.moteur) or a write that went around FicheAction.save()."""

from django.core.management.base import BaseCommand

from fiches.models import FicheAction


class Command(BaseCommand):
    help = "Reconstruit le texte cherché de chaque fiche-action (sans ses champs secrets)."

    def handle(self, *args, **options):
        fiches = list(FicheAction.objects.select_related("territoire"))
        changees = []
        for f in fiches:
            texte = f.texte_a_chercher()
            if texte != f.texte_recherche:
                f.texte_recherche = texte
                changees.append(f)
        FicheAction.objects.bulk_update(changees, ["texte_recherche"], batch_size=500)
        self.stdout.write(f"{len(fiches)} fiches lues, {len(changees)} textes refaits.")
