"""What the browser is told: Content Security Policy without inline script, secure cookies,
HSTS in production; and templates that need nothing inline."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from .test_pages import _environnement_de_production

GABARITS = sorted(
    p
    for racine in [settings.BASE_DIR / "www" / "templates", *settings.BASE_DIR.glob("*/templates")]
    for p in Path(racine).rglob("*.html")
    # E-mails are read by mail clients, which know only inline styles; no page includes them.
    if p.parent.name != "notifications"
)


@pytest.mark.django_db
def test_politique_de_securite_du_contenu_sans_script_ni_style_en_ligne(client):
    csp = client.get("/carte/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in csp


@pytest.mark.django_db
def test_la_politique_couvre_aussi_l_api_et_ses_erreurs(client):
    assert "script-src 'self'" in client.get("/api/v1/docs").headers["Content-Security-Policy"]
    assert "Content-Security-Policy" in client.get("/page-qui-n-existe-pas/").headers


def test_aucun_gabarit_n_a_de_script_en_ligne_ni_d_attribut_on_ni_de_style_en_ligne():
    assert len(GABARITS) > 100
    fautes = []
    for gabarit in GABARITS:
        texte = gabarit.read_text()
        # A script element that is not a file (JSON data blocks are not scripts).
        for balise in re.findall(r"<script\b[^>]*>", texte):
            if "src=" not in balise and "application/json" not in balise:
                fautes.append(f"{gabarit.name} : {balise}")
        fautes += [f"{gabarit.name} : {m}" for m in re.findall(r"\son[a-z]+\s*=", texte)]
        fautes += [f"{gabarit.name} : {m}" for m in re.findall(r"\sstyle\s*=", texte)]
        fautes += [f"{gabarit.name} : <style>" for _ in re.findall(r"<style\b", texte)]
    assert fautes == []


@pytest.mark.parametrize(
    "reglage, valeur",
    [
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
        ("SESSION_COOKIE_HTTPONLY", "True"),
        ("CSRF_COOKIE_HTTPONLY", "True"),
        ("SESSION_COOKIE_SAMESITE", "Lax"),
        ("CSRF_COOKIE_SAMESITE", "Lax"),
        ("SECURE_SSL_REDIRECT", "True"),
        ("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)),
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True"),
        ("SECURE_CONTENT_TYPE_NOSNIFF", "True"),
    ],
)
def test_cookies_securises_et_hsts_en_production(reglage, valeur):
    # The defaults of the production settings, without any variable that would change them.
    env = _environnement_de_production()
    for variable in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS"):
        env.pop(variable, None)
    code = f"from django.conf import settings; print(settings.{reglage})"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == valeur, out.stderr


@pytest.mark.django_db
def test_le_cookie_de_session_est_http_only_et_same_site(client):
    from comptes.tests.fabriques import MDP, personne

    personne("cookie@exemple.fr")
    r = client.post("/connexion/", {"username": "cookie@exemple.fr", "password": MDP})
    cookie = r.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
