"""Audit of every write (who, when, what changed), readable by staff in the admin.

django-auditlog records each create, update and delete of the registered models, with the
actor set by its middleware (pages) or by the API's authentication. Perimeter rows are
written in bulk and traced by their Changement, which is audited.
"""

from auditlog.registry import auditlog


def register_models() -> None:
    from territoires.models import Changement, Decision, Territoire

    from .models import Designation, JetonAPI, Organisation, Personne, ProfilEntreprise

    for model in (Territoire, Decision, Changement, Organisation, Personne, Designation):
        auditlog.register(model)
    # Secret values must not leak into the audit trail: the entry says which secret fields
    # changed (ProfilEntreprise.get_additional_data), never their values.
    auditlog.register(ProfilEntreprise, exclude_fields=list(ProfilEntreprise.SECRETABLE))
    auditlog.register(JetonAPI, exclude_fields=["empreinte"])
