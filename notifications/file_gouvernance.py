"""The queue's signatures and meetings (notifications.file): the signatures awaited from the
person or that they record, the meetings they run, ahead (to prepare) and behind (the report
to write)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Value
from django.utils import timezone

from comptes.enums import Role
from comptes.models import Designation
from comptes.permissions import territoires_suivis
from contrats.enums import NATURES_ETAT, NatureSignataire
from contrats.models import Signataire
from gouvernance.enums import NATIONAUX
from gouvernance.permissions import peut_animer, reunions_visibles

from .file import Element, Lecteur, Rubrique

ENREGISTRENT = "l'équipe du territoire ou le référent de l'État, qui enregistrent les signatures"


def _territoire_dans(ids) -> Q:
    return (
        Q(protocole__territoire_id__in=ids)
        | Q(contrat__territoire_id__in=ids)
        | Q(avenant__contrat__territoire_id__in=ids)
    )


def q_represente(user, p) -> Q:
    """The signatories a person speaks for: their own organisation (a firm, a collectivity),
    their operator, their Région for its pilot, the State of their territory for its
    referent, their EPCI for its elected member of the binôme (FAQ §4.3)."""
    elus = (
        Designation.objects.actives()
        .filter(personne__compte=user, role=Role.BINOME_ELU)
        .values("personne__organisation__epci")
    )
    return (
        Q(organisation_id__in=p.organisations)
        | Q(nature=NatureSignataire.OPERATEUR, organisation_id__in=p.operateurs)
        | Q(nature=NatureSignataire.PRESIDENT_REGION, region_id__in=p.regions_pilote)
        | (Q(nature__in=NATURES_ETAT) & _territoire_dans(p.territoires_etat))
        | Q(nature=NatureSignataire.PRESIDENT_EPCI, epci__in=elus)
    )


def en_signature(phase_id: int) -> Q:
    """Signatories of a document of the phase being signed: a protocol until its last
    signature, a contract or an avenant once validated (contrats.cycle)."""
    return (
        Q(
            protocole__isnull=False,
            protocole__date_signature__isnull=True,
            protocole__territoire__phase_id=phase_id,
        )
        | Q(
            contrat__validation__isnull=False,
            contrat__date_signature__isnull=True,
            contrat__territoire__phase_id=phase_id,
        )
        | Q(
            avenant__validation__isnull=False,
            avenant__date_signature__isnull=True,
            avenant__contrat__territoire__phase_id=phase_id,
        )
    )


def _depuis(document):
    validation = getattr(document, "validation", None)
    return validation.date if validation is not None else timezone.localdate(document.cree_le)


def signatures(lecteur: Lecteur):
    p = lecteur.p
    represente = q_represente(lecteur.user, p)
    enregistre = _territoire_dans(p.territoires_equipe | p.territoires_etat)
    lignes = list(
        Signataire.objects.filter(en_signature(lecteur.phase.pk))
        .filter(_territoire_dans(territoires_suivis(lecteur.user).values("pk")))
        .filter(enregistre | (represente & Q(signe_le__isnull=True)))
        .annotate(vous=ExpressionWrapper(represente, output_field=BooleanField()))
        .select_related(
            "protocole__territoire",
            "contrat__territoire",
            "contrat__validation",
            "avenant__contrat__territoire",
            "avenant__validation",
        )
        .order_by("pk")
    )
    return lambda: _signatures(lecteur, lignes)


def _signatures(lecteur: Lecteur, lignes: list[Signataire]) -> list[Element]:
    out = []
    par_document = defaultdict(list)
    for s in lignes:
        document = s.document
        par_document[(type(document), document.pk)].append(s)
        if s.vous and s.signe_le is None:
            out.append(
                Element(
                    Rubrique.SIGNATURES,
                    "Signer le document",
                    document,
                    document.titre,
                    _depuis(document),
                    f"{s.nom}, {s.qualite}",
                    s.get_nature_display(),
                )
            )
    p = lecteur.p
    for signataires in par_document.values():
        document = signataires[0].document
        if document.le_territoire.pk not in p.territoires_equipe | p.territoires_etat:
            continue
        manquent = [s for s in signataires if s.signe_le is None]
        out.append(
            Element(
                Rubrique.SIGNATURES,
                f"Recueillir et enregistrer les signatures ({len(signataires) - len(manquent)} "
                f"sur {len(signataires)} reçues)",
                document,
                document.titre,
                _depuis(document),
                "; ".join(f"{s.nom}, {s.qualite}" for s in manquent),
                ENREGISTRENT,
            )
        )
    return out


def reunions(lecteur: Lecteur):
    """Meetings of the bodies the person runs (gouvernance.permissions.peut_animer): ahead,
    to prepare (agenda, participants); behind, since the phase began, without a report."""
    p = lecteur.p
    animes = Q(comite__territoire_id__in=p.territoires_equipe) | Q(
        comite__region_id__in=p.regions_pilote
    )
    if p.national:
        animes |= Q(comite__type__in=NATIONAUX)
    a_faire = Q(debut__gte=lecteur.maintenant) | Q(
        debut__lt=lecteur.maintenant, compte_rendu="", debut__date__gte=lecteur.phase.date_debut
    )
    qs = (
        reunions_visibles(lecteur.user)
        .filter(animes, a_faire)
        .filter(Q(comite__territoire__isnull=True) | Q(comite__territoire__phase=lecteur.phase))
        .select_related("comite")
        .order_by("debut")
    )
    if lecteur.compter:  # the agenda and the guests only word the item
        qs = qs.annotate(nb_points=Value(0), nb_invites=Value(0))
    else:
        qs = qs.annotate(
            nb_points=Count("points", distinct=True),
            nb_invites=Count("participants", distinct=True),
        )
    candidates = list(qs)
    return lambda: [_reunion(lecteur, r) for r in candidates if peut_animer(lecteur.user, r.comite)]


def _reunion(lecteur: Lecteur, r) -> Element:
    intitule = f"{r.nom_comite} — {r.date:%d/%m/%Y}"
    if r.debut < lecteur.maintenant:
        return Element(
            Rubrique.REUNIONS, "Rédiger le compte rendu", r, intitule, r.date, r.comite.nom
        )
    points = _nombre(r.nb_points, "point", "points") if r.nb_points else "vide"
    invites = (
        _nombre(r.nb_invites, "participant invité", "participants invités")
        if r.nb_invites
        else "aucun participant invité"
    )
    return Element(
        Rubrique.REUNIONS,
        "Préparer la réunion",
        r,
        intitule,
        timezone.localdate(r.cree_le),
        r.comite.nom,
        f"Ordre du jour {points} ; {invites}",
    )


def _nombre(n: int, un: str, plusieurs: str) -> str:
    return f"{n} {un if n == 1 else plusieurs}"
