"""Access matrix for contracts, generated from the roles: persona × contract × channel (the
document's page, its DOCX, its PDF). Expected outcomes come from the rule table below (FAQ
§3.3, §4.2 and the documented intent: a draft is seen where one works, a signed contract is
public, its secrets left out for everyone), never from contrats.permissions itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from comptes.enums import Role
from contrats import cycle, services
from fiches.tests.fabriques import bpi
from territoires.selectors import vue_territoire

from .fabriques import (
    MONTANT_PUBLIC,
    MONTANT_SECRET,
    J,
    contrat_pret,
    personne,
    retenue,
    signataires_requis,
    territoire,
)

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
# A territory has one contract: the draft is 8401's, the signed one 8408's (both région 84).
OBJETS = ("brouillon_8401", "signe_8408")
CANAUX = ("page", "docx", "pdf")

# Who sees a draft contract: whoever works on its territory (its team, its State referent,
# its committee's members), the Région's pilot and its operators' referents, the national
# delegation; nobody else, not even anonymously (404, existence not disclosed). A signed
# contract is public (FAQ §4.2 ends with the signatures), its secrets left out for everyone.
VOIT_BROUILLON_8401 = {
    "national",
    "pilote_84",
    "etat_8401",
    "chef_8401",
    "membre_comite_8401",
    "bpi_84",
}
# On a draft, the team writes (FAQ §5.3), the State's referent and the Région's pilot
# validate (FAQ §3.3, §4.2).
REDIGE_BROUILLON_8401 = {"chef_8401"}
VALIDE_BROUILLON_8401 = {"etat_8401", "pilote_84"}
SECRET_DESCRIPTION = "Procédé breveté confidentiel."


def voit(persona: str, objet: str) -> bool:
    return objet == "signe_8408" or persona in VOIT_BROUILLON_8401


CAS = [
    pytest.param(p, o, canal, id=f"{p}-{o}-{canal}")
    for p in PERSONAS
    for o in OBJETS
    for canal in CANAUX
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
    p = {
        "chef": comptes["chef_8401"],
        "chef8408": comptes["chef_8408"],
        "pilote": comptes["pilote_84"],
        "bpi": comptes["bpi_84"],
    }
    brouillon = contrat_pret(p)
    t8 = territoire("8408")
    signe = services.creer_contrat(
        user=p["chef8408"],
        territoire=t8,
        donnees={"enjeux": "Enjeux de la plasturgie.", "plan_actions": "Le plan."},
        epcis=[e.siren for e in vue_territoire(t8).epcis],
    )
    cycle.annexer(user=p["chef8408"], document=signe, fiche=retenue(p, code="8408", n=2))
    signataires_requis(p["chef8408"], signe, t8)
    cycle.valider(user=p["pilote"], document=signe, date=J - timedelta(days=3))
    for s in signe.signataires.all():
        cycle.signer(user=p["chef8408"], signataire=s, date=J)
    signe.refresh_from_db()
    assert brouillon.brouillon and signe.date_signature == J
    return comptes, {"brouillon_8401": brouillon, "signe_8408": signe}


def _chiffres(texte: str) -> str:
    """The text with every kind of space removed, so amounts read as bare digits."""
    return re.sub(r"[\s\u00a0\u202f]", "", texte)


def _texte(canal: str, contenu: bytes) -> str:
    if canal == "page":
        return unescape(re.sub(r"<[^>]+>", " ", contenu.decode()))
    if canal == "docx":
        with zipfile.ZipFile(io.BytesIO(contenu)) as z:
            xml = "".join(
                z.read(n).decode()
                for n in z.namelist()
                if n.startswith("word/") and n[-4:] == ".xml"
            )
        return unescape(re.sub(r"<[^>]+>", "", xml))
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)


def _url(canal: str, c) -> str:
    if canal == "page":
        return reverse("contrats:document", args=["contrat", c.pk])
    return reverse("contrats:telecharger", args=["contrat", c.pk, canal])


@pytest.mark.parametrize(("persona", "objet", "canal"), CAS)
def test_matrice_contrats(client, monde, persona, objet, canal):
    comptes, objets = monde
    c = objets[objet]
    if PERSONAS[persona] is not None:
        client.force_login(comptes[persona])
    r = client.get(_url(canal, c))
    if not voit(persona, objet):
        assert r.status_code == 404
        assert c.titre not in unescape(r.content.decode(errors="replace"))
        return
    assert r.status_code == 200
    if canal == "docx":
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    elif canal == "pdf":
        assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    texte = _texte(canal, r.content)
    # The secret amount and the secret description are left out for everyone, whoever asks.
    assert str(int(MONTANT_SECRET)) not in _chiffres(texte)
    assert SECRET_DESCRIPTION not in texte
    if canal == "page":
        html = r.content.decode()
        assert c.titre in unescape(html)
        brouillon = objet == "brouillon_8401"
        modifier = reverse("contrats:modifier", args=["contrat", c.pk])
        valider = reverse("contrats:valider", args=["contrat", c.pk])
        assert (modifier in html) == (brouillon and persona in REDIGE_BROUILLON_8401)
        assert (valider in html) == (brouillon and persona in VALIDE_BROUILLON_8401)
    else:
        # The same reading finds the public amount: the absence above is not an artefact.
        assert str(int(MONTANT_PUBLIC)) in _chiffres(texte)
        assert c.territoire.nom.split(" ")[0] in texte


def test_la_matrice_contrats_a_la_taille_que_la_table_implique():
    assert len(PERSONAS) == 9 and len(OBJETS) == 2 and len(CANAUX) == 3
    assert len(CAS) == len(PERSONAS) * len(OBJETS) * len(CANAUX) == 54
    assert len({c.id for c in CAS}) == len(CAS)
    [parametrage] = [m for m in test_matrice_contrats.pytestmark if m.name == "parametrize"]
    assert len(parametrage.args[1]) == len(CAS)
    vus = Counter(o for p in PERSONAS for o in OBJETS if voit(p, o))
    # 6 of 9 personas see the draft (not the anonymous, the roleless, 8408's chef); all nine
    # see the signed contract.
    assert vus == {"brouillon_8401": 6, "signe_8408": 9}
    assert REDIGE_BROUILLON_8401 <= VOIT_BROUILLON_8401
    assert VALIDE_BROUILLON_8401 <= VOIT_BROUILLON_8401
