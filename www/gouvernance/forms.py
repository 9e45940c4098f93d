"""Forms of the governance pages. They only read the input: gouvernance.services,
gouvernance.demandes and gouvernance.versions decide."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone

from comptes.enums import Role, TypeOrganisation
from comptes.permissions import organisations_visibles, territoires_suivis
from comptes.pieces import TAILLE_MAX_LIBELLE
from fiches import cycle
from fiches.enums import Avis
from gouvernance import permissions
from gouvernance.enums import NatureDemande, NaturePoint, Presence
from gouvernance.models import Reunion
from territoires.models import Phase, Territoire

from ..commun.formulaires import DATE, HEURE, TEXTE, DsfrBaseForm
from . import recherche
from .recherche import Recherche


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
    """Fiches, requests and people named as a person would, by search fields (never ids)."""

    nature = forms.ChoiceField(label="Nature du point", choices=NaturePoint.choices)
    intitule = forms.CharField(label="Intitulé", required=False, max_length=300)
    fiche = Recherche(
        label="Fiche-action",
        liste="choix-fiches",
        help_text="Son numéro (ex. 8401-09) ou son titre.",
    )
    demande = Recherche(
        label="Demande de modification du périmètre",
        liste="choix-demandes",
        help_text="Son numéro (ex. n° 12), le code du territoire ou le nom de l'intercommunalité.",
    )
    personne = Recherche(
        label="Personne proposée",
        liste="choix-personnes",
        help_text="Son prénom et son nom, et au besoin son organisation.",
    )
    role = forms.ChoiceField(
        label="Rôle proposé", choices=[("", "—"), *Role.choices], required=False
    )

    def __init__(self, *args, user, comite, **kwargs):
        super().__init__(*args, **kwargs)
        self.fiches = recherche.fiches_du_comite(user, comite)
        self.demandes = recherche.demandes_du_comite(user, comite)
        # Scoped like every other read of people: a proposed person the user may see.
        self.personnes = recherche.personnes_visibles(user)
        if not self.is_bound:
            f = self.fields
            recherche.offrir(f["fiche"], map(recherche.libelle_fiche, self.fiches))
            recherche.offrir(f["demande"], map(recherche.libelle_demande, self.demandes))
            recherche.offrir(f["personne"], map(recherche.libelle_personne, self.personnes))

    def clean_fiche(self):
        texte = self.cleaned_data["fiche"]
        return recherche.trouver_fiche(self.fiches, texte) if texte.strip() else None

    def clean_demande(self):
        texte = self.cleaned_data["demande"]
        return recherche.trouver_demande(self.demandes, texte) if texte.strip() else None

    def clean_personne(self):
        texte = self.cleaned_data["personne"]
        return recherche.trouver_personne(self.personnes, texte) if texte.strip() else None


class ParticipantForm(DsfrBaseForm):
    personne = Recherche(
        label="Personne",
        liste="choix-participants",
        help_text="Son prénom et son nom, et au besoin son organisation.",
    )
    organisation = Recherche(
        label="Organisation",
        liste="choix-organisations",
        help_text="Son nom, si elle est invitée comme telle.",
    )
    presence = forms.ChoiceField(label="Présence", choices=Presence.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.personnes = recherche.personnes_visibles(user)
        self.organisations = organisations_visibles(user)
        if not self.is_bound:
            libelles = map(recherche.libelle_personne, self.personnes)
            recherche.offrir(self.fields["personne"], libelles)
            publiques = self.organisations.exclude(type=TypeOrganisation.ENTREPRISE)
            noms = publiques.order_by("nom").values_list("nom", flat=True)
            recherche.offrir(self.fields["organisation"], noms)

    def clean_personne(self):
        texte = self.cleaned_data["personne"]
        return recherche.trouver_personne(self.personnes, texte) if texte.strip() else None

    def clean_organisation(self):
        texte = self.cleaned_data["organisation"].strip()
        if not texte:
            return None
        return recherche.un_seul(
            self.organisations.filter(nom__iexact=texte), texte, "organisation", "son nom exact"
        )


class ReportForm(ReunionForm):
    """A new date for the meeting; `sequence` as read, so that a concurrent change is not
    overwritten."""

    sequence = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def report(self) -> dict:
        return {**self.reunion(), "sequence": self.cleaned_data["sequence"]}


class AnnulationForm(DsfrBaseForm):
    motif = forms.CharField(
        label="Motif de l'annulation",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Il est envoyé aux participants avec l'annulation.",
        validators=TEXTE,
    )
    sequence = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


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
    parts = forms.CharField(
        label="Territoires issus de la scission",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Une ligne par territoire issu : code ; nom ; SIREN de ses intercommunalités "
            "séparés par des virgules. Par exemple : 8401A ; Vallée nord ; 200000001, "
            "200000002. Chaque intercommunalité du territoire va à un seul territoire issu."
        ),
        validators=TEXTE,
    )
    justification = forms.CharField(
        label="Justification",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obligatoire pour un nouveau territoire (principe de ciblage, FAQ §2.2).",
    )
    date = forms.DateField(
        label="Déposée le",
        required=False,
        widget=DATE,
        help_text="Une demande déposée avant sa saisie garde sa vraie date ; aujourd'hui sinon.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].queryset = territoires_suivis(user).order_by("phase", "code")

    def clean_epcis_proposes(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data["epcis_proposes"].split(",") if s.strip()]

    def clean_parts(self) -> list[dict]:
        """The lines as gouvernance.scission reads them; it checks what they name."""
        parts = []
        for n, ligne in enumerate(self.cleaned_data["parts"].splitlines(), start=1):
            if not ligne.strip():
                continue
            morceaux = [m.strip() for m in ligne.split(";")]
            if len(morceaux) != 3:
                raise forms.ValidationError(
                    f"Ligne {n} : écrivez « code ; nom ; SIREN, SIREN » (deux points-virgules)."
                )
            code, nom, sirens = morceaux
            parts.append({"code": code, "nom": nom, "epcis": sirens.split(",")})
        return parts


class AccordForm(DsfrBaseForm):
    """The position of another Région concerned, recorded by its pilot (FAQ §2.3)."""

    favorable = forms.TypedChoiceField(
        label="Position de la Région",
        choices=[("oui", "Accord"), ("non", "Refus")],
        coerce=lambda v: v == "oui",
        widget=forms.RadioSelect,
    )
    date = forms.DateField(label="Date de la position", widget=DATE)
    motif = forms.CharField(
        label="Sur quoi elle repose",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Courrier, délibération, séance du COPIL régional…",
        validators=TEXTE,
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = forms.ChoiceField(label="Région", choices=regions)
        self.order_fields(["region", "favorable", "date", "motif"])


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
