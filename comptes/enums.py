from django.db import models


class TypeOrganisation(models.TextChoices):
    EPCI = "epci", "Intercommunalité (EPCI)"
    COMMUNE = "commune", "Commune"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    ETAT = "etat", "Préfecture et services de l'État"
    DELEGATION = "delegation", "Délégation nationale (ANCT/DGE)"
    OPERATEUR = "operateur", "Opérateur public"
    ENTREPRISE = "entreprise", "Entreprise"
    ASSOCIATION = "association", "Association"
    GIE = "gie", "Groupement d'intérêt économique (GIE)"
    GIP = "gip", "Groupement d'intérêt public (GIP)"
    PAYS_PETR = "pays_petr", "Pays / PETR"
    POLE = "pole", "Pôle de compétitivité"
    FEDERATION = "federation", "Fédération professionnelle"


# Public money: what these organisations grant is a public euro (the leverage of the programme's
# figures, suivi.chiffres); firms, associations, GIE, clusters and federations bring private
# money.
TYPES_PUBLICS = frozenset(
    {
        TypeOrganisation.EPCI,
        TypeOrganisation.COMMUNE,
        TypeOrganisation.DEPARTEMENT,
        TypeOrganisation.REGION,
        TypeOrganisation.ETAT,
        TypeOrganisation.DELEGATION,
        TypeOrganisation.OPERATEUR,
        TypeOrganisation.GIP,
        TypeOrganisation.PAYS_PETR,
    }
)


class Role(models.TextChoices):
    NATIONAL = "national", "Délégation nationale"
    PILOTE_REGION = "pilote_region", "Pilote régional (Région)"
    REFERENT_ETAT = "referent_etat", "Préfet / référent territorial de l'État"
    COORDINATEUR_ETAT = "coordinateur_etat", "Coordinateur État d'un territoire interrégional"
    BINOME_ELU = "binome_elu", "Binôme : élu"
    BINOME_INDUSTRIEL = "binome_industriel", "Binôme : industriel"
    CHEF_PROJET = "chef_projet", "Chef de projet local"
    REFERENT_OPERATEUR = "referent_operateur", "Référent d'un opérateur"
    REFERENT_REGION = "referent_region", "Référent de la Région"
    MEMBRE_COMITE = "membre_comite", "Membre du comité de projet local"
    PORTEUR = "porteur", "Porteur de projet"


# Roles held on one territory (FAQ §3.2, §3.6, §5.3).
ROLES_TERRITOIRE = {
    Role.REFERENT_ETAT,
    Role.COORDINATEUR_ETAT,
    Role.BINOME_ELU,
    Role.BINOME_INDUSTRIEL,
    Role.CHEF_PROJET,
    Role.REFERENT_REGION,
    Role.MEMBRE_COMITE,
}
# The territory team: writes and maintains the territory's work, and needs firms' details.
ROLES_EQUIPE = {Role.BINOME_ELU, Role.BINOME_INDUSTRIEL, Role.CHEF_PROJET}
