"""Pages of a line's money, as people use them: the funder records a commitment, payments, a
reduction; anyone else gets 404 on the forms; a secret line's money stays secret; the import
of a funder's file is previewed, then confirmed."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from fiches.enums import StatutLigne
from financements import cycle, selectors
from financements.models import Ajustement, Engagement, Paiement
from financements.tests.fabriques import D, accordee, jour

from .test_secret_statistique import montre, texte

pytestmark = pytest.mark.django_db


def _url(nom, pk):
    return reverse(f"financements:{nom}", args=[pk])


def test_le_financeur_engage_paie_et_reduit_depuis_les_pages(client):
    p = accordee()
    ligne = p["publique"]
    client.force_login(p["bpi"])
    page = texte(client.get(reverse("fiches:detail", args=[p["fiche"].uuid])))
    assert "Engagé et payé, ligne par ligne" in page and "Engager, payer" in page
    r = client.post(
        _url("engager", ligne.pk),
        {"montant": "40000", "date": jour(50), "convention": "Convention 17", "reference": "EJ9"},
    )
    assert r.status_code == 302 and r["Location"] == _url("ligne", ligne.pk)
    e = Engagement.objects.get()
    r = client.post(_url("payer", e.pk), {"montant": "12500,50", "date": jour(60)})
    assert r.status_code == 302, texte(r)
    r = client.post(
        _url("ajuster", e.pk),
        {"nature": "reduction", "montant": "2500", "date": jour(70), "motif": "Devis révisé"},
    )
    assert r.status_code == 302
    page = texte(client.get(_url("ligne", ligne.pk)))
    assert "Engagement du " + jour(50).strftime("%d/%m/%Y") in page and "(réf. EJ9)" in page
    assert montre(page, 37500) and montre(page, 12500) and "Devis révisé" in page
    # The fiche's page shows the line's committed, paid and remaining amounts.
    page = texte(client.get(reverse("fiches:detail", args=[p["fiche"].uuid])))
    # 37 500 committed − 12 500,50 paid = 24 999,50 to pay.
    assert "24 999,5" in page.replace("\u202f", " ").replace("\xa0", " ")


def test_une_saisie_refusee_le_dit_en_francais_et_n_ecrit_rien(client):
    p = accordee()
    client.force_login(p["bpi"])
    r = client.post(
        _url("engager", p["publique"].pk),
        {"montant": "50000", "date": jour(50), "convention": "C"},
    )
    page = texte(r)
    assert "Rien n'a été enregistré." in page
    assert "L'engagement dépasserait le montant accordé" in page
    r = client.post(
        _url("engager", p["publique"].pk),
        {"montant": "100", "date": jour(20), "convention": "C"},
    )
    assert "précède la décision du financeur" in texte(r)
    assert not Engagement.objects.exists()
    e = cycle.engager(
        user=p["bpi"], ligne=p["publique"], montant=D("100"), convention="C", date=jour(50)
    )
    r = client.post(_url("ajuster", e.pk), {"nature": "reduction", "date": jour(60), "motif": "M"})
    assert "Indiquez le montant de la réduction." in texte(r)
    assert not Ajustement.objects.exists()


def test_qui_n_est_pas_le_financeur_trouve_404_sur_les_saisies(client):
    p = accordee()
    e = cycle.engager(
        user=p["bpi"], ligne=p["publique"], montant=D("100"), convention="C", date=jour(50)
    )
    # The territory's team sees the fiche and the line's money, but records none of it.
    client.force_login(p["chef"])
    assert client.get(_url("ligne", p["publique"].pk)).status_code == 200
    assert "Enregistrer un paiement" not in texte(client.get(_url("ligne", p["publique"].pk)))
    for nom, pk in (("engager", p["publique"].pk), ("payer", e.pk), ("ajuster", e.pk)):
        assert client.get(_url(nom, pk)).status_code == 404
        assert client.post(_url(nom, pk), {"montant": "1", "date": jour(60)}).status_code == 404
    # Another territory's team does not even see the line.
    client.force_login(p["chef8408"])
    assert client.get(_url("ligne", p["publique"].pk)).status_code == 404
    assert client.post(_url("payer", e.pk), {"montant": "1", "date": jour(60)}).status_code == 404
    client.logout()  # an anonymous visitor is sent to sign in (no public page)
    r = client.get(_url("ligne", p["publique"].pk))
    assert r.status_code == 302 and r["Location"].startswith(reverse("comptes:connexion"))
    assert not Paiement.objects.exists()


def test_l_argent_d_une_ligne_secrete_ne_parait_pas_a_qui_ne_peut_le_lire(client):
    p = accordee()
    e = cycle.engager(
        user=p["bpi"], ligne=p["secrete"], montant=D("876543"), convention="C", date=jour(50)
    )
    cycle.payer(user=p["bpi"], engagement=e, montant=D("123457"), date=jour(60))
    client.force_login(p["national"])  # sees every fiche, not a firm's figures
    for url in (_url("ligne", p["secrete"].pk), reverse("fiches:detail", args=[p["fiche"].uuid])):
        r = client.get(url)
        page = texte(r)
        assert "Confidentiel" in page and "private" in r["Cache-Control"]
        for secret in (876543, 123457, 753086, 987654, 111111):
            assert not montre(page, secret), (url, secret)
    client.force_login(p["chef"])  # the territory's team has the need to know
    page = texte(client.get(_url("ligne", p["secrete"].pk)))
    assert montre(page, 876543) and montre(page, 753086)


def _fichier(*rangs) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["Fiche", "Ligne", "Date du paiement", "Montant", "Référence"])
    for r in rangs:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "paiements.xlsx"
    return out


def test_import_apercu_puis_confirmation_et_erreurs_par_ligne(client):
    p = accordee()
    cycle.engager(
        user=p["bpi"], ligne=p["publique"], montant=D("1000"), convention="C", date=jour(50)
    )
    client.force_login(p["bpi"])
    ref, pk = p["fiche"].reference, p["publique"].pk
    r = client.post(
        reverse("financements:import"),
        {"fichier": _fichier((ref, pk, jour(60), 400, "A"), (ref, pk, jour(61), 700, "B"))},
    )
    page = texte(r)
    assert "Fichier refusé : rien n'a été enregistré (1 erreur)." in page
    assert "Ligne 3 : Le paiement dépasserait l'engagement" in page
    r = client.post(
        reverse("financements:import"), {"fichier": _fichier((ref, pk, jour(60), 400, "A"))}
    )
    page = texte(r)
    assert "Aperçu : rien n'est encore enregistré" in page and "Paiements à enregistrer : 1" in page
    assert not Paiement.objects.exists()
    r = client.post(reverse("financements:import"), {"jeton": r.context["jeton"]})
    assert "Import terminé" in texte(r)
    assert selectors.argent(p["publique"]).paye == D("400")
    # The preview is used once: a second confirmation pays nothing twice.
    r = client.post(reverse("financements:import"), {"jeton": "rejoue"}, follow=True)
    assert "Aperçu expiré" in texte(r) and Paiement.objects.count() == 1


def test_la_page_de_la_fiche_lit_le_paye_dans_les_paiements(client):
    """« Payé » of the fiche's totals is the sum of the payments, and the plan's table shows
    each line's last payment: no status of the line any more."""
    p = accordee()
    e = cycle.engager(
        user=p["bpi"], ligne=p["publique"], montant=D("40000"), convention="C", date=jour(50)
    )
    cycle.payer(user=p["bpi"], engagement=e, montant=D("12500"), date=jour(60))
    cycle.payer(user=p["bpi"], engagement=e, montant=D("7500"), date=jour(70))
    client.force_login(p["bpi"])
    page = texte(client.get(reverse("fiches:detail", args=[p["fiche"].uuid])))
    plan, totaux = page.split("Montants demandés, accordés, payés et refusés")[:2]
    assert "Dernier paiement" in plan and jour(70).strftime("%d/%m/%Y") in plan
    totaux = totaux.split("Ensemble des financeurs")[1].split("« Demandé »")[0]
    assert montre(totaux, 20000)
    assert "Payé" not in [s.label for s in StatutLigne]
