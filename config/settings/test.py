"""Tests: DATABASE_URL picks PostgreSQL in CI; nothing set means SQLite."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105 - tests only
DEBUG = False
DEMO_MODE = True
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A Celery worker started by a test is another process: it writes its e-mail to files there.
EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("TEST_EMAIL_FILE_PATH", "")
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_TEST_BROKER")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The browser tests move the server's clock (time-machine) but not the browser's: a session cookie
# without an expiry date lives as long as the browser, whatever date the server thinks it is. The
# server still ends the session after SESSION_COOKIE_AGE by its own clock.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
