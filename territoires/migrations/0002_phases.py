"""The programme's two phases exist everywhere, before any import."""

from datetime import date

from django.db import migrations

PHASES = [
    (1, "Phase 1 (2018-2022)", date(2018, 11, 22), date(2022, 12, 31)),
    (2, "Phase 2 (2023-2027)", date(2023, 1, 1), date(2027, 12, 31)),
]


def create_phases(apps, schema_editor):
    Phase = apps.get_model("territoires", "Phase")
    for numero, nom, debut, fin in PHASES:
        Phase.objects.update_or_create(
            numero=numero, defaults={"nom": nom, "date_debut": debut, "date_fin": fin}
        )


class Migration(migrations.Migration):
    dependencies = [("territoires", "0001_initial")]
    operations = [migrations.RunPython(create_phases, migrations.RunPython.noop)]
