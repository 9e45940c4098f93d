"""A small programme on known dates, built row by row (no lifecycle): two funders (Bpifrance,
Banque des territoires), two régions (84: ti-8401 and ti-8413; 27: ti-2704), three firms
whose amounts are secret, two communes whose amounts are public.

- A, ti-8401, firm F1, in instruction: Bpifrance 100 000,00 requested 10/01/2025, granted
  10/03/2025, committed 09/04/2025, paid 40 000 on 09/05/2025 and 60 000 on 08/07/2025;
- B, ti-8401, firm F2, in instruction: Banque des territoires 80 000,50 requested 01/02/2025,
  granted 02/05/2025, not committed;
- C, ti-8413, a commune, inscribed: Bpifrance 30 000 requested 04/11/2024, granted 04/12/2024,
  committed 13/01/2025, paid 10 000 on 02/02/2025, reduced by 5 000 on 01/03/2025; Banque des
  territoires 20 000 refused on 20/12/2024;
- D, ti-2704, firm F3, in instruction since 20/03/2025: Bpifrance 60 000 requested
  03/03/2025, undecided;
- E, ti-2704, a commune, inscribed: Banque des territoires 45 000,25 requested 01/10/2024,
  granted 15/01/2025, committed 14/02/2025, paid on 16/03/2025;
- G, ti-8401, a commune, submitted on 20/05/2025: Banque des territoires 10 000;
- H, ti-8401, a commune, draft: Bpifrance 999 999 (never counted).

A and B carry the firm's own money (50 000 and 20 000, secret), C the commune's (50 000).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from comptes.enums import Role, TypeOrganisation
from comptes.models import Organisation
from comptes.tests.fabriques import personne
from fiches.enums import Etat, StatutLigne
from fiches.models import FicheAction, LigneFinancement, Transition
from fiches.tests.fabriques import bdt, bpi, entreprise_de
from financements.models import Ajustement, Engagement, Paiement
from territoires.selectors import communes_du_territoire
from territoires.tests.fabriques import t2

SECRET = ["montant"]


def _fiche(t, numero, porteur, etat, axe="innovation", cout=None):
    return FicheAction.objects.create(
        territoire=t,
        numero=numero,
        titre=f"Fiche {numero}",
        axe=axe,
        porteur=porteur,
        etat=etat,
        cout_total=cout,
        champs_secrets=["cout_total"] if porteur.type == TypeOrganisation.ENTREPRISE else [],
    )


def _ligne(fiche, financeur, montant, statut=StatutLigne.DEMANDE, demande=None, decide=None):
    secret = SECRET if fiche.porteur.type == TypeOrganisation.ENTREPRISE else []
    return LigneFinancement.objects.create(
        fiche=fiche,
        financeur=financeur,
        section="investissement",
        montant=D(montant),
        statut=statut,
        demande_le=demande,
        decide_le=decide,
        champs_secrets=secret,
    )


def _engager(ligne, jour, montant, par):
    return Engagement.objects.create(ligne=ligne, date=jour, montant=D(montant), par=par)


def _payer(engagement, jour, montant, par):
    return Paiement.objects.create(engagement=engagement, date=jour, montant=D(montant), par=par)


def _transition(fiche, vers, jour, par, avant=Etat.BROUILLON):
    Transition.objects.create(
        fiche=fiche, action="essai", etat_avant=avant, etat_apres=vers, par=par, date_effet=jour
    )


def _commune(t, nom):
    return Organisation.objects.create(
        nom=nom, type=TypeOrganisation.COMMUNE, commune=communes_du_territoire(t).first()
    )


def construire() -> dict:
    t8401, t8413, t2704 = t2("ti-8401"), t2("ti-8413"), t2("ti-2704")
    w = {"t8401": t8401, "t8413": t8413, "t2704": t2704, "bpi": bpi(), "bdt": bdt()}
    w["national"] = personne("national@exemple.fr", Role.NATIONAL)
    w["pilote84"] = personne("pilote84@exemple.fr", Role.PILOTE_REGION, region_id="84")
    w["pilote27"] = personne("pilote27@exemple.fr", Role.PILOTE_REGION, region_id="27")
    w["chef2704"] = personne("chef2704@exemple.fr", Role.CHEF_PROJET, territoire=t2704)
    w["chef8401"] = personne("chef8401@exemple.fr", Role.CHEF_PROJET, territoire=t8401)
    w["referent_bpi"] = personne(
        "bpi@exemple.fr", Role.REFERENT_OPERATEUR, organisation=w["bpi"], region_id="84"
    )
    par = w["national"]
    f1, f2, f3 = entreprise_de(t8401, 1), entreprise_de(t8401, 2), entreprise_de(t2704, 3)
    w.update(f1=f1, f2=f2, f3=f3)
    c84, c27 = _commune(t8413, "Commune d'Oyonnax"), _commune(t2704, "Commune de Chalon")

    a = _fiche(t8401, 1, f1, Etat.INSTRUCTION, cout=D("150000"))
    la = _ligne(a, w["bpi"], "100000", StatutLigne.ACCORDE, date(2025, 1, 10), date(2025, 3, 10))
    _ligne(a, f1, "50000", demande=date(2025, 1, 10))
    ea = _engager(la, date(2025, 4, 9), "100000", par)
    _payer(ea, date(2025, 5, 9), "40000", par)
    _payer(ea, date(2025, 7, 8), "60000", par)

    b = _fiche(t8401, 2, f2, Etat.INSTRUCTION, axe="transition")
    w["ligne_b"] = _ligne(
        b, w["bdt"], "80000.50", StatutLigne.ACCORDE, date(2025, 2, 1), date(2025, 5, 2)
    )
    _ligne(b, f2, "20000", demande=date(2025, 2, 1))

    c = _fiche(t8413, 1, c84, Etat.INSCRITE, axe="competences")
    lc = _ligne(c, w["bpi"], "30000", StatutLigne.ACCORDE, date(2024, 11, 4), date(2024, 12, 4))
    _ligne(c, w["bdt"], "20000", StatutLigne.REFUSE, date(2024, 11, 4), date(2024, 12, 20))
    _ligne(c, c84, "50000", demande=date(2024, 11, 4))
    ec = _engager(lc, date(2025, 1, 13), "30000", par)
    _payer(ec, date(2025, 2, 2), "10000", par)
    Ajustement.objects.create(
        engagement=ec,
        nature="reduction",
        date=date(2025, 3, 1),
        montant=D("5000"),
        motif="Coût moindre",
        par=par,
    )

    d = _fiche(t2704, 1, f3, Etat.INSTRUCTION)
    w["ligne_d"] = _ligne(d, w["bpi"], "60000", demande=date(2025, 3, 3))
    _transition(d, Etat.INSTRUCTION, date(2025, 3, 20), par, avant=Etat.COPIL)

    e = _fiche(t2704, 2, c27, Etat.INSCRITE, axe="foncier")
    le = _ligne(e, w["bdt"], "45000.25", StatutLigne.ACCORDE, date(2024, 10, 1), date(2025, 1, 15))
    ee = _engager(le, date(2025, 2, 14), "45000.25", par)
    _payer(ee, date(2025, 3, 16), "45000.25", par)

    g = _fiche(t8401, 3, c84, Etat.SOUMISE)
    _ligne(g, w["bdt"], "10000", demande=date(2025, 5, 20))
    _transition(g, Etat.SOUMISE, date(2025, 5, 20), par)

    h = _fiche(t8401, 4, c84, Etat.BROUILLON)
    _ligne(h, w["bpi"], "999999")
    w.update(a=a, b=b, c=c, d=d, e=e, g=g, h=h)
    return w
