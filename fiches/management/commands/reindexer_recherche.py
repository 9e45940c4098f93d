"""Rebuilds the searchable text of every fiche (FicheAction.texte_recherche) and its word index
(MotFiche), after a change of the folding (referentiel.moteur) or a write that went around
FicheAction.save() (a bulk load). All or nothing: one transaction."""

from django.core.management.base import BaseCommand
from django.db import transaction

from fiches.models import FicheAction, MotFiche
from referentiel.moteur import mots_indexes

LOT = 5000


class Command(BaseCommand):
    help = (
        "Reconstruit le texte cherché de chaque fiche-action (sans ses champs secrets) et "
        "l'index de ses mots."
    )

    def handle(self, *args, **options):
        fiches = list(FicheAction.objects.select_related("territoire"))
        changees = []
        with transaction.atomic():
            for f in fiches:
                texte = f.texte_a_chercher()
                if texte != f.texte_recherche:
                    f.texte_recherche = texte
                    changees.append(f)
            FicheAction.objects.bulk_update(changees, ["texte_recherche"], batch_size=500)
            MotFiche.objects.all().delete()
            lot: list[MotFiche] = []
            for f in fiches:
                lot += [MotFiche(fiche_id=f.pk, mot=m) for m in mots_indexes(f.texte_recherche)]
                if len(lot) >= LOT:
                    MotFiche.objects.bulk_create(lot)
                    lot = []
            MotFiche.objects.bulk_create(lot)
        self.stdout.write(f"{len(fiches)} fiches lues, {len(changees)} textes refaits.")
