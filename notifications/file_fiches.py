"""The queue's fiches: those whose next move is the person's, those before a committee they
sit on, and their own fiches waiting on someone else (notifications.file)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, DateField, Exists, F, OuterRef, Q, Subquery, Value
from django.utils import timezone

from comptes.permissions import QUI_PEUT, Contexte
from contrats.models import Avenant, Contrat, FicheAnnexee, Signataire
from contrats.permissions import peut_rediger
from fiches.cycle import MOUVEMENTS
from fiches.enums import Avis, Etat, StatutLigne
from fiches.models import FicheAction, LigneFinancement, Transition
from fiches.selectors import fiches_visibles
from gouvernance.enums import TypeComite
from gouvernance.permissions import comites_siege
from territoires.selectors import territoires_des_regions

from .file import Element, Lecteur, Rubrique, intitule_fiche

# The states where a fiche still waits on someone: after them, it is inscribed or closed.
EN_COURS = (Etat.BROUILLON, Etat.SOUMISE, Etat.COPIL, Etat.INSTRUCTION, Etat.RETENUE)
# The committee that examines a fiche in each state (FAQ §4.6).
EXAMINEE_PAR = {Etat.SOUMISE: TypeComite.COMITE_LOCAL, Etat.COPIL: TypeComite.COPIL_REGIONAL}
# The arbitration waits until every funder has spoken (fiches.cycle refuses « retenir »
# before): only then is it on the arbiter.
ARBITRAGE = ("retenir", "ne_pas_retenir")


def _concerne(p) -> Q:
    """The fiches that may be on this person at all, before any rule: of the territories they
    hold a role on or follow for an operator, of their Région for its pilot, borne by their
    organisation, asking their operator for money or a measure."""
    q = Q(territoire_id__in=p.territoires_role | p.territoires_operateur) | Q(
        porteur_id__in=p.organisations
    )
    if p.regions_pilote:
        q |= Q(territoire__in=territoires_des_regions(p.regions_pilote))
    if p.operateurs:
        q |= Q(
            pk__in=FicheAction.objects.filter(
                Q(lignes__financeur__in=p.operateurs) | Q(mesures__operateur__in=p.operateurs)
            ).values("pk")
        )
    return q


def _entree():
    """When the fiche entered its state, and with which opinion: its last move into it (a
    funder's decision on a line leaves the state as it was)."""
    entrees = (
        Transition.objects.filter(fiche=OuterRef("pk"), etat_apres=OuterRef("etat"))
        .exclude(etat_avant=F("etat_apres"))
        .order_by("-date_effet", "-pk")
    )
    return Subquery(entrees.values("date_effet")[:1]), Subquery(entrees.values("avis")[:1])


def fiches(lecteur: Lecteur):
    p = lecteur.p
    entree, avis = _entree()
    demandees = (
        LigneFinancement.objects.filter(fiche=OuterRef("pk"), statut=StatutLigne.DEMANDE)
        .order_by()
        .values("fiche")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        fiches_visibles(lecteur.user)
        .filter(territoire__phase_id=lecteur.phase.pk, etat__in=EN_COURS)
        .filter(_concerne(p))
        .select_related("territoire", "porteur")
        .annotate(demandees=Subquery(demandees))
        .order_by("pk")
    )
    if lecteur.compter:  # the date and opinion of entry only date and word the items
        qs = qs.annotate(entree=Value(None, DateField()), avis_entree=Value(""))
        # Whether a retained fiche is annexed, read with it (counting needs no more).
        qs = qs.annotate(annexee=Exists(FicheAnnexee.objects.filter(fiche=OuterRef("pk"))))
    else:
        qs = qs.annotate(entree=entree, avis_entree=avis)
    candidates = list(qs)
    lecteur.demander_regions(f.territoire_id for f in candidates)
    return lambda: _elements(lecteur, candidates)


REDACTEURS = "l'équipe du territoire, qui rédige le contrat et ses avenants"


def _elements(lecteur: Lecteur, candidates: list[FicheAction]) -> list[Element]:
    if not candidates:
        return []
    p = lecteur.p
    sieges = list(comites_siege(lecteur.user).values_list("type", "territoire_id", "region_id"))
    annexes = _annexes([f for f in candidates if f.etat == Etat.RETENUE], lecteur.compter)
    out, attente = [], []
    for f in candidates:
        ctx = lecteur.contexte_fiche(f)
        element = _a_faire(lecteur, f, ctx, annexes)
        if element is not None:
            out.append(element)
        elif ctx.organisations & p.organisations or f.territoire_id in p.territoires_equipe:
            attente.append(f)  # one's own fiche: on whom it waits is read below
        elif (comite := _en_comite(f, ctx, sieges)) is not None:
            out.append(
                Element(
                    Rubrique.EXAMEN,
                    f"À examiner : {comite.label.lower()}",
                    f,
                    intitule_fiche(f),
                    _depuis(f),
                    f"les membres du {comite.label.lower()}",
                )
            )
    if lecteur.compter:  # what one waits on from others is not counted
        return out
    return out + _en_attente(lecteur, attente, annexes)


def _depuis(f: FicheAction):
    return f.entree or timezone.localdate(f.cree_le)


def _a_faire(lecteur: Lecteur, f: FicheAction, ctx: Contexte, annexes) -> Element | None:
    """The next move of the fiche, if it is this person's (the permission of the move)."""
    if f.etat == Etat.RETENUE:
        # Inscribed by the signature of the document that annexes it: until it is annexed,
        # that is on the team, who writes the contract and its avenants.
        if f.pk in annexes or not peut_rediger(lecteur.user, f.territoire):
            return None
        libelle = "Annexer au contrat ou à un avenant (la signature l'inscrit)"
        return Element(Rubrique.FICHES, libelle, f, intitule_fiche(f), _depuis(f), REDACTEURS)
    for nom, m in MOUVEMENTS.items():
        if m.par_signature or f.etat not in m.depuis:
            continue
        if nom in ARBITRAGE and f.demandees:
            continue
        if not lecteur.peut(m.permission, ctx):
            continue
        libelle = m.libelle
        if nom == "soumettre" and f.avis_entree == Avis.A_RETRAVAILLER:
            libelle = f"À retravailler, puis : {m.libelle[0].lower()}{m.libelle[1:]}"
        elif nom in ARBITRAGE:
            libelle = "Arbitrer : retenir la fiche ou non (chaque financeur s'est prononcé)"
        return Element(
            Rubrique.FICHES, libelle, f, intitule_fiche(f), _depuis(f), QUI_PEUT[m.permission]
        )
    return None


def _en_comite(f: FicheAction, ctx: Contexte, sieges) -> TypeComite | None:
    """The committee examining the fiche now, if the person sits on it."""
    type_ = EXAMINEE_PAR.get(f.etat)
    if type_ is None:
        return None
    for t, territoire, region in sieges:
        if t == type_ and (territoire == f.territoire_id or (region and region in ctx.regions)):
            return TypeComite(type_)
    return None


def _annexes(retenues: list[FicheAction], compter: bool = False) -> dict:
    """For each retained fiche annexed to a contract or an avenant: the document and the
    signatories it still waits for (only whether it is annexed, when counting)."""
    if not retenues:
        return {}
    if compter:
        return dict.fromkeys(f.pk for f in retenues if f.annexee)
    documents = {
        a.fiche_id: a.avenant or a.contrat
        for a in FicheAnnexee.objects.filter(fiche__in=retenues).select_related(
            "contrat__territoire", "avenant__contrat__territoire"
        )
    }
    a_signer = [d for d in documents.values() if d.date_signature is None]
    manquent: dict[tuple[type, int], list[str]] = defaultdict(list)
    for s in Signataire.objects.filter(
        Q(contrat__in=[d.pk for d in a_signer if isinstance(d, Contrat)])
        | Q(avenant__in=[d.pk for d in a_signer if isinstance(d, Avenant)]),
        signe_le__isnull=True,
    ).order_by("nature", "nom"):
        cle = (Avenant, s.avenant_id) if s.avenant_id else (Contrat, s.contrat_id)
        manquent[cle].append(f"{s.nom}, {s.qualite}")
    return {f: (d, manquent[(type(d), d.pk)]) for f, d in documents.items()}


def _en_attente(lecteur: Lecteur, fiches_: list[FicheAction], annexes) -> list[Element]:
    """One's own fiches waiting on others: on whom, since when."""
    instruction = [f.pk for f in fiches_ if f.etat == Etat.INSTRUCTION and f.demandees]
    financeurs: dict[int, set[str]] = defaultdict(set)
    soi = lecteur.p.organisations | lecteur.p.operateurs
    if instruction:
        for fiche, financeur, nom in LigneFinancement.objects.filter(
            fiche__in=instruction, statut=StatutLigne.DEMANDE
        ).values_list("fiche_id", "financeur_id", "financeur__nom"):
            if financeur not in soi:  # one's own lines are to decide, not awaited
                financeurs[fiche].add(nom)
    out = []
    for f in fiches_:
        quoi, qui = _attendu(f, financeurs, annexes)
        if quoi:
            out.append(Element(Rubrique.ATTENTE, quoi, f, intitule_fiche(f), _depuis(f), qui))
    return out


def _attendu(f: FicheAction, financeurs, annexes) -> tuple[str, str]:
    if f.etat == Etat.SOUMISE:
        return MOUVEMENTS["avis_local"].libelle, QUI_PEUT["avis_local"]
    if f.etat == Etat.COPIL:
        return MOUVEMENTS["avis_copil"].libelle, QUI_PEUT["avis_copil"]
    if f.etat == Etat.INSTRUCTION and f.demandees:
        if not financeurs[f.pk]:
            return "", ""  # only one's own lines: in « Lignes à décider »
        return "Décision des financeurs sur leurs lignes", ", ".join(sorted(financeurs[f.pk]))
    if f.etat == Etat.INSTRUCTION:
        return "Arbitrage : la fiche retenue ou non", QUI_PEUT["arbitrer_fiche"]
    if f.etat == Etat.RETENUE and f.pk in annexes:
        document, manquent = annexes[f.pk]
        if document.date_signature is None:
            return f"Inscription à la signature : {document.titre}", "; ".join(manquent)
        return "", ""
    if f.etat == Etat.RETENUE:
        return "Annexion au contrat ou à un avenant", REDACTEURS
    return "", ""
