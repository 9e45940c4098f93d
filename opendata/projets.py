"""The contracted fiches in the State's shared schema of territorial projects,
« projets-territoire » (betagouv/schema-projet-collectivites-transition-ecologique, v0.1.0
fields), so that the shared registries (Territoires en Transitions, Recoco, Mon Espace
Collectivité) can take them. Its Table Schema is written here from the published field list
(opendata/PROVENANCE.md); one field is added at the end, `territoireIndustrieId`, the
territory's id in the programme (the schema has no place for it; `programme` names the
programme).

The same public rule as the fiches' file: a secret description or cost is empty, a firm is
not named and its amounts never appear; the referent's contact fields stay empty (personal
data the platform holds for its own network only)."""

from __future__ import annotations

from datetime import UTC

from fiches.enums import PhaseExecution, StatutExecution

from .contractualise import est_entreprise, fiches_publiques, public
from .fichiers import Fichier, champ
from .sources import PLATEFORME, PROJETS_TERRITOIRE

PROGRAMME = "Territoires d'industrie"
HORODATAGE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$"
# The published fields, in the published order; then the programme's own.
CHAMPS_PUBLIES = [
    champ(
        "id",
        "string",
        "Identifiant",
        "Identifiant unique du projet (UUID).",
        format="uuid",
        requis=True,
    ),
    champ("createdAt", "string", "Date de création", requis=True, pattern=HORODATAGE),
    champ("updatedAt", "string", "Date de mise à jour", requis=True, pattern=HORODATAGE),
    champ("nom", "string", "Nom du projet", requis=True),
    champ("description", "string", "Description"),
    champ("budgetPrevisionnel", "integer", "Budget prévisionnel (€)"),
    champ("dateDebutPrevisionnelle", "string", "Date de début prévisionnelle (AAAA-MM-JJ)"),
    champ("phase", "string", "Phase du projet", enum=list(PhaseExecution.values)),
    champ("phaseStatut", "string", "Statut de la phase", enum=list(StatutExecution.values)),
    champ("programme", "string", "Programme"),
    champ("porteurCodeSiret", "string", "SIRET du porteur", pattern=r"^\d{14}$"),
    champ("porteurReferentEmail", "string", "Courriel du référent", format="email"),
    champ("porteurReferentTelephone", "string", "Téléphone du référent"),
    champ("porteurReferentPrenom", "string", "Prénom du référent"),
    champ("porteurReferentNom", "string", "Nom du référent"),
    champ("porteurReferentFonction", "string", "Fonction du référent"),
    champ("competences", "array", "Compétences (référentiel M57)"),
    champ("leviers", "array", "Leviers de la transition écologique"),
    champ("mecId", "string", "Identifiant sur Mon Espace Collectivité"),
    champ("tetId", "string", "Identifiant sur Territoires en Transitions"),
    champ("recocoId", "string", "Identifiant sur Recoco"),
    champ("collectiviteIds", "array", "Identifiants des collectivités associées"),
]
TERRITOIRE = champ(
    "territoireIndustrieId",
    "string",
    "Identifiant du Territoire d'industrie",
    "Ajouté au schéma publié : « 8401 » en phase 1, « ti-8401 » en phase 2.",
    requis=True,
)


def horodatage(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def projet(f) -> dict:
    firme = est_entreprise(f.porteur)
    cout = public(f, "cout_total", entreprise=firme, montant=True)
    return {
        "id": str(f.uuid),
        "createdAt": horodatage(f.cree_le),
        "updatedAt": horodatage(f.modifie_le),
        "nom": f.titre,
        "description": public(f, "description") or None,
        "budgetPrevisionnel": round(cout) if cout is not None else None,
        "dateDebutPrevisionnelle": f.date_debut,
        "phase": f.phase_execution or None,
        "phaseStatut": f.statut_execution_derive() or None,
        "programme": PROGRAMME,
        "porteurCodeSiret": None if firme else (f.porteur.siret or None),
        "territoireIndustrieId": f.territoire.code,
    }


def _lignes():
    for f in fiches_publiques():
        yield projet(f)


PROJETS = Fichier(
    nom="projets-territoire",
    titre="Fiches-actions inscrites au format « projets-territoire »",
    description="Les fiches-actions inscrites aux contrats dans le schéma partagé des projets "
    "des collectivités (v0.1.0), avec le programme et l'identifiant du territoire, pour les "
    "registres partagés (Territoires en Transitions, Recoco, Mon Espace Collectivité).",
    champs=[*CHAMPS_PUBLIES, TERRITOIRE],
    lignes=_lignes,
    sources=[PLATEFORME, PROJETS_TERRITOIRE],
    cle_primaire=["id"],
    schema_extra={
        "name": "projets-territoire",
        "title": "Projets de collectivités (v0.1.0), écrit d'après la liste publiée de ses "
        "champs, et l'identifiant du Territoire d'industrie",
        "homepage": PROJETS_TERRITOIRE["path"],
    },
)
