from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = "Territoires et open data"

    def ready(self):
        from . import signals

        signals.connect()
