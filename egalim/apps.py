from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_gaps(sender, **kwargs):
    from .models import Gap

    Gap.sync_from_rules()


class EgalimConfig(AppConfig):
    name = "egalim"
    verbose_name = "EGAlim"

    def ready(self):
        post_migrate.connect(sync_gaps, sender=self)
