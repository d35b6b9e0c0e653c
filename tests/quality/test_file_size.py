"""No application file over 600 lines (issue 20): long content is data (resources/demo_data/*.yaml), long
modules are split (canteens/views/, territories/views/)."""

import ast
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
LIMIT = 600
APPS = ["accounts", "api", "canteens", "config", "diagnostic", "egalim", "home", "resources", "search", "territories"]


def test_no_application_file_over_600_lines():
    sizes = {
        str(path.relative_to(BASE_DIR)): len(path.read_text(encoding="utf-8").splitlines())
        for app in APPS
        for path in (BASE_DIR / app).rglob("*.py")
        if "migrations" not in path.parts
    }
    too_long = {name: lines for name, lines in sizes.items() if lines > LIMIT}
    assert too_long == {}


def test_the_demo_content_is_data():
    assert len((BASE_DIR / "resources" / "demo_content.py").read_text().splitlines()) < 100
    assert sorted(path.name for path in (BASE_DIR / "resources" / "demo_data").glob("*.yaml")) == [
        "documents.yaml",
        "guides.yaml",
        "indexes.yaml",
        "kit.yaml",
        "mail_templates.yaml",
        "measures.yaml",
        "resources.yaml",
    ]
    assert sorted(path.name for path in (BASE_DIR / "home" / "demo_data").glob("*.yaml")) == ["pages.yaml"]


def test_the_demo_modules_are_code_only():
    """The home pages, standard pages and recipes of the demo were Python literals; they are data now (issue 20)."""
    for name in ["home/demo.py", "resources/demo.py", "resources/demo_content.py", "resources/demo_documents.py"]:
        tree = ast.parse((BASE_DIR / name).read_text(encoding="utf-8"))
        literals = [
            ast.unparse(node.targets[0])
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Dict, ast.List, ast.Tuple, ast.Set))
        ]
        assert literals == [], name
