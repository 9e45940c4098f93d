"""The indexes derived from the fiches' public texts, kept fiche by fiche: the words the search
looks up (MotFiche, docs/adr/0022) and the stems of the similar fiches (Terme, TermeFiche,
docs/adr/0019). Never written by hand: rebuilt by `reindexer_recherche` and `indexer_fiches`."""

from django.db import models

from referentiel import moteur


class Terme(models.Model):
    """A word stem of the fiches' public text, and in how many fiches it appears (its
    document frequency, for the TF-IDF weights), kept up to date fiche by fiche."""

    mot = models.CharField(max_length=60, primary_key=True)
    nb_fiches = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.mot


class MotFiche(models.Model):
    """One word of a fiche's searched text (`texte_recherche`, as `moteur.mots_indexes` keeps
    them): the index the search and the lists look a word's beginning up in, a range of
    `mot`, instead of reading every fiche's text. Written by FicheAction.save(), rebuilt by
    `reindexer_recherche` (docs/adr/0022)."""

    fiche = models.ForeignKey(
        "fiches.FicheAction", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    mot = models.CharField(max_length=moteur.LONGUEUR_INDEXEE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fiche", "mot"], name="mot_fiche_unique")]
        # A word's beginning is a range of this index, which also holds the fiche: the search
        # reads neither this table nor the fiches' texts.
        indexes = [models.Index(fields=["mot", "fiche"], name="mot_fiche_recherche")]

    def __str__(self) -> str:
        return self.mot

    @classmethod
    def reecrire(cls, fiche_id: int, texte_plie: str) -> None:
        """The words of one fiche brought in step with its folded text: only those it gained
        or lost are written."""
        nouveaux = set(moteur.mots_indexes(texte_plie))
        anciens = set(cls.objects.filter(fiche_id=fiche_id).values_list("mot", flat=True))
        if anciens - nouveaux:
            cls.objects.filter(fiche_id=fiche_id, mot__in=anciens - nouveaux).delete()
        cls.objects.bulk_create(cls(fiche_id=fiche_id, mot=m) for m in sorted(nouveaux - anciens))


class TermeFiche(models.Model):
    """One stem of one fiche with its weight (log of its count, the fiche's vector normed to
    1): the inverted index the similar fiches are looked up in."""

    fiche = models.ForeignKey("fiches.FicheAction", on_delete=models.CASCADE, related_name="+")
    terme = models.CharField(max_length=60)
    poids = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fiche", "terme"], name="terme_fiche_unique")
        ]
        # The postings of a stem, with their weight, read without touching the table.
        indexes = [models.Index(fields=["terme", "fiche", "poids"], name="terme_fiche_postings")]

    def __str__(self) -> str:
        return self.terme
