from django.db import migrations, models

from referentiel import moteur


def remplir(apps, schema_editor):
    """The searchable text of the fiches already there, as FicheAction.texte_a_chercher()."""
    FicheAction = apps.get_model("fiches", "FicheAction")
    fiches = list(FicheAction.objects.select_related("territoire"))
    for f in fiches:
        textes = [f"{f.territoire.code}-{f.numero:02d}", f.titre, f.contexte, f.probleme]
        if "description" not in (f.champs_secrets or ()):
            textes.append(f.description)
        f.texte_recherche = moteur.plier(*textes)
    FicheAction.objects.bulk_update(fiches, ["texte_recherche"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("fiches", "0004_ligne_payee_devient_paiements"),
    ]

    operations = [
        migrations.AddField(
            model_name="ficheaction",
            name="texte_recherche",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(remplir, migrations.RunPython.noop),
    ]
