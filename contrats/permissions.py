"""Who may see and do what on protocols, contracts and avenants, on top of the one permission
layer (comptes.permissions): the territory's team writes drafts, the State's referent and the
Région's pilot validate (FAQ §3.3, §3.6, §4.2), a signed document is public (its secrets
excepted: see contrats.documents). Refusals go through comptes.permissions.exiger: pages
answer 404 like an object out of scope.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from comptes.permissions import autoriser, portee, territoires_suivis
from territoires.selectors import regions_du_territoire

from .models import Avenant, Contrat, Protocole


def peut_rediger(user, territoire) -> bool:
    """The territory's team (binôme, chef de projet) writes the drafts (FAQ §5.3)."""
    return territoire.pk in portee(user).territoires_equipe


def peut_valider(user, territoire) -> bool:
    """The State's referent, or the pilot of a Région of the territory (FAQ §4.2)."""
    p = portee(user)
    if territoire.pk in p.territoires_etat:
        return True
    return bool(p.regions_pilote & set(regions_du_territoire(territoire)))


def peut_enregistrer_signature(user, territoire) -> bool:
    # The last signature inscribes the annexed fiches (fiches.cycle): so those who may
    # inscribe a fiche record signatures: the team and the State's referent.
    return autoriser(user, "inscrire_fiche", territoire)


# What a person may do now on one document: the rule and the document's state together, for
# the page's buttons and its refusals alike (the services check the same again).


def peut_modifier(user, document) -> bool:
    """Edit a draft (canvas, annexes, signatories): a validated or signed document no longer
    changes, an avenant completes it (FAQ §4.2); a protocol is a draft until signed."""
    return document.brouillon and peut_rediger(user, document.le_territoire)


def peut_valider_document(user, document) -> bool:
    """A protocol needs no validation (FAQ §4.5); a contract or an avenant, once."""
    return (
        not isinstance(document, Protocole)
        and document.brouillon
        and peut_valider(user, document.le_territoire)
    )


def peut_signer(user, document) -> bool:
    """Record signatures: once validated (a protocol needs no validation), until all signed."""
    pret = isinstance(document, Protocole) or document.validation_id is not None
    return (
        pret
        and not document.date_signature
        and peut_enregistrer_signature(user, document.le_territoire)
    )


def peut_preparer_avenant(user, contrat: Contrat) -> bool:
    """An avenant completes a signed contract (FAQ §4.2)."""
    return bool(contrat.date_signature) and peut_rediger(user, contrat.territoire)


def _visibles(model, user, champ_territoire: str) -> QuerySet:
    qs = model.objects.all()
    if portee(user).national:
        return qs
    publics = Q(date_signature__isnull=False)
    suivis = Q(**{f"{champ_territoire}__in": territoires_suivis(user)})
    return qs.filter(publics | suivis)


def protocoles_visibles(user) -> QuerySet[Protocole]:
    return _visibles(Protocole, user, "territoire")


def contrats_visibles(user) -> QuerySet[Contrat]:
    return _visibles(Contrat, user, "territoire")


def avenants_visibles(user) -> QuerySet[Avenant]:
    return _visibles(Avenant, user, "contrat__territoire")
