"""Each app owns its URL prefix (issue 20, docs/decisions/0011-url-prefixes.md): every first path segment of the site
is routed by exactly one app's URLconf, in French and under /en/, and the table of docs/dev/architecture.md says
which.

The owner of a route is the project app whose URLconf module declares it (the innermost one: `compte/jetons/` is
mounted by config/urls.py but declared in api/account_urls.py); a route declared in config/urls.py, or in a
third-party URLconf (Wagtail, django-oauth-toolkit) mounted there, belongs to config.
"""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation

APPS = {"config", "api", "territories", "canteens", "diagnostic", "resources", "home", "egalim", "search", "accounts"}
# The one route nested in another app's segment: the account's API tokens page (the api app's model), reached
# from the account menu since the tokens exist; moving it would break those links.
NESTED = {"compte/jetons/": "api"}
ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "dev" / "architecture.md"


def _app_of(resolver):
    module = resolver.urlconf_module
    name = getattr(module, "__name__", "")
    app = name.split(".")[0]
    return (app, module) if app in APPS else (None, None)


def routes(patterns=None, prefix="", owner="config", mounted=None):
    """(full route without the language prefix, owning app, URLconf module mounted at "" or None) of each route."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = "" if isinstance(pattern.pattern, LocalePrefixPattern) else str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            app, module = _app_of(pattern)
            inner_mounted = mounted
            if app is not None:
                inner_mounted = module if prefix + route == "" else None
            yield from routes(pattern.url_patterns, prefix + route, app or owner, inner_mounted)
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + route, owner, mounted


def _key(route):
    """The route's first segment (`cantines/`), or the nested prefix it falls under; None for a pattern (the page
    tree's catch-all, which serves whatever no app routes)."""
    for nested in NESTED:
        if route.startswith(nested):
            return nested
    if route.startswith("^"):
        return None
    first = route.split("/")[0]
    if "<" in first:
        return None
    return first + "/" if "/" in route else first


def ownership(lang):
    with translation.override(lang):
        owners = {}
        for route, owner, _mounted in routes():
            key = _key(route)
            if key is not None:
                owners.setdefault(key, set()).add(owner)
        return owners


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_first_path_segment_belongs_to_one_app(lang):
    shared = {key: sorted(apps) for key, apps in ownership(lang).items() if len(apps) > 1}
    assert not shared, f"URL prefixes routed by several apps ({lang}): {shared}"
    for nested, app in NESTED.items():
        assert ownership(lang)[nested] == {app}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_apps_mounted_at_the_root_declare_their_prefixes(lang):
    """An app included at "" (several or translated prefixes) lists them in PREFIXES; each of its routes starts with
    one of them, and no two apps declare the same."""
    with translation.override(lang):
        declared = {}
        for route, owner, module in routes():
            if module is None:
                continue
            prefixes = [str(prefix) for prefix in getattr(module, "PREFIXES", ())]
            assert prefixes, f"{module.__name__} is mounted at the root: it declares its PREFIXES"
            assert route.startswith(tuple(prefixes)), f"{route!r} ({owner}) is outside {module.__name__}.PREFIXES"
            for prefix in prefixes:
                assert re.fullmatch(r"[\w.-]+/", prefix), f"{prefix!r}: one first path segment"
                declared.setdefault(prefix, set()).add(owner)
        assert all(len(apps) == 1 for apps in declared.values()), declared


def test_the_architecture_table_lists_each_prefix_and_its_owner():
    """docs/dev/architecture.md's « URL map » has one row per first segment (French routes) and its app."""
    table = dict(re.findall(r"^\| `/([^`]*)`[^|]*\| `(\w+)/` \|", ARCHITECTURE.read_text(), flags=re.MULTILINE))
    actual = {key: apps.pop() for key, apps in ownership("fr").items()}
    assert table == actual


def test_the_public_canteen_page_and_the_anonymous_poster_kept_their_addresses():
    from django.urls import reverse

    assert reverse("territories:canteen", args=[12, "ecole"]) == "/cantines/12-ecole/"
    assert reverse("diagnostic:poster") == "/diagnostic/resultats/affiche.pdf"
    assert reverse("canteens:list") == "/mes-cantines/"
    with translation.override("en"):
        assert reverse("territories:canteen", args=[12, "ecole"]) == "/en/cantines/12-ecole/"
        assert reverse("diagnostic:poster") == "/en/diagnostic/resultats/affiche.pdf"
        assert reverse("search:search") == "/en/search/"
