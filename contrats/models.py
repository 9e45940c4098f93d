"""Protocole d'accord, contract, avenants, their signatories and annexed fiches (FAQ §4).

The lifecycle (validation by the regional COPIL, signatures, inscription of the annexed fiches)
lives in contrats.cycle, the drafts' writes in contrats.services; nothing here changes a state.
A document is « signé » once every signatory has signed: `date_signature` is then set by
contrats.cycle to the last signature's date, so list pages can filter on it in SQL.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from comptes.permissions import Contexte
from territoires.selectors import regions_du_territoire

from .enums import ActionDocument, EtatDocument, NatureSignataire


class DocumentSigne(models.Model):
    """What the protocol, the contract and an avenant share: validation and signature."""

    # The canvas (FAQ §4.1, §4.5): its text fields in order, each titled by its verbose name;
    # the documents, the page and its form all read it here.
    CANEVAS: tuple[str, ...] = ()

    validation = models.ForeignKey(
        "territoires.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Décision du comité de pilotage régional, ou accord sans réunion (FAQ §4.2).",
    )
    date_signature = models.DateField(
        "signé le", null=True, blank=True, help_text="Date de la dernière signature."
    )
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def etat(self) -> str:
        if self.date_signature:
            return EtatDocument.SIGNE
        if self.validation_id:
            return EtatDocument.VALIDE
        return EtatDocument.BROUILLON

    @staticmethod
    def filtre_etat(etat: str) -> Q:
        """The same derivation in SQL, for lists filtered by state."""
        en_cours = Q(date_signature__isnull=True)
        return {
            EtatDocument.SIGNE: Q(date_signature__isnull=False),
            EtatDocument.VALIDE: en_cours & Q(validation__isnull=False),
            EtatDocument.BROUILLON: en_cours & Q(validation__isnull=True),
        }[etat]

    def get_etat_display(self) -> str:
        return EtatDocument(self.etat).label

    def sections(self) -> list[tuple[str, str]]:
        """(title, text) of each section of the canvas."""
        return [
            (capfirst(self._meta.get_field(c).verbose_name), getattr(self, c)) for c in self.CANEVAS
        ]

    @property
    def brouillon(self) -> bool:
        return self.etat == EtatDocument.BROUILLON

    def contexte_acces(self) -> Contexte:
        t = self.le_territoire
        return Contexte(territoires={t.pk}, regions=set(regions_du_territoire(t)))


class Protocole(DocumentSigne):
    """Optional political agreement (FAQ §4.5): free signatories, no amount anywhere."""

    CANEVAS = ("ambitions", "plan_actions")
    NATURE = (
        "Acte politique, non contraignant juridiquement ni engageant financièrement : les "
        "fiches annexées ne portent aucune mention financière (FAQ §4.5)."
    )

    territoire = models.OneToOneField(
        "territoires.Territoire", on_delete=models.PROTECT, related_name="protocole"
    )
    ambitions = models.TextField("ambitions et priorités", blank=True)
    plan_actions = models.TextField("projet de plan d'actions", blank=True)
    fiches = models.ManyToManyField(
        "fiches.FicheAction", through="AnnexeProtocole", related_name="protocoles"
    )

    class Meta:
        verbose_name = "protocole d'accord"
        verbose_name_plural = "protocoles d'accord"

    def __str__(self) -> str:
        return f"Protocole d'accord — {self.territoire}"

    @property
    def le_territoire(self):
        return self.territoire

    @property
    def titre(self) -> str:
        return f"Protocole d'accord du Territoire d'industrie {self.territoire.nom}"


class AnnexeProtocole(models.Model):
    """A fiche annexed to a protocol: its summary may carry no financial mention."""

    protocole = models.ForeignKey(Protocole, on_delete=models.CASCADE, related_name="annexes")
    fiche = models.ForeignKey("fiches.FicheAction", on_delete=models.PROTECT, related_name="+")
    resume = models.TextField("résumé pour le protocole", blank=True)

    class Meta:
        ordering = ["fiche__numero"]
        constraints = [
            models.UniqueConstraint(fields=["protocole", "fiche"], name="annexe_protocole_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fiche} en annexe du protocole"


class Contrat(DocumentSigne):
    """The territory's contract, following the canvas of FAQ §4.1."""

    CANEVAS = (
        "enjeux",
        "ambitions",
        "actions_engagees",
        "engagement_parties",
        "plan_actions",
        "pilotage",
    )

    territoire = models.OneToOneField(
        "territoires.Territoire", on_delete=models.PROTECT, related_name="contrat"
    )
    annee_debut = models.PositiveSmallIntegerField("de", default=2019)
    annee_fin = models.PositiveSmallIntegerField("à", default=2022)
    enjeux = models.TextField("principaux enjeux", blank=True)
    ambitions = models.TextField("ambitions et priorités", blank=True)
    actions_engagees = models.TextField("actions déjà engagées", blank=True)
    engagement_parties = models.TextField("engagement général des parties", blank=True)
    plan_actions = models.TextField(
        "plan d'actions", blank=True, help_text="Présentation ; les fiches sont en annexe."
    )
    pilotage = models.TextField("pilotage, suivi et évaluation", blank=True)
    # Contracting may start with some EPCIs of the territory; avenants add the others (§4.2).
    epcis = models.ManyToManyField("referentiel.EPCI", related_name="+", verbose_name="EPCI")
    fiches = models.ManyToManyField(
        "fiches.FicheAction", through="FicheAnnexee", related_name="contrats"
    )

    class Meta:
        verbose_name = "contrat"
        constraints = [
            models.CheckConstraint(
                condition=Q(annee_fin__gte=models.F("annee_debut")), name="contrat_periode_ordonnee"
            )
        ]

    def __str__(self) -> str:
        return f"Contrat {self.annee_debut}-{self.annee_fin} — {self.territoire}"

    @property
    def le_territoire(self):
        return self.territoire

    @property
    def titre(self) -> str:
        return (
            f"Contrat du Territoire d'industrie {self.territoire.nom} "
            f"({self.annee_debut}-{self.annee_fin})"
        )


