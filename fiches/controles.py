"""Checks of a fiche's financing plan against the rules of the panier de services and EU
state aid (FAQ §4.1, §5). Each check gives its figures; pages show them to those who may
read the amounts, and the bare finding to others (the amounts are secret, FAQ §7.3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from comptes.enums import TypeOrganisation

from .enums import StatutLigne
from .models import FicheAction, LigneFinancement

# EU de minimis aid to one undertaking over three rolling years: EUR 300,000 under
# regulation 2023/2831 (from 1 January 2024), EUR 200,000 under 1407/2013 before.
DE_MINIMIS_2024 = Decimal("300000")
DE_MINIMIS_AVANT_2024 = Decimal("200000")
BASCULE_DE_MINIMIS = Date(2024, 1, 1)
ACCORDEES = (StatutLigne.ACCORDE, StatutLigne.PAYE)


@dataclass
class Controle:
    code: str
    message: str  # without amounts: safe for anyone who sees the fiche
    chiffres: dict[str, str] = field(default_factory=dict)  # the figures behind it


def euros(x) -> str:
    return f"{Decimal(x):,.0f} €".replace(",", "\u202f")


def pourcent(x) -> str:
    return f"{Decimal(x).normalize():f} %".replace(".", ",")


def plafond_de_minimis(d: Date) -> Decimal:
    return DE_MINIMIS_2024 if d >= BASCULE_DE_MINIMIS else DE_MINIMIS_AVANT_2024


def trois_ans_avant(d: Date) -> Date:
    try:
        return d.replace(year=d.year - 3)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 3, day=28)


def controler(fiche: FicheAction, today: Date | None = None) -> list[Controle]:
    today = today or timezone.localdate()
    lignes = list(fiche.lignes.select_related("mesure", "financeur"))
    out: list[Controle] = []
    out += _somme(fiche, lignes)
    for ligne in lignes:
        out += _mesure(fiche, ligne, today)
    out += de_minimis(fiche, lignes, today)
    return out


def _somme(fiche, lignes) -> list[Controle]:
    if fiche.cout_total is None or not lignes:
        return []
    total = sum((li.montant for li in lignes if li.statut != StatutLigne.REFUSE), Decimal(0))
    if total == fiche.cout_total:
        return []
    ecart = total - fiche.cout_total
    sens = "dépassent" if ecart > 0 else "ne couvrent pas"
    return [
        Controle(
            "somme_lignes",
            f"Les lignes du plan de financement {sens} le coût total de la fiche.",
            {
                "coût total": euros(fiche.cout_total),
                "somme des lignes": euros(total),
                "écart": euros(ecart),
            },
        )
    ]


def _mesure(fiche, ligne: LigneFinancement, today) -> list[Controle]:
    m = ligne.mesure
    if m is None:
        return []
    out = []
    if m.taux_max is not None and fiche.cout_total:
        taux = ligne.montant / fiche.cout_total * 100
        if taux > m.taux_max:
            out.append(
                Controle(
                    "taux_mesure",
                    f"La mesure « {m.nom} » finance au plus {pourcent(m.taux_max)} : "
                    "le taux est dépassé.",
                    {
                        "montant": euros(ligne.montant),
                        "coût total": euros(fiche.cout_total),
                        "taux": pourcent(round(taux, 1)),
                        "taux maximal": pourcent(m.taux_max),
                    },
                )
            )
    if m.plafond is not None and ligne.montant > m.plafond:
        out.append(
            Controle(
                "plafond_mesure",
                f"La mesure « {m.nom} » est plafonnée : le plafond est dépassé.",
                {"montant": euros(ligne.montant), "plafond": euros(m.plafond)},
            )
        )
    if not m.eligible(fiche.porteur.type):
        out.append(
            Controle(
                "porteur_eligible",
                f"Un porteur de type « {fiche.porteur.get_type_display()} » n'est pas éligible à "
                f"la mesure « {m.nom} ».",
                {
                    "porteurs éligibles": ", ".join(
                        TypeOrganisation(t).label for t in m.types_porteurs
                    )
                },
            )
        )
    quand = ligne.demande_le or today
    if not m.valide_le(quand):
        out.append(
            Controle(
                "mesure_valide",
                f"La mesure « {m.nom} » n'est pas ouverte au {quand:%d/%m/%Y}.",
            )
        )
    if m.axes and fiche.axe not in m.axes:
        out.append(
            Controle(
                "axe_mesure",
                f"La mesure « {m.nom} » ne relève pas de l'axe de la fiche.",
            )
        )
    return out


def de_minimis(fiche, lignes, today) -> list[Controle]:
    """De minimis aid to one firm (by SIREN) across all fiches, over three rolling years."""
    porteur = fiche.porteur
    if porteur.type != TypeOrganisation.ENTREPRISE or not porteur.siren:
        return []
    aides = LigneFinancement.objects.filter(de_minimis=True, fiche__porteur__siren=porteur.siren)
    out = []
    # Every aid granted, checked at its own date against the ceiling then in force.
    for d in sorted({li.decide_le for li in aides.filter(statut__in=ACCORDEES)}):
        cumul = aides.filter(
            statut__in=ACCORDEES, decide_le__gt=trois_ans_avant(d), decide_le__lte=d
        ).aggregate(s=Sum("montant"))["s"]
        if cumul > plafond_de_minimis(d):
            out.append(
                Controle(
                    "de_minimis",
                    f"Les aides de minimis accordées à l'entreprise (SIREN {porteur.siren}) "
                    f"dépassent le plafond sur trois ans glissants au {d:%d/%m/%Y}.",
                    {"cumul sur 3 ans": euros(cumul), "plafond": euros(plafond_de_minimis(d))},
                )
            )
            break
    # And what is asked now, were it all granted today.
    demandes = sum(
        (li.montant for li in lignes if li.de_minimis and li.statut == StatutLigne.DEMANDE),
        Decimal(0),
    )
    if demandes:
        accorde = aides.filter(
            statut__in=ACCORDEES, decide_le__gt=trois_ans_avant(today)
        ).aggregate(s=Sum("montant"))["s"] or Decimal(0)
        if accorde + demandes > plafond_de_minimis(today):
            out.append(
                Controle(
                    "de_minimis",
                    f"Accorder les aides demandées ferait dépasser à l'entreprise (SIREN "
                    f"{porteur.siren}) le plafond de minimis sur trois ans glissants.",
                    {
                        "déjà accordé sur 3 ans": euros(accorde),
                        "demandé": euros(demandes),
                        "plafond": euros(plafond_de_minimis(today)),
                    },
                )
            )
    return out
