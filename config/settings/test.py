"""Test suite: fast hashing, in-memory mail, plain static storage."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# ProConnect on, as the client of the provider that comptes/tests/test_proconnect.py starts and
# points the endpoints at; elsewhere the placeholder domain is never reached.
os.environ.setdefault("PROCONNECT_CLIENT_ID", "territoires-tests")
os.environ.setdefault("PROCONNECT_CLIENT_SECRET", "secret-des-tests-uniquement")
os.environ.setdefault("PROCONNECT_DOMAIN", "http://127.0.0.1:9/api/v2")

from .base import *  # noqa: E402,F403

DEBUG = False
DEMO_MODE = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Served over plain HTTP on the loopback: no redirect to HTTPS, no HSTS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Static files straight from the apps' folders, without a collectstatic run.
WHITENOISE_AUTOREFRESH = True
# Tasks run inside the caller; one test runs the database queue and its worker for real.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Kept figures in memory, emptied before each test (conftest.py).
CACHES["memoire"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # noqa: F405
