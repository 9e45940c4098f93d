"""Reads of fiches, always scoped through the permission layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from django.db.models import Exists, OuterRef, Q, QuerySet

from comptes import memoire
from comptes.models import Organisation
from comptes.permissions import Contexte, organisations_visibles, portee
from comptes.secrets import Total, total
from referentiel.moteur import requete
from territoires.models import Perimetre, Territoire
from territoires.selectors import territoires_des_regions, trouver_territoire

from .enums import INSCRITES, StatutLigne
from .models import FicheAction, LigneFinancement, MotFiche

# What has been contracted is public (DOMAIN « Public »), its secrets excepted.
ETATS_PUBLICS = INSCRITES  # a contracted fiche is public


def fiches_visibles(user) -> QuerySet[FicheAction]:
    """What a person may see: contracted fiches (public); every fiche of the territories one
    holds a role on, or of one's région for its pilot; the fiches one bears; for an operator,
    the fiches that ask it for money or for one of its measures (not the others)."""
    p = portee(user)
    qs = FicheAction.objects.all()
    if p.national:
        return qs
    q = Q(etat__in=ETATS_PUBLICS)
    if p.authentifie:
        q |= Q(territoire_id__in=p.territoires_role) | Q(porteur__in=p.organisations)
        if p.regions_pilote:
            q |= Q(territoire__in=territoires_des_regions(p.regions_pilote))
        if p.operateurs:
            q |= Q(
                pk__in=FicheAction.objects.filter(
                    Q(lignes__financeur__in=p.operateurs) | Q(mesures__operateur__in=p.operateurs)
                ).values("pk")
            )
    return qs.filter(q)


def financeurs_des_lignes(user) -> QuerySet[Organisation]:
    """The organisations that fund a line somewhere, among those the person may see: one
    probe of the lines' index per organisation, never a pass over all the lines."""
    lignes = LigneFinancement.objects.filter(financeur=OuterRef("pk"))
    return organisations_visibles(user).filter(Exists(lignes))


def choix_des_financeurs(user) -> list[tuple[int, str]]:
    """(id, name) of `financeurs_des_lignes`, the funders' filter of the lists. A national
    reader sees them all: one list for every such reader, kept per version of the data (the
    organisations and the lines are in the journal of writes)."""

    def lire():
        return list(financeurs_des_lignes(user).values_list("pk", "nom"))

    if portee(user).national:
        return memoire.memoriser("financeurs-des-lignes", "", None, lire)
    return lire()


def du_territoire_de_code(qs, code: str):
    """The fiches of the territories of this code (both phases may share one). The ids are
    read first: a plain `territoire_id IN (…)` lets the database walk that territory's fiches
    by its index, where a join on the code led SQLite through every public fiche."""
    ids = list(Territoire.objects.filter(code=code).values_list("pk", flat=True))
    return qs.filter(territoire_id__in=ids)


def filtrer(
    qs,
    *,
    territoire=None,
    region=None,
    axe=None,
    etat=None,
    type_porteur=None,
    financeur=None,
    mesure=None,
    q=None,
):
    if territoire:
        qs = qs.filter(territoire=territoire)
    if region:
        qs = qs.filter(
            territoire__in=Perimetre.objects.filter(
                date_fin__isnull=True, commune__region=region
            ).values("territoire_id")
        )
    if axe:
        qs = qs.filter(axe=axe)
    if etat:
        qs = qs.filter(etat=etat)
    if type_porteur:
        qs = qs.filter(porteur__type=type_porteur)
    if financeur:
        qs = qs.filter(pk__in=FicheAction.objects.filter(lignes__financeur=financeur).values("pk"))
    if mesure:
        qs = qs.filter(Q(mesures=mesure) | Q(lignes__mesure=mesure)).distinct()
    if q:
        # As the site's search finds fiches (fiches.recherche): on their folded text, which
        # holds no secret field, so a search cannot reveal a secret word; one column read.
        qs = qs.filter(requete(q).filtre_index(MotFiche.objects, "fiche_id"))
    return qs.select_related("territoire", "porteur")


# What a list of fiches shows of each (pages and API): neither the long texts nor the search
# text are read for rows that only name the fiche.
CHAMPS_D_UNE_LIGNE = (
    "uuid",
    "territoire__code",
    "territoire__nom",
    "territoire__phase_id",
    "numero",
    "titre",
    "axe",
    "porteur__nom",
    "porteur__type",
    "maturite",
    "date_debut",
    "date_fin",
    "etat",
    "statut_execution",
    "version",
    "modifie_le",
    "demo",
)


