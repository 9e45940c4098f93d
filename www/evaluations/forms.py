"""Forms of the evaluation pages. Forms only read the input; the rules live in
evaluations.cadres, evaluations.services and evaluations.cycle."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from evaluations.enums import NATURES_A_MODALITES, AvisRevue, NatureQuestion, RoleRevue
from evaluations.models import Section
from evaluations.services import NOMBRE_MAX
from referentiel import saisie
from territoires.models import Phase

from ..commun.formulaires import DsfrBaseForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTE = [saisie.valider_texte]
ORDRE = {"label": "Rang", "min_value": 1, "max_value": 999}


class CadreForm(DsfrBaseForm):
    titre = forms.CharField(label="Titre", max_length=300, validators=TEXTE)
    introduction = forms.CharField(
        label="Introduction",
        help_text="Ce que le cadre attend des territoires, comment l'évaluation se conduit.",
        widget=forms.Textarea,
        required=False,
        validators=TEXTE,
    )


class NouveauCadreForm(CadreForm):
    phase = forms.ModelChoiceField(queryset=Phase.objects.all(), label="Phase")

    field_order = ["phase", "titre", "introduction"]


class SectionForm(DsfrBaseForm):
    ordre = forms.IntegerField(**ORDRE, required=False)
    titre = forms.CharField(label="Titre de la section", max_length=300, validators=TEXTE)
    aide = forms.CharField(
        label="Consigne", widget=forms.Textarea, required=False, validators=TEXTE
    )


class QuestionForm(DsfrBaseForm):
    section = forms.ModelChoiceField(queryset=Section.objects.none(), label="Section")
    ordre = forms.IntegerField(**ORDRE, required=False)
    intitule = forms.CharField(label="Question", max_length=500, validators=TEXTE)
    aide = forms.CharField(
        label="Consigne", widget=forms.Textarea, required=False, validators=TEXTE
    )
    nature = forms.ChoiceField(label="Forme de la réponse", choices=NatureQuestion.choices)
    modalites = forms.CharField(
        label="Modalités (une par ligne)",
        help_text="Pour une échelle, de la première à la dernière ; pour un choix, dans l'ordre "
        "d'affichage. Laisser vide pour un texte ou un nombre.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        validators=TEXTE,
    )
    unite = forms.CharField(
        label="Unité (pour un nombre)", max_length=50, required=False, validators=TEXTE
    )
    obligatoire = forms.BooleanField(
        label="Réponse obligatoire pour soumettre", required=False, initial=True
    )

    def __init__(self, *args, cadre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = cadre.sections.all()

    def clean_modalites(self):
        return [m.strip() for m in self.cleaned_data["modalites"].splitlines() if m.strip()]


class IndicateurForm(DsfrBaseForm):
    ordre = forms.IntegerField(**ORDRE, required=False)
    libelle = forms.CharField(
        label="Indicateur",
        max_length=200,
        validators=TEXTE,
        help_text="Rempli depuis les indicateurs des fiches du même nom et de la même unité "
        "(majuscules, accents et espaces mis à part).",
    )
    unite = forms.CharField(label="Unité", max_length=50, validators=TEXTE)
    aide = forms.CharField(
        label="Définition", widget=forms.Textarea, required=False, validators=TEXTE
    )


class ReponsesForm(DsfrBaseForm):
    """One field per question of the evaluation's framework, named `q<id>`; the version read
    travels with the form (optimistic lock)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.groupes = []
        for s in questionnaire:
            noms = []
            for qr in s.questions:
                nom = f"q{qr.question.pk}"
                self.fields[nom] = _champ(qr.question)
                noms.append(nom)
            self.groupes.append((s.section, noms))

    def reponses(self) -> dict[int, object]:
        return {int(nom[1:]): v for nom, v in self.cleaned_data.items() if nom.startswith("q")}

    def sections(self):
        """(section, bound fields) for the template."""
        return [(s, [self[n] for n in noms]) for s, noms in self.groupes]


def _champ(q) -> forms.Field:
    commun = {"label": q.intitule, "help_text": q.aide, "required": False}
    if q.nature == NatureQuestion.NOMBRE:
        if q.unite:
            commun["label"] = f"{q.intitule} ({q.unite})"
        return forms.DecimalField(
            max_digits=14,
            decimal_places=2,
            min_value=-NOMBRE_MAX,
            max_value=NOMBRE_MAX,
            localize=True,  # a decimal comma, the French way, as well as a point
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            error_messages={
                "invalid": "Saisissez un nombre, par exemple 12 ou 12,5.",
                "max_digits": "Nombre trop grand.",
                "max_whole_digits": "Nombre trop grand.",
                "max_decimal_places": "Au plus deux décimales.",
            },
            **commun,
        )
    if q.nature in NATURES_A_MODALITES:
        return forms.ChoiceField(
            choices=[("", "Sans réponse")] + [(m, m) for m in q.modalites],
            widget=forms.RadioSelect,
            **commun,
        )
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), validators=TEXTE, **commun)


def initial_reponses(evaluation, questionnaire) -> dict:
    initial = {"version": evaluation.version}
    for s in questionnaire:
        for qr in s.questions:
            r = qr.reponse
            if r is None:
                continue
            q = qr.question
            valeur = (
                r.nombre
                if q.nature == NatureQuestion.NOMBRE
                else r.modalite
                if q.nature in NATURES_A_MODALITES
                else r.texte
            )
            initial[f"q{q.pk}"] = valeur
    return initial


class RevueForm(DsfrBaseForm):
    role = forms.ChoiceField(label="Au nom de", choices=RoleRevue.choices)
    date = forms.DateField(label="Date de la revue", widget=DATE, validators=[saisie.valider_date])
    avis = forms.ChoiceField(label="Avis", choices=AvisRevue.choices, widget=forms.RadioSelect)
    commentaire = forms.CharField(label="Commentaires", widget=forms.Textarea, validators=TEXTE)

    def __init__(self, *args, roles, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, RoleRevue(r).label) for r in roles]


class MouvementForm(DsfrBaseForm):
    date = forms.DateField(label="Date", widget=DATE, validators=[saisie.valider_date])
    commentaire = forms.CharField(
        label="Commentaire", widget=forms.Textarea, required=False, validators=TEXTE
    )

    def __init__(self, *args, commentaire_requis: bool = False, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if commentaire_requis:
            self.fields["commentaire"].required = True
            self.fields["commentaire"].label = "Pourquoi l'évaluation est-elle renvoyée ?"
