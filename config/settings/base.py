"""Base settings: safe for production by default (DEBUG off, secrets from the environment).

dev.py and test.py are thin overrides; production uses this module with the environment set.
"""

import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    # "False" as a non-empty string must not turn DEBUG on.
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("La variable d'environnement SECRET_KEY est obligatoire.")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Demo data (fictitious content) is loaded only where this is set, never by default.
DEMO_MODE = env_bool("DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sitemaps",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "widget_tweaks",  # used by the form templates of django-dsfr
    "ninja",
    "axes",
    "auditlog",
    "csp",
    # Long work outside the request (docs/adr/0020): the tasks framework and its database queue.
    "django_tasks",
    "django_tasks_db",
    # Domain apps, in floors: each imports only the floors below it (docs/adr/0002).
    # Backup and restore: every model through Django's registry, no domain import (floor 1).
    "exploitation",
    "referentiel",
    "territoires",
    "comptes",
    "mesures",
    "actualites",
    "fiches",
    "gouvernance",
    "contrats",
    "financements",
    "suivi",
    "evaluations",
    "opendata",
    "notifications",
    # Web, API and the loading of official and demo data on top.
    "demo",
    "api",
    "www",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the address: a control character in it is a 400, not a failure.
    "config.middleware.AdresseLisible",
    "config.middleware.PhasesLuesUneFois",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Login required by default: only the pages listed in PAGES_PUBLIQUES open without it.
    "comptes.middleware.ConnexionExigee",
    # Responses carrying industrial secrets: Cache-Control private, no-store (comptes.secrets).
    "comptes.middleware.SecretsNonConservesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as its documentation asks: counts failed logins and locks out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "www" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Our own site configuration: no database query per page (docs/adr/0003).
                "www.context_processors.site",
                # The number of items waiting on the signed-in person, in the menu (lazy).
                "www.travail.context_processors.file_de_travail",
                # Whether the menu offers « Tableaux de bord » (lazy).
                "www.tableaux.context_processors.tableaux_de_bord",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        # A transaction takes the write lock when it begins, not at its first write: a reader
        # that turns writer can no longer deadlock with another writer, which SQLite answers
        # at once with "database is locked" (a 500). Writers now wait their turn...
        "transaction_mode": "IMMEDIATE",
        # ...for at most this many seconds, then fail as before.
        "timeout": 20,
        # Write-ahead log: readers and the writer no longer block each other (one writer at a
        # time still); it stays set in the database file. synchronous=NORMAL is safe with it:
        # the database is never corrupted, only the last commits may be lost on a power cut
        # (not on a crash of the server), and commits do not wait for the disk.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "comptes.Utilisateur"
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while the account/IP pair is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "comptes:connexion"
# The module that lists the public pages by URL name (comptes.middleware.ConnexionExigee).
PAGES_PUBLIQUES = "www.publiques"
LOGIN_REDIRECT_URL = "comptes:compte"
LOGOUT_REDIRECT_URL = "carte:accueil"

# Rate limit on failed logins (comptes.connexion), on the page and the API's token alike; each
# lock lasts 15 minutes. Failures count against:
CONNEXION_LIMITES = [
    (["username", "ip_address"], 5),  # an account, from one address
    (["ip_address"], int(os.environ.get("CONNEXION_ECHECS_PAR_ADRESSE", "30"))),  # spraying
    (["username"], int(os.environ.get("CONNEXION_ECHECS_PAR_COMPTE", "20"))),  # from anywhere
]
AXES_LOCKOUT_PARAMETERS = [parametres for parametres, _ in CONNEXION_LIMITES]
AXES_FAILURE_LIMIT = CONNEXION_LIMITES[0][1]
AXES_COOLOFF_TIME = 0.25  # hours
# The number of reverse proxies in front of the app, each appending to X-Forwarded-For: the
# client's address is read behind them (0: the app faces the clients, REMOTE_ADDR is theirs).
# Wrong, every visitor would share the proxy's address and lock one another out.
PROXYS_DE_CONFIANCE = int(os.environ.get("PROXYS_DE_CONFIANCE", "0"))
AXES_CLIENT_IP_CALLABLE = "comptes.connexion.adresse_du_client"
AXES_USERNAME_FORM_FIELD = "username"
# Failures count per normalised e-mail: changing its case does not start a new count.
AXES_USERNAME_CALLABLE = "comptes.connexion.identifiant"
AXES_HANDLER = "comptes.connexion.GestionnaireEchecs"
# The page, or the API's 429, says when to try again.
AXES_LOCKOUT_CALLABLE = "comptes.connexion.reponse_verrou"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# API tokens (comptes.services): how long one lives, how many valid ones an account may hold.
API_JETON_DUREE_JOURS = int(os.environ.get("API_JETON_DUREE_JOURS", "90"))
API_JETONS_PAR_COMPTE = int(os.environ.get("API_JETONS_PAR_COMPTE", "10"))

SESSION_COOKIE_AGE = 8 * 3600
# A password reset link is valid once, for three days (the pages and the e-mail say so).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Leaflet comes from the django-leaflet wheel; only its static files are used (docs/adr/0004),
# found without importing the app, which would pull GeoDjango and GDAL in.
_LEAFLET = Path(importlib.util.find_spec("leaflet").origin).parent / "static" / "leaflet"
STATICFILES_DIRS = [BASE_DIR / "www" / "static", ("leaflet", _LEAFLET)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded files (attachments of fiches): served only through checked views, never by URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Figures computed from the data, kept per version of the data (comptes.memoire), in files that
# every worker of the server shares: computed once after a write, not once per worker.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "memoire": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path(os.environ.get("MEMOIRE_ROOT", BASE_DIR / "var" / "memoire")),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
MEDIA_URL = "/media/"
# Largest file of the network's library (referentiel.fichiers checks it, with the type).
TAILLE_MAX_RESSOURCE = int(os.environ.get("TAILLE_MAX_RESSOURCE", 20 * 1024 * 1024))
# The open-data package (opendata.paquet), rebuilt by `construire_donnees_ouvertes`.
# Long work (open data, digests, large exports) is queued in the database and run by
# `manage.py db_worker` (docs/adr/0020); TACHES_IMMEDIATES=1 runs it inside the caller instead.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("TACHES_IMMEDIATES", False)
        else "django_tasks_db.DatabaseBackend",
    }
}
# An export of more fiches than this is prepared by the worker into a private folder (never
# served by URL), kept EXPORTS_DUREE_HEURES hours.
EXPORT_FICHES_IMMEDIAT_MAX = int(os.environ.get("EXPORT_FICHES_IMMEDIAT_MAX", "2000"))
EXPORTS_PRIVES_ROOT = Path(os.environ.get("EXPORTS_PRIVES_ROOT", MEDIA_ROOT / "exports-prives"))
EXPORTS_DUREE_HEURES = int(os.environ.get("EXPORTS_DUREE_HEURES", "24"))
OPENDATA_ROOT = Path(os.environ.get("OPENDATA_ROOT", MEDIA_ROOT / "donnees-ouvertes"))