class Avenant(DocumentSigne):
    """Adds fiches (and possibly EPCIs) to a signed contract, or changes annexed fiches."""

    CANEVAS = ("objet",)

    contrat = models.ForeignKey(Contrat, on_delete=models.PROTECT, related_name="avenants")
    numero = models.PositiveSmallIntegerField("numéro")
    objet = models.TextField("objet de l'avenant", blank=True)
    epcis = models.ManyToManyField(
        "referentiel.EPCI", blank=True, related_name="+", verbose_name="EPCI ajoutées"
    )

    class Meta:
        ordering = ["contrat", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["contrat", "numero"], name="avenant_numero_unique")
        ]

    def __str__(self) -> str:
        return f"Avenant n° {self.numero} — {self.contrat.territoire}"

    @property
    def le_territoire(self):
        return self.contrat.territoire

    @property
    def titre(self) -> str:
        return (
            f"Avenant n° {self.numero} au contrat du Territoire d'industrie "
            f"{self.contrat.territoire.nom}"
        )


class FicheAnnexee(models.Model):
    """A fiche annexed to the contract, by the contract itself or by one of its avenants."""

    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="annexes")
    avenant = models.ForeignKey(
        Avenant, null=True, blank=True, on_delete=models.CASCADE, related_name="annexes"
    )
    fiche = models.ForeignKey(
        "fiches.FicheAction", on_delete=models.PROTECT, related_name="annexe_contrat"
    )
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fiche__numero"]
        verbose_name = "fiche annexée"
        verbose_name_plural = "fiches annexées"
        constraints = [
            # A fiche is inscribed once, in one document (FAQ §4.6).
            models.UniqueConstraint(fields=["fiche"], name="fiche_annexee_une_fois"),
        ]

    def __str__(self) -> str:
        return f"{self.fiche} en annexe"


