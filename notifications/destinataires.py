"""Who receives each event: people who hold a part in it by the domain's rules, and who may
see its object (the scoped querysets of the permission layer), never anyone else.

Candidates are read wide in one query (the active people of the territory, of its régions,
of the organisations concerned), then each is asked the domain's own question: may they
make the move, do they sit on the committee, do they decide the line, do they speak for the
signatory, may they see the object. After the commit, off the hot path of the page."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q

from comptes.models import Designation, Utilisateur
from comptes.permissions import Contexte, autoriser, portee, territoires_suivis
from contrats.models import Signataire
from fiches.models import FicheAction, LigneFinancement
from fiches.selectors import fiches_visibles
from gouvernance.enums import TypeComite
from gouvernance.models import Comite, Reunion
from gouvernance.permissions import comites_siege, reunions_visibles
from territoires.selectors import regions_du_territoire

from .file import Objet
from .file_gouvernance import q_represente


def _comptes(designations: Q, organisations: Iterable[int] = ()) -> list[Utilisateur]:
    """Active accounts of the people holding one of these designations today, or working
    for one of these organisations."""
    organisations = [o for o in organisations if o]
    actives = Designation.objects.actives().filter(designations)
    q = Q(personne__designations__in=actives)
    if organisations:
        q |= Q(personne__organisation_id__in=organisations)
    return list(Utilisateur.objects.filter(q, is_active=True).distinct().order_by("pk"))


def _sauf(users: Iterable[Utilisateur], auteur_id: int | None) -> list[Utilisateur]:
    return [u for u in users if u.pk != auteur_id]


class Fiche:
    """The people around one fiche, its context read once."""

    def __init__(self, fiche: FicheAction):
        self.fiche = fiche
        self.regions = regions_du_territoire(fiche.territoire)
        self.ctx = Contexte(
            territoires={fiche.territoire_id},
            organisations={fiche.porteur_id},
            regions=set(self.regions),
        )
        lignes = list(fiche.lignes.all())
        financeurs = {li.financeur_id for li in lignes}
        operateurs = set(
            fiche.mesures.filter(operateur__isnull=False).values_list("operateur_id", flat=True)
        )
        self.candidats = _comptes(
            Q(territoire=fiche.territoire)
            | Q(territoires=fiche.territoire)
            | Q(region_id__in=self.regions)
            | Q(organisation_id__in=financeurs | operateurs | {fiche.porteur_id}),
            financeurs | {fiche.porteur_id},
        )
        self.lignes = lignes

    def voient(self, regle: Callable[[Utilisateur], bool]) -> list[Utilisateur]:
        """Candidates who satisfy `regle` and may see the fiche."""
        visible = fiches_visibles
        return [
            u for u in self.candidats if regle(u) and visible(u).filter(pk=self.fiche.pk).exists()
        ]

    def peut(self, user, action: str, ctx: Contexte | None = None) -> bool:
        return autoriser(user, action, Objet(ctx or self.ctx))

    def cote(self) -> list[Utilisateur]:
        """Its bearer's people and the territory's team: who follow it as theirs."""
        return self.voient(lambda u: self.peut(u, "suivre_fiche"))

    def font(self, permission: str) -> list[Utilisateur]:
        return self.voient(lambda u: self.peut(u, permission))

    def siegent(self, type_comite: str) -> list[Utilisateur]:
        """Who sits on the committee that examines it: its local committee, the COPIL of its
        (first) région."""
        if type_comite == TypeComite.COPIL_REGIONAL:
            lieu = Q(region_id__in=self.regions[:1])
        else:
            lieu = Q(territoire=self.fiche.territoire)
        comite = Comite.objects.filter(lieu, type=type_comite).first()
        if comite is None:
            return []
        return self.voient(lambda u: comites_siege(u).filter(pk=comite.pk).exists())

    def decident(self, lignes: Iterable[LigneFinancement]) -> list[Utilisateur]:
        """Who decides one of these lines for its funder."""
        contextes = [li.contexte_acces(self.ctx) for li in lignes]
        return self.voient(lambda u: any(self.peut(u, "decider_ligne", c) for c in contextes))


def representent(signataire: Signataire) -> list[Utilisateur]:
    """Who speaks for the signatory (notifications.file_gouvernance.q_represente) and may see
    the document."""
    document = signataire.document
    territoire = document.le_territoire
    regions = regions_du_territoire(territoire)
    organisations = [signataire.organisation_id] if signataire.organisation_id else []
    candidats = _comptes(
        Q(territoire=territoire)
        | Q(territoires=territoire)
        | Q(region_id__in=regions)
        | Q(organisation_id__in=organisations),
        organisations,
    )
    return [
        u
        for u in candidats
        if Signataire.objects.filter(pk=signataire.pk).filter(q_represente(u, portee(u))).exists()
        and (portee(u).national or territoires_suivis(u).filter(pk=territoire.pk).exists())
    ]


def invites(reunion: Reunion) -> list[Utilisateur]:
    """The people invited to the meeting, with an account, who may see it."""
    comptes = Utilisateur.objects.filter(
        is_active=True, personne__in=reunion.participants.values("personne")
    ).order_by("pk")
    return [u for u in comptes if reunions_visibles(u).filter(pk=reunion.pk).exists()]
