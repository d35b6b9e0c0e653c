"""The content locales: French (source, created by Wagtail from LANGUAGE_CODE) and English, synchronised from
French by wagtail-localize, so that every page created in French gets an English alias (its French content
under /en/) until it is translated.

Idempotent; reversing removes nothing (translations may exist by then).
"""

from django.conf import settings
from django.db import migrations
from wagtail.coreutils import get_supported_content_language_variant


def create_english_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    LocaleSynchronization = apps.get_model("wagtail_localize", "LocaleSynchronization")
    source, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    english, _ = Locale.objects.get_or_create(language_code="en")
    LocaleSynchronization.objects.get_or_create(locale=english, defaults={"sync_from": source})


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0054_initial_locale"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_english_locale, migrations.RunPython.noop)]
