"""Form pieces every page shares: widgets, the input rules of every channel on the fields
that take them (referentiel.saisie), territory codes as typed, and the error summary."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import escape
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrBaseForm as _DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from referentiel import formats, saisie
from territoires import selectors
from territoires.models import Territoire


def _sans_contraintes_du_navigateur(attrs) -> dict:
    """The attributes of a field turned to text: the browser's own type and bounds go (the
    server checks the bounds and says why in French)."""
    return {k: v for k, v in (attrs or {}).items() if k not in ("type", "min", "max", "step")}


class DateFrancaise(forms.DateInput):
    """A date typed jj/mm/aaaa in a text field: a `type="date"` field writes and reads the
    date in the browser's language (mm/dd/yyyy in English), whatever the service's."""

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = _sans_contraintes_du_navigateur(attrs)
        super().__init__(
            attrs={"placeholder": "jj/mm/aaaa", "autocomplete": "off", **attrs},
            format=formats.FORMAT_DATE,
        )


class NombreFrancais(forms.TextInput):
    """A number or an amount typed the French way (« 1 234,56 ») in a text field with the
    decimal keypad on phones: a `type="number"` field follows the browser's language (its
    decimal point, its refusal of spaces). Read on the server by referentiel.formats."""

    def __init__(self, attrs=None):
        attrs = _sans_contraintes_du_navigateur(attrs)
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs})

    def value_from_datadict(self, data, files, name):
        # What the field then reads as a decimal; a text that is not a number stays as typed,
        # refused by the field with its message.
        valeur = super().value_from_datadict(data, files, name)
        if isinstance(valeur, str) and valeur.strip():
            try:
                return str(formats.lire_nombre(valeur))
            except ValueError:
                return valeur
        return valeur

    def format_value(self, value):
        if value is None or value == "":
            return None
        try:
            return formats.saisie_nombre(formats.lire_nombre(str(value)))
        except ValueError:
            return str(value)


class HeureFrancaise(forms.TimeInput):
    """An hour typed 09:30 or 14h15: a `type="time"` field shows 9:30 AM in English."""

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = _sans_contraintes_du_navigateur(attrs)
        super().__init__(
            attrs={"placeholder": "hh:mm", "autocomplete": "off", **attrs},
            format=formats.FORMAT_HEURE,
        )


DATE = DateFrancaise()
HEURE = HeureFrancaise()
TEXTE = [saisie.valider_texte]
DATE_PLAUSIBLE = [saisie.valider_date]
MONTANT = {"min_value": 0, "max_digits": 14, "decimal_places": 2}
MONTANT_ERREURS = {
    "min_value": saisie.MONTANT_NEGATIF,
    "max_digits": "Montant trop grand.",
    "max_decimal_places": "Au plus deux décimales (les centimes).",
    "invalid": "Saisissez un montant en euros, par exemple 125 000 ou 125 000,50.",
}
CHOIX_CHERCHABLES_AIDE = (
    "Cochez autant de choix que nécessaire ; tapez un nom pour filtrer la liste."
)


def choix_cherchables() -> forms.CheckboxSelectMultiple:
    """Several choices as boxes to tick (by touch, by keyboard with Tab and Space), with a
    field that filters a long list as one types (www/static/www/site.js); never a multiple
    select that needs Ctrl or Cmd. The design system draws it as its group of boxes."""
    return forms.CheckboxSelectMultiple(attrs={"data-cherchable": "1"})


def options_du_choix(champ: forms.BoundField) -> str:
    """The <option>s of a bound select, the one of its value selected, written in one pass: a
    national filter offers hundreds of funders, which a template loop took tens of ms to write."""
    valeur = champ.value()
    choisie = "" if valeur is None else str(valeur)
    options = []
    for v, libelle in champ.field.widget.choices:
        v = str(v)
        choix = " selected" if v == choisie else ""
        options.append(f'<option value="{escape(v)}"{choix}>{escape(libelle)}</option>')
    return mark_safe("".join(options))  # noqa: S308 (each value and label escaped above)


OUI_NON_TOUS = forms.Select(choices=[("", "Tous"), ("true", "Oui"), ("false", "Non")])


class ChoixLusUneFois(ModelChoiceIterator):
    """The choices of a model field, read once: a template's {% for %} asks their number
    before going through them, which Django answers with a COUNT, then a second query."""

    def __init__(self, field):
        super().__init__(field)
        self._lus = None

    def _liste(self) -> list:
        if self._lus is None:
            self._lus = list(super().__iter__())
        return self._lus

    def __iter__(self):
        return iter(self._liste())

    def __len__(self) -> int:
        return len(self._liste())

    def __bool__(self) -> bool:
        return bool(self._liste())


def _a_la_francaise(field: forms.Field) -> None:
    """Dates, hours and decimals of every page form typed and shown the French way whatever the
    browser's language (docs/adr/0017): text fields read on the server. The API and the XLSX
    import keep their own formats (ISO dates, JSON numbers)."""
    if isinstance(field.widget, forms.HiddenInput) or getattr(field, "_a_la_francaise", False):
        return
    defaut = str(type(field).default_error_messages.get("invalid", ""))
    if isinstance(field, forms.DateField):
        if not isinstance(field.widget, DateFrancaise):
            field.widget = DateFrancaise(field.widget.attrs)
        field.input_formats = list(formats.FORMATS_DATE)
        message = formats.DATE_ILLISIBLE
    elif isinstance(field, forms.TimeField):
        if not isinstance(field.widget, HeureFrancaise):
            field.widget = HeureFrancaise(field.widget.attrs)
        field.input_formats = list(formats.FORMATS_HEURE)
        message = formats.HEURE_ILLISIBLE
    elif isinstance(field, forms.DecimalField):
        if not isinstance(field.widget, NombreFrancais):
            field.widget = NombreFrancais(field.widget.attrs)
        message = formats.NOMBRE_ILLISIBLE
    else:
        return
    field._a_la_francaise = True
    field.widget.is_required = field.required
    if str(field.error_messages.get("invalid", "")) == defaut:
        field.error_messages = {**field.error_messages, "invalid": message}


class DsfrBaseForm(_DsfrBaseForm):
    """django-dsfr's base form, with its bound fields made when the page asks for them.

    The library's own __init__ builds every bound field at once to add the design system's
    classes; a bound field copies its label and help text when it is built, so whatever a
    subclass set after calling it was lost (the sign-in field read « Username », a step of
    the fiche showed another form's date label). Every form of the pages derives from this
    one (www/tests/test_formulaires.py checks it)."""

    def __init__(self, *args, **kwargs):
        super(_DsfrBaseForm, self).__init__(*args, **kwargs)  # not the eager bound fields
        for field in self.fields.values():
            _a_la_francaise(field)
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = ChoixLusUneFois  # this form's own copy of the field
                field.widget.choices = field.choices  # the widget holds its own iterator

    def __getitem__(self, name):
        if name in self.fields and name not in self._bound_fields_cache:
            _a_la_francaise(self.fields[name])  # a field added after __init__ too
        bf = super().__getitem__(name)
        if not getattr(bf, "_dsfr", False):
            dsfr_input_class_attr(bf)  # the classes, on the field as the subclass left it
            if isinstance(bf.field.widget, DateFrancaise) and "jj/mm/aaaa" not in bf.help_text:
                bf.help_text = " ".join(filter(None, [f"{formats.AIDE_DATE}.", bf.help_text]))
            bf._dsfr = True
        return bf


def choix(vide: str, choices) -> list[tuple[str, str]]:
    """A list of choices that starts with « nothing chosen » under the label `vide`."""
    return [("", vide), *[(v, label) for v, label in choices if v != ""]]


class ChoixMultiples(forms.ModelMultipleChoiceField):
    """Several objects by their integer key. A key beyond what the database holds is not one
    of the choices, like any unknown one: refused with the same message, before the query
    (SQLite cannot even compare it)."""

    def _check_values(self, value):
        for v in value or ():
            try:
                n = int(str(v).strip())
            except ValueError:
                continue  # not an integer: the field's own message
            if not -saisie.ENTIER_MAX - 1 <= n <= saisie.ENTIER_MAX:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": v},
                )
        return super()._check_values(value)


def trouver_territoire(valeur: str) -> Territoire | None:
    """« ti-8401 » or « 8401 » (preferably in the current phase), or « 2-ti-8401 » and
    « 1-8401 » (phase and code)."""
    valeur = valeur.strip()
    phase, sep, code = valeur.partition("-")
    if sep and phase.isdigit():
        numero = saisie.entier(phase)
        return selectors.trouver_territoire(code, numero) if numero is not None else None
    return selectors.trouver_territoire(valeur) if valeur else None


def filtres(form) -> dict:
    """The cleaned data of a bound filter form: an invalid field is dropped alone (its error
    shows beside it), the others still filter."""
    form.is_valid()
    return dict(form.cleaned_data)


# --- The error summary ------------------------------------------------------------------------


def _ancre(bf) -> str:
    """Where the summary links to: the group of a set of radios or boxes (DSFR), else the
    input itself."""
    if bf.widget_type in ("radioselect", "inlineradioselect"):
        return f"radio-{bf.auto_id}"
    if bf.widget_type in ("checkboxselectmultiple", "inlinecheckboxselectmultiple"):
        return f"checkboxes-{bf.auto_id}"
    return bf.id_for_label or bf.auto_id


def sommaire(*objets) -> list[tuple[str, str]]:
    """The errors of forms and formsets, in order, as (anchor, message): each field's error
    named by its label and linked to it, a formset's rows numbered by their `libelle`."""
    out: list[tuple[str, str]] = []

    def du_formulaire(form, avant=""):
        out.extend(("", f"{avant}{e}") for e in form.non_field_errors())
        for bf in form:
            out.extend((_ancre(bf), f"{avant}{bf.label} : {e}") for e in bf.errors)

    for o in objets:
        if o is None or not o.is_bound:
            continue
        if hasattr(o, "management_form"):
            out.extend(("", e) for e in o.non_form_errors())
            for i, form in enumerate(o.forms, start=1):
                du_formulaire(form, f"{getattr(o, 'libelle', 'Ligne')} {i} — ")
        else:
            du_formulaire(o)
    return out
