"""The one way a page runs a domain service and tells the person what it refused
(docs/adr/0011-pages-par-domaine.md).

A page first checks the right to act on the object (comptes.permissions.exiger: 404 when
refused, like an object out of scope), reads the input with a form, then hands it to the
domain's service through `executer`. What the service refuses comes back, nothing written:

- ValidationError: its French messages (referentiel.saisie.messages), beside the field when
  the form shows that field, else at the top of the form;
- PermissionDenied: a refusal of the input itself once the page was allowed (a bearer who may
  not bear a fiche here, a région one does not keep), at the top of the form;
- ConflitEdition: someone saved in between (optimistic lock): nothing was overwritten, and
  `Issue.conflit` says what changed.

Without a form, the messages are flashed for the next page (`request`), or only listed in
`Issue.erreurs` for a page that shows them itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from comptes.services import ConflitEdition
from referentiel import saisie

from .formulaires import sommaire

CONFLIT = (
    "Quelqu'un a enregistré {objet} pendant votre modification : rien n'a été écrasé. Voici "
    "ce qui a changé ; reprenez vos modifications sur la version actuelle."
)
REFUS = "Vous ne pouvez pas faire cela."


@dataclass
class Issue:
    """What the service answered: its result, or the French messages of its refusal."""

    resultat: object = None
    erreurs: list[str] = field(default_factory=list)
    conflit: ConflitEdition | None = None

    def __bool__(self) -> bool:
        return not self.erreurs


def soumis(request, form) -> bool:
    """A POST whose form reads well: the domain may now be asked."""
    return request.method == "POST" and form is not None and form.is_valid()


def executer(
    service,
    /,
    *,
    form=None,
    request=None,
    prefixe: str = "",
    conflit_sur: str = "une autre version",
    **arguments,
) -> Issue:
    """Runs `service(**arguments)`; a refusal goes into `form`, or else is flashed on
    `request` (each message after `prefixe`), and is listed in the answer either way.
    `conflit_sur` names what a concurrent save changed (« cette fiche »)."""
    try:
        resultat = service(**arguments)
    except ConflitEdition as exc:
        issue, champs = Issue(erreurs=[CONFLIT.format(objet=conflit_sur)], conflit=exc), {}
    except ValidationError as exc:
        issue = Issue(erreurs=saisie.messages(exc))
        champs = exc.message_dict if hasattr(exc, "error_dict") else {}
    except PermissionDenied as exc:
        issue, champs = Issue(erreurs=[str(exc) or REFUS]), {}
    else:
        return Issue(resultat=resultat)
    if form is not None:
        _dans_le_formulaire(form, issue.erreurs, champs)
    elif request is not None:
        for message in issue.erreurs:
            messages.error(request, f"{prefixe}{message}")
    return issue


def _dans_le_formulaire(form, erreurs: list[str], champs: dict[str, list[str]]) -> None:
    if not champs:
        for message in erreurs:
            form.add_error(None, message)
        return
    for nom, liste in champs.items():
        form.add_error(nom if nom in form.fields and nom != NON_FIELD_ERRORS else None, liste)


def signaler(request, form, prefixe: str = "") -> None:
    """An input refused by its form, on an action that goes back to its page: each error,
    named by its field, flashed there."""
    for _ancre, message in sommaire(form):
        messages.error(request, f"{prefixe}{message}")
