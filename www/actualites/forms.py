from datetime import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from actualites.enums import CategorieRessource
from referentiel import fichiers
from referentiel.calendrier import PARIS
from referentiel.models import Region

from ..commun.formulaires import DATE, DATE_PLAUSIBLE, HEURE, TEXTE, DsfrBaseForm


class ActualiteForm(DsfrBaseForm):
    titre = forms.CharField(label="Titre", max_length=200, validators=TEXTE)
    chapo = forms.CharField(
        label="En bref",
        max_length=400,
        help_text="Une ou deux phrases : ce qu'on lit dans la liste et dans le flux Atom.",
        validators=TEXTE,
    )
    corps = forms.CharField(
        label="Texte", widget=forms.Textarea(attrs={"rows": 10}), validators=TEXTE
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class NouvelleActualiteForm(ActualiteForm):
    niveau = forms.ChoiceField(label="Publiée par")

    def __init__(self, *args, national: bool, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        noms = dict(Region.objects.filter(code__in=regions).values_list("code", "nom"))
        choix = [("", "La délégation nationale")] if national else []
        choix += [(code, f"La Région {noms.get(code, code)}") for code in regions]
        self.fields["niveau"].choices = choix
        self.fields["niveau"].required = not national
        self.order_fields(["niveau", "titre", "chapo", "corps"])


def _choix_niveau(national: bool, regions: list[str]) -> list[tuple[str, str]]:
    noms = dict(Region.objects.filter(code__in=regions).values_list("code", "nom"))
    choix = [("", "La délégation nationale")] if national else []
    return choix + [(code, f"La Région {noms.get(code, code)}") for code in regions]


class RessourceForm(DsfrBaseForm):
    """Reads the input only: actualites.ressources checks the file (type by content, size)."""

    titre = forms.CharField(label="Titre", max_length=200, validators=TEXTE)
    resume = forms.CharField(
        label="Résumé",
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=TEXTE,
    )
    categorie = forms.ChoiceField(label="Catégorie", choices=CategorieRessource.choices)
    date = forms.DateField(label="Date du document", widget=DATE, validators=DATE_PLAUSIBLE)
    fichier = forms.FileField(
        label="Fichier",
        required=False,
        help_text=(
            f"Types acceptés : {fichiers.libelle_des_types()}. Taille maximale : "
            f"{fichiers.taille_lisible(settings.TAILLE_MAX_RESSOURCE)}."
        ),
    )
    lien = forms.URLField(
        label="Ou lien externe",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Une adresse web, si le document n'est pas déposé ici.",
    )
    publiee = forms.BooleanField(
        label="Publiée", required=False, help_text="Sinon, un brouillon que vous seul voyez."
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class NouvelleRessourceForm(RessourceForm):
    niveau = forms.ChoiceField(label="Déposée par")

    def __init__(self, *args, national: bool, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["niveau"].choices = _choix_niveau(national, regions)
        self.fields["niveau"].required = not national
        self.fields[
            "publiee"
        ].help_text = (
            "Sinon, un brouillon que seules les personnes qui publient à ce niveau voient."
        )
        self.order_fields(["niveau"])


class EvenementForm(DsfrBaseForm):
    titre = forms.CharField(label="Titre", max_length=200, validators=TEXTE)
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 6}), validators=TEXTE
    )
    jour = forms.DateField(label="Date de début", widget=DATE, validators=DATE_PLAUSIBLE)
    heure = forms.TimeField(label="Heure de début (heure de Paris)", widget=HEURE)
    jour_fin = forms.DateField(
        label="Date de fin",
        widget=DATE,
        required=False,
        validators=DATE_PLAUSIBLE,
        help_text="Vide : le même jour.",
    )
    heure_fin = forms.TimeField(label="Heure de fin (heure de Paris)", widget=HEURE)
    lieu = forms.CharField(label="Lieu", required=False, max_length=300, validators=TEXTE)
    lien = forms.URLField(
        label="Lien de connexion",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Pour un événement en ligne.",
    )
    organisateur = forms.CharField(label="Organisateur", max_length=200, validators=TEXTE)
    public = forms.BooleanField(
        label="Ouvert au public",
        required=False,
        help_text="Sinon, réservé aux personnes du réseau connectées.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def evenement(self) -> dict:
        """The event as actualites.evenements takes it, times of Paris."""
        d = self.cleaned_data
        debut = datetime.combine(d["jour"], d["heure"])
        fin = datetime.combine(d["jour_fin"] or d["jour"], d["heure_fin"])
        return {
            **{c: d[c] for c in ("titre", "description", "lieu", "lien", "organisateur")},
            "public": d["public"],
            "debut": timezone.make_aware(debut, PARIS),
            "fin": timezone.make_aware(fin, PARIS),
        }

    @staticmethod
    def initial_de(e) -> dict:
        debut, fin = timezone.localtime(e.debut, PARIS), timezone.localtime(e.fin, PARIS)
        return {
            **{c: getattr(e, c) for c in ("titre", "description", "lieu", "lien")},
            **{"organisateur": e.organisateur, "public": e.public, "version": e.version},
            **{"jour": debut.date(), "heure": debut.time(), "heure_fin": fin.time()},
            "jour_fin": fin.date() if fin.date() != debut.date() else None,
        }


class NouvelEvenementForm(EvenementForm):
    niveau = forms.ChoiceField(label="Annoncé par")

    def __init__(self, *args, national: bool, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["niveau"].choices = _choix_niveau(national, regions)
        self.fields["niveau"].required = not national
        self.order_fields(["niveau"])
