"""The live site's settings (tests/browser/live.py): those of `make run` (config.settings.dev), with the test
settings' fast password hashing. Every login of the browser tests checks a password in gunicorn, and `load_demo`
and the `editors` fixture set some: PBKDF2's cost (about half a second of CPU each) buys nothing here."""

from config.settings.dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
