"""Every string of the resources app (admin screens included: blocks, models, reports, review, translation
comparison) has its English in resources/locale/en or another app's English catalogue (issue 14): the catalogue
is extracted again with `makemessages` from a copy of the app and compared with the committed ones."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
# Wagtail's and wagtail-localize's own strings in templates this app overrides: already English.
ENGLISH_MSGIDS = {
    "Translation of %(instance)s into %(locale)s",
    "Translations",
    "Edit your notification preferences here:",
}
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?msgstr(?:\[0\])? ((?:".*"\n)+)', re.M)


def entries(path):
    text = path.read_text()
    return {
        "".join(re.findall(r'"(.*)"', msgid)): "".join(re.findall(r'"(.*)"', msgstr))
        for msgid, msgstr in ENTRY.findall(text)
    }


def test_every_string_of_the_resources_app_has_its_english(tmp_path, settings):
    app = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", app, ignore=shutil.ignore_patterns("locale", "__pycache__", "migrations"))
    (app / "locale").mkdir()  # where makemessages writes
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "en", "--no-location"],
        cwd=app,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    extracted = entries(app / "locale" / "en" / "LC_MESSAGES" / "django.po")
    committed = {}  # Django merges the apps' catalogues: a string another app translates is translated here too
    for catalogue in ROOT.glob("*/locale/en/LC_MESSAGES/django.po"):
        committed.update({msgid: msgstr for msgid, msgstr in entries(catalogue).items() if msgstr})
    missing = sorted(msgid for msgid in extracted if msgid and msgid not in ENGLISH_MSGIDS and not committed.get(msgid))
    assert missing == []


def test_review_screens_speak_english():
    with translation.override("en"):
        assert (
            translation.gettext("Soumettre la traduction à Relecture DGAL")
            == "Submit the translation to Relecture DGAL"
        )
        assert translation.gettext("Comparer la traduction") == "Compare the translation"
        assert (
            translation.ngettext(
                "%(counter)s segment n'est pas encore traduit.", "%(counter)s segments ne sont pas encore traduits.", 2
            )
            == "%(counter)s segments are not translated yet."
        )
