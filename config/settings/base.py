"""Settings shared by every environment. Values come from environment variables (see docs/dev/config.md)."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "egalim",
    "home",
    "resources",
    "diagnostic",
    "accounts",
    "canteens",
    "territories",
    "search",
    "api",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "oauth2_provider",
    "drf_spectacular",
    "dsfr",
    "widget_tweaks",  # used by django-dsfr's radio and checkbox snippets
    "csp",
    "django.forms",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "home.request_cache.RequestMemoMiddleware",  # per-request memo, see home/request_cache.py
    "django.middleware.security.SecurityMiddleware",
    "api.middleware.ApiMiddleware",  # /api/v1/: CORS for reads, JSON for Django's own 404/500
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "home.admin_csp.AdminContentSecurityPolicyMiddleware",  # /admin/'s own policy (home/admin_csp.py)
    "home.middleware.PreviewFramingMiddleware",  # previews may be framed by the admin (frame-ancestors 'self')
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "search.analytics.SearchStatsMiddleware",  # counts searches, cached pages included (before the page cache)
    "home.page_cache.AnonymousPageCacheMiddleware",  # see home/page_cache.py
    "home.middleware.DatabaseUnavailableMiddleware",  # database errors answer 503, see home/middleware.py
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],  # every template lives in its app: <app>/templates/ (per-app makemessages sees it)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: DATABASE_URL, SQLite file under var/ by default (no server needed for `make run`).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, process-local memory otherwise.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Wagtail pages served to anonymous visitors are cached this many seconds, purged on publication (0 = off),
# and the other views named here (home/page_cache.py).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "0"))
# Taxonomy, menu, language links and breadcrumb shared between requests (home/request_cache.py), invalidated on
# every publication; off with a per-process cache (workers would not see each other's invalidations).
CHROME_CACHE_SECONDS = int(env("CHROME_CACHE_SECONDS", "3600" if REDIS_URL else "0"))
PAGE_CACHE_VIEWS = ["search:search"] if env_bool("PAGE_CACHE_SEARCH", True) else []
# The query-string parameters the cached pages read (resources/hub.py PARAMETERS, search/views.py): the cache key
# holds these only, and a page asked with any other parameter is rendered but never stored (home/page_cache.py).
PAGE_CACHE_PARAMETERS = ["measure", "type", "audience", "sector", "format", "gap", "q", "sort", "page"]

# Search: Elasticsearch when ELASTICSEARCH_URL is set, the database's full text otherwise.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
ELASTICSEARCH_TIMEOUT = float(env("ELASTICSEARCH_TIMEOUT", "2"))

# Geocoding (canteens/geo.py, `manage.py geocode_canteens` only, never at page time): unset = off, canteens are
# placed at their commune's shipped centre. Production: GEOCODER_URL=https://data.geopf.fr/geocodage (Base Adresse
# Nationale), GEO_API_URL=https://geo.api.gouv.fr.
GEOCODER_URL = env("GEOCODER_URL", "")
GEO_API_URL = env("GEO_API_URL", "")
GEOCODER_TIMEOUT = float(env("GEOCODER_TIMEOUT", "5"))
GEOCODER_MIN_SCORE = float(env("GEOCODER_MIN_SCORE", "0.5"))
GEOCODER_CACHE_SECONDS = int(env("GEOCODER_CACHE_SECONDS", str(30 * 24 * 3600)))
# Map base layer (Leaflet tile URL template and its attribution). Empty (the default but in production): no base
# layer, the markers show on a plain background, nothing is fetched from outside. Production: IGN's Géoplateforme.
IGN_TILES_URL = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2"
    "&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
)
MAP_TILES_URL = env("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = env("MAP_TILES_ATTRIBUTION", "© IGN — Géoplateforme")


def tiles_origin(url):
    """The scheme and host of a tile URL template, for the CSP's img-src."""
    from urllib.parse import urlsplit

    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", "cantine")  # aliases cantine-resources-<lang>
ELASTICSEARCH_REPLICAS = int(env("ELASTICSEARCH_REPLICAS", "0"))
ELASTICSEARCH_COOLDOWN = float(env("ELASTICSEARCH_COOLDOWN", "30"))  # seconds on the database after a failure
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Background tasks (django-tasks, used by Wagtail 8 and by the search indexing): run immediately by default.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (accounts app): log in with the e-mail address; rate limits of the login forms (django-ratelimit).
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "territories:after_login"  # officers → /territoires/suivi/, others → /mes-cantines/
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # also the life of the e-mail verification link
LOGIN_RATE_LIMIT = env("LOGIN_RATE_LIMIT", "10/m")
MAGIC_LINK_RATE_LIMIT = env("MAGIC_LINK_RATE_LIMIT", "5/m")
# The anonymous diagnostic's poster (one WeasyPrint render each), per IP address.
POSTER_RATE_LIMIT = env("POSTER_RATE_LIMIT", "6/m")

