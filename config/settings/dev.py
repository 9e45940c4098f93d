"""Local development: `make run`. Debug on, demo data on, a fixed local secret."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-secret-key-not-for-production")

from .base import *  # noqa: E402,F403

DEBUG = True
DEMO_MODE = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Notifications are printed on the console, never sent.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SITE_URL = "http://127.0.0.1:8000"
# Static files straight from the apps' folders, without a collectstatic run.
WHITENOISE_AUTOREFRESH = True
