"""Local development and the demo: `make run`. Demo data on, a fixed local secret.

Debug is off unless DEBUG=1 is set: the demo shows the service's own error pages, never
Django's debug page (which would print settings and code to whoever meets an error)."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-secret-key-not-for-production")

from .base import *  # noqa: E402,F403

DEBUG = env_bool("DEBUG", False)  # noqa: F405
DEMO_MODE = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Served over plain HTTP on the loopback: no redirect to HTTPS, no HSTS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Notifications are printed on the console, never sent.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SITE_URL = "http://127.0.0.1:8000"
# Static files straight from the apps' folders, without a collectstatic run.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tasks run inside the request unless TACHES_IMMEDIATES=0 (then start `manage.py db_worker`).
if env_bool("TACHES_IMMEDIATES", True):  # noqa: F405
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
