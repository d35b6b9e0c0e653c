"""One translation mechanism (issue 20): every app's English catalogue is current, complete and compiled.

`make messages` regenerates the catalogues (makemessages in each app with a `locale/en`, then compilemessages);
these tests run the same commands on a copy of each app and fail when that would change a committed file:
a new or changed string left out of its catalogue, a .mo not recompiled, an English message left empty or
fuzzy. They need GNU gettext (xgettext, msgmerge, msgfmt), which `.ci/run` installs.
"""

import filecmp
import io
import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = sorted(path.parts[-3] for path in BASE_DIR.glob("*/locale/en"))
# The options of the Makefile's `messages` target: no source locations (moving code changes no catalogue).
MAKEMESSAGES = ["makemessages", "-l", "en", "--no-location", "--no-obsolete", "-v", "0"]
CATALOGUE = Path("locale/en/LC_MESSAGES/django.po")


def _without_creation_date(path):
    return [line for line in path.read_text().splitlines() if not line.startswith('"POT-Creation-Date:')]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """{app: its catalogue as makemessages rewrites it}, on a copy of every app. The command runs in this
    process, in each copy in turn (Django is set up once: a process per app spent its time starting Django, about
    2.5 s of CPU each, while xgettext and msgmerge take a fraction of a second per app)."""
    missing = [tool for tool in ("xgettext", "msgmerge", "msgfmt") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"GNU gettext is needed ({', '.join(missing)} not found): apt install gettext")
    root = tmp_path_factory.mktemp("catalogues")
    failed = {}
    cwd = os.getcwd()
    try:
        for app in APPS:
            copy = root / app
            shutil.copytree(BASE_DIR / app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
            os.chdir(copy)  # makemessages works on the current directory, as `make messages` runs it
            output = io.StringIO()
            try:
                call_command(*MAKEMESSAGES, stdout=output, stderr=output)
            except CommandError as error:
                failed[app] = f"{output.getvalue()}{error}"
    finally:
        os.chdir(cwd)
    assert not failed, failed
    return {app: root / app / CATALOGUE for app in APPS}


def test_every_app_with_translatable_strings_has_a_catalogue():
    """An app whose code or templates call gettext has its own English catalogue (the api app had none)."""
    markers = ("gettext", "{% translate", "{% blocktranslate", "{% trans ")
    with_strings = set()
    for path in BASE_DIR.glob("*/**/*"):
        app = path.relative_to(BASE_DIR).parts[0]
        if app in {"tests", "bench", "node_modules", "static", "docs"} or app.startswith("."):
            continue
        if path.suffix in {".py", ".html", ".txt"} and "migrations" not in path.parts and path.is_file():
            if any(marker in path.read_text(errors="ignore") for marker in markers):
                with_strings.add(app)
    assert with_strings - set(APPS) == set()


@pytest.mark.parametrize("app", APPS)
def test_makemessages_changes_no_catalogue(regenerated, app):
    committed = BASE_DIR / app / CATALOGUE
    assert _without_creation_date(regenerated[app]) == _without_creation_date(committed), (
        f"{app}: the catalogue is not current: run `make messages`, translate the new entries and commit"
    )


@pytest.mark.parametrize("app", APPS)
def test_compilemessages_changes_no_compiled_catalogue(tmp_path, app):
    compiled = tmp_path / "django.mo"
    # The command compilemessages runs (django/core/management/commands/compilemessages.py).
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(BASE_DIR / app / CATALOGUE)],
        check=True,
        capture_output=True,
    )
    assert filecmp.cmp(compiled, BASE_DIR / app / CATALOGUE.with_suffix(".mo"), shallow=False), (
        f"{app}: django.mo is not compiled from django.po: run `make messages` and commit"
    )


@pytest.mark.parametrize("app", APPS)
def test_no_english_message_is_empty_or_fuzzy(app):
    catalogue = polib.pofile(str(BASE_DIR / app / CATALOGUE))
    assert catalogue.metadata.get("Language") == "en"
    assert not catalogue.metadata_is_fuzzy
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
