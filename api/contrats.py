"""API of the contracting (FAQ §4): a territory's protocol, contract and avenants, and one
document with its sections, signatories and signatures, annexed fiches (by reference) and
history.

Reads go through contrats.permissions, the pages' own sources: a draft is seen where one
works on its territory, a signed document is public; what the page does not show answers
404 here. Nothing here carries an amount: a signed document's secrets stay out.
"""

from typing import Literal

from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from contrats import accords, cycle, documents
from contrats import permissions as droits
from contrats.enums import EtatDocument
from contrats.models import Avenant, Contrat, DocumentSigne, Protocole, Signataire
from territoires.selectors import trouver_territoire

from .auth import Jeton, ecriture, utilisateur
from .erreurs import ERREURS_ECRITURE, Erreur
from .gouvernance import Page
from .schemas import Cle, Identifiant, Jour, Pagination
from .schemas.contrats import DocumentListeOut, DocumentOut, DocumentsTerritoireOut

router = Router(tags=["Contrats"])
LECTURE = {401: Erreur, 404: Erreur}
Genre = Literal["protocole", "contrat", "avenant"]
VISIBLES = {
    "protocole": droits.protocoles_visibles,
    "contrat": droits.contrats_visibles,
    "avenant": droits.avenants_visibles,
}


class SignatureIn(Schema):
    signe_le: Jour = Field(
        description="Jour de la signature ; jamais future, ni avant la validation."
    )


class FiltrePhase(Schema):
    phase: Identifiant | None = Field(None, description="Phase du territoire (courante sinon).")


class FiltresDocuments(Schema):
    genre: Genre = Field("contrat", description="protocole, contrat ou avenant.")
    phase: Identifiant | None = Field(None, description="Phase du territoire (toutes sinon).")
    territoire: Cle | None = Field(None, description="Code du territoire (ex. 8401).")
    etat: EtatDocument | None = Field(None, description="brouillon, valide ou signe.")


def _genre(d) -> str:
    return (
        "avenant"
        if isinstance(d, Avenant)
        else "contrat"
        if isinstance(d, Contrat)
        else ("protocole")
    )


def _t(t) -> dict:
    return {"code": t.code, "phase": t.phase_id, "nom": t.nom}


def _resume(d) -> dict:
    return {
        "genre": _genre(d),
        "id": d.pk,
        "titre": d.titre,
        "etat": d.etat,
        "numero": getattr(d, "numero", None),
        "date_signature": d.date_signature,
    }


def _fiches(d) -> list[dict]:
    if isinstance(d, Protocole):
        fiches = [a.fiche for a in d.annexes.select_related("fiche__territoire")]
    else:
        fiches = [a.fiche for a in cycle.annexes(d)]
    return [{"reference": f.reference, "titre": f.titre} for f in fiches]


def _signataires(d) -> list[dict]:
    return [
        {
            "id": s.pk,
            "nature": s.nature,
            "libelle": s.get_nature_display(),
            "nom": s.nom,
            "qualite": s.qualite,
            "region": s.region_id,
            "epci": s.epci.siren if s.epci_id else None,
            "organisation": s.organisation.nom if s.organisation_id else None,
            "signe_le": s.signe_le,
            "exception_ministre": s.exception_ministre,
            "motif_ministre": s.motif_ministre,
        }
        for s in d.signataires.select_related("epci", "organisation")
    ]


def _validation(d) -> dict | None:
    v = d.validation
    if v is None:
        return None
    hors = cycle.sans_reunion(v)
    return {
        "date": v.date,
        "intitule": v.intitule,
        "sans_reunion": hors,
        "mention": accords.mention(d, sans_reunion=hors),
        "accords": [
            {
                "signataire": a.signataire_id,
                "partie": qui,
                "donne_par": a.donne_par,
                "donne_le": a.donne_le,
            }
            for a, qui in accords.parties(d)
        ],
    }


def _historique(d) -> list[dict]:
    return [
        {
            "action": m.action,
            "libelle": m.get_action_display(),
            "etat_avant": m.etat_avant,
            "etat_apres": m.etat_apres,
            "date_effet": m.date_effet,
            "le": m.le,
            "par": str(m.par.personne) if hasattr(m.par, "personne") else None,
            "motif": m.motif,
        }
        for m in d.transitions.historique()
    ]


def _document_out(user, d) -> dict:
    avenants = []
    if isinstance(d, Contrat):
        avenants = [_resume(a) for a in droits.avenants_visibles(user).filter(contrat=d)]
    return {
        **_resume(d),
        "territoire": _t(d.le_territoire),
        "contrat": d.contrat_id if isinstance(d, Avenant) else None,
        "sections": [{"titre": titre, "texte": texte} for titre, texte in d.sections()],
        "epcis": [] if isinstance(d, Protocole) else [e.siren for e in d.epcis.order_by("nom")],
        "validation": _validation(d),
        "signataires": _signataires(d),
        "signataires_manquants": cycle.signataires_requis(d) if d.etat != "signe" else [],
        "fiches": _fiches(d),
        "modifications": [
            {"fiche": m.fiche.reference, "objet": m.objet}
            for m in d.modifications.select_related("fiche__territoire")
        ]
        if isinstance(d, Avenant)
        else [],
        "avenants": avenants,
        "historique": _historique(d),
        "peut_modifier": droits.peut_modifier(user, d),
        "peut_valider": droits.peut_valider_document(user, d),
        "peut_signer": droits.peut_signer(user, d),
    }


