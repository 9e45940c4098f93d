"""Forms of the governance pages. They only read the input: gouvernance.services,
gouvernance.demandes and gouvernance.versions decide."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from comptes.enums import Role
from comptes.models import Organisation, Personne
from comptes.permissions import organisations_visibles, territoires_suivis
from comptes.pieces import TAILLE_MAX_LIBELLE
from fiches import cycle
from fiches.enums import Avis
from gouvernance import permissions
from gouvernance.enums import NatureDemande, NaturePoint, Presence
from gouvernance.models import Reunion
from referentiel import saisie
from territoires.models import Phase, Territoire

from ..commun.formulaires import DATE, HEURE


class ReunionForm(DsfrBaseForm):
    jour = forms.DateField(label="Date", widget=DATE)
    heure = forms.TimeField(label="Heure de début", widget=HEURE, initial=time(9, 30))
    heure_fin = forms.TimeField(label="Heure de fin", widget=HEURE, required=False)
    lieu = forms.CharField(label="Lieu", required=False, max_length=300)

    def reunion(self) -> dict:
        """The meeting as gouvernance.services.planifier_reunion takes it (Paris time)."""
        d = self.cleaned_data
        fin = datetime.combine(d["jour"], d["heure_fin"]) if d["heure_fin"] else None
        return {
            "debut": timezone.make_aware(datetime.combine(d["jour"], d["heure"])),
            "fin": timezone.make_aware(fin) if fin else None,
            "lieu": d["lieu"],
        }


class PointForm(DsfrBaseForm):
    nature = forms.ChoiceField(label="Nature du point", choices=NaturePoint.choices)
    intitule = forms.CharField(label="Intitulé", required=False, max_length=300)
    fiche = forms.UUIDField(label="Fiche-action (identifiant)", required=False)
    demande = forms.IntegerField(
        label="Demande de périmètre (numéro)",
        required=False,
        min_value=1,
        max_value=saisie.ENTIER_MAX,
    )
    personne = forms.IntegerField(
        label="Personne proposée (numéro)",
        required=False,
        min_value=1,
        max_value=saisie.ENTIER_MAX,
    )
    role = forms.ChoiceField(
        label="Rôle proposé", choices=[("", "—"), *Role.choices], required=False
    )


class ParticipantForm(DsfrBaseForm):
    personne = forms.ModelChoiceField(
        label="Personne", queryset=Personne.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), required=False
    )
    presence = forms.ChoiceField(label="Présence", choices=Presence.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_visibles(user)
        self.fields["personne"].queryset = Personne.objects.filter(
            organisation__in=organisations_visibles(user)
        ).select_related("organisation")


class CompteRenduForm(DsfrBaseForm):
    texte = forms.CharField(label="Compte rendu", widget=forms.Textarea(attrs={"rows": 8}))
    # The version read (optimistic lock, gouvernance.seances).
    version = forms.CharField(widget=forms.HiddenInput, max_length=64)


class PieceForm(DsfrBaseForm):
    # The size is checked by gouvernance.services.joindre_piece (comptes.pieces).
    fichier = forms.FileField(
        label="Pièce jointe", help_text=f"Taille maximale : {TAILLE_MAX_LIBELLE}."
    )
    nom = forms.CharField(label="Nom", required=False, max_length=200)


class DecisionForm(DsfrBaseForm):
    texte = forms.CharField(
        label="Résumé de la décision",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que l'instance a décidé, tel qu'au relevé de décisions.",
    )
    accepter = forms.TypedChoiceField(
        label="Décision sur la demande",
        choices=[("oui", "Acceptée"), ("non", "Refusée")],
        coerce=lambda v: v == "oui",
        widget=forms.RadioSelect,
        required=False,
    )
    # The moves a committee decides (fiches.cycle).
    mouvement = forms.ChoiceField(
        label="Mouvement de la fiche",
        choices=[(nom, m.libelle) for nom, m in cycle.MOUVEMENTS_DE_COMITE.items()],
        required=False,
    )
    avis = forms.ChoiceField(label="Avis", choices=[("", "—"), *Avis.choices], required=False)
    motif = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, nature: str, **kwargs):
        super().__init__(*args, **kwargs)
        if nature != NaturePoint.PERIMETRE:
            del self.fields["accepter"]
        if nature != NaturePoint.FICHE:
            for f in ("mouvement", "avis", "motif"):
                del self.fields[f]


class DemandeForm(DsfrBaseForm):
    nature = forms.ChoiceField(label="Nature de la demande", choices=NatureDemande.choices)
    territoire = forms.ModelChoiceField(
        label="Territoire concerné", queryset=Territoire.objects.none(), required=False
    )
    epci = forms.CharField(label="SIREN de l'intercommunalité", required=False, max_length=9)
    code_propose = forms.CharField(label="Code proposé (nouveau territoire)", required=False)
    nom_propose = forms.CharField(label="Nom proposé (nouveau territoire)", required=False)
    epcis_proposes = forms.CharField(
        label="SIREN des intercommunalités du nouveau territoire",
        required=False,
        help_text="Séparés par des virgules.",
    )
    justification = forms.CharField(
        label="Justification",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obligatoire pour un nouveau territoire (principe de ciblage, FAQ §2.2).",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].queryset = territoires_suivis(user).order_by("phase", "code")

    def clean_epcis_proposes(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data["epcis_proposes"].split(",") if s.strip()]


class InscriptionForm(DsfrBaseForm):
    """The meeting of the regional COPIL whose agenda gets the request."""

    reunion = forms.ModelChoiceField(
        label="Réunion du COPIL régional",
        queryset=Reunion.objects.none(),
        error_messages={
            "required": "Choisissez la réunion du COPIL régional.",
            "invalid_choice": "Choisissez une réunion du COPIL régional dans la liste.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reunion"].queryset = permissions.reunions_visibles(user)


class VersionForm(DsfrBaseForm):
    nom = forms.CharField(label="Nom de la version", max_length=200)
    date = forms.DateField(label="Date de la carte", widget=DATE)
    phase = forms.ModelChoiceField(label="Phase", queryset=Phase.objects.all())