# ProConnect (OpenID Connect, mozilla-django-oidc): on only when OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.ProConnectBackend")
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email given_name usual_name siret")
    OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
    LOGIN_REDIRECT_URL_FAILURE = "accounts:login"

# Internationalisation: French first (no URL prefix), English under /en/.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "config" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail: console in development, SMTP (EMAIL_HOST...) in production.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ma cantine <ne-pas-repondre@ma-cantine.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = "ma cantine — centre de ressources"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "pptx", "odp", "xlsx", "ods", "csv", "txt"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents: extension, declared content type and content checked by home/uploads.py, 20 MB at most.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "home.uploads.SafeDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# No request from the admin to a third party (gravatar.com would receive a hash of each editor's e-mail address).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor to releases.wagtail.org (the administrators' dashboard asked it for new versions; the CSP blocked it).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Every change goes live through « Relecture DGAL »: wagtail-localize creates or updates a translation as a draft,
# even when its source is live (by default it publishes it at once, whoever asks). See resources/review.py.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# JSON API (/api/v1/): Django REST framework, OpenAPI 3 schema by drf-spectacular. Only what every DRF view of
# the site may share is global: wagtail-localize's admin views (the translation editor) are DRF views too and
# need DRF's default parsers (the browser's form body) and session authentication. The API's own parsers,
# authentication and JSON-only rendering are set on its view classes (api/views/, api/wagtail.py, api/schema.py),
# and the error format applies under /api/ only (api.errors.exception_handler).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.autoschema.ApiAutoSchema",  # no docstrings in the schema
    "EXCEPTION_HANDLER": "api.errors.exception_handler",  # {"errors": {...}} for every error under /api/
}
# Rate limits of /api/v1/ per client IP (django-ratelimit; None: no limit). The EGAlim endpoints keep
# their own EGALIM_API_RATE_LIMIT.
API_READ_RATE_LIMIT = env("API_READ_RATE_LIMIT", "300/m")
API_WRITE_RATE_LIMIT = env("API_WRITE_RATE_LIMIT", "30/m")
# Wagtail's API v2 (/api/v1/pages/…): up to 100 items per request, rich text as display HTML.
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
SPECTACULAR_SETTINGS = {
    "TITLE": "ma cantine — API",
    # DESCRIPTION: set in the schema's language by api/schema.py (the texts of the schema go through gettext)
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",  # null in nested objects as oneOf [$ref, null] (3.0's nullable cannot say it)
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "PREPROCESSING_HOOKS": ["config.api_urls.public_endpoints_only"],
}

# Rate limits (django-ratelimit) count in the default cache; behind a proxy set RATELIMIT_IP_META_KEY.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY") or None
# « Cette ressource vous a-t-elle été utile ? »: answers per IP address and per resource.
RESOURCE_FEEDBACK_RATE_LIMIT = env("RESOURCE_FEEDBACK_RATE_LIMIT", "5/h")

# Content-Security-Policy (django-csp): no inline scripts on the public site. The Wagtail admin keeps its own.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Wagtail's admin: its bundled scripts need inline code and eval, from this origin only (home/admin_csp.py).
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],  # previews of embeds and remote images
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", "https:"],  # embed previews (videos)
    "frame-ancestors": ["'self'"],  # the page preview frames the admin's own pages
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

if tiles_origin(MAP_TILES_URL):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(tiles_origin(MAP_TILES_URL))

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
    },
}

MINISTRY_NAME = _("Ministère de l'Agriculture et de la Souveraineté alimentaire")


# OAuth 2.0 for third-party applications (api/oauth.py): authorization code + PKCE only, the API's scopes.
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "api.oauth.ScopesBackend",
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 60 * 60 * 24 * 90,
    "ROTATE_REFRESH_TOKEN": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],  # dev settings add http (a vendor's local test client)
    "REQUEST_APPROVAL_PROMPT": "auto",
    # OAuth 2.0 Security BCP (RFC 9700): no implicit or password grant, S256 PKCE only, tokens never in URLs,
    # `iss` in authorization responses, tokens stored hashed, refresh-token replay revokes the family.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
