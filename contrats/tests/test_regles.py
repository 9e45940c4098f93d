"""The rules of the contracting the platform holds (FAQ §4.2, §4.3, §4.5, §4.6), each through
the domain, the pages, the API and the documents, which give the same answer."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from comptes.services import creer_jeton
from contrats import accords, cycle, documents, services
from contrats.enums import EtatDocument, NatureSignataire
from contrats.models import AccordSansReunion, AnnexeProtocole, Protocole, Signataire
from fiches import cycle as cycle_fiches
from fiches.enums import Etat
from territoires.models import Decision, Instance, Territoire
from territoires.selectors import filtrer, vue_territoire, vues_territoires

from .fabriques import (
    MONTANT_PUBLIC,
    J,
    accords_de_tous,
    contrat_pret,
    equipe,
    personne,
    presentee_sans_montant,
    retenue,
    signataires_requis,
    signer_tout,
    territoire,
)

pytestmark = pytest.mark.django_db


def lisible(r) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", r.content.decode())).split())


def texte_docx(contenu: bytes) -> str:
    d = Document(io.BytesIO(contenu))
    morceaux = [p.text for p in d.paragraphs]
    morceaux += [c.text for t in d.tables for r in t.rows for c in r.cells]
    return " ".join(" ".join(morceaux).split())


def texte_pdf(contenu: bytes) -> str:
    lecteur = PdfReader(io.BytesIO(contenu))
    return " ".join(" ".join(p.extract_text().split()) for p in lecteur.pages)


def api(client, user, chemin: str):
    return client.get(chemin, HTTP_AUTHORIZATION=f"Bearer {creer_jeton(user)}")


# --- §4.5: a protocol carries no amount at all -----------------------------------------------


def test_protocole_sans_aucun_montant(client):
    p = equipe()
    t = territoire("8401")
    proto = services.creer_protocole(user=p["chef"], territoire=t, donnees={"ambitions": "A"})
    chiffree = presentee_sans_montant(p, titre="Navette vers les zones d'activité")
    chiffree.lignes.create(
        financeur=chiffree.porteur, section="investissement", montant=MONTANT_PUBLIC
    )
    with pytest.raises(ValidationError) as exc:
        services.annexer_au_protocole(user=p["chef"], protocole=proto, fiche=chiffree)
    message = exc.value.messages[0]
    assert message.startswith("Un protocole d'accord n'engage pas financièrement (FAQ §4.5)")
    assert f"La fiche {chiffree.reference} a un plan de financement chiffré" in message
    assert "1 ligne de financement chiffrée" in message
    # A fiche with a total cost only is refused too; a retained one with its lines as well.
    for fiche in (presentee_sans_montant(p, titre="Étude"), retenue(p)):
        if fiche.cout_total is None:
            fiche.cout_total = 50000
            fiche.save(update_fields=["cout_total"])
        with pytest.raises(ValidationError, match="plan de financement chiffré"):
            services.annexer_au_protocole(user=p["chef"], protocole=proto, fiche=fiche)
    assert not AnnexeProtocole.objects.exists()  # nothing changed
    # The page says the same, on its form, and annexes nothing.
    client.force_login(p["chef"])
    r = client.post(
        reverse("contrats:annexer", args=["protocole", proto.pk]), {"fiche": chiffree.pk}
    )
    assert r.status_code == 200 and message in lisible(r)
    assert not AnnexeProtocole.objects.exists()
    # A fiche without any amount enters, and the documents carry no euro at all.
    sans = presentee_sans_montant(p)
    services.annexer_au_protocole(user=p["chef"], protocole=proto, fiche=sans)
    for texte in (texte_docx(documents.docx(proto)), texte_pdf(documents.pdf(proto))):
        assert sans.titre in texte and "€" not in texte and "Plan de financement" not in texte


# --- §4.2: validated without a meeting, on each party's recorded agreement -------------------


def test_un_referent_seul_ne_valide_pas_sans_reunion():
    p = equipe()
    c = contrat_pret(p)
    decisions = Decision.objects.count()
    with pytest.raises(ValidationError) as exc:
        cycle.valider(user=p["etat"], document=c, reunion=False, texte="Je suis d'accord.")
    message = exc.value.messages[0]
    assert "une personne seule ne le valide pas" in message
    assert "la Région Auvergne-Rhône-Alpes" in message and "Préfète de l'Ardèche" in message
    # One party missing: refused, naming it.
    partiels = [a for a in accords_de_tous(c) if a["signataire"].nature != "president_region"]
    with pytest.raises(ValidationError, match="Accord manquant .*: la Région Auvergne-Rhône-Alpes"):
        cycle.valider(user=p["etat"], document=c, reunion=False, accords=partiels)
    # Dated: not in the future, nor after the validation.
    for le, motif in ((J + timedelta(days=1), "dans le futur"), (J, "après la validation")):
        tous = accords_de_tous(c, le=le)
        with pytest.raises(ValidationError, match=motif):
            cycle.valider(
                user=p["etat"], document=c, date=J - timedelta(days=1), reunion=False, accords=tous
            )
    c.refresh_from_db()
    assert c.etat == EtatDocument.BROUILLON and not c.transitions.exists()
    assert Decision.objects.count() == decisions and not AccordSansReunion.objects.exists()


def test_validation_sans_reunion_sur_l_accord_de_chaque_region_et_de_chaque_partie(client):
    p = equipe()
    c = contrat_pret(p)
    passe = J - timedelta(days=40)
    tous = accords_de_tous(c, le=passe)
    cycle.valider(
        user=p["etat"], document=c, date=J - timedelta(days=30), reunion=False, accords=tous
    )
    c.refresh_from_db()
    assert c.etat == EtatDocument.VALIDE and cycle.sans_reunion(c.validation)
    enregistres = AccordSansReunion.objects.filter(signataire__contrat=c)
    assert enregistres.count() == c.signataires.count() >= 3
    assert {a.donne_le for a in enregistres} == {passe}
    assert {a.enregistre_par for a in enregistres} == {p["etat"]}
    mention = accords.mention(c, sans_reunion=True)
    assert mention.startswith(
        f"Validé sans réunion du comité de pilotage régional, le {J - timedelta(days=30):%d/%m/%Y}"
    )
    assert (
        "la Région Auvergne-Rhône-Alpes : accord donné par Président 84, par courrier, "
        f"le {passe:%d/%m/%Y}" in mention
    )
    # The page, the API and both documents say it, with the same words.
    client.force_login(p["chef"])
    assert mention in lisible(client.get(reverse("contrats:document", args=["contrat", c.pk])))
    v = api(client, p["chef"], f"/api/v1/contrats/contrat/{c.pk}").json()["validation"]
    assert v["sans_reunion"] and v["mention"] == mention
    assert len(v["accords"]) == len(tous)
    assert {
        "partie": "la Région Auvergne-Rhône-Alpes",
        "donne_le": passe.isoformat(),
    }.items() <= next(a for a in v["accords"] if a["partie"].startswith("la Région")).items()
    for texte in (texte_docx(documents.docx(c)), texte_pdf(documents.pdf(c))):
        assert mention in texte


def test_un_territoire_interregional_valide_sans_reunion_sur_l_accord_de_chaque_region():
    equipe()
    vue = filtrer(vues_territoires(phase=1, avec_epcis=False), interregional=True)[0]
    t = Territoire.objects.get(pk=vue.territoire.pk)
    chef = personne("chef-inter@exemple.fr", "chef_projet", territoire=t)
    c = services.creer_contrat(
        user=chef, territoire=t, donnees={}, epcis=[vue_territoire(t).epcis[0].siren]
    )
    signataires_requis(chef, c, t)
    regions = c.signataires.filter(nature=NatureSignataire.PRESIDENT_REGION)
    assert regions.count() == len(vue.regions) >= 2
    # Only one Région agreed: the other is named as missing.
    une = [a for a in accords_de_tous(c) if a["signataire"] != regions[1]]
    with pytest.raises(ValidationError, match=f"la Région {regions[1].region.nom}"):
        accords.verifier(c, une, J)
    assert len(accords.verifier(c, accords_de_tous(c), J)) == c.signataires.count()


# --- §4.3: the State signs through its préfet; a minister is a reasoned exception -----------


def test_le_prefet_signe_pour_l_etat_un_ministre_par_exception_motivee(client):
    p = equipe()
    c = contrat_pret(p)
    c.signataires.filter(nature=NatureSignataire.PREFET).delete()
    ministre = {
        "nature": NatureSignataire.MINISTRE,
        "nom": "Le ministre",
        "qualite": "Ministre chargé de l'Industrie",
    }
    with pytest.raises(ValidationError, match="signé par le préfet ; un ministre ne signe"):
        services.ajouter_signataire(user=p["chef"], document=c, **ministre)
    client.force_login(p["chef"])
    r = client.post(reverse("contrats:signataire", args=["contrat", c.pk]), ministre)
    assert r.status_code == 200 and "donnez-en le motif" in lisible(r)
    assert not Signataire.objects.filter(nature=NatureSignataire.MINISTRE).exists()
    motif = "Déplacement du ministre pour l'inauguration du campus."
    r = client.post(
        reverse("contrats:signataire", args=["contrat", c.pk]), ministre | {"motif_ministre": motif}
    )
    assert r.status_code == 302
    s = c.signataires.get(nature=NatureSignataire.MINISTRE)
    assert s.exception_ministre and s.motif_ministre == motif
    assert cycle.signataires_requis(c) == []  # the State is there, by its exception
    # Flagged on the page, in the API and in both documents, with its reason.
    page = lisible(client.get(reverse("contrats:document", args=["contrat", c.pk])))
    # « FAQ §4.3 » is a link to the programme's text: spaces where its tag was.
    assert re.search(r"Exception \( ?FAQ §4\.3 ?\)", page) and s.mention_exception in page
    d = api(client, p["chef"], f"/api/v1/contrats/contrat/{c.pk}").json()
    [vu] = [x for x in d["signataires"] if x["nature"] == "ministre"]
    assert vu["exception_ministre"] and vu["motif_ministre"] == motif
    assert not [
        x for x in d["signataires"] if x["nature"] != "ministre" and x["exception_ministre"]
    ]
    for texte in (texte_docx(documents.docx(c)), texte_pdf(documents.pdf(c))):
        assert s.mention_exception in texte
    # A préfet carries no exception, even if a reason were typed.
    prefet = services.ajouter_signataire(
        user=p["chef"],
        document=c,
        nature=NatureSignataire.PREFET,
        nom="Préfète",
        qualite="Préfète",
        motif_ministre="sans objet",
    )
    assert not prefet.exception_ministre and prefet.motif_ministre == ""


# --- §4.6: a fiche is inscribed by the signature that annexes it ----------------------------


def test_une_fiche_n_est_inscrite_que_par_la_signature_du_document_qui_l_annexe(client):
    p = equipe()
    f = retenue(p)
    # The only move to « inscrite » is the signature's.
    vers_inscrite = [n for n, m in cycle_fiches.MOUVEMENTS.items() if m.vers == Etat.INSCRITE]
    assert vers_inscrite == ["inscrire"] and cycle_fiches.MOUVEMENTS["inscrire"].par_signature
    message = cycle_fiches.refus_par_signature(cycle_fiches.MOUVEMENTS["inscrire"])
    # Refused by the domain, a committee's decision, the page and the API, with one message.
    with pytest.raises(ValidationError, match="se fait par la signature"):
        cycle_fiches.appliquer(user=p["chef"], fiche=f, mouvement="inscrire")
    with pytest.raises(ValidationError, match="se fait par la signature"):
        cycle_fiches.appliquer_decision_de_comite(
            user=p["pilote"],
            fiche=f,
            decision=Decision.objects.create(
                date=J, instance=Instance.COPIL_REGIONAL, region_id="84"
            ),
            mouvement="inscrire",
            avis="",
            motif="",
        )
    client.force_login(p["chef"])
    r = client.post(f"/fiches/{f.uuid}/mouvement/inscrire/", {"date_effet": J.isoformat()})
    assert r.status_code == 200 and message in lisible(r)
    r = client.post(
        f"/api/v1/fiches/{f.uuid}/inscrire",
        {"date_effet": J.isoformat()},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {creer_jeton(p['chef'])}",
    )
    assert r.status_code == 422 and r.json()["detail"] == message
    f.refresh_from_db()
    assert f.etat == Etat.RETENUE and not f.transitions.filter(action="inscrire").exists()
    # Annexed, validated: still retained; the last signature inscribes it, on that date.
    c = contrat_pret(p, fiches=[f])
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=3))
    *premiers, dernier = list(c.signataires.all())
    for s in premiers:
        cycle.signer(user=p["chef"], signataire=s, date=J - timedelta(days=2))
    f.refresh_from_db()
    assert f.etat == Etat.RETENUE
    signer_tout(p, c, date=J - timedelta(days=1))
    f.refresh_from_db()
    t = f.transitions.get(action="inscrire")
    assert f.etat == Etat.INSCRITE and t.date_effet == J - timedelta(days=1)
    assert t.decision == c.validation and assert_protocole_n_inscrit_rien(p)


def assert_protocole_n_inscrit_rien(p) -> bool:
    """A signed protocol inscribes nothing (FAQ §4.5)."""
    proto = Protocole.objects.create(territoire=territoire("8408"))
    f = presentee_sans_montant(p, code="8408")
    services.annexer_au_protocole(user=p["chef8408"], protocole=proto, fiche=f)
    s = services.ajouter_signataire(
        user=p["chef8408"], document=proto, nature="prefet", nom="Préfet", qualite="Préfet"
    )
    cycle.signer(user=p["chef8408"], signataire=s, date=J)
    f.refresh_from_db()
    return f.etat == Etat.SOUMISE


# --- Documents: the PDF is accessible (PDF/UA-1), the DOCX editable -------------------------


def polices_embarquees(lecteur: PdfReader) -> set[str]:
    """The base names of the fonts embedded in the PDF (with their font file)."""
    noms = set()
    for page in lecteur.pages:
        for police in page["/Resources"]["/Font"].values():
            police = police.get_object()
            for fille in police.get("/DescendantFonts", [police]):
                descripteur = fille.get_object()["/FontDescriptor"].get_object()
                if any(k in descripteur for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    noms.add(str(police["/BaseFont"]).split("+")[-1])
    return noms


def verifier_pdf_accessible(contenu: bytes) -> str:
    lecteur = PdfReader(io.BytesIO(contenu))
    catalogue = lecteur.trailer["/Root"]
    assert "/StructTreeRoot" in catalogue  # tagged: a structure tree
    assert catalogue["/MarkInfo"]["/Marked"].value is True
    assert str(catalogue["/Lang"]).startswith("fr")
    assert lecteur.metadata.title  # the title, shown by readers (PDF/UA)
    polices = polices_embarquees(lecteur)
    assert polices and all(p.startswith("Marianne") for p in polices), polices
    return texte_pdf(contenu)


def test_le_pdf_du_protocole_du_contrat_et_de_l_avenant_est_accessible():
    p = equipe()
    t = territoire("8401")
    proto = services.creer_protocole(user=p["chef"], territoire=t, donnees={"ambitions": "A"})
    services.annexer_au_protocole(user=p["chef"], protocole=proto, fiche=presentee_sans_montant(p))
    c = contrat_pret(p, nb_epcis=1)
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=30))
    signer_tout(p, c, date=J - timedelta(days=20))
    a = services.creer_avenant(user=p["chef"], contrat=c, objet="Une fiche « à 100 % » & <plus>")
    cycle.annexer(user=p["chef"], document=a, fiche=retenue(p, n=7, titre="Fiche #2 *ajoutée*"))
    signataires_requis(p["chef"], a, t)
    texte = verifier_pdf_accessible(documents.pdf(proto))
    assert "Protocole d'accord" in texte and "€" not in texte
    texte = verifier_pdf_accessible(documents.pdf(c))
    assert "43 210,00 €" in texte and "Plan de financement" in texte
    texte = verifier_pdf_accessible(documents.pdf(a))
    # User text as typed: never read as markup.
    assert "Une fiche « à 100 % » & <plus>" in texte and "Fiche #2 *ajoutée*" in texte
    assert "43 210,00 €" in texte
    # The DOCX stays editable and says the same.
    d = Document(io.BytesIO(documents.docx(a)))
    assert d.core_properties.title == a.titre
    assert "Une fiche « à 100 % » & <plus>" in texte_docx(documents.docx(a))
