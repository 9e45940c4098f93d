"""A real OpenID Connect provider for the ProConnect test: django-oauth-toolkit, shaped like
ProConnect (its paths, scopes, claims and signed userinfo). Run alone by serve.py."""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

HERE = Path(__file__).resolve().parent

SECRET_KEY = "fournisseur-d-identite-de-test"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "comptes.tests.oidc_op.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["OIDC_OP_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Tables straight from the models (migrate --run-syncdb): a database that lives for one test
# module has no use for a migration history, which takes seconds to replay.
MIGRATION_MODULES = {app.rsplit(".", 1)[-1]: None for app in INSTALLED_APPS}
USE_TZ = True
LOGIN_URL = "/login/"
# Test accounts and client secret only: fast hashing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A fresh signing key per run, published at /api/v2/jwks.
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _KEY.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode(),
    "OAUTH2_VALIDATOR_CLASS": "comptes.tests.oidc_op.provider.ValidateurProConnect",
    "SCOPES": {s: s for s in ("openid", "email", "given_name", "usual_name", "siret", "uid")},
    # ProConnect takes no PKCE parameter, so the platform sends none.
    "PKCE_REQUIRED": False,
    # The platform under test answers at http://testserver.
    "ALLOWED_SCHEMES": ["http"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
}