# Shipped data (snapshots with their provenance), read by the import commands.
DATA_DIR = BASE_DIR / "data"

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# A stale form gets a French page that says nothing was saved (www.commun.erreurs).
CSRF_FAILURE_VIEW = "www.commun.erreurs.formulaire_expire"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token in a hidden field
SESSION_COOKIE_SAMESITE = "Lax"  # sent when following a link from elsewhere, not on a POST
CSRF_COOKIE_SAMESITE = "Lax"
# Production is served over HTTPS only: plain HTTP is redirected, and browsers told for a year.
# The reverse proxy terminates TLS and says so in X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Only makes the domain eligible: entering the browsers' preload list is a separate request.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): only the site's own files run, never an inline script
# nor an on* attribute; the pages load no third-party resource (DSFR, Leaflet and DSFR Chart
# are served from /static/, the map draws without a tile server).
# Styles too come from files only: no template writes a style attribute, and Leaflet and the
# DSFR's scripts set styles through the DOM (element.style), which the policy allows; the
# browser journeys check that no page meets a refusal (e2e/test_csp.py and the others).
# img-src allows data: for the SVG icons some stylesheets embed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

AUDITLOG_INCLUDE_ALL_MODELS = False

# --- E-mail: notifications and their daily digest (docs/adr/0014) ---------------------------
# SMTP, set by the environment. A short timeout: mail goes out after the commit of what caused
# it, and a failure leaves the notification waiting for `envoyer_recapitulatif`; a slow or
# absent server must not hold the request either.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "5"))  # seconds
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Territoires d'industrie <ne-pas-repondre@localhost>"
)
# The site's public address, for the links of the e-mails (https://…, without a final /).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")

