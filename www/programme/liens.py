"""Links from the interface into the programme's FAQ: « FAQ §4.5 » → /programme/faq/#faq-4-5."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from . import faq

# « FAQ §4.5 », « FAQ §3 », and the following references of a list: « FAQ §2.3, §3.4 ».
_MENTION = re.compile(r"FAQ\s§(\d(?:\.\d)?)((?:,\s*§\d(?:\.\d)?)*)")
_SUITE = re.compile(r"§(\d(?:\.\d)?)")


def url_faq(numero: str) -> str:
    return f"{reverse('programme:faq')}#{faq.ancre(numero)}"


def lien_faq(numero: str, libelle: str = "") -> SafeString:
    libelle = libelle or f"FAQ §{numero}"
    if not faq.existe(numero):
        return conditional_escape(libelle)
    q = faq.question(numero)
    titre = f"{libelle} : {q.titre}" if q else libelle
    return format_html('<a href="{}" title="{}">{}</a>', url_faq(numero), titre, libelle)


def liens_faq(texte) -> SafeString:
    """Escapes `texte` (unless already safe) and links each FAQ mention in it."""
    echappe = str(conditional_escape(texte))

    def remplacer(m: re.Match) -> str:
        suite = _SUITE.sub(lambda s: str(lien_faq(s[1], f"§{s[1]}")), m[2])
        return str(lien_faq(m[1])) + suite

    return mark_safe(_MENTION.sub(remplacer, echappe))
