"""Local development: the embedded defaults (SQLite, tasks in-process, mail to the console)."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "local-development-only-not-secret"
DEMO_MODE = env_bool("DEMO_MODE", default=True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
