"""The evaluation pages: a whole journey through the forms, the scope (404 elsewhere), the
conflict page, documents, the consolidation and the framework pages."""

import io

import pytest
from django.urls import reverse
from docx import Document

from evaluations.enums import EtatEvaluation
from evaluations.models import Evaluation, Question
from evaluations.tests.fabriques import J, cadre, gens, questions, redigee, revue, soumise

pytestmark = pytest.mark.django_db
AUJOURDHUI = J.isoformat()  # an evaluation begun today moves on today at the earliest


@pytest.fixture
def p():
    return gens()


def en(client, user):
    client.force_login(user)
    return client


def url(nom, *args):
    return reverse(f"evaluations:{nom}", args=args)


def test_la_page_du_territoire_mene_a_ses_evaluations(client, p):
    t = p["t"]
    page = en(client, p["chef"]).get(reverse("carte:territoire", args=[t.phase_id, t.code]))
    assert url("territoire", t.phase_id, t.code) in page.content.decode()


def test_de_la_redaction_a_la_validation_par_les_pages(client, p):
    c = cadre(p["national"])
    t = p["t"]
    page = en(client, p["chef"]).get(url("territoire", t.phase_id, t.code))
    assert "Commencer l'évaluation à mi-parcours" in page.content.decode()
    r = client.post(url("nouvelle", t.phase_id, t.code, "mi_parcours"))
    e = Evaluation.objects.get(territoire=t)
    assert r.url == url("modifier", e.pk)
    q = questions(c)
    r = client.post(
        url("modifier", e.pk),
        {
            "version": e.version,
            f"q{q[0].pk}": "Quatre réunions.",
            f"q{q[1].pk}": "Pleinement",
            f"q{q[2].pk}": "Oui",
            f"q{q[3].pk}": "12,5",
        },
    )
    assert r.status_code == 302
    assert e.reponses.get(question=q[3]).nombre == 12.5
    page = client.get(url("evaluation", e.pk)).content.decode()
    assert "Quatre réunions." in page and "12,5 emplois" in page
    r = client.post(url("mouvement", e.pk, "soumettre"), {"date": AUJOURDHUI})
    e.refresh_from_db()
    assert e.etat == EtatEvaluation.SOUMISE
    # The Région's pilot reviews on the form; the State after it.
    en(client, p["pilote"])
    assert "Donner la revue" in client.get(url("evaluation", e.pk)).content.decode()
    revue_ = {"role": "region", "date": AUJOURDHUI, "avis": "favorable", "commentaire": "Bien."}
    assert client.post(url("revue", e.pk), revue_).status_code == 302
    en(client, p["etat"])
    revue_.update(role="etat", avis="reserves", commentaire="À suivre.")
    assert client.post(url("revue", e.pk), revue_).status_code == 302
    e.refresh_from_db()
    assert e.etat == EtatEvaluation.REVUE
    en(client, p["national"])
    page = client.get(url("evaluation", e.pk)).content.decode()
    assert "Valider l&#x27;évaluation" in page
    client.post(url("mouvement", e.pk, "valider"), {"date": AUJOURDHUI})
    e.refresh_from_db()
    assert e.etat == EtatEvaluation.VALIDEE
    docx = client.get(url("document", e.pk, "docx"))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    texte = "\n".join(par.text for par in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Quatre réunions." in texte and "Validation" in texte
    assert client.get(url("document", e.pk, "pdf")).content.startswith(b"%PDF")


def test_un_refus_du_cycle_se_dit_sans_rien_changer(client, p):
    c = cadre(p["national"])
    e = redigee(p, c)
    q = questions(c)
    en(client, p["chef"]).post(url("modifier", e.pk), {"version": e.version, f"q{q[1].pk}": ""})
    page = client.post(url("mouvement", e.pk, "soumettre"), {"date": AUJOURDHUI})
    assert page.status_code == 200
    assert "« La gouvernance associe-t-elle les industriels ? »" in page.content.decode()
    e.refresh_from_db()
    assert e.etat == EtatEvaluation.REDACTION
    page = en(client, p["etat"]).post(url("mouvement", e.pk, "renvoyer"), {"date": AUJOURDHUI})
    assert page.status_code == 404  # nothing to send back: not a move open to them now


def test_hors_de_sa_portee_tout_repond_404(client, p):
    e = soumise(p)
    for nom, args in (
        ("evaluation", [e.pk]),
        ("modifier", [e.pk]),
        ("revue", [e.pk]),
        ("document", [e.pk, "pdf"]),
        ("mouvement", [e.pk, "valider"]),
    ):
        assert en(client, p["chef_autre"]).get(url(nom, *args)).status_code == 404, nom
    # Seen, but not theirs to do: 404 too (nothing disclosed).
    assert en(client, p["pilote"]).get(url("modifier", e.pk)).status_code == 404
    assert en(client, p["chef"]).get(url("revue", e.pk)).status_code == 404
    assert en(client, p["etat"]).get(url("mouvement", e.pk, "valider")).status_code == 404
    assert en(client, p["pilote"]).get(url("consolidation")).status_code == 200
    assert en(client, p["chef"]).get(url("consolidation")).status_code == 404
    client.logout()
    assert client.get(url("evaluation", e.pk)).status_code == 302  # to the sign-in page


def test_deux_redactions_en_meme_temps_rien_n_est_ecrase(client, p):
    c = cadre(p["national"])
    e = redigee(p, c)
    q = questions(c)
    version = e.version
    en(client, p["chef"]).post(
        url("modifier", e.pk), {"version": version, f"q{q[0].pk}": "Version du chef."}
    )
    page = en(client, p["elu"]).post(
        url("modifier", e.pk), {"version": version, f"q{q[0].pk}": "Version de l'élu."}
    )
    assert page.status_code == 409
    html = page.content.decode()
    assert "rien n&#x27;a été écrasé" in html
    assert "Version du chef." in html and "Version de l&#x27;élu." in html
    assert e.reponses.get(question=q[0]).texte == "Version du chef."


def test_la_consolidation_et_ses_exports(client, p):
    c = cadre(p["national"])
    revue(p, c)
    soumise(p, c, t=p["autre_t"], chef=p["chef_autre"], emplois="8")
    page = en(client, p["national"]).get(url("consolidation") + "?phase=2&nature=mi_parcours")
    html = page.content.decode()
    assert "ti-8401 Ardèche Drôme Nord" in html and "50 emplois (2 réponses)" in html
    xlsx = client.get(url("consolidation") + "?phase=2&nature=mi_parcours&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = client.get(url("consolidation") + "?phase=2&nature=mi_parcours&format=csv")
    assert "50 emplois (2 réponses)" in csv.content.decode()


def test_le_cadre_se_tient_par_ses_pages(client, p):
    c = cadre(p["national"], publie=False)
    section = c.sections.first()
    r = en(client, p["national"]).post(
        url("cadre-ajouter", c.pk, "question"),
        {
            "section": section.pk,
            "intitule": "Les partenaires se sont-ils engagés ?",
            "nature": "echelle",
            "modalites": "Peu\nAssez\nBeaucoup",
            "obligatoire": "on",
        },
    )
    assert r.status_code == 302
    q = Question.objects.get(intitule="Les partenaires se sont-ils engagés ?")
    assert q.modalites == ["Peu", "Assez", "Beaucoup"] and q.ordre == 3
    page = client.post(
        url("cadre-ajouter", c.pk, "question"),
        {"section": section.pk, "intitule": "Note ?", "nature": "echelle", "modalites": "Une"},
    )
    assert "au moins deux modalités" in page.content.decode()
    # A draft is the delegation's alone; the team cannot change a framework.
    assert en(client, p["chef"]).get(url("cadre", c.pk)).status_code == 404
    assert client.get(url("cadre-ajouter", c.pk, "section")).status_code == 404
    en(client, p["national"]).post(url("cadre-publier", c.pk))
    page = en(client, p["chef"]).get(url("cadre", c.pk))
    assert "Les partenaires se sont-ils engagés ?" in page.content.decode()


def test_les_indicateurs_compares_se_lisent(client, p):
    page = en(client, p["sans_role"]).get(url("indicateurs") + "?phase=2")
    assert page.status_code == 200
    assert "Indicateurs suivis dans plusieurs territoires" in page.content.decode()
