"""Test settings: fast hashing, in-memory e-mail, media in a throwaway folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-" + "x" * 20
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cantine-media-"))
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="cantine-static-"))
# One process: the shared chrome cache is exercised (emptied before each test by tests/conftest.py).
CHROME_CACHE_SECONDS = 3600
