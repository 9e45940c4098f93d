"""Uploaded files are recognised by their content, not by their name (referentiel.fichiers)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from referentiel import fichiers

MEGA = 1024 * 1024
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def _zip(entrees: dict[str, bytes]) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as z:
        for nom, contenu in entrees.items():
            z.writestr(nom, contenu)
    return tampon.getvalue()


def fichier(nom: str, contenu: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu)


ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"})


@pytest.mark.parametrize(
    ("nom", "contenu", "code"),
    [
        ("guide.pdf", PDF, "pdf"),
        ("logo.png", PNG, "png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
        ("note.odt", ODT, "odt"),
        ("kit.docx", DOCX, "docx"),
        ("tableau.xlsx", XLSX, "xlsx"),
        ("liste.csv", "territoire;région\nVallée de l'Arve;84\n".encode(), "csv"),
        ("liste-excel.csv", "région;montant\n84;12\n".encode("cp1252"), "csv"),
        ("lisez-moi.txt", b"Bonjour.\r\n", "txt"),
    ],
)
def test_un_fichier_autorise_est_reconnu_a_son_contenu(nom, contenu, code):
    f = fichier(nom, contenu)
    assert fichiers.erreur_fichier(f, taille_max=MEGA) is None
    assert fichiers.verifier_fichier(f, taille_max=MEGA).code == code
    assert f.read() == contenu  # the check leaves the file readable from its start


@pytest.mark.parametrize(
    ("nom", "contenu"),
    [
        ("guide.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40),  # a program renamed
        ("page.pdf", b"<html><script>alert(1)</script></html>\x00"),
        ("archive.docx", _zip({"autre.txt": b"rien"})),  # a ZIP, not a Word document
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("faux.pdf", b"\x00\x01\x02 binaire"),
        ("script.sh", b"#!/bin/sh\nrm -rf /\n"),
    ],
)
def test_type_refuse_par_son_contenu(nom, contenu):
    erreur = fichiers.erreur_fichier(fichier(nom, contenu), taille_max=MEGA)
    if nom.endswith(".sh"):
        # Text, but not under a name of the allow-list.
        assert erreur.startswith("Le contenu du fichier est celui d'un fichier texte")
    else:
        assert erreur.startswith("Ce type de fichier n'est pas accepté")
        assert ".pdf" in erreur and ".docx" in erreur


def test_le_contenu_doit_correspondre_a_l_extension():
    erreur = fichiers.erreur_fichier(fichier("tableau.xlsx", PDF), taille_max=MEGA)
    assert erreur == (
        "Le contenu du fichier est celui d'un fichier PDF : son nom doit finir par .pdf."
    )


def test_taille_refusee_au_dela_du_maximum_et_fichier_vide_refuse():
    gros = fichier("gros.pdf", PDF + b"0" * MEGA)
    assert fichiers.erreur_fichier(gros, taille_max=MEGA) == (
        "Le fichier dépasse la taille maximale de 1 Mo."
    )
    assert fichiers.erreur_fichier(fichier("vide.pdf", b""), taille_max=MEGA) == (
        "Le fichier est vide."
    )
    with pytest.raises(ValidationError) as exc:
        fichiers.verifier_fichier(gros, taille_max=MEGA)
    assert exc.value.message_dict == {"fichier": ["Le fichier dépasse la taille maximale de 1 Mo."]}


def test_nom_de_stockage_engendre_et_nom_de_telechargement_sur():
    t = fichiers.TYPES["pdf"]
    stocke = fichiers.nom_de_stockage("ressources", t)
    assert stocke.startswith("ressources/") and stocke.endswith(".pdf")
    assert stocke != fichiers.nom_de_stockage("ressources", t)
    nom = fichiers.nom_de_telechargement('Guide "méthodo"\r\n../../etc/passwd', t)
    assert nom == "guide-methodo-etcpasswd.pdf"
    assert fichiers.nom_de_telechargement("€€€", t) == "document.pdf"


@pytest.mark.parametrize(
    "contenu",
    [
        b"<html><script>alert(1)</script></html>",
        b"  \n<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"\xef\xbb\xbf<?xml version='1.0'?><a/>",  # behind a byte order mark
    ],
)
def test_un_balisage_n_est_pas_du_texte(contenu):
    erreur = fichiers.erreur_fichier(fichier("page.txt", contenu), taille_max=MEGA)
    assert erreur.startswith("Ce type de fichier n'est pas accepté")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40


def test_les_formats_office_d_avant_2007_sont_reconnus_mais_hors_des_documents_partages():
    assert fichiers.reconnaitre(fichier("compte-rendu.doc", OLE)) == fichiers.TYPES["doc"]
    assert fichiers.reconnaitre(fichier("budget.XLS", OLE)) == fichiers.TYPES["xls"]
    assert fichiers.reconnaitre(fichier("guide.pdf", OLE)) is None
    assert fichiers.reconnaitre(fichier("faux.doc", PDF)) == fichiers.TYPES["pdf"]
    # The network's resources do not admit them.
    erreur = fichiers.erreur_fichier(fichier("budget.xls", OLE), taille_max=MEGA)
    assert erreur.startswith("Ce type de fichier n'est pas accepté") and ".xls," not in erreur
    assert (
        fichiers.erreur_fichier(fichier("budget.xls", OLE), taille_max=MEGA, types={"xls"}) is None
    )


def test_une_piece_jointe_est_servie_en_telechargement_sandboxee_et_jamais_gardee(tmp_path):
    from django.core.files import File

    chemin = tmp_path / "x.pdf"
    chemin.write_bytes(PDF)
    with chemin.open("rb") as brut:
        r = fichiers.reponse_piece_jointe(File(brut, name="x.pdf"), nom="guide.pdf", t=None)
        assert r["Content-Disposition"] == 'attachment; filename="guide.pdf"'
        assert r["Content-Type"] == "application/octet-stream"  # stored before any check
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert r["Cache-Control"] == "private, no-store"
