"""A module's name says what it holds (issue 20, items 1 and 6): views modules are not libraries, and `api.py`
does not mean one thing in one app and another in the next."""

import ast
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ["accounts", "api", "canteens", "config", "diagnostic", "egalim", "home", "resources", "search", "territories"]


def _is_views_module(module: str) -> bool:
    """`canteens.views`, `canteens.views.shared`, `resources.hub_views`, `territories.report_views`…"""
    parts = module.split(".")
    return parts[0] in APPS and any(part == "views" or part.endswith("_views") for part in parts[1:])


def _imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            for alias in node.names:  # `from canteens import views`
                yield f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_app_imports_another_apps_views():
    """Only URL configurations name another app's views; what views share lives in a non-view module."""
    found = []
    for app in APPS:
        for path in (BASE_DIR / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "urls.py" or path.name.endswith("_urls.py"):
                continue
            for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
                if _is_views_module(module) and module.split(".")[0] != app:
                    found.append(f"{path.relative_to(BASE_DIR)}: {module}")
    assert found == []


def test_the_check_sees_such_an_import():
    tree = ast.parse("from canteens.views import spreadsheet_response\nfrom resources import hub_views\n")
    assert [module for module in _imported_modules(tree) if _is_views_module(module)] == [
        "canteens.views",
        "canteens.views.spreadsheet_response",
        "resources.hub_views",
    ]


def test_api_py_is_only_the_api_app():
    """Serializers are `serializers.py`, the /api/v1/ routes `config/api_urls.py`: no other app has an `api.py`."""
    names = sorted(str(path.relative_to(BASE_DIR)) for app in APPS for path in (BASE_DIR / app).rglob("api.py"))
    assert names == []
