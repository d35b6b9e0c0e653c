from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from oauth2_provider import urls as oauth2_urls
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap as sitemap_view
from wagtail.documents import urls as wagtaildocs_urls

from accounts import admin_login
from api import oauth as api_oauth
from api.wagtail import router as wagtail_api_router
from home import views as home_views
from territories.sitemaps import sitemaps

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("sitemap.xml", sitemap_view, {"sitemaps": sitemaps()}, name="sitemap"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("api/v1/", include("config.api_urls")),
    # OAuth 2.0 (api/oauth.py): django-oauth-toolkit's authorize/, token/, revoke_token/, introspect/ only
    # (no self-service application management, no device flow: applications are registered by an administrator).
    path("o/", include((oauth2_urls.base_urlpatterns[:4], "oauth2_provider"), namespace="oauth2_provider")),
    path(".well-known/oauth-authorization-server", api_oauth.authorization_server_metadata, name="oauth-metadata"),
    path("api/v1/", wagtail_api_router.urls),  # pages/, images/, documents/ (api/wagtail.py)
    # Wagtail's login and reset views, with the public forms' rate limits and for editors only (accounts/admin_login.py)
    path("admin/login/", admin_login.AdminLoginView.as_view()),
    path("admin/password_reset/", admin_login.AdminPasswordResetView.as_view()),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Translated pages: French (default) without prefix, English under /en/.
# Each first path segment belongs to one app (docs/decisions/0011-url-prefixes.md, tests/quality/test_url_ownership.py):
# an app with one fixed prefix is mounted at it; an app with several, or a translated one, is mounted at "" and its
# urls.py declares them in PREFIXES.
urlpatterns += i18n_patterns(
    # API tokens (api app): the one page nested in another app's prefix, before accounts' URLs
    path("compte/jetons/", include("api.account_urls")),
    path("compte/", include("accounts.urls")),
    path("mes-cantines/", include("canteens.urls")),
    path("diagnostic/", include("diagnostic.urls")),
    path("", include("resources.urls")),  # /ressources/…, /en/resources/…
    path("", include("search.urls")),  # /recherche/, /en/search/
    path("", include("territories.urls")),  # /cantines/, /territoires/, /donnees/, /widget/
    path("plan-du-site/", home_views.site_map, name="site_map"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "home.errors.page_not_found"
handler500 = "home.errors.server_error"
