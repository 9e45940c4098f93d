"""The national operators named by the FAQ (§3.5, §7.1) and the national delegation exist
everywhere; staff add others (regional operators, new agencies) in the admin."""

from django.db import migrations

ORGANISATIONS = [
    ("Agence nationale de la cohésion des territoires (ANCT)", "delegation"),
    ("Direction générale des entreprises (DGE)", "delegation"),
    ("Banque des territoires", "operateur"),
    ("Bpifrance", "operateur"),
    ("Business France", "operateur"),
    ("France Travail", "operateur"),
    ("Ademe", "operateur"),
]


def create(apps, schema_editor):
    Organisation = apps.get_model("comptes", "Organisation")
    for nom, type_ in ORGANISATIONS:
        Organisation.objects.get_or_create(nom=nom, type=type_)


class Migration(migrations.Migration):
    dependencies = [("comptes", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