@router.get(
    "/contrats",
    response=list[DocumentListeOut],
    summary="Protocoles, contrats ou avenants : les signés, et les projets que vous suivez",
)
@paginate(Pagination)
def liste_documents(request, filtres: Query[FiltresDocuments]):
    """Comme la page des contrats : tout document signé (public), les projets des territoires
    que vous suivez ; filtrés par phase, territoire et état, par territoire."""
    champ = "contrat__territoire" if filtres.genre == "avenant" else "territoire"
    qs = VISIBLES[filtres.genre](utilisateur(request)).select_related(champ)
    if filtres.territoire:
        t = trouver_territoire(filtres.territoire, filtres.phase)
        if t is None:
            raise Http404(f"Territoire {filtres.territoire} introuvable.")
        qs = qs.filter(**{champ: t})
    elif filtres.phase:
        qs = qs.filter(**{f"{champ}__phase_id": filtres.phase})
    if filtres.etat:
        qs = qs.filter(DocumentSigne.filtre_etat(filtres.etat))
    ordre = (f"{champ}__phase_id", f"{champ}__code", "pk")
    return Page(qs.order_by(*ordre), lambda d: {**_resume(d), "territoire": _t(d.le_territoire)})


@router.get(
    "/contrats/territoires/{code}",
    response={200: DocumentsTerritoireOut, **LECTURE},
    summary="Protocole, contrat et avenants d'un territoire",
)
def documents_territoire(request, code: Cle, filtre: Query[FiltrePhase]):
    """Ceux que vous pouvez voir : signés (publics), ou en préparation sur un territoire que
    vous suivez."""
    user = utilisateur(request)
    t = trouver_territoire(code, filtre.phase)
    if t is None:
        raise Http404(f"Territoire {code} introuvable.")
    contrat = droits.contrats_visibles(user).filter(territoire=t).first()
    avenants = droits.avenants_visibles(user).filter(contrat__territoire=t).order_by("numero")
    protocole = droits.protocoles_visibles(user).filter(territoire=t).first()
    return {
        "territoire": _t(t),
        "protocole": protocole and _resume(protocole),
        "contrat": contrat and _resume(contrat),
        "avenants": [_resume(a) for a in avenants.select_related("contrat__territoire")],
    }


@router.get(
    "/contrats/{genre}/{document_id}",
    response={200: DocumentOut, **LECTURE},
    summary="Un protocole, un contrat ou un avenant",
)
def document(request, genre: Genre, document_id: Identifiant):
    """Ses sections, EPCI, validation (et si elle fut prise sans réunion), signataires et
    signatures, fiches annexées par leur référence, historique, et ce que vous pouvez y faire."""
    user = utilisateur(request)
    qs = VISIBLES[genre](user)
    qs = qs.select_related(
        "contrat__territoire" if genre == "avenant" else "territoire", "validation"
    )
    d = qs.filter(pk=document_id).first()
    if d is None:
        raise Http404("Document introuvable.")
    return _document_out(user, d)


@router.get(
    "/contrats/{genre}/{document_id}/document.{format}",
    response=LECTURE,
    summary="Le document en DOCX éditable ou en PDF accessible (PDF/UA), sans secret",
    openapi_extra={"responses": {200: {"description": "Le fichier, en pièce jointe."}}},
)
def telecharger(request, genre: Genre, document_id: Identifiant, format: Literal["docx", "pdf"]):
    """Le même fichier que la page : pour qui voit le document, sans donnée confidentielle,
    sans aucun montant pour un protocole."""
    d = VISIBLES[genre](utilisateur(request)).filter(pk=document_id).first()
    if d is None:
        raise Http404("Document introuvable.")
    contenu, nom = documents.fichier(d, format)
    reponse = HttpResponse(contenu, content_type=documents.FORMATS[format])
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


@router.post(
    "/contrats/signataires/{signataire_id}/signature",
    auth=Jeton(),
    response={201: DocumentOut, **ERREURS_ECRITURE},
    summary="Enregistrer la signature d'un signataire",
)
def signer(request, signataire_id: Identifiant, data: SignatureIn):
    """Par l'équipe du territoire ou le référent de l'État, une fois le document validé (un
    protocole n'en a pas besoin) ; la dernière signature fait le document « signé » et
    inscrit les fiches qu'il annexe."""
    user = request.auth
    s = Signataire.objects.filter(pk=signataire_id).first()
    genre = s and ("protocole" if s.protocole_id else "contrat" if s.contrat_id else "avenant")
    visible = s and VISIBLES[genre](user).filter(pk=s.document.pk).exists()
    if not visible:
        raise Http404("Signataire introuvable.")
    with ecriture(user):
        cycle.signer(user=user, signataire=s, date=data.signe_le)
    d = VISIBLES[genre](user).get(pk=s.document.pk)
    return Status(201, _document_out(user, d))
