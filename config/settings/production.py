"""Production: every secret from the environment, HTTPS everywhere, hashed static files."""

from .base import *  # noqa: F403
from .base import REDIS_URL, STORAGES
from .env import env, env_bool, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [env_required("ALLOWED_HOSTS")]
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Page cache for anonymous visitors (home/page_cache.py): on by default when the cache is shared (Redis).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300" if REDIS_URL else "0"))

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# The map's base layer: IGN's Géoplateforme (public, no key) unless MAP_TILES_URL says otherwise ("" = none).
MAP_TILES_URL = env("MAP_TILES_URL", IGN_TILES_URL)  # noqa: F405
if tiles_origin(MAP_TILES_URL) and tiles_origin(MAP_TILES_URL) not in CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]:  # noqa: F405
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(tiles_origin(MAP_TILES_URL))  # noqa: F405
