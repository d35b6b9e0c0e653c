"""Local development: DEBUG on, console e-mail, a random secret key kept under var/."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR
from .env import env, env_bool

DEBUG = env_bool("DEBUG", True)


def _dev_secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or _dev_secret_key()

# Serve static files straight from the apps' folders (no collectstatic needed to browse locally).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A vendor testing its OAuth client on its own machine redirects to http://localhost.
OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"]}  # noqa: F405
