"""Wagtail hooks of the home app: the anonymous page cache learns which responses are Wagtail pages; the page
explorer's translation buttons (home/admin_listing.py)."""

from wagtail import hooks

from .admin_listing import install as install_admin_listing
from .page_cache import allow_caching


@hooks.register("before_serve_page")
def page_cache_marker(page, request, serve_args, serve_kwargs):
    allow_caching(page, request)


# wagtail-localize's row buttons of the page explorer, without two queries per row (home/admin_listing.py)
install_admin_listing()
