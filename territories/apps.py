from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = _("Territoires et open data")

    def ready(self):
        from . import signals

        signals.connect()

        from canteens.standard.pipeline import EDITOR_HOOKS, EXTRA_FORMATS

        from . import national, national_registry, officers

        EXTRA_FORMATS["schema_teledeclarations"] = (national.detect_campaign, national.load_campaign)
        EXTRA_FORMATS["schema_cantines"] = (national_registry.detect_registry, national_registry.load_registry)
        EDITOR_HOOKS.append(officers.may_import)