# --- The site's duties: who publishes and hosts it, whom to write to (www/programme/) --------
SITE_EDITEUR = os.environ.get(
    "SITE_EDITEUR",
    "Agence nationale de la cohésion des territoires (ANCT), 20 avenue de Ségur, 75007 Paris",
)
SITE_DIRECTION_PUBLICATION = os.environ.get(
    "SITE_DIRECTION_PUBLICATION", "La directrice ou le directeur général de l'ANCT"
)
# Empty: the legal notice says the operator of this instance has not named its host yet.
SITE_HEBERGEUR = os.environ.get("SITE_HEBERGEUR", "")
# Where people write about the platform, their personal data or its accessibility.
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "")
SITE_DPO_EMAIL = os.environ.get("SITE_DPO_EMAIL", "")

# --- ProConnect (optional sign-in for public agents, docs/adr/0005) ---------------------------
# Off unless PROCONNECT_CLIENT_ID is set. Endpoints follow from PROCONNECT_DOMAIN (the host, as
# ProConnect's documentation names it, or the full base "https://host/api/v2"); each may also be
# given on its own: PROCONNECT_{AUTHORIZATION,TOKEN,USERINFO,JWKS,LOGOUT}_ENDPOINT.
PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
PROCONNECT_ENABLED = bool(PROCONNECT_CLIENT_ID)


def proconnect_endpoints(domain: str) -> dict[str, str]:
    """The OIDC_OP_* settings of a ProConnect instance, from its domain or base URL."""
    base = domain.strip().rstrip("/")
    if base and "://" not in base:
        base = f"https://{base}/api/v2"
    # Setting of mozilla-django-oidc: (environment variable that overrides it, path at ProConnect).
    paths = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": ("PROCONNECT_AUTHORIZATION_ENDPOINT", "authorize"),
        "OIDC_OP_TOKEN_ENDPOINT": ("PROCONNECT_TOKEN_ENDPOINT", "token"),
        "OIDC_OP_USER_ENDPOINT": ("PROCONNECT_USERINFO_ENDPOINT", "userinfo"),
        "OIDC_OP_JWKS_ENDPOINT": ("PROCONNECT_JWKS_ENDPOINT", "jwks"),
        "OIDC_OP_LOGOUT_ENDPOINT": ("PROCONNECT_LOGOUT_ENDPOINT", "session/end"),
    }
    endpoints = {}
    for setting, (variable, path) in paths.items():
        endpoints[setting] = os.environ.get(variable) or (base and f"{base}/{path}")
        if not endpoints[setting]:
            raise ImproperlyConfigured(
                f"ProConnect : PROCONNECT_DOMAIN ou {variable} est obligatoire."
            )
    return endpoints


if PROCONNECT_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    # After axes and ModelBackend: only answers a request that carries an OIDC code and state.
    AUTHENTICATION_BACKENDS.append("comptes.proconnect.ProConnectBackend")
    OIDC_RP_CLIENT_ID = PROCONNECT_CLIENT_ID
    OIDC_RP_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
    if not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("ProConnect : PROCONNECT_CLIENT_SECRET est obligatoire.")
    # The algorithm chosen when registering the service with ProConnect (RS256, ES256, HS256).
    OIDC_RP_SIGN_ALGO = os.environ.get("PROCONNECT_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = "openid email given_name usual_name siret uid"
    _endpoints = proconnect_endpoints(os.environ.get("PROCONNECT_DOMAIN", ""))
    OIDC_OP_AUTHORIZATION_ENDPOINT = _endpoints["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = _endpoints["OIDC_OP_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = _endpoints["OIDC_OP_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = _endpoints["OIDC_OP_JWKS_ENDPOINT"]
    OIDC_OP_LOGOUT_ENDPOINT = _endpoints["OIDC_OP_LOGOUT_ENDPOINT"]
    # Kept for the logout at ProConnect (id_token_hint), see comptes.proconnect.url_deconnexion.
    OIDC_STORE_ID_TOKEN = True
    OIDC_OP_LOGOUT_URL_METHOD = "comptes.proconnect.url_deconnexion"
    OIDC_TIMEOUT = 10  # seconds: a slow provider must not hold a worker forever
    # Back to the sign-in page (www "comptes:connexion") when ProConnect refuses or the account is
    # deactivated; comptes/tests/test_proconnect.py checks the two agree.
    LOGIN_REDIRECT_URL_FAILURE = "/connexion/"
    # The sign-out form posts here and is redirected to ProConnect's logout: form-action must
    # allow that origin, or the browser stops the redirect (CSP).
    _logout = urlsplit(OIDC_OP_LOGOUT_ENDPOINT)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        f"{_logout.scheme}://{_logout.netloc}"
    )
# --- end of ProConnect ------------------------------------------------------------------------
