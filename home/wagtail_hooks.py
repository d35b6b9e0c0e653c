"""Wagtail hooks of the home app: the anonymous page cache learns which responses are Wagtail pages."""

from wagtail import hooks

from .page_cache import allow_caching


@hooks.register("before_serve_page")
def page_cache_marker(page, request, serve_args, serve_kwargs):
    allow_caching(page, request)
