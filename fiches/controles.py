"""Checks of a fiche's financing plan against the rules of the panier de services and EU
state aid (FAQ §4.1, §5). Each check gives its figures; `lisibles()` gives them to those who
may read the amounts, and the bare finding to others (the amounts are secret, FAQ §7.3).

Measures of phase 2 may also require, for a private firm, the agreement of the territory's
governance, and exclude firms in difficulty under the EU block exemption (the Fonds vert axis
« Territoires d'industrie en transition écologique », 2024): both read here from the measure's
rules, the firm's declaration and the decisions of the territory's local committee."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date as Date
from decimal import Decimal

from django.utils import timezone

from comptes.enums import TypeOrganisation
from comptes.models import ProfilEntreprise
from comptes.permissions import Contexte, peut_lire_secrets
from comptes.secrets import total
from gouvernance.enums import TypeComite
from gouvernance.models import DecisionReunion
from referentiel import formats

from .enums import Avis, StatutLigne
from .models import FicheAction, LigneFinancement, Transition

# EU de minimis aid to one undertaking over three rolling years: EUR 300,000 under
# regulation 2023/2831 (from 1 January 2024), EUR 200,000 under 1407/2013 before.
DE_MINIMIS_2024 = Decimal("300000")
DE_MINIMIS_AVANT_2024 = Decimal("200000")
BASCULE_DE_MINIMIS = Date(2024, 1, 1)
ACCORDEES = (StatutLigne.ACCORDE,)


@dataclass
class Controle:
    code: str
    message: str  # without amounts: safe for anyone who sees the fiche
    chiffres: dict[str, str] | None = field(default_factory=dict)  # the figures behind it
    # The lines whose amounts add up in the figures when they reach beyond this fiche (de
    # minimis: the firm's aid on all its fiches, some of which the reader may not know of).
    cumul: list[LigneFinancement] = field(default_factory=list, repr=False)
    motif: str = ""  # why the figures are withheld from this reader


MOTIF_SECRET = "secret industriel"
# Findings that tell a firm's own situation (its declaration under the RGEC): the finding
# itself is the secret, so it reaches only those who may read the fiche's secrets (§7.3).
SITUATION_ENTREPRISE = {"entreprise_en_difficulte", "difficulte_non_declaree"}


def lisibles(
    user, fiche: FicheAction, controles: list[Controle], *, ctx: Contexte | None = None
) -> list[Controle]:
    """The checks as this person may read them: the finding (but a firm's own situation only
    to those who may read its secrets); the figures (None
    otherwise) to those who may read the fiche's amounts, and when they add up amounts of
    other fiches, only if comptes.secrets lets that total through (one firm: only to
    someone who may read each amount in it). `ctx`: the fiche's access context, if known."""
    lecteur = peut_lire_secrets(user, fiche, ctx)

    def entreprise(_ligne):
        return fiche.porteur.siren  # a cumul is the aid to one firm

    out = []
    for c in controles:
        if c.code in SITUATION_ENTREPRISE and not lecteur:
            continue
        motif = "" if lecteur else MOTIF_SECRET
        if not motif and c.cumul:
            motif = total(user, c.cumul, "montant", unite=entreprise).motif
        out.append(replace(c, chiffres=None if motif else c.chiffres, motif=motif))
    return out


def euros(x) -> str:
    return formats.euros(x, 0)  # the checks' figures, to the euro


pourcent = formats.pourcent


def plafond_de_minimis(d: Date) -> Decimal:
    return DE_MINIMIS_2024 if d >= BASCULE_DE_MINIMIS else DE_MINIMIS_AVANT_2024


def trois_ans_avant(d: Date) -> Date:
    try:
        return d.replace(year=d.year - 3)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 3, day=28)


def controler(fiche: FicheAction, today: Date | None = None, lignes=None) -> list[Controle]:
    """`lignes`: the fiche's lines already read (with their measure and funder), if any."""
    today = today or timezone.localdate()
    if lignes is None:
        lignes = list(fiche.lignes.select_related("mesure", "financeur"))
    out: list[Controle] = []
    out += _somme(fiche, lignes)
    for ligne in lignes:
        out += _mesure(fiche, ligne, today)
    out += de_minimis(fiche, lignes, today)
    # Two lines on the same measure make the same finding (same figures) once.
    uniques: dict[tuple, Controle] = {}
    for c in out:
        uniques.setdefault((c.code, c.message, tuple(c.chiffres.items())), c)
    return list(uniques.values())


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
    """The rules of the line's measure: rate and ceiling, bearer, dates and axis, then what
    the measure asks of a firm."""
    m = ligne.mesure
    if m is None:
        return []
    out = _montants_de_la_mesure(fiche, ligne, m)
    out += _conditions_de_la_mesure(fiche, ligne, m, today)
    if fiche.porteur.type == TypeOrganisation.ENTREPRISE:
        out += _mesure_pour_une_entreprise(fiche, m)
    return out


