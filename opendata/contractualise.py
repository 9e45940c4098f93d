"""What has been contracted, as everyone may see it: the signed protocols, contracts and
avenants, and the fiches they inscribe — without any field its writer left secret
(comptes.secrets: the model's SECRETABLE fields listed in the object's `champs_secrets`), and
never an amount of a fiche borne by a firm (FAQ §7.3), secret or not."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch

from comptes.enums import TypeOrganisation
from comptes.secrets import est_secret
from contrats.models import FicheAnnexee
from contrats.permissions import avenants_visibles, contrats_visibles, protocoles_visibles
from fiches.enums import Etat, Maturite, PorteeGeo
from fiches.selectors import fiches_visibles
from mesures.enums import CHOIX_AXES_AVEC_PHASE

from .carte import CODE, PHASE
from .fichiers import Fichier, champ
from .sources import PLATEFORME

PUBLIC = AnonymousUser()
ENTREPRISE = "Une entreprise"  # as the public pages name a firm's fiche (its name unpublished)
AXES = dict(CHOIX_AXES_AVEC_PHASE)


def est_entreprise(org) -> bool:
    return org.type == TypeOrganisation.ENTREPRISE


def public(obj, nom: str, *, entreprise: bool = False, montant: bool = False):
    """The value of a field for the public: None where it is secret, or an amount of a firm."""
    if est_secret(obj, nom) or (montant and entreprise):
        return None
    return getattr(obj, nom)


def porteur(org) -> dict:
    """A bearer for the public: a public body by name and SIREN, a firm anonymous."""
    if est_entreprise(org):
        return {"porteur_nom": ENTREPRISE, "porteur_type": org.get_type_display()}
    return {
        "porteur_nom": org.nom,
        "porteur_type": org.get_type_display(),
        "porteur_siren": org.siren or None,
    }


def document_id(annexe: FicheAnnexee | None) -> str | None:
    if annexe is None:
        return None
    return f"avenant-{annexe.avenant_id}" if annexe.avenant_id else f"contrat-{annexe.contrat_id}"


def fiches_publiques():
    """The fiches anyone may see (inscribed, then carried out), with what they are read with."""
    return (
        fiches_visibles(PUBLIC)
        .select_related("territoire", "porteur")
        .prefetch_related(
            "mesures",
            Prefetch(
                "annexe_contrat",
                queryset=FicheAnnexee.objects.select_related("contrat", "avenant"),
            ),
        )
        .order_by("territoire__phase_id", "territoire__code", "numero")
    )


def annexe_de(f) -> FicheAnnexee | None:
    annexes = list(f.annexe_contrat.all())
    return annexes[0] if annexes else None


def _fiches():
    for f in fiches_publiques():
        firme = est_entreprise(f.porteur)
        annexe = annexe_de(f)
        document = (annexe.avenant or annexe.contrat) if annexe else None
        yield {
            "reference": f.reference,
            "uuid": str(f.uuid),
            "phase": f.territoire.phase_id,
            "territoire_code": f.territoire.code,
            "titre": f.titre,
            "axe": f.axe,
            "axe_libelle": AXES.get(f.axe, f.axe),
            "etat": f.etat,
            **porteur(f.porteur),
            "portee": f.portee,
            "collective": f.collective,
            "maturite": f.maturite,
            "contexte": f.contexte,
            "description": public(f, "description") or None,
            "cout_total": public(f, "cout_total", entreprise=firme, montant=True),
            "date_debut": f.date_debut,
            "date_fin": f.date_fin,
            "demande_simplification": f.est_simplification,
            "probleme": f.probleme or None,
            "orientation": f.orientation or None,
            "phase_execution": f.phase_execution or None,
            "statut_execution": f.statut_execution_derive() or None,
            "mesures": sorted(m.pk for m in f.mesures.all()),
            "document": document_id(annexe),
            "date_inscription": document.date_signature if document else None,
        }


def _documents():
    qs = [
        ("protocole", protocoles_visibles(PUBLIC).select_related("territoire")),
        ("contrat", contrats_visibles(PUBLIC).select_related("territoire")),
        ("avenant", avenants_visibles(PUBLIC).select_related("contrat__territoire")),
    ]
    for nature, documents in qs:
        documents = documents.filter(date_signature__isnull=False).select_related("validation")
        if nature != "protocole":
            documents = documents.annotate(nb=Count("annexes", distinct=True))
        for d in documents.prefetch_related("epcis") if nature != "protocole" else documents:
            t = d.le_territoire
            yield {
                "document": f"{nature}-{d.pk}",
                "nature": nature,
                "phase": t.phase_id,
                "territoire_code": t.code,
                "titre": d.titre,
                "contrat": f"contrat-{d.contrat_id}" if nature == "avenant" else None,
                "annee_debut": getattr(d, "annee_debut", None),
                "annee_fin": getattr(d, "annee_fin", None),
                "date_validation": d.validation.date if d.validation_id else None,
                "date_signature": d.date_signature,
                "epci": sorted(e.siren for e in d.epcis.all()) if nature != "protocole" else [],
                "nb_fiches_inscrites": getattr(d, "nb", None),
            }


DOCUMENT = champ(
    "document",
    "string",
    "Identifiant du document",
    "« contrat-12 », « avenant-3 » ou « protocole-5 » : le document signé qui inscrit la fiche.",
)

DOCUMENTS = Fichier(
    nom="contrats",
    titre="Protocoles, contrats et avenants signés",
    description="Chaque document signé par toutes ses parties (FAQ §4) : territoire, période, "
    "date de validation par le comité de pilotage régional (ou sans réunion), date de la "
    "dernière signature, EPCI couverts, nombre de fiches inscrites. Aucun montant.",
    champs=[
        {**DOCUMENT, "constraints": {"required": True}},
        champ("nature", "string", "Nature", requis=True, enum=["protocole", "contrat", "avenant"]),
        PHASE,
        CODE,
        champ("titre", "string", "Titre", requis=True),
        champ("contrat", "string", "Contrat que l'avenant complète"),
        champ("annee_debut", "integer", "Première année du contrat"),
        champ("annee_fin", "integer", "Dernière année du contrat"),
        champ("date_validation", "date", "Date de la validation"),
        champ("date_signature", "date", "Date de la dernière signature", requis=True),
        champ("epci", "string", "EPCI couverts", "SIREN séparés par « ; »."),
        champ("nb_fiches_inscrites", "integer", "Fiches inscrites par ce document", minimum=0),
    ],
    lignes=_documents,
    sources=[PLATEFORME],
    cle_primaire=["document"],
)

FICHES = Fichier(
    nom="fiches-actions",
    titre="Fiches-actions inscrites aux contrats",
    description="Les fiches-actions inscrites à un contrat ou un avenant signé, puis réalisées "
    "(FAQ §4.6). Un champ que son rédacteur a couvert du secret industriel est vide ; le "
    "porteur d'une entreprise n'est pas nommé et aucun montant d'une entreprise n'est publié.",
    champs=[
        champ("reference", "string", "Référence", "Code du territoire et numéro.", requis=True),
        champ("uuid", "string", "Identifiant stable", format="uuid", requis=True),
        PHASE,
        CODE,
        champ("titre", "string", "Titre", requis=True),
        champ("axe", "string", "Axe (phase 1) ou priorité (phase 2)", requis=True, enum=list(AXES)),
        champ("axe_libelle", "string", "Libellé de l'axe ou de la priorité"),
        champ("etat", "string", "Étape", requis=True, enum=[Etat.INSCRITE, Etat.REALISEE]),
        champ("porteur_nom", "string", "Porteur", "« Une entreprise » pour une entreprise."),
        champ("porteur_type", "string", "Type de porteur"),
        champ("porteur_siren", "string", "SIREN du porteur public", pattern=r"^\d{9}$"),
        champ("portee", "string", "Périmètre", enum=list(PorteeGeo.values)),
        champ("collective", "boolean", "Action collective"),
        champ("maturite", "string", "Maturité", enum=list(Maturite.values)),
        champ("contexte", "string", "Contexte et objectifs"),
        champ("description", "string", "Description", "Vide si elle est secrète."),
        champ(
            "cout_total",
            "number",
            "Coût total (€)",
            "Vide s'il est secret ou d'une entreprise.",
            minimum=0,
        ),
        champ("date_debut", "date", "Début prévu"),
        champ("date_fin", "date", "Fin prévue"),
        champ("demande_simplification", "boolean", "Demande de simplification (FAQ §4.7)"),
        champ("probleme", "string", "Problème rencontré (simplification)"),
        champ("orientation", "string", "Orientation de la demande de simplification"),
        champ(
            "phase_execution", "string", "Phase d'exécution", enum=["Idée", "Étude", "Opération"]
        ),
        champ("statut_execution", "string", "Statut d'exécution"),
        champ(
            "mesures", "string", "Mesures du panier de services", "Identifiants séparés par « ; »."
        ),
        DOCUMENT,
        champ("date_inscription", "date", "Date de signature du document qui l'inscrit"),
    ],
    lignes=_fiches,
    sources=[PLATEFORME],
    cle_primaire=["reference"],
)
