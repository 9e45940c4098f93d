"""Rebuilds the index of the similar fiches from all the fiches (after a bulk load that did not
go through the saves; every ordinary write keeps it up to date by itself)."""

from django.core.management.base import BaseCommand

from fiches.similarite import reindexer


class Command(BaseCommand):
    help = "Reconstruit l'index des fiches similaires à partir de toutes les fiches."

    def handle(self, *args, **options):
        n = reindexer()
        self.stdout.write(f"Index des fiches similaires reconstruit : {n} fiches.")
