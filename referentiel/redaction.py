"""A document written once as blocks (titles, paragraphs, labelled values, lists, tables) and
rendered twice: DOCX for the parties to work on (python-docx, editable), PDF to circulate.

The PDF is accessible (PDF/UA-1): tagged (structure tree, /MarkInfo /Marked), language
French, the Marianne typeface of the State's design system, the euro sign as it is. It is
made by typst from one template (`gabarits/document.typ`) that reads the blocks as JSON
(`sys.inputs`): no user text is ever read as markup, so nothing needs escaping.

Marianne ships with django-dsfr as .woff only: converted once to OpenType with fontTools, at
first use, into a cache directory (written atomically, safe across threads and processes).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

GABARIT = Path(__file__).parent / "gabarits" / "document.typ"
POLICES = ("Regular", "Bold", "Regular_Italic", "Bold_Italic")
AUTEUR = "Territoires d'industrie"


@dataclass
class Redaction:
    """The blocks of one document, in order; each method adds one."""

    titre: str
    auteur: str = AUTEUR
    blocs: list[dict] = field(default_factory=list)

    def intitule(self, texte: str, niveau: int = 1) -> None:
        """A title: 0 for the document's own, then 1, 2, 3 for its sections."""
        self.blocs.append({"type": "titre", "niveau": niveau, "texte": texte})

    def paragraphe(self, texte: str, *, gras: bool = False, italique: bool = False) -> None:
        for ligne in (texte or "").split("\n"):
            self.blocs.append(
                {"type": "paragraphe", "texte": ligne, "gras": gras, "italique": italique}
            )

    def champ(self, libelle: str, valeur: str) -> None:
        """« Libellé : valeur », the label in bold."""
        self.blocs.append({"type": "champ", "libelle": libelle, "valeur": valeur})

    def liste(self, elements: list[str]) -> None:
        if elements:
            self.blocs.append({"type": "liste", "elements": list(elements)})

    def tableau(self, legende: str, entetes: list[str], lignes: list[list[str]]) -> None:
        self.blocs.append(
            {
                "type": "tableau",
                "legende": legende,
                "entetes": list(entetes),
                "lignes": [[str(v) for v in ligne] for ligne in lignes],
            }
        )


# --- PDF -------------------------------------------------------------------------------------

_verrou = threading.Lock()
_polices: Path | None = None


def _source_des_polices() -> Path:
    import dsfr  # the design system's package ships Marianne

    return Path(dsfr.__file__).parent / "static" / "dsfr" / "dist" / "fonts"


def dossier_des_polices() -> Path:
    """The Marianne fonts as OpenType, converted from the design system's .woff once."""
    global _polices
    with _verrou:
        if _polices is not None:
            return _polices
        from importlib.metadata import version

        from fontTools.ttLib import TTFont

        # Named after the design system's version: a new Marianne is converted anew.
        dsfr = version("django-dsfr")
        dossier = Path(tempfile.gettempdir()) / f"territoires-polices-marianne-{dsfr}"
        dossier.mkdir(parents=True, exist_ok=True)
        for nom in POLICES:
            cible = dossier / f"Marianne-{nom}.otf"
            if cible.exists():
                continue
            police = TTFont(_source_des_polices() / f"Marianne-{nom}.woff")
            police.flavor = None
            fd, provisoire = tempfile.mkstemp(dir=dossier, suffix=".otf.part")
            with os.fdopen(fd, "wb") as f:
                police.save(f)
            os.replace(provisoire, cible)  # another process may have written it too: same bytes
        _polices = dossier
        return dossier


def en_pdf(r: Redaction) -> bytes:
    import typst  # imported when a document is asked for only

    donnees = json.dumps(asdict(r), ensure_ascii=False)
    return typst.compile(
        str(GABARIT),
        font_paths=[str(dossier_des_polices())],
        pdf_standards=["ua-1"],
        sys_inputs={"donnees": donnees},
    )


# --- DOCX ------------------------------------------------------------------------------------


def en_docx(r: Redaction) -> bytes:
    from docx import Document  # imported when a document is asked for only

    d = Document()
    d.core_properties.title = r.titre
    d.core_properties.author = r.auteur
    d.core_properties.language = "fr-FR"
    for b in r.blocs:
        if b["type"] == "titre":
            d.add_heading(b["texte"], level=b["niveau"])
        elif b["type"] == "paragraphe":
            run = d.add_paragraph().add_run(b["texte"])
            run.bold, run.italic = b["gras"] or None, b["italique"] or None
        elif b["type"] == "champ":
            p = d.add_paragraph()
            p.add_run(f"{b['libelle']} : ").bold = True
            p.add_run(b["valeur"])
        elif b["type"] == "liste":
            for e in b["elements"]:
                d.add_paragraph(e, style="List Bullet")
        elif b["type"] == "tableau":
            _tableau_docx(d, b)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _tableau_docx(d, b: dict) -> None:
    d.add_paragraph().add_run(b["legende"]).bold = True
    table = d.add_table(rows=1, cols=len(b["entetes"]))
    table.style = "Table Grid"
    for cell, titre in zip(table.rows[0].cells, b["entetes"], strict=True):
        cell.text = titre
    for ligne in b["lignes"]:
        for cell, v in zip(table.add_row().cells, ligne, strict=True):
            cell.text = v