def en_lignes(qs):
    """`qs` (from `filtrer`) as its rows of a list: the fields they show, nothing more."""
    return qs.only(*CHAMPS_D_UNE_LIGNE)


def demandes_simplification(user, orientation: str | None = None):
    """The simplification requests of both phases as one national list (FAQ §4.7, §5.5), by
    routing: the « simplifier » fiches of phase 1, the requests carried by phase-2 fiches."""
    qs = fiches_visibles(user).simplifications()
    if orientation is not None:
        qs = qs.filter(orientation=orientation)
    return qs.select_related("territoire", "porteur").order_by(
        "orientation", "territoire__code", "numero"
    )


# Amounts by status: « demandé » counts every line, « accordé » the granted ones. What is
# paid is no status: financements.selectors adds it from the payments.
STATUTS_TOTAUX = {
    "demande": None,
    "accorde": (StatutLigne.ACCORDE,),
    "refuse": (StatutLigne.REFUSE,),
}


@dataclass(frozen=True)
class TotauxLignes:
    libelle: str
    demande: Total
    accorde: Total
    refuse: Total


def totaux_financement(
    user, fiche, lignes, *, ctx: Contexte | None = None
) -> tuple[TotauxLignes, list[TotauxLignes]]:
    """A fiche's amounts by status, for all funders and for each, as this person may see
    them: through the statistical secrecy of comptes.secrets, a line's amount being its
    bearer's figure. A total holding an amount the person may not read is withheld whole (one
    bearer: never three firms); those who read every amount in it see it exactly. `ctx`: the
    fiche's access context when the caller has it."""
    base = ctx or fiche.contexte_acces()

    def totaux(libelle, lignes_) -> TotauxLignes:
        return TotauxLignes(
            libelle,
            **{
                colonne: total(
                    user,
                    [li for li in lignes_ if statuts is None or li.statut in statuts],
                    "montant",
                    unite=lambda li: fiche.porteur_id,
                    contextes=lambda li: li.contexte_acces(base),
                )
                for colonne, statuts in STATUTS_TOTAUX.items()
            },
        )

    par_financeur: dict[int, list] = {}
    for li in lignes:
        par_financeur.setdefault(li.financeur_id, []).append(li)
    return (
        totaux("Ensemble des financeurs", lignes),
        [totaux(str(ls[0].financeur), ls) for ls in par_financeur.values()],
    )


# --- Delays of the path ------------------------------------------------------------------


@dataclass(frozen=True)
class Delai:
    libelle: str
    du: Date
    au: Date

    @property
    def jours(self) -> int:
        return (self.au - self.du).days


def delais(transitions, lignes) -> list[Delai]:
    """Days between the dated steps of a fiche: submission, local opinion, COPIL opinion, each
    funder's decision, its first payment (FAQ §1.2, §5.1: delays must be measurable).
    `transitions` in order of their date of effect; `lignes` the fiche's financing lines,
    annotated by financements.selectors.annoter for the payments."""
    out = []
    actions = [t.action for t in transitions]

    def suivante(action, apres):
        return next((i for i in range(apres + 1, len(actions)) if actions[i] == action), None)

    copil = None
    soumis = max((i for i, a in enumerate(actions) if a == "soumettre"), default=None)
    local = suivante("avis_local", soumis) if soumis is not None else None
    if local is not None:
        out.append(
            Delai(
                "Soumission → avis du comité de projet local",
                transitions[soumis].date_effet,
                transitions[local].date_effet,
            )
        )
        c = suivante("avis_copil", local)
        if c is not None:
            copil = transitions[c].date_effet
            out.append(
                Delai(
                    "Avis du comité local → avis du comité de pilotage régional",
                    transitions[local].date_effet,
                    copil,
                )
            )
    for li in lignes:
        depuis = copil or li.demande_le
        if depuis and li.decide_le:
            origine = "Avis du comité de pilotage régional" if copil else "Demande"
            out.append(Delai(f"{origine} → décision de {li.financeur}", depuis, li.decide_le))
        # The first payment, where the caller read the line's money (financements.selectors).
        paye = getattr(li, "premier_paiement", None)
        if li.decide_le and paye:
            out.append(Delai(f"Décision → premier paiement de {li.financeur}", li.decide_le, paye))
    return out


def fiche_par_reference(user, reference: str, phase=None) -> FicheAction | None:
    """A fiche the person sees, by the reference people use (« 8401-09 »): the territory's
    code (either spelling) and the fiche's number, in `phase` or the current one."""
    code, _, numero = reference.strip().rpartition("-")
    if not code or not numero.isdigit():
        return None
    t = trouver_territoire(code, phase)
    if t is None:
        return None
    return fiches_visibles(user).filter(territoire=t, numero=int(numero)).first()
