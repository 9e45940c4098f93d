"""The index of the searched words (docs/adr/0022), filled from the fiches' searched texts."""

import django.db.models.deletion
from django.db import migrations, models


def remplir(apps, schema_editor):
    from referentiel.moteur import mots_indexes  # a pure function of the text

    FicheAction = apps.get_model("fiches", "FicheAction")
    MotFiche = apps.get_model("fiches", "MotFiche")
    lot = []
    for pk, texte in FicheAction.objects.values_list("pk", "texte_recherche").iterator():
        lot += [MotFiche(fiche_id=pk, mot=m) for m in mots_indexes(texte)]
        if len(lot) >= 5000:
            MotFiche.objects.bulk_create(lot)
            lot = []
    MotFiche.objects.bulk_create(lot)


class Migration(migrations.Migration):
    dependencies = [
        ("fiches", "0008_index_des_demandes_de_simplification"),
    ]

    operations = [
        migrations.CreateModel(
            name="MotFiche",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("mot", models.CharField(max_length=60)),
                (
                    "fiche",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="fiches.ficheaction",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["mot", "fiche"], name="mot_fiche_recherche")],
                "constraints": [
                    models.UniqueConstraint(fields=("fiche", "mot"), name="mot_fiche_unique")
                ],
            },
        ),
        migrations.RunPython(remplir, migrations.RunPython.noop),
    ]
