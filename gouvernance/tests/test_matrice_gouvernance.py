"""Access matrix for governance objects, generated from the roles: persona × object × channel
(meeting page, its .ics file, the person's agenda feed, the perimeter request page, the CNI
versions pages). Expected outcomes come from the rule table below, written by hand from the
FAQ (§2.3, §3.3, §3.4) and the documented intent, never from gouvernance.permissions itself.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from html import unescape

import pytest
from django.shortcuts import resolve_url
from django.urls import reverse
from icalendar import Calendar

from comptes.enums import Role
from comptes.models import Personne
from fiches.tests.fabriques import bpi
from gouvernance import agenda, demandes, services, versions
from gouvernance.enums import NatureDemande
from referentiel.models import EPCI, Region
from territoires.models import Phase

from .fabriques import personne, quand, territoire

pytestmark = pytest.mark.django_db

PERSONAS = {
    "anonyme": None,
    "sans_role": {},
    "national": {"role": Role.NATIONAL},
    "pilote_84": {"role": Role.PILOTE_REGION, "region_id": "84"},
    "etat_8401": {"role": Role.REFERENT_ETAT, "t": "8401"},
    "chef_8401": {"role": Role.CHEF_PROJET, "t": "8401"},
    "membre_comite_8401": {"role": Role.MEMBRE_COMITE, "t": "8401"},
    "chef_8408": {"role": Role.CHEF_PROJET, "t": "8408"},
    "bpi_84": {"role": Role.REFERENT_OPERATEUR, "op": True, "region_id": "84"},
}

# Minutes of each past meeting: distinctive, so that finding one anywhere can only mean it leaked.
COMPTES_RENDUS = {
    "reunion_8401": "Relevé CL-8401 : fonderie de Tournon, relocalisation QX-4471 actée.",
    "reunion_8408": "Relevé CL-8408 : plasturgie d'Oyonnax, plateforme ZK-9902 actée.",
    "copil_84": "Relevé COPIL-84 : arbitrage régional WV-3318 des fiches présentées.",
}
REUNIONS = tuple(COMPTES_RENDUS)
OBJETS = (*REUNIONS, "demande_8401", "versions_cni")
CANAUX = {
    "reunion_8401": ("page", "ics", "agenda"),
    "reunion_8408": ("page", "ics", "agenda"),
    "copil_84": ("page", "ics", "agenda"),
    "demande_8401": ("page",),
    # The list of published versions (signed-in users) and one published version (public).
    "versions_cni": ("page", "version"),
}

# The rule table, one row per persona:
#   voit:  sees the object (meeting page and .ics, request page); out of scope answers 404.
#          A local committee is followed by whoever works on its territory, a Région's pilot
#          and its operators' referents following every territory of the Région; a regional
#          COPIL by the Région's pilot, its operators' referents and the people of its
#          territories, who present their fiches there (FAQ §3.3); the national delegation
#          sees everything. A perimeter request is seen by whoever follows its territory or
#          its région (FAQ §2.3: the regional COPIL decides).
#   siège: the body is in the person's agenda feed: one sits on the local committee of the
#          territory one holds a role on, the Région's pilot also on the local committees of
#          the Région's territories (FAQ §3.4), the pilot and the operators' referents of the
#          région on its COPIL; the national delegation sits on the national bodies only.
#   anime: runs the body (forms to write the minutes, to put a request on the COPIL's
#          agenda): the territory's team for its local committee, the Région's pilot for its
#          COPIL (FAQ §3.3); the State's referent follows but does not run.
V, S, A = "voit", "siège", "anime"
COLONNES = ("reunion_8401", "reunion_8408", "copil_84", "demande_8401")
T, F = True, False
TABLE = {
    #                        CL 8401  CL 8408  COPIL 84  demande 8401   (voit | siège | anime)
    "anonyme":            {V: (F, F, F, F), S: (F, F, F), A: (F, F, F)},
    "sans_role":          {V: (F, F, F, F), S: (F, F, F), A: (F, F, F)},
    "national":           {V: (T, T, T, T), S: (F, F, F), A: (F, F, F)},
    "pilote_84":          {V: (T, T, T, T), S: (T, T, T), A: (F, F, T)},
    "etat_8401":          {V: (T, F, T, T), S: (T, F, F), A: (F, F, F)},
    "chef_8401":          {V: (T, F, T, T), S: (T, F, F), A: (T, F, F)},
    "membre_comite_8401": {V: (T, F, T, T), S: (T, F, F), A: (F, F, F)},
    "chef_8408":          {V: (F, T, T, F), S: (F, T, F), A: (F, T, F)},
    "bpi_84":             {V: (T, T, T, T), S: (F, F, T), A: (F, F, F)},
}  # fmt: skip
# The national map published at a CNI is public (FAQ §2.3); the list of versions is a page of
# the governance section, for signed-in users; only the national delegation publishes one.


def voit(persona: str, objet: str) -> bool:
    return TABLE[persona][V][COLONNES.index(objet)]


def siege(persona: str, objet: str) -> bool:
    return TABLE[persona][S][REUNIONS.index(objet)]


def anime(persona: str, objet: str) -> bool:
    return TABLE[persona][A][REUNIONS.index(objet)]


CAS = [
    pytest.param(p, o, canal, id=f"{p}-{o}-{canal}")
    for p in PERSONAS
    for o in OBJETS
    for canal in CANAUX[o]
]


@pytest.fixture
def monde():
    comptes = {}
    for nom, spec in PERSONAS.items():
        if spec is None:
            continue
        scope = {}
        if "t" in spec:
            scope["territoire"] = territoire(spec["t"])
        if "region_id" in spec:
            scope["region_id"] = spec["region_id"]
        org = bpi() if spec.get("op") else None
        comptes[nom] = personne(
            f"{nom.replace('_', '.')}@exemple.fr", spec.get("role"), organisation=org, **scope
        )
    animateurs = {
        "reunion_8401": (comptes["chef_8401"], services.comite_local(territoire("8401"))),
        "reunion_8408": (comptes["chef_8408"], services.comite_local(territoire("8408"))),
        "copil_84": (
            comptes["pilote_84"],
            services.copil_regional(Region.objects.get(code="84")),
        ),
    }
    objets = {}
    for i, (nom, (user, comite)) in enumerate(animateurs.items()):
        r = services.planifier_reunion(
            user=user, comite=comite, debut=quand(2020, 2, 3 + i), lieu="Salle du conseil"
        )
        services.rediger_compte_rendu(user=user, reunion=r, texte=COMPTES_RENDUS[nom])
        objets[nom] = r
    t = territoire("8401")
    objets["demande_8401"] = demandes.deposer(
        user=comptes["chef_8401"],
        nature=NatureDemande.RETRAIT_EPCI,
        territoire=t,
        epci=EPCI.objects.get(siren="200072015"),
        demandeur_territoire=t,
        justification="Retrait demandé par l'intercommunalité.",
    )
    return comptes, objets


def _publier(comptes):
    return versions.publier_version(
        user=comptes["national"],
        nom="CNI de la matrice",
        date=date(2019, 6, 1),
        phase=Phase.objects.get(pk=1),
    )


def _uids(contenu: bytes) -> set[str]:
    return {str(e.get("uid")) for e in Calendar.from_ical(contenu).walk("VEVENT")}


def _texte_ics(contenu: bytes) -> str:
    """Every property value of the calendar, unfolded and unescaped."""
    return "\n".join(
        str(valeur)
        for composant in Calendar.from_ical(contenu).walk()
        for valeur in composant.values()
    )


def _aucun_compte_rendu(contenu: str) -> None:
    for texte in COMPTES_RENDUS.values():
        assert texte not in contenu


def _vers_connexion(r) -> None:
    assert r.status_code == 302
    assert r.url.startswith(resolve_url("comptes:connexion") + "?next=")


@pytest.mark.parametrize(("persona", "objet", "canal"), CAS)
def test_matrice_gouvernance(client, monde, persona, objet, canal):
    comptes, objets = monde
    anonyme = PERSONAS[persona] is None
    if not anonyme:
        client.force_login(comptes[persona])

    if objet in REUNIONS:
        r = objets[objet]
        cr = COMPTES_RENDUS[objet]
        if canal == "page":
            resp = client.get(reverse("gouvernance:reunion", args=[r.pk]))
            html = unescape(resp.content.decode())
            if anonyme:
                _vers_connexion(resp)
            elif voit(persona, objet):
                assert resp.status_code == 200
                assert cr in html
                # Minutes of one body never appear on another body's meeting.
                _aucun_compte_rendu(html.replace(cr, ""))
                assert ("Rédiger le compte rendu" in html) == anime(persona, objet)
            else:
                assert resp.status_code == 404
                _aucun_compte_rendu(html)
                assert r.comite.nom not in html
        elif canal == "ics":
            resp = client.get(reverse("gouvernance:reunion-ics", args=[r.pk]))
            # The meeting's file is for the signed-in (a calendar app reads the token feed).
            if anonyme:
                _vers_connexion(resp)
            elif voit(persona, objet):
                assert resp.status_code == 200
                assert resp["Content-Type"].startswith("text/calendar")
                assert _uids(resp.content) == {f"{r.uid}@{agenda.DOMAINE_UID}"}
            else:
                assert resp.status_code == 404
            # The .ics carries the agenda, never the minutes.
            _aucun_compte_rendu(resp.content.decode())
            if resp.status_code == 200:
                _aucun_compte_rendu(_texte_ics(resp.content))
        else:  # agenda
            client.logout()  # the feed is read by a calendar app, without a session
            if anonyme:
                resp = client.get(reverse("gouvernance:agenda-ics", args=["jeton-inconnu"]))
                assert resp.status_code == 404
                return
            jeton = agenda.nouveau_jeton(Personne.objects.get(compte=comptes[persona]))
            resp = client.get(reverse("gouvernance:agenda-ics", args=[jeton]))
            assert resp.status_code == 200
            uid = f"{r.uid}@{agenda.DOMAINE_UID}"
            assert (uid in _uids(resp.content)) == (voit(persona, objet) and siege(persona, objet))
            _aucun_compte_rendu(_texte_ics(resp.content))

    elif objet == "demande_8401":
        d = objets[objet]
        # A COPIL meeting exists: whoever runs it is offered to put the request on its agenda.
        resp = client.get(reverse("gouvernance:demande", args=[d.pk]))
        html = unescape(resp.content.decode())
        if anonyme:
            _vers_connexion(resp)
        elif voit(persona, objet):
            assert resp.status_code == 200
            assert "Retrait demandé par l'intercommunalité." in html
            inscrire = reverse("gouvernance:demande-inscrire", args=[d.pk])
            assert (inscrire in html) == anime(persona, "copil_84")
        else:
            assert resp.status_code == 404
            assert "Retrait demandé par l'intercommunalité." not in html
        _aucun_compte_rendu(html)

    else:  # versions_cni
        v = _publier(comptes)
        if canal == "page":
            resp = client.get(reverse("gouvernance:versions"))
            if anonyme:
                _vers_connexion(resp)
                return
            html = unescape(resp.content.decode())
            assert resp.status_code == 200
            assert v.nom in html
            assert ("Publier la version" in html) == (persona == "national")
        else:
            resp = client.get(reverse("gouvernance:version", args=[v.pk]))
            assert resp.status_code == 200
            assert v.nom in resp.content.decode()


def test_la_matrice_gouvernance_a_la_taille_que_la_table_implique():
    canaux = sum(len(c) for c in CANAUX.values())
    assert len(PERSONAS) == 9 and len(OBJETS) == 5 and canaux == 3 * 3 + 1 + 2
    assert len(CAS) == len(PERSONAS) * canaux == 108
    assert len({c.id for c in CAS}) == len(CAS)
    assert set(TABLE) == set(PERSONAS)
    [parametrage] = [m for m in test_matrice_gouvernance.pytestmark if m.name == "parametrize"]
    assert len(parametrage.args[1]) == len(CAS)
    compte = Counter()
    for p in PERSONAS:
        for o in COLONNES:
            compte["voit"] += voit(p, o)
        for o in REUNIONS:
            compte["agenda"] += voit(p, o) and siege(p, o)
            compte["anime"] += anime(p, o)
    # 6 + 4 + 7 personas see the meetings and 6 the request; 4 + 2 + 2 feeds list them.
    assert compte == {"voit": 23, "agenda": 8, "anime": 3}
    # Who runs a body sees it and sits on it.
    assert all(voit(p, o) and siege(p, o) for p in PERSONAS for o in REUNIONS if anime(p, o))