class ModificationFiche(models.Model):
    """An avenant changes a fiche already annexed (schedule, partners, financing…)."""

    avenant = models.ForeignKey(Avenant, on_delete=models.CASCADE, related_name="modifications")
    fiche = models.ForeignKey("fiches.FicheAction", on_delete=models.PROTECT, related_name="+")
    objet = models.TextField("ce que l'avenant modifie")

    class Meta:
        ordering = ["fiche__numero"]
        constraints = [
            models.UniqueConstraint(fields=["avenant", "fiche"], name="modification_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fiche} modifiée par {self.avenant}"


class Signataire(models.Model):
    """One party signing one document; the signature is dated, null until signed."""

    protocole = models.ForeignKey(
        Protocole, null=True, blank=True, on_delete=models.CASCADE, related_name="signataires"
    )
    contrat = models.ForeignKey(
        Contrat, null=True, blank=True, on_delete=models.CASCADE, related_name="signataires"
    )
    avenant = models.ForeignKey(
        Avenant, null=True, blank=True, on_delete=models.CASCADE, related_name="signataires"
    )
    nature = models.CharField(max_length=20, choices=NatureSignataire.choices)
    organisation = models.ForeignKey(
        "comptes.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "referentiel.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="région",
    )
    epci = models.ForeignKey(
        "referentiel.EPCI",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="EPCI",
    )
    nom = models.CharField("nom du signataire", max_length=200)
    qualite = models.CharField("qualité", max_length=200)
    # The State signs through its préfet; a minister signs only exceptionally, at a visit or
    # an event, and the reason is recorded, shown on the page and in the documents (FAQ §4.3).
    motif_ministre = models.TextField(
        "motif de la signature par un ministre",
        blank=True,
        help_text="Exception à la signature par le préfet (FAQ §4.3) : déplacement, événement…",
    )
    signe_le = models.DateField("signé le", null=True, blank=True)
    # Who recorded the signature on the platform (the team or the State), not who signed.
    signature_par = models.ForeignKey(
        "comptes.Utilisateur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="signature enregistrée par",
    )

    class Meta:
        ordering = ["nature", "nom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(protocole__isnull=False, contrat__isnull=True, avenant__isnull=True)
                | Q(protocole__isnull=True, contrat__isnull=False, avenant__isnull=True)
                | Q(protocole__isnull=True, contrat__isnull=True, avenant__isnull=False),
                name="signataire_un_seul_document",
            ),
            models.CheckConstraint(
                condition=~Q(nature=NatureSignataire.PRESIDENT_REGION) | Q(region__isnull=False),
                name="signataire_region_precisee",
            ),
            models.CheckConstraint(
                condition=~Q(nature=NatureSignataire.PRESIDENT_EPCI) | Q(epci__isnull=False),
                name="signataire_epci_precise",
            ),
            models.CheckConstraint(
                condition=~Q(nature=NatureSignataire.MINISTRE) | ~Q(motif_ministre=""),
                name="signataire_ministre_motive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nom}, {self.qualite}"

    @property
    def document(self):
        return self.protocole or self.contrat or self.avenant

    @property
    def exception_ministre(self) -> bool:
        """The State signs through a minister instead of its préfet (FAQ §4.3)."""
        return self.nature == NatureSignataire.MINISTRE

    @property
    def mention_exception(self) -> str:
        """What the page and the documents say of a minister signing for the State."""
        if not self.exception_ministre:
            return ""
        return (
            "Exception : l'État signe par un ministre et non par le préfet (FAQ §4.3). "
            f"Motif : {self.motif_ministre}"
        )

    def clean(self):
        if self.exception_ministre and not self.motif_ministre.strip():
            raise ValidationError(
                {
                    "motif_ministre": "Pour l'État, le contrat est signé par le préfet ; un "
                    "ministre ne signe qu'exceptionnellement (FAQ §4.3) : donnez-en le motif "
                    "(déplacement, événement…)."
                }
            )
        if self.nature == NatureSignataire.PRESIDENT_REGION and not self.region_id:
            raise ValidationError({"region": "Précisez la région dont le président signe."})
        if self.nature == NatureSignataire.PRESIDENT_EPCI and not self.epci_id:
            raise ValidationError({"epci": "Précisez l'intercommunalité dont le président signe."})


class AccordSansReunion(models.Model):
    """Without a meeting of the regional COPIL, a contract or an avenant is validated on the
    agreement of the Région and of the parties concerned (FAQ §4.2): one agreement per
    signatory of the document (a Région's through its president's line), who gave it, when.
    Written by contrats.cycle alone, in the transaction of the validation."""

    signataire = models.OneToOneField(
        Signataire, on_delete=models.CASCADE, related_name="accord", verbose_name="partie"
    )
    donne_par = models.CharField(
        "accord donné par",
        max_length=200,
        help_text="La personne qui a donné l'accord de la partie : nom et qualité.",
    )
    donne_le = models.DateField("accord donné le")
    enregistre_par = models.ForeignKey(
        "comptes.Utilisateur", on_delete=models.PROTECT, related_name="+"
    )
    enregistre_le = models.DateTimeField("enregistré le", default=timezone.now)

    class Meta:
        ordering = ["signataire__nature", "signataire__nom"]
        verbose_name = "accord sans réunion"
        verbose_name_plural = "accords sans réunion"

    def __str__(self) -> str:
        return f"Accord de {self.signataire} donné par {self.donne_par}"


class TransitionQuerySet(models.QuerySet):
    def historique(self):
        """In the order they were recorded, the order of the path (each move needs the state
        the previous one left), with who recorded them and the decision: the document's page
        lists them (document.transitions.historique)."""
        return self.select_related("par__personne", "decision").order_by("le", "id")


class TransitionContrat(models.Model):
    """One move of a protocol, a contract or an avenant on its path: who recorded it, when,
    from which state to which, on which decision, why. Written by contrats.cycle alone, in the
    transaction of the move; never changed afterwards."""

    protocole = models.ForeignKey(
        Protocole, null=True, blank=True, on_delete=models.CASCADE, related_name="transitions"
    )
    contrat = models.ForeignKey(
        Contrat, null=True, blank=True, on_delete=models.CASCADE, related_name="transitions"
    )
    avenant = models.ForeignKey(
        Avenant, null=True, blank=True, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(max_length=30, choices=ActionDocument.choices)
    etat_avant = models.CharField(max_length=10, choices=EtatDocument.choices)
    etat_apres = models.CharField(max_length=10, choices=EtatDocument.choices)
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField("enregistré le", default=timezone.now)
    date_effet = models.DateField("date de l'acte")
    motif = models.TextField(blank=True)
    decision = models.ForeignKey(
        "territoires.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["le", "id"]
        verbose_name = "mouvement d'un document"
        verbose_name_plural = "mouvements des documents"
        constraints = [
            models.CheckConstraint(
                condition=Q(protocole__isnull=False, contrat__isnull=True, avenant__isnull=True)
                | Q(protocole__isnull=True, contrat__isnull=False, avenant__isnull=True)
                | Q(protocole__isnull=True, contrat__isnull=True, avenant__isnull=False),
                name="transition_contrat_un_seul_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} : {self.etat_avant} → {self.etat_apres}"

    @property
    def document(self):
        return self.protocole or self.contrat or self.avenant
