"""Audit of every write (who, when, what changed), readable by staff in the admin.

django-auditlog records each create, update and delete of the registered models, with the
actor set by its middleware (pages) or by the API's authentication. Perimeter rows are
written in bulk and traced by their Changement, which is audited. Each domain app registers
its own models when it is loaded (`apps.py`); comptes/tests/test_audit.py checks that every
model users can write is registered, with the list of those left out and why.
"""

from auditlog.registry import auditlog


def register_models() -> None:
    from territoires.models import Changement, Decision, Territoire

    from .models import Designation, JetonAPI, Organisation, Personne, ProfilEntreprise, Utilisateur

    for model in (Territoire, Decision, Changement, Organisation, Personne):
        auditlog.register(model)
    auditlog.register(Designation, m2m_fields={"territoires"})
    # An account's rights and activation (staff, superuser, groups): who granted or closed it.
    # Neither its password hash nor each login goes into the trail; the person is Personne.
    auditlog.register(
        Utilisateur,
        include_fields=["is_active", "is_staff", "is_superuser"],
        m2m_fields={"groups", "user_permissions"},
    )
    # Secret values must not leak into the audit trail: the entry says which secret fields
    # changed (ProfilEntreprise.get_additional_data), never their values.
    auditlog.register(ProfilEntreprise, exclude_fields=list(ProfilEntreprise.SECRETABLE))
    auditlog.register(JetonAPI, exclude_fields=["empreinte"])
