"""Small builders for the comptes tests (real territories and communes of the referential)."""

from datetime import date

from comptes.enums import Role, TypeOrganisation
from comptes.models import Designation, Organisation, Personne, ProfilEntreprise, Utilisateur
from referentiel.validators import luhn_ok
from territoires.models import Territoire
from territoires.selectors import communes_du_territoire

MDP = "Un-mot-de-passe-solide-2026"


def siren(base: str) -> str:
    return next(base + str(k) for k in range(10) if luhn_ok(base + str(k)))


def territoire(code: str) -> Territoire:
    return Territoire.objects.get(phase_id=1, code=code)


def entreprise(code_territoire: str, n: int = 1, **profil) -> Organisation:
    commune = communes_du_territoire(territoire(code_territoire)).first()
    org = Organisation.objects.create(
        nom=f"Entreprise {code_territoire}-{n}",
        type=TypeOrganisation.ENTREPRISE,
        siren=siren(f"8{code_territoire}{n:03d}"),
        commune=commune,
    )
    valeurs = {
        "activite": "Mécanique",
        "effectif": 87,
        "chiffre_affaires": 12345678,
        "contact_email": f"secret-{code_territoire}-{n}@exemple.fr",
    }
    valeurs.update(profil)
    ProfilEntreprise.objects.create(organisation=org, **valeurs)
    return org


def personne(
    email: str,
    role: str | None = None,
    *,
    organisation=None,
    annuaire=False,
    date_fin=None,
    **scope,
) -> Utilisateur:
    user = Utilisateur.objects.create_user(email, MDP)
    p = Personne.objects.create(
        prenom="Prénom",
        nom=email.split("@")[0],
        email=email,
        compte=user,
        organisation=organisation,
        annuaire=annuaire,
    )
    if role:
        if role in (Role.PORTEUR, Role.REFERENT_OPERATEUR):
            scope.setdefault("organisation", organisation)
        Designation.objects.create(
            personne=p, role=role, date_debut=date(2019, 1, 1), date_fin=date_fin, **scope
        )
    return user