def _montants_de_la_mesure(fiche, ligne: LigneFinancement, m) -> list[Controle]:
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
    return out


def _conditions_de_la_mesure(fiche, ligne: LigneFinancement, m, today) -> list[Controle]:
    out = []
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
        le = "la priorité" if fiche.nom_classement == "priorité" else "l'axe"
        out.append(
            Controle(
                "axe_mesure",
                f"La mesure « {m.nom} » ne relève pas de {le} de la fiche.",
            )
        )
    return out


def _mesure_pour_une_entreprise(fiche, m) -> list[Controle]:
    """The governance's agreement and the RGEC's exclusion, for the measures that ask them."""
    out = []
    if m.accord_gouvernance and not accord_de_la_gouvernance(fiche):
        out.append(
            Controle(
                "accord_gouvernance",
                f"Une entreprise n'est éligible à la mesure « {m.nom} » qu'avec l'accord "
                "de la gouvernance du territoire : aucune décision favorable du comité de "
                "projet du territoire sur cette fiche n'est enregistrée en réunion.",
            )
        )
    if m.exclut_entreprises_en_difficulte:
        out += _difficulte(fiche, m)
    return out


def accord_de_la_gouvernance(fiche: FicheAction) -> bool:
    """The territory's governance agreed to the fiche: the last opinion of its local project
    committee (comité de suivi once the contract is signed) is favourable and rests on a
    decision taken in a meeting of that committee (gouvernance.DecisionReunion), not on a
    mere summary typed on the fiche."""
    dernier = (
        Transition.objects.filter(fiche=fiche, action="avis_local")
        .order_by("-date_effet", "-id")
        .values("avis", "decision_id")
        .first()
    )
    if not dernier or dernier["avis"] != Avis.FAVORABLE or not dernier["decision_id"]:
        return False
    return DecisionReunion.objects.filter(
        decision_id=dernier["decision_id"],
        reunion__comite__type=TypeComite.COMITE_LOCAL,
        reunion__comite__territoire_id=fiche.territoire_id,
    ).exists()


def _difficulte(fiche: FicheAction, m) -> list[Controle]:
    """No aid to a firm in difficulty under art. 2.18 of the RGEC: read from the firm's own
    dated declaration; without one, the check cannot conclude and says so."""
    profil = ProfilEntreprise.objects.filter(organisation_id=fiche.porteur_id).first()
    if profil is None or profil.en_difficulte is None:
        return [
            Controle(
                "difficulte_non_declaree",
                f"La mesure « {m.nom} » exclut les entreprises en difficulté au sens du RGEC : "
                "l'entreprise porteuse n'a pas déclaré sa situation.",
            )
        ]
    if not profil.en_difficulte:
        return []
    return [
        Controle(
            "entreprise_en_difficulte",
            f"L'entreprise porteuse est exclue de la mesure « {m.nom} » : elle s'est déclarée "
            "en difficulté au sens du RGEC (article 2.18), et aucune aide de cette mesure ne "
            "peut être accordée à une entreprise en difficulté.",
            {"déclarée le": f"{profil.en_difficulte_declare_le:%d/%m/%Y}"}
            if profil.en_difficulte_declare_le
            else {},
        )
    ]


def de_minimis(fiche, lignes, today) -> list[Controle]:
    """De minimis aid to one firm (by SIREN) across all fiches, over three rolling years."""
    porteur = fiche.porteur
    if porteur.type != TypeOrganisation.ENTREPRISE or not porteur.siren:
        return []
    accordees = list(
        LigneFinancement.objects.filter(
            de_minimis=True, fiche__porteur__siren=porteur.siren, statut__in=ACCORDEES
        ).select_related("fiche__territoire")
    )
    out = []
    # Every aid granted, checked at its own date against the ceiling then in force.
    for d in sorted({li.decide_le for li in accordees}):
        fenetre = [li for li in accordees if trois_ans_avant(d) < li.decide_le <= d]
        cumul = sum((li.montant for li in fenetre), Decimal(0))
        if cumul > plafond_de_minimis(d):
            out.append(
                Controle(
                    "de_minimis",
                    f"Les aides de minimis accordées à l'entreprise (SIREN {porteur.siren}) "
                    f"dépassent le plafond sur trois ans glissants au {d:%d/%m/%Y}.",
                    {"cumul sur 3 ans": euros(cumul), "plafond": euros(plafond_de_minimis(d))},
                    cumul=fenetre,
                )
            )
            break
    # And what is asked now, were it all granted today.
    demandees = [li for li in lignes if li.de_minimis and li.statut == StatutLigne.DEMANDE]
    demandes = sum((li.montant for li in demandees), Decimal(0))
    if demandes:
        fenetre = [li for li in accordees if li.decide_le > trois_ans_avant(today)]
        accorde = sum((li.montant for li in fenetre), Decimal(0))
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
                    cumul=fenetre + demandees,
                )
            )
    return out
