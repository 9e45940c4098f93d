"""Uploaded files: type recognised by content and size checked before anything is stored,
stored outside the served static files, served back only as a download under a safe name,
with its checked type, nosniff and a policy that forbids it anything."""

import io
import zipfile
from html import unescape

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from openpyxl import Workbook

from comptes.pieces import erreur_fichier, nom_sur

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _zip(membre: str, contenu: str = "x") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(membre, contenu)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "nom, contenu",
    [
        ("rapport.pdf", PDF),
        ("photo.png", PNG),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
        ("tableau.xlsx", _xlsx()),
        ("note.odt", _zip("mimetype", "application/vnd.oasis.opendocument.text")),
        ("liste.csv", b"commune;population\nAlbi;49 000\n"),
        ("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32),
    ],
)
def test_les_types_admis_dont_le_contenu_est_le_bon_sont_acceptes(nom, contenu):
    assert erreur_fichier(SimpleUploadedFile(nom, contenu)) is None


@pytest.mark.parametrize(
    "nom, contenu",
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("dessin.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
        ("outil.exe", b"MZ\x90\x00"),
        ("sans-extension", PDF),
    ],
)
def test_un_type_non_admis_est_refuse(nom, contenu):
    assert erreur_fichier(SimpleUploadedFile(nom, contenu)).startswith(
        "Ce type de fichier n'est pas admis : PDF, PNG, JPEG"
    )


@pytest.mark.parametrize(
    "nom, contenu",
    [
        ("faux.pdf", b"<html><script>alert(1)</script></html>"),
        ("faux.png", b"MZ\x90\x00"),
        ("faux.docx", _zip("autre.txt")),  # a zip, but no office document
        ("faux.odt", _zip("mimetype")),  # its declared type is not OpenDocument's
        ("faux.xls", PDF),
        ("faux.txt", b"<script>alert(1)</script>"),
        ("faux.csv", b"a;b\x00\x01"),
    ],
)
def test_un_contenu_qui_n_est_pas_celui_de_son_extension_est_refuse(nom, contenu):
    ext = nom.rsplit(".", 1)[1]
    assert erreur_fichier(SimpleUploadedFile(nom, contenu)) == (
        f"Le contenu du fichier n'est pas celui d'un fichier .{ext} : il est refusé."
    )


@pytest.mark.parametrize(
    "nom, stocke, attendu",
    [
        ("Compte rendu.pdf", "x/cr.pdf", "Compte rendu.pdf"),
        ("../../etc/passwd", "x/cr.pdf", "passwd.pdf"),
        ('a"b;\r\nc.pdf', "x/cr.pdf", "a_b_c.pdf"),
        ("rapport.html", "x/cr.pdf", "rapport.html.pdf"),
        (".htaccess", "x/n.txt", "htaccess.txt"),
        ("", "x/n.txt", "piece-jointe.txt"),
        ("Délibération n°3", "x/d.docx", "Délibération n_3.docx"),
    ],
)
def test_le_nom_de_telechargement_est_sur_et_garde_l_extension_verifiee(nom, stocke, attendu):
    assert nom_sur(nom, stocke) == attendu


def test_les_fichiers_deposes_sont_hors_des_fichiers_statiques_servis(client):
    media = settings.MEDIA_ROOT.resolve()
    servis = [
        settings.STATIC_ROOT,
        *[d[1] if isinstance(d, tuple) else d for d in settings.STATICFILES_DIRS],
    ]
    for dossier in servis:
        dossier = dossier.resolve()
        assert not media.is_relative_to(dossier) and not dossier.is_relative_to(media)


def _reunion():
    from gouvernance import services
    from gouvernance.tests.fabriques import gens, reunion_passee, territoire

    g = gens()
    return g, reunion_passee(g["chef"], services.comite_local(territoire("8401")))


def _fermer(reponse) -> None:
    # Close the file without request_finished closing the test's connection (PostgreSQL).
    request_finished.disconnect(close_old_connections)
    try:
        reponse.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_une_piece_de_reunion_se_telecharge_sans_jamais_s_afficher(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    g, r = _reunion()
    client.force_login(g["chef"])
    envoi = SimpleUploadedFile("cr.pdf", PDF, "text/html")  # the type the client claims
    url = reverse("gouvernance:reunion-piece", args=[r.pk])
    assert client.post(url, {"fichier": envoi, "nom": 'CR "final"\r\n.pdf'}).status_code == 302
    piece = r.pieces.get()
    # Stored in the media folder, which no URL serves.
    assert (tmp_path / piece.fichier.name).read_bytes() == PDF
    assert client.get(f"/media/{piece.fichier.name}").status_code == 404
    rep = client.get(reverse("gouvernance:piece", args=[piece.pk]))
    assert rep.status_code == 200
    assert rep["Content-Type"] == "application/pdf"
    assert rep["Content-Disposition"] == 'attachment; filename="CR _final.pdf"'
    assert rep["X-Content-Type-Options"] == "nosniff"
    assert rep["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(rep.streaming_content) == PDF
    _fermer(rep)


@pytest.mark.django_db
def test_une_page_html_deguisee_en_pdf_est_refusee_et_rien_n_est_garde(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    g, r = _reunion()
    client.force_login(g["chef"])
    envoi = SimpleUploadedFile("cr.pdf", b"<html><script>alert(1)</script></html>")
    rep = client.post(reverse("gouvernance:reunion-piece", args=[r.pk]), {"fichier": envoi})
    assert "n'est pas celui d'un fichier .pdf" in unescape(rep.content.decode())
    assert not r.pieces.exists()
    assert not [f for f in tmp_path.rglob("*") if f.is_file()]


@pytest.mark.django_db
def test_l_import_des_paiements_refuse_un_fichier_qui_n_est_pas_un_classeur(client):
    from financements.tests.fabriques import accordee

    p = accordee()
    client.force_login(p["bpi"])
    faux = SimpleUploadedFile("paiements.xlsx", b"Fiche;Ligne\n")
    rep = client.post(reverse("financements:import"), {"fichier": faux})
    assert "n'est pas celui d'un fichier .xlsx" in unescape(rep.content.decode())
    autre = SimpleUploadedFile("paiements.csv", b"Fiche;Ligne\n")
    rep = client.post(reverse("financements:import"), {"fichier": autre})
    assert "Ce type de fichier n'est pas admis : XLSX." in unescape(rep.content.decode())
